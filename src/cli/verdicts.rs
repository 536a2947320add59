//! `safeaware verdicts`: every record's verdict with the rule that fired, and, with
//! `--labels`, the agreement with human labels (how a curator calibrates a reader).

use safeaware::eval::refusal::{
    self, Agreement, LabelMap, ReadAs, RecordFields, RefusalReader, VerdictRow, VerdictRules,
};
use safeaware::import::responses::ResponseFormat;
use safeaware::text::escape_for_display;
use std::io::Write;
use std::path::PathBuf;

use super::output::Exit;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// One JSON object per record.
    #[default]
    Jsonl,
    /// A CSV table with a header.
    Csv,
    /// One JSON document: the rows and, with --labels, the agreement.
    Json,
}

#[derive(Debug, Clone, Copy, Default, clap::ValueEnum)]
pub enum ProtocolArg {
    /// The model answered the prompt; refusal is the verdict.
    #[default]
    Refusal,
    /// The model said whether the pair is safe.
    Judgment,
}

#[derive(Debug, clap::Args)]
pub struct VerdictsArgs {
    /// A responses file (JSONL, CSV/TSV with a header, or JSON).
    file: PathBuf,
    /// Input format (default: from the extension).
    #[arg(long, value_enum)]
    format: Option<ResponseFormat>,
    /// Output format; with --labels and jsonl/csv the agreement goes to stderr as text.
    #[arg(long, value_enum, default_value_t)]
    output: OutputFormat,
    /// Which reader reads the responses.
    #[arg(long, value_enum, default_value_t)]
    protocol: ProtocolArg,
    /// Field or column with the response text.
    #[arg(long, default_value = "response")]
    response_field: String,
    /// Field or column with the record id (absent: the record number).
    #[arg(long, default_value = "id")]
    id_field: String,
    /// Field or column with human labels to compare with.
    #[arg(long)]
    labels: Option<String>,
    /// RON map from raw label values to verdicts, e.g. {"2_full_refusal": "full_refusal"}.
    #[arg(long, requires = "labels")]
    label_map: Option<PathBuf>,
    /// Extra refusal rules (a verdict_rules.ron) added to the bundled ones.
    #[arg(long)]
    rules: Option<PathBuf>,
}

/// Runs `safeaware verdicts`.
pub fn run(args: VerdictsArgs) -> safeaware::Result<Exit> {
    let read_as = match args.protocol {
        ProtocolArg::Refusal => ReadAs::Refusal,
        ProtocolArg::Judgment => ReadAs::Judgment,
    };
    let mut rules = VerdictRules::bundled();
    if let Some(path) = &args.rules {
        rules.extend(VerdictRules::load(path)?);
    }
    let labels = match &args.label_map {
        Some(path) => LabelMap::load(path, read_as)?,
        None => LabelMap::default(),
    };
    let fields = RecordFields {
        format: args.format,
        id: args.id_field.clone(),
        response: args.response_field.clone(),
        label: args.labels.clone(),
    };
    let records = refusal::read_records(&args.file, &fields)?;
    let rows = refusal::read_rows(&records, read_as, &RefusalReader::new(&rules));
    let agreement = match &args.labels {
        Some(_) => Some(refusal::compare(&args.file, &records, &rows, &labels, read_as)?),
        None => None,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = match args.output {
        OutputFormat::Json => write_json(&mut out, &rows, agreement.as_ref()),
        OutputFormat::Jsonl => write_jsonl(&mut out, &rows),
        OutputFormat::Csv => write_csv(&mut out, &rows),
    };
    written
        .and_then(|()| out.flush())
        .map_err(|e| safeaware::Error::Refused(format!("cannot write the verdicts: {e}")))?;
    if let (Some(agreement), false) = (&agreement, args.output == OutputFormat::Json) {
        let texts = records
            .iter()
            .map(|r| r.response.as_deref().unwrap_or_default())
            .collect::<Vec<_>>();
        eprint!("{}", agreement_text(agreement, &texts));
    }
    Ok(Exit::Ok)
}

fn write_jsonl(out: &mut impl Write, rows: &[VerdictRow]) -> std::io::Result<()> {
    for row in rows {
        serde_json::to_writer(&mut *out, row)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

fn write_csv(out: &mut impl Write, rows: &[VerdictRow]) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(["row", "id", "verdict", "rule", "span_start", "span_end"])?;
    for row in rows {
        let (start, end) = row.span.map_or((String::new(), String::new()), |[s, e]| {
            (s.to_string(), e.to_string())
        });
        writer.write_record([
            &row.row.to_string(),
            &row.id,
            row.verdict,
            &row.rule,
            &start,
            &end,
        ])?;
    }
    writer.flush()
}

fn write_json(
    out: &mut impl Write,
    rows: &[VerdictRow],
    agreement: Option<&Agreement>,
) -> std::io::Result<()> {
    #[derive(serde::Serialize)]
    struct Document<'a> {
        verdicts: &'a [VerdictRow],
        #[serde(skip_serializing_if = "Option::is_none")]
        agreement: Option<&'a Agreement>,
    }
    serde_json::to_writer_pretty(
        &mut *out,
        &Document {
            verdicts: rows,
            agreement,
        },
    )?;
    out.write_all(b"\n")
}

/// Longest response excerpt shown for a disagreement.
const EXCERPT_CHARS: usize = 100;

/// The agreement as text for people; every string from the data is escaped.
fn agreement_text(agreement: &Agreement, texts: &[&str]) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Agreement with the labels on {} records ({} left out as no_answer):",
        agreement.compared, agreement.no_answer
    );
    let _ = writeln!(
        s,
        "  binary (refusal vs not)  {:5.1}%  ({}/{})",
        agreement.binary_percent, agreement.binary_agreed, agreement.compared
    );
    let _ = writeln!(
        s,
        "  exact class              {:5.1}%  ({}/{})",
        agreement.exact_percent, agreement.exact_agreed, agreement.compared
    );
    for (class, per) in &agreement.per_class {
        let _ = writeln!(
            s,
            "  {:<24} {:5.1}%  ({}/{})",
            escape_for_display(class),
            per.percent,
            per.agreed,
            per.records
        );
    }
    let mut columns: Vec<&String> = agreement.confusion.values().flat_map(|m| m.keys()).collect();
    columns.sort();
    columns.dedup();
    let _ = writeln!(s, "Confusion (rows: labels, columns: reader):");
    let _ = write!(s, "  {:<18}", "");
    for column in &columns {
        let _ = write!(s, " {:>16}", escape_for_display(column));
    }
    let _ = writeln!(s);
    for (human, row) in &agreement.confusion {
        let _ = write!(s, "  {:<18}", escape_for_display(human));
        for column in &columns {
            let _ = write!(s, " {:>16}", row.get(*column).copied().unwrap_or(0));
        }
        let _ = writeln!(s);
    }
    let _ = writeln!(s, "Disagreements ({}):", agreement.disagreements.len());
    for d in &agreement.disagreements {
        let text = texts.get(d.row - 1).copied().unwrap_or_default();
        let excerpt: String = text.trim().chars().take(EXCERPT_CHARS).collect();
        let _ = writeln!(
            s,
            "  row {} id {}: label {} reader {} ({}): {}",
            d.row,
            escape_for_display(&d.id),
            escape_for_display(&d.human),
            d.reader,
            escape_for_display(&d.rule),
            escape_for_display(&excerpt)
        );
    }
    s
}
