//! Text from data made safe to show: control and invisible characters become visible
//! escapes, so a sentence can never move the cursor, clear the screen or ring the bell.

use std::borrow::Cow;
use std::fmt::Write;
use std::path::Path;
use unicode_width::UnicodeWidthStr;

/// The UTF-8 byte order mark some editors (Notepad, Excel) put at the start of a file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// `bytes` without a leading UTF-8 byte order mark, so the first field or id reads clean.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(BOM).unwrap_or(bytes)
}

/// The text of an input file read from `path`: a leading BOM is dropped, and bytes that
/// are not UTF-8 are an error saying "FILE is not UTF-8 at byte N" (N counts from 0 in
/// the file, as `xxd` and `cmp -l` do) with its line and column.
pub fn decode_utf8(path: &Path, bytes: Vec<u8>) -> crate::Result<String> {
    let skipped = if bytes.starts_with(BOM) { BOM.len() } else { 0 };
    let mut bytes = bytes;
    bytes.drain(..skipped);
    String::from_utf8(bytes).map_err(|e| {
        let good = e.utf8_error().valid_up_to();
        let prefix = &e.as_bytes()[..good];
        let line = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = prefix.iter().rposition(|&b| b == b'\n').map_or(0, |at| at + 1);
        let column = String::from_utf8_lossy(&prefix[line_start..]).chars().count() + 1;
        crate::Error::Refused(format!(
            "{} is not UTF-8 at byte {} (line {line}, column {column})",
            escape_for_display(&path.display().to_string()),
            good + skipped
        ))
    })
}

/// Whether `c` would act on a terminal or hide itself instead of printing a glyph:
/// C0/C1 controls, DEL, zero-width and bidirectional formatting characters, BOM and the
/// invisible Unicode tag characters (U+E0000..U+E007F, used to smuggle text past readers).
pub fn is_hidden_char(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}' | '\u{E0000}'..='\u{E007F}')
}

/// Shows `s` with every hidden character written as an escape (`\x1b`, `\n`, `\u{200b}`).
pub fn escape_for_display(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_hidden_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_hidden_char(c) && (c as u32) < 0x100 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if is_hidden_char(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// How many terminal columns `s` takes, measured over the whole string so that emoji
/// sequences and CJK characters count as the terminal draws them.
pub fn display_width(s: &str) -> usize {
    s.width()
}

/// `s` followed by spaces up to `width` terminal columns (left-aligned table cell).
pub fn pad_right(s: &str, width: usize) -> String {
    format!("{s}{}", " ".repeat(width.saturating_sub(display_width(s))))
}

/// Spaces up to `width` terminal columns, then `s` (right-aligned table cell).
pub fn pad_left(s: &str, width: usize) -> String {
    format!("{}{s}", " ".repeat(width.saturating_sub(display_width(s))))
}

/// A file-system path shown with [`escape_for_display`] (names can hold escape sequences).
pub fn escape_path(path: &std::path::Path) -> String {
    escape_for_display(&path.to_string_lossy()).into_owned()
}

/// Like [`escape_for_display`] but keeps line breaks, for multi-line reports.
pub fn escape_for_display_multiline(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c != '\n' && is_hidden_char(c)) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.split('\n')
            .map(|line| escape_for_display(line).into_owned())
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_bells_are_shown_not_executed() {
        assert_eq!(escape_for_display("a\x1b[2Jb\x07"), "a\\x1b[2Jb\\x07");
        assert_eq!(escape_for_display("zero\u{200b}width"), "zero\\u{200b}width");
        assert_eq!(escape_for_display("two\nlines"), "two\\nlines");
        assert!(matches!(escape_for_display("plain 中文"), Cow::Borrowed(_)));
    }

    #[test]
    fn cells_pad_by_display_width() {
        assert_eq!(display_width("模型"), 4);
        assert_eq!(pad_right("模型", 6), "模型  ");
        assert_eq!(pad_left("🚀", 4), "  🚀");
        assert_eq!(pad_right("abc", 2), "abc");
    }

    #[test]
    fn a_bom_is_dropped_and_bad_bytes_are_located() {
        let path = Path::new("in.txt");
        assert_eq!(decode_utf8(path, b"\xEF\xBB\xBFid,x".to_vec()).unwrap(), "id,x");
        assert_eq!(strip_bom(b"\xEF\xBB\xBFa"), b"a");
        assert_eq!(strip_bom(b"a"), b"a");
        let err = decode_utf8(path, b"ok\nab\xFFc".to_vec())
            .unwrap_err()
            .to_string();
        assert_eq!(err, "in.txt is not UTF-8 at byte 5 (line 2, column 3)");
        let err = decode_utf8(path, b"\xEF\xBB\xBF\xC3".to_vec())
            .unwrap_err()
            .to_string();
        assert_eq!(err, "in.txt is not UTF-8 at byte 3 (line 1, column 1)");
    }

    #[test]
    fn tag_characters_are_hidden_and_shown_escaped() {
        assert!(is_hidden_char('\u{E0041}'));
        assert!(is_hidden_char('\u{E007F}'));
        assert!(!is_hidden_char('\u{E0080}'));
        assert_eq!(escape_for_display("a\u{E0041}b"), "a\\u{e0041}b");
    }

    #[test]
    fn escaping_twice_changes_nothing_more() {
        let once = escape_for_display("\x1b]52;c;aGk=\x07").into_owned();
        assert!(!once.contains('\x1b'));
        assert_eq!(escape_for_display(&once), once);
    }
}
