//! Pure data: items, labels, taxonomy and the dataset manifest.

mod edit;
mod item;
mod manifest;
mod response;
mod taxonomy;

pub use edit::{Change, FieldValue};
pub use item::{Gold, GoldClaim, ImageRef, Item, Provenance, Status, Subset};
pub use manifest::{FORMAT_VERSION, Manifest, Protocol, SourceInfo};
pub use response::{ModelInfo, ModelResponses, Override, Response, Verdict};
pub use taxonomy::{Scenario, Taxonomy};

/// A dataset in memory: its manifest and its items in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Name, version, question template, taxonomy and protocol.
    pub manifest: Manifest,
    /// The items, in the order the items file lists them.
    pub items: Vec<Item>,
}

impl Dataset {
    /// Number of items per subset, in the order typical, attack, over-safety.
    pub fn subset_counts(&self) -> SubsetCounts {
        let mut counts = SubsetCounts::default();
        for item in &self.items {
            match item.subset {
                Subset::Typical => counts.typical += 1,
                Subset::Attack => counts.attack += 1,
                Subset::OverSafety => counts.over_safety += 1,
            }
        }
        counts
    }
}

/// Item counts per subset, as the JSON contracts report them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct SubsetCounts {
    /// Typical unsafe items.
    pub typical: usize,
    /// Attack-wrapped unsafe items.
    pub attack: usize,
    /// Benign items that look unsafe.
    pub over_safety: usize,
}
