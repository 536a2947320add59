//! The detail pane's consensus lines: which rule gave each labelled field (adjudication,
//! majority, agreed, single, disputed) and, when curators disagree, who said what. Never
//! drawn in blind mode.

use super::{esc, label};
use crate::tui::curators::{Field, disagree};
use crate::tui::strings::curators as text;
use crate::tui::workspace::Workspace;
use ratatui::text::{Line, Span};
use safeaware::labels::consensus::Rule;

/// One line with the rule of each labelled field, and one with the disagreements (names
/// and values), each only when there is something to say.
pub fn lines(ws: &Workspace, i: usize, id: &str) -> Vec<Line<'static>> {
    let t = &ws.theme;
    if ws.curators.blind {
        return Vec::new();
    }
    let rules = ws.curators.rules_of(i);
    let decided: Vec<String> = Field::ALL
        .iter()
        .filter(|f| f.rule(&rules) != Rule::Base)
        .map(|f| format!("{}: {}", f.key(), f.rule(&rules).key()))
        .collect();
    let mut out = Vec::new();
    if !decided.is_empty() {
        out.push(Line::from(vec![
            label(text::CONSENSUS),
            Span::styled(decided.join(", "), t.fg(t.dim)),
        ]));
    }
    let labels = ws.curators.labels_of(id);
    let disputes: Vec<String> = Field::ALL
        .iter()
        .filter(|f| disagree(**f, &labels))
        .map(|f| {
            let who: Vec<String> = labels
                .iter()
                .filter_map(|(name, l)| Some(format!("{}={}", esc(name), esc(&f.text(l)?))))
                .collect();
            format!("{}: {}", f.key(), who.join(", "))
        })
        .collect();
    if !disputes.is_empty() {
        out.push(Line::from(vec![
            label(text::DISAGREE),
            Span::styled(disputes.join("; "), t.fg(t.warn)),
        ]));
    }
    out
}
