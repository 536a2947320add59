//! The detail pane in blind mode: the sentence, the benchmark's question, and only the
//! curator's own answer and scenario. Gold, subset, status, findings, suggestions, notes
//! and the consensus stay hidden (the imported values would give the answer away).

use super::{KeyHints, esc, gold_text, label, text};
use crate::tui::strings;
use crate::tui::strings::curators as words;
use crate::tui::workspace::Workspace;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use safeaware::model::{Gold, Item};

/// The lines of the blind detail pane for a text area of `area`.
pub fn lines(ws: &Workspace, keys: &KeyHints, item: &Item, area: Rect) -> Vec<Line<'static>> {
    let t = &ws.theme;
    let sentence = text::shown_sentence(&item.sentence, area);
    let mut lines = text::sentence_lines(t, keys, &item.sentence, sentence);
    let own = ws.curators.own(&item.id);
    let answer = match own.and_then(|l| l.gold) {
        Some(gold) => Span::styled(
            format!(
                "{} ({})",
                gold_text(gold),
                strings::detail::answer(gold == Gold::Safe)
            ),
            if gold == Gold::Safe {
                t.fg(t.safe)
            } else {
                t.fg(t.unsafe_)
            },
        ),
        None => Span::styled(
            words::not_answered(&keys.gold_safe, &keys.gold_unsafe),
            t.fg(t.warn),
        ),
    };
    lines.push(Line::from(vec![label(words::YOUR_ANSWER), answer]));
    let taxonomy = &ws.dataset.manifest.taxonomy;
    let scenario = match own.and_then(|l| l.scenario_value()).flatten() {
        Some(key) => Span::raw(taxonomy.get(&key).map_or_else(|| esc(&key), |s| esc(&s.name))),
        None => Span::styled(words::no_scenario(&keys.scenario), t.fg(t.dim)),
    };
    lines.push(Line::from(vec![label(words::YOUR_SCENARIO), scenario]));
    if let Some(seconds) = own.map(|l| l.seconds).filter(|s| *s > 0) {
        lines.push(Line::from(Span::styled(
            words::seconds_spent(seconds),
            t.fg(t.dim),
        )));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(strings::QUESTION_HEADING, t.fg(t.dim))));
    let question = ws.dataset.manifest.question_for(sentence);
    for q in question.lines() {
        lines.push(Line::from(Span::styled(esc(q), t.fg(t.dim))));
    }
    lines
}
