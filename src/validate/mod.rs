//! Checks a dataset for the problems a careful curator would want to know about.
//!
//! Each finding has a stable `kind` (part of the JSON contract), a severity, the items it
//! concerns and a message. docs/VALIDATE.md lists every kind and why it exists.

mod curation;
mod images;
mod lints;
pub mod phash;
pub mod spelling;

use crate::families::{AttackPatterns, Families};
use crate::import::Progress;
use crate::media;
use crate::model::{Dataset, SubsetCounts};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// How serious a finding is; any `Error` makes `validate` exit with 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The dataset is wrong and must be fixed before use.
    Error,
    /// Probably a mistake; look at it.
    Warning,
    /// Worth knowing; often by design.
    Info,
}

/// The kinds of finding; the snake_case names are a stable contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// An image the item expects is not on disk.
    MissingImage,
    /// An image file exists but cannot be decoded.
    UnreadableImage,
    /// An image file's bytes differ from the hash recorded for it.
    ImageChanged,
    /// The file extension promises a format the content is not.
    ExtensionMismatch,
    /// Several items share one byte-identical image.
    DuplicateImage,
    /// Several items share the same image and the same sentence.
    DuplicatePair,
    /// Several items have the same sentence.
    DuplicateSentence,
    /// Sentences equal up to case, spacing and punctuation, but not exactly.
    NearDuplicateSentence,
    /// The gold answer disagrees with the subset or with a source of the release.
    GoldConflict,
    /// The scenario key is not in the dataset's taxonomy.
    UnknownScenario,
    /// The scenario belongs to another subset than the item.
    ScenarioConflict,
    /// Items without a scenario label.
    UnlabeledScenario,
    /// Items without an image that the source never had.
    NoImage,
    /// A file in the image folder (or the source's) that belongs to no item.
    StrayFile,
    /// The source record used a question template other than the dataset's.
    TemplateMismatch,
    /// The sentence is empty or only whitespace.
    EmptySentence,
    /// Control, zero-width or bidirectional characters in the sentence.
    HiddenCharacter,
    /// Whitespace at the start or end of the sentence.
    EdgeWhitespace,
    /// Two or more spaces in a row inside the sentence.
    RepeatedWhitespace,
    /// Placeholder text left in a sentence (TODO, lorem ipsum, `{sentence}` ...).
    PlaceholderText,
    /// An attack item whose sentence is its base's, with no attack text around it.
    AttackWithoutWrapper,
    /// A duplicate pair (same image bytes and sentence) whose items sit in different subsets.
    CrossSubsetDuplicate,
    /// A digit glued to the end of a word ("bomb2"), left over from de-duplication.
    GluedDigit,
    /// A word that is in neither the English dictionary nor the allow lists.
    Misspelling,
    /// Perceptually similar images that are not byte-identical.
    NearDuplicateImage,
    /// A base with a different number or mix of variants than the dataset's norm.
    FamilyAnomaly,
}

impl Kind {
    /// The severity every finding of this kind has.
    pub fn severity(self) -> Severity {
        use Kind::*;
        match self {
            MissingImage | UnreadableImage | GoldConflict | UnknownScenario | EmptySentence
            | HiddenCharacter => Severity::Error,
            ImageChanged | ExtensionMismatch | DuplicatePair | ScenarioConflict | StrayFile
            | TemplateMismatch | EdgeWhitespace | PlaceholderText | AttackWithoutWrapper
            | CrossSubsetDuplicate | GluedDigit => Severity::Warning,
            DuplicateImage
            | DuplicateSentence
            | NearDuplicateSentence
            | UnlabeledScenario
            | NoImage
            | RepeatedWhitespace
            | Misspelling
            | NearDuplicateImage
            | FamilyAnomaly => Severity::Info,
        }
    }

    /// The kind with the snake_case name `name`, if there is one.
    pub fn named(name: &str) -> Option<Kind> {
        serde_json::from_value(serde_json::Value::String(name.to_string())).ok()
    }

    /// The stable snake_case name.
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }
}

/// One problem found, about zero or more items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What kind of problem.
    pub kind: Kind,
    /// How serious.
    pub severity: Severity,
    /// The ids of the items concerned, in dataset order.
    pub items: Vec<String>,
    /// A sentence saying what is wrong.
    pub message: String,
}

impl Finding {
    fn new(kind: Kind, items: Vec<String>, message: impl Into<String>) -> Finding {
        Finding {
            kind,
            severity: kind.severity(),
            items,
            message: message.into(),
        }
    }
}

/// Number of findings per severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SeverityCounts {
    /// Findings of severity error.
    pub error: usize,
    /// Findings of severity warning.
    pub warning: usize,
    /// Findings of severity info.
    pub info: usize,
}

/// Everything `validate` found, in the JSON contract's shape.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Number of items.
    pub items: usize,
    /// Items per subset.
    pub subsets: SubsetCounts,
    /// Findings per severity.
    pub severities: SeverityCounts,
    /// The findings, ordered by kind, then by first item.
    pub findings: Vec<Finding>,
}

impl Report {
    /// Whether any finding has severity error.
    pub fn has_errors(&self) -> bool {
        self.severities.error > 0
    }
}

/// What to check beyond the cheap rules.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Decode every distinct image fully (slower; catches corruption inside the file).
    pub decode_images: bool,
    /// Largest image file read and largest image decoded.
    pub image_limits: media::ImageLimits,
    /// Largest gradient-hash distance (of 64 bits) reported as `near_duplicate_image`.
    pub phash_distance: u32,
    /// Also run [`relation_findings`] (families, spelling, perceptual hashes). Off by
    /// default: the first run loads the dictionary and hashes every image; the CLI turns it on.
    pub relations: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            decode_images: true,
            image_limits: media::ImageLimits::default(),
            phash_distance: phash::DEFAULT_PHASH_DISTANCE,
            relations: false,
        }
    }
}

/// What the relation findings read, built once and reused by a caller that validates
/// the same dataset again after label edits (the TUI's worker): the variant families and
/// the perceptual hashes.
#[derive(Debug, Clone, Copy)]
pub struct Relations<'a> {
    /// The dataset's variant families.
    pub families: &'a Families,
    /// Perceptual hashes from [`phash::perceptual_hashes`].
    pub hashes: &'a phash::PerceptualHashes,
}

/// Checks `dataset`, stored in `dir`, and returns every finding.
pub fn validate(dir: &Path, dataset: &Dataset, options: Options, progress: Progress<'_>) -> Report {
    if !options.relations {
        return validate_with(dir, dataset, options, None, progress);
    }
    let patterns = AttackPatterns::for_dataset(dir).unwrap_or_default();
    let families = Families::build(dataset, &patterns);
    let hashes = phash::perceptual_hashes(dir, dataset, options.image_limits);
    let relations = Relations {
        families: &families,
        hashes: &hashes,
    };
    validate_with(dir, dataset, options, Some(relations), progress)
}

/// [`validate`] with the relation findings read from `relations` built beforehand (none:
/// the cheap checks only, whatever `options.relations` says).
pub fn validate_with(
    dir: &Path,
    dataset: &Dataset,
    options: Options,
    relations: Option<Relations<'_>>,
    progress: Progress<'_>,
) -> Report {
    let mut findings = Vec::new();
    images::check_images(dir, dataset, options, progress, &mut findings);
    check_duplicates(dataset, &mut findings);
    check_labels(dataset, &mut findings);
    for item in &dataset.items {
        lints::lint_sentence(item, &mut findings);
    }
    if let Some(r) = relations {
        findings.extend(relation_findings(dir, dataset, r.families, r.hashes, options));
    }
    let order = dataset.index();
    findings.sort_by(|a, b| {
        let first = |f: &Finding| f.items.first().and_then(|id| order.get(id.as_str())).copied();
        (a.kind, first(a), &a.message).cmp(&(b.kind, first(b), &b.message))
    });
    let mut severities = SeverityCounts::default();
    for f in &findings {
        match f.severity {
            Severity::Error => severities.error += 1,
            Severity::Warning => severities.warning += 1,
            Severity::Info => severities.info += 1,
        }
    }
    Report {
        items: dataset.items.len(),
        subsets: dataset.subset_counts(),
        severities,
        findings,
    }
}

/// The findings that read families, the dictionary and perceptual hashes
/// (`attack_without_wrapper`, `cross_subset_duplicate`, `glued_digit`, `misspelling`,
/// `near_duplicate_image`, `family_anomaly`), unsorted. `hashes` come from
/// [`phash::perceptual_hashes`] (cached in the dataset's `.cache/`).
pub fn relation_findings(
    dir: &Path,
    dataset: &Dataset,
    families: &Families,
    hashes: &phash::PerceptualHashes,
    options: Options,
) -> Vec<Finding> {
    let mut out = Vec::new();
    curation::attack_without_wrapper(dataset, families, &mut out);
    curation::cross_subset_duplicate(dataset, &mut out);
    for item in &dataset.items {
        curation::glued_digit(item, &mut out);
    }
    spelling::check(dir, dataset, &mut out);
    phash::near_duplicate_images(dataset, hashes, options.phash_distance, &mut out);
    curation::family_anomaly(dataset, families, &mut out);
    out
}

/// Data and file names shown inside a finding's message, escaped for any terminal.
fn esc(s: &str) -> std::borrow::Cow<'_, str> {
    crate::text::escape_for_display(s)
}

fn check_duplicates(dataset: &Dataset, out: &mut Vec<Finding>) {
    // Each distinct sentence gets a number (and is normalised once); pairs are keyed by
    // image group and sentence number. Findings are sorted by their first item at the
    // end, so unordered maps do; each group lists its items in dataset order.
    let mut numbers: HashMap<&str, usize> = HashMap::new();
    let mut sentences: Vec<(&str, Vec<usize>)> = Vec::new();
    let mut sentence_of = Vec::with_capacity(dataset.items.len());
    for (i, item) in dataset.items.iter().enumerate() {
        let next = sentences.len();
        let n = *numbers.entry(item.sentence.as_str()).or_insert(next);
        if n == next {
            sentences.push((item.sentence.as_str(), Vec::new()));
        }
        sentences[n].1.push(i);
        sentence_of.push(n);
    }
    let groups = dataset.image_groups();
    let mut by_pair: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    for (i, &n) in sentence_of.iter().enumerate() {
        if let [first, _, ..] = groups.group(i) {
            by_pair.entry((*first, n)).or_default().push(i);
        }
    }
    let mut by_normal: HashMap<String, Vec<usize>> = HashMap::new();
    for (n, (sentence, _)) in sentences.iter().enumerate() {
        by_normal.entry(lints::normalize(sentence)).or_default().push(n);
    }
    let ids = |items: &[usize]| {
        items
            .iter()
            .map(|&i| dataset.items[i].id.clone())
            .collect::<Vec<_>>()
    };
    for group in groups.shared() {
        let distinct: HashSet<usize> = group.iter().map(|&i| sentence_of[i]).collect();
        out.push(Finding::new(
            Kind::DuplicateImage,
            ids(group),
            format!(
                "{} items share one image ({} distinct sentences)",
                group.len(),
                distinct.len()
            ),
        ));
    }
    for group in by_pair.values().filter(|g| g.len() > 1) {
        out.push(Finding::new(
            Kind::DuplicatePair,
            ids(group),
            format!("{} items have the same image and the same sentence", group.len()),
        ));
    }
    for (sentence, group) in sentences.iter().filter(|(_, g)| g.len() > 1) {
        let shown = crate::text::escape_for_display(sentence);
        out.push(Finding::new(
            Kind::DuplicateSentence,
            ids(group),
            format!("{} items have the sentence \"{shown}\"", group.len()),
        ));
    }
    for same in by_normal.values().filter(|numbers| numbers.len() > 1) {
        let mut items: Vec<usize> = same
            .iter()
            .flat_map(|&n| sentences[n].1.iter().copied())
            .collect();
        items.sort_unstable();
        out.push(Finding::new(
            Kind::NearDuplicateSentence,
            ids(&items),
            format!(
                "{} sentences differ only in case, spacing or punctuation",
                same.len()
            ),
        ));
    }
}

fn check_labels(dataset: &Dataset, out: &mut Vec<Finding>) {
    let taxonomy = &dataset.manifest.taxonomy;
    let mut unlabeled = Vec::new();
    for item in &dataset.items {
        let id = || vec![item.id.clone()];
        if item.gold_conflicts_with_subset() {
            out.push(Finding::new(
                Kind::GoldConflict,
                id(),
                format!(
                    "gold is {} but subset {} implies {}",
                    item.gold,
                    item.subset,
                    item.subset.implied_gold()
                ),
            ));
        }
        for claim in item.provenance.gold_claims.iter().filter(|c| c.gold != item.gold) {
            out.push(Finding::new(
                Kind::GoldConflict,
                id(),
                format!(
                    "{} says {} but the item's gold is {} (subset {})",
                    esc(&claim.source),
                    claim.gold,
                    item.gold,
                    item.subset
                ),
            ));
        }
        if let Some(template) = &item.provenance.template {
            let shown = crate::text::escape_for_display(template);
            out.push(Finding::new(
                Kind::TemplateMismatch,
                id(),
                format!("the source record used another question template: \"{shown}\""),
            ));
        }
        match item.scenario.as_deref() {
            None => unlabeled.push(item.id.clone()),
            Some(key) => match taxonomy.get(key) {
                None => out.push(Finding::new(
                    Kind::UnknownScenario,
                    id(),
                    format!(
                        "scenario {:?} is not in the taxonomy",
                        crate::text::escape_for_display(key)
                    ),
                )),
                Some(scenario) if scenario.subset != item.subset => out.push(Finding::new(
                    Kind::ScenarioConflict,
                    id(),
                    format!(
                        "scenario {} belongs to subset {} but the item is in {}",
                        esc(&scenario.key),
                        scenario.subset,
                        item.subset
                    ),
                )),
                Some(_) => {}
            },
        }
    }
    if !unlabeled.is_empty() {
        let n = unlabeled.len();
        out.push(Finding::new(
            Kind::UnlabeledScenario,
            unlabeled,
            format!("{n} items have no scenario yet"),
        ));
    }
}

#[cfg(test)]
mod relation_tests;
