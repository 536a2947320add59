//! Verdicts cached per responses file, so that a warm `report` reads no response text.
//!
//! An entry (`.cache/<model>.ron.verdicts`) holds the model, its item ids and one byte
//! per response (what every reader said, see [`code`]). It is used only while the
//! responses file is the version it was read from (the store's stamp) and the readers are
//! the same: the key hashes the refusal rules (bundled plus the dataset's own), the refusal
//! source, the dataset's protocol and the readers' version.

use super::outcome::Scored;
use super::refusal::VerdictRules;
use super::verdict::RefusalSource;
use crate::model::{ModelInfo, Protocol, Verdict};
use crate::store::columns::StringColumn;

/// Bump when a reader (strict, compat, refusal, judge keys) reads any text differently.
const READERS_VERSION: &str = "verdicts-1";

/// The cache kind (file extension) of verdict entries.
pub const KIND: &str = "verdicts";

/// One model's readings: its item ids and one code per response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readings {
    /// The model.
    pub model: ModelInfo,
    /// Item ids, in file order.
    pub items: StringColumn,
    /// Per response, the readings as [`code`] packs them.
    pub codes: Vec<u8>,
}

/// The key naming everything besides the responses file that the readings depend on.
pub fn key(rules: &VerdictRules, source: RefusalSource, protocol: Protocol) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(READERS_VERSION.as_bytes());
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update(serde_json::to_string(rules).unwrap_or_default().as_bytes());
    hasher.update(format!("{source:?} {protocol:?}").as_bytes());
    hasher.finalize().to_hex().to_string()
}

/// Packs a reading (the override aside) into a byte: the verdict's place in
/// [`Verdict::ALL`], then the says-yes, says-no and judgment flags.
pub fn code(scored: &Scored) -> u8 {
    let verdict = Verdict::ALL.iter().position(|v| *v == scored.parsed).unwrap_or(0) as u8;
    verdict | u8::from(scored.says_yes) << 4 | u8::from(scored.says_no) << 5 | u8::from(scored.judgment) << 6
}

/// Unpacks [`code`] (None for a byte it never writes).
pub fn decode_code(code: u8) -> Option<Scored> {
    if code & 0x80 != 0 {
        return None;
    }
    Some(Scored {
        parsed: *Verdict::ALL.get(usize::from(code & 0x0f))?,
        says_yes: code & 0x10 != 0,
        says_no: code & 0x20 != 0,
        judgment: code & 0x40 != 0,
        human: None,
    })
}

/// The bytes of an entry: the model as a JSON line, the id column, the codes.
pub fn encode(readings: &Readings) -> Option<Vec<u8>> {
    let mut out = serde_json::to_vec(&readings.model).ok()?;
    out.push(b'\n');
    readings.items.encode(&mut out);
    out.extend_from_slice(&readings.codes);
    Some(out)
}

/// Reads what [`encode`] wrote (None when it is damaged: the caller reads the responses).
pub fn decode(bytes: &[u8]) -> Option<Readings> {
    let newline = bytes.iter().position(|&b| b == b'\n')?;
    let model: ModelInfo = serde_json::from_slice(&bytes[..newline]).ok()?;
    let mut rest = &bytes[newline + 1..];
    let items = StringColumn::decode(&mut rest)?;
    if rest.len() != items.len() || rest.iter().any(|&c| decode_code(c).is_none()) {
        return None;
    }
    Some(Readings {
        model,
        items,
        codes: rest.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reading_survives_its_code() {
        for parsed in Verdict::ALL {
            for flags in 0..8u8 {
                let scored = Scored {
                    parsed,
                    says_yes: flags & 1 != 0,
                    says_no: flags & 2 != 0,
                    judgment: flags & 4 != 0,
                    human: None,
                };
                assert_eq!(decode_code(code(&scored)), Some(scored));
            }
        }
        assert_eq!(decode_code(0x0f), None);
        assert_eq!(decode_code(0x80), None);
    }

    #[test]
    fn entries_round_trip_and_damage_is_refused() {
        let mut items = StringColumn::with_capacity(2, 4);
        items.push("a").unwrap();
        items.push("b").unwrap();
        let readings = Readings {
            model: ModelInfo {
                name: "m".into(),
                ..ModelInfo::default()
            },
            items,
            codes: vec![0x41, 0x12],
        };
        let bytes = encode(&readings).unwrap();
        assert_eq!(decode(&bytes), Some(readings));
        assert_eq!(decode(&bytes[..bytes.len() - 1]), None);
        let mut bad = bytes.clone();
        *bad.last_mut().unwrap() = 0xff;
        assert_eq!(decode(&bad), None);
    }

    #[test]
    fn the_key_changes_with_the_rules_the_source_and_the_protocol() {
        let rules = VerdictRules::bundled();
        let base = key(&rules, RefusalSource::Rules, Protocol::Judgment);
        let mut more = rules.clone();
        more.refusal.push("i must decline".into());
        assert_ne!(key(&more, RefusalSource::Rules, Protocol::Judgment), base);
        assert_ne!(key(&rules, RefusalSource::Judge, Protocol::Judgment), base);
        assert_ne!(key(&rules, RefusalSource::Rules, Protocol::Refusal), base);
        assert_eq!(key(&rules, RefusalSource::Rules, Protocol::Judgment), base);
    }
}
