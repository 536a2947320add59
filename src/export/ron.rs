//! A safeaware dataset folder with the selected items (and their responses), which
//! safeaware opens like any other.

use super::{Context, copy_images, same_path};
use crate::error::{Error, Result};
use crate::import::Progress;
use crate::model::{Dataset, ModelResponses};
use crate::store;
use std::collections::HashSet;
use std::path::Path;

pub(super) fn write(ctx: &Context, out: &Path, progress: Progress<'_>) -> Result<()> {
    if !ctx.options.copy_images {
        return Err(Error::Refused(
            "--format ron needs --images copy: a dataset folder carries its images".into(),
        ));
    }
    let items = ctx.items().map(|(item, _)| item.clone()).collect();
    let dataset = Dataset {
        manifest: ctx.dataset.manifest.clone(),
        items,
    };
    store::write_files(out, &dataset)?;
    copy_images(ctx, out, &same_path, progress)?;
    if ctx.options.with_responses {
        let keep: HashSet<&str> = dataset.items.iter().map(|i| i.id.as_str()).collect();
        let folder = out.join(store::responses::RESPONSES_DIR);
        for model in store::responses::load_all(ctx.dir)? {
            std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
            let responses = model
                .responses
                .into_iter()
                .filter(|r| keep.contains(r.item.as_str()))
                .collect();
            let kept = ModelResponses {
                model: model.model,
                responses,
            };
            let path = folder.join(format!("{}.ron", kept.model.name));
            store::write_atomic(&path, store::to_ron_string(&kept).as_bytes())?;
        }
        let overrides: Vec<_> = store::responses::load_overrides(ctx.dir)?
            .into_iter()
            .filter(|o| keep.contains(o.item.as_str()))
            .collect();
        if !overrides.is_empty() {
            let path = folder.join(store::responses::OVERRIDES_FILE);
            store::write_atomic(&path, store::to_ron_string(&overrides).as_bytes())?;
        }
    }
    Ok(())
}
