//! The frame around every screen: the header (position, filter, counts, read-only
//! banner) and the footer (status line and key hints).

use super::{bold, esc};
use crate::tui::layout::Areas;
use crate::tui::strings;
use crate::tui::strings::curators as words;
use crate::tui::workspace::{Tone, Workspace};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

/// Paints the header.
pub fn header(ws: &Workspace, frame: &mut Frame, areas: &Areas) {
    let t = &ws.theme;
    let m = &ws.dataset.manifest;
    let counts = ws.view_counts;
    let position = if ws.view.is_empty() { 0 } else { ws.cursor + 1 };
    let filter = if ws.filter.is_empty() {
        strings::NO_FILTER.to_string()
    } else {
        esc(&ws.filter)
    };
    let mut spans = vec![Span::styled(
        strings::APP_TITLE,
        t.fg(t.accent).add_modifier(Modifier::BOLD),
    )];
    spans.extend(curator_spans(ws));
    spans.extend([
        Span::styled("│ ", t.fg(t.dim)),
        Span::styled(format!("{position}/{}", ws.view.len()), bold()),
        Span::raw(format!(" of {} ", ws.dataset.items.len())),
    ]);
    // Blind mode has no filter, and the review counts would tell what others decided.
    if !ws.curators.blind {
        spans.extend([
            Span::styled(strings::FILTER_LABEL, t.fg(t.dim)),
            Span::styled(
                filter,
                if ws.filter.is_empty() {
                    t.fg(t.dim)
                } else {
                    t.fg(t.warn)
                },
            ),
            Span::styled(" │ ", t.fg(t.dim)),
            Span::raw(strings::status_counts(counts)),
        ]);
    }
    spans.extend([
        Span::styled("│ ", t.fg(t.dim)),
        Span::raw(format!("{} {}", esc(&m.name), esc(&m.version))),
    ]);
    let line = Line::from(spans);
    let header = areas.header;
    frame.render_widget(Paragraph::new(line), Rect { height: 1, ..header });
    if let Some(holder) = &ws.read_only {
        let banner = strings::read_only_banner(holder);
        let style = if t.color {
            Style::default()
                .bg(t.error)
                .fg(ratatui::style::Color::Black)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        };
        frame.render_widget(
            Paragraph::new(banner).style(style),
            Rect {
                y: header.y + 1,
                height: 1,
                ..header
            },
        );
    }
}

/// The curator, first in the header so it is never cut off: their name, and in blind
/// mode BLIND with their progress (answered / assigned). Nothing when no curator is known.
fn curator_spans(ws: &Workspace) -> Vec<Span<'static>> {
    let t = &ws.theme;
    let c = &ws.curators;
    if c.name.is_empty() {
        return Vec::new();
    }
    let mut spans = vec![Span::styled("│ ", t.fg(t.dim))];
    if c.blind {
        let (done, assigned) = crate::tui::blind::done(ws);
        spans.push(Span::styled(
            format!("{} ", words::BLIND),
            t.fg(t.warn).add_modifier(Modifier::BOLD | Modifier::REVERSED),
        ));
        spans.push(Span::styled(esc(&c.name), bold()));
        spans.push(Span::raw(format!("{} ", words::blind_progress(done, assigned))));
    } else {
        spans.push(Span::styled(format!("{} ", esc(&c.name)), bold()));
    }
    spans
}

/// The hints that fit in `width` cells: the last hint (quit or close) always stays; when
/// some do not fit, the lowest-priority ones (the later ones) give way to a
/// "`more_key` more" hint pointing at the help.
pub fn fit_hints(hints: &[(String, String)], width: usize, more_key: &str) -> Vec<(String, String)> {
    let cells = |(key, what): &(String, String)| key.width() + 1 + what.width() + 2;
    if hints.iter().map(cells).sum::<usize>() <= width {
        return hints.to_vec();
    }
    let Some((last, rest)) = hints.split_last() else {
        return Vec::new();
    };
    let more = (more_key.to_string(), strings::MORE_KEYS.to_string());
    let mut room = width.saturating_sub(cells(last) + cells(&more));
    let mut out = Vec::new();
    for hint in rest {
        if cells(hint) > room {
            break;
        }
        room -= cells(hint);
        out.push(hint.clone());
    }
    out.push(more);
    out.push(last.clone());
    out
}

/// Paints the status line and the key hints (as many as fit, see [`fit_hints`]).
pub fn footer(ws: &Workspace, hints: &[(String, String)], more_key: &str, frame: &mut Frame, areas: &Areas) {
    let t = &ws.theme;
    let footer = areas.footer;
    let status = if ws.saving > 0 {
        Line::from(Span::styled(strings::SAVING, t.fg(t.warn)))
    } else if let Some((text, tone)) = &ws.message {
        let style = if *tone == Tone::Error {
            t.fg(t.error).add_modifier(Modifier::BOLD)
        } else {
            Style::default()
        };
        Line::from(Span::styled(esc(text), style))
    } else {
        Line::from("")
    };
    frame.render_widget(Paragraph::new(status), Rect { height: 1, ..footer });
    let mut spans = Vec::new();
    for (key, what) in fit_hints(hints, usize::from(footer.width), more_key) {
        spans.push(Span::styled(key, t.fg(t.accent).add_modifier(Modifier::BOLD)));
        spans.push(Span::raw(format!(" {what}  ")));
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)),
        Rect {
            y: footer.y + 1,
            height: 1,
            ..footer
        },
    );
}

#[cfg(test)]
mod tests {
    use super::fit_hints;

    fn hint(key: &str, what: &str) -> (String, String) {
        (key.to_string(), what.to_string())
    }

    #[test]
    fn hints_that_do_not_fit_give_way_to_a_more_marker_and_quit_stays() {
        let hints = vec![
            hint("y", "safe"),
            hint("n", "unsafe"),
            hint("a", "accept"),
            hint("/", "filter"),
            hint("q", "quit"),
        ];
        assert_eq!(fit_hints(&hints, 200, "?"), hints, "all fit");
        let fitted = fit_hints(&hints, 34, "?");
        assert_eq!(
            fitted,
            vec![
                hint("y", "safe"),
                hint("n", "unsafe"),
                hint("?", "more"),
                hint("q", "quit")
            ]
        );
        let width: usize = fitted.iter().map(|(k, w)| k.len() + w.len() + 3).sum();
        assert!(width <= 34);
    }
}
