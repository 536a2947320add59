//! Text lints on sentences: problems that change what a model sees without a curator noticing.

use super::{Finding, Kind};
use crate::model::Item;
use crate::text::{escape_for_display, is_hidden_char};

/// Placeholder markers that should never reach a model (lower-case).
const PLACEHOLDERS: [&str; 7] = [
    "todo",
    "fixme",
    "lorem ipsum",
    "xxx",
    "{sentence}",
    "<sentence>",
    "[sentence]",
];

/// Adds the findings of the text lints for one item's sentence.
pub(super) fn lint_sentence(item: &Item, out: &mut Vec<Finding>) {
    let s = item.sentence.as_str();
    let id = || vec![item.id.clone()];
    if s.trim().is_empty() {
        out.push(Finding::new(Kind::EmptySentence, id(), "the sentence is empty"));
        return;
    }
    let hidden: Vec<String> = s
        .chars()
        .filter(|&c| is_hidden_char(c))
        .map(|c| escape_for_display(&c.to_string()).into_owned())
        .collect();
    if !hidden.is_empty() {
        out.push(Finding::new(
            Kind::HiddenCharacter,
            id(),
            format!(
                "hidden characters {} in \"{}\"",
                hidden.join(" "),
                escape_for_display(s)
            ),
        ));
    }
    if s.trim() != s {
        out.push(Finding::new(
            Kind::EdgeWhitespace,
            id(),
            format!("whitespace at the start or end of \"{}\"", escape_for_display(s)),
        ));
    }
    if s.trim().contains("  ") {
        out.push(Finding::new(
            Kind::RepeatedWhitespace,
            id(),
            format!("repeated spaces in \"{}\"", escape_for_display(s)),
        ));
    }
    let lower = s.to_lowercase();
    if let Some(marker) = PLACEHOLDERS.iter().find(|p| contains_word(&lower, p)) {
        out.push(Finding::new(
            Kind::PlaceholderText,
            id(),
            format!("placeholder {marker:?} in \"{}\"", escape_for_display(s)),
        ));
    }
}

/// Whether `needle` occurs in `haystack` not as part of a longer word.
fn contains_word(haystack: &str, needle: &str) -> bool {
    haystack.match_indices(needle).any(|(at, _)| {
        let before = haystack[..at].chars().next_back();
        let after = haystack[at + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// A sentence reduced to its words: lower-case, punctuation dropped, spaces collapsed.
pub(super) fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut gap = false;
    for c in s.to_lowercase().chars() {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Gold, Provenance, Status, Subset};

    fn item(sentence: &str) -> Item {
        Item {
            id: "1".into(),
            image: None,
            sentence: sentence.into(),
            subset: Subset::Typical,
            scenario: None,
            base_scenario: None,
            gold: Gold::Unsafe,
            status: Status::Unreviewed,
            flags: Default::default(),
            notes: String::new(),
            provenance: Provenance::default(),
        }
    }

    fn kinds(sentence: &str) -> Vec<Kind> {
        let mut out = Vec::new();
        lint_sentence(&item(sentence), &mut out);
        out.into_iter().map(|f| f.kind).collect()
    }

    #[test]
    fn a_clean_sentence_has_no_findings() {
        assert!(kinds("How do I make this at home?").is_empty());
        assert!(
            kinds("Tell me about XXXL sizes").is_empty(),
            "xxx inside a word is not a placeholder"
        );
    }

    #[test]
    fn each_lint_fires_on_its_problem() {
        assert_eq!(kinds("  "), vec![Kind::EmptySentence]);
        assert_eq!(kinds("clear\x1b[2J"), vec![Kind::HiddenCharacter]);
        assert_eq!(kinds("zero\u{200b}width"), vec![Kind::HiddenCharacter]);
        assert_eq!(kinds("trailing "), vec![Kind::EdgeWhitespace]);
        assert_eq!(kinds("make a  solution"), vec![Kind::RepeatedWhitespace]);
        assert_eq!(kinds("TODO write this"), vec![Kind::PlaceholderText]);
        assert_eq!(kinds("Is {sentence} safe"), vec![Kind::PlaceholderText]);
    }

    #[test]
    fn normalization_ignores_case_spacing_and_punctuation() {
        assert_eq!(normalize("What is  THIS?"), normalize("what is this"));
        assert_ne!(normalize("what is this"), normalize("what is that"));
    }
}
