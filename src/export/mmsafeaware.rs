//! The MMSafeAware release layout: `prompt.txt` (id line, template line, quoted
//! sentence, blank lines) and `images/<id>.<ext>`, so the authors' scripts run on the
//! cleaned set and `safeaware import mmsafeaware` reads it back. With responses, each
//! model's answers go to `responses/<model>.jsonl` as `{"id": <int>, "response": ...}`
//! lines, the format the authors' evaluation scripts read.

use super::{Context, copy_images};
use crate::error::{Error, Result};
use crate::import::Progress;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// One line of `responses/<model>.jsonl`.
#[derive(Serialize)]
struct ResponseLine<'a> {
    id: u64,
    response: &'a str,
}

pub(super) fn write(ctx: &Context, out: &Path, progress: Progress<'_>) -> Result<()> {
    let template = ctx
        .dataset
        .manifest
        .question_template
        .strip_suffix("\n\"{sentence}\"")
        .filter(|t| !t.contains('\n'));
    let Some(template) = template else {
        return Err(Error::Refused(
            "the question template is not \"<one line>\\n\\\"{sentence}\\\"\", so it does not fit prompt.txt"
                .into(),
        ));
    };
    let bad: Vec<&str> = ctx
        .items()
        .filter(|(item, _)| item.id.parse::<u64>().is_err() || item.sentence.contains('\n'))
        .map(|(item, _)| item.id.as_str())
        .take(5)
        .collect();
    if !bad.is_empty() {
        return Err(Error::Refused(format!(
            "the release layout needs numeric ids and one-line sentences; items {} do not fit",
            bad.iter()
                .map(|id| crate::text::escape_for_display(id).into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let mut text = String::new();
    for (item, _) in ctx.items() {
        text.push_str(&format!("{}\n{template}\n\"{}\"\n\n\n", item.id, item.sentence));
    }
    crate::store::write_atomic(&out.join("prompt.txt"), text.as_bytes())?;
    if ctx.options.copy_images {
        let name = |item: &crate::model::Item| {
            let ext = item
                .image
                .as_ref()
                .and_then(|i| {
                    Path::new(&i.path)
                        .extension()
                        .map(|e| e.to_string_lossy().into_owned())
                })
                .unwrap_or_else(|| "png".into());
            format!("images/{}.{ext}", item.id)
        };
        copy_images(ctx, out, &name, progress)?;
    }
    if ctx.options.with_responses {
        write_responses(ctx, out)?;
    }
    Ok(())
}

/// Writes `responses/<model>.jsonl` for every model with a response to an exported item.
fn write_responses(ctx: &Context, out: &Path) -> Result<()> {
    let mut by_model: BTreeMap<&str, String> = BTreeMap::new();
    for (item, responses) in ctx.items() {
        let id: u64 = item.id.parse().map_err(|_| {
            Error::Refused(format!(
                "item {} has no numeric id",
                crate::text::escape_for_display(&item.id)
            ))
        })?;
        for (model, response) in responses {
            let line = ResponseLine {
                id,
                response: &response.text,
            };
            let text = by_model.entry(model.as_str()).or_default();
            text.push_str(&serde_json::to_string(&line).expect("response lines serialize"));
            text.push('\n');
        }
    }
    let folder = out.join(crate::store::responses::RESPONSES_DIR);
    if !by_model.is_empty() {
        std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
    }
    for (model, text) in by_model {
        crate::store::responses::check_model_name(model).map_err(Error::Refused)?;
        crate::store::write_atomic(&folder.join(format!("{model}.jsonl")), text.as_bytes())?;
    }
    Ok(())
}
