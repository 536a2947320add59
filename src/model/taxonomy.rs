//! Safety scenarios as data, so each benchmark can bring its own.

use super::Subset;
use serde::{Deserialize, Serialize};

/// One safety scenario of a benchmark's taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Stable snake_case key stored in items.
    pub key: String,
    /// Display name as the paper writes it.
    pub name: String,
    /// The subset items of this scenario belong to.
    pub subset: Subset,
    /// The paper's group (Physical, Mental, Property, Society) for typical scenarios.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// One line for curators on what belongs here.
    pub description: String,
}

/// The scenarios a dataset labels items with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Taxonomy {
    /// Scenarios in display order.
    pub scenarios: Vec<Scenario>,
}

/// The MMSafeAware taxonomy shipped with safeaware (`assets/taxonomy.ron`).
const MMSAFEAWARE_TAXONOMY: &str = include_str!("../../assets/taxonomy.ron");

impl Taxonomy {
    /// The 29 scenarios of MMSafeAware, from the bundled asset.
    pub fn mmsafeaware() -> Taxonomy {
        ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str(MMSAFEAWARE_TAXONOMY)
            .expect("assets/taxonomy.ron is valid (checked by tests)")
    }

    /// The scenario with this key, if the taxonomy has it.
    pub fn get(&self, key: &str) -> Option<&Scenario> {
        self.scenarios.iter().find(|s| s.key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn bundled_taxonomy_has_the_papers_29_scenarios() {
        let t = Taxonomy::mmsafeaware();
        assert_eq!(t.scenarios.len(), 29);
        let count = |s: Subset| t.scenarios.iter().filter(|x| x.subset == s).count();
        assert_eq!(count(Subset::Typical), 14);
        assert_eq!(count(Subset::Attack), 3);
        assert_eq!(count(Subset::OverSafety), 12);
        let keys: HashSet<_> = t.scenarios.iter().map(|s| &s.key).collect();
        assert_eq!(keys.len(), 29, "keys are unique");
        for s in &t.scenarios {
            assert_eq!(s.group.is_some(), s.subset == Subset::Typical, "{}", s.key);
        }
        let groups: HashSet<_> = t.scenarios.iter().filter_map(|s| s.group.as_deref()).collect();
        assert_eq!(
            groups,
            HashSet::from(["Physical", "Mental", "Property", "Society"])
        );
    }
}
