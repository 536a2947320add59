//! The detail pane: the current item's image and fields, with warnings where labels
//! disagree.

use super::{
    KeyHints, blind_detail, consensus, esc, gold_text, image_pane, label, status_style, subset_style,
    suggestion, text,
};
use crate::tui::layout::Areas;
use crate::tui::strings;
use crate::tui::workspace::Workspace;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use safeaware::model::{Gold, Item};

/// Paints the detail pane into `areas.detail`.
pub fn draw(ws: &Workspace, keys: &KeyHints, frame: &mut Frame, areas: &Areas) {
    match ws.current_index() {
        Some(i) => draw_item(ws, keys, frame, areas, i),
        None => frame.render_widget(
            Block::default().borders(Borders::ALL).title(" Item "),
            areas.detail,
        ),
    }
}

/// Paints item `i` (a dataset position) into the detail pane; in blind mode only what the
/// curator may see.
pub fn draw_item(ws: &Workspace, keys: &KeyHints, frame: &mut Frame, areas: &Areas, i: usize) {
    let item = &ws.dataset.items[i];
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" Item {} ", esc(&item.id)));
    frame.render_widget(block, areas.detail);
    image_pane::draw(ws, &keys.reveal, frame, areas.image, i, item);
    let lines = if ws.curators.blind {
        blind_detail::lines(ws, keys, item, areas.text)
    } else {
        detail_lines(ws, keys, i, item, areas.text)
    };
    frame.render_widget(
        Paragraph::new(Text::from(lines)).wrap(Wrap { trim: false }),
        areas.text,
    );
}

/// The lines of the detail pane for a text area of `area`. The sentence is cut to about a
/// third of the area (so its labels stay in view) and notes to what the area can show, so
/// a huge sentence or note costs no more than a short one.
fn detail_lines(ws: &Workspace, keys: &KeyHints, i: usize, item: &Item, area: Rect) -> Vec<Line<'static>> {
    let t = &ws.theme;
    let taxonomy = &ws.dataset.manifest.taxonomy;
    let warn = |text: String| Span::styled(format!("  ! {text}"), t.fg(t.error));
    let budget = text::area_budget(area);
    let sentence = text::shown_sentence(&item.sentence, area);
    let mut lines = text::sentence_lines(t, keys, &item.sentence, sentence);
    lines.push(Line::from(vec![
        label(strings::detail::SUBSET),
        Span::styled(item.subset.key(), subset_style(t, item.subset)),
    ]));
    let mut scenario_line = vec![label(strings::detail::SCENARIO)];
    match item.scenario.as_deref() {
        None => scenario_line.push(Span::styled(strings::detail::NONE, t.fg(t.dim))),
        Some(key) => match taxonomy.get(key) {
            Some(s) => {
                let group = s.group.as_deref().map(|g| format!(", {g}")).unwrap_or_default();
                scenario_line.push(Span::raw(format!("{} ({}{group})", esc(&s.name), s.subset)));
                if s.subset != item.subset {
                    scenario_line.push(warn(strings::detail::belongs_to(s.subset.key())));
                }
            }
            None => {
                scenario_line.push(Span::raw(esc(key)));
                scenario_line.push(warn(strings::detail::NOT_IN_TAXONOMY.into()));
            }
        },
    }
    lines.push(Line::from(scenario_line));
    lines.extend(suggestion::line(ws, i, &keys.accept_suggestion));
    let mut gold_line = vec![
        label(strings::detail::GOLD),
        Span::styled(
            format!(
                "{} ({})",
                gold_text(item.gold),
                strings::detail::answer(item.gold == Gold::Safe)
            ),
            if item.gold == Gold::Safe {
                t.fg(t.safe)
            } else {
                t.fg(t.unsafe_)
            },
        ),
    ];
    if item.gold_conflicts_with_subset() {
        gold_line.push(warn(strings::detail::implies(
            item.subset.key(),
            item.subset.implied_gold().key(),
        )));
    }
    for claim in item.provenance.gold_claims.iter().filter(|c| c.gold != item.gold) {
        gold_line.push(warn(strings::detail::says(&esc(&claim.source), claim.gold.key())));
    }
    lines.push(Line::from(gold_line));
    lines.push(Line::from(vec![
        label(strings::detail::STATUS),
        Span::styled(item.status.key(), status_style(t, item.status)),
    ]));
    lines.extend(consensus::lines(ws, i, &item.id));
    if !item.flags.is_empty() {
        let flags: Vec<String> = item.flags.iter().map(|f| esc(f)).collect();
        lines.push(Line::from(vec![
            label(strings::detail::FLAGS),
            Span::raw(flags.join(", ")),
        ]));
    }
    let shared = ws.image_group(i).len();
    if shared > 1 {
        let (prev, next) = (&keys.prev_same_image, &keys.next_same_image);
        lines.push(Line::from(vec![
            label(strings::detail::IMAGE),
            Span::raw(strings::detail::shared(shared, prev, next)),
        ]));
    }
    if let Some(kinds) = ws.findings.get(i).filter(|k| !k.is_empty()) {
        lines.push(Line::from(vec![
            label(strings::detail::FINDINGS),
            Span::styled(kinds.join(", "), t.fg(t.warn)),
        ]));
    }
    if !item.notes.is_empty() {
        lines.push(Line::from(label(strings::detail::NOTES)));
        let notes = text::visible_prefix(&item.notes, budget);
        for note_line in notes.lines() {
            lines.push(Line::from(format!("  {}", esc(note_line))));
        }
    }
    lines.push(Line::from(vec![
        label(strings::detail::SOURCE),
        Span::styled(esc(&item.provenance.source), t.fg(t.dim)),
    ]));
    if let Some(s) = item.scenario.as_deref().and_then(|k| taxonomy.get(k)) {
        lines.push(Line::from(vec![
            label(strings::detail::ABOUT),
            Span::styled(esc(&s.description), t.fg(t.dim)),
        ]));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(strings::QUESTION_HEADING, t.fg(t.dim))));
    let question = ws.dataset.manifest.question_for(sentence);
    for q in question.lines() {
        lines.push(Line::from(Span::styled(esc(q), t.fg(t.dim))));
    }
    lines
}
