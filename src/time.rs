//! Timestamps for people and for programs. Dataset files keep integer Unix seconds; what a
//! user reads is local time (`2026-12-01 14:03`) and what a program reads is RFC 3339.

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// `unix_secs` as local wall-clock time to the minute (`2026-12-01 14:03`), using the
/// system time zone (`TZ`, else /etc/localtime), or UTC (marked `UTC`) when there is none.
pub fn local(unix_secs: u64) -> String {
    match TimeZone::try_system() {
        Ok(zone) => in_zone(unix_secs, zone),
        Err(_) => format!("{} UTC", in_zone(unix_secs, TimeZone::UTC)),
    }
}

/// `unix_secs` as an RFC 3339 UTC timestamp (`2026-12-01T14:03:09Z`), for JSON output
/// and export manifests.
pub fn rfc3339(unix_secs: u64) -> String {
    timestamp(unix_secs).to_string()
}

fn in_zone(unix_secs: u64, zone: TimeZone) -> String {
    timestamp(unix_secs)
        .to_zoned_datetime(zone)
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// Seconds beyond jiff's range (year 9999) are clamped rather than refused: a damaged
/// time field must never stop a report.
fn timestamp(unix_secs: u64) -> Timestamp {
    let secs = i64::try_from(unix_secs).unwrap_or(i64::MAX);
    Timestamp::from_second(secs).unwrap_or(Timestamp::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEC_1_2026_14_03_09: u64 = 1_796_133_789;

    #[test]
    fn rfc3339_is_utc_with_seconds() {
        assert_eq!(rfc3339(DEC_1_2026_14_03_09), "2026-12-01T14:03:09Z");
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn local_time_follows_the_zone_to_the_minute() {
        assert_eq!(in_zone(DEC_1_2026_14_03_09, TimeZone::UTC), "2026-12-01 14:03");
        let tokyo = TimeZone::fixed(jiff::tz::offset(9));
        assert_eq!(in_zone(DEC_1_2026_14_03_09, tokyo), "2026-12-01 23:03");
    }

    #[test]
    fn out_of_range_seconds_do_not_panic() {
        assert!(!local(u64::MAX).is_empty());
        assert!(rfc3339(u64::MAX).contains("9999-12-3"), "{}", rfc3339(u64::MAX));
        assert!(local(DEC_1_2026_14_03_09).starts_with("2026-12-0"));
    }
}
