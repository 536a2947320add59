//! Findings about how items relate to each other: attack variants that add no attack
//! text, duplicate pairs scored in two subsets, glued digits and unusual families.

use super::lints::normalize;
use super::{Finding, Kind, esc};
use crate::families::Families;
use crate::model::{Dataset, Item};
use std::collections::{BTreeSet, HashMap};

/// `attack_without_wrapper`: an attack item whose normalised sentence is its base's.
pub(super) fn attack_without_wrapper(dataset: &Dataset, families: &Families, out: &mut Vec<Finding>) {
    for family in &families.families {
        let base = &dataset.items[family.base];
        let base_words = normalize(&base.sentence);
        for member in &family.variants {
            let variant = &dataset.items[member.item];
            if normalize(&variant.sentence) == base_words {
                out.push(Finding::new(
                    Kind::AttackWithoutWrapper,
                    vec![variant.id.clone(), base.id.clone()],
                    format!(
                        "attack item {} has the sentence of its base {} with no attack text around it",
                        esc(&variant.id),
                        esc(&base.id)
                    ),
                ));
            }
        }
    }
}

/// `cross_subset_duplicate`: items with the same image bytes and sentence in different subsets.
pub(super) fn cross_subset_duplicate(dataset: &Dataset, out: &mut Vec<Finding>) {
    // Only items sharing an image can be such a pair: look within each image group.
    for group in dataset.image_groups().shared() {
        let mut by_sentence: HashMap<&str, Vec<&Item>> = HashMap::new();
        for &i in group {
            let item = &dataset.items[i];
            by_sentence.entry(&item.sentence).or_default().push(item);
        }
        let mut pairs: Vec<Vec<&Item>> = by_sentence.into_values().filter(|g| g.len() > 1).collect();
        pairs.sort_by_key(|g| g.first().map(|i| i.id.clone()));
        for pair in pairs {
            let subsets: BTreeSet<&str> = pair.iter().map(|i| i.subset.key()).collect();
            if subsets.len() < 2 {
                continue;
            }
            let listed: Vec<String> = pair
                .iter()
                .map(|i| format!("{} ({})", esc(&i.id), i.subset))
                .collect();
            out.push(Finding::new(
                Kind::CrossSubsetDuplicate,
                pair.iter().map(|i| i.id.clone()).collect(),
                format!(
                    "the same image and sentence sit in {} subsets and are scored twice: {}",
                    subsets.len(),
                    listed.join(", ")
                ),
            ));
        }
    }
}

/// The words of `sentence` that end in a digit glued to letters ("bomb2").
pub(super) fn glued_digit_words(sentence: &str) -> Vec<&str> {
    sentence
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| {
            let digits = word.chars().rev().take_while(char::is_ascii_digit).count();
            let letters = word.chars().filter(|c| c.is_alphabetic()).count();
            digits > 0 && word.chars().count() > digits && letters >= 2
        })
        .collect()
}

/// `glued_digit`: a digit glued to the end of a word, left over from de-duplication.
pub(super) fn glued_digit(item: &Item, out: &mut Vec<Finding>) {
    let words = glued_digit_words(&item.sentence);
    if !words.is_empty() {
        let shown: Vec<String> = words.iter().map(|w| format!("\"{}\"", esc(w))).collect();
        out.push(Finding::new(
            Kind::GluedDigit,
            vec![item.id.clone()],
            format!(
                "digit glued to a word: {} in \"{}\"",
                shown.join(", "),
                esc(&item.sentence)
            ),
        ));
    }
}

/// `family_anomaly`: a base whose number or mix of variants differs from the norm.
pub(super) fn family_anomaly(dataset: &Dataset, families: &Families, out: &mut Vec<Finding>) {
    for anomaly in &families.anomalies {
        let base = anomaly.base;
        let mut items = vec![dataset.items[base].id.clone()];
        if let Some((family, _)) = families.family_of(base) {
            items.extend(family.variants.iter().map(|m| dataset.items[m.item].id.clone()));
        }
        out.push(Finding::new(Kind::FamilyAnomaly, items, esc(&anomaly.reason)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_digit_glued_to_a_word_is_found_but_numbers_and_model_names_are_not() {
        assert_eq!(glued_digit_words("How to make a bomb2 at home"), ["bomb2"]);
        assert_eq!(glued_digit_words("people2, and drugs34."), ["people2", "drugs34"]);
        assert!(glued_digit_words("In 2024 about 30 people came").is_empty());
        assert!(glued_digit_words("a 3D print of an H2 tank").is_empty());
    }
}
