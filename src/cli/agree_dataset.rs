//! `safeaware agree DIR`: agreement of a dataset's curator layers (and, for verdicts, its
//! readers) on one field.

use super::agree::{AgreeArgs, AgreeField, GroupBy, render};
use super::output::{Exit, Format, print_json};
use safeaware::agreement::{self, Agreement, Options};
use safeaware::labels::raters::{self, ExtraRaters, Field};
use safeaware::text::escape_for_display as esc;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct Groups {
    groups: BTreeMap<String, Agreement>,
}

fn field(f: AgreeField) -> Field {
    match f {
        AgreeField::Gold => Field::Gold,
        AgreeField::Scenario => Field::Scenario,
        AgreeField::Subset => Field::Subset,
        AgreeField::Status => Field::Status,
        AgreeField::Verdict => Field::Verdict,
    }
}

pub fn run(args: AgreeArgs) -> safeaware::Result<Exit> {
    let dir = &args.source;
    let (loaded, damage) = safeaware::session::load_layers(dir)?;
    if let Some(e) = damage {
        return Err(e);
    }
    let field = field(args.field);
    let mut extra = ExtraRaters::new();
    let mut overrides = Vec::new();
    if field == Field::Verdict {
        let model = args.model.as_deref().unwrap_or_default();
        if safeaware::store::responses::model_names(dir)?
            .iter()
            .any(|m| m == model)
        {
            let responses = safeaware::store::responses::load_model(dir, model)?;
            let rules = safeaware::eval::refusal::VerdictRules::for_dataset(dir)?;
            let refusal = safeaware::eval::refusal::RefusalReader::new(&rules);
            extra = raters::reader_raters(&loaded.dataset, &responses, &refusal);
        }
        overrides = safeaware::store::responses::load_overrides(dir)?;
    }
    let table = raters::table(
        &loaded.dataset,
        &loaded.labels,
        field,
        args.model.as_deref(),
        &args.curators,
        &overrides,
        &extra,
    )?;
    let options = Options {
        resamples: args.resamples,
        seed: args.seed,
    };
    let finish = |mut a: Agreement| {
        a.model = args.model.clone();
        a.blind = table.blind;
        a
    };
    let Some(by) = args.by else {
        let report = finish(agreement::measure_all(&table.ratings, field.key(), options));
        match args.format {
            Format::Json => print_json(&report),
            Format::Text => print!("{}", render(&report)),
        }
        return Ok(Exit::Ok);
    };
    let groups = raters::groups(&table, &loaded.dataset, |item| match by {
        GroupBy::Subset => item.subset.key().to_string(),
        GroupBy::Scenario => item.scenario.clone().unwrap_or_else(|| "none".into()),
    });
    let out = Groups {
        groups: groups
            .into_iter()
            .map(|(key, units)| {
                let a = agreement::measure(&table.ratings, &units, field.key(), options);
                (key, finish(a))
            })
            .collect(),
    };
    match args.format {
        Format::Json => print_json(&out),
        Format::Text => {
            for (key, a) in &out.groups {
                println!("== {} ==", esc(key));
                print!("{}", render(a));
                println!();
            }
        }
    }
    Ok(Exit::Ok)
}
