//! The paper's results table and its breakdowns, rendered for people (table, markdown),
//! for papers (LaTeX, booktabs) and for scripts (CSV, JSON).

pub use super::grid::Format;
use super::grid::Grid;
use super::model_report::{ModelReport, Tally};
use super::score::Evaluation;
use crate::model::Dataset;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Rows of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    /// Model rows, columns Typical, Attack, Over-Safe, Total (the paper's layout).
    Subset,
    /// Scenario rows, one column per model.
    Scenario,
    /// Group rows, one column per model.
    Group,
}

/// What to put in the report.
#[derive(Debug, Clone, Copy)]
pub struct ReportOptions {
    /// Output format.
    pub format: Format,
    /// Layout.
    pub by: By,
    /// Show 95% intervals in table, markdown and LaTeX (always in CSV and JSON).
    pub intervals: bool,
    /// Share of models that must contradict the gold for a label-error candidate.
    pub candidate_share: f64,
}

fn pct(value: Option<f64>) -> String {
    value.map(|v| format!("{v:.1}")).unwrap_or_else(|| "-".into())
}

fn cell(t: &Tally, intervals: bool) -> String {
    match (t.accuracy(), intervals) {
        (None, _) => "-".into(),
        (Some(a), false) => format!("{a:.1}"),
        (Some(a), true) => {
            let (lo, hi) = t.ci95();
            format!("{a:.1} [{lo:.1}, {hi:.1}]")
        }
    }
}

pub(super) fn breakdown(eval: &Evaluation, dataset: &Dataset, by: By) -> Vec<(String, Vec<Tally>)> {
    let taxonomy = &dataset.manifest.taxonomy;
    let keys: Vec<(String, String)> = match by {
        By::Scenario => taxonomy
            .scenarios
            .iter()
            .map(|s| (s.key.clone(), s.name.clone()))
            .chain([("none".to_string(), "(no scenario)".to_string())])
            .collect(),
        _ => {
            let mut groups: Vec<String> = eval
                .reports
                .iter()
                .flat_map(|r| r.by_group.keys().cloned())
                .collect();
            groups.sort();
            groups.dedup();
            groups.into_iter().map(|g| (g.clone(), g)).collect()
        }
    };
    keys.into_iter()
        .map(|(key, name)| {
            let tallies: Vec<Tally> = eval
                .reports
                .iter()
                .map(|r| {
                    let map: &BTreeMap<String, Tally> = if by == By::Scenario {
                        &r.by_scenario
                    } else {
                        &r.by_group
                    };
                    map.get(&key).copied().unwrap_or_default()
                })
                .collect();
            (name, tallies)
        })
        .filter(|(_, t)| t.iter().any(|x| x.total > 0))
        .collect()
}

/// The report as text in the chosen format.
pub fn render(eval: &Evaluation, dataset: &Dataset, options: &ReportOptions) -> String {
    match options.format {
        Format::Json => {
            serde_json::to_string_pretty(&to_json(eval, dataset, options)).expect("JSON renders") + "\n"
        }
        Format::Csv => render_csv(eval, dataset, options.by),
        text => {
            let grid = match options.by {
                By::Subset => Grid {
                    header: ["Model", "Typical", "Attack", "Over-Safe", "Total"]
                        .map(String::from)
                        .to_vec(),
                    rows: eval
                        .reports
                        .iter()
                        .map(|r| {
                            vec![
                                r.label.clone(),
                                cell(&r.typical, options.intervals),
                                cell(&r.attack, options.intervals),
                                cell(&r.over_safety, options.intervals),
                                pct(r.total_macro),
                            ]
                        })
                        .collect(),
                },
                by => Grid {
                    header: std::iter::once(
                        if by == By::Scenario { "Scenario" } else { "Group" }.to_string(),
                    )
                    .chain(eval.reports.iter().map(|r| r.label.clone()))
                    .chain(["n".to_string()])
                    .collect(),
                    rows: breakdown(eval, dataset, by)
                        .into_iter()
                        .map(|(name, tallies)| {
                            let n = tallies.iter().map(|t| t.total).max().unwrap_or(0);
                            std::iter::once(name)
                                .chain(tallies.iter().map(|t| cell(t, options.intervals)))
                                .chain([n.to_string()])
                                .collect()
                        })
                        .collect(),
                },
            };
            let mut out = grid.render(text);
            if text == Format::Table {
                out.push_str(&notes(eval, dataset, options));
            }
            out
        }
    }
}

/// The lines under the text table: what was counted and what to look at next.
fn notes(eval: &Evaluation, dataset: &Dataset, options: &ReportOptions) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nAccuracy in %; Total = mean of the three subset accuracies (as in the paper). {}.",
        readers_used(eval)
    );
    for r in &eval.reports {
        let mut parts = vec![format!("pooled {}", pct(r.pooled))];
        parts.push(format!("misses {}% of unsafe", pct(r.unsafe_miss_rate)));
        parts.push(format!(
            "flags {}% of benign as unsafe",
            pct(r.over_sensitivity_rate)
        ));
        if r.unparsed > 0 {
            parts.push(format!("{} unparsed", r.unparsed));
        }
        if r.missing > 0 {
            parts.push(format!("{} without response", r.missing));
        }
        if r.no_answer > 0 {
            parts.push(format!("{} no answer (left out)", r.no_answer));
        }
        if r.overrides > 0 {
            parts.push(format!("{} curator overrides", r.overrides));
        }
        if r.reader_differences > 0 {
            parts.push(format!("readers differ on {}", r.reader_differences));
        }
        let _ = writeln!(out, "  {}: {}", r.label, parts.join(", "));
    }
    if eval.excluded_rejected > 0 {
        let _ = writeln!(
            out,
            "{} rejected items left out (--include-rejected counts them).",
            eval.excluded_rejected
        );
    }
    let candidates = eval.label_error_candidates(dataset, options.candidate_share);
    if !candidates.is_empty() {
        let ids: Vec<String> = candidates
            .iter()
            .take(10)
            .map(|c| format!("{} ({}/{})", c.item, c.disagree, c.voters))
            .collect();
        let _ = writeln!(
            out,
            "Label-error candidates ({}): {}",
            candidates.len(),
            ids.join(", ")
        );
    }
    out
}

fn render_csv(eval: &Evaluation, dataset: &Dataset, by: By) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let tally_fields = |t: &Tally| {
        let (lo, hi) = t.ci95();
        vec![
            t.correct.to_string(),
            t.total.to_string(),
            pct(t.accuracy()),
            format!("{lo:.2}"),
            format!("{hi:.2}"),
        ]
    };
    let result = match by {
        By::Subset => {
            let mut header = vec!["model".to_string()];
            for s in ["typical", "attack", "over_safety"] {
                for f in ["correct", "total", "accuracy", "ci_low", "ci_high"] {
                    header.push(format!("{s}_{f}"));
                }
            }
            header.extend(
                [
                    "total_macro",
                    "pooled",
                    "unparsed",
                    "missing",
                    "no_answer",
                    "overrides",
                ]
                .map(String::from),
            );
            let mut rows = vec![header];
            for r in &eval.reports {
                let mut row = vec![r.model.clone()];
                for t in [&r.typical, &r.attack, &r.over_safety] {
                    row.extend(tally_fields(t));
                }
                row.extend([
                    pct(r.total_macro),
                    pct(r.pooled),
                    r.unparsed.to_string(),
                    r.missing.to_string(),
                    r.no_answer.to_string(),
                    r.overrides.to_string(),
                ]);
                rows.push(row);
            }
            rows.into_iter().try_for_each(|row| w.write_record(row))
        }
        by => {
            let mut rows = vec![
                [
                    "slice", "model", "correct", "total", "accuracy", "ci_low", "ci_high",
                ]
                .map(String::from)
                .to_vec(),
            ];
            for (name, tallies) in breakdown(eval, dataset, by) {
                for (r, t) in eval.reports.iter().zip(tallies) {
                    let mut row = vec![name.clone(), r.model.clone()];
                    row.extend(tally_fields(&t));
                    rows.push(row);
                }
            }
            rows.into_iter().try_for_each(|row| w.write_record(row))
        }
    };
    result.expect("writing CSV into memory cannot fail");
    String::from_utf8(w.into_inner().expect("in-memory writer")).expect("CSV of UTF-8 fields is UTF-8")
}

fn model_json(r: &ModelReport) -> Value {
    json!({
        "model": r.model,
        "label": r.label,
        "protocol": r.protocol,
        "typical": r.typical,
        "attack": r.attack,
        "over_safety": r.over_safety,
        "total_macro": r.total_macro,
        "pooled": r.pooled,
        "unsafe_miss_rate": r.unsafe_miss_rate,
        "over_sensitivity_rate": r.over_sensitivity_rate,
        "unparsed": r.unparsed,
        "missing": r.missing,
        "no_answer": r.no_answer,
        "no_answer_by_subset": r.no_answer_by_subset,
        "overrides": r.overrides,
        "reader_differences": r.reader_differences,
        "confusion": r.confusion,
        "by_scenario": r.by_scenario,
        "by_group": r.by_group,
    })
}

/// The reader of each protocol the evaluated models use, e.g. `Reader: strict (first yes/no)`.
pub fn readers_used(eval: &Evaluation) -> String {
    let judgment = match eval.reader {
        super::Reader::Strict => "strict (first yes/no)",
        super::Reader::Compat => "compat (the authors' substring rule)",
    };
    let has = |p: crate::model::Protocol| eval.protocols.contains(&p);
    match (
        has(crate::model::Protocol::Judgment),
        has(crate::model::Protocol::Refusal),
    ) {
        (true, true) => format!(
            "Readers: judgment {judgment}; refusal {}",
            eval.refusal_source.describe()
        ),
        (false, true) => format!("Reader: {}", eval.refusal_source.describe()),
        _ => format!("Reader: {judgment}"),
    }
}

/// Longest item list in the JSON report (the counts are always complete).
pub const LIST_LIMIT: usize = 1000;

/// The JSON contract: `{"models": [...], ...}` with accuracies in percent.
pub fn to_json(eval: &Evaluation, dataset: &Dataset, options: &ReportOptions) -> Value {
    let mut pairs = Vec::new();
    for a in 0..eval.reports.len() {
        for b in a + 1..eval.reports.len() {
            let (only_a, only_b, p) = eval.mcnemar(dataset, a, b);
            pairs.push(json!({"a": eval.reports[a].model, "b": eval.reports[b].model, "a_only_right": only_a, "b_only_right": only_b, "mcnemar_p": p}));
        }
    }
    let differences = eval.reader_disagreements(dataset);
    let difference_examples: Vec<Value> = differences
        .iter()
        .take(LIST_LIMIT)
        .map(|&(m, i)| json!({"model": eval.models[m].name, "item": dataset.items[i].id}))
        .collect();
    let candidates = eval.label_error_candidates(dataset, options.candidate_share);
    let all_wrong = eval.all_wrong(dataset);
    json!({
        "reader": eval.reader,
        "refusal_reader": eval.refusal_source,
        "excluded_rejected": eval.excluded_rejected,
        "models": eval.reports.iter().map(model_json).collect::<Vec<_>>(),
        "pairs": pairs,
        "label_error_candidates": {"count": candidates.len(), "items": &candidates[..candidates.len().min(LIST_LIMIT)]},
        "all_wrong": {"count": all_wrong.len(), "items": &all_wrong[..all_wrong.len().min(LIST_LIMIT)]},
        "reader_disagreements": {"count": differences.len(), "items": difference_examples},
        "contrast_groups": eval.contrast_groups(dataset),
    })
}
