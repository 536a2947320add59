//! The bulk confirmation: how many items a bulk label changes, applied as one action.

use super::Next;
use crate::tui::action::Action;
use crate::tui::keys::{Bindings, commands};
use crate::tui::labeling::BulkPlan;
use crate::tui::layout;
use crate::tui::strings;
use crate::tui::widgets::{bold, esc, footer, overlay_block};
use crate::tui::workspace::{Tone, Workspace};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

commands! {
    Apply: ["y", "Enter"], "apply the bulk edit", "apply" => Action::Submit;
    Cancel: ["n", "Esc", "q", "Ctrl-c"], "cancel", "cancel" => Action::Cancel;
}

/// Applies one action to the confirmation.
pub fn update(ws: &mut Workspace, plan: &BulkPlan, action: Action) -> Next {
    match action {
        Action::Submit => {
            ws.apply_bulk(plan.clone());
            Next::Close
        }
        Action::Cancel | Action::Quit => {
            ws.say(strings::BULK_CANCELLED, Tone::Info);
            Next::Close
        }
        _ => Next::Stay,
    }
}

/// Paints the confirmation over `area`.
pub fn draw(ws: &Workspace, plan: &BulkPlan, keys: &Bindings<Command>, frame: &mut Frame, area: Rect) {
    let t = &ws.theme;
    let rect = layout::centered(area, 70, 7);
    frame.render_widget(Clear, rect);
    let apply = keys.keys_of(Command::Apply).join(" / ");
    let cancel: Vec<String> = keys.keys_of(Command::Cancel).into_iter().take(2).collect();
    let cancel = cancel.join(" / ");
    let lines = vec![
        Line::from(Span::styled(
            strings::bulk_question(&esc(&plan.labeling.what), plan.ids.len()),
            bold(),
        )),
        Line::from(strings::bulk_in_view(plan.view_len, plan.ids.len())),
        Line::from(strings::BULK_UNDO_HINT),
        Line::from(Span::styled(
            format!("{apply} apply · {cancel} cancel"),
            t.fg(t.accent),
        )),
    ];
    frame.render_widget(
        Paragraph::new(lines).block(overlay_block(strings::BULK_TITLE, t)),
        rect,
    );
}

/// The footer of the confirmation.
pub fn hints(keys: &Bindings<Command>) -> Vec<(String, String)> {
    footer::hints(keys, &[Command::Apply, Command::Cancel])
}
