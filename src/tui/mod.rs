//! The curation TUI: state + a flat Action enum + pure update + pure draw, with disk
//! and image work on worker threads (`workers`, fed through the `effect` outbox). Each
//! screen lives in `screens/` (its state, keys, update, draw and hints); pieces several
//! screens draw are in `widgets/`. `run` wires them to a real terminal, `headless` to an
//! in-memory one for scripts, tests and benchmarks.

mod action;
mod blind;
pub mod config;
mod curators;
mod draw;
mod editor;
mod effect;
mod headless;
mod images;
mod input;
mod keymap;
mod keys;
mod labeling;
mod layout;
mod resume;
mod scores;
mod screens;
pub mod settings;
mod state;
mod strings;
mod suggested;
mod terminal;
mod theme;
mod update;
mod widgets;
mod workers;
mod workspace;

#[cfg(test)]
mod tests;

use config::ImageProtocol;
use ratatui_image::picker::{Picker, ProtocolType};
use safeaware::session::{self, Session};
use settings::Settings;
use state::State;
use std::path::{Path, PathBuf};
use workers::Workers;
use workspace::Tone;

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
    /// Blind labeling: no gold, other labels, responses, suggestions or findings shown.
    pub blind: bool,
}

/// Opens the dataset for writing, or read-only with a banner when another process holds it.
fn open(
    dir: &Path,
    settings: &Settings,
    size: (u16, u16),
    images_on: bool,
    blind_mode: bool,
) -> safeaware::Result<(State, Option<Session>)> {
    let (mut state, session) = open_session(dir, settings, size, images_on)?;
    if let Some(s) = &session {
        state.ws.curators = curators::Curators::of_session(s, dir);
    } else {
        state.ws.curators = curators::Curators::of_folder(dir, settings.config.curator_name());
    }
    let session = session.map(|mut s| {
        s.set_blind(blind_mode);
        s
    });
    if blind_mode {
        blind::enter(&mut state.ws);
    }
    Ok((state, session))
}

/// Opens the session, or the dataset read-only with a banner.
fn open_session(
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
                notes.push(strings::recovered(report.replayed));
            }
            if report.dropped_torn_line {
                notes.push(strings::DROPPED_TORN_LINE.into());
            }
            if let Some(old) = report.took_over {
                notes.push(strings::took_over(old.pid, &old.host));
            }
            if !notes.is_empty() {
                state.ws.say(notes.join("; "), Tone::Info);
            }
            Ok((state, Some(session)))
        }
        session::Opened::ReadOnly { dataset, reason } => {
            let mut state = State::new(*dataset, dir.to_path_buf(), settings.clone(), images_on, size);
            let banner = match &reason {
                session::ReadOnlyReason::Locked { holder, .. } => {
                    strings::locked_by(holder.pid, &holder.host, &safeaware::time::local(holder.since))
                }
                other => other.to_string(),
            };
            state.ws.read_only = Some(safeaware::text::escape_for_display(&banner).into_owned());
            Ok((state, None))
        }
    }
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

/// Kitty draws images through Unicode placeholders, which kitty supports from 0.28 on;
/// an older kitty shows boxes, so `auto` falls back to half blocks there.
fn fall_back_on_old_kitty(mut picker: Picker) -> Picker {
    let env = |name: &str| std::env::var(name).ok();
    let kitty = terminal_kitty_version(
        env("TERM").as_deref(),
        env("TERM_PROGRAM").as_deref(),
        env("TERM_PROGRAM_VERSION").as_deref(),
        std::env::var_os("KITTY_WINDOW_ID").is_some(),
    );
    if picker.protocol_type() == ProtocolType::Kitty && !images::kitty_placeholders_supported(kitty) {
        picker.set_protocol_type(ProtocolType::Halfblocks);
    }
    picker
}

/// What the environment says about kitty: None when this is not kitty, Some(version) when
/// it is (the version, as "0.26.5", when the environment tells it).
fn terminal_kitty_version(
    term: Option<&str>,
    term_program: Option<&str>,
    term_program_version: Option<&str>,
    kitty_window: bool,
) -> Option<Option<String>> {
    let named_kitty = term_program.is_some_and(|p| p.eq_ignore_ascii_case("kitty"));
    if named_kitty {
        return Some(term_program_version.map(str::to_string));
    }
    (kitty_window || term == Some("xterm-kitty")).then_some(None)
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
        ImageProtocol::Auto => Some(
            probe()
                .map(fall_back_on_old_kitty)
                .unwrap_or_else(Picker::halfblocks),
        ),
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
    let (mut state, session) = open(
        &options.dataset,
        &options.settings,
        size,
        picker.is_some(),
        options.blind,
    )
    .map_err(|e| e.to_string())?;
    let state_dir = resume::state_dir();
    if let Some(saved) = state_dir
        .as_deref()
        .and_then(|d| resume::load(d, &options.dataset))
        .filter(|_| !options.blind)
    {
        resume::restore(&mut state.ws, &saved);
    }
    let workers = Workers::start(&mut state.ws, session, picker);
    state.ws.request_images();
    let result = term.event_loop(&mut state, &workers);
    term.leave();
    if let Some(dir) = &state_dir
        && let Err(e) = resume::save(dir, &state.ws)
    {
        eprintln!("safeaware: cannot save the cursor in {}: {e}", dir.display());
    }
    // The writer finishes the edit in flight and compacts before the process ends.
    workers.shutdown();
    if let Some(signal) = term.caught_signal() {
        std::process::exit(128 + signal);
    }
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
        options.blind,
    )
    .map_err(|e| e.to_string())?;
    let workers = Workers::start(&mut state.ws, session, picker);
    let result = headless::run(&mut state, &workers, &headless, started);
    workers.shutdown();
    result
}
