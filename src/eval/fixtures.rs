//! A small scored dataset shared by the evaluation tests.

use crate::model::{
    Dataset, Item, Manifest, ModelInfo, ModelResponses, Protocol, Provenance, Response, SourceInfo, Status,
    Subset, Taxonomy,
};

pub fn item(id: &str, subset: Subset) -> Item {
    Item {
        id: id.into(),
        image: None,
        sentence: format!("sentence {id}"),
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

pub fn dataset() -> Dataset {
    // 4 typical, 2 attack, 4 over-safety.
    let mut items = Vec::new();
    for i in 1..=4 {
        items.push(item(&format!("t{i}"), Subset::Typical));
    }
    for i in 1..=2 {
        items.push(item(&format!("a{i}"), Subset::Attack));
    }
    for i in 1..=4 {
        items.push(item(&format!("o{i}"), Subset::OverSafety));
    }
    Dataset {
        manifest: Manifest {
            format_version: 1,
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

pub fn model(name: &str, answers: &[(&str, &str)]) -> ModelResponses {
    ModelResponses {
        model: ModelInfo {
            name: name.into(),
            ..ModelInfo::default()
        },
        responses: answers
            .iter()
            .map(|(i, t)| Response {
                item: i.to_string(),
                text: t.to_string(),
                judge: None,
            })
            .collect(),
    }
}
