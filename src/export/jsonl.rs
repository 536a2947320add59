//! JSON Lines: one object per item, readable by pandas `read_json(lines=True)` and by
//! Hugging Face `datasets` (`load_dataset("json", ...)`).

use super::{Context, ExportedResponse, Relation, copy_images, same_path};
use crate::error::Result;
use crate::import::Progress;
use crate::model::{Gold, Item, Provenance, Status, Subset};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// One exported item; the generic JSONL importer reads the same fields back.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    /// Item id.
    pub id: String,
    /// Image path, relative to the export folder when images are copied.
    pub image: Option<String>,
    /// The sentence.
    pub sentence: String,
    /// The full question a model sees.
    pub question: String,
    /// typical | attack | over_safety.
    pub subset: Subset,
    /// Scenario key, or null.
    pub scenario: Option<String>,
    /// safe | unsafe.
    pub gold: Gold,
    /// Review status.
    pub status: Status,
    /// Flags.
    pub flags: Vec<String>,
    /// Curator notes.
    pub notes: String,
    /// Where the item came from.
    pub provenance: Provenance,
    /// The id of its family's base (a base's own id), or null.
    #[serde(default)]
    pub family: Option<String>,
    /// Attack type of a variant, or null.
    #[serde(default)]
    pub attack_type: Option<String>,
    /// The harm scenario of its base (stored, else derived), or null.
    #[serde(default)]
    pub base_scenario: Option<String>,
    /// Scenario suggested for an unlabeled item, or null.
    #[serde(default)]
    pub suggested_scenario: Option<String>,
    /// Why it is suggested, or null.
    #[serde(default)]
    pub suggestion_reason: Option<String>,
    /// With `--with-responses`: model name -> response, verdict, correct.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub responses: BTreeMap<String, ExportedResponse>,
}

impl Record {
    pub(super) fn new(
        ctx: &Context,
        item: &Item,
        relation: &Relation,
        responses: &BTreeMap<String, ExportedResponse>,
    ) -> Record {
        Record {
            id: item.id.clone(),
            image: ctx.image_path(item),
            sentence: item.sentence.clone(),
            question: ctx.dataset.manifest.question_for(&item.sentence),
            subset: item.subset,
            scenario: item.scenario.clone(),
            gold: item.gold,
            status: item.status,
            flags: item.flags.iter().cloned().collect(),
            notes: item.notes.clone(),
            provenance: item.provenance.clone(),
            family: relation.family.clone(),
            attack_type: relation.attack_type.clone(),
            base_scenario: relation.base_scenario.clone(),
            suggested_scenario: relation.suggested_scenario.clone(),
            suggestion_reason: relation.suggestion_reason.clone(),
            responses: responses.clone(),
        }
    }
}

impl<'de> Deserialize<'de> for ExportedResponse {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            text: String,
            verdict: String,
            correct: Option<bool>,
        }
        let raw = Raw::deserialize(d)?;
        Ok(ExportedResponse {
            text: raw.text,
            verdict: raw.verdict,
            correct: raw.correct,
        })
    }
}

pub(super) fn write(ctx: &Context, out: &Path, progress: Progress<'_>) -> Result<()> {
    let mut text = String::new();
    for ((item, responses), relation) in ctx.items().zip(ctx.relations()) {
        let record = Record::new(ctx, item, relation, responses);
        text.push_str(&serde_json::to_string(&record).expect("records serialize"));
        text.push('\n');
    }
    crate::store::write_atomic(&out.join("items.jsonl"), text.as_bytes())?;
    if ctx.options.copy_images {
        copy_images(ctx, out, &same_path, progress)?;
    }
    Ok(())
}
