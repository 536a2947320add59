//! Pieces of screen shared by several screens, and small drawing helpers.

pub mod blind_detail;
pub mod chrome;
pub mod consensus;
pub mod detail;
pub mod footer;
pub mod image_pane;
pub mod item_list;
pub mod prompt_box;
pub mod suggestion;
pub mod text;

use super::theme::Theme;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders};
use safeaware::eval::Outcome;
use safeaware::model::{Gold, Status, Subset};
use safeaware::text::escape_for_display;

/// Key names the detail pane mentions (from the keymap in force).
#[derive(Debug, Clone)]
pub struct KeyHints {
    /// Reveals a hidden image.
    pub reveal: String,
    /// Previous item with the same image.
    pub prev_same_image: String,
    /// Next item with the same image.
    pub next_same_image: String,
    /// Accepts the suggested scenario.
    pub accept_suggestion: String,
    /// Opens the whole sentence in a pager.
    pub full_text: String,
    /// Answers safe (blind mode says so).
    pub gold_safe: String,
    /// Answers unsafe.
    pub gold_unsafe: String,
    /// Opens the scenario picker.
    pub scenario: String,
}

/// A field label, padded to the detail pane's label column.
pub fn label(name: &str) -> Span<'static> {
    Span::styled(format!("{name:<9}"), bold())
}

/// Text from data, escaped for the terminal.
pub fn esc(s: &str) -> String {
    escape_for_display(s).into_owned()
}

/// Bold.
pub fn bold() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}

/// The bordered box of an overlay, titled.
pub fn overlay_block(title: &str, theme: &Theme) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .title(format!(" {title} "))
        .border_style(theme.fg(theme.accent))
}

/// The terminal cursor for text at (`line`, `column`) of a box starting `dx`, `dy` inside
/// `rect`, kept inside the box however long the text (a pasted page must not overflow).
pub fn cursor_in(rect: Rect, dx: u16, column: usize, dy: u16, line: usize) -> Position {
    let clamp = |v: usize| u16::try_from(v).unwrap_or(u16::MAX);
    let x = rect
        .x
        .saturating_add(dx)
        .saturating_add(clamp(column))
        .min(rect.right().saturating_sub(2));
    let y = rect
        .y
        .saturating_add(dy)
        .saturating_add(clamp(line))
        .min(rect.bottom().saturating_sub(2));
    Position::new(x, y)
}

/// Colour of a model's outcome.
pub fn outcome_style(t: &Theme, outcome: Option<Outcome>) -> Style {
    match outcome {
        Some(Outcome::Right) => t.fg(t.accepted),
        Some(Outcome::Wrong) => t.fg(t.error).add_modifier(Modifier::BOLD),
        Some(Outcome::Unparsed) => t.fg(t.warn),
        None => t.fg(t.dim),
    }
}

/// Mark of a model's outcome.
pub fn outcome_mark(outcome: Option<Outcome>) -> &'static str {
    match outcome {
        Some(Outcome::Right) => "✓ right",
        Some(Outcome::Wrong) => "✗ wrong",
        Some(Outcome::Unparsed) => "? unparsed",
        None => "- no response",
    }
}

/// Colour of an accuracy percentage.
pub fn accuracy_style(t: &Theme, accuracy: Option<f64>) -> Style {
    match accuracy {
        Some(a) if a >= 80.0 => t.fg(t.accepted),
        Some(a) if a >= 60.0 => t.fg(t.warn),
        Some(_) => t.fg(t.error),
        None => t.fg(t.dim),
    }
}

/// Colour of a subset (unsafe side or safe side).
pub fn subset_style(t: &Theme, subset: Subset) -> Style {
    if subset.is_unsafe_side() {
        t.fg(t.unsafe_)
    } else {
        t.fg(t.safe)
    }
}

/// Gold as a word.
pub fn gold_text(gold: Gold) -> &'static str {
    match gold {
        Gold::Safe => "safe",
        Gold::Unsafe => "unsafe",
    }
}

/// Colour of a status.
pub fn status_style(t: &Theme, status: Status) -> Style {
    match status {
        Status::Unreviewed => t.fg(t.dim),
        Status::Accepted => t.fg(t.accepted),
        Status::NeedsFix => t.fg(t.warn),
        Status::Rejected => t.fg(t.error),
    }
}
