//! Scripted mode: the same update and draw against an in-memory terminal, keys read from
//! a file. Prints the final screen on stdout, one line per durable change on stderr
//! (`saved item=.. field=.. new=..`), the timing of update + draw per key, and a line
//! with the open time, image decode times and prefetch hits.

use super::action::Action;
use super::draw::draw;
use super::input::translate_key;
use super::keys::parse_key;
use super::scores::EvalStatus;
use super::state::State;
use super::update::update;
use super::workers::Workers;
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

/// What a headless run measures besides frame times.
#[derive(Default)]
struct Stats {
    /// Decode + encode time of every image the worker delivered.
    image_times: Vec<Duration>,
    /// Moves onto an item with an image, and how many found it already encoded.
    moves: usize,
    prefetch_hits: usize,
    /// The script uses suggestions or families: wait until they are built.
    needs_families: bool,
}

/// Waits (bounded) until the writer has reported every pending save, the image worker
/// every requested image, and the background scoring and validation are done, applying
/// what they report (so that a script's screens do not depend on timing).
fn settle(state: &mut State, workers: &Workers, log: &mut impl Write, stats: &mut Stats) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let needs_families = stats.needs_families;
    let busy = |state: &State| {
        state.ws.saving > 0
            || state.ws.images.any_loading()
            || matches!(state.ws.eval, EvalStatus::Loading)
            || !state.ws.findings_ready
            || (needs_families && state.ws.families.is_none())
    };
    while busy(state) && Instant::now() < deadline {
        if let Ok(action) = workers.inbox.recv_timeout(Duration::from_millis(20)) {
            apply_reported(state, action, log, stats);
        }
        workers.dispatch(&mut state.ws);
    }
    for action in workers.inbox.try_iter().collect::<Vec<_>>() {
        apply_reported(state, action, log, stats);
    }
    workers.dispatch(&mut state.ws);
}

fn apply_reported(state: &mut State, action: Action, log: &mut impl Write, stats: &mut Stats) {
    if let Action::ImageLoaded(_, _, took) = &action {
        stats.image_times.push(*took);
    }
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

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The value at quantile `q` of sorted `values` (0 when empty).
fn quantile(values: &[f64], q: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values[((values.len() as f64 - 1.0) * q).round() as usize]
}

/// Runs the script and prints the final screen, the frame timing line and a stats line.
pub fn run(
    state: &mut State,
    workers: &Workers,
    options: &HeadlessOptions,
    started: Instant,
) -> Result<(), String> {
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
    let mut stats = Stats {
        needs_families: steps.iter().any(|step| match step {
            Step::Key(key) => state.keymap.browse.lookup(key).is_some_and(|c| {
                use super::screens::browse::Command;
                matches!(
                    c,
                    Command::AcceptSuggestion | Command::Family | Command::PickScenario
                )
            }),
            Step::Text(words) => words.contains("suggested"),
        }),
        ..Stats::default()
    };
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
    state.ws.request_images();
    frame(state, None, &mut Vec::new())?;
    let open = started.elapsed();
    workers.dispatch(&mut state.ws);
    settle(state, workers, &mut stderr, &mut stats);
    for step in steps {
        let actions: Vec<Action> = match step {
            Step::Key(key) => translate_key(&key, &state.mode, &state.keymap)
                .into_iter()
                .collect(),
            Step::Text(words) => words.chars().map(Action::Input).collect(),
        };
        for action in actions {
            let before = state.ws.current_index();
            frame(state, Some(action), &mut times)?;
            if let Some(i) = state.ws.current_index().filter(|i| Some(*i) != before)
                && state.ws.images_on
                && state.ws.dataset.items[i].image.is_some()
                && let Some(key) = state.ws.image_key(i)
            {
                stats.moves += 1;
                stats.prefetch_hits += usize::from(state.ws.images.is_ready(&key));
            }
            workers.dispatch(&mut state.ws);
            settle(state, workers, &mut stderr, &mut stats);
        }
        if state.ws.quit {
            break;
        }
    }
    settle(state, workers, &mut stderr, &mut stats);
    frame(state, None, &mut Vec::new())?;
    let screen = screen_text(terminal.backend().buffer());
    print!("{screen}");
    let _ = std::io::stdout().flush();
    // Keypress frames only: the first frame is in open_ms, the last one only shows late results.
    let mut ms: Vec<f64> = times.iter().copied().map(millis).collect();
    ms.sort_by(f64::total_cmp);
    eprintln!(
        "frames={} p50_ms={:.3} p99_ms={:.3} max_ms={:.3}",
        ms.len(),
        quantile(&ms, 0.5),
        quantile(&ms, 0.99),
        ms.last().copied().unwrap_or(0.0)
    );
    let mut image_ms: Vec<f64> = stats.image_times.iter().copied().map(millis).collect();
    image_ms.sort_by(f64::total_cmp);
    eprintln!(
        "open_ms={:.1} images={} image_p50_ms={:.2} image_p95_ms={:.2} image_max_ms={:.2} prefetch_hits={}/{}",
        millis(open),
        image_ms.len(),
        quantile(&image_ms, 0.5),
        quantile(&image_ms, 0.95),
        image_ms.last().copied().unwrap_or(0.0),
        stats.prefetch_hits,
        stats.moves
    );
    Ok(())
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
