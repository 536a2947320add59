//! The pure state transition: `update(&mut State, Action)`. No I/O: anything that needs
//! the disk or a worker is pushed to `state.outbox` as an [`Effect`].

use super::action::Action;
use super::editor::Editor;
use super::images::{ImageKey, ImageRequest};
use super::layout;
use super::state::{
    BulkPlan, CompareView, Effect, EvalStatus, Labeling, Mode, Picker, QUEUES, State, StatsView, Tone,
    status_slot,
};
use safeaware::model::{Change, FieldValue, Gold, Status, Subset, Verdict};
use safeaware::query::{Query, searchable_text};

/// Applies one action to the state.
pub fn update(state: &mut State, action: Action) {
    match action {
        Action::Resize(w, h) => {
            state.size = (w, h);
            state.images.clear();
            scroll_into_view(state);
            request_images(state);
        }
        Action::ImageLoaded(key, result, _) => state.images.store(key, result),
        Action::Persisted { batch, what } => {
            state.saving = state.saving.saturating_sub(1);
            let mut rescore = Vec::new();
            for c in &batch.changes {
                if let Some(&i) = state.index.get(&c.item) {
                    if !matches!(c.change, Change::Notes { .. } | Change::Flag { .. }) {
                        rescore.push(i);
                    }
                    if let Change::Status { old, new } = &c.change
                        && state.view.binary_search(&i).is_ok()
                    {
                        state.view_counts[status_slot(*old)] =
                            state.view_counts[status_slot(*old)].saturating_sub(1);
                        state.view_counts[status_slot(*new)] += 1;
                    }
                    c.change.apply_to(&mut state.dataset.items[i]);
                    if matches!(c.change, Change::Notes { .. }) {
                        state.search_text[i] = searchable_text(&state.dataset.items[i]);
                    }
                }
            }
            rescore_items(state, &rescore);
            let message = match batch.changes.len() {
                0 => format!("{what}: nothing to change"),
                1 => format!(
                    "{what}: item {}",
                    safeaware::text::escape_for_display(&batch.changes[0].item)
                ),
                n => format!("{what}: {n} items"),
            };
            state.message = Some((message, Tone::Info));
        }
        Action::SaveFailed(why) => {
            state.saving = state.saving.saturating_sub(1);
            state.message = Some((format!("not saved: {why}"), Tone::Error));
        }
        Action::CompactionFailed(why) => {
            state.message = Some((
                format!("saved in the journal; compaction failed: {why}"),
                Tone::Error,
            ));
        }
        Action::FindingsReady(findings) => {
            state.findings = findings;
            state.findings_ready = true;
            if state.query.uses_findings() {
                refilter(state);
            }
        }
        Action::HistoryLoaded(id, result) => {
            if let Mode::History(open, slot @ None) = &mut state.mode
                && *open == id
            {
                *slot = Some(result);
            }
        }
        Action::EvalLoaded(result) => {
            match result {
                Ok(Some(mut data)) => {
                    if std::mem::take(&mut state.eval_dirty) {
                        data.refresh(&state.dataset);
                    }
                    state.eval = EvalStatus::Ready(data);
                }
                Ok(None) => state.eval = EvalStatus::NoResponses,
                Err(why) => {
                    state.message = Some((format!("responses not loaded: {why}"), Tone::Error));
                    state.eval = EvalStatus::Failed(why);
                }
            }
            if state.query.uses_models() {
                refilter(state);
            }
        }
        Action::OverrideSaved(result) => {
            state.saving = state.saving.saturating_sub(1);
            match result {
                Ok((model, item, verdict)) => {
                    if let (EvalStatus::Ready(data), Some(&i)) = (&mut state.eval, state.index.get(&item))
                        && let Some(m) = data.evaluation.model_index(&model)
                    {
                        data.evaluation.set_override(m, i, verdict);
                        rescore_items(state, &[i]);
                    }
                    let what = verdict.map_or("cleared".to_string(), |v| format!("set to {}", v.key()));
                    state.message = Some((format!("verdict of {model} on item {item} {what}"), Tone::Info));
                }
                Err(why) => state.message = Some((format!("verdict not saved: {why}"), Tone::Error)),
            }
        }
        Action::ViewsSaved(result) => {
            state.message = Some(match result {
                Ok(()) => ("views saved".into(), Tone::Info),
                Err(why) => (format!("views not saved: {why}"), Tone::Error),
            });
        }
        other => match state.mode.clone() {
            Mode::Browse => browse(state, other),
            Mode::Help => {
                if matches!(
                    other,
                    Action::Cancel | Action::ToggleHelp | Action::Quit | Action::Submit
                ) {
                    state.mode = Mode::Browse;
                }
            }
            Mode::History(..) => {
                if matches!(
                    other,
                    Action::Cancel | Action::Submit | Action::Quit | Action::OpenHistory
                ) {
                    state.mode = Mode::Browse;
                }
            }
            Mode::Filter(editor, _) => filter_prompt(state, editor, other),
            Mode::Jump(editor, _) => jump_prompt(state, editor, other),
            Mode::Flag(editor, bulk) => flag_prompt(state, editor, bulk, other),
            Mode::ViewName(editor) => view_name_prompt(state, editor, other),
            Mode::Scenario(picker) => scenario_picker(state, picker, other),
            Mode::Note(editor) => note_editor(state, editor, other),
            Mode::Confirm(plan) => confirm(state, plan, other),
            Mode::Views(selected) => views_menu(state, selected, other),
            Mode::Compare(view) => compare(state, view, other),
            Mode::Stats(view) => stats(state, view, other),
        },
    }
}

fn browse(state: &mut State, action: Action) {
    let page = layout::areas(state.size.0, state.size.1, state.read_only.is_some())
        .map(|a| layout::list_rows(&a))
        .unwrap_or(10) as isize;
    match action {
        Action::Down => move_by(state, 1),
        Action::Up => move_by(state, -1),
        Action::PageDown => move_by(state, page),
        Action::PageUp => move_by(state, -page),
        Action::Top => move_to(state, 0),
        Action::Bottom => move_to(state, state.view.len().saturating_sub(1)),
        Action::Scroll(delta) => move_by(state, isize::from(delta)),
        Action::Click(column, row) => click(state, column, row),
        Action::NextUnreviewed => seek_unreviewed(state, true),
        Action::PrevUnreviewed => seek_unreviewed(state, false),
        Action::NextSameImage => seek_same_image(state, true),
        Action::PrevSameImage => seek_same_image(state, false),
        Action::GoldSafe => label(state, FieldValue::Gold(Gold::Safe), "gold safe"),
        Action::GoldUnsafe => label(state, FieldValue::Gold(Gold::Unsafe), "gold unsafe"),
        Action::Accept => label(state, FieldValue::Status(Status::Accepted), "accepted"),
        Action::NeedsFix => label(state, FieldValue::Status(Status::NeedsFix), "needs fix"),
        Action::Reject => label(state, FieldValue::Status(Status::Rejected), "rejected"),
        Action::Unreview => label(state, FieldValue::Status(Status::Unreviewed), "unreviewed"),
        Action::CycleSubset => {
            if let Some(item) = state.current() {
                let next = match item.subset {
                    Subset::Typical => Subset::Attack,
                    Subset::Attack => Subset::OverSafety,
                    Subset::OverSafety => Subset::Typical,
                };
                label(state, FieldValue::Subset(next), &format!("subset {next}"));
            }
        }
        Action::PickScenario => {
            if refuse_if_read_only(state) || state.current().is_none() {
                return;
            }
            let bulk = std::mem::take(&mut state.bulk_armed);
            state.mode = Mode::Scenario(Picker {
                input: Editor::line(""),
                selected: 0,
                bulk,
            });
        }
        Action::EditNote => {
            if refuse_if_read_only(state) {
                return;
            }
            if std::mem::take(&mut state.bulk_armed) {
                state.message = Some(("bulk does not apply to notes".into(), Tone::Error));
                return;
            }
            if let Some(item) = state.current() {
                state.mode = Mode::Note(Editor::multiline(&item.notes));
            }
        }
        Action::ToggleFlag => {
            if refuse_if_read_only(state) || state.current().is_none() {
                return;
            }
            let bulk = std::mem::take(&mut state.bulk_armed);
            state.mode = Mode::Flag(Editor::line(""), bulk);
        }
        Action::BulkPrefix => {
            if refuse_if_read_only(state) {
                return;
            }
            state.bulk_armed = !state.bulk_armed;
            state.message = Some(if state.bulk_armed {
                (
                    format!(
                        "bulk: the next label applies to all {} items in view (Esc cancels)",
                        state.view.len()
                    ),
                    Tone::Info,
                )
            } else {
                ("bulk cancelled".into(), Tone::Info)
            });
        }
        Action::Undo | Action::Redo => {
            if refuse_if_read_only(state) {
                return;
            }
            state.saving += 1;
            state.outbox.push(if matches!(action, Action::Undo) {
                Effect::Undo
            } else {
                Effect::Redo
            });
        }
        Action::OpenFilter => state.mode = Mode::Filter(Editor::line(&state.filter), None),
        Action::OpenJump => state.mode = Mode::Jump(Editor::line(""), None),
        Action::OpenViews => state.mode = Mode::Views(0),
        Action::SaveView => {
            if refuse_if_read_only(state) {
                return;
            }
            if state.filter.trim().is_empty() {
                state.message = Some((
                    "set a filter (/) first, then save it as a view".into(),
                    Tone::Error,
                ));
            } else {
                state.mode = Mode::ViewName(Editor::line(""));
            }
        }
        Action::ToggleHelp => state.mode = Mode::Help,
        Action::OpenCompare if eval_ready(state) => state.mode = Mode::Compare(CompareView::default()),
        Action::OpenStats if eval_ready(state) => state.mode = Mode::Stats(StatsView::default()),
        Action::OpenHistory => {
            if let Some(item) = state.current() {
                let id = item.id.clone();
                state.outbox.push(Effect::LoadHistory(id.clone()));
                state.mode = Mode::History(id, None);
            }
        }
        Action::RevealImage => {
            if let Some(i) = state.current_index() {
                if !state.revealed.remove(&i) {
                    state.revealed.insert(i);
                }
                request_images(state);
            }
        }
        Action::Cancel => {
            if std::mem::take(&mut state.bulk_armed) {
                state.message = Some(("bulk cancelled".into(), Tone::Info));
            } else {
                state.message = None;
            }
        }
        Action::Quit => state.quit = true,
        _ => {}
    }
}

fn refuse_if_read_only(state: &mut State) -> bool {
    if let Some(holder) = &state.read_only {
        state.message = Some((format!("read-only: {holder}"), Tone::Error));
        true
    } else {
        false
    }
}

/// Applies a label to the current item, or plans it for the view when bulk is armed.
fn label(state: &mut State, value: FieldValue, what: &str) {
    if refuse_if_read_only(state) {
        return;
    }
    let labeling = Labeling {
        value,
        what: what.to_string(),
    };
    if std::mem::take(&mut state.bulk_armed) {
        plan_bulk(state, labeling);
        return;
    }
    let Some(item) = state.current() else { return };
    let id = item.id.clone();
    state.saving += 1;
    state.outbox.push(Effect::Apply {
        edits: vec![(id, labeling.value)],
        what: labeling.what,
    });
    if state.settings.config.auto_advance {
        move_by(state, 1);
    }
}

fn plan_bulk(state: &mut State, labeling: Labeling) {
    let ids: Vec<String> = state
        .view
        .iter()
        .map(|&i| &state.dataset.items[i])
        .filter(|item| Change::between(item, labeling.value.clone()).is_some())
        .map(|item| item.id.clone())
        .collect();
    if ids.is_empty() {
        state.message = Some((
            format!("bulk {}: every item in view already has it", labeling.what),
            Tone::Info,
        ));
        return;
    }
    state.mode = Mode::Confirm(BulkPlan {
        labeling,
        ids,
        view_len: state.view.len(),
    });
}

fn move_to(state: &mut State, position: usize) {
    if state.view.is_empty() {
        state.cursor = 0;
        return;
    }
    state.cursor = position.min(state.view.len() - 1);
    scroll_into_view(state);
    request_images(state);
}

fn move_by(state: &mut State, delta: isize) {
    let target = (state.cursor as isize + delta).max(0) as usize;
    move_to(state, target);
}

fn click(state: &mut State, column: u16, row: u16) {
    let Some(areas) = layout::areas(state.size.0, state.size.1, state.read_only.is_some()) else {
        return;
    };
    let list = areas.list;
    let first_row = list.y + 2;
    if column > list.x
        && column < list.x + list.width - 1
        && row >= first_row
        && row < list.y + list.height - 1
    {
        let position = state.list_offset + usize::from(row - first_row);
        if position < state.view.len() {
            move_to(state, position);
        }
    }
}

/// Keeps the cursor's row on screen.
fn scroll_into_view(state: &mut State) {
    let rows = layout::areas(state.size.0, state.size.1, state.read_only.is_some())
        .map(|a| layout::list_rows(&a))
        .unwrap_or(1);
    if state.cursor < state.list_offset {
        state.list_offset = state.cursor;
    } else if state.cursor >= state.list_offset + rows {
        state.list_offset = state.cursor + 1 - rows;
    }
    state.list_offset = state.list_offset.min(state.view.len().saturating_sub(rows));
}

fn seek_unreviewed(state: &mut State, forward: bool) {
    let n = state.view.len();
    let found = (1..=n)
        .map(|step| {
            if forward {
                (state.cursor + step) % n
            } else {
                (state.cursor + n * 2 - step) % n
            }
        })
        .find(|&p| state.dataset.items[state.view[p]].status == Status::Unreviewed);
    match found {
        Some(p) => move_to(state, p),
        None => state.message = Some(("no unreviewed item in view".into(), Tone::Info)),
    }
}

fn seek_same_image(state: &mut State, forward: bool) {
    let Some(i) = state.current_index() else { return };
    let group = state.image_group(i).to_vec();
    if group.len() < 2 {
        state.message = Some(("no other item shares this image".into(), Tone::Info));
        return;
    }
    let here = group.iter().position(|&g| g == i).unwrap_or(0);
    let n = group.len();
    let next = group[if forward {
        (here + 1) % n
    } else {
        (here + n - 1) % n
    }];
    if let Some(p) = state.view.iter().position(|&v| v == next) {
        move_to(state, p);
    } else {
        let id = safeaware::text::escape_for_display(&state.dataset.items[next].id).into_owned();
        state.message = Some((
            format!("item {id} shares this image but is hidden by the filter"),
            Tone::Info,
        ));
    }
}

/// Brings the scores of items whose labels or verdicts changed up to date: their outcomes
/// and queues at once (a few items, cheap), the reports on the next Stats view. Before
/// the scores have loaded, remembers that they must be recomputed in full.
fn rescore_items(state: &mut State, items: &[usize]) {
    if items.is_empty() {
        return;
    }
    state.eval_dirty = true;
    let groups: std::collections::HashMap<usize, Vec<usize>> = items
        .iter()
        .map(|&i| (i, state.image_group(i).to_vec()))
        .collect();
    if let EvalStatus::Ready(data) = &mut state.eval {
        data.update_items(&state.dataset, items, &|i| {
            groups.get(&i).cloned().unwrap_or_else(|| vec![i])
        });
    }
}

/// Recomputes the reports if labels changed since (the Stats view shows them).
fn refresh_reports(state: &mut State) {
    if let EvalStatus::Ready(data) = &mut state.eval
        && std::mem::take(&mut state.eval_dirty)
    {
        data.evaluation.summarize_reports(&state.dataset);
    }
}

/// Makes sure scores are loaded and fresh; otherwise says why not and returns false.
fn eval_ready(state: &mut State) -> bool {
    let why = match &state.eval {
        EvalStatus::Ready(_) => {
            refresh_reports(state);
            return true;
        }
        EvalStatus::Loading => "model responses are still loading".to_string(),
        EvalStatus::NoResponses => "no stored responses; add some with `safeaware responses add`".to_string(),
        EvalStatus::Failed(why) => format!("responses could not be loaded: {why}"),
    };
    state.message = Some((why, Tone::Error));
    false
}

/// Re-applies the query, keeping the current item under the cursor when it still matches.
pub fn refilter(state: &mut State) {
    let current = state.current_index();
    let view: Vec<usize> = {
        let s = &*state;
        let taxonomy = &s.dataset.manifest.taxonomy;
        (0..s.dataset.items.len())
            .filter(|&i| {
                s.query
                    .matches(i, &s.dataset.items[i], &s.search_text[i], taxonomy, s)
            })
            .collect()
    };
    state.view = view;
    state.count_view();
    let position = current
        .and_then(|c| state.view.binary_search(&c).ok())
        .unwrap_or(0);
    state.list_offset = 0;
    move_to(state, position);
}

/// Asks the worker for the images of the current item and its neighbours.
pub fn request_images(state: &mut State) {
    if !state.images_on {
        return;
    }
    if image_key(state, 0).is_none() {
        return;
    }
    let mut requests = Vec::new();
    for offset in [0isize, 1, -1, 2, -2] {
        let position = state.cursor as isize + offset;
        if position < 0 || position as usize >= state.view.len() {
            continue;
        }
        let i = state.view[position as usize];
        if state.settings.config.hide_images && !state.revealed.contains(&i) {
            continue;
        }
        let Some(image) = &state.dataset.items[i].image else {
            continue;
        };
        let Some(key) = image_key(state, i) else { continue };
        if state.images.has(&key) {
            continue;
        }
        state.images.mark_loading(key);
        requests.push(ImageRequest {
            key,
            path: state.dir.join(&image.path),
            current: offset == 0,
        });
    }
    if !requests.is_empty() {
        state.outbox.push(Effect::LoadImages(requests));
    }
}

/// The cache key of item `i`'s image at the current screen size (None: no image area).
pub fn image_key(state: &State, item: usize) -> Option<ImageKey> {
    let areas = layout::areas(state.size.0, state.size.1, state.read_only.is_some())?;
    let (width, height) = (areas.image.width, areas.image.height);
    (width >= 2 && height >= 2).then_some(ImageKey { item, width, height })
}

/// Applies the common editing keys to a prompt; returns false for keys it does not handle.
fn edit(editor: &mut Editor, action: &Action) -> bool {
    match action {
        Action::Input(c) => editor.insert(*c),
        Action::Paste(text) => editor.insert_str(text),
        Action::Backspace => editor.backspace(),
        Action::Delete => editor.delete(),
        Action::Left => editor.left(),
        Action::Right => editor.right(),
        Action::Home => editor.home(),
        Action::End => editor.end(),
        Action::Newline => editor.insert('\n'),
        _ => return false,
    }
    true
}

fn filter_prompt(state: &mut State, mut editor: Editor, action: Action) {
    match action {
        Action::Submit => {
            let text = editor.text();
            match Query::parse(&text, &state.dataset.manifest.taxonomy) {
                Ok(query) => {
                    state.query = query;
                    state.filter = text.trim().to_string();
                    state.mode = Mode::Browse;
                    refilter(state);
                    if !state.findings_ready && state.query.uses_findings() {
                        state.message = Some((
                            "validation still running; the view updates when done".into(),
                            Tone::Info,
                        ));
                    }
                }
                Err(e) => state.mode = Mode::Filter(editor, Some(e.to_string())),
            }
        }
        Action::Cancel => state.mode = Mode::Browse,
        other => {
            if edit(&mut editor, &other) {
                state.mode = Mode::Filter(editor, None);
            }
        }
    }
}

fn jump_prompt(state: &mut State, mut editor: Editor, action: Action) {
    match action {
        Action::Submit => {
            let id = editor.text().trim().to_string();
            let Some(&i) = state.index.get(&id) else {
                let shown = safeaware::text::escape_for_display(&id).into_owned();
                state.mode = Mode::Jump(editor, Some(format!("no item with id {shown}")));
                return;
            };
            state.mode = Mode::Browse;
            if state.view.binary_search(&i).is_err() {
                state.filter.clear();
                state.query = Query::default();
                state.view = (0..state.dataset.items.len()).collect();
                state.count_view();
                state.message = Some((format!("filter cleared to show item {id}"), Tone::Info));
            }
            let position = state.view.binary_search(&i).unwrap_or(0);
            move_to(state, position);
        }
        Action::Cancel => state.mode = Mode::Browse,
        other => {
            if edit(&mut editor, &other) {
                state.mode = Mode::Jump(editor, None);
            }
        }
    }
}

fn flag_prompt(state: &mut State, mut editor: Editor, bulk: bool, action: Action) {
    match action {
        Action::Submit => {
            let name = editor.text().trim().to_string();
            if name.is_empty()
                || name
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || c == ',')
            {
                state.message = Some(("a flag is one word without commas".into(), Tone::Error));
                state.mode = Mode::Flag(editor, bulk);
                return;
            }
            state.mode = Mode::Browse;
            let Some(item) = state.current() else { return };
            let on = bulk || !item.flags.contains(&name);
            let what = if on {
                format!("flag {name} set")
            } else {
                format!("flag {name} cleared")
            };
            state.bulk_armed = bulk;
            label(state, FieldValue::Flag(name, on), &what);
        }
        Action::Cancel => state.mode = Mode::Browse,
        other => {
            edit(&mut editor, &other);
            state.mode = Mode::Flag(editor, bulk);
        }
    }
}

fn view_name_prompt(state: &mut State, mut editor: Editor, action: Action) {
    match action {
        Action::Submit => {
            let name = editor.text().trim().to_string();
            if name.is_empty() {
                state.mode = Mode::Browse;
                return;
            }
            state.views.insert(name.clone(), state.filter.clone());
            state.outbox.push(Effect::SaveViews(state.views.clone()));
            state.message = Some((format!("saving view {name:?}"), Tone::Info));
            state.mode = Mode::Browse;
        }
        Action::Cancel => state.mode = Mode::Browse,
        other => {
            edit(&mut editor, &other);
            state.mode = Mode::ViewName(editor);
        }
    }
}

/// The scenario choices matching the picker's text: (key or None for "no scenario", label).
pub fn scenario_choices(state: &State, filter: &str) -> Vec<(Option<String>, String)> {
    let needle = filter.to_lowercase();
    let mut out = Vec::new();
    if needle.is_empty() || "none".contains(&needle) {
        out.push((None, "(none) clear the scenario".to_string()));
    }
    for s in &state.dataset.manifest.taxonomy.scenarios {
        let group = s.group.as_deref().unwrap_or("");
        let haystack = format!("{} {} {} {}", s.name, s.key, s.subset, group).to_lowercase();
        if needle.split_whitespace().all(|w| haystack.contains(w)) {
            let label = format!("{:<40} {:<11} {}", s.name, s.subset.key(), group);
            out.push((Some(s.key.clone()), label));
        }
    }
    out
}

fn scenario_picker(state: &mut State, mut picker: Picker, action: Action) {
    let choices = scenario_choices(state, &picker.input.text());
    match action {
        Action::Up => picker.selected = picker.selected.saturating_sub(1),
        Action::Down => picker.selected = (picker.selected + 1).min(choices.len().saturating_sub(1)),
        Action::Submit => {
            state.mode = Mode::Browse;
            let Some((key, _)) = choices.get(picker.selected).cloned() else {
                return;
            };
            let what = match &key {
                Some(k) => format!("scenario {k}"),
                None => "scenario cleared".to_string(),
            };
            state.bulk_armed = picker.bulk;
            label(state, FieldValue::Scenario(key), &what);
            return;
        }
        Action::Cancel => {
            state.mode = Mode::Browse;
            return;
        }
        other => {
            if edit(&mut picker.input, &other) {
                picker.selected = 0;
            }
        }
    }
    state.mode = Mode::Scenario(picker);
}

fn note_editor(state: &mut State, mut editor: Editor, action: Action) {
    match action {
        Action::SaveNote => {
            state.mode = Mode::Browse;
            let notes = editor.text().trim_end().to_string();
            label(state, FieldValue::Notes(notes), "note saved");
        }
        Action::Cancel => {
            state.mode = Mode::Browse;
            state.message = Some(("note not changed".into(), Tone::Info));
        }
        Action::Submit => {
            editor.insert('\n');
            state.mode = Mode::Note(editor);
        }
        other => {
            edit(&mut editor, &other);
            state.mode = Mode::Note(editor);
        }
    }
}

fn confirm(state: &mut State, plan: BulkPlan, action: Action) {
    match action {
        Action::Submit | Action::Input('y') => {
            state.mode = Mode::Browse;
            let edits = plan
                .ids
                .iter()
                .map(|id| (id.clone(), plan.labeling.value.clone()))
                .collect();
            state.saving += 1;
            state.outbox.push(Effect::Apply {
                edits,
                what: format!("bulk {}", plan.labeling.what),
            });
        }
        Action::Cancel | Action::Input('n') | Action::Quit => {
            state.mode = Mode::Browse;
            state.message = Some(("bulk cancelled".into(), Tone::Info));
        }
        _ => {}
    }
}

/// How many model columns the Compare view shows at the current width.
pub fn compare_columns(state: &State) -> usize {
    usize::from(state.size.0 / 30).max(1)
}

fn compare(state: &mut State, mut view: CompareView, action: Action) {
    let EvalStatus::Ready(data) = &state.eval else {
        state.mode = Mode::Browse;
        return;
    };
    let models = data.evaluation.models.len();
    match action {
        Action::Down | Action::Up => {
            browse(state, action);
            view.scroll = 0;
        }
        Action::Left => view.selected = view.selected.saturating_sub(1),
        Action::Right => view.selected = (view.selected + 1).min(models.saturating_sub(1)),
        Action::PageDown => view.scroll = view.scroll.saturating_add(5),
        Action::PageUp => view.scroll = view.scroll.saturating_sub(5),
        Action::Override => {
            if refuse_if_read_only(state) {
                return;
            }
            let (Some(i), EvalStatus::Ready(data)) = (state.current_index(), &state.eval) else {
                return;
            };
            let Some(scored) = data.evaluation.scored[view.selected][i] else {
                state.message = Some(("this model has no response to override here".into(), Tone::Error));
                return;
            };
            let cycle: &[Option<Verdict>] = if scored.judgment {
                &[None, Some(Verdict::Safe), Some(Verdict::Unsafe)]
            } else {
                &[
                    None,
                    Some(Verdict::FullRefusal),
                    Some(Verdict::PartialRefusal),
                    Some(Verdict::Compliance),
                ]
            };
            let at = cycle.iter().position(|v| *v == scored.human).unwrap_or(0);
            let next = cycle[(at + 1) % cycle.len()];
            state.saving += 1;
            state.outbox.push(Effect::SetOverride {
                model: data.evaluation.models[view.selected].name.clone(),
                item: state.dataset.items[i].id.clone(),
                verdict: next,
            });
        }
        Action::Cancel | Action::OpenCompare | Action::Quit => {
            state.mode = Mode::Browse;
            return;
        }
        _ => {}
    }
    let columns = compare_columns(state);
    if view.selected < view.first {
        view.first = view.selected;
    } else if view.selected >= view.first + columns {
        view.first = view.selected + 1 - columns;
    }
    state.mode = Mode::Compare(view);
}

/// The rows of the Stats table: (label, filter term) for the subsets, then the scenarios
/// that have scored items.
pub fn stats_rows(state: &State) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = [
        ("Typical", "subset:typical"),
        ("Attack", "subset:attack"),
        ("Over-Safe", "subset:over_safety"),
    ]
    .iter()
    .map(|(l, q)| (l.to_string(), q.to_string()))
    .collect();
    if let EvalStatus::Ready(data) = &state.eval {
        for s in &state.dataset.manifest.taxonomy.scenarios {
            if data
                .evaluation
                .reports
                .iter()
                .any(|r| r.by_scenario.get(&s.key).is_some_and(|t| t.total > 0))
            {
                rows.push((s.name.clone(), format!("scenario:{}", s.key)));
            }
        }
    }
    rows
}

fn stats(state: &mut State, mut view: StatsView, action: Action) {
    let EvalStatus::Ready(data) = &state.eval else {
        state.mode = Mode::Browse;
        return;
    };
    let models = data.evaluation.models.len();
    let rows = stats_rows(state);
    match action {
        Action::Down => view.row = (view.row + 1).min(rows.len() - 1),
        Action::Up => view.row = view.row.saturating_sub(1),
        Action::Right => view.col = (view.col + 1).min(models.saturating_sub(1)),
        Action::Left => view.col = view.col.saturating_sub(1),
        Action::Submit => {
            let model = data.evaluation.models[view.col].name.clone();
            let query = format!("wrong:{model} {}", rows[view.row].1);
            state.mode = Mode::Filter(Editor::line(&query), None);
            filter_prompt(state, Editor::line(&query), Action::Submit);
            return;
        }
        Action::Cancel | Action::OpenStats | Action::Quit => {
            state.mode = Mode::Browse;
            return;
        }
        _ => {}
    }
    state.mode = Mode::Stats(view);
}

/// The entries of the views menu: built-in queues, then saved views.
pub fn view_entries(state: &State) -> Vec<(String, String, bool)> {
    let mut out: Vec<(String, String, bool)> = QUEUES
        .iter()
        .map(|(name, query)| (name.to_string(), query.to_string(), false))
        .collect();
    out.extend(
        state
            .views
            .iter()
            .map(|(name, query)| (name.clone(), query.clone(), true)),
    );
    out
}

fn views_menu(state: &mut State, selected: usize, action: Action) {
    let entries = view_entries(state);
    match action {
        Action::Up => state.mode = Mode::Views(selected.saturating_sub(1)),
        Action::Down => state.mode = Mode::Views((selected + 1).min(entries.len() - 1)),
        Action::Submit => {
            let (_, query, _) = entries[selected].clone();
            state.mode = Mode::Filter(Editor::line(&query), None);
            filter_prompt(state, Editor::line(&query), Action::Submit);
        }
        Action::Input('d') => {
            let (name, _, saved) = entries[selected].clone();
            if saved && !refuse_if_read_only(state) {
                state.views.remove(&name);
                state.outbox.push(Effect::SaveViews(state.views.clone()));
                state.mode = Mode::Views(selected.min(entries.len() - 2));
            }
        }
        Action::Cancel | Action::Quit | Action::OpenViews => state.mode = Mode::Browse,
        _ => {}
    }
}
