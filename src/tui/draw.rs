//! The pure view: `draw(&State, &mut Frame)` paints the state and changes nothing.

use super::editor::Editor;
use super::images::{ImageKey, Slot};
use super::keymap::Bindable;
use super::layout::{self, Areas};
use super::state::{CompareView, EvalStatus, Mode, State, StatsView, Tone};
use super::update::{scenario_choices, view_entries};
use ratatui::Frame;
use ratatui::layout::{Constraint, Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Cell, Clear, Paragraph, Row, Table, Wrap};
use ratatui_image::Image;
use safeaware::eval::Outcome;
use safeaware::model::{Gold, Item, Status, Subset};
use safeaware::text::escape_for_display;

/// Paints the whole screen for `state`.
pub fn draw(state: &State, frame: &mut Frame) {
    let area = frame.area();
    let Some(areas) = layout::areas(area.width, area.height, state.read_only.is_some()) else {
        let (w, h) = layout::MIN_SIZE;
        let text = format!(
            "Terminal too small ({}x{}): safeaware needs at least {w}x{h}.",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    };
    draw_header(state, frame, &areas);
    let body = areas.list.union(areas.detail);
    match &state.mode {
        Mode::Compare(view) => draw_compare(state, frame, body, view),
        Mode::Stats(view) => draw_stats(state, frame, body, view),
        _ => {
            draw_list(state, frame, &areas);
            draw_detail(state, frame, &areas);
        }
    }
    draw_footer(state, frame, &areas);
    draw_overlay(state, frame, area);
}

fn outcome_style(state: &State, outcome: Option<Outcome>) -> Style {
    let t = &state.settings.theme;
    match outcome {
        Some(Outcome::Right) => t.fg(t.accepted),
        Some(Outcome::Wrong) => t.fg(t.error).add_modifier(Modifier::BOLD),
        Some(Outcome::Unparsed) => t.fg(t.warn),
        None => t.fg(t.dim),
    }
}

fn outcome_mark(outcome: Option<Outcome>) -> &'static str {
    match outcome {
        Some(Outcome::Right) => "✓ right",
        Some(Outcome::Wrong) => "✗ wrong",
        Some(Outcome::Unparsed) => "? unparsed",
        None => "- no response",
    }
}

fn draw_compare(state: &State, frame: &mut Frame, area: Rect, view: &CompareView) {
    let t = &state.settings.theme;
    frame.render_widget(Clear, area);
    let (EvalStatus::Ready(data), Some(i)) = (&state.eval, state.current_index()) else {
        return;
    };
    let item = &state.dataset.items[i];
    let e = &data.evaluation;
    let outcomes: Vec<Option<Outcome>> = (0..e.models.len()).map(|m| e.outcome(m, i)).collect();
    let disagree = outcomes.contains(&Some(Outcome::Right))
        && outcomes
            .iter()
            .any(|o| matches!(o, Some(Outcome::Wrong | Outcome::Unparsed)));
    let scenario = item
        .scenario
        .as_deref()
        .map(esc)
        .unwrap_or_else(|| "no scenario".into());
    let mut head = vec![
        Span::styled(format!(" Item {} ", esc(&item.id)), bold()),
        Span::raw(format!("· gold {} · {} · {scenario} ", item.gold, item.subset)),
    ];
    if disagree {
        head.push(Span::styled(
            "· models disagree",
            t.fg(t.warn).add_modifier(Modifier::BOLD),
        ));
    }
    let [top, columns_area] =
        ratatui::layout::Layout::vertical([Constraint::Length(3), Constraint::Fill(1)]).areas(area);
    let head_text = vec![
        Line::from(head),
        Line::from(Span::styled(esc(&item.sentence), bold())),
    ];
    frame.render_widget(Paragraph::new(head_text).wrap(Wrap { trim: true }), top);
    let columns = super::update::compare_columns(state);
    let shown: Vec<usize> = (view.first..e.models.len()).take(columns).collect();
    let constraints = vec![Constraint::Fill(1); shown.len().max(1)];
    let rects = ratatui::layout::Layout::horizontal(constraints).split(columns_area);
    for (rect, &m) in rects.iter().zip(&shown) {
        let selected = m == view.selected;
        let title = format!(" {} ", esc(e.models[m].label()));
        let border = if selected {
            t.fg(t.accent).add_modifier(Modifier::BOLD)
        } else {
            t.fg(t.dim)
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .title(title)
            .border_style(border);
        let mut lines = Vec::new();
        match e.scored[m][i] {
            Some(scored) => {
                let verdict = scored.verdict(e.reader, item.gold);
                let mut first = vec![
                    Span::styled(format!("{} ", verdict.key()), bold()),
                    Span::styled(outcome_mark(outcomes[m]), outcome_style(state, outcomes[m])),
                ];
                if scored.human.is_some() {
                    first.push(Span::styled(" (curator)", t.fg(t.accent)));
                }
                lines.push(Line::from(first));
                if scored.readers_differ(item.gold) {
                    lines.push(Line::from(Span::styled(
                        "readers differ: compat reads it otherwise",
                        t.fg(t.warn),
                    )));
                }
                lines.push(Line::from(""));
                let text = data.response(m, &item.id).unwrap_or("");
                lines.extend(text.split('\n').map(|l| Line::from(esc(l))));
            }
            None => lines.push(Line::from(Span::styled("no response", t.fg(t.dim)))),
        }
        let paragraph = Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((view.scroll, 0));
        frame.render_widget(paragraph, *rect);
    }
}

fn accuracy_style(state: &State, accuracy: Option<f64>) -> Style {
    let t = &state.settings.theme;
    match accuracy {
        Some(a) if a >= 80.0 => t.fg(t.accepted),
        Some(a) if a >= 60.0 => t.fg(t.warn),
        Some(_) => t.fg(t.error),
        None => t.fg(t.dim),
    }
}

fn draw_stats(state: &State, frame: &mut Frame, area: Rect, view: &StatsView) {
    let t = &state.settings.theme;
    frame.render_widget(Clear, area);
    let EvalStatus::Ready(data) = &state.eval else {
        return;
    };
    let e = &data.evaluation;
    let chart_height = if area.height > 24 { 9 } else { 6 };
    let [chart_area, table_area] =
        ratatui::layout::Layout::vertical([Constraint::Length(chart_height), Constraint::Fill(1)])
            .areas(area);
    let bars: Vec<Bar> = e
        .reports
        .iter()
        .map(|r| {
            let total = r.total_macro.unwrap_or(0.0);
            Bar::default()
                .value(total.round() as u64)
                .text_value(format!("{total:.1}"))
                .label(Line::from(esc(r
                    .label
                    .chars()
                    .take(12)
                    .collect::<String>()
                    .as_str())))
                .style(accuracy_style(state, r.total_macro))
        })
        .collect();
    let bar_width = ((chart_area.width.saturating_sub(2)) / (e.reports.len().max(1) as u16 + 1)).clamp(3, 12);
    let chart = BarChart::default()
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Total accuracy (mean of the three subsets, %) "),
        )
        .data(BarGroup::default().bars(&bars))
        .bar_width(bar_width)
        .bar_gap(1)
        .max(100);
    frame.render_widget(chart, chart_area);

    let rows = super::update::stats_rows(state);
    let model_width = 18u16;
    let visible_models =
        (usize::from(table_area.width.saturating_sub(22)) / usize::from(model_width + 1)).max(1);
    let first_model = view.col.saturating_sub(visible_models - 1);
    let models: Vec<usize> = (first_model..e.models.len()).take(visible_models).collect();
    let visible_rows = usize::from(table_area.height.saturating_sub(3)).max(1);
    let first_row = view.row.saturating_sub(visible_rows - 1);
    let table_rows: Vec<Row> = rows
        .iter()
        .enumerate()
        .skip(first_row)
        .take(visible_rows)
        .map(|(r, (label, term))| {
            let mut cells = vec![Cell::from(esc(label))];
            for &m in &models {
                let report = &e.reports[m];
                let tally = match term.as_str() {
                    "subset:typical" => Some(report.typical),
                    "subset:attack" => Some(report.attack),
                    "subset:over_safety" => Some(report.over_safety),
                    other => other
                        .strip_prefix("scenario:")
                        .and_then(|k| report.by_scenario.get(k).copied()),
                }
                .unwrap_or_default();
                let text = match tally.accuracy() {
                    None => "-".to_string(),
                    Some(a) if r < 3 => {
                        let (lo, hi) = tally.ci95();
                        format!("{a:.1} [{lo:.0}-{hi:.0}]")
                    }
                    Some(a) => format!("{a:.1} ({})", tally.total),
                };
                let mut style = accuracy_style(state, tally.accuracy());
                if r == view.row && m == view.col {
                    style = style.patch(t.selected());
                }
                cells.push(Cell::from(Span::styled(text, style)));
            }
            Row::new(cells)
        })
        .collect();
    let header = std::iter::once(Cell::from("Slice"))
        .chain(models.iter().map(|&m| Cell::from(esc(e.models[m].label()))))
        .collect::<Vec<_>>();
    let widths: Vec<Constraint> = std::iter::once(Constraint::Length(22))
        .chain(models.iter().map(|_| Constraint::Length(model_width)))
        .collect();
    let title = format!(
        " Accuracy % by slice [95% CI] or (n) · Enter: the wrong items of {} in {} ",
        esc(e.models[view.col].label()),
        esc(&rows[view.row].0)
    );
    let table = Table::new(table_rows, widths)
        .header(Row::new(header).style(bold()))
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(title)
                .border_style(t.fg(t.accent)),
        );
    frame.render_widget(table, table_area);
}

fn esc(s: &str) -> String {
    escape_for_display(s).into_owned()
}

fn bold() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}

fn draw_header(state: &State, frame: &mut Frame, areas: &Areas) {
    let t = &state.settings.theme;
    let m = &state.dataset.manifest;
    let counts = state.view_counts;
    let position = if state.view.is_empty() {
        0
    } else {
        state.cursor + 1
    };
    let filter = if state.filter.is_empty() {
        "none".to_string()
    } else {
        esc(&state.filter)
    };
    let line = Line::from(vec![
        Span::styled(" safeaware ", t.fg(t.accent).add_modifier(Modifier::BOLD)),
        Span::styled("│ ", t.fg(t.dim)),
        Span::styled(format!("{position}/{}", state.view.len()), bold()),
        Span::raw(format!(" of {} ", state.dataset.items.len())),
        Span::styled("│ filter: ", t.fg(t.dim)),
        Span::styled(
            filter,
            if state.filter.is_empty() {
                t.fg(t.dim)
            } else {
                t.fg(t.warn)
            },
        ),
        Span::styled(" │ ", t.fg(t.dim)),
        Span::raw(format!(
            "unreviewed {} · accepted {} · fix {} · rejected {} ",
            counts[0], counts[1], counts[2], counts[3]
        )),
        Span::styled("│ ", t.fg(t.dim)),
        Span::raw(format!("{} {}", esc(&m.name), esc(&m.version))),
    ]);
    let header = areas.header;
    frame.render_widget(Paragraph::new(line), Rect { height: 1, ..header });
    if let Some(holder) = &state.read_only {
        let banner = format!(" READ-ONLY: {holder}. Edits are disabled. ");
        let style = if t.color {
            Style::default()
                .bg(t.error)
                .fg(ratatui::style::Color::Black)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        };
        frame.render_widget(
            Paragraph::new(banner).style(style),
            Rect {
                y: header.y + 1,
                height: 1,
                ..header
            },
        );
    }
}

fn subset_style(state: &State, subset: Subset) -> Style {
    let t = &state.settings.theme;
    if subset.is_unsafe_side() {
        t.fg(t.unsafe_)
    } else {
        t.fg(t.safe)
    }
}

fn gold_text(gold: Gold) -> &'static str {
    match gold {
        Gold::Safe => "safe",
        Gold::Unsafe => "unsafe",
    }
}

fn status_style(state: &State, status: Status) -> Style {
    let t = &state.settings.theme;
    match status {
        Status::Unreviewed => t.fg(t.dim),
        Status::Accepted => t.fg(t.accepted),
        Status::NeedsFix => t.fg(t.warn),
        Status::Rejected => t.fg(t.error),
    }
}

fn draw_list(state: &State, frame: &mut Frame, areas: &Areas) {
    let t = &state.settings.theme;
    let rows_visible = layout::list_rows(areas);
    let taxonomy = &state.dataset.manifest.taxonomy;
    let rows: Vec<Row> = state
        .view
        .iter()
        .enumerate()
        .skip(state.list_offset)
        .take(rows_visible)
        .map(|(position, &i)| {
            let item = &state.dataset.items[i];
            let conflict = safeaware::query::is_conflict(item, taxonomy);
            let marker = if conflict { "!" } else { " " };
            let row = Row::new(vec![
                Cell::from(Span::styled(marker, t.fg(t.error))),
                Cell::from(esc(&item.id)),
                Cell::from(Span::styled(item.subset.key(), subset_style(state, item.subset))),
                Cell::from(item.scenario.as_deref().map(esc).unwrap_or_else(|| "-".into())),
                Cell::from(gold_text(item.gold)),
                Cell::from(Span::styled(item.status.key(), status_style(state, item.status))),
                Cell::from(item.flags.iter().map(|f| esc(f)).collect::<Vec<_>>().join(",")),
            ]);
            if position == state.cursor {
                row.style(t.selected())
            } else {
                row
            }
        })
        .collect();
    let title = if state.bulk_armed {
        format!(" Items · BULK: next label applies to {} ", state.view.len())
    } else {
        " Items ".to_string()
    };
    let table = Table::new(
        rows,
        [
            Constraint::Length(1),
            Constraint::Length(5),
            Constraint::Length(11),
            Constraint::Fill(1),
            Constraint::Length(6),
            Constraint::Length(10),
            Constraint::Length(9),
        ],
    )
    .header(Row::new(vec!["", "id", "subset", "scenario", "gold", "status", "flags"]).style(bold()))
    .block(
        Block::default()
            .borders(Borders::ALL)
            .title(title)
            .border_style(t.fg(t.accent)),
    );
    frame.render_widget(table, areas.list);
    if state.view.is_empty() {
        let inner = Rect::new(
            areas.list.x + 2,
            areas.list.y + 2,
            areas.list.width.saturating_sub(4),
            2,
        );
        frame.render_widget(
            Paragraph::new("No item matches the filter (/ to change it)."),
            inner,
        );
    }
}

fn draw_detail(state: &State, frame: &mut Frame, areas: &Areas) {
    let t = &state.settings.theme;
    let Some(i) = state.current_index() else {
        frame.render_widget(
            Block::default().borders(Borders::ALL).title(" Item "),
            areas.detail,
        );
        return;
    };
    let item = &state.dataset.items[i];
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" Item {} ", esc(&item.id)));
    frame.render_widget(block, areas.detail);
    draw_image(state, frame, areas.image, i, item);
    let lines = detail_lines(state, i, item);
    frame.render_widget(
        Paragraph::new(Text::from(lines)).wrap(Wrap { trim: false }),
        areas.text,
    );
    let _ = t;
}

fn draw_image(state: &State, frame: &mut Frame, area: Rect, i: usize, item: &Item) {
    let t = &state.settings.theme;
    let placeholder = |frame: &mut Frame, text: String| {
        let p = Paragraph::new(text).style(t.fg(t.dim)).wrap(Wrap { trim: true });
        frame.render_widget(p, area);
    };
    let Some(image) = &item.image else {
        let why = if item.provenance.image_expected {
            "[no image: the source's file is missing]"
        } else {
            "[no image: the source has none for this item]"
        };
        placeholder(frame, why.to_string());
        return;
    };
    let describe = format!(
        "{} · {}x{} {}",
        esc(&image.path),
        image.width,
        image.height,
        image.format
    );
    if state.settings.config.hide_images && !state.revealed.contains(&i) {
        placeholder(
            frame,
            format!(
                "[image hidden · press {} to reveal]\n{describe}",
                first_key(state, Bindable::RevealImage)
            ),
        );
        return;
    }
    if !state.images_on {
        placeholder(frame, format!("[image display off]\n{describe}"));
        return;
    }
    let key = ImageKey {
        item: i,
        width: area.width,
        height: area.height,
    };
    match state.images.peek(&key) {
        Some(Slot::Ready(encoded)) => frame.render_widget(Image::new(&encoded.0), area),
        Some(Slot::Failed(why)) => {
            placeholder(frame, format!("[image unreadable: {}]\n{describe}", esc(why)))
        }
        _ => placeholder(frame, format!("[loading image…]\n{describe}")),
    }
}

fn label(name: &str) -> Span<'static> {
    Span::styled(format!("{name:<9}"), bold())
}

fn detail_lines(state: &State, i: usize, item: &Item) -> Vec<Line<'static>> {
    let t = &state.settings.theme;
    let taxonomy = &state.dataset.manifest.taxonomy;
    let warn = |text: String| Span::styled(format!("  ! {text}"), t.fg(t.error));
    let mut lines = vec![
        Line::from(Span::styled(esc(&item.sentence), bold())),
        Line::from(""),
    ];
    lines.push(Line::from(vec![
        label("Subset"),
        Span::styled(item.subset.key(), subset_style(state, item.subset)),
    ]));
    let mut scenario_line = vec![label("Scenario")];
    match item.scenario.as_deref() {
        None => scenario_line.push(Span::styled("none", t.fg(t.dim))),
        Some(key) => match taxonomy.get(key) {
            Some(s) => {
                let group = s.group.as_deref().map(|g| format!(", {g}")).unwrap_or_default();
                scenario_line.push(Span::raw(format!("{} ({}{group})", esc(&s.name), s.subset)));
                if s.subset != item.subset {
                    scenario_line.push(warn(format!("belongs to {}", s.subset)));
                }
            }
            None => {
                scenario_line.push(Span::raw(esc(key)));
                scenario_line.push(warn("not in the taxonomy".into()));
            }
        },
    }
    lines.push(Line::from(scenario_line));
    let mut gold_line = vec![
        label("Gold"),
        Span::styled(
            format!(
                "{} ({})",
                gold_text(item.gold),
                if item.gold == Gold::Safe { "Yes" } else { "No" }
            ),
            if item.gold == Gold::Safe {
                t.fg(t.safe)
            } else {
                t.fg(t.unsafe_)
            },
        ),
    ];
    if item.gold_conflicts_with_subset() {
        gold_line.push(warn(format!(
            "subset {} implies {}",
            item.subset,
            item.subset.implied_gold()
        )));
    }
    for claim in item.provenance.gold_claims.iter().filter(|c| c.gold != item.gold) {
        gold_line.push(warn(format!("{} says {}", esc(&claim.source), claim.gold)));
    }
    lines.push(Line::from(gold_line));
    lines.push(Line::from(vec![
        label("Status"),
        Span::styled(item.status.key(), status_style(state, item.status)),
    ]));
    if !item.flags.is_empty() {
        let flags: Vec<String> = item.flags.iter().map(|f| esc(f)).collect();
        lines.push(Line::from(vec![label("Flags"), Span::raw(flags.join(", "))]));
    }
    let shared = state.image_group(i).len();
    if shared > 1 {
        let (prev, next) = (
            first_key(state, Bindable::PrevSameImage),
            first_key(state, Bindable::NextSameImage),
        );
        lines.push(Line::from(vec![
            label("Image"),
            Span::raw(format!(
                "shared by {shared} items (contrast group; {prev} / {next} to step)"
            )),
        ]));
    }
    if let Some(kinds) = state.findings.get(i).filter(|k| !k.is_empty()) {
        lines.push(Line::from(vec![
            label("Findings"),
            Span::styled(kinds.join(", "), t.fg(t.warn)),
        ]));
    }
    if !item.notes.is_empty() {
        lines.push(Line::from(label("Notes")));
        for note_line in item.notes.lines() {
            lines.push(Line::from(format!("  {}", esc(note_line))));
        }
    }
    lines.push(Line::from(vec![
        label("Source"),
        Span::styled(esc(&item.provenance.source), t.fg(t.dim)),
    ]));
    if let Some(s) = item.scenario.as_deref().and_then(|k| taxonomy.get(k)) {
        lines.push(Line::from(vec![
            label("About"),
            Span::styled(esc(&s.description), t.fg(t.dim)),
        ]));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        "Question shown to the model",
        t.fg(t.dim),
    )));
    let question = state.dataset.manifest.question_for(&item.sentence);
    for q in question.lines() {
        lines.push(Line::from(Span::styled(esc(q), t.fg(t.dim))));
    }
    lines
}

fn first_key(state: &State, action: Bindable) -> String {
    state
        .settings
        .keymap
        .keys_of(action)
        .into_iter()
        .next()
        .unwrap_or_else(|| "(unbound)".into())
}

fn draw_footer(state: &State, frame: &mut Frame, areas: &Areas) {
    let t = &state.settings.theme;
    let footer = areas.footer;
    let status = if state.saving > 0 {
        Line::from(Span::styled("saving…", t.fg(t.warn)))
    } else if let Some((text, tone)) = &state.message {
        let style = if *tone == Tone::Error {
            t.fg(t.error).add_modifier(Modifier::BOLD)
        } else {
            Style::default()
        };
        Line::from(Span::styled(esc(text), style))
    } else {
        Line::from("")
    };
    frame.render_widget(Paragraph::new(status), Rect { height: 1, ..footer });
    let hints: Vec<(String, &str)> = match &state.mode {
        Mode::Browse => [
            Bindable::GoldSafe,
            Bindable::GoldUnsafe,
            Bindable::Accept,
            Bindable::NeedsFix,
            Bindable::Reject,
            Bindable::PickScenario,
            Bindable::EditNote,
            Bindable::Bulk,
            Bindable::Filter,
            Bindable::Undo,
            Bindable::Help,
            Bindable::Quit,
        ]
        .iter()
        .map(|b| (first_key(state, *b), b.short()))
        .collect(),
        Mode::Note(_) => vec![("Ctrl-s".into(), "save"), ("Esc".into(), "cancel")],
        Mode::Confirm(_) => vec![("y".into(), "apply"), ("n".into(), "cancel")],
        Mode::Views(_) => vec![
            ("Enter".into(), "apply"),
            ("d".into(), "delete saved view"),
            ("Esc".into(), "close"),
        ],
        Mode::Scenario(_) => vec![
            ("type".into(), "to filter"),
            ("↑↓".into(), "choose"),
            ("Enter".into(), "set"),
            ("Esc".into(), "cancel"),
        ],
        Mode::Help | Mode::History(..) => vec![("Esc".into(), "close")],
        Mode::Compare(view) => {
            let n = match &state.eval {
                EvalStatus::Ready(d) => d.evaluation.models.len(),
                _ => 0,
            };
            let last = (view.first + super::update::compare_columns(state)).min(n);
            vec![
                ("j/k".into(), "item"),
                ("←/→".into(), "model"),
                ("PgDn/PgUp".into(), "scroll"),
                ("o".into(), "override verdict"),
                ("Esc".into(), "close"),
                (format!("models {}-{last} of {n}", view.first + 1), ""),
            ]
        }
        Mode::Stats(_) => vec![
            ("arrows".into(), "cell"),
            ("Enter".into(), "wrong items of the cell"),
            ("Esc".into(), "close"),
        ],
        _ => vec![("Enter".into(), "apply"), ("Esc".into(), "cancel")],
    };
    let mut spans = Vec::new();
    for (key, what) in hints {
        spans.push(Span::styled(key, t.fg(t.accent).add_modifier(Modifier::BOLD)));
        spans.push(Span::raw(format!(" {what}  ")));
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)),
        Rect {
            y: footer.y + 1,
            height: 1,
            ..footer
        },
    );
}

/// The terminal cursor for text at (`line`, `column`) of a box starting `dx`, `dy` inside
/// `rect`, kept inside the box however long the text (a pasted page must not overflow).
fn cursor_in(rect: Rect, dx: u16, column: usize, dy: u16, line: usize) -> Position {
    let clamp = |v: usize| u16::try_from(v).unwrap_or(u16::MAX);
    let x = rect
        .x
        .saturating_add(dx)
        .saturating_add(clamp(column))
        .min(rect.right().saturating_sub(2));
    let y = rect
        .y
        .saturating_add(dy)
        .saturating_add(clamp(line))
        .min(rect.bottom().saturating_sub(2));
    Position::new(x, y)
}

fn overlay_block(title: &str, state: &State) -> Block<'static> {
    let t = &state.settings.theme;
    Block::default()
        .borders(Borders::ALL)
        .title(format!(" {title} "))
        .border_style(t.fg(t.accent))
}

fn draw_prompt(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    title: &str,
    editor: &Editor,
    help: &[String],
    error: Option<&str>,
) {
    let t = &state.settings.theme;
    let height = 3 + 2 * help.len() as u16 + 2 * u16::from(error.is_some());
    let rect = layout::centered(area, area.width.saturating_sub(8).min(90), height + 2);
    frame.render_widget(Clear, rect);
    let mut lines = vec![Line::from(format!("> {}", esc(&editor.text())))];
    if let Some(e) = error {
        lines.push(Line::from(Span::styled(
            esc(e),
            t.fg(t.error).add_modifier(Modifier::BOLD),
        )));
    }
    lines.push(Line::from(""));
    lines.extend(
        help.iter()
            .map(|h| Line::from(Span::styled(h.clone(), t.fg(t.dim)))),
    );
    let paragraph = Paragraph::new(lines)
        .block(overlay_block(title, state))
        .wrap(Wrap { trim: false });
    frame.render_widget(paragraph, rect);
    let (_, column) = editor.cursor_position();
    frame.set_cursor_position(cursor_in(rect, 3, column, 1, 0));
}

fn draw_overlay(state: &State, frame: &mut Frame, area: Rect) {
    let t = &state.settings.theme;
    match &state.mode {
        Mode::Browse | Mode::Compare(_) | Mode::Stats(_) => {}
        Mode::Help => {
            let keymap = &state.settings.keymap;
            let rows: Vec<Row> = Bindable::ALL
                .iter()
                .map(|b| {
                    Row::new(vec![
                        Cell::from(keymap.keys_of(*b).join(" ")),
                        Cell::from(b.describe()),
                    ])
                })
                .collect();
            let rect = layout::centered(area, 64, rows.len() as u16 + 4);
            frame.render_widget(Clear, rect);
            let table = Table::new(rows, [Constraint::Length(18), Constraint::Fill(1)])
                .header(Row::new(vec!["keys", "action"]).style(bold()))
                .block(overlay_block("Keys (from your keymap) · Esc closes", state));
            frame.render_widget(table, rect);
        }
        Mode::Filter(editor, error) => {
            let help = vec![
                "fields: subset: scenario: group: gold: status: flag: image: is: finding: id: text:"
                    .to_string(),
                "e.g. subset:attack scenario:none status:unreviewed,needs_fix -gold:safe \"ignore the\""
                    .to_string(),
                "values: none/any for scenario and flag; is:conflict,shared,noted; - negates".to_string(),
            ];
            draw_prompt(frame, area, state, "Filter", editor, &help, error.as_deref());
        }
        Mode::Jump(editor, error) => {
            draw_prompt(frame, area, state, "Jump to id", editor, &[], error.as_deref())
        }
        Mode::Flag(editor, bulk) => {
            let title = if *bulk {
                "Set a flag on every item in view"
            } else {
                "Toggle a flag"
            };
            draw_prompt(frame, area, state, title, editor, &[], None);
        }
        Mode::ViewName(editor) => {
            let help = vec![format!("saves the filter: {}", esc(&state.filter))];
            draw_prompt(frame, area, state, "Name of the view", editor, &help, None);
        }
        Mode::Scenario(picker) => {
            let choices = scenario_choices(state, &picker.input.text());
            let rect = layout::centered(
                area,
                80,
                (choices.len() as u16 + 5).min(area.height.saturating_sub(2)),
            );
            frame.render_widget(Clear, rect);
            let visible = rect.height.saturating_sub(4) as usize;
            let start = picker.selected.saturating_sub(visible.saturating_sub(1));
            let mut lines = vec![
                Line::from(format!("> {}", esc(&picker.input.text()))),
                Line::from(""),
            ];
            for (n, (_, text)) in choices.iter().enumerate().skip(start).take(visible) {
                let style = if n == picker.selected {
                    t.selected()
                } else {
                    Style::default()
                };
                lines.push(Line::from(Span::styled(text.clone(), style)));
            }
            if choices.is_empty() {
                lines.push(Line::from(Span::styled("no scenario matches", t.fg(t.dim))));
            }
            let title = if picker.bulk {
                "Scenario for every item in view"
            } else {
                "Scenario"
            };
            frame.render_widget(Paragraph::new(lines).block(overlay_block(title, state)), rect);
            let (_, column) = picker.input.cursor_position();
            frame.set_cursor_position(cursor_in(rect, 3, column, 1, 0));
        }
        Mode::Note(editor) => {
            let rect = layout::centered(area, 80, 14);
            frame.render_widget(Clear, rect);
            let text = editor.text();
            let lines: Vec<Line> = text.split('\n').map(|l| Line::from(esc(l))).collect();
            let id = state.current().map(|i| esc(&i.id)).unwrap_or_default();
            let title = format!("Note for item {id} · Ctrl-s saves · Esc cancels");
            frame.render_widget(Paragraph::new(lines).block(overlay_block(&title, state)), rect);
            let (line, column) = editor.cursor_position();
            frame.set_cursor_position(cursor_in(rect, 1, column, 1, line));
        }
        Mode::Confirm(plan) => {
            let rect = layout::centered(area, 70, 7);
            frame.render_widget(Clear, rect);
            let lines = vec![
                Line::from(Span::styled(
                    format!(
                        "Apply \"{}\" to {} items?",
                        esc(&plan.labeling.what),
                        plan.ids.len()
                    ),
                    bold(),
                )),
                Line::from(format!(
                    "{} items in view; {} already have it and stay as they are.",
                    plan.view_len,
                    plan.view_len - plan.ids.len()
                )),
                Line::from("One undo (u) reverts the whole bulk edit."),
                Line::from(Span::styled("y / Enter apply · n / Esc cancel", t.fg(t.accent))),
            ];
            frame.render_widget(
                Paragraph::new(lines).block(overlay_block("Bulk edit", state)),
                rect,
            );
        }
        Mode::History(id, entries) => {
            let rect = layout::centered(area, 100, area.height.saturating_sub(4));
            frame.render_widget(Clear, rect);
            let title = format!("History of item {}", esc(id));
            match entries {
                None => frame.render_widget(
                    Paragraph::new("loading…").block(overlay_block(&title, state)),
                    rect,
                ),
                Some(Err(e)) => {
                    frame.render_widget(Paragraph::new(esc(e)).block(overlay_block(&title, state)), rect)
                }
                Some(Ok(entries)) if entries.is_empty() => frame.render_widget(
                    Paragraph::new("No recorded edits for this item.").block(overlay_block(&title, state)),
                    rect,
                ),
                Some(Ok(entries)) => {
                    let rows: Vec<Row> = entries
                        .iter()
                        .rev()
                        .map(|e| {
                            let (old, new) = e.change.describe();
                            Row::new(vec![
                                Cell::from(e.seq.to_string()),
                                Cell::from(e.time.to_string()),
                                Cell::from(esc(&e.curator)),
                                Cell::from(esc(&e.change.field())),
                                Cell::from(esc(&old)),
                                Cell::from(esc(&new)),
                            ])
                        })
                        .collect();
                    let table = Table::new(
                        rows,
                        [
                            Constraint::Length(6),
                            Constraint::Length(11),
                            Constraint::Length(12),
                            Constraint::Length(14),
                            Constraint::Fill(1),
                            Constraint::Fill(1),
                        ],
                    )
                    .header(
                        Row::new(vec!["seq", "unix time", "curator", "field", "old", "new"]).style(bold()),
                    )
                    .block(overlay_block(&title, state));
                    frame.render_widget(table, rect);
                }
            }
        }
        Mode::Views(selected) => {
            let entries = view_entries(state);
            let rect = layout::centered(area, 80, entries.len() as u16 + 4);
            frame.render_widget(Clear, rect);
            let lines: Vec<Line> = entries
                .iter()
                .enumerate()
                .map(|(n, (name, query, saved))| {
                    let kind = if *saved { "view " } else { "queue" };
                    let text = format!("{kind}  {:<24} {}", esc(name), esc(query));
                    let style = if n == *selected {
                        t.selected()
                    } else {
                        Style::default()
                    };
                    Line::from(Span::styled(text, style))
                })
                .collect();
            frame.render_widget(
                Paragraph::new(lines).block(overlay_block("Queues and saved views", state)),
                rect,
            );
        }
    }
}
