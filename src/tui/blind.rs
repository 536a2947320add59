//! Blind mode in the item list: the curator's own seeded order of their items, the keys
//! that may not be used (anything that shows gold, other curators' labels, model
//! responses, suggestions or findings), and moving to the next unanswered item.

use super::action::Action;
use super::strings::curators as text;
use super::workspace::{Tone, Workspace};

/// Turns blind mode on: the view becomes the curator's items in their seeded order (their
/// assignment when there is one), the cursor on the first one they have not answered.
pub fn enter(ws: &mut Workspace) {
    ws.curators.blind = true;
    ws.filter.clear();
    ws.query = Default::default();
    ws.view = ws.curators.blind_order(&ws.dataset);
    ws.count_view();
    ws.list_offset = 0;
    let first_open = ws
        .view
        .iter()
        .position(|&i| !ws.curators.answered(&ws.dataset.items[i].id))
        .unwrap_or(0);
    ws.move_to(first_open);
}

/// Whether the item list takes `action` in blind mode; says why not when it does not.
pub fn allows(ws: &mut Workspace, action: &Action) -> bool {
    let refused = match action {
        Action::OpenCompare | Action::OpenStats | Action::OpenFamily => text::BLIND_NO_RESPONSES,
        Action::AcceptSuggestion => text::BLIND_NO_SUGGESTIONS,
        Action::OpenAdjudicate | Action::OpenHistory => text::BLIND_NO_OTHERS,
        Action::OpenFilter | Action::OpenViews | Action::SaveView | Action::OpenJump => text::BLIND_OWN_ORDER,
        Action::Accept
        | Action::NeedsFix
        | Action::Reject
        | Action::Unreview
        | Action::CycleSubset
        | Action::EditNote
        | Action::ToggleFlag
        | Action::BulkPrefix => text::BLIND_ONLY_ANSWER,
        _ => return true,
    };
    ws.say(refused, Tone::Info);
    false
}

/// Moves to the next (or previous) item of the view the curator has not answered.
pub fn seek_unanswered(ws: &mut Workspace, forward: bool) {
    if !ws.seek(forward, |ws, i| !ws.curators.answered(&ws.dataset.items[i].id)) {
        ws.say(text::ALL_ANSWERED, Tone::Info);
    }
}

/// Done and assigned in blind mode: items of the view the curator answered, and the view.
pub fn done(ws: &Workspace) -> (usize, usize) {
    let done = ws
        .view
        .iter()
        .filter(|&&i| ws.curators.answered(&ws.dataset.items[i].id))
        .count();
    (done, ws.view.len())
}
