//! `safeaware responses` (add, list, remove) and `safeaware report`.

use super::output::{Exit, Format, first_ids, print_json};
use clap::{Args, Subcommand};
use safeaware::eval::attack_report::{self, AttackBy};
use safeaware::eval::report::{self, By, ReportOptions};
use safeaware::eval::{self, Reader};
use safeaware::families::{AttackPatterns, Families};
use safeaware::import::responses::{self as import, ReadOptions, ResponseFormat};
use safeaware::model::{ModelInfo, Protocol};
use safeaware::store::{self, DatasetLock};
use safeaware::text::pad_right;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum ResponsesCommand {
    /// Store a model's responses (JSONL, CSV/TSV with a header, or JSON).
    Add(Box<AddArgs>),
    /// List the models with stored responses.
    List(ListArgs),
    /// Delete a model's responses and its curator overrides.
    Remove(RemoveArgs),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The dataset folder.
    dataset: PathBuf,
    /// Short model name (letters, digits, '.', '_', '-'); replaces earlier responses of it.
    #[arg(long)]
    model: String,
    /// Response files, read in order.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Input format (default: from each file's extension).
    #[arg(long, value_enum)]
    format: Option<ResponseFormat>,
    /// Field or column with the item id.
    #[arg(long, default_value = "id")]
    id_field: String,
    /// Field or column with the response text.
    #[arg(long, default_value = "response")]
    response_field: String,
    /// Name shown in reports.
    #[arg(long)]
    display_name: Option<String>,
    /// Who made the model.
    #[arg(long)]
    organisation: Option<String>,
    /// When the responses were collected.
    #[arg(long)]
    date: Option<String>,
    /// Input condition, e.g. image or text_only.
    #[arg(long)]
    condition: Option<String>,
    /// Free notes.
    #[arg(long)]
    notes: Option<String>,
    /// Scoring protocol for this model (default: the dataset's).
    #[arg(long, value_enum)]
    protocol: Option<Protocol>,
    /// Unknown ids, duplicates, empty responses and items without a response are errors.
    #[arg(long)]
    strict: bool,
    /// Skip malformed records (they are listed) instead of importing nothing.
    #[arg(long)]
    skip_bad: bool,
    /// Largest response accepted, in bytes.
    #[arg(long, default_value_t = 1 << 20)]
    max_bytes: usize,
    /// Summary format.
    #[arg(long, value_enum, default_value = "text")]
    output: Format,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// The dataset folder.
    dataset: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The dataset folder.
    dataset: PathBuf,
    /// The model to remove.
    #[arg(long)]
    model: String,
}

pub fn run(cmd: ResponsesCommand) -> safeaware::Result<Exit> {
    match cmd {
        ResponsesCommand::Add(args) => add(*args),
        ResponsesCommand::List(args) => list(args),
        ResponsesCommand::Remove(args) => {
            let lock = DatasetLock::acquire(&args.dataset)?;
            if store::responses::remove_model(&lock, &args.model)? {
                println!("Removed the responses of {}", args.model);
                Ok(Exit::Ok)
            } else {
                Err(safeaware::Error::Refused(format!(
                    "no responses stored for model {:?}",
                    args.model
                )))
            }
        }
    }
}

fn add(args: AddArgs) -> safeaware::Result<Exit> {
    let dataset = safeaware::session::load_with_journal(&args.dataset)?;
    let lock = store::ResponsesLock::acquire(&args.dataset)?;
    let model = ModelInfo {
        name: args.model,
        display_name: args.display_name.unwrap_or_default(),
        organisation: args.organisation.unwrap_or_default(),
        date: args.date.unwrap_or_default(),
        condition: args.condition.unwrap_or_default(),
        notes: args.notes.unwrap_or_default(),
        protocol: args.protocol,
    };
    let options = ReadOptions {
        format: args.format,
        id_field: args.id_field,
        response_field: args.response_field,
        max_bytes: args.max_bytes,
        skip_bad: args.skip_bad,
        strict: args.strict,
    };
    let s = import::add(&lock, &dataset, model, &args.files, &options)?;
    if args.output == Format::Json {
        print_json(&s);
        return Ok(Exit::Ok);
    }
    let verb = if s.replaced { "Replaced" } else { "Stored" };
    println!(
        "{verb} {} responses of {} ({} records read)",
        s.stored, s.model, s.records
    );
    for (what, e) in [
        ("unknown ids (not stored)", &s.unknown_ids),
        ("duplicate ids (first kept)", &s.duplicates),
        ("empty responses", &s.empty),
        ("items without a response", &s.missing),
        ("malformed records skipped", &s.skipped),
    ] {
        if e.count > 0 {
            println!(
                "  {:<28} {:>6}  e.g. {}",
                what,
                e.count,
                first_ids(&e.examples, 5)
            );
        }
    }
    Ok(Exit::Ok)
}

fn list(args: ListArgs) -> safeaware::Result<Exit> {
    let models = store::responses::load_all(&args.dataset)?;
    if args.format == Format::Json {
        let rows: Vec<serde_json::Value> = models
            .iter()
            .map(|m| serde_json::json!({"model": m.model, "responses": m.responses.len()}))
            .collect();
        print_json(&rows);
        return Ok(Exit::Ok);
    }
    if models.is_empty() {
        println!("No responses stored. Add some with `safeaware responses add DATASET --model NAME FILE`.");
    }
    for m in &models {
        let esc = |s: &str| safeaware::text::escape_for_display(s).into_owned();
        println!(
            "{} {} {:>7} responses  {} {}",
            pad_right(&esc(&m.model.name), 24),
            pad_right(&esc(m.model.label()), 28),
            m.responses.len(),
            esc(&m.model.condition),
            esc(&m.model.date)
        );
    }
    Ok(Exit::Ok)
}

/// Rows of `report`: the accuracy breakdowns and the attack breakdowns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum ReportBy {
    /// Model rows, columns Typical, Attack, Over-Safe, Total (the paper's layout).
    Subset,
    /// Scenario rows, one column per model.
    Scenario,
    /// Group rows, one column per model.
    Group,
    /// Family rows: variants each model gets wrong while right on the base.
    Family,
    /// Attack-type rows: attack success rate per model, with family consistency.
    AttackType,
    /// Base-scenario rows: attack success rate per model.
    BaseScenario,
}

impl ReportBy {
    /// The accuracy layout, or the attack layout.
    fn split(self) -> Result<By, AttackBy> {
        match self {
            ReportBy::Subset => Ok(By::Subset),
            ReportBy::Scenario => Ok(By::Scenario),
            ReportBy::Group => Ok(By::Group),
            ReportBy::Family => Err(AttackBy::Family),
            ReportBy::AttackType => Err(AttackBy::AttackType),
            ReportBy::BaseScenario => Err(AttackBy::BaseScenario),
        }
    }
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The dataset folder.
    dataset: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: report::Format,
    /// Rows: models (subset), scenarios, groups, or the attack breakdowns (family,
    /// attack type, base scenario).
    #[arg(long, value_enum, default_value = "subset")]
    by: ReportBy,
    /// Judgment reader.
    #[arg(long, value_enum, default_value = "strict")]
    reader: Reader,
    /// Only these models (comma-separated short names), in this order.
    #[arg(long, value_delimiter = ',')]
    models: Option<Vec<String>>,
    /// Show 95% Wilson intervals in table, markdown and LaTeX.
    #[arg(long)]
    ci: bool,
    /// Count rejected items too.
    #[arg(long)]
    include_rejected: bool,
    /// Share of models contradicting the gold that makes a label-error candidate.
    #[arg(long, default_value_t = 2.0 / 3.0)]
    candidate_share: f64,
}

pub fn report(args: ReportArgs) -> safeaware::Result<Exit> {
    // The dataset and the responses load side by side.
    let (dataset, responses) = std::thread::scope(|scope| {
        let responses = scope.spawn(|| store::responses::load_all(&args.dataset));
        let dataset = safeaware::session::load_with_journal(&args.dataset);
        (dataset, responses.join().expect("loading thread"))
    });
    let (dataset, mut responses) = (dataset?, responses?);
    if let Some(wanted) = &args.models {
        let mut picked = Vec::new();
        for name in wanted {
            let at = responses
                .iter()
                .position(|m| &m.model.name == name)
                .ok_or_else(|| {
                    let known: Vec<&str> = responses.iter().map(|m| m.model.name.as_str()).collect();
                    safeaware::Error::Refused(format!(
                        "no responses for model {name:?} (stored: {})",
                        known.join(", ")
                    ))
                })?;
            picked.push(responses.swap_remove(at));
        }
        responses = picked;
    }
    if responses.is_empty() {
        return Err(safeaware::Error::Refused(format!(
            "{} has no stored responses; add some with `safeaware responses add`",
            safeaware::text::escape_path(&args.dataset)
        )));
    }
    let reader = args.reader;
    let evaluation =
        eval::evaluate_stored(&args.dataset, &dataset, &responses, reader, args.include_rejected)?;
    let text = match args.by.split() {
        Ok(by) => {
            let report_options = ReportOptions {
                format: args.format,
                by,
                intervals: args.ci,
                candidate_share: args.candidate_share,
            };
            report::render(&evaluation, &dataset, &report_options)
        }
        Err(by) => {
            let patterns = AttackPatterns::for_dataset(&args.dataset)?;
            let families = Families::build(&dataset, &patterns);
            attack_report::render(&evaluation, &dataset, &families, by, args.format, args.ci)
        }
    };
    print!("{}", safeaware::text::escape_for_display_multiline(&text));
    Ok(Exit::Ok)
}
