//! The item list and detail: moving through the view and labelling the current item
//! (or, after the bulk key, the whole view).

use super::{Next, Open};
use crate::tui::action::Action;
use crate::tui::blind;
use crate::tui::effect::Effect;
use crate::tui::keys::{Bindings, commands};
use crate::tui::layout::{self, Areas};
use crate::tui::strings;
use crate::tui::widgets::{KeyHints, detail, item_list};
use crate::tui::workspace::{Tone, Workspace};
use ratatui::Frame;
use safeaware::model::{FieldValue, Gold, Status, Subset};

commands! {
    GoldSafe: ["y"], "gold: safe (Yes)", "safe" => Action::GoldSafe;
    GoldUnsafe: ["n"], "gold: unsafe (No)", "unsafe" => Action::GoldUnsafe;
    Accept: ["a"], "accept", "accept" => Action::Accept;
    NeedsFix: ["f"], "needs fix", "fix" => Action::NeedsFix;
    Reject: ["x"], "reject", "reject" => Action::Reject;
    Unreview: ["r"], "back to unreviewed", "unreview" => Action::Unreview;
    PickScenario: ["s"], "pick scenario", "scenario" => Action::PickScenario;
    AcceptSuggestion: ["p"], "accept the proposed (suggested) scenario (after B: every suggestion in the view)", "accept suggestion" => Action::AcceptSuggestion;
    Family: ["m"], "the item's variant family: base, variants, verdicts", "family" => Action::OpenFamily;
    CycleSubset: ["b"], "cycle subset", "subset" => Action::CycleSubset;
    EditNote: ["e"], "edit note", "note" => Action::EditNote;
    ToggleFlag: ["F"], "toggle a flag", "flag" => Action::ToggleFlag;
    Bulk: ["B"], "bulk: next label applies to the whole view", "bulk" => Action::BulkPrefix;
    Undo: ["u"], "undo", "undo" => Action::Undo;
    Redo: ["Ctrl-r"], "redo", "redo" => Action::Redo;
    Down: ["j", "Down"], "next item", "down" => Action::Down;
    Up: ["k", "Up"], "previous item", "up" => Action::Up;
    PageDown: ["PageDown", "Ctrl-d"], "page down", "page down" => Action::PageDown;
    PageUp: ["PageUp", "Ctrl-u"], "page up", "page up" => Action::PageUp;
    Top: ["g", "Home"], "first item", "top" => Action::Top;
    Bottom: ["G", "End"], "last item", "bottom" => Action::Bottom;
    NextUnreviewed: ["]"], "next unreviewed", "next unreviewed" => Action::NextUnreviewed;
    PrevUnreviewed: ["["], "previous unreviewed", "previous unreviewed" => Action::PrevUnreviewed;
    NextSameImage: ["}"], "next item with the same image", "next same image" => Action::NextSameImage;
    PrevSameImage: ["{"], "previous item with the same image", "previous same image" => Action::PrevSameImage;
    Filter: ["/"], "filter", "filter" => Action::OpenFilter;
    Jump: [":"], "jump to id", "jump" => Action::OpenJump;
    Views: ["v"], "queues and saved views", "views" => Action::OpenViews;
    SaveView: ["S"], "save filter as a view", "save view" => Action::SaveView;
    History: ["h"], "item history", "history" => Action::OpenHistory;
    RevealImage: ["i"], "reveal hidden image", "reveal" => Action::RevealImage;
    FullText: ["o"], "read the whole sentence in a pager", "full text" => Action::OpenFullText;
    Compare: ["c"], "compare every model's response", "compare" => Action::OpenCompare;
    Stats: ["t"], "error rates by model, subset and scenario", "stats" => Action::OpenStats;
    Adjudicate: ["D"], "adjudicate: items where curators disagree (disputes)", "adjudicate" => Action::OpenAdjudicate;
    Progress: ["P"], "progress per curator: done / assigned, items per hour, time left", "progress" => Action::OpenProgress;
    Cancel: ["Esc"], "cancel bulk, clear the message", "cancel" => Action::Cancel;
}

/// The commands shown in the footer, in order (the global help and quit follow).
pub const HINTS: [Command; 10] = [
    Command::GoldSafe,
    Command::GoldUnsafe,
    Command::Accept,
    Command::NeedsFix,
    Command::Reject,
    Command::PickScenario,
    Command::EditNote,
    Command::Bulk,
    Command::Filter,
    Command::Undo,
];

/// The footer commands in blind mode: only what blind mode allows.
pub const BLIND_HINTS: [Command; 6] = [
    Command::GoldSafe,
    Command::GoldUnsafe,
    Command::PickScenario,
    Command::Down,
    Command::Undo,
    Command::Progress,
];

/// Applies one action to the item list.
pub fn update(ws: &mut Workspace, action: Action) -> Next {
    if ws.curators.blind && !blind::allows(ws, &action) {
        return Next::Stay;
    }
    let page = ws.page() as isize;
    match action {
        Action::Down => ws.move_by(1),
        Action::Up => ws.move_by(-1),
        Action::PageDown => ws.move_by(page),
        Action::PageUp => ws.move_by(-page),
        Action::Top => ws.move_to(0),
        Action::Bottom => ws.move_to(ws.view.len().saturating_sub(1)),
        Action::Scroll(delta) => ws.move_by(isize::from(delta)),
        Action::Click(column, row) => click(ws, column, row),
        Action::NextUnreviewed if ws.curators.blind => blind::seek_unanswered(ws, true),
        Action::PrevUnreviewed if ws.curators.blind => blind::seek_unanswered(ws, false),
        Action::NextUnreviewed => seek_unreviewed(ws, true),
        Action::PrevUnreviewed => seek_unreviewed(ws, false),
        Action::NextSameImage => seek_same_image(ws, true),
        Action::PrevSameImage => seek_same_image(ws, false),
        Action::GoldSafe => return label(ws, FieldValue::Gold(Gold::Safe), strings::edit::GOLD_SAFE),
        Action::GoldUnsafe => return label(ws, FieldValue::Gold(Gold::Unsafe), strings::edit::GOLD_UNSAFE),
        Action::Accept => return label(ws, FieldValue::Status(Status::Accepted), strings::edit::ACCEPTED),
        Action::NeedsFix => return label(ws, FieldValue::Status(Status::NeedsFix), strings::edit::NEEDS_FIX),
        Action::Reject => return label(ws, FieldValue::Status(Status::Rejected), strings::edit::REJECTED),
        Action::Unreview => {
            return label(
                ws,
                FieldValue::Status(Status::Unreviewed),
                strings::edit::UNREVIEWED,
            );
        }
        Action::CycleSubset => {
            if let Some(item) = ws.current() {
                let next = match item.subset {
                    Subset::Typical => Subset::Attack,
                    Subset::Attack => Subset::OverSafety,
                    Subset::OverSafety => Subset::Typical,
                };
                return label(ws, FieldValue::Subset(next), &strings::edit::subset(next.key()));
            }
        }
        Action::PickScenario => return open_labeller(ws, |bulk| Open::Picker { bulk }),
        Action::AcceptSuggestion => return Next::confirm_or_stay(ws.accept_suggestion()),
        Action::OpenFamily => return super::family::open(ws),
        Action::EditNote => {
            if ws.refuse_if_read_only() {
                return Next::Stay;
            }
            if std::mem::take(&mut ws.bulk_armed) {
                ws.say(strings::BULK_NOT_FOR_NOTES, Tone::Error);
                return Next::Stay;
            }
            if let Some(item) = ws.current() {
                return Next::Open(Open::Note(item.notes.clone()));
            }
        }
        Action::ToggleFlag => return open_labeller(ws, |bulk| Open::Flag { bulk }),
        Action::BulkPrefix if !ws.refuse_if_read_only() => {
            ws.bulk_armed = !ws.bulk_armed;
            let text = if ws.bulk_armed {
                strings::bulk_armed(ws.view.len())
            } else {
                strings::BULK_CANCELLED.to_string()
            };
            ws.say(text, Tone::Info);
        }
        Action::Undo => ws.undo_or_redo(false),
        Action::Redo => ws.undo_or_redo(true),
        Action::OpenFilter => {
            return Next::Open(Open::Filter {
                text: ws.filter.clone(),
                error: None,
            });
        }
        Action::OpenJump => return Next::Open(Open::Jump),
        Action::OpenViews => return Next::Open(Open::Views),
        Action::SaveView => {
            if ws.refuse_if_read_only() {
                return Next::Stay;
            }
            if ws.filter.trim().is_empty() {
                ws.say(strings::FILTER_FIRST, Tone::Error);
            } else {
                return Next::Open(Open::ViewName);
            }
        }
        Action::ToggleHelp => return Next::Open(Open::Help),
        Action::OpenCompare if ws.eval_ready() => return Next::Open(Open::Compare),
        Action::OpenStats if ws.eval_ready() => return Next::Open(Open::Stats),
        Action::OpenAdjudicate => return super::adjudicate::open(ws),
        Action::OpenProgress => return Next::Open(Open::Progress),
        Action::OpenHistory => {
            if let Some(item) = ws.current() {
                let id = item.id.clone();
                ws.outbox.push(Effect::LoadHistory(id.clone()));
                return Next::Open(Open::History(id));
            }
        }
        Action::OpenFullText => {
            if let Some(i) = ws.current_index() {
                return Next::Open(Open::Pager(i));
            }
        }
        Action::RevealImage => {
            if let Some(i) = ws.current_index() {
                if !ws.revealed.remove(&i) {
                    ws.revealed.insert(i);
                }
                ws.request_images();
            }
        }
        Action::Cancel => {
            if std::mem::take(&mut ws.bulk_armed) {
                ws.say(strings::BULK_CANCELLED, Tone::Info);
            } else {
                ws.message = None;
            }
        }
        Action::Quit => {
            ws.time_visit(None);
            ws.quit = true;
        }
        _ => {}
    }
    Next::Stay
}

/// Opens a screen that labels the current item (or, in bulk, the view).
fn open_labeller(ws: &mut Workspace, screen: impl FnOnce(bool) -> Open) -> Next {
    if ws.refuse_if_read_only() || ws.current().is_none() {
        return Next::Stay;
    }
    let bulk = std::mem::take(&mut ws.bulk_armed);
    Next::Open(screen(bulk))
}

/// Labels the current item; in bulk, asks for a confirmation first.
fn label(ws: &mut Workspace, value: FieldValue, what: &str) -> Next {
    match ws.label(value, what) {
        Some(plan) => Next::Open(Open::Confirm(plan)),
        None => Next::Stay,
    }
}

fn click(ws: &mut Workspace, column: u16, row: u16) {
    let Some(areas) = layout::areas(ws.size.0, ws.size.1, ws.read_only.is_some()) else {
        return;
    };
    let list = areas.list;
    let first_row = list.y + 2;
    if column > list.x
        && column < list.x + list.width - 1
        && row >= first_row
        && row < list.y + list.height - 1
    {
        let position = ws.list_offset + usize::from(row - first_row);
        if position < ws.view.len() {
            ws.move_to(position);
        }
    }
}

fn seek_unreviewed(ws: &mut Workspace, forward: bool) {
    if !ws.seek(forward, |ws, i| ws.dataset.items[i].status == Status::Unreviewed) {
        ws.say(strings::NO_UNREVIEWED, Tone::Info);
    }
}

fn seek_same_image(ws: &mut Workspace, forward: bool) {
    let Some(i) = ws.current_index() else { return };
    let group = ws.image_group(i).to_vec();
    if group.len() < 2 {
        ws.say(strings::NO_SHARED_IMAGE, Tone::Info);
        return;
    }
    let here = group.iter().position(|&g| g == i).unwrap_or(0);
    let n = group.len();
    let next = group[if forward {
        (here + 1) % n
    } else {
        (here + n - 1) % n
    }];
    if let Some(p) = ws.view.iter().position(|&v| v == next) {
        ws.move_to(p);
    } else {
        let id = safeaware::text::escape_for_display(&ws.dataset.items[next].id).into_owned();
        ws.say(strings::shared_but_hidden(&id), Tone::Info);
    }
}

/// Paints the item list and the current item's detail.
pub fn draw(ws: &Workspace, keys: &Bindings<Command>, frame: &mut Frame, areas: &Areas) {
    item_list::draw(ws, frame, areas);
    detail::draw(ws, &detail_hints(keys), frame, areas);
}

/// The keys the detail pane mentions, from the item list's bindings.
pub fn detail_hints(keys: &Bindings<Command>) -> KeyHints {
    KeyHints {
        reveal: keys.first_key(Command::RevealImage),
        full_text: keys.first_key(Command::FullText),
        prev_same_image: keys.first_key(Command::PrevSameImage),
        next_same_image: keys.first_key(Command::NextSameImage),
        accept_suggestion: keys.first_key(Command::AcceptSuggestion),
        gold_safe: keys.first_key(Command::GoldSafe),
        gold_unsafe: keys.first_key(Command::GoldUnsafe),
        scenario: keys.first_key(Command::PickScenario),
    }
}

/// The footer: the main labels, then the global help and quit.
pub fn hints(
    keys: &Bindings<Command>,
    global: &Bindings<super::global::Command>,
    blind: bool,
) -> Vec<(String, String)> {
    use crate::tui::widgets::footer::hints as of;
    let mut out = of(keys, if blind { &BLIND_HINTS } else { &HINTS });
    out.extend(of(
        global,
        &[super::global::Command::Help, super::global::Command::Quit],
    ));
    out
}
