//! The two naming prompts: a flag to toggle (or set on the whole view) and the name under
//! which the current filter is saved as a view.

use super::Next;
use super::prompt::edit;
use crate::tui::action::Action;
use crate::tui::editor::Editor;
use crate::tui::effect::Effect;
use crate::tui::strings;
use crate::tui::widgets::{esc, prompt_box};
use crate::tui::workspace::{Tone, Workspace};
use ratatui::Frame;
use ratatui::layout::Rect;
use safeaware::model::FieldValue;

/// The flag prompt.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FlagPrompt {
    /// The flag name.
    pub editor: Editor,
    /// Set on every item of the view.
    pub bulk: bool,
}

/// Applies one action to the flag prompt.
pub fn update_flag(ws: &mut Workspace, prompt: &mut FlagPrompt, action: Action) -> Next {
    match action {
        Action::Submit => {
            let name = prompt.editor.text().trim().to_string();
            if name.is_empty()
                || name
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || c == ',')
            {
                ws.say(strings::BAD_FLAG, Tone::Error);
                return Next::Stay;
            }
            let Some(item) = ws.current() else {
                return Next::Close;
            };
            let on = prompt.bulk || !item.flags.contains(&name);
            let what = strings::edit::flag(&name, on);
            ws.bulk_armed = prompt.bulk;
            Next::confirm_or_close(ws.label(FieldValue::Flag(name, on), &what))
        }
        Action::Cancel => Next::Close,
        other => {
            edit(&mut prompt.editor, &other);
            Next::Stay
        }
    }
}

/// Paints the flag prompt.
pub fn draw_flag(ws: &Workspace, prompt: &FlagPrompt, frame: &mut Frame, area: Rect) {
    let title = strings::flag_title(prompt.bulk);
    prompt_box::draw(frame, area, &ws.theme, title, &prompt.editor, &[], None);
}

/// Applies one action to the view-name prompt.
pub fn update_view_name(ws: &mut Workspace, editor: &mut Editor, action: Action) -> Next {
    match action {
        Action::Submit => {
            let name = editor.text().trim().to_string();
            if !name.is_empty() {
                ws.views.insert(name.clone(), ws.filter.clone());
                ws.outbox.push(Effect::SaveViews(ws.views.clone()));
                ws.say(strings::saving_view(&name), Tone::Info);
            }
            Next::Close
        }
        Action::Cancel => Next::Close,
        other => {
            edit(editor, &other);
            Next::Stay
        }
    }
}

/// Paints the view-name prompt.
pub fn draw_view_name(ws: &Workspace, editor: &Editor, frame: &mut Frame, area: Rect) {
    let help = vec![strings::saves_filter(&esc(&ws.filter))];
    prompt_box::draw(
        frame,
        area,
        &ws.theme,
        strings::VIEW_NAME_TITLE,
        editor,
        &help,
        None,
    );
}
