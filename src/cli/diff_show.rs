//! `safeaware diff` (two dataset versions) and `safeaware show` (one item, plain terminal).

use super::output::{Exit, Format, first_ids, print_json};
use clap::Args;
use safeaware::diff;
use safeaware::eval::{self, Outcome};
use safeaware::text::escape_for_display as esc;
use safeaware::text::pad_right;
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old version of the dataset.
    old: PathBuf,
    /// The new version.
    new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

fn pct(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.1}")).unwrap_or_else(|| "-".into())
}

fn delta(old: Option<f64>, new: Option<f64>) -> String {
    match (old, new) {
        (Some(a), Some(b)) => format!("{:+.1}", b - a),
        _ => "".into(),
    }
}

pub fn run_diff(args: DiffArgs) -> safeaware::Result<Exit> {
    let d = diff::diff(&args.old, &args.new)?;
    if args.format == Format::Json {
        print_json(&d);
        return Ok(Exit::Ok);
    }
    println!(
        "{} -> {}",
        safeaware::text::escape_path(&args.old),
        safeaware::text::escape_path(&args.new)
    );
    println!("  added    {:>5}  {}", d.added.len(), first_ids(&d.added, 10));
    println!("  removed  {:>5}  {}", d.removed.len(), first_ids(&d.removed, 10));
    let mut by_field: std::collections::BTreeMap<&str, Vec<&diff::FieldChange>> = Default::default();
    for c in &d.changed {
        by_field.entry(c.field.as_str()).or_default().push(c);
    }
    for (field, changes) in &by_field {
        println!("  {field:<8} {:>5} changed", changes.len());
        for c in changes.iter().take(10) {
            println!("    item {}: {} -> {}", esc(&c.id), esc(&c.old), esc(&c.new));
        }
        if changes.len() > 10 {
            println!("    +{} more", changes.len() - 10);
        }
    }
    for m in &d.models {
        println!("  model {}", esc(&m.model));
        for (name, old, new) in [
            ("Typical", m.old.typical, m.new.typical),
            ("Attack", m.old.attack, m.new.attack),
            ("Over-Safe", m.old.over_safety, m.new.over_safety),
            ("Total", m.old.total, m.new.total),
        ] {
            println!(
                "    {name:<10} {:>6} -> {:>6}  {}",
                pct(old),
                pct(new),
                delta(old, new)
            );
        }
        for c in m.causes.iter().take(10) {
            let why = if c.fields.is_empty() {
                "response or verdict".to_string()
            } else {
                c.fields.join(", ")
            };
            println!("    item {}: {} -> {} ({why})", esc(&c.id), c.old, c.new);
        }
        if m.causes.len() > 10 {
            println!("    +{} more items moved the scores", m.causes.len() - 10);
        }
    }
    Ok(Exit::Ok)
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The dataset folder.
    dataset: PathBuf,
    /// The item's id.
    id: String,
    /// Do not print the image even on a terminal.
    #[arg(long)]
    no_image: bool,
    /// Image width in terminal columns.
    #[arg(long, default_value_t = 48)]
    width: u32,
}

/// The item's recorded edits, oldest first, each with its local time and curator.
fn print_history(dir: &std::path::Path, id: &str) -> safeaware::Result<()> {
    let history = safeaware::session::item_history(dir, id)?;
    if history.is_empty() {
        return Ok(());
    }
    println!("History");
    for entry in &history {
        let change = serde_json::to_value(&entry.change).unwrap_or_default();
        let shown = |key: &str| match &change[key] {
            serde_json::Value::String(s) => esc(s).into_owned(),
            other => esc(&other.to_string()).into_owned(),
        };
        println!(
            "  {}  {}  {}: {} -> {}",
            safeaware::time::local(entry.time),
            esc(&entry.curator),
            shown("field"),
            shown("old"),
            shown("new")
        );
    }
    Ok(())
}

pub fn run_show(args: ShowArgs) -> safeaware::Result<Exit> {
    let dataset = safeaware::session::load_with_journal(&args.dataset)?;
    let Some(i) = dataset.position(&args.id) else {
        return Err(safeaware::Error::Refused(format!(
            "{}: no item with id {:?}",
            safeaware::text::escape_path(&args.dataset),
            esc(&args.id)
        )));
    };
    let item = &dataset.items[i];
    if let Some(image) = &item.image
        && !args.no_image
        && std::io::stdout().is_terminal()
    {
        let path = args.dataset.join(&image.path);
        match safeaware::media::read_image_file(&path, Default::default())
            .map_err(|e| e.to_string())
            .and_then(|b| safeaware::media::decode(&b, Default::default()))
        {
            Ok(img) => {
                let config = viuer::Config {
                    width: Some(args.width),
                    absolute_offset: false,
                    ..Default::default()
                };
                if let Err(e) = viuer::print(&img, &config) {
                    eprintln!("(image not shown: {e})");
                }
            }
            Err(e) => eprintln!(
                "(image not shown: {}: {})",
                safeaware::text::escape_path(&path),
                esc(&e)
            ),
        }
    }
    let taxonomy = &dataset.manifest.taxonomy;
    println!("Item {}", esc(&item.id));
    println!("  sentence  {}", esc(&item.sentence));
    for (n, line) in dataset.manifest.question_for(&item.sentence).lines().enumerate() {
        println!(
            "  {}  {}",
            if n == 0 { "question" } else { "        " },
            esc(line)
        );
    }
    match &item.image {
        Some(img) => println!(
            "  image     {} ({}x{} {})",
            esc(&img.path),
            img.width,
            img.height,
            img.format
        ),
        None => println!("  image     none"),
    }
    println!("  subset    {}", item.subset);
    let scenario = item.scenario.as_deref().map(|k| match taxonomy.get(k) {
        Some(s) => format!("{} ({})", esc(&s.name), s.key),
        None => format!("{} (not in the taxonomy)", esc(k)),
    });
    println!("  scenario  {}", scenario.unwrap_or_else(|| "none".into()));
    println!("  gold      {}", item.gold);
    println!("  status    {}", item.status);
    if !item.flags.is_empty() {
        println!(
            "  flags     {}",
            item.flags
                .iter()
                .map(|f| esc(f).into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    for (n, line) in item.notes.lines().enumerate() {
        println!(
            "  {}  {}",
            if n == 0 { "notes   " } else { "        " },
            esc(line)
        );
    }
    println!("  source    {}", esc(&item.provenance.source));
    print_history(&args.dataset, &item.id)?;
    let (models, e) = eval::load_and_evaluate(&args.dataset, &dataset, eval::Reader::Strict, true)?;
    if !models.is_empty() {
        println!("Responses");
        for (m, model) in models.iter().enumerate() {
            let Some(s) = e.scored[m][i] else {
                println!("  {} (no response)", pad_right(&esc(model.model.label()), 20));
                continue;
            };
            let outcome = match s.counted_outcome(e.reader, item.gold) {
                Some(Outcome::Right) => "right",
                Some(Outcome::Wrong) => "WRONG",
                Some(Outcome::Unparsed) => "unparsed",
                None => "left out of accuracy",
            };
            let curator = if s.human.is_some() {
                ", curator's verdict"
            } else {
                ""
            };
            println!(
                "  {} {} ({outcome}{curator})",
                pad_right(&esc(model.model.label()), 20),
                s.verdict(e.reader, item.gold).key()
            );
            let text = model
                .responses
                .iter()
                .find(|r| r.item == item.id)
                .map(|r| r.text.as_str())
                .unwrap_or("");
            for line in text.lines() {
                println!("      {}", esc(line));
            }
        }
    }
    Ok(Exit::Ok)
}
