//! Tests of the TUI without a terminal: `update` for every action, and snapshots of the
//! screens drawn by `draw` into an in-memory buffer (images off).

use super::action::Action;
use super::config::Config;
use super::draw::draw;
use super::effect::Effect;
use super::headless::screen_text;
use super::keymap::Keymap;
use super::screens::filter::FilterPrompt;
use super::settings::Settings;
use super::state::{Mode, State};
use super::theme::Theme;
use super::update::update;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use safeaware::session::{Batch, ItemChange};

mod browse;
mod compare_stats;
mod curators;
mod families;
mod keymap;
mod prompts;
mod stats_bars;
mod suggestions_local;

pub(super) fn settings() -> Settings {
    Settings {
        config: Config::default(),
        keymap: Keymap::default(),
        theme: Theme {
            color: false,
            ..Theme::default()
        },
    }
}

pub(super) fn sample_state(size: (u16, u16)) -> State {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dataset");
    let dataset = safeaware::store::load(&dir).expect("bundled dataset loads");
    State::new(dataset, dir, settings(), false, size)
}

pub(super) fn screen(state: &State) -> String {
    let mut terminal = Terminal::new(TestBackend::new(state.ws.size.0, state.ws.size.1)).unwrap();
    terminal.draw(|f| draw(state, f)).unwrap();
    screen_text(terminal.backend().buffer())
}

pub(super) fn type_text(state: &mut State, text: &str) {
    for c in text.chars() {
        update(state, Action::Input(c));
    }
}

/// What the writer would report after applying the state's pending edits.
pub(super) fn persist_outbox(state: &mut State) {
    for effect in std::mem::take(&mut state.ws.outbox) {
        if let Effect::Apply { edits, what } = effect {
            let changes = edits
                .into_iter()
                .filter_map(|(id, value)| {
                    let item = &state.ws.dataset.items[state.ws.dataset.position(&id).unwrap()];
                    safeaware::model::Change::between(item, value)
                        .map(|change| ItemChange { item: id, change })
                })
                .collect();
            update(
                state,
                Action::Persisted {
                    batch: Batch { changes },
                    what,
                },
            );
        }
    }
}

#[test]
fn screen_list_and_detail_wide() {
    let mut s = sample_state((120, 40));
    update(&mut s, Action::Down);
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn screen_list_and_detail_narrow() {
    let mut s = sample_state((80, 24));
    update(&mut s, Action::Down);
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn screen_too_small() {
    let s = sample_state((50, 12));
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn screen_scenario_picker() {
    for size in [(120, 40), (80, 24)] {
        let mut s = sample_state(size);
        update(&mut s, Action::PickScenario);
        type_text(&mut s, "priv");
        insta::assert_snapshot!(format!("scenario_picker_{}x{}", size.0, size.1), screen(&s));
    }
}

#[test]
fn screen_filter_with_an_error() {
    for size in [(120, 40), (80, 24)] {
        let mut s = sample_state(size);
        s.mode = Mode::Filter(FilterPrompt::new("subset:atack"));
        update(&mut s, Action::Submit);
        insta::assert_snapshot!(format!("filter_error_{}x{}", size.0, size.1), screen(&s));
    }
}

#[test]
fn screen_help() {
    for size in [(120, 40), (80, 24)] {
        let mut s = sample_state(size);
        update(&mut s, Action::ToggleHelp);
        insta::assert_snapshot!(format!("help_{}x{}", size.0, size.1), screen(&s));
    }
}

#[test]
fn screen_bulk_confirmation() {
    for size in [(120, 40), (80, 24)] {
        let mut s = sample_state(size);
        update(&mut s, Action::BulkPrefix);
        update(&mut s, Action::Accept);
        insta::assert_snapshot!(format!("bulk_confirm_{}x{}", size.0, size.1), screen(&s));
    }
}

#[test]
fn screen_read_only_banner() {
    for size in [(120, 40), (80, 24)] {
        let mut s = sample_state(size);
        s.ws.read_only = Some("locked by pid 4242 on lab-1 since 2026-11-22 09:00 UTC".into());
        update(&mut s, Action::Accept);
        insta::assert_snapshot!(format!("read_only_{}x{}", size.0, size.1), screen(&s));
    }
}

/// The sample state with its bundled responses scored, as the evaluation worker would.
pub(super) fn scored_state(size: (u16, u16)) -> State {
    let mut s = sample_state(size);
    let models = safeaware::store::responses::load_all(&s.ws.dir).unwrap();
    let evaluation = safeaware::eval::evaluate(&s.ws.dataset, &models, &[], &Default::default());
    let data = super::scores::EvalData::new(&s.ws.dataset, models, evaluation);
    update(&mut s, Action::EvalLoaded(Ok(Some(Box::new(data)))));
    s
}

#[test]
fn screen_compare() {
    for size in [(120, 40), (80, 24)] {
        let mut s = scored_state(size);
        update(&mut s, Action::OpenCompare);
        insta::assert_snapshot!(format!("compare_{}x{}", size.0, size.1), screen(&s));
    }
}

#[test]
fn screen_stats() {
    for size in [(120, 40), (80, 24)] {
        let mut s = scored_state(size);
        update(&mut s, Action::OpenStats);
        insta::assert_snapshot!(format!("stats_{}x{}", size.0, size.1), screen(&s));
    }
}
