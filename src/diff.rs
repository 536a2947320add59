//! What changed between two versions of a dataset: items added and removed, labels changed
//! field by field, and for every model with responses in both, how each subset accuracy
//! and the Total moved and which items moved them.

use crate::error::Result;
use crate::eval::{self, Evaluation, Outcome};
use crate::model::{Dataset, Item};
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

/// One field of one item that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// The item.
    pub id: String,
    /// The field (`subset`, `scenario`, `gold`, `status`, `flags`, `notes`, `sentence`, `image`).
    pub field: String,
    /// Its old value, as text.
    pub old: String,
    /// Its new value, as text.
    pub new: String,
}

/// Accuracies of one model on one dataset version, in percent.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Scores {
    /// Typical subset.
    pub typical: Option<f64>,
    /// Attack subset.
    pub attack: Option<f64>,
    /// Over-safety subset.
    pub over_safety: Option<f64>,
    /// Mean of the three.
    pub total: Option<f64>,
}

/// An item whose outcome for a model changed, and what changed about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cause {
    /// The item.
    pub id: String,
    /// Outcome before (`right`, `wrong`, `unparsed`, or `absent`).
    pub old: String,
    /// Outcome after.
    pub new: String,
    /// The fields that changed on the item (empty when only the response or a verdict did).
    pub fields: Vec<String>,
}

/// How one model's scores moved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelMove {
    /// The model.
    pub model: String,
    /// Scores on the old version.
    pub old: Scores,
    /// Scores on the new version.
    pub new: Scores,
    /// Items whose outcome changed.
    pub causes: Vec<Cause>,
}

/// The whole difference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DatasetDiff {
    /// Ids only in the new version.
    pub added: Vec<String>,
    /// Ids only in the old version.
    pub removed: Vec<String>,
    /// Label and content changes of items in both.
    pub changed: Vec<FieldChange>,
    /// Score moves of models with responses in both.
    pub models: Vec<ModelMove>,
}

fn fields_of(old: &Item, new: &Item) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let mut push = |field: &str, a: String, b: String| {
        if a != b {
            out.push(FieldChange {
                id: new.id.clone(),
                field: field.into(),
                old: a,
                new: b,
            });
        }
    };
    let opt = |s: &Option<String>| s.clone().unwrap_or_else(|| "none".into());
    push("sentence", old.sentence.clone(), new.sentence.clone());
    push(
        "image",
        old.image.as_ref().map(|i| i.blake3.clone()).unwrap_or_default(),
        new.image.as_ref().map(|i| i.blake3.clone()).unwrap_or_default(),
    );
    push("subset", old.subset.to_string(), new.subset.to_string());
    push("scenario", opt(&old.scenario), opt(&new.scenario));
    push("gold", old.gold.to_string(), new.gold.to_string());
    push("status", old.status.to_string(), new.status.to_string());
    let flags = |i: &Item| i.flags.iter().cloned().collect::<Vec<_>>().join(",");
    push("flags", flags(old), flags(new));
    push("notes", old.notes.clone(), new.notes.clone());
    out
}

fn scores(e: &Evaluation, m: usize) -> Scores {
    let r = &e.reports[m];
    Scores {
        typical: r.typical.accuracy(),
        attack: r.attack.accuracy(),
        over_safety: r.over_safety.accuracy(),
        total: r.total_macro,
    }
}

fn outcome_text(o: Option<Outcome>) -> String {
    match o {
        Some(Outcome::Right) => "right",
        Some(Outcome::Wrong) => "wrong",
        Some(Outcome::Unparsed) => "unparsed",
        None => "absent",
    }
    .into()
}

fn evaluate(dir: &Path, dataset: &Dataset) -> Result<Evaluation> {
    Ok(eval::load_and_evaluate(dir, dataset, eval::Reader::Strict, false)?.1)
}

/// Compares the datasets in `old_dir` and `new_dir` (journals included).
pub fn diff(old_dir: &Path, new_dir: &Path) -> Result<DatasetDiff> {
    let old = crate::session::load_with_journal(old_dir)?;
    let new = crate::session::load_with_journal(new_dir)?;
    let (old_index, new_index) = (old.index(), new.index());
    let added = new
        .items
        .iter()
        .filter(|i| !old_index.contains_key(i.id.as_str()))
        .map(|i| i.id.clone())
        .collect();
    let removed = old
        .items
        .iter()
        .filter(|i| !new_index.contains_key(i.id.as_str()))
        .map(|i| i.id.clone())
        .collect();
    let mut changed = Vec::new();
    for item in &new.items {
        if let Some(&o) = old_index.get(item.id.as_str()) {
            changed.extend(fields_of(&old.items[o], item));
        }
    }
    let (old_eval, new_eval) = (evaluate(old_dir, &old)?, evaluate(new_dir, &new)?);
    let mut models = Vec::new();
    for (nm, model) in new_eval.models.iter().enumerate() {
        let Some(om) = old_eval.models.iter().position(|m| m.name == model.name) else {
            continue;
        };
        let mut causes = Vec::new();
        let ids: Vec<&str> = old
            .items
            .iter()
            .map(|i| i.id.as_str())
            .chain(added_ids(&new, old_index))
            .collect();
        for id in ids {
            let before = old_index.get(id).and_then(|&i| old_eval.outcome(om, i));
            let after = new_index.get(id).and_then(|&i| new_eval.outcome(nm, i));
            if before != after {
                let fields = match (old_index.get(id), new_index.get(id)) {
                    (Some(&o), Some(&n)) => fields_of(&old.items[o], &new.items[n])
                        .into_iter()
                        .map(|c| c.field)
                        .collect(),
                    (None, _) => vec!["added".into()],
                    (_, None) => vec!["removed".into()],
                };
                causes.push(Cause {
                    id: id.to_string(),
                    old: outcome_text(before),
                    new: outcome_text(after),
                    fields,
                });
            }
        }
        models.push(ModelMove {
            model: model.name.clone(),
            old: scores(&old_eval, om),
            new: scores(&new_eval, nm),
            causes,
        });
    }
    Ok(DatasetDiff {
        added,
        removed,
        changed,
        models,
    })
}

fn added_ids<'a>(new: &'a Dataset, old_index: &'a HashMap<String, usize>) -> impl Iterator<Item = &'a str> {
    new.items
        .iter()
        .map(|i| i.id.as_str())
        .filter(move |id| !old_index.contains_key(*id))
}
