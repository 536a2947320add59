//! The curation TUI: state + a flat Action enum + pure update + pure draw, with disk
//! and image work on worker threads. `run` wires them to a real terminal, `headless`
//! to an in-memory one for scripts, tests and benchmarks.

mod action;
pub mod config;
mod draw;
mod editor;
mod headless;
mod images;
mod input;
mod keymap;
mod layout;
mod state;
mod terminal;
mod theme;
mod update;
mod writer;

#[cfg(test)]
mod tests;

use action::Action;
use config::{ImageProtocol, Settings};
use images::ImageRequest;
use ratatui_image::picker::{Picker, ProtocolType};
use safeaware::session::{self, Session};
use state::{Effect, State, Tone};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use writer::WriterCommand;

pub use headless::HeadlessOptions;

/// How the TUI was asked to start.
#[derive(Debug, Clone)]
pub struct Options {
    /// The dataset folder.
    pub dataset: PathBuf,
    /// Protocol from the command line (wins over the config).
    pub image_protocol: Option<ImageProtocol>,
    /// Loaded settings.
    pub settings: Settings,
}

/// Everything the loop needs besides the state: channels to the workers.
pub(crate) struct Workers {
    writer: Sender<WriterCommand>,
    images: Option<Sender<ImageRequest>>,
    /// Results from every worker, as actions.
    pub(crate) inbox: Receiver<Action>,
    writer_thread: Option<std::thread::JoinHandle<()>>,
}

impl Workers {
    /// Carries out the effects `update` left in the outbox.
    pub(crate) fn dispatch(&self, state: &mut State) {
        for effect in std::mem::take(&mut state.outbox) {
            let sent = match effect {
                Effect::Apply { edits, what } => self.writer.send(WriterCommand::Apply(edits, what)).is_ok(),
                Effect::Undo => self.writer.send(WriterCommand::Undo).is_ok(),
                Effect::Redo => self.writer.send(WriterCommand::Redo).is_ok(),
                Effect::SaveViews(views) => self.writer.send(WriterCommand::SaveViews(views)).is_ok(),
                Effect::LoadHistory(id) => self.writer.send(WriterCommand::History(id)).is_ok(),
                Effect::SetOverride { model, item, verdict } => {
                    let curator = state.settings.config.curator_name();
                    self.writer
                        .send(WriterCommand::Override(model, item, verdict, curator))
                        .is_ok()
                }
                Effect::LoadImages(requests) => match &self.images {
                    Some(tx) => requests.into_iter().all(|r| tx.send(r).is_ok()),
                    None => true,
                },
            };
            if !sent {
                state.saving = 0;
                state.message = Some((
                    "the writer stopped; edits can no longer be saved".into(),
                    Tone::Error,
                ));
            }
        }
    }

    /// Asks the writer to compact and waits for it to finish.
    pub(crate) fn shutdown(mut self) {
        let _ = self.writer.send(WriterCommand::Quit);
        self.images = None;
        if let Some(handle) = self.writer_thread.take() {
            let _ = handle.join();
        }
    }
}

/// Opens the dataset for writing, or read-only with a banner when another process holds it.
fn open(
    dir: &Path,
    settings: &Settings,
    size: (u16, u16),
    images_on: bool,
) -> safeaware::Result<(State, Option<Session>)> {
    match session::open_for_editing(dir, &settings.config.curator_name())? {
        session::Opened::Editing(session, report) => {
            let session = *session;
            let mut state = State::new(
                session.dataset().clone(),
                dir.to_path_buf(),
                settings.clone(),
                images_on,
                size,
            );
            let mut notes = Vec::new();
            if report.replayed > 0 {
                notes.push(format!(
                    "recovered {} unsaved edits from the journal",
                    report.replayed
                ));
            }
            if report.dropped_torn_line {
                notes.push("dropped an unfinished last journal line (a crash mid-write)".into());
            }
            if let Some(old) = report.took_over {
                notes.push(format!(
                    "took over a stale lock of pid {} on {}",
                    old.pid,
                    safeaware::text::escape_for_display(&old.host)
                ));
            }
            if !notes.is_empty() {
                state.message = Some((notes.join("; "), Tone::Info));
            }
            Ok((state, Some(session)))
        }
        session::Opened::ReadOnly { dataset, reason } => {
            let mut state = State::new(*dataset, dir.to_path_buf(), settings.clone(), images_on, size);
            let banner = match &reason {
                session::ReadOnlyReason::Locked { holder, .. } => format!(
                    "locked by pid {} on {} since {}",
                    holder.pid,
                    holder.host,
                    format_time(holder.since)
                ),
                other => other.to_string(),
            };
            state.read_only = Some(safeaware::text::escape_for_display(&banner).into_owned());
            Ok((state, None))
        }
    }
}

/// A Unix time as `YYYY-MM-DD HH:MM UTC`.
fn format_time(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let (h, m) = ((secs % 86_400) / 3600, (secs % 3600) / 60);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{d:02} {h:02}:{m:02} UTC")
}

/// Starts the writer, image and validation workers for `state`.
fn start_workers(state: &mut State, session: Option<Session>, picker: Option<Picker>) -> Workers {
    let (inbox_tx, inbox) = mpsc::channel();
    let (writer, writer_rx) = mpsc::channel();
    let dir = state.dir.clone();
    let ui = inbox_tx.clone();
    let writer_thread = std::thread::Builder::new()
        .name("writer".into())
        .spawn(move || writer::run_writer(session, dir, writer_rx, ui))
        .expect("spawn writer thread");
    let images = picker.map(|picker| {
        let (tx, rx) = mpsc::channel();
        let ui = inbox_tx.clone();
        std::thread::Builder::new()
            .name("images".into())
            .spawn(move || images::run_worker(picker, rx, ui))
            .expect("spawn image thread");
        tx
    });
    let eval_tx = inbox_tx.clone();
    let dataset = state.dataset.clone();
    let dir = state.dir.clone();
    let ui = inbox_tx;
    std::thread::Builder::new()
        .name("validate".into())
        .spawn(move || {
            let options = safeaware::validate::Options {
                decode_images: false,
                ..Default::default()
            };
            let report =
                safeaware::validate::validate(&dir, &dataset, options, &safeaware::import::no_progress);
            let index: HashMap<&str, usize> = dataset
                .items
                .iter()
                .enumerate()
                .map(|(i, it)| (it.id.as_str(), i))
                .collect();
            let mut by_item: Vec<Vec<String>> = vec![Vec::new(); dataset.items.len()];
            for finding in report.findings {
                let name = finding.kind.name();
                for id in finding.items {
                    if let Some(kinds) = index.get(id.as_str()).map(|&i| &mut by_item[i])
                        && !kinds.contains(&name)
                    {
                        kinds.push(name.clone());
                    }
                }
            }
            let _ = ui.send(Action::FindingsReady(by_item));
        })
        .expect("spawn validation thread");
    let dataset = state.dataset.clone();
    let dir = state.dir.clone();
    let ui = eval_tx;
    std::thread::Builder::new()
        .name("evaluate".into())
        .spawn(move || {
            let _ = ui.send(Action::EvalLoaded(load_evaluation(&dir, &dataset)));
        })
        .expect("spawn evaluation thread");
    if let Ok(views) = safeaware::store::load_views(&state.dir) {
        state.views = views;
    }
    Workers {
        writer,
        images,
        inbox,
        writer_thread: Some(writer_thread),
    }
}

/// Reads and scores the stored responses (None when there are none).
fn load_evaluation(
    dir: &Path,
    dataset: &safeaware::model::Dataset,
) -> Result<Option<Box<state::EvalData>>, String> {
    let (models, evaluation) =
        safeaware::eval::load_and_evaluate(dir, dataset, safeaware::eval::Reader::Strict, false)
            .map_err(|e| e.to_string())?;
    if models.is_empty() {
        return Ok(None);
    }
    Ok(Some(Box::new(state::EvalData::new(dataset, models, evaluation))))
}

/// A picker for a protocol chosen without probing the terminal.
fn picker_for(protocol: ImageProtocol) -> Option<Picker> {
    let kind = match protocol {
        ImageProtocol::Off => return None,
        ImageProtocol::Auto | ImageProtocol::Halfblocks => ProtocolType::Halfblocks,
        ImageProtocol::Kitty => ProtocolType::Kitty,
        ImageProtocol::Sixel => ProtocolType::Sixel,
        ImageProtocol::Iterm2 => ProtocolType::Iterm2,
    };
    let mut picker = Picker::halfblocks();
    picker.set_protocol_type(kind);
    Some(picker)
}

/// Runs the interactive TUI until the user quits.
pub fn run(options: Options) -> Result<(), String> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return Err(
            "the TUI needs a terminal on stdout; use a subcommand (see --help) or `tui --headless`".into(),
        );
    }
    let protocol = options
        .image_protocol
        .unwrap_or(options.settings.config.image_protocol);
    let mouse = options.settings.config.mouse;
    let mut term =
        terminal::Terminal::enter(mouse).map_err(|e| format!("cannot set up the terminal: {e}"))?;
    // The probe runs once, on the alternate screen, before any event is read. It also
    // measures the cell size in pixels, which a forced graphics protocol needs to size
    // images right. Under tmux the probe times out, so it is skipped there.
    let probe = || {
        (std::env::var_os("TMUX").is_none())
            .then(|| Picker::from_query_stdio().ok())
            .flatten()
    };
    let picker = match protocol {
        ImageProtocol::Auto => Some(probe().unwrap_or_else(Picker::halfblocks)),
        ImageProtocol::Kitty | ImageProtocol::Sixel | ImageProtocol::Iterm2 => {
            let forced = picker_for(protocol);
            match (probe(), forced) {
                (Some(mut measured), Some(forced)) => {
                    measured.set_protocol_type(forced.protocol_type());
                    Some(measured)
                }
                (_, forced) => forced,
            }
        }
        other => picker_for(other),
    };
    let size = term.size();
    let (mut state, session) =
        open(&options.dataset, &options.settings, size, picker.is_some()).map_err(|e| e.to_string())?;
    let workers = start_workers(&mut state, session, picker);
    update::request_images(&mut state);
    let result = term.event_loop(&mut state, &workers);
    term.leave();
    workers.shutdown();
    result.map_err(|e| format!("terminal error: {e}"))
}

/// Runs the TUI against an in-memory terminal, driven by a key script.
pub fn run_headless(options: Options, headless: HeadlessOptions) -> Result<(), String> {
    let started = std::time::Instant::now();
    let protocol = match options.image_protocol {
        Some(ImageProtocol::Auto) | None => ImageProtocol::Off,
        Some(p) => p,
    };
    let picker = picker_for(protocol);
    let (mut state, session) = open(
        &options.dataset,
        &options.settings,
        headless.size,
        picker.is_some(),
    )
    .map_err(|e| e.to_string())?;
    let workers = start_workers(&mut state, session, picker);
    let result = headless::run(&mut state, &workers, &headless, started);
    workers.shutdown();
    result
}
