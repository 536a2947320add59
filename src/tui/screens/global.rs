//! Keys that work on every screen without a text field, unless the screen binds the same
//! key itself (the screen's binding shadows the global one; `?` help says so).

use crate::tui::action::Action;
use crate::tui::keys::commands;

commands! {
    Quit: ["q", "Ctrl-c"], "quit", "quit" => Action::Quit;
    Help: ["?"], "help", "help" => Action::ToggleHelp;
}
