//! The TUI's whole state: the shared [`Workspace`], the screen that has the keyboard
//! (a [`Mode`], holding that screen's own state) and the keymap in force.

use super::editor::Editor;
use super::keymap::Keymap;
use super::labeling::BulkPlan;
use super::screens::adjudicate::AdjudicateView;
use super::screens::compare::CompareView;
use super::screens::family::FamilyView;
use super::screens::filter::FilterPrompt;
use super::screens::help::HelpView;
use super::screens::history::HistoryView;
use super::screens::jump::JumpPrompt;
use super::screens::name_prompts::FlagPrompt;
use super::screens::note::NoteEditor;
use super::screens::pager::PagerView;
use super::screens::picker::Picker;
use super::screens::stats::StatsView;
use super::settings::Settings;
use super::workspace::Workspace;
use safeaware::model::Dataset;
use std::path::PathBuf;

/// Which screen has the keyboard, with its state.
#[derive(Debug, Default)]
pub enum Mode {
    /// The item list and detail.
    #[default]
    Browse,
    /// Key help.
    Help(HelpView),
    /// Typing a filter query.
    Filter(FilterPrompt),
    /// Typing an id to jump to.
    Jump(JumpPrompt),
    /// Typing a flag name to toggle.
    Flag(FlagPrompt),
    /// Typing a name for the current filter.
    ViewName(Editor),
    /// Choosing a scenario.
    Scenario(Picker),
    /// Editing the current item's note.
    Note(Box<NoteEditor>),
    /// Confirming a bulk edit.
    Confirm(BulkPlan),
    /// An item's edit history.
    History(HistoryView),
    /// Choosing a queue or saved view (the highlighted entry).
    Views(usize),
    /// Every model's response to the current item side by side.
    Compare(CompareView),
    /// Error rates by model and slice.
    Stats(StatsView),
    /// The variant family of an item: its base and variants.
    Family(FamilyView),
    /// The full text of an item's sentence.
    Pager(PagerView),
    /// Items where curators disagree, one key to take a curator's label.
    Adjudicate(AdjudicateView),
    /// Every curator's progress (scroll offset).
    Progress(usize),
}

impl Mode {
    /// Whether the screen takes typed text (then global keys do not apply).
    pub fn takes_text(&self) -> bool {
        matches!(
            self,
            Mode::Filter(_)
                | Mode::Jump(_)
                | Mode::Flag(_)
                | Mode::ViewName(_)
                | Mode::Scenario(_)
                | Mode::Note(_)
        )
    }
}

impl Mode {
    /// Whether the screen is drawn over the item list and detail (and their image).
    pub fn is_overlay(&self) -> bool {
        !matches!(
            self,
            Mode::Browse | Mode::Compare(_) | Mode::Stats(_) | Mode::Adjudicate(_)
        )
    }
}

/// The TUI state.
#[derive(Debug)]
pub struct State {
    /// What every screen shares.
    pub ws: Workspace,
    /// The open screen.
    pub mode: Mode,
    /// The screen help was opened over (help returns to it).
    pub behind: Option<Mode>,
    /// Keys of every screen.
    pub keymap: Keymap,
}

impl State {
    /// A state showing every item of `dataset`.
    pub fn new(
        dataset: Dataset,
        dir: PathBuf,
        settings: Settings,
        images_on: bool,
        size: (u16, u16),
    ) -> State {
        let Settings {
            config,
            keymap,
            theme,
        } = settings;
        State {
            ws: Workspace::new(dataset, dir, config, theme, images_on, size),
            mode: Mode::Browse,
            behind: None,
            keymap,
        }
    }
}
