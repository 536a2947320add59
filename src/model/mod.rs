//! Pure data: items, labels, taxonomy and the dataset manifest.

mod dataset;
mod edit;
mod item;
mod lock_holder;
mod manifest;
mod response;
mod taxonomy;
#[cfg(test)]
pub(crate) mod test_data;

pub use dataset::{Dataset, ImageGroups, Items, SubsetCounts};
pub use edit::{Change, FieldValue};
pub use item::{Gold, GoldClaim, ImageRef, Item, Provenance, Status, Subset};
pub use lock_holder::LockHolder;
pub use manifest::{FORMAT_VERSION, JUDGMENT_TEMPLATE, Manifest, Protocol, SourceInfo};
pub use response::{ModelInfo, ModelResponses, Override, Response, Verdict};
pub use taxonomy::{Scenario, Taxonomy};
