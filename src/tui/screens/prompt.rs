//! The keys of every one-line prompt (filter, jump, flag, view name) and the editing they
//! share. Typed characters are text, never commands.

use crate::tui::action::Action;
use crate::tui::editor::Editor;
use crate::tui::keys::{Bindings, commands};
use crate::tui::widgets::footer;

commands! {
    Submit: ["Enter"], "apply", "apply" => Action::Submit;
    Cancel: ["Esc", "Ctrl-c"], "cancel", "cancel" => Action::Cancel;
    Backspace: ["Backspace"], "delete before the cursor", "backspace" => Action::Backspace;
    Delete: ["Delete"], "delete under the cursor", "delete" => Action::Delete;
    Left: ["Left"], "cursor left", "left" => Action::Left;
    Right: ["Right"], "cursor right", "right" => Action::Right;
    Home: ["Home"], "start of the line", "home" => Action::Home;
    End: ["End"], "end of the line", "end" => Action::End;
    KillToStart: ["Ctrl-u"], "delete to the start of the line", "kill line" => Action::KillToStart;
    KillWord: ["Ctrl-w"], "delete the word before the cursor", "kill word" => Action::KillWord;
}

/// Applies an editing action; false for actions that are not editing.
pub fn edit(editor: &mut Editor, action: &Action) -> bool {
    match action {
        Action::Input(c) => editor.insert(*c),
        Action::Paste(text) => editor.insert_str(text),
        Action::Backspace => editor.backspace(),
        Action::Delete => editor.delete(),
        Action::Left => editor.left(),
        Action::Right => editor.right(),
        Action::Home => editor.home(),
        Action::End => editor.end(),
        Action::KillToStart => editor.kill_to_start(),
        Action::KillWord => editor.kill_word(),
        _ => return false,
    }
    true
}

/// The footer of a prompt.
pub fn hints(keys: &Bindings<Command>) -> Vec<(String, String)> {
    footer::hints(keys, &[Command::Submit, Command::Cancel])
}
