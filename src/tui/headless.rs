//! Scripted mode: the same update and draw against an in-memory terminal, keys read from
//! a file. Prints the final screen on stdout, one line per durable change on stderr
//! (`saved item=.. field=.. new=..`), and the timing of update + draw per key.

use super::Workers;
use super::action::Action;
use super::draw::draw;
use super::input::translate_key;
use super::keymap::parse_key;
use super::state::State;
use super::update::update;
use ratatui::backend::TestBackend;
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Options of a headless run.
#[derive(Debug, Clone)]
pub struct HeadlessOptions {
    /// Screen size (columns, rows).
    pub size: (u16, u16),
    /// The key script (one key per line; `text:words` types words; `#` comments).
    pub keys: Option<PathBuf>,
}

/// One step of a key script.
enum Step {
    Key(crossterm::event::KeyEvent),
    Text(String),
}

fn parse_script(text: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(words) = line.strip_prefix("text:") {
            steps.push(Step::Text(words.to_string()));
        } else {
            let key = parse_key(line.trim()).map_err(|e| format!("line {}: {e}", n + 1))?;
            steps.push(Step::Key(key));
        }
    }
    Ok(steps)
}

/// Waits (bounded) for the writer to report every pending save, applying worker results.
fn settle(state: &mut State, workers: &Workers, log: &mut impl Write) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while state.saving > 0 && Instant::now() < deadline {
        match workers.inbox.recv_timeout(Duration::from_millis(50)) {
            Ok(action) => apply_reported(state, action, log),
            Err(_) => continue,
        }
        workers.dispatch(state);
    }
    for action in workers.inbox.try_iter().collect::<Vec<_>>() {
        apply_reported(state, action, log);
    }
    workers.dispatch(state);
}

fn apply_reported(state: &mut State, action: Action, log: &mut impl Write) {
    if let Action::Persisted { batch, .. } = &action {
        let mut lines = String::new();
        for c in &batch.changes {
            let (_, new) = c.change.describe();
            lines.push_str(&format!(
                "saved item={} field={} new={}\n",
                safeaware::text::escape_for_display(&c.item),
                c.change.field().replace(' ', ":"),
                safeaware::text::escape_for_display(&new)
            ));
        }
        let _ = log.write_all(lines.as_bytes());
        let _ = log.flush();
    }
    update(state, action);
}

/// Runs the script and prints the final screen and the timing line.
pub fn run(state: &mut State, workers: &Workers, options: &HeadlessOptions) -> Result<(), String> {
    let steps = match &options.keys {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            parse_script(&text).map_err(|e| format!("{}: {e}", path.display()))?
        }
        None => Vec::new(),
    };
    let (w, h) = options.size;
    let mut terminal = ratatui::Terminal::new(TestBackend::new(w, h)).map_err(|e| e.to_string())?;
    let mut stderr = std::io::stderr();
    let mut times: Vec<Duration> = Vec::new();
    let mut frame =
        |state: &mut State, action: Option<Action>, times: &mut Vec<Duration>| -> Result<(), String> {
            let start = Instant::now();
            if let Some(action) = action {
                update(state, action);
            }
            terminal.draw(|f| draw(state, f)).map_err(|e| e.to_string())?;
            times.push(start.elapsed());
            Ok(())
        };
    super::update::request_images(state);
    frame(state, None, &mut times)?;
    workers.dispatch(state);
    for step in steps {
        let actions: Vec<Action> = match step {
            Step::Key(key) => translate_key(&key, &state.mode, &state.settings.keymap)
                .into_iter()
                .collect(),
            Step::Text(words) => words.chars().map(Action::Input).collect(),
        };
        for action in actions {
            frame(state, Some(action), &mut times)?;
            workers.dispatch(state);
            settle(state, workers, &mut stderr);
        }
        if state.quit {
            break;
        }
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    while state.images_on && Instant::now() < deadline && images_loading(state) {
        if let Ok(action) = workers.inbox.recv_timeout(Duration::from_millis(20)) {
            apply_reported(state, action, &mut stderr);
        }
    }
    settle(state, workers, &mut stderr);
    frame(state, None, &mut times)?;
    let screen = screen_text(terminal.backend().buffer());
    print!("{screen}");
    let _ = std::io::stdout().flush();
    let mut ms: Vec<f64> = times.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    ms.sort_by(f64::total_cmp);
    let pick = |q: f64| ms[((ms.len() as f64 - 1.0) * q).round() as usize];
    eprintln!(
        "frames={} p50_ms={:.3} p99_ms={:.3} max_ms={:.3}",
        ms.len(),
        pick(0.5),
        pick(0.99),
        ms.last().copied().unwrap_or(0.0)
    );
    Ok(())
}

fn images_loading(state: &State) -> bool {
    let Some(areas) = super::layout::areas(state.size.0, state.size.1, state.read_only.is_some()) else {
        return false;
    };
    let Some(i) = state.current_index() else {
        return false;
    };
    if state.dataset.items[i].image.is_none() {
        return false;
    }
    let key = super::images::ImageKey {
        item: i,
        width: areas.image.width,
        height: areas.image.height,
    };
    matches!(state.images.peek(&key), Some(super::images::Slot::Loading))
}

/// The buffer as plain text, one line per row, trailing spaces trimmed.
pub fn screen_text(buffer: &ratatui::buffer::Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        for x in 0..area.width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
