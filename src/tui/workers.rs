//! The worker threads and the channels to them. The writer owns the editing session,
//! makes each [`Effect`] durable and reports back (the UI shows an edit only when its
//! `Persisted` report arrives, i.e. after the fsync); the image worker encodes images;
//! two one-shot threads validate the dataset and score the stored responses.

use super::action::Action;
use super::curators;
use super::effect::Effect;
use super::images::{self, ImageRequest};
use super::scores::EvalData;
use super::strings;
use super::workspace::{Tone, Workspace};
use ratatui::layout::Size;
use ratatui_image::picker::Picker;
use safeaware::eval::{Reader, RefusalSource};
use safeaware::families::{AttackPatterns, Families};
use safeaware::model::{Change, Dataset, Override, Verdict};
use safeaware::query::FindingKinds;
use safeaware::session::{ItemChange, Session, item_history};
use safeaware::store::responses;
use safeaware::validate::{Options, Relations, phash};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

/// Idle time after which pending journal entries are folded into the items file.
const COMPACT_WHEN_IDLE: Duration = Duration::from_secs(30);

/// Runs until the UI hangs up (on quit); compacts before returning. Without a session
/// (read-only) only history requests are served.
fn run_writer(
    mut session: Option<Session>,
    dir: PathBuf,
    curator: String,
    commands: Receiver<Effect>,
    ui: Sender<Action>,
) {
    loop {
        let command = match commands.recv_timeout(COMPACT_WHEN_IDLE) {
            Ok(c) => c,
            Err(RecvTimeoutError::Timeout) => {
                if let Some(s) = session.as_mut()
                    && let Err(e) = s.compact()
                {
                    let _ = ui.send(Action::CompactionFailed(e.to_string()));
                }
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => break,
        };
        let mut compaction_failed = None;
        let reply = match command {
            Effect::LoadImages(_) => continue,
            Effect::AddSeconds { item, seconds } => {
                if let Some(s) = session.as_mut() {
                    s.add_seconds(&item, seconds);
                }
                continue;
            }
            Effect::Adjudicate { from, edits, what } => {
                persist(session.as_mut(), what, &mut compaction_failed, |s| {
                    s.adjudicate_from(&from, edits)
                })
            }
            Effect::LoadHistory(id) => {
                Action::HistoryLoaded(id.clone(), item_history(&dir, &id).map_err(|e| e.to_string()))
            }
            Effect::SaveViews(views) => match session.as_ref() {
                Some(s) => Action::ViewsSaved(s.save_views(&views).map_err(|e| e.to_string())),
                None => Action::ViewsSaved(Err("read-only".into())),
            },
            Effect::SetOverride { model, item, verdict } => match session.as_ref() {
                Some(s) => Action::OverrideSaved(
                    save_override(s, &model, &item, verdict, curator.clone())
                        .map(|()| (model, item, verdict))
                        .map_err(|e| e.to_string()),
                ),
                None => Action::OverrideSaved(Err("read-only".into())),
            },
            Effect::Apply { edits, what } => {
                persist(session.as_mut(), what, &mut compaction_failed, |s| s.apply(edits))
            }
            Effect::Undo => persist(
                session.as_mut(),
                "undo".into(),
                &mut compaction_failed,
                Session::undo,
            ),
            Effect::Redo => persist(
                session.as_mut(),
                "redo".into(),
                &mut compaction_failed,
                Session::redo,
            ),
        };
        let labels = match (&reply, session.as_ref()) {
            (Action::Persisted { batch, .. }, Some(s)) => {
                Some(Action::LabelsChanged(curators::snapshot(s, batch)))
            }
            _ => None,
        };
        if ui.send(reply).is_err() || labels.is_some_and(|l| ui.send(l).is_err()) {
            break;
        }
        if let Some(why) = compaction_failed
            && ui.send(Action::CompactionFailed(why)).is_err()
        {
            break;
        }
    }
    if let Some(s) = session.as_mut() {
        let _ = s.compact();
    }
}

/// Replaces the overrides file with this verdict set (or cleared), atomically.
fn save_override(
    session: &Session,
    model: &str,
    item: &str,
    verdict: Option<Verdict>,
    curator: String,
) -> safeaware::Result<()> {
    let mut overrides = responses::load_overrides(session.dir())?;
    overrides.retain(|o| !(o.model == model && o.item == item));
    if let Some(verdict) = verdict {
        let time = safeaware::store::unix_now();
        overrides.push(Override {
            model: model.into(),
            item: item.into(),
            verdict,
            curator,
            time,
        });
    }
    responses::save_overrides(session.lock(), &overrides)
}

/// Runs an edit; a saved edit whose compaction failed also fills `compaction_failed`.
fn persist(
    session: Option<&mut Session>,
    what: String,
    compaction_failed: &mut Option<String>,
    op: impl FnOnce(&mut Session) -> safeaware::Result<safeaware::session::Saved>,
) -> Action {
    match session {
        None => Action::SaveFailed("read-only".into()),
        Some(s) => match op(s) {
            Ok(saved) => {
                *compaction_failed = saved.compaction_error.map(|e| e.to_string());
                Action::Persisted {
                    batch: saved.batch,
                    what,
                }
            }
            Err(e) => Action::SaveFailed(e.to_string()),
        },
    }
}

/// Runs the image worker until the request channel closes: of the requests waiting, serves
/// the current item's first, then the prefetches, each key once.
fn run_image_worker(picker: Picker, requests: Receiver<ImageRequest>, results: Sender<Action>) {
    while let Ok(first) = requests.recv() {
        let mut queue = vec![first];
        queue.extend(requests.try_iter());
        queue.sort_by_key(|r| !r.current);
        let mut done = std::collections::HashSet::new();
        for request in queue {
            if !done.insert(request.key) {
                continue;
            }
            let size = Size::new(request.key.width, request.key.height);
            let start = std::time::Instant::now();
            let result = images::encode(&picker, &request.path, size);
            if results
                .send(Action::ImageLoaded(request.key, result, start.elapsed()))
                .is_err()
            {
                return;
            }
        }
    }
}

/// Validation finding kinds per item, by dataset index: the cheap checks, plus the
/// relation findings (spelling, near-duplicate images, families...) when `relations`
/// are given. Images are not decoded (the CLI's `validate` does that).
fn findings_by_item(dir: &Path, dataset: &Dataset, relations: Option<Relations<'_>>) -> Vec<FindingKinds> {
    let options = safeaware::validate::Options {
        decode_images: false,
        ..Default::default()
    };
    let report =
        safeaware::validate::validate_with(dir, dataset, options, relations, &safeaware::import::no_progress);
    let mut by_item: Vec<Vec<String>> = vec![Vec::new(); dataset.items.len()];
    for finding in report.findings {
        let name = finding.kind.name();
        for id in finding.items {
            if let Some(kinds) = dataset.position(&id).map(|i| &mut by_item[i])
                && !kinds.contains(&name)
            {
                kinds.push(name.clone());
            }
        }
    }
    // One shared list per distinct set of kinds (a few dozen), one pointer per item.
    let mut shared: HashMap<Vec<String>, FindingKinds> = HashMap::new();
    by_item
        .into_iter()
        .map(|kinds| {
            shared
                .entry(kinds)
                .or_insert_with_key(|kinds| FindingKinds::from(kinds.as_slice()))
                .clone()
        })
        .collect()
}

/// Builds the variant families of `dataset` with the patterns of the dataset in `dir`.
fn build_families(dir: &Path, dataset: &Dataset) -> Result<Families, String> {
    AttackPatterns::for_dataset(dir)
        .map(|patterns| Families::build(dataset, &patterns))
        .map_err(|e| e.to_string())
}

/// Validates the dataset at open with the cheap checks, builds its variant families,
/// then validates again with the relation findings (families, spelling, perceptual
/// hashes from the dataset's `.cache/`), and again after each burst of edits (applied to
/// its own copy; edits arriving during a run are folded into the next one). Each result
/// carries the number of edits it has seen, so the UI can tell a stale one.
fn run_validator(
    mut dataset: Arc<Dataset>,
    dir: PathBuf,
    edits: Receiver<(u64, Vec<ItemChange>)>,
    ui: Sender<Action>,
) {
    let first = findings_by_item(&dir, &dataset, None);
    if ui.send(Action::FindingsReady(0, first)).is_err() {
        return;
    }
    // After the first validation, not beside it: on a busy machine the two would slow
    // each other and the first edits.
    let mut families = build_families(&dir, &dataset);
    let sent = families.clone().map(Box::new);
    if ui.send(Action::FamiliesReady(sent)).is_err() {
        return;
    }
    let hashes = phash::perceptual_hashes(&dir, &dataset, Options::default().image_limits);
    let mut generation = 0;
    loop {
        let relations = families.as_ref().ok().map(|families| Relations {
            families,
            hashes: &hashes,
        });
        let findings = findings_by_item(&dir, &dataset, relations);
        if ui.send(Action::FindingsReady(generation, findings)).is_err() {
            return;
        }
        let Ok(mut next) = edits.recv() else { return };
        // Edits come in bursts (a curator labeling item after item): validate once the
        // burst ends, so that the checks never compete with the edits for the CPU.
        let mut subsets_changed = false;
        loop {
            let (seen, changes) = next;
            generation = generation.max(seen);
            for c in changes {
                subsets_changed |= matches!(c.change, Change::Subset { .. });
                if let Some(i) = dataset.position(&c.item) {
                    // The first edit gives the validator its own copy of the snapshot.
                    Arc::make_mut(&mut dataset).apply_change(i, &c.change);
                }
            }
            next = match edits.recv_timeout(REVALIDATE_AFTER) {
                Ok(more) => more,
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            };
        }
        // Families join attack items to typical bases: a subset edit can change them.
        if subsets_changed {
            families = build_families(&dir, &dataset);
            if ui
                .send(Action::FamiliesReady(families.clone().map(Box::new)))
                .is_err()
            {
                return;
            }
        }
    }
}

/// Quiet time after the last edit before validation runs again.
const REVALIDATE_AFTER: Duration = Duration::from_secs(1);

/// How often the responses folder is checked for files added or changed by another
/// process (`safeaware responses add` while the TUI is open).
const RESPONSES_POLL: Duration = Duration::from_secs(3);

/// The model response files (not the curator overrides, which the TUI writes itself)
/// with their modification times and sizes.
fn responses_stamp(dir: &Path) -> Vec<(PathBuf, Option<std::time::SystemTime>, u64)> {
    let folder = dir.join(responses::RESPONSES_DIR);
    let Ok(entries) = std::fs::read_dir(&folder) else {
        return Vec::new();
    };
    let mut stamp: Vec<_> = entries
        .flatten()
        .filter(|e| e.file_name() != responses::OVERRIDES_FILE)
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            meta.is_file()
                .then(|| (e.path(), meta.modified().ok(), meta.len()))
        })
        .collect();
    stamp.sort();
    stamp
}

/// Scores the stored responses at open, then polls the responses folder and scores them
/// again whenever its files change, until the UI hangs up.
fn run_evaluator(dataset: Arc<Dataset>, dir: PathBuf, ui: Sender<Action>) {
    let mut stamp = responses_stamp(&dir);
    if ui
        .send(Action::EvalLoaded(load_evaluation(&dir, &dataset)))
        .is_err()
    {
        return;
    }
    loop {
        std::thread::sleep(RESPONSES_POLL);
        let now = responses_stamp(&dir);
        if now == stamp {
            continue;
        }
        stamp = now;
        if ui
            .send(Action::EvalReloaded(load_evaluation(&dir, &dataset)))
            .is_err()
        {
            return;
        }
    }
}

/// Reads and scores the stored responses (None when there are none): the verdicts from
/// the verdict cache (each file is read and scored only when it or the rules changed), then
/// each model's texts in columns for Compare, one model at a time. No response is ever
/// held as a row of its own, which keeps the peak memory of a 1M-response dataset low.
fn load_evaluation(dir: &Path, dataset: &Dataset) -> Result<Option<Box<EvalData>>, String> {
    let names = responses::model_names(dir).map_err(|e| e.to_string())?;
    if names.is_empty() {
        return Ok(None);
    }
    let read = safeaware::eval::read_models(dir, &names, RefusalSource::Rules).map_err(|e| e.to_string())?;
    let evaluation = safeaware::eval::evaluate_read(dataset, read, Reader::Strict, false);
    let mut data = EvalData::without_models(dataset, evaluation);
    for name in &names {
        let (_, columns) = responses::load_model_columns(dir, name).map_err(|e| e.to_string())?;
        data.keep_texts(dataset, columns);
    }
    data.refresh(dataset);
    Ok(Some(Box::new(data)))
}

/// Spawns a named thread; a failure to spawn is reported on the UI channel.
fn spawn(name: &str, ui: &Sender<Action>, work: impl FnOnce() + Send + 'static) -> Option<JoinHandle<()>> {
    match std::thread::Builder::new().name(name.into()).spawn(work) {
        Ok(handle) => Some(handle),
        Err(e) => {
            let _ = ui.send(Action::SaveFailed(format!("cannot start the {name} thread: {e}")));
            None
        }
    }
}

/// Channels to the workers.
pub struct Workers {
    writer: Option<Sender<Effect>>,
    images: Option<Sender<ImageRequest>>,
    validator: Option<Sender<(u64, Vec<ItemChange>)>>,
    /// Results from every worker, as actions.
    pub inbox: Receiver<Action>,
    writer_thread: Option<JoinHandle<()>>,
}

impl Workers {
    /// Starts the writer, image, validation and scoring workers for `ws`.
    pub fn start(ws: &mut Workspace, session: Option<Session>, picker: Option<Picker>) -> Workers {
        let (inbox_tx, inbox) = mpsc::channel();
        let (writer, writer_rx) = mpsc::channel();
        let (dir, curator, ui) = (ws.dir.clone(), ws.config.curator_name(), inbox_tx.clone());
        let writer_thread = spawn("writer", &inbox_tx, move || {
            run_writer(session, dir, curator, writer_rx, ui)
        });
        let images = picker.and_then(|picker| {
            let (tx, rx) = mpsc::channel();
            let ui = inbox_tx.clone();
            spawn("images", &inbox_tx, move || run_image_worker(picker, rx, ui)).map(|_| tx)
        });
        let (validator, validate_rx) = mpsc::channel();
        // One snapshot of the dataset as opened, shared by the validator and the scorer.
        let snapshot = Arc::new(ws.dataset.clone());
        let (dataset, dir, ui) = (Arc::clone(&snapshot), ws.dir.clone(), inbox_tx.clone());
        let validator = spawn("validate", &inbox_tx, move || {
            run_validator(dataset, dir, validate_rx, ui)
        })
        .map(|_| validator);
        let (dataset, dir, ui) = (snapshot, ws.dir.clone(), inbox_tx.clone());
        spawn("evaluate", &inbox_tx, move || run_evaluator(dataset, dir, ui));
        if let Ok(views) = safeaware::store::load_views(&ws.dir) {
            ws.views = views;
        }
        Workers {
            writer: writer_thread.is_some().then_some(writer),
            images,
            validator,
            inbox,
            writer_thread,
        }
    }

    /// Carries out the effects `update` left in the outbox, and sends the validation
    /// worker the changes made durable since the last call.
    pub fn dispatch(&self, ws: &mut Workspace) {
        if !ws.revalidate.is_empty() {
            let changes = std::mem::take(&mut ws.revalidate);
            if let Some(tx) = &self.validator {
                let _ = tx.send((ws.findings_generation, changes));
            }
        }
        for effect in std::mem::take(&mut ws.outbox) {
            let sent = match effect {
                Effect::LoadImages(requests) => match &self.images {
                    Some(tx) => requests.into_iter().all(|r| tx.send(r).is_ok()),
                    None => true,
                },
                other => self.writer.as_ref().is_some_and(|w| w.send(other).is_ok()),
            };
            if !sent {
                ws.saving = 0;
                ws.say(strings::WRITER_STOPPED, Tone::Error);
            }
        }
    }

    /// Lets the writer compact and waits for it to finish.
    pub fn shutdown(mut self) {
        self.writer = None;
        self.images = None;
        self.validator = None;
        if let Some(handle) = self.writer_thread.take() {
            let _ = handle.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A copy of the bundled sample in a temp folder (the worker writes its `.cache/`).
    fn sample_copy() -> (tempfile::TempDir, Dataset) {
        fn copy(from: &Path, to: &Path) {
            std::fs::create_dir_all(to).unwrap();
            for entry in std::fs::read_dir(from).unwrap() {
                let entry = entry.unwrap();
                let target = to.join(entry.file_name());
                if entry.file_type().unwrap().is_dir() {
                    copy(&entry.path(), &target);
                } else {
                    std::fs::copy(entry.path(), target).unwrap();
                }
            }
        }
        let tmp = tempfile::tempdir().unwrap();
        copy(&Path::new(env!("CARGO_MANIFEST_DIR")).join("dataset"), tmp.path());
        let dataset = safeaware::store::load(tmp.path()).unwrap();
        (tmp, dataset)
    }

    fn next_findings(ui: &Receiver<Action>) -> (u64, Vec<FindingKinds>) {
        loop {
            match ui
                .recv_timeout(Duration::from_secs(120))
                .expect("the worker reports")
            {
                Action::FindingsReady(generation, findings) => return (generation, findings),
                Action::FamiliesReady(built) => assert!(built.is_ok(), "families build"),
                _ => {}
            }
        }
    }

    #[test]
    fn scores_and_texts_load_as_the_responses_themselves_score() {
        let (tmp, dataset) = sample_copy();
        let models = responses::load_all(tmp.path()).unwrap();
        assert!(models.len() >= 2);
        let expected =
            safeaware::eval::evaluate_stored(tmp.path(), &dataset, &models, Reader::Strict, false).unwrap();
        let data = load_evaluation(tmp.path(), &dataset)
            .unwrap()
            .expect("stored models");
        let e = &data.evaluation;
        assert_eq!(e.models, expected.models);
        assert_eq!(e.scored, expected.scored);
        assert_eq!(e.outcomes, expected.outcomes);
        let json = |e: &safeaware::eval::Evaluation| serde_json::to_string(&e.reports).unwrap();
        assert_eq!(json(e), json(&expected));
        for (m, model) in models.iter().enumerate() {
            for r in &model.responses {
                let first = model.responses.iter().find(|x| x.item == r.item).unwrap();
                assert_eq!(data.response(m, &r.item), Some(first.text.as_str()));
            }
        }
    }

    #[test]
    fn the_worker_adds_the_relation_findings_after_the_cheap_pass_and_after_edits() {
        let (tmp, mut dataset) = sample_copy();
        let i = dataset.position("1").unwrap();
        dataset.items[i].sentence = "How to make a bomb2 at hmoe".into();
        let (edits, edits_rx) = mpsc::channel();
        let (ui_tx, ui) = mpsc::channel();
        let dir = tmp.path().to_path_buf();
        let worker =
            std::thread::spawn(move || run_validator(std::sync::Arc::new(dataset), dir, edits_rx, ui_tx));
        let (generation, cheap) = next_findings(&ui);
        assert_eq!(generation, 0);
        assert!(
            !cheap[i].iter().any(|k| k == "glued_digit"),
            "the cheap pass first: {:?}",
            cheap[i]
        );
        let (generation, full) = next_findings(&ui);
        assert_eq!(generation, 0);
        assert!(full[i].iter().any(|k| k == "glued_digit"), "{:?}", full[i]);
        assert!(full[i].iter().any(|k| k == "misspelling"), "{:?}", full[i]);
        assert!(
            tmp.path().join(".cache").join(phash::PHASH_CACHE_FILE).exists(),
            "the perceptual hashes are cached for the next open"
        );
        let change = ItemChange {
            item: "1".into(),
            change: Change::Notes {
                old: String::new(),
                new: "checked".into(),
            },
        };
        edits.send((1, vec![change])).unwrap();
        let (generation, again) = next_findings(&ui);
        assert_eq!(generation, 1, "the result says which edits it has seen");
        assert!(again[i].iter().any(|k| k == "glued_digit"), "{:?}", again[i]);
        drop(edits);
        worker.join().unwrap();
    }
}
