//! `safeaware agree`: inter-rater agreement, for the curator layers of a dataset or the
//! annotator columns of any file.

use super::output::{Exit, Format, print_json};
use clap::Args;
use safeaware::agreement::table::{ColumnSpec, LabelMap, read_columns};
use safeaware::agreement::{self, Agreement, Options};
use safeaware::import::table::TableFormat;
use safeaware::text::{display_width, escape_for_display as esc, pad_left, pad_right};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct AgreeArgs {
    /// A dataset folder (raters: its curator layers), or a CSV, TSV, JSONL or JSON-array
    /// file with one column per annotator (with --columns).
    pub source: PathBuf,
    /// The annotator columns of a file (each one rater), e.g. `--columns ann_1,ann_2,ann_3`.
    #[arg(long, value_delimiter = ',')]
    pub columns: Vec<String>,
    /// Dataset: the label field measured.
    #[arg(long, value_enum, default_value = "gold")]
    pub field: AgreeField,
    /// Dataset: the model whose responses the verdicts judge (with --field verdict).
    #[arg(long)]
    pub model: Option<String>,
    /// Dataset: only these curators (default: every curator with labels).
    #[arg(long, value_delimiter = ',')]
    pub curators: Vec<String>,
    /// Dataset: one result per subset or scenario.
    #[arg(long, value_enum)]
    pub by: Option<GroupBy>,
    /// The id column (records are numbered from 1 without it).
    #[arg(long)]
    pub id_field: Option<String>,
    /// A RON map from raw values to labels, e.g. `{"2_full_refusal": "full_refusal"}`.
    #[arg(long)]
    pub label_map: Option<PathBuf>,
    /// The file's layout (by default from its extension).
    #[arg(long = "input-format", value_enum)]
    pub input_format: Option<TableFormat>,
    /// Bootstrap resamples for the 95% intervals (0: no intervals).
    #[arg(long, default_value_t = 1000)]
    pub resamples: usize,
    /// Seed of the bootstrap stream.
    #[arg(long, default_value_t = 20250101)]
    pub seed: u64,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

/// Label fields `agree DIR` measures.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum AgreeField {
    /// Gold answer.
    Gold,
    /// Scenario.
    Scenario,
    /// Subset.
    Subset,
    /// Review status.
    Status,
    /// Verdicts on one model's responses (curators, readers, judge).
    Verdict,
}

/// Grouping for `--by`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum GroupBy {
    /// Per subset.
    Subset,
    /// Per scenario (`none` for unlabeled).
    Scenario,
}

pub fn run(args: AgreeArgs) -> safeaware::Result<Exit> {
    if args.columns.is_empty() {
        return Err(safeaware::Error::Refused(format!(
            "{} is not a dataset folder; for a file say which columns are raters: --columns A,B",
            esc(&args.source.display().to_string())
        )));
    }
    let format = TableFormat::resolve(args.input_format, &args.source)?;
    let label_map = match &args.label_map {
        Some(path) => LabelMap::load(path)?,
        None => LabelMap::default(),
    };
    let spec = ColumnSpec {
        columns: args.columns.clone(),
        id_field: args.id_field.clone(),
        label_map,
    };
    let ratings = read_columns(&args.source, format, &spec)?;
    let options = Options {
        resamples: args.resamples,
        seed: args.seed,
    };
    let report = agreement::measure_all(&ratings, &args.columns.join(","), options);
    match args.format {
        Format::Json => print_json(&report),
        Format::Text => print!("{}", render(&report)),
    }
    Ok(Exit::Ok)
}

pub(super) fn number(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{v:.3}"))
}

fn interval(ci: Option<[f64; 2]>) -> String {
    ci.map_or(String::new(), |[lo, hi]| format!(" [{lo:.3}, {hi:.3}]"))
}

/// The agreement report for people: coverage, one line per pair, the multi-rater figures,
/// then each pair's confusion matrix.
pub fn render(a: &Agreement) -> String {
    let mut out = String::new();
    let coverage: Vec<String> = a.coverage.iter().map(|(k, n)| format!("{n} by {k}")).collect();
    out.push_str(&format!(
        "{} items, {} raters ({}); labeled {}\n",
        a.items,
        a.curators.len(),
        a.curators
            .iter()
            .map(|c| esc(c).into_owned())
            .collect::<Vec<_>>()
            .join(", "),
        coverage.join(" · ")
    ));
    if !a.blind {
        out.push_str("(labels not made blind: agreement may be inflated)\n");
    }
    out.push('\n');
    let width = a
        .curators
        .iter()
        .map(|c| esc(c).chars().count())
        .max()
        .unwrap_or(1)
        .max(1);
    for p in &a.pairs {
        out.push_str(&format!(
            "{:<width$}  {:<width$}  n {:>6}  agreement {:>6}  kappa {}{}\n",
            esc(&p.a),
            esc(&p.b),
            p.n,
            p.agreement.map_or("-".into(), |v| format!("{:.1}%", v * 100.0)),
            number(p.cohen_kappa),
            interval(p.ci95),
        ));
    }
    out.push_str(&format!(
        "\nFleiss' kappa        {}{}  (over {} items every rater labeled)\n",
        number(a.fleiss_kappa),
        interval(a.fleiss_ci95),
        a.fleiss_items
    ));
    out.push_str(&format!(
        "Krippendorff's alpha {}{}  (nominal, missing labels allowed)\n",
        number(a.krippendorff_alpha),
        interval(a.alpha_ci95)
    ));
    let labels: Vec<String> = a.categories.iter().map(|c| esc(c).into_owned()).collect();
    let cell = labels.iter().map(|l| display_width(l)).max().unwrap_or(1).max(5);
    for p in &a.pairs {
        out.push_str(&format!(
            "\nConfusion: rows {}, columns {}\n",
            esc(&p.a),
            esc(&p.b)
        ));
        out.push_str(&" ".repeat(cell));
        for l in &labels {
            out.push_str(&format!("  {}", pad_left(l, cell)));
        }
        out.push('\n');
        for (l, row) in labels.iter().zip(&p.confusion) {
            out.push_str(&pad_right(l, cell));
            for n in row {
                out.push_str(&format!("  {n:>cell$}"));
            }
            out.push('\n');
        }
    }
    out
}
