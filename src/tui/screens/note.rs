//! The note editor: a `ratatui-textarea` with word wrap; the save key writes the note,
//! the cancel key leaves it as it was. Pasted text goes in as one edit.

use super::Next;
use crate::tui::action::Action;
use crate::tui::keys::{Bindings, commands};
use crate::tui::layout;
use crate::tui::strings;
use crate::tui::widgets::{esc, footer, overlay_block};
use crate::tui::workspace::{Tone, Workspace};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::Clear;
use ratatui_textarea::{CursorMove, TextArea, WrapMode};
use safeaware::model::FieldValue;

commands! {
    Save: ["Ctrl-s"], "save the note", "save" => Action::SaveNote;
    Cancel: ["Esc", "Ctrl-c"], "leave the note as it was", "cancel" => Action::Cancel;
    Newline: ["Enter"], "new line", "new line" => Action::Newline;
    Backspace: ["Backspace"], "delete before the cursor", "backspace" => Action::Backspace;
    Delete: ["Delete"], "delete under the cursor", "delete" => Action::Delete;
    Left: ["Left"], "cursor left", "left" => Action::Left;
    Right: ["Right"], "cursor right", "right" => Action::Right;
    Up: ["Up"], "cursor up", "up" => Action::Up;
    Down: ["Down"], "cursor down", "down" => Action::Down;
    Home: ["Home"], "start of the line", "home" => Action::Home;
    End: ["End"], "end of the line", "end" => Action::End;
}

/// The note being edited.
#[derive(Debug, Clone)]
pub struct NoteEditor {
    /// The text area (wraps at word boundaries).
    pub text: TextArea<'static>,
}

impl NoteEditor {
    /// An editor holding `note` (control characters shown escaped), cursor at the end.
    pub fn new(note: &str) -> NoteEditor {
        let lines: Vec<String> = note.split('\n').map(esc).collect();
        let mut text = TextArea::new(lines);
        text.set_wrap_mode(WrapMode::WordOrGlyph);
        text.set_cursor_line_style(Style::default());
        text.set_cursor_style(Style::default().add_modifier(Modifier::REVERSED));
        text.move_cursor(CursorMove::Bottom);
        text.move_cursor(CursorMove::End);
        NoteEditor { text }
    }

    /// The note as typed.
    pub fn note(&self) -> String {
        self.text.lines().join("\n")
    }
}

/// Applies one action to the editor.
pub fn update(ws: &mut Workspace, editor: &mut NoteEditor, action: Action) -> Next {
    let text = &mut editor.text;
    match action {
        Action::SaveNote => {
            let notes = editor.note().trim_end().to_string();
            return Next::confirm_or_close(ws.label(FieldValue::Notes(notes), strings::edit::NOTE_SAVED));
        }
        Action::Cancel => {
            ws.say(strings::NOTE_UNCHANGED, Tone::Info);
            return Next::Close;
        }
        Action::Input(c) => text.insert_char(if c == '\t' { ' ' } else { c }),
        Action::Paste(pasted) => {
            text.insert_str(pasted.replace('\r', ""));
        }
        Action::Newline | Action::Submit => text.insert_newline(),
        Action::Backspace => {
            text.delete_char();
        }
        Action::Delete => {
            text.delete_next_char();
        }
        Action::Left => text.move_cursor(CursorMove::Back),
        Action::Right => text.move_cursor(CursorMove::Forward),
        Action::Up => text.move_cursor(CursorMove::Up),
        Action::Down => text.move_cursor(CursorMove::Down),
        Action::Home => text.move_cursor(CursorMove::Head),
        Action::End => text.move_cursor(CursorMove::End),
        _ => {}
    }
    Next::Stay
}

/// Paints the editor over `area`.
pub fn draw(ws: &Workspace, editor: &NoteEditor, keys: &Bindings<Command>, frame: &mut Frame, area: Rect) {
    let rect = layout::centered(area, 80, 14);
    frame.render_widget(Clear, rect);
    let id = ws.current().map(|i| esc(&i.id)).unwrap_or_default();
    let title = strings::note_title(
        &id,
        &keys.first_key(Command::Save),
        &keys.first_key(Command::Cancel),
    );
    let block = overlay_block(&title, &ws.theme);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    frame.render_widget(&editor.text, inner);
}

/// The footer of the editor.
pub fn hints(keys: &Bindings<Command>) -> Vec<(String, String)> {
    footer::hints(keys, &[Command::Save, Command::Cancel])
}
