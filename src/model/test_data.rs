//! Hand-made items and datasets for the library's unit tests (one builder, not one per
//! module).

use super::{Dataset, ImageRef, Item, Manifest, Protocol, Provenance, SourceInfo, Status, Subset, Taxonomy};

/// An unreviewed item of `subset` (gold as the subset implies) with `sentence`, and with a
/// 1x1 PNG whose content hash is `image` when given.
pub fn item(id: &str, subset: Subset, image: Option<&str>, sentence: &str) -> Item {
    Item {
        id: id.into(),
        image: image.map(|h| ImageRef {
            path: format!("images/{h}.png"),
            blake3: h.into(),
            bytes: 1,
            format: "png".into(),
            width: 1,
            height: 1,
        }),
        sentence: sentence.into(),
        subset,
        scenario: None,
        base_scenario: None,
        gold: subset.implied_gold(),
        status: Status::Unreviewed,
        flags: Default::default(),
        notes: String::new(),
        provenance: Provenance::default(),
    }
}

/// A judgment-protocol dataset "t" of `items` with the bundled taxonomy.
pub fn dataset(items: Vec<Item>) -> Dataset {
    Dataset {
        manifest: Manifest {
            format_version: super::FORMAT_VERSION,
            name: "t".into(),
            version: "1".into(),
            description: String::new(),
            question_template: "{sentence}".into(),
            protocol: Protocol::Judgment,
            source: SourceInfo::default(),
            taxonomy: Taxonomy::mmsafeaware(),
        },
        items: items.into(),
    }
}
