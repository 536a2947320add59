//! The raters of `agree DIR`: one per curator layer, and for verdicts also the readers.

use super::{ItemLabel, Labels};
use crate::agreement::Ratings;
use crate::error::{Error, Result};
use crate::model::{Dataset, Item, ModelResponses, Override};
use std::collections::{BTreeMap, HashMap};

/// The label field agreement is measured on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Gold answer.
    Gold,
    /// Scenario (`none` when cleared).
    Scenario,
    /// Subset.
    Subset,
    /// Review status.
    Status,
    /// A curator's verdict on one model's response.
    Verdict,
}

impl Field {
    /// The name used on the command line and in JSON.
    pub fn key(self) -> &'static str {
        match self {
            Field::Gold => "gold",
            Field::Scenario => "scenario",
            Field::Subset => "subset",
            Field::Status => "status",
            Field::Verdict => "verdict",
        }
    }

    fn value(self, label: &ItemLabel, model: Option<&str>) -> Option<String> {
        match self {
            Field::Gold => label.gold.map(|g| g.key().to_string()),
            Field::Scenario => label
                .scenario
                .as_ref()
                .map(|s| if s.is_empty() { "none".into() } else { s.clone() }),
            Field::Subset => label.subset.map(|s| s.key().to_string()),
            Field::Status => label.status.map(|s| s.key().to_string()),
            Field::Verdict => model.and_then(|m| label.verdicts.get(m).cloned()),
        }
    }
}

/// Raters and their labels over the dataset's items that anyone labeled.
#[derive(Debug, Clone)]
pub struct RaterTable {
    /// The table (units are item ids, in dataset order).
    pub ratings: Ratings,
    /// Every curator label in the table was made blind.
    pub blind: bool,
    /// The dataset position of each unit.
    pub positions: Vec<usize>,
}

/// What else takes part as raters of verdicts: readers' verdicts by item id, by rater name
/// (`reader:strict`, `reader:compat`, `judge`).
pub type ExtraRaters = BTreeMap<String, HashMap<String, String>>;

/// Builds the table of `field` for the named curators (all layers when empty) plus any
/// extra raters; `model` picks the responses for [`Field::Verdict`]. Curators' verdicts
/// stored as overrides (the Compare view) count as that curator's labels when their layer
/// has none.
pub fn table(
    dataset: &Dataset,
    labels: &Labels,
    field: Field,
    model: Option<&str>,
    curators: &[String],
    overrides: &[Override],
    extra: &ExtraRaters,
) -> Result<RaterTable> {
    if field == Field::Verdict && model.is_none() {
        return Err(Error::Refused("--field verdict needs --model M".into()));
    }
    let mut names: Vec<String> = if curators.is_empty() {
        let mut all: Vec<String> = labels.layers.keys().cloned().collect();
        if field == Field::Verdict {
            for o in overrides.iter().filter(|o| Some(o.model.as_str()) == model) {
                if !all.contains(&o.curator) {
                    all.push(o.curator.clone());
                }
            }
            all.sort();
        }
        all
    } else {
        curators.to_vec()
    };
    let unknown: Vec<&String> = names
        .iter()
        .filter(|n| !labels.layers.contains_key(*n) && !overrides.iter().any(|o| &o.curator == *n))
        .collect();
    if !unknown.is_empty() {
        return Err(Error::Refused(format!(
            "no labels from {} (curators with labels: {})",
            unknown
                .iter()
                .map(|n| crate::text::escape_for_display(n).into_owned())
                .collect::<Vec<_>>()
                .join(", "),
            labels.layers.keys().cloned().collect::<Vec<_>>().join(", ")
        )));
    }
    let curator_count = names.len();
    names.extend(extra.keys().cloned());
    let mut overridden: HashMap<(&str, &str), String> = HashMap::new();
    for o in overrides.iter().filter(|o| Some(o.model.as_str()) == model) {
        overridden.insert((o.curator.as_str(), o.item.as_str()), o.verdict.key().to_string());
    }
    let mut ratings = Ratings::new(names.clone());
    let mut positions = Vec::new();
    let mut blind = true;
    let mut any = false;
    for (pos, item) in dataset.items.iter().enumerate() {
        let mut row: Vec<Option<String>> = Vec::with_capacity(names.len());
        for name in &names[..curator_count] {
            let label = labels.layers.get(name).and_then(|l| l.get(&item.id));
            let value = label
                .and_then(|l| field.value(l, model))
                .or_else(|| overridden.get(&(name.as_str(), item.id.as_str())).cloned());
            if value.is_some() {
                any = true;
                blind &= label.is_some_and(|l| l.blind);
            }
            row.push(value);
        }
        for name in &names[curator_count..] {
            row.push(extra.get(name).and_then(|m| m.get(&item.id)).cloned());
        }
        if row.iter().any(Option::is_some) {
            let refs: Vec<Option<&str>> = row.iter().map(|v| v.as_deref()).collect();
            ratings.push(&item.id, &refs);
            positions.push(pos);
        }
    }
    Ok(RaterTable {
        ratings: ratings.with_sorted_categories(),
        blind: blind && any,
        positions,
    })
}

/// The readers' verdicts on one model's responses as extra raters: `reader:strict` (the
/// strict Yes/No reading), `reader:compat` (the authors' substring rule) and
/// `reader:refusal` (the refusal reader with the dataset's rules).
pub fn reader_raters(
    dataset: &Dataset,
    responses: &ModelResponses,
    refusal_reader: &crate::eval::refusal::RefusalReader,
) -> ExtraRaters {
    let mut strict = HashMap::new();
    let mut compat = HashMap::new();
    let mut refusal = HashMap::new();
    for r in &responses.responses {
        let Some(i) = dataset.position(&r.item) else {
            continue;
        };
        let item: &Item = &dataset.items[i];
        strict.insert(
            r.item.clone(),
            crate::eval::verdict::read_strict(&r.text).key().into(),
        );
        compat.insert(
            r.item.clone(),
            crate::eval::verdict::read_compat(&r.text, item.gold).key().into(),
        );
        refusal.insert(r.item.clone(), refusal_reader.read(&r.text).class.key().into());
    }
    BTreeMap::from([
        ("reader:strict".to_string(), strict),
        ("reader:compat".to_string(), compat),
        ("reader:refusal".to_string(), refusal),
    ])
}

/// Unit indices of the table grouped by a key of their item (subset or scenario).
pub fn groups(
    table: &RaterTable,
    dataset: &Dataset,
    key: impl Fn(&Item) -> String,
) -> BTreeMap<String, Vec<usize>> {
    let mut out: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (unit, &pos) in table.positions.iter().enumerate() {
        out.entry(key(&dataset.items[pos])).or_default().push(unit);
    }
    out
}
