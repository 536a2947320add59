//! Text from data made safe to show: control and invisible characters become visible
//! escapes, so a sentence can never move the cursor, clear the screen or ring the bell.

use std::borrow::Cow;
use std::fmt::Write;

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
