//! The pure view: `draw(&State, &mut Frame)` paints the header, the open screen (over
//! the item list when it is an overlay) and the footer with that screen's key hints.

use super::layout;
use super::screens::{
    adjudicate, browse, compare, confirm, family, filter, help, history, jump, name_prompts, note, pager,
    picker, progress, prompt, stats, views,
};
use super::state::{Mode, State};
use super::strings;
use super::widgets::chrome;
use ratatui::Frame;
use ratatui::widgets::{Paragraph, Wrap};

/// Paints the whole screen for `state`.
pub fn draw(state: &State, frame: &mut Frame) {
    let ws = &state.ws;
    let keys = &state.keymap;
    let area = frame.area();
    let Some(areas) = layout::areas(area.width, area.height, ws.read_only.is_some()) else {
        let text = strings::too_small(area.width, area.height, layout::MIN_SIZE);
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    };
    chrome::header(ws, frame, &areas);
    let body = areas.list.union(areas.detail);
    match &state.mode {
        Mode::Compare(view) => compare::draw(ws, view, frame, body),
        Mode::Stats(view) => stats::draw(ws, view, frame, body),
        Mode::Family(view) => family::draw(ws, view, frame, body),
        Mode::Adjudicate(view) => {
            adjudicate::draw(ws, view, &browse::detail_hints(&keys.browse), frame, &areas)
        }
        _ => browse::draw(ws, &keys.browse, frame, &areas),
    }
    let hints = match &state.mode {
        Mode::Browse => browse::hints(&keys.browse, &keys.global, ws.curators.blind),
        Mode::Compare(view) => compare::hints(ws, view, &keys.compare),
        Mode::Stats(_) => stats::hints(&keys.stats),
        Mode::Family(_) => family::hints(&keys.family),
        Mode::Views(_) => views::hints(&keys.views),
        Mode::Confirm(_) => confirm::hints(&keys.confirm),
        Mode::Help(_) => help::hints(&keys.help),
        Mode::History(_) => history::hints(&keys.history),
        Mode::Scenario(_) => picker::hints(&keys.picker),
        Mode::Note(_) => note::hints(&keys.note),
        Mode::Pager(_) => pager::hints(&keys.help),
        Mode::Progress(_) => progress::hints(&keys.help),
        Mode::Adjudicate(_) => adjudicate::hints(&keys.adjudicate),
        Mode::Filter(_) | Mode::Jump(_) | Mode::Flag(_) | Mode::ViewName(_) => prompt::hints(&keys.prompt),
    };
    let more_key = keys.global.first_key(super::screens::global::Command::Help);
    chrome::footer(ws, &hints, &more_key, frame, &areas);
    match &state.mode {
        Mode::Browse | Mode::Compare(_) | Mode::Stats(_) | Mode::Family(_) | Mode::Adjudicate(_) => {}
        Mode::Progress(offset) => progress::draw(ws, *offset, frame, area),
        Mode::Help(view) => help::draw(ws, view, frame, area),
        Mode::Filter(p) => filter::draw(ws, p, frame, area),
        Mode::Jump(p) => jump::draw(ws, p, frame, area),
        Mode::Flag(p) => name_prompts::draw_flag(ws, p, frame, area),
        Mode::ViewName(editor) => name_prompts::draw_view_name(ws, editor, frame, area),
        Mode::Scenario(p) => picker::draw(ws, p, frame, area),
        Mode::Note(editor) => note::draw(ws, editor, &keys.note, frame, area),
        Mode::Confirm(plan) => confirm::draw(ws, plan, &keys.confirm, frame, area),
        Mode::History(view) => history::draw(ws, view, frame, area),
        Mode::Views(selected) => views::draw(ws, *selected, frame, area),
        Mode::Pager(view) => pager::draw(ws, view, frame, area),
    }
}
