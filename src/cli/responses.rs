//! `safeaware responses` (add, list, remove) and `safeaware report`.

use super::output::{Exit, Format, first_ids, print_json};
use clap::{Args, Subcommand};
use safeaware::eval::attack_report::{self, AttackBy};
use safeaware::eval::report::{self, By, ReportOptions};
use safeaware::eval::{self, Reader, RefusalSource};
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
    #[arg(long, required_unless_present = "model_from", conflicts_with = "model_from")]
    model: Option<String>,
    /// Column or field naming the model of each record: one response set per model.
    #[arg(long, value_name = "COLUMN")]
    model_from: Option<String>,
    /// Column or field with an external judge's verdict, stored beside each response
    /// (`report --refusal-reader judge` scores with it).
    #[arg(long, value_name = "FIELD")]
    verdict_field: Option<String>,
    /// A RON map from the judge's labels to verdicts, e.g. {"2_full_refusal": "full_refusal"}.
    #[arg(long, requires = "verdict_field")]
    label_map: Option<PathBuf>,
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
    let protocol = args.protocol.unwrap_or(dataset.manifest.protocol);
    let read_as = match protocol {
        Protocol::Refusal => safeaware::eval::refusal::ReadAs::Refusal,
        Protocol::Judgment => safeaware::eval::refusal::ReadAs::Judgment,
    };
    let judge_map = match &args.label_map {
        Some(path) => import::read_label_map(path, read_as.keys())?,
        None => Default::default(),
    };
    let model = ModelInfo {
        name: args.model.unwrap_or_default(),
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
        model_field: args.model_from,
        verdict_field: args.verdict_field,
        judge_map,
        judge_keys: read_as.keys().iter().map(|k| k.to_string()).collect(),
    };
    let summaries = import::add(&lock, &dataset, model, &args.files, &options)?;
    if args.output == Format::Json {
        match summaries.as_slice() {
            [one] => print_json(one),
            many => print_json(&many),
        }
        return Ok(Exit::Ok);
    }
    for s in &summaries {
        print_add_summary(s);
    }
    Ok(Exit::Ok)
}

fn print_add_summary(s: &import::AddSummary) {
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
    if s.judged > 0 {
        println!("  {:<28} {:>6}", "with a judge verdict", s.judged);
    }
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
    /// Refusal-protocol reader: the rules, or the judge verdicts stored with --verdict-field.
    #[arg(long, value_enum, default_value = "rules")]
    refusal_reader: RefusalSource,
    /// With --format json: add every model's verdict on every item ({model, id, verdict, rule, correct}).
    #[arg(long)]
    items: bool,
    /// Only these models (comma-separated short names), in this order.
    #[arg(long, value_delimiter = ',')]
    models: Option<Vec<String>>,
    /// Show 95% Wilson intervals in table, markdown and LaTeX.
    #[arg(long)]
    ci: bool,
    /// Count rejected items too.
    #[arg(long)]
    include_rejected: bool,
    /// Add each blind curator's gold labels, and their majority, as rows scored like a model.
    #[arg(long)]
    humans: bool,
    /// Share of models contradicting the gold that makes a label-error candidate.
    #[arg(long, default_value_t = 2.0 / 3.0)]
    candidate_share: f64,
    /// Also write the paper-style figure (grouped bars per --by slice and model, 95%
    /// whiskers, legend) as SVG to this file.
    #[arg(long, value_name = "FILE.svg")]
    plot: Option<PathBuf>,
}

/// The models a report scores: their verdicts (read from the verdict cache), or their
/// responses when the report shows them (`--items`) or adds rows (`--humans`).
enum Stored {
    Read(eval::ReadModels),
    Rows(Vec<safeaware::model::ModelResponses>),
}

/// The stored models of `dir`, `--models` picked in the order given.
fn read_stored(args: &ReportArgs, from_cache: bool) -> safeaware::Result<Stored> {
    if from_cache {
        let names = pick(store::responses::model_names(&args.dataset)?, &args.models, |n| n)?;
        if names.is_empty() {
            return Ok(Stored::Rows(Vec::new()));
        }
        return Ok(Stored::Read(eval::read_models(
            &args.dataset,
            &names,
            args.refusal_reader,
        )?));
    }
    let rows = store::responses::load_all(&args.dataset)?;
    Ok(Stored::Rows(pick(rows, &args.models, |m| &m.model.name)?))
}

/// `all` narrowed to the `wanted` names, in that order (all of them without a choice).
fn pick<T>(
    mut all: Vec<T>,
    wanted: &Option<Vec<String>>,
    name_of: impl Fn(&T) -> &str,
) -> safeaware::Result<Vec<T>> {
    let Some(wanted) = wanted else {
        return Ok(all);
    };
    let mut picked = Vec::new();
    for name in wanted {
        let at = all.iter().position(|m| name_of(m) == name).ok_or_else(|| {
            let known: Vec<&str> = all.iter().map(&name_of).collect();
            safeaware::Error::Refused(format!(
                "no responses for model {name:?} (stored: {})",
                known.join(", ")
            ))
        })?;
        picked.push(all.swap_remove(at));
    }
    Ok(picked)
}

pub fn report(args: ReportArgs) -> safeaware::Result<Exit> {
    // Without --items and --humans no response text is needed: the models are scored from
    // the verdict cache. The dataset and the models load side by side.
    let from_cache = !args.items && !args.humans;
    let (loaded, stored) = std::thread::scope(|scope| {
        let stored = scope.spawn(|| read_stored(&args, from_cache));
        let loaded = safeaware::session::load_layers(&args.dataset);
        (loaded, stored.join().expect("loading thread"))
    });
    let ((loaded, damage), stored) = (loaded?, stored?);
    if let Some(e) = damage {
        return Err(e);
    }
    let dataset = loaded.dataset;
    let (read, mut responses) = match stored {
        Stored::Read(read) => (Some(read), Vec::new()),
        Stored::Rows(rows) => (None, rows),
    };
    if args.humans {
        let humans = safeaware::labels::humans::rows(&dataset, &loaded.labels);
        if humans.is_empty() {
            return Err(safeaware::Error::Refused(
                "--humans: no curator has blind gold labels (label with `tui --blind` or `labels import --blind`)"
                    .into(),
            ));
        }
        responses.extend(humans);
    }
    let evaluation = match read {
        Some(read) => eval::evaluate_read(&dataset, read, args.reader, args.include_rejected),
        None if responses.is_empty() => {
            return Err(safeaware::Error::Refused(format!(
                "{} has no stored responses; add some with `safeaware responses add`",
                safeaware::text::escape_path(&args.dataset)
            )));
        }
        None => eval::evaluate_stored_with(
            &args.dataset,
            &dataset,
            &responses,
            (args.reader, args.refusal_reader),
            args.include_rejected,
        )?,
    };
    let by = match args.by.split() {
        Ok(by) => by,
        Err(by) => {
            if args.items || args.plot.is_some() {
                return Err(safeaware::Error::Refused(
                    "--items and --plot go with --by subset, scenario or group".into(),
                ));
            }
            let patterns = AttackPatterns::for_dataset(&args.dataset)?;
            let families = Families::build(&dataset, &patterns);
            let text = attack_report::render(&evaluation, &dataset, &families, by, args.format, args.ci);
            print!("{}", safeaware::text::escape_for_display_multiline(&text));
            return Ok(Exit::Ok);
        }
    };
    let report_options = ReportOptions {
        format: args.format,
        by,
        intervals: args.ci,
        candidate_share: args.candidate_share,
    };
    if args.items {
        return print_with_items(&args, &evaluation, &dataset, &responses, &report_options);
    }
    print!(
        "{}",
        safeaware::text::escape_for_display_multiline(&report::render(
            &evaluation,
            &dataset,
            &report_options
        ))
    );
    if let Some(path) = &args.plot {
        let svg =
            eval::plot::grouped_bars_svg(&evaluation, &dataset, by).map_err(safeaware::Error::Refused)?;
        store::write_atomic(path, svg.as_bytes())?;
        eprintln!("wrote the figure to {}", safeaware::text::escape_path(path));
    }
    Ok(Exit::Ok)
}

/// The JSON report with every model's per-item verdicts under `"items"`.
fn print_with_items(
    args: &ReportArgs,
    evaluation: &eval::Evaluation,
    dataset: &safeaware::model::Dataset,
    responses: &[safeaware::model::ModelResponses],
    options: &ReportOptions,
) -> safeaware::Result<Exit> {
    if args.format != report::Format::Json {
        return Err(safeaware::Error::Refused("--items needs --format json".into()));
    }
    let rules = eval::refusal::VerdictRules::for_dataset(&args.dataset)?;
    let reader = eval::refusal::RefusalReader::new(&rules);
    let items = eval::item_verdicts::item_verdicts(evaluation, dataset, responses, &reader);
    let mut json = report::to_json(evaluation, dataset, options);
    json["items"] = serde_json::to_value(items).unwrap_or_default();
    print_json(&json);
    Ok(Exit::Ok)
}
