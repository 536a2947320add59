//! The scenario picker: typing narrows the taxonomy, Enter sets the highlighted scenario
//! on the current item (or, in bulk, plans it for the view).

use super::Next;
use super::prompt::edit;
use crate::tui::action::Action;
use crate::tui::editor::Editor;
use crate::tui::keys::{Bindings, commands};
use crate::tui::layout;
use crate::tui::strings;
use crate::tui::widgets::{cursor_in, esc, footer, overlay_block};
use crate::tui::workspace::Workspace;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use safeaware::model::FieldValue;

commands! {
    Up: ["Up"], "previous choice", "choose" => Action::Up;
    Down: ["Down", "Tab"], "next choice", "choose" => Action::Down;
    Submit: ["Enter"], "set the scenario", "set" => Action::Submit;
    Cancel: ["Esc", "Ctrl-c"], "cancel", "cancel" => Action::Cancel;
    Backspace: ["Backspace"], "delete before the cursor", "backspace" => Action::Backspace;
    Delete: ["Delete"], "delete under the cursor", "delete" => Action::Delete;
    Left: ["Left"], "cursor left", "left" => Action::Left;
    Right: ["Right"], "cursor right", "right" => Action::Right;
    Home: ["Home"], "start of the line", "home" => Action::Home;
    End: ["End"], "end of the line", "end" => Action::End;
}

/// The picker: typed text and the highlighted choice.
#[derive(Debug, Clone, PartialEq)]
pub struct Picker {
    /// Filter text.
    pub input: Editor,
    /// Index into the filtered choices.
    pub selected: usize,
    /// Apply to the whole view (bulk) rather than the current item.
    pub bulk: bool,
}

impl Picker {
    /// An empty picker.
    pub fn new(bulk: bool) -> Picker {
        Picker {
            input: Editor::line(""),
            selected: 0,
            bulk,
        }
    }

    /// A picker for the current item, highlighting its suggested scenario, else its own,
    /// else the first scenario of its subset: never "(none)", so Enter does not clear a
    /// scenario by accident.
    pub fn open(ws: &Workspace, bulk: bool) -> Picker {
        let mut picker = Picker::new(bulk);
        let Some(i) = ws.current_index() else {
            return picker;
        };
        let want = if ws.curators.blind {
            ws.curators
                .own(&ws.dataset.items[i].id)
                .and_then(|l| l.scenario_value())
                .flatten()
        } else {
            ws.suggestion(i)
                .map(|s| s.scenario.clone())
                .or_else(|| ws.dataset.items[i].scenario.clone())
        };
        let choices = choices(ws, "");
        picker.selected = want
            .and_then(|key| {
                choices
                    .iter()
                    .position(|(k, _)| k.as_deref() == Some(key.as_str()))
            })
            .unwrap_or(0);
        picker
    }
}

/// The scenario choices matching the picker's text: (key or None for "no scenario",
/// label). The scenarios of the current item's subset come first, "(none)" last.
pub fn choices(ws: &Workspace, filter: &str) -> Vec<(Option<String>, String)> {
    let needle = filter.to_lowercase();
    // Blind mode lists every scenario in taxonomy order: the item's subset would hint gold.
    let subset = ws
        .current()
        .filter(|_| !ws.curators.blind)
        .map(|item| item.subset);
    let mut out = Vec::new();
    let mut others = Vec::new();
    for s in &ws.dataset.manifest.taxonomy.scenarios {
        let group = s.group.as_deref().unwrap_or("");
        let haystack = format!("{} {} {} {}", s.name, s.key, s.subset, group).to_lowercase();
        if needle.split_whitespace().all(|w| haystack.contains(w)) {
            let label = format!("{:<40} {:<11} {}", s.name, s.subset.key(), group);
            let choice = (Some(s.key.clone()), label);
            if subset.is_none_or(|own| own == s.subset) {
                out.push(choice);
            } else {
                others.push(choice);
            }
        }
    }
    out.extend(others);
    if needle.is_empty() || "none".contains(&needle) {
        out.push((None, strings::CLEAR_SCENARIO.to_string()));
    }
    out
}

/// Applies one action to the picker.
pub fn update(ws: &mut Workspace, picker: &mut Picker, action: Action) -> Next {
    let choices = choices(ws, &picker.input.text());
    match action {
        Action::Up => picker.selected = picker.selected.saturating_sub(1),
        Action::Down => picker.selected = (picker.selected + 1).min(choices.len().saturating_sub(1)),
        Action::Submit => {
            let Some((key, _)) = choices.get(picker.selected).cloned() else {
                return Next::Close;
            };
            let what = strings::edit::scenario(key.as_deref());
            ws.bulk_armed = picker.bulk;
            return Next::confirm_or_close(ws.label(FieldValue::Scenario(key), &what));
        }
        Action::Cancel => return Next::Close,
        other => {
            if edit(&mut picker.input, &other) {
                picker.selected = 0;
            }
        }
    }
    Next::Stay
}

/// Paints the picker over `area`.
pub fn draw(ws: &Workspace, picker: &Picker, frame: &mut Frame, area: Rect) {
    let t = &ws.theme;
    let choices = choices(ws, &picker.input.text());
    let rect = place(ws, area, choices.len());
    frame.render_widget(Clear, rect);
    let visible = rect.height.saturating_sub(4) as usize;
    let start = picker.selected.saturating_sub(visible.saturating_sub(1));
    let mut lines = vec![
        Line::from(format!("> {}", esc(&picker.input.text()))),
        Line::from(""),
    ];
    for (n, (_, text)) in choices.iter().enumerate().skip(start).take(visible) {
        let style = if n == picker.selected {
            t.selected()
        } else {
            Style::default()
        };
        lines.push(Line::from(Span::styled(text.clone(), style)));
    }
    if choices.is_empty() {
        lines.push(Line::from(Span::styled(
            strings::NO_SCENARIO_MATCHES,
            t.fg(t.dim),
        )));
    }
    let title = strings::picker_title(picker.bulk);
    frame.render_widget(Paragraph::new(lines).block(overlay_block(title, t)), rect);
    frame.set_cursor_position(cursor_in(rect, 3, picker.input.cursor_column(), 1, 0));
}

/// Where the picker goes: over the item list, so that the current item's sentence in
/// the detail pane stays readable; centred when the layout is unknown.
fn place(ws: &Workspace, area: Rect, choices: usize) -> Rect {
    let wanted = (choices as u16).saturating_add(5);
    match layout::areas(ws.size.0, ws.size.1, ws.read_only.is_some()) {
        Some(areas) => {
            let list = areas.list.intersection(area);
            Rect {
                height: wanted.min(list.height),
                ..list
            }
        }
        None => layout::centered(area, 80, wanted.min(area.height.saturating_sub(2))),
    }
}

/// The footer of the picker.
pub fn hints(keys: &Bindings<Command>) -> Vec<(String, String)> {
    let mut out = vec![
        (strings::TYPE.to_string(), strings::TO_FILTER.to_string()),
        footer::pair(keys, Command::Up, Command::Down, "choose"),
    ];
    out.extend(footer::hints(keys, &[Command::Submit, Command::Cancel]));
    out
}
