//! The filter prompt: a query in the filter language; a bad one stays open with its error.

use super::Next;
use super::prompt::edit;
use crate::tui::action::Action;
use crate::tui::editor::Editor;
use crate::tui::strings;
use crate::tui::widgets::{esc, prompt_box};
use crate::tui::workspace::Workspace;
use ratatui::Frame;
use ratatui::layout::Rect;
use unicode_width::UnicodeWidthStr;

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

/// The 1-based character column a query error names ("column N: ..."), if any.
fn error_column(error: &str) -> Option<usize> {
    let rest = error.strip_prefix("column ")?;
    rest.split(':').next()?.parse().ok()
}

/// Paints the prompt over `area`, with a caret under the term the error names.
pub fn draw(ws: &Workspace, prompt: &FilterPrompt, frame: &mut Frame, area: Rect) {
    let help: Vec<String> = strings::FILTER_HELP.iter().map(|s| s.to_string()).collect();
    let caret = prompt.error.as_deref().and_then(error_column).map(|column| {
        let text = prompt.editor.text();
        let before: String = text.chars().take(column.saturating_sub(1)).collect();
        let term_chars = text
            .chars()
            .skip(column.saturating_sub(1))
            .take_while(|c| !c.is_whitespace())
            .count()
            .max(1);
        prompt_box::Caret {
            column: esc(&before).width(),
            length: term_chars,
        }
    });
    prompt_box::draw_pointing(
        frame,
        area,
        &ws.theme,
        strings::FILTER_TITLE,
        &prompt.editor,
        &help,
        prompt.error.as_deref(),
        caret,
    );
}
