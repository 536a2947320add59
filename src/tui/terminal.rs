//! The real terminal: raw mode, alternate screen, mouse and bracketed paste on entry,
//! all restored on every exit path (normal return, error, panic, and SIGTERM, SIGINT,
//! SIGHUP or SIGQUIT, which end the event loop like a quit so the journal is flushed).

use super::action::Action;
use super::draw::draw;
use super::input::translate;
use super::state::State;
use super::update::update;
use super::workers::Workers;
use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use crossterm::{cursor, execute};
use ratatui::backend::CrosstermBackend;
use std::io::Stdout;
use std::sync::Arc;
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// The terminal in TUI mode; leaving (or dropping) restores it.
pub struct Terminal {
    inner: ratatui::Terminal<CrosstermBackend<Stdout>>,
    active: bool,
    /// The number of the last terminating signal received (0: none).
    signal: Arc<AtomicUsize>,
}

/// The signals that end the TUI cleanly instead of killing it.
const TERMINATING: [i32; 4] = [
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGINT,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGQUIT,
];

/// How long the event loop has to end cleanly after a terminating signal.
const SIGNAL_GRACE: Duration = Duration::from_secs(5);

/// After a terminating signal, gives the event loop `SIGNAL_GRACE` to end cleanly, then
/// exits with 128 + the signal. A hung-up terminal (SIGHUP when the pty closes) can leave
/// the input reader spinning on a dead descriptor, never back in the loop; every
/// acknowledged edit is already fsynced in the journal, so exiting loses nothing.
fn spawn_signal_deadline(signal: Arc<AtomicUsize>) {
    let watch = move || {
        let sig = loop {
            match signal.load(Ordering::SeqCst) {
                0 => std::thread::sleep(Duration::from_millis(50)),
                sig => break sig,
            }
        };
        std::thread::sleep(SIGNAL_GRACE);
        restore();
        std::process::exit(128 + i32::try_from(sig).unwrap_or(0));
    };
    // Without the watchdog the loop still ends on a signal in the usual case.
    let _ = std::thread::Builder::new()
        .name("signal-deadline".into())
        .spawn(watch);
}

/// Puts the terminal back as the shell expects it. Safe to call more than once.
fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        std::io::stdout(),
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
}

/// Chains a restore before the existing panic hook (color-eyre's), once per process.
fn install_panic_restore() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

impl Terminal {
    /// Enters raw mode and the alternate screen (with mouse capture when asked).
    pub fn enter(mouse: bool) -> std::io::Result<Terminal> {
        install_panic_restore();
        enable_raw_mode()?;
        let mut stdout = std::io::stdout();
        let setup = execute!(stdout, EnterAlternateScreen, EnableBracketedPaste).and_then(|_| {
            if mouse {
                execute!(stdout, EnableMouseCapture)
            } else {
                Ok(())
            }
        });
        if let Err(e) = setup {
            restore();
            return Err(e);
        }
        let inner = match ratatui::Terminal::new(CrosstermBackend::new(std::io::stdout())) {
            Ok(t) => t,
            Err(e) => {
                restore();
                return Err(e);
            }
        };
        let signal = Arc::new(AtomicUsize::new(0));
        for sig in TERMINATING {
            if let Err(e) = signal_hook::flag::register_usize(sig, Arc::clone(&signal), sig as usize) {
                restore();
                return Err(e);
            }
        }
        spawn_signal_deadline(Arc::clone(&signal));
        Ok(Terminal {
            inner,
            active: true,
            signal,
        })
    }

    /// The terminating signal that ended the event loop, if one did.
    pub fn caught_signal(&self) -> Option<i32> {
        match self.signal.load(Ordering::SeqCst) {
            0 => None,
            sig => i32::try_from(sig).ok(),
        }
    }

    /// The terminal size as (columns, rows).
    pub fn size(&self) -> (u16, u16) {
        self.inner.size().map(|s| (s.width, s.height)).unwrap_or((80, 24))
    }

    /// Reads events and worker results, updates and redraws, until the user quits.
    pub fn event_loop(&mut self, state: &mut State, workers: &Workers) -> std::io::Result<()> {
        let mut dirty = true;
        loop {
            if self.caught_signal().is_some() {
                return Ok(());
            }
            if dirty {
                if std::mem::take(&mut state.ws.full_redraw) {
                    // Graphics drawn under a closed overlay are not in ratatui's diff:
                    // repaint everything so the picture comes back whole.
                    self.inner.clear()?;
                }
                self.inner.draw(|frame| draw(state, frame))?;
                dirty = false;
            }
            if event::poll(Duration::from_millis(30))? {
                loop {
                    let ev = event::read()?;
                    let mouse = state.ws.config.mouse;
                    if let Some(action) = translate(&ev, &state.mode, &state.keymap, mouse) {
                        if let Action::Resize(..) = action {
                            self.inner.autoresize()?;
                        }
                        update(state, action);
                        dirty = true;
                    }
                    if !event::poll(Duration::ZERO)? {
                        break;
                    }
                }
            }
            for action in workers.inbox.try_iter() {
                update(state, action);
                dirty = true;
            }
            workers.dispatch(&mut state.ws);
            if state.ws.quit {
                // Test hook (debug builds only): prove the panic path restores the terminal.
                if cfg!(debug_assertions) && std::env::var_os("SAFEAWARE_PANIC_ON_QUIT").is_some() {
                    panic!("SAFEAWARE_PANIC_ON_QUIT is set");
                }
                return Ok(());
            }
        }
    }

    /// Restores the terminal.
    pub fn leave(&mut self) {
        if self.active {
            restore();
            self.active = false;
        }
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        self.leave();
    }
}
