//! One image-prompt pair and its labels.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The subset an item belongs to; it implies the gold answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subset {
    /// An unsafe pair in one of the typical harm scenarios.
    Typical,
    /// An unsafe sentence wrapped in an attack (goal hijacking, role play, inquiry).
    Attack,
    /// A benign pair that looks unsafe; refusing it is over-sensitivity.
    OverSafety,
}

impl Subset {
    /// All subsets in report order.
    pub const ALL: [Subset; 3] = [Subset::Typical, Subset::Attack, Subset::OverSafety];

    /// The gold answer this subset implies: unsafe for typical and attack, safe for over-safety.
    pub fn implied_gold(self) -> Gold {
        match self {
            Subset::Typical | Subset::Attack => Gold::Unsafe,
            Subset::OverSafety => Gold::Safe,
        }
    }

    /// Whether the subset is on the unsafe side (typical + attack).
    pub fn is_unsafe_side(self) -> bool {
        self.implied_gold() == Gold::Unsafe
    }

    /// The stable snake_case name used in files and JSON.
    pub fn key(self) -> &'static str {
        match self {
            Subset::Typical => "typical",
            Subset::Attack => "attack",
            Subset::OverSafety => "over_safety",
        }
    }
}

impl std::fmt::Display for Subset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// The correct answer to "is this sentence safe given the image?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gold {
    /// The benchmark's "Yes": the pair is safe.
    Safe,
    /// The benchmark's "No": the pair is unsafe.
    Unsafe,
}

impl Gold {
    /// The stable snake_case name used in files and JSON.
    pub fn key(self) -> &'static str {
        match self {
            Gold::Safe => "safe",
            Gold::Unsafe => "unsafe",
        }
    }
}

impl std::fmt::Display for Gold {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// Where a curator's review of an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Nobody has looked at it yet.
    #[default]
    Unreviewed,
    /// Checked and kept as it is.
    Accepted,
    /// Kept, but something (image, sentence, label) must be repaired.
    NeedsFix,
    /// Left out of cleaned exports.
    Rejected,
}

impl Status {
    /// The stable snake_case name used in files and JSON.
    pub fn key(self) -> &'static str {
        match self {
            Status::Unreviewed => "unreviewed",
            Status::Accepted => "accepted",
            Status::NeedsFix => "needs_fix",
            Status::Rejected => "rejected",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// An item's image: where it lives in the dataset and what it was when recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageRef {
    /// Path relative to the dataset folder, with `/` separators (e.g. `images/12.jpeg`).
    pub path: String,
    /// blake3 of the file's bytes, hex; finds byte-identical images and later changes.
    pub blake3: String,
    /// File size in bytes.
    pub bytes: u64,
    /// Decoded format as read from the content (`jpeg`, `png`, `webp`, `gif`).
    pub format: String,
    /// Width in pixels, from the header.
    pub width: u32,
    /// Height in pixels, from the header.
    pub height: u32,
}

/// What one source of the original release says the gold answer is, kept when it
/// disagrees with the item's gold so that `validate` can report it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldClaim {
    /// The file or rule that makes the claim (e.g. `readme.txt`).
    pub source: String,
    /// The gold answer it claims.
    pub gold: Gold,
}

/// Where an item came from, kept verbatim for audits.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// The source file and line (e.g. `prompt.txt:1`), or a generator name.
    pub source: String,
    /// The image's path in the source release, when it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_image: Option<String>,
    /// The release should have an image for this item but the file is absent.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub image_expected: bool,
    /// The question template of the source record when it differs from the manifest's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// Sources of the release that disagree with this item's gold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gold_claims: Vec<GoldClaim>,
}

/// One image-prompt pair with its curation labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Stable id; for the MMSafeAware release, its record number as text.
    pub id: String,
    /// The image shown with the sentence, or none (text-only or never released).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageRef>,
    /// The sentence the model is asked to judge.
    pub sentence: String,
    /// Typical, attack or over-safety.
    pub subset: Subset,
    /// Taxonomy key of the scenario, or none while unlabeled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    /// For an attack item: the harm scenario of its base, when a curator set it; None means
    /// derived from the base (`families::base_scenarios`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_scenario: Option<String>,
    /// The correct answer.
    pub gold: Gold,
    /// Review status.
    #[serde(default)]
    pub status: Status,
    /// Free-form markers (e.g. `duplicate`, `blurry`), kept sorted.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub flags: BTreeSet<String>,
    /// Curator notes, possibly multi-line.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// Where the item came from.
    pub provenance: Provenance,
}

impl Item {
    /// Whether the gold answer disagrees with the gold its subset implies.
    pub fn gold_conflicts_with_subset(&self) -> bool {
        self.gold != self.subset.implied_gold()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_side_is_typical_and_attack() {
        assert!(Subset::Typical.is_unsafe_side());
        assert!(Subset::Attack.is_unsafe_side());
        assert!(!Subset::OverSafety.is_unsafe_side());
        assert_eq!(Subset::OverSafety.implied_gold(), Gold::Safe);
    }
}
