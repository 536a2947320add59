//! The MMSafeAware release layout: `prompt.txt` (id line, template line, quoted
//! sentence, blank lines) and `images/<id>.<ext>`, so the authors' scripts run on the
//! cleaned set and `safeaware import mmsafeaware` reads it back.

use super::{Context, copy_images};
use crate::error::{Error, Result};
use crate::import::Progress;
use std::path::Path;

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
    Ok(())
}
