//! The writer thread: owns the editing session, makes each action durable, reports back.
//! The UI shows an edit only when its `Persisted` report arrives, i.e. after the fsync.

use super::action::Action;
use safeaware::model::{FieldValue, Override, Verdict};
use safeaware::session::{Session, item_history};
use safeaware::store::responses;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

/// Idle time after which pending journal entries are folded into the items file.
const COMPACT_WHEN_IDLE: Duration = Duration::from_secs(30);

/// Work for the writer thread.
#[derive(Debug)]
pub enum WriterCommand {
    /// Apply edits as one action.
    Apply(Vec<(String, FieldValue)>, String),
    /// Undo the last action.
    Undo,
    /// Redo the last undone action.
    Redo,
    /// Replace the saved views.
    SaveViews(BTreeMap<String, String>),
    /// Read one item's history.
    History(String),
    /// Save (or clear) a curator verdict: model, item, verdict.
    Override(String, String, Option<Verdict>, String),
    /// Compact and stop.
    Quit,
}

/// Runs until `Quit` or until the UI hangs up; compacts before returning.
/// Without a session (read-only) only history requests are served.
pub fn run_writer(
    mut session: Option<Session>,
    dir: PathBuf,
    commands: Receiver<WriterCommand>,
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
            WriterCommand::Quit => break,
            WriterCommand::History(id) => {
                Action::HistoryLoaded(id.clone(), item_history(&dir, &id).map_err(|e| e.to_string()))
            }
            WriterCommand::SaveViews(views) => match session.as_ref() {
                Some(s) => Action::ViewsSaved(s.save_views(&views).map_err(|e| e.to_string())),
                None => Action::ViewsSaved(Err("read-only".into())),
            },
            WriterCommand::Override(model, item, verdict, curator) => match session.as_ref() {
                Some(s) => Action::OverrideSaved(
                    save_override(s, &model, &item, verdict, curator)
                        .map(|()| (model, item, verdict))
                        .map_err(|e| e.to_string()),
                ),
                None => Action::OverrideSaved(Err("read-only".into())),
            },
            WriterCommand::Apply(edits, what) => {
                persist(session.as_mut(), what, &mut compaction_failed, |s| s.apply(edits))
            }
            WriterCommand::Undo => persist(
                session.as_mut(),
                "undo".into(),
                &mut compaction_failed,
                Session::undo,
            ),
            WriterCommand::Redo => persist(
                session.as_mut(),
                "redo".into(),
                &mut compaction_failed,
                Session::redo,
            ),
        };
        if ui.send(reply).is_err() {
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
