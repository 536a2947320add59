//! The jump-to-id prompt: moves the cursor to an item, clearing the filter if it hides it.

use super::Next;
use super::prompt::edit;
use crate::tui::action::Action;
use crate::tui::editor::Editor;
use crate::tui::strings;
use crate::tui::widgets::prompt_box;
use crate::tui::workspace::{Tone, Workspace};
use ratatui::Frame;
use ratatui::layout::Rect;
use safeaware::query::Query;

/// The id being typed and the error of the last attempt.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JumpPrompt {
    /// The id text.
    pub editor: Editor,
    /// Why the last attempt failed.
    pub error: Option<String>,
}

/// Applies one action to the prompt.
pub fn update(ws: &mut Workspace, prompt: &mut JumpPrompt, action: Action) -> Next {
    match action {
        Action::Submit => {
            let id = prompt.editor.text().trim().to_string();
            let Some(i) = ws.dataset.position(&id) else {
                let shown = safeaware::text::escape_for_display(&id).into_owned();
                prompt.error = Some(strings::no_item(&shown));
                return Next::Stay;
            };
            if ws.view.binary_search(&i).is_err() {
                ws.filter.clear();
                ws.query = Query::default();
                ws.view = (0..ws.dataset.items.len()).collect();
                ws.count_view();
                ws.say(strings::filter_cleared_for(&id), Tone::Info);
            }
            let position = ws.view.binary_search(&i).unwrap_or(0);
            ws.move_to(position);
            Next::Close
        }
        Action::Cancel => Next::Close,
        other => {
            if edit(&mut prompt.editor, &other) {
                prompt.error = None;
            }
            Next::Stay
        }
    }
}

/// Paints the prompt over `area`.
pub fn draw(ws: &Workspace, prompt: &JumpPrompt, frame: &mut Frame, area: Rect) {
    prompt_box::draw(
        frame,
        area,
        &ws.theme,
        strings::JUMP_TITLE,
        &prompt.editor,
        &[],
        prompt.error.as_deref(),
    );
}
