//! A small scored dataset shared by the evaluation tests.

use crate::model::{Dataset, Item, ModelInfo, ModelResponses, Response, Subset};

pub fn item(id: &str, subset: Subset) -> Item {
    crate::model::test_data::item(id, subset, None, &format!("sentence {id}"))
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
    crate::model::test_data::dataset(items)
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
