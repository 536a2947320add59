//! `safeaware families`: the variant families of a dataset, or the wrappers learned from them.

use super::output::{Exit, Format, print_json};
use clap::Args;
use safeaware::families::{AttackPatterns, Families, wrapper_groups};
use safeaware::model::Dataset;
use safeaware::text::escape_for_display;
use serde_json::json;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct FamiliesArgs {
    /// The dataset folder.
    pub dataset: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// List the wrappers learned from the variants (grouped, with counts and examples)
    /// instead of the families.
    #[arg(long)]
    pub wrappers: bool,
}

pub fn run(args: FamiliesArgs) -> safeaware::Result<Exit> {
    // The consensus (curator layers, adjudications, journals), as report and export read it.
    let dataset = safeaware::session::load_with_journal(&args.dataset)?;
    let patterns = AttackPatterns::for_dataset(&args.dataset)?;
    let families = Families::build(&dataset, &patterns);
    match (args.wrappers, args.format) {
        (true, Format::Json) => print_json(&json!({ "wrappers": wrapper_groups(&dataset, &families) })),
        (true, Format::Text) => print_wrappers(&dataset, &families),
        (false, Format::Json) => print_json(&families.to_json(&dataset)),
        (false, Format::Text) => print_families(&dataset, &families),
    }
    Ok(Exit::Ok)
}

fn print_wrappers(dataset: &Dataset, families: &Families) {
    let groups = wrapper_groups(dataset, families);
    println!(
        "{} wrapper groups over {} variants",
        groups.len(),
        families.variant_count()
    );
    for g in &groups {
        let types: Vec<String> = g.attack_types.iter().map(|(k, n)| format!("{k} {n}")).collect();
        let examples: Vec<String> = g
            .examples
            .iter()
            .map(|e| escape_for_display(e).into_owned())
            .collect();
        println!(
            "{:>6}  {}\n        {} · e.g. {}",
            g.count,
            escape_for_display(&g.template),
            types.join(", "),
            examples.join(", ")
        );
    }
}

fn print_families(dataset: &Dataset, families: &Families) {
    let id = |p: usize| escape_for_display(&dataset.items[p].id).into_owned();
    let attack = dataset.subset_counts().attack;
    println!(
        "{} families cover {} of {} attack items; {} orphans; {} anomalies",
        families.families.len(),
        families.variant_count(),
        attack,
        families.orphans.len(),
        families.anomalies.len()
    );
    for f in &families.families {
        println!(
            "base {}: {}",
            id(f.base),
            escape_for_display(&dataset.items[f.base].sentence)
        );
        for m in &f.variants {
            println!(
                "  {:>8}  {:<24} {:<10} {:.2}",
                id(m.item),
                m.attack_type.as_deref().unwrap_or("?"),
                m.rule.key(),
                m.confidence
            );
        }
    }
    if !families.orphans.is_empty() {
        println!("orphans:");
        for o in &families.orphans {
            println!("  {:>8}  {}", id(o.item), escape_for_display(&o.reason));
        }
    }
    if !families.anomalies.is_empty() {
        println!("anomalies:");
        for a in &families.anomalies {
            println!("  {:>8}  {}", id(a.base), escape_for_display(&a.reason));
        }
    }
}
