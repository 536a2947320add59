//! The filter prompt: a query in the filter language; a bad one stays open with its error.

use super::Next;
use super::prompt::edit;
use crate::tui::action::Action;
use crate::tui::editor::Editor;
use crate::tui::strings;
use crate::tui::widgets::prompt_box;
use crate::tui::workspace::Workspace;
use ratatui::Frame;
use ratatui::layout::Rect;

/// The filter being typed and the error of the last attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterPrompt {
    /// The query text.
    pub editor: Editor,
    /// Why the last attempt did not parse.
    pub error: Option<String>,
}

impl FilterPrompt {
    /// A prompt holding `text`.
    pub fn new(text: &str) -> FilterPrompt {
        FilterPrompt {
            editor: Editor::line(text),
            error: None,
        }
    }
}

/// Applies one action to the prompt.
pub fn update(ws: &mut Workspace, prompt: &mut FilterPrompt, action: Action) -> Next {
    match action {
        Action::Submit => match ws.apply_filter(&prompt.editor.text()) {
            Ok(()) => Next::Close,
            Err(e) => {
                prompt.error = Some(e);
                Next::Stay
            }
        },
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
pub fn draw(ws: &Workspace, prompt: &FilterPrompt, frame: &mut Frame, area: Rect) {
    let help: Vec<String> = strings::FILTER_HELP.iter().map(|s| s.to_string()).collect();
    prompt_box::draw(
        frame,
        area,
        &ws.theme,
        strings::FILTER_TITLE,
        &prompt.editor,
        &help,
        prompt.error.as_deref(),
    );
}
