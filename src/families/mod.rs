//! Variant families (derived, never stored): each typical item and the attack items that
//! reuse its image and wrap its sentence. Built once per dataset with
//! [`Families::build`]; suggestions ([`suggestions`]) and attack metrics read it.

pub mod attack_metrics;
mod join;
pub mod patterns;
mod repair;
pub mod similarity;
mod suggest;
pub mod wrappers;

pub use attack_metrics::{AttackMetrics, AttackRate, ModelAttackMetrics, attack_metrics};
pub use patterns::{AttackPatterns, PATTERNS_FILE, WrapperType};
pub use suggest::{Suggestion, affected_by_edit, base_scenarios, suggestion, suggestions};
pub use wrappers::{WrapperGroup, wrapper_groups};

use crate::model::{Dataset, Subset};
use join::{Found, JoinIndex, Joined, Texts};
use patterns::PreparedPatterns;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};

/// The rule that joined a variant to its base.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum JoinRule {
    /// The only typical item with the same image content.
    #[serde(rename = "image")]
    Image,
    /// Several typical items share the image; the sentence picked one.
    #[serde(rename = "image+text")]
    ImageText,
    /// No usable image: the sentence alone picked the base.
    #[serde(rename = "text")]
    Text,
}

impl JoinRule {
    /// The name used in JSON and text output.
    pub fn key(self) -> &'static str {
        match self {
            JoinRule::Image => "image",
            JoinRule::ImageText => "image+text",
            JoinRule::Text => "text",
        }
    }
}

/// How a variant's attack type was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeSource {
    /// A wrapper pattern of `assets/attack_patterns.ron` matched.
    Pattern(String),
    /// No pattern matched; the type is the one the family lacks against the norm.
    Elimination,
}

/// An attack item in a family.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// Position of the item in the dataset.
    pub item: usize,
    /// Taxonomy key of its attack type, when known.
    pub attack_type: Option<String>,
    /// How the attack type was found.
    pub type_source: Option<TypeSource>,
    /// The rule that joined it.
    pub rule: JoinRule,
    /// How sure the join is, in [0, 1].
    pub confidence: f64,
    /// Its wrapper: its normalised words with the base's span replaced by `{base}`.
    pub wrapper: String,
}

/// A typical base and its attack variants.
#[derive(Debug, Clone, PartialEq)]
pub struct Family {
    /// Position of the base in the dataset.
    pub base: usize,
    /// The variants, in dataset order.
    pub variants: Vec<Member>,
}

/// An attack item that joined no family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Orphan {
    /// Position of the item in the dataset.
    pub item: usize,
    /// Why it has no base.
    pub reason: String,
}

/// A base whose number or mix of variants differs from the dataset's norm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anomaly {
    /// Position of the base in the dataset.
    pub base: usize,
    /// Its variants per attack type (`unknown` when untyped).
    pub mix: BTreeMap<String, usize>,
    /// What it reads.
    pub reason: String,
}

/// A wrapper recognised in a sentence that joined no family (an over-safety fake, or an
/// orphan attack item), kept for suggestions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoneWrapper {
    /// Taxonomy key the wrapper stands for.
    pub key: String,
    /// Label of the wrapper ("fake role-play").
    pub label: String,
    /// The pattern that matched.
    pub pattern: String,
}

/// Every family of a dataset, its orphans and anomalies.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Families {
    /// Families (bases with at least one variant), in dataset order of their base.
    pub families: Vec<Family>,
    /// Attack items without a base.
    pub orphans: Vec<Orphan>,
    /// Bases with an unusual number or mix of variants.
    pub anomalies: Vec<Anomaly>,
    /// The most common mix of variants per base.
    pub norm: BTreeMap<String, usize>,
    /// Per item position: (family index, Some(variant index) or None for the base).
    membership: Vec<Option<(usize, Option<usize>)>>,
    /// Per item position: a wrapper matched outside any family.
    lone_wrappers: HashMap<usize, LoneWrapper>,
    /// Attack and fake type labels by key, for reasons.
    labels: HashMap<String, String>,
}

impl Families {
    /// Joins every attack item of `dataset` to a typical base.
    pub fn build(dataset: &Dataset, patterns: &AttackPatterns) -> Families {
        let texts = Texts::new(dataset);
        let prepared = PreparedPatterns::new(patterns);
        let attack: Vec<usize> = (0..dataset.items.len())
            .filter(|&i| dataset.items[i].subset == Subset::Attack)
            .collect();
        let mut joined = JoinIndex::new(dataset, &texts).join_all(&attack).into_iter();
        let mut by_base: BTreeMap<usize, Vec<Member>> = BTreeMap::new();
        let mut orphans = Vec::new();
        let mut lone_wrappers = HashMap::new();
        let mut alternatives = HashMap::new();
        for (i, item) in dataset.items.iter().enumerate() {
            match item.subset {
                Subset::Attack => {
                    let wrapper = prepared.attack_type(&texts.normalised[i]);
                    let Some(joined) = joined.next() else { continue };
                    match joined {
                        Joined::Base {
                            base,
                            found,
                            confidence,
                            alignment,
                            others,
                        } => {
                            if !others.is_empty() {
                                alternatives.insert(i, others);
                            }
                            by_base.entry(base).or_default().push(Member {
                                item: i,
                                attack_type: wrapper.map(|w| w.kind.key.clone()),
                                type_source: wrapper.map(|w| TypeSource::Pattern(w.pattern.to_string())),
                                rule: match found {
                                    Found::Image => JoinRule::Image,
                                    Found::ImageText => JoinRule::ImageText,
                                    Found::Text => JoinRule::Text,
                                },
                                confidence: (confidence * 1000.0).round().clamp(0.0, 1000.0) / 1000.0,
                                wrapper: wrappers::template(&texts.words(i), &alignment),
                            })
                        }
                        Joined::Orphan(reason) => {
                            orphans.push(Orphan { item: i, reason });
                            if let Some(w) = wrapper {
                                lone_wrappers.insert(i, lone(w));
                            }
                        }
                    }
                }
                Subset::OverSafety => {
                    if let Some(w) = prepared.fake_type(&texts.normalised[i]) {
                        lone_wrappers.insert(i, lone(w));
                    }
                }
                Subset::Typical => {}
            }
        }
        let typical: Vec<usize> = (0..dataset.items.len())
            .filter(|&i| dataset.items[i].subset == Subset::Typical)
            .collect();
        let norm = norm_mix(&typical, &by_base);
        repair::repair_mixes(&mut by_base, &alternatives, &norm, &texts);
        let mut families: Vec<Family> = by_base
            .into_iter()
            .map(|(base, variants)| Family { base, variants })
            .collect();
        for family in &mut families {
            type_by_elimination(family, &norm);
        }
        let anomalies = anomalies(dataset, &typical, &families, &norm);
        let mut membership = vec![None; dataset.items.len()];
        for (f, family) in families.iter().enumerate() {
            membership[family.base] = Some((f, None));
            for (v, member) in family.variants.iter().enumerate() {
                membership[member.item] = Some((f, Some(v)));
            }
        }
        let labels = patterns
            .attack
            .iter()
            .chain(&patterns.over_safety)
            .map(|t| (t.key.clone(), t.label.clone()))
            .collect();
        Families {
            families,
            orphans,
            anomalies,
            norm,
            membership,
            lone_wrappers,
            labels,
        }
    }

    /// The family of the item at `position` and, for a variant, its member entry.
    pub fn family_of(&self, position: usize) -> Option<(&Family, Option<&Member>)> {
        let (f, v) = (*self.membership.get(position)?)?;
        let family = &self.families[f];
        Some((family, v.map(|v| &family.variants[v])))
    }

    /// A wrapper recognised in an item outside any family (over-safety fakes, orphans).
    pub fn lone_wrapper(&self, position: usize) -> Option<&LoneWrapper> {
        self.lone_wrappers.get(&position)
    }

    /// How reasons name an attack or fake type ("role-play").
    pub fn label<'a>(&'a self, key: &'a str) -> &'a str {
        self.labels.get(key).map_or(key, String::as_str)
    }

    /// Number of attack items in a family.
    pub fn variant_count(&self) -> usize {
        self.families.iter().map(|f| f.variants.len()).sum()
    }

    /// The `families --format json` contract.
    pub fn to_json(&self, dataset: &Dataset) -> Value {
        let id = |p: usize| dataset.items[p].id.as_str();
        json!({
            "families": self.families.iter().map(|f| json!({
                "family": id(f.base),
                "base": id(f.base),
                "variants": f.variants.iter().map(|m| json!({
                    "id": id(m.item),
                    "attack_type": m.attack_type,
                    "rule": m.rule.key(),
                    "confidence": m.confidence,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "orphans": self.orphans.iter().map(|o| json!({"id": id(o.item), "reason": o.reason})).collect::<Vec<_>>(),
            "anomalies": self.anomalies.iter().map(|a| json!({
                "base": id(a.base),
                "variants": a.mix.values().sum::<usize>(),
                "mix": a.mix,
                "norm": self.norm,
                "reason": a.reason,
            })).collect::<Vec<_>>(),
        })
    }
}

fn lone(w: patterns::WrapperMatch<'_>) -> LoneWrapper {
    LoneWrapper {
        key: w.kind.key.clone(),
        label: w.kind.label.clone(),
        pattern: w.pattern.to_string(),
    }
}

const UNKNOWN: &str = "unknown";

fn mix_of(variants: &[Member]) -> BTreeMap<String, usize> {
    let mut mix = BTreeMap::new();
    for m in variants {
        *mix.entry(m.attack_type.clone().unwrap_or_else(|| UNKNOWN.into()))
            .or_insert(0) += 1;
    }
    mix
}

/// The most common mix of pattern-typed variants over all typical bases (ties: the
/// smaller mix first, for a stable answer).
fn norm_mix(typical: &[usize], by_base: &BTreeMap<usize, Vec<Member>>) -> BTreeMap<String, usize> {
    let mut counts: BTreeMap<BTreeMap<String, usize>, usize> = BTreeMap::new();
    for base in typical {
        let mix = by_base.get(base).map(|v| mix_of(v)).unwrap_or_default();
        *counts.entry(mix).or_insert(0) += 1;
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(mix, _)| mix)
        .unwrap_or_default()
}

/// Gives untyped variants the types their family lacks against the norm, in order.
fn type_by_elimination(family: &mut Family, norm: &BTreeMap<String, usize>) {
    let mut missing: Vec<String> = Vec::new();
    for (key, &want) in norm {
        if key == UNKNOWN {
            continue;
        }
        let have = family
            .variants
            .iter()
            .filter(|m| m.attack_type.as_deref() == Some(key))
            .count();
        missing.extend(std::iter::repeat_n(key.clone(), want.saturating_sub(have)));
    }
    let mut missing = missing.into_iter();
    for m in family.variants.iter_mut().filter(|m| m.attack_type.is_none()) {
        let Some(key) = missing.next() else { break };
        m.attack_type = Some(key);
        m.type_source = Some(TypeSource::Elimination);
    }
}

fn describe(mix: &BTreeMap<String, usize>) -> String {
    let total: usize = mix.values().sum();
    if total == 0 {
        return "no variants".into();
    }
    let parts: Vec<String> = mix.iter().map(|(k, n)| format!("{k} {n}")).collect();
    format!("{total} variants ({})", parts.join(", "))
}

fn anomalies(
    dataset: &Dataset,
    typical: &[usize],
    families: &[Family],
    norm: &BTreeMap<String, usize>,
) -> Vec<Anomaly> {
    let by_base: HashMap<usize, &Family> = families.iter().map(|f| (f.base, f)).collect();
    let mut out = Vec::new();
    for &base in typical {
        let mix = by_base
            .get(&base)
            .map(|f| mix_of(&f.variants))
            .unwrap_or_default();
        if &mix != norm {
            out.push(Anomaly {
                base,
                reason: format!(
                    "item {} has {} where most bases have {}",
                    dataset.items[base].id,
                    describe(&mix),
                    describe(norm)
                ),
                mix,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests;
