//! Stats: accuracy by model and slice (subsets, the paper's Total, pooled, then the
//! scenarios), each cell a bar with the number and its 95% interval beside it (the same
//! figures as `report`); when a filter narrows the view, every cell counts the view.
//! Enter filters the item list to the selected model's wrong items in the slice.

use super::{Next, Open};
use crate::tui::action::Action;
use crate::tui::keys::{Bindings, Commands, commands};
use crate::tui::scores::EvalStatus;
use crate::tui::strings;
use crate::tui::widgets::{accuracy_style, bold, esc, footer};
use crate::tui::workspace::Workspace;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Row, Table};
use safeaware::eval::{ModelReport, Outcome, Tally};
use safeaware::model::Subset;
use std::collections::BTreeMap;

commands! {
    Down: ["j", "Down"], "next slice", "row" => Action::Down;
    Up: ["k", "Up"], "previous slice", "row" => Action::Up;
    Left: ["h", "Left"], "previous model", "model" => Action::Left;
    Right: ["l", "Right"], "next model", "model" => Action::Right;
    Open: ["Enter"], "the wrong items of the cell", "wrong items of the cell" => Action::Submit;
    Close: ["Esc", "t", "q", "Ctrl-c"], "close", "close" => Action::Cancel;
}

/// The selected cell: row (a slice) and column (a model), and the tallies of the view
/// when a filter narrows it (computed once, when Stats opens).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StatsView {
    /// Row: the subsets, the total, coverage, unparsed, then the scenarios.
    pub row: usize,
    /// Column: the model.
    pub col: usize,
    /// Counts over the view, per model.
    pub counts: ViewCounts,
}

impl StatsView {
    /// Stats of the items in the view (the active filter applied).
    pub fn new(ws: &Workspace) -> StatsView {
        StatsView {
            counts: ViewCounts::of(ws),
            ..StatsView::default()
        }
    }
}

/// Tallies of every model over the items of the view: the report's own when no filter
/// narrows the view, else counted from the outcomes of the view's items.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ViewCounts {
    /// Items in the view.
    pub items: usize,
    /// Whether a filter narrows the view.
    pub filtered: bool,
    /// Per model: typical, attack and over-safety tallies of the view (when filtered).
    pub subsets: Vec<[Tally; 3]>,
    /// Per model: tallies by scenario key of the view (when filtered).
    pub scenarios: Vec<BTreeMap<String, Tally>>,
    /// Per model: items of the view with a response.
    pub responses: Vec<usize>,
    /// Per model: responses of the view that no reader could parse.
    pub unparsed: Vec<usize>,
    /// Per model: responses of the view with nothing to read (left out of accuracy).
    pub no_answer: Vec<usize>,
}

impl ViewCounts {
    /// Counts the view of `ws`.
    pub fn of(ws: &Workspace) -> ViewCounts {
        let EvalStatus::Ready(data) = &ws.eval else {
            return ViewCounts::default();
        };
        let e = &data.evaluation;
        let models = e.models.len();
        let mut counts = ViewCounts {
            items: ws.view.len(),
            filtered: !ws.filter.is_empty(),
            subsets: vec![[Tally::default(); 3]; models],
            scenarios: vec![BTreeMap::new(); models],
            responses: vec![0; models],
            unparsed: vec![0; models],
            no_answer: vec![0; models],
        };
        for &i in &ws.view {
            let item = &ws.dataset.items[i];
            let counted = e.counts(&ws.dataset, i);
            for m in 0..models {
                let no_answer = e.scored[m][i].is_some_and(|s| !s.verdict(e.reader, item.gold).is_scored());
                counts.no_answer[m] += usize::from(no_answer);
                let Some(outcome) = e.outcome(m, i) else { continue };
                counts.responses[m] += 1;
                counts.unparsed[m] += usize::from(outcome == Outcome::Unparsed);
                if !counted {
                    continue;
                }
                let right = u64::from(outcome == Outcome::Right);
                let tally = &mut counts.subsets[m][subset_slot(item.subset)];
                tally.total += 1;
                tally.correct += right;
                if let Some(key) = &item.scenario {
                    let tally = counts.scenarios[m].entry(key.clone()).or_default();
                    tally.total += 1;
                    tally.correct += right;
                }
            }
        }
        counts
    }

    /// What the cell of model `m` on `slice` shows.
    fn figure(&self, slice: &Slice, m: usize, report: &ModelReport) -> Figure {
        let subsets = if self.filtered {
            self.subsets.get(m).copied().unwrap_or_default()
        } else {
            [report.typical, report.attack, report.over_safety]
        };
        match slice {
            Slice::Subset(s) => Figure::Accuracy(subsets[subset_slot(*s)]),
            Slice::Total if !self.filtered => Figure::Mean(report.total_macro),
            Slice::Total => {
                let accuracies: Vec<f64> = subsets.iter().filter_map(Tally::accuracy).collect();
                Figure::Mean(
                    (!accuracies.is_empty())
                        .then(|| accuracies.iter().sum::<f64>() / accuracies.len() as f64),
                )
            }
            Slice::Pooled => Figure::Accuracy(subsets.iter().fold(Tally::default(), |sum, t| Tally {
                correct: sum.correct + t.correct,
                total: sum.total + t.total,
            })),
            Slice::Scenario(key) if self.filtered => Figure::Accuracy(
                self.scenarios
                    .get(m)
                    .and_then(|s| s.get(key))
                    .copied()
                    .unwrap_or_default(),
            ),
            Slice::Scenario(_) => Figure::Accuracy(slice.tally(report)),
            Slice::Coverage => Figure::Count(format!(
                "{} / {}",
                self.responses.get(m).copied().unwrap_or(0),
                self.items
            )),
            Slice::Unparsed => Figure::Count(strings::stats_unparsed(
                self.unparsed.get(m).copied().unwrap_or(0),
                self.no_answer.get(m).copied().unwrap_or(0),
            )),
        }
    }
}

/// The position of a subset in [`ViewCounts::subsets`].
fn subset_slot(subset: Subset) -> usize {
    match subset {
        Subset::Typical => 0,
        Subset::Attack => 1,
        Subset::OverSafety => 2,
    }
}

/// What one cell shows.
#[derive(Debug, Clone, PartialEq)]
enum Figure {
    /// A bar, the accuracy and its 95% Wilson interval (as `report --intervals` prints them).
    Accuracy(Tally),
    /// A bar and a mean accuracy without interval (the paper's Total).
    Mean(Option<f64>),
    /// A count, no bar.
    Count(String),
}

impl Figure {
    /// The accuracy the bar draws, if any.
    fn accuracy(&self) -> Option<f64> {
        match self {
            Figure::Accuracy(tally) => tally.accuracy(),
            Figure::Mean(mean) => *mean,
            Figure::Count(_) => None,
        }
    }

    /// The number beside the bar: `63.9 [60.1, 67.5]`, `60.0`, `33 / 34`, or `-`.
    fn text(&self) -> String {
        match self {
            Figure::Accuracy(tally) => match tally.accuracy() {
                Some(a) => {
                    let (lo, hi) = tally.ci95();
                    format!("{a:.1} [{lo:.1}, {hi:.1}]")
                }
                None => "-".to_string(),
            },
            Figure::Mean(mean) => mean.map_or_else(|| "-".to_string(), |a| format!("{a:.1}")),
            Figure::Count(text) => text.clone(),
        }
    }
}

/// A horizontal bar of `width` cells for `accuracy` percent, in eighths of a cell, on a
/// light track so that the scale reads without colour; blank without an accuracy.
fn bar(accuracy: Option<f64>, width: usize) -> String {
    const PARTS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let Some(a) = accuracy else {
        return " ".repeat(width);
    };
    let eighths = ((a.clamp(0.0, 100.0) / 100.0) * (width * 8) as f64).round() as usize;
    let (full, part) = (eighths / 8, eighths % 8);
    let mut out = "█".repeat(full);
    if part > 0 {
        out.push(PARTS[part]);
    }
    let drawn = full + usize::from(part > 0);
    out.push_str(&"░".repeat(width.saturating_sub(drawn)));
    out
}

/// What a row of the table counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slice {
    /// One subset.
    Subset(Subset),
    /// One scenario, by key.
    Scenario(String),
    /// The mean of the three subset accuracies (the paper's Total, as in `report`).
    Total,
    /// Every scored item together.
    Pooled,
    /// Items with a response, out of the view.
    Coverage,
    /// Responses no reader could parse.
    Unparsed,
}

impl Slice {
    /// The filter selecting model `model`'s failures in the slice: its wrong items, its
    /// unparsed answers, or the items it did not answer.
    pub fn query(&self, model: &str) -> String {
        match self {
            Slice::Subset(s) => format!("wrong:{model} subset:{}", s.key()),
            Slice::Scenario(key) => format!("wrong:{model} scenario:{key}"),
            Slice::Total | Slice::Pooled => format!("wrong:{model}"),
            Slice::Coverage => format!("-right:{model} -wrong:{model}"),
            Slice::Unparsed => format!("unparsed:{model}"),
        }
    }

    /// A model's tally on the slice.
    pub fn tally(&self, report: &ModelReport) -> Tally {
        match self {
            Slice::Subset(Subset::Typical) => report.typical,
            Slice::Subset(Subset::Attack) => report.attack,
            Slice::Subset(Subset::OverSafety) => report.over_safety,
            Slice::Scenario(key) => report.by_scenario.get(key).copied().unwrap_or_default(),
            Slice::Total | Slice::Pooled | Slice::Coverage | Slice::Unparsed => Tally::default(),
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatsRow {
    /// What the first column says.
    pub label: String,
    /// What it counts.
    pub slice: Slice,
}

/// The rows: the subsets, Total, Pooled, coverage and unparsed, then the scenarios that
/// have scored items.
pub fn rows(ws: &Workspace) -> Vec<StatsRow> {
    let mut rows: Vec<StatsRow> = [
        (strings::header::TYPICAL, Subset::Typical),
        (strings::header::ATTACK, Subset::Attack),
        (strings::header::OVER_SAFE, Subset::OverSafety),
    ]
    .into_iter()
    .map(|(label, s)| StatsRow {
        label: label.to_string(),
        slice: Slice::Subset(s),
    })
    .collect();
    for (label, slice) in [
        (strings::header::TOTAL, Slice::Total),
        (strings::header::POOLED, Slice::Pooled),
        (strings::header::COVERAGE, Slice::Coverage),
        (strings::header::UNPARSED, Slice::Unparsed),
    ] {
        rows.push(StatsRow {
            label: label.to_string(),
            slice,
        });
    }
    if let EvalStatus::Ready(data) = &ws.eval {
        for s in &ws.dataset.manifest.taxonomy.scenarios {
            if data
                .evaluation
                .reports
                .iter()
                .any(|r| r.by_scenario.get(&s.key).is_some_and(|t| t.total > 0))
            {
                rows.push(StatsRow {
                    label: s.name.clone(),
                    slice: Slice::Scenario(s.key.clone()),
                });
            }
        }
    }
    rows
}

/// Applies one action to the Stats view.
pub fn update(ws: &mut Workspace, view: &mut StatsView, action: Action) -> Next {
    let EvalStatus::Ready(data) = &ws.eval else {
        return Next::Close;
    };
    let models = data.evaluation.models.len();
    let rows = rows(ws);
    match action {
        Action::Down => view.row = (view.row + 1).min(rows.len().saturating_sub(1)),
        Action::Up => view.row = view.row.saturating_sub(1),
        Action::Right => view.col = (view.col + 1).min(models.saturating_sub(1)),
        Action::Left => view.col = view.col.saturating_sub(1),
        Action::Submit => {
            let model = &data.evaluation.models[view.col].name;
            let query = format!("{} {}", rows[view.row].slice.query(model), ws.filter)
                .trim()
                .to_string();
            return match ws.apply_filter(&query) {
                Ok(()) => Next::Close,
                Err(error) => Next::Open(Open::Filter {
                    text: query,
                    error: Some(error),
                }),
            };
        }
        Action::Cancel | Action::OpenStats | Action::Quit => return Next::Close,
        _ => {}
    }
    Next::Stay
}

/// Widest number beside a bar: `100.0 [100.0, 100.0]`.
const FIGURE_WIDTH: usize = 20;
/// Narrowest and widest bar, in cells.
const BAR_WIDTH: (usize, usize) = (4, 24);
/// Width of the slice column.
const SLICE_WIDTH: u16 = 22;

/// How many model columns fit in `inner` cells beside the slice column, and the width of
/// the bars: as many models as fit with the narrowest bar, then the bars take the rest.
fn columns(inner: u16, models: usize) -> (usize, usize) {
    let room = usize::from(inner.saturating_sub(SLICE_WIDTH + 1));
    let narrowest = FIGURE_WIDTH + 1 + BAR_WIDTH.0 + 1;
    let shown = ((room + 1) / narrowest).clamp(1, models.max(1));
    let column = room.saturating_sub(shown - 1) / shown;
    let bar = column
        .saturating_sub(FIGURE_WIDTH + 1)
        .clamp(BAR_WIDTH.0, BAR_WIDTH.1);
    (shown, bar)
}

/// Paints the table: a row per slice, a column per model, each cell a bar and its figure.
pub fn draw(ws: &Workspace, view: &StatsView, frame: &mut Frame, area: Rect) {
    let t = &ws.theme;
    frame.render_widget(Clear, area);
    let EvalStatus::Ready(data) = &ws.eval else {
        return;
    };
    let e = &data.evaluation;
    let rows = rows(ws);
    let (shown, bar_width) = columns(area.width.saturating_sub(2), e.models.len());
    let first_model = view.col.saturating_sub(shown - 1);
    let models: Vec<usize> = (first_model..e.models.len()).take(shown).collect();
    let visible_rows = usize::from(area.height.saturating_sub(3)).max(1);
    let first_row = view.row.saturating_sub(visible_rows - 1);
    let table_rows: Vec<Row> = rows
        .iter()
        .enumerate()
        .skip(first_row)
        .take(visible_rows)
        .map(|(r, row)| {
            let mut cells = vec![Cell::from(esc(&row.label))];
            for &m in &models {
                let figure = view.counts.figure(&row.slice, m, &e.reports[m]);
                let accuracy = figure.accuracy();
                let mut style = accuracy_style(t, accuracy);
                if r == view.row && m == view.col {
                    style = style.patch(t.selected());
                }
                let drawn = match figure {
                    Figure::Count(_) => " ".repeat(bar_width),
                    _ => bar(accuracy, bar_width),
                };
                cells.push(Cell::from(Line::from(vec![
                    Span::styled(drawn, style),
                    Span::raw(" "),
                    Span::styled(figure.text(), style),
                ])));
            }
            Row::new(cells)
        })
        .collect();
    let slice_header = if models.len() < e.models.len() {
        strings::stats_models_shown(first_model + 1, first_model + models.len(), e.models.len())
    } else {
        strings::header::SLICE.to_string()
    };
    let header = std::iter::once(Cell::from(slice_header))
        .chain(models.iter().map(|&m| Cell::from(esc(e.models[m].label()))))
        .collect::<Vec<_>>();
    let column = (bar_width + 1 + FIGURE_WIDTH) as u16;
    let widths: Vec<Constraint> = std::iter::once(Constraint::Length(SLICE_WIDTH))
        .chain(models.iter().map(|_| Constraint::Length(column)))
        .collect();
    let mut title = strings::stats_title(&esc(e.models[view.col].label()), &esc(&rows[view.row].label));
    if view.counts.filtered {
        title = format!(
            "{title}· {} ",
            strings::stats_filtered(view.counts.items, ws.dataset.items.len())
        );
    }
    let table = Table::new(table_rows, widths)
        .header(Row::new(header).style(bold()))
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(title)
                .border_style(t.fg(t.accent)),
        );
    frame.render_widget(table, area);
}

/// The footer of Stats.
pub fn hints(keys: &Bindings<Command>) -> Vec<(String, String)> {
    vec![
        footer::pair(keys, Command::Down, Command::Up, "row"),
        footer::pair(keys, Command::Left, Command::Right, "model"),
        footer::one(keys, Command::Open, Command::Open.short()),
        footer::one(keys, Command::Close, Command::Close.short()),
    ]
}
