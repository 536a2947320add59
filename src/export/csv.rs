//! CSV (RFC 4180 quoting): the JSONL columns, flags joined with `;`, the provenance's
//! source, the family columns (empty where none), and with responses one
//! `response:`/`verdict:`/`correct:` column per model.

use super::{Context, copy_images, same_path};
use crate::error::{Error, Result};
use crate::import::Progress;
use std::collections::BTreeSet;
use std::path::Path;

pub(super) fn write(ctx: &Context, out: &Path, progress: Progress<'_>) -> Result<()> {
    let models: BTreeSet<&str> = ctx
        .responses
        .iter()
        .flat_map(|r| r.keys().map(String::as_str))
        .collect();
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut header: Vec<String> = [
        "id",
        "image",
        "sentence",
        "question",
        "subset",
        "scenario",
        "gold",
        "status",
        "flags",
        "notes",
        "source",
        "family",
        "attack_type",
        "base_scenario",
        "suggested_scenario",
        "suggestion_reason",
    ]
    .map(String::from)
    .to_vec();
    for m in &models {
        header.extend([
            format!("response:{m}"),
            format!("verdict:{m}"),
            format!("correct:{m}"),
        ]);
    }
    let csv_error = |e: ::csv::Error| Error::Refused(format!("writing CSV: {e}"));
    w.write_record(&header).map_err(csv_error)?;
    for ((item, responses), relation) in ctx.items().zip(ctx.relations()) {
        let mut row = vec![
            item.id.clone(),
            ctx.image_path(item).unwrap_or_default(),
            item.sentence.clone(),
            ctx.dataset.manifest.question_for(&item.sentence),
            item.subset.key().to_string(),
            item.scenario.clone().unwrap_or_default(),
            item.gold.key().to_string(),
            item.status.key().to_string(),
            item.flags.iter().cloned().collect::<Vec<_>>().join(";"),
            item.notes.clone(),
            item.provenance.source.clone(),
        ];
        let cells = [
            &relation.family,
            &relation.attack_type,
            &relation.base_scenario,
            &relation.suggested_scenario,
            &relation.suggestion_reason,
        ];
        row.extend(cells.map(|cell| cell.clone().unwrap_or_default()));
        for m in &models {
            match responses.get(*m) {
                Some(r) => row.extend([
                    r.text.clone(),
                    r.verdict.clone(),
                    r.correct.map(|c| c.to_string()).unwrap_or_default(),
                ]),
                None => row.extend([String::new(), String::new(), String::new()]),
            }
        }
        w.write_record(&row).map_err(csv_error)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Error::Refused(format!("writing CSV: {e}")))?;
    crate::store::write_atomic(&out.join("items.csv"), &bytes)?;
    if ctx.options.copy_images {
        copy_images(ctx, out, &same_path, progress)?;
    }
    Ok(())
}
