//! Text too long to lay out whole (a 30 MB sentence, a 50 MB response): only the part a
//! pane can show is escaped and drawn, never the whole text per frame.

use super::{KeyHints, bold, esc};
use crate::tui::strings;
use crate::tui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

/// The longest prefix of `s` of at most `max_bytes` bytes that ends on a char boundary.
pub fn visible_prefix(s: &str, max_bytes: usize) -> &str {
    if s.len() <= max_bytes {
        return s;
    }
    let mut end = max_bytes;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The longest prefix of `s` of at most `max_chars` characters.
pub fn prefix_chars(s: &str, max_chars: usize) -> &str {
    let prefix = visible_prefix(s, max_chars.saturating_mul(4));
    match prefix.char_indices().nth(max_chars) {
        Some((at, _)) => &prefix[..at],
        None => prefix,
    }
}

/// Bytes of text that can possibly show in `area` (four bytes per cell: any char that
/// takes a cell is at most four bytes), plus one line for a partly filled last row.
pub fn area_budget(area: Rect) -> usize {
    (usize::from(area.width) * (usize::from(area.height) + 1) * 4).max(64)
}

/// `s` escaped and cut to `width` display cells, with "…" where text is cut. Only a prefix
/// is escaped, so the cost does not grow with the length of `s`.
pub fn fit_width(s: &str, width: usize) -> String {
    if width == 0 {
        return String::new();
    }
    let prefix = visible_prefix(s, width * 4 + 4);
    let shown = esc(prefix);
    if shown.width() <= width && prefix.len() == s.len() {
        return shown;
    }
    let mut out = String::new();
    let mut used = 0;
    for c in shown.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// The byte offset where the line after the one starting at `from` starts, when `s` is
/// wrapped at `width` chars (a newline also ends a line).
pub fn next_line(s: &str, from: usize, width: usize) -> usize {
    let rest = &s[from..];
    for (n, (at, c)) in rest.char_indices().enumerate() {
        if c == '\n' {
            return from + at + 1;
        }
        if n + 1 >= width.max(1) {
            return from + at + c.len_utf8();
        }
    }
    s.len()
}

/// The byte offset of the line before the one starting at `from` (wrapped at `width`).
pub fn previous_line(s: &str, from: usize, width: usize) -> usize {
    let before = &s[..from];
    let body = before.strip_suffix('\n').unwrap_or(before);
    let line_start = body.rfind('\n').map(|p| p + 1).unwrap_or(0);
    let chars = body[line_start..].chars().count();
    let width = width.max(1);
    if chars <= width {
        return line_start;
    }
    let keep = (chars - 1) / width * width;
    body[line_start..]
        .char_indices()
        .nth(keep)
        .map(|(at, _)| line_start + at)
        .unwrap_or(line_start)
}

/// As much of a sentence as a detail pane of `area` shows: about a third of the pane.
pub fn shown_sentence(sentence: &str, area: Rect) -> &str {
    let rows = usize::from(area.height / 3).max(2);
    prefix_chars(sentence, rows * usize::from(area.width) * 3 / 4)
}

/// The lines the detail panes open with: the `shown` part of `sentence`, how much more
/// there is (and the key that shows it whole), then a blank line.
pub fn sentence_lines(theme: &Theme, keys: &KeyHints, sentence: &str, shown: &str) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(Span::styled(esc(shown), bold()))];
    if shown.len() < sentence.len() {
        let more = strings::more_bytes(sentence.len() - shown.len(), &keys.full_text);
        lines.push(Line::from(Span::styled(more, theme.fg(theme.warn))));
    }
    lines.push(Line::from(""));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_never_cuts_a_character() {
        assert_eq!(visible_prefix("héllo", 2), "h");
        assert_eq!(visible_prefix("héllo", 3), "hé");
        assert_eq!(visible_prefix("abc", 10), "abc");
        assert_eq!(prefix_chars("héllo", 2), "hé");
        assert_eq!(prefix_chars("hé", 5), "hé");
    }

    #[test]
    fn cut_text_ends_in_an_ellipsis_within_the_width() {
        assert_eq!(fit_width("short", 10), "short");
        assert_eq!(fit_width("a longer sentence", 8), "a longe…");
        let wide = fit_width("日本語のテキスト", 7);
        assert!(wide.ends_with('…') && wide.width() <= 7, "{wide}");
        let huge = "x".repeat(30_000_000);
        assert_eq!(fit_width(&huge, 5), "xxxx…");
        assert_eq!(fit_width("a\u{1b}]0;x", 40), "a\\x1b]0;x", "escaped");
    }

    #[test]
    fn lines_step_forward_and_back_by_the_width_and_at_newlines() {
        let s = "abcdefgh\nij";
        assert_eq!(next_line(s, 0, 3), 3);
        assert_eq!(next_line(s, 6, 3), 9, "the newline ends the line");
        assert_eq!(previous_line(s, 9, 3), 6);
        assert_eq!(previous_line(s, 3, 3), 0);
        assert_eq!(next_line(s, 9, 3), s.len());
    }
}
