//! `safeaware summary` (and the no-argument default until the TUI lands).

use super::output::{Exit, Format, print_json};
use clap::Args;
use safeaware::model::{Dataset, Status};
use safeaware::text::pad_right;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// The dataset folder.
    pub dataset: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

/// Counts that describe a dataset at a glance.
#[derive(Debug, Serialize)]
struct Summary {
    name: String,
    version: String,
    items: usize,
    subsets: safeaware::model::SubsetCounts,
    statuses: BTreeMap<&'static str, usize>,
    scenarios: BTreeMap<String, usize>,
    unlabeled: usize,
    with_image: usize,
    /// Each curator's progress on their assignment (absent without layers or assignments).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    curators: Vec<safeaware::labels::assign::Progress>,
}

fn summarize(d: &Dataset) -> Summary {
    let mut statuses = BTreeMap::new();
    for s in [
        Status::Unreviewed,
        Status::Accepted,
        Status::NeedsFix,
        Status::Rejected,
    ] {
        statuses.insert(s.key(), d.items.iter().filter(|i| i.status == s).count());
    }
    let mut scenarios = BTreeMap::new();
    for item in &d.items {
        if let Some(key) = &item.scenario {
            *scenarios.entry(key.clone()).or_insert(0) += 1;
        }
    }
    Summary {
        name: d.manifest.name.clone(),
        version: d.manifest.version.clone(),
        items: d.items.len(),
        subsets: d.subset_counts(),
        statuses,
        unlabeled: d.items.iter().filter(|i| i.scenario.is_none()).count(),
        with_image: d.items.iter().filter(|i| i.image.is_some()).count(),
        scenarios,
        curators: Vec::new(),
    }
}

pub fn run(args: SummaryArgs) -> safeaware::Result<Exit> {
    let (loaded, damage) = safeaware::session::load_layers(&args.dataset)?;
    if let Some(e) = damage {
        return Err(e);
    }
    let dataset = loaded.dataset;
    let mut s = summarize(&dataset);
    let assignments = safeaware::labels::assign::load(&args.dataset)?;
    s.curators = safeaware::labels::assign::progress(&dataset, &loaded.labels, &assignments);
    if args.format == Format::Json {
        print_json(&s);
        return Ok(Exit::Ok);
    }
    let esc = |t: &str| safeaware::text::escape_for_display(t).into_owned();
    println!(
        "{} {} ({})",
        esc(&s.name),
        esc(&s.version),
        safeaware::text::escape_path(&args.dataset)
    );
    println!("  items      {} ({} with an image)", s.items, s.with_image);
    println!(
        "  subsets    typical {} · attack {} · over_safety {}",
        s.subsets.typical, s.subsets.attack, s.subsets.over_safety
    );
    let statuses: Vec<String> = s.statuses.iter().map(|(k, v)| format!("{k} {v}")).collect();
    println!("  status     {}", statuses.join(" · "));
    println!(
        "  scenarios  {} labeled in {} scenarios, {} unlabeled",
        s.items - s.unlabeled,
        s.scenarios.len(),
        s.unlabeled
    );
    for scenario in &dataset.manifest.taxonomy.scenarios {
        let n = s.scenarios.get(&scenario.key).copied().unwrap_or(0);
        println!(
            "    {} {:<11} {n:>5}",
            pad_right(&esc(&scenario.name), 42),
            scenario.subset.key()
        );
    }
    if !s.curators.is_empty() {
        println!("  curators   done / assigned");
    }
    for p in &s.curators {
        let subsets: Vec<String> = p
            .subsets
            .iter()
            .map(|(k, c)| format!("{k} {}/{}", c.done, c.assigned))
            .collect();
        let pace = match (p.items_per_hour, p.hours_left) {
            (Some(rate), Some(left)) => format!(" · {rate:.0} items/h · {left:.1} h left"),
            _ => String::new(),
        };
        println!(
            "    {} {:>5}/{:<5} {}{pace}",
            pad_right(&esc(&p.curator), 16),
            p.total.done,
            p.total.assigned,
            subsets.join(" · ")
        );
    }
    Ok(Exit::Ok)
}
