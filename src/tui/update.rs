//! The pure state transition: `update(&mut State, Action)`. Worker results change the
//! workspace; everything else goes to the open screen's `update`, whose [`Next`] says
//! whether to stay, close or open another screen. No I/O: anything that needs the disk
//! or a worker is pushed to the outbox as an [`Effect`](super::effect::Effect).

use super::action::Action;
use super::editor::Editor;
use super::scores::EvalStatus;
use super::screens::help::HelpView;
use super::screens::history::HistoryView;
use super::screens::jump::JumpPrompt;
use super::screens::name_prompts::FlagPrompt;
use super::screens::note::NoteEditor;
use super::screens::picker::Picker;
use super::screens::{
    Next, Open, adjudicate, browse, compare, confirm, family, filter, help, history, jump, name_prompts,
    note, pager, picker, progress, stats, views,
};
use super::state::{Mode, State};
use super::strings;
use super::workspace::Tone;

/// Applies one action to the state.
pub fn update(state: &mut State, action: Action) {
    let ws = &mut state.ws;
    match action {
        Action::Resize(w, h) => {
            ws.size = (w, h);
            ws.images.clear();
            ws.scroll_into_view();
            ws.request_images();
        }
        Action::ImageLoaded(key, result, _) => ws.images.store(key, result),
        Action::Persisted { batch, what } => ws.on_persisted(&batch, &what),
        Action::LabelsChanged(updates) => {
            let touched: Vec<usize> = updates.iter().map(|u| u.index).collect();
            ws.curators.apply(updates);
            if let Mode::Adjudicate(view) = &mut state.mode {
                adjudicate::refresh(ws, view, &touched);
            }
        }
        Action::SaveFailed(why) => {
            ws.saving = ws.saving.saturating_sub(1);
            ws.say(strings::not_saved(&why), Tone::Error);
        }
        Action::CompactionFailed(why) => ws.say(strings::compaction_failed(&why), Tone::Error),
        Action::FindingsReady(generation, findings) => {
            // Results come in order; one behind the edits sent is replaced by the next.
            ws.findings = findings;
            ws.findings_ready = true;
            if generation == ws.findings_generation && ws.query.uses_findings() {
                ws.refilter();
            }
        }
        Action::FamiliesReady(Ok(families)) => ws.on_families(*families),
        Action::FamiliesReady(Err(why)) => {
            ws.on_families(Default::default());
            ws.say(strings::families_failed(&why), Tone::Error);
        }
        Action::EvalReloaded(result) => {
            let models = match &result {
                Ok(Some(data)) => data.evaluation.models.len(),
                _ => 0,
            };
            ws.eval_dirty = true;
            update(state, Action::EvalLoaded(result));
            if !state.ws.curators.blind {
                state.ws.say(strings::responses_reloaded(models), Tone::Info);
            }
        }
        Action::HistoryLoaded(id, result) => {
            // Help may be open over the history: the entries still belong to it.
            if let (Mode::History(view), _) | (_, Some(Mode::History(view))) =
                (&mut state.mode, &mut state.behind)
                && view.id == id
                && view.entries.is_none()
            {
                view.entries = Some(result);
            }
        }
        Action::EvalLoaded(result) => {
            match result {
                Ok(Some(mut data)) => {
                    if std::mem::take(&mut ws.eval_dirty) {
                        data.refresh(&ws.dataset);
                    }
                    ws.eval = EvalStatus::Ready(data);
                }
                Ok(None) => ws.eval = EvalStatus::NoResponses,
                Err(why) => {
                    ws.say(strings::responses_not_loaded(&why), Tone::Error);
                    ws.eval = EvalStatus::Failed(why);
                }
            }
            if ws.query.uses_models() {
                ws.refilter();
            }
        }
        Action::OverrideSaved(result) => {
            ws.saving = ws.saving.saturating_sub(1);
            match result {
                Ok((model, item, verdict)) => {
                    if let (EvalStatus::Ready(data), Some(i)) = (&mut ws.eval, ws.dataset.position(&item))
                        && let Some(m) = data.evaluation.model_index(&model)
                    {
                        data.evaluation.set_override(m, i, verdict);
                        ws.rescore_items(&[i]);
                    }
                    ws.say(
                        strings::verdict_saved(&model, &item, verdict.map(|v| v.key())),
                        Tone::Info,
                    );
                }
                Err(why) => ws.say(strings::verdict_not_saved(&why), Tone::Error),
            }
        }
        Action::ViewsSaved(result) => match result {
            Ok(()) => ws.say(strings::VIEWS_SAVED, Tone::Info),
            Err(why) => ws.say(strings::views_not_saved(&why), Tone::Error),
        },
        Action::ToggleHelp
            if !state.mode.takes_text() && !matches!(state.mode, Mode::Browse | Mode::Help(_)) =>
        {
            let below = std::mem::take(&mut state.mode);
            state.behind = Some(below);
            open(state, Open::Help);
        }
        other => on_screen(state, other),
    }
}

/// Hands the action to the open screen and follows its answer; when an overlay closes
/// (or gives way to another screen), asks for a full repaint.
fn on_screen(state: &mut State, action: Action) {
    let overlay_before = state
        .mode
        .is_overlay()
        .then(|| std::mem::discriminant(&state.mode));
    follow_screen(state, action);
    if let Some(before) = overlay_before
        && before != std::mem::discriminant(&state.mode)
    {
        state.ws.full_redraw = true;
    }
}

fn follow_screen(state: &mut State, action: Action) {
    let ws = &mut state.ws;
    let next = match &mut state.mode {
        Mode::Browse => browse::update(ws, action),
        Mode::Help(view) => help::update(ws, view, action),
        Mode::History(view) => history::update(ws, view, action),
        Mode::Filter(prompt) => filter::update(ws, prompt, action),
        Mode::Jump(prompt) => jump::update(ws, prompt, action),
        Mode::Flag(prompt) => name_prompts::update_flag(ws, prompt, action),
        Mode::ViewName(editor) => name_prompts::update_view_name(ws, editor, action),
        Mode::Scenario(p) => picker::update(ws, p, action),
        Mode::Note(editor) => note::update(ws, editor, action),
        Mode::Confirm(plan) => confirm::update(ws, plan, action),
        Mode::Views(selected) => views::update(ws, selected, action),
        Mode::Compare(view) => compare::update(ws, view, action),
        Mode::Stats(view) => stats::update(ws, view, action),
        Mode::Family(view) => family::update(ws, view, action),
        Mode::Pager(view) => pager::update(ws, view, action),
        Mode::Adjudicate(view) => adjudicate::update(ws, view, action),
        Mode::Progress(offset) => progress::update(action, offset),
    };
    match next {
        Next::Stay => {}
        Next::Close => {
            let back = if matches!(state.mode, Mode::Help(_)) {
                state.behind.take()
            } else {
                None
            };
            state.behind = None;
            state.mode = back.unwrap_or_default();
        }
        Next::Open(screen) => {
            state.behind = None;
            open(state, screen);
        }
    }
}

/// Opens `screen` with its starting state.
fn open(state: &mut State, screen: Open) {
    state.mode = match screen {
        Open::Help => Mode::Help(HelpView {
            sections: help::with_filter_language(state.keymap.help_sections()),
            scroll: 0,
        }),
        Open::Filter { text, error } => {
            let mut prompt = filter::FilterPrompt::new(&text);
            prompt.error = error;
            Mode::Filter(prompt)
        }
        Open::Jump => Mode::Jump(JumpPrompt::default()),
        Open::Flag { bulk } => Mode::Flag(FlagPrompt {
            editor: Editor::line(""),
            bulk,
        }),
        Open::ViewName => Mode::ViewName(Editor::line("")),
        Open::Picker { bulk } => Mode::Scenario(Picker::open(&state.ws, bulk)),
        Open::Family(view) => Mode::Family(view),
        Open::Note(text) => Mode::Note(Box::new(NoteEditor::new(&text))),
        Open::Confirm(plan) => Mode::Confirm(plan),
        Open::History(id) => Mode::History(HistoryView { id, entries: None }),
        Open::Views => Mode::Views(0),
        Open::Compare => {
            compare::request_image(&mut state.ws);
            Mode::Compare(compare::CompareView::default())
        }
        Open::Stats => Mode::Stats(stats::StatsView::new(&state.ws)),
        Open::Pager(item) => Mode::Pager(pager::PagerView { item, offset: 0 }),
        Open::Adjudicate(view) => Mode::Adjudicate(view),
        Open::Progress => Mode::Progress(0),
    };
}
