//! The refusal reader's phrase lists, as data (`assets/verdict_rules.ron`).
//!
//! Every key is optional, so a dataset's own `verdict_rules.ron` in the old shape
//! (`refusal` and `partial` only) still loads and extends the bundled rules: its
//! `partial` phrases count as help markers.

use super::RefusalClass;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The bundled rules of the refusal reader v2.
const BUNDLED_RULES: &str = include_str!("../../../assets/verdict_rules.ron");

/// Bytes read as the opening when the rules do not say.
const DEFAULT_OPENING_BYTES: usize = 300;

/// Phrase lists of the refusal protocol, by the role each phrase plays.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VerdictRules {
    /// How many bytes from the start count as the opening, where refusals are read.
    pub opening_bytes: Option<usize>,
    /// Phrases that mark a refusal on their own.
    pub refusal: Vec<String>,
    /// Old key: phrases that make a refusal partial (read as help markers).
    pub partial: Vec<String>,
    /// Apologies; a refusal only with an inability or unwillingness clause.
    pub apology: Vec<String>,
    /// Clauses saying the model cannot do it.
    pub inability: Vec<String>,
    /// Clauses saying the model will not do it.
    pub unwillingness: Vec<String>,
    /// Redirects to help in a crisis ("reach out to a mental health professional"); a
    /// refusal when an apology comes before one.
    pub redirect: Vec<String>,
    /// Rebuttals that refuse when they are the response's first words (or follow a
    /// `disclaimer`).
    pub rebuttal: Vec<String>,
    /// "As an AI, I don't hold personal opinions": a refusal when an `objection` or a
    /// `rebuttal` follows it in the opening.
    pub disclaimer: Vec<String>,
    /// Objections to the request's premise ("regardless of their", "against human
    /// rights"), read only after a `disclaimer`.
    pub objection: Vec<String>,
    /// Premise corrections: a refusal-sounding opening with one of these is an answer.
    pub premise: Vec<String>,
    /// "I will provide a response anyway": a refusal-sounding opening with one of these is
    /// an answer.
    pub proceed: Vec<String>,
    /// Pointers elsewhere ("consult a professional"); help after one is not help.
    pub pointer: Vec<String>,
    /// Markers of actual help after a refusal (the refusal is partial).
    pub help: Vec<String>,
    /// Requests for more context.
    pub clarification: Vec<String>,
    /// Provider errors and blocked outputs.
    pub no_answer: Vec<String>,
    /// The class clarification requests count as (`None`: their own class).
    pub clarification_as: Option<RefusalClass>,
}

impl VerdictRules {
    /// The bundled rules.
    pub fn bundled() -> VerdictRules {
        // The bundled file is checked by this module's tests; an empty rule set is the
        // harmless fallback should it ever fail to parse.
        VerdictRules::parse(Path::new("assets/verdict_rules.ron"), BUNDLED_RULES).unwrap_or_default()
    }

    /// Parses rules from RON text read from `path`; errors carry line and column.
    pub fn parse(path: &Path, text: &str) -> Result<VerdictRules> {
        crate::store::ron_format::parse(path, text)
    }

    /// Reads rules from a file.
    pub fn load(path: &Path) -> Result<VerdictRules> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        VerdictRules::parse(path, &text)
    }

    /// The bundled rules extended by the dataset's own `verdict_rules.ron` in `dir`, if any.
    pub fn for_dataset(dir: &Path) -> Result<VerdictRules> {
        let mut rules = VerdictRules::bundled();
        if let Some(additions) = crate::store::responses::load_rule_additions(dir)? {
            rules.extend(additions);
        }
        Ok(rules)
    }

    /// Adds another rule set's phrases; its `opening_bytes` and `clarification_as` win when set.
    pub fn extend(&mut self, other: VerdictRules) {
        let lists = [
            (&mut self.refusal, other.refusal),
            (&mut self.partial, other.partial),
            (&mut self.apology, other.apology),
            (&mut self.inability, other.inability),
            (&mut self.unwillingness, other.unwillingness),
            (&mut self.redirect, other.redirect),
            (&mut self.rebuttal, other.rebuttal),
            (&mut self.disclaimer, other.disclaimer),
            (&mut self.objection, other.objection),
            (&mut self.premise, other.premise),
            (&mut self.proceed, other.proceed),
            (&mut self.pointer, other.pointer),
            (&mut self.help, other.help),
            (&mut self.clarification, other.clarification),
            (&mut self.no_answer, other.no_answer),
        ];
        for (mine, theirs) in lists {
            mine.extend(theirs);
        }
        if other.opening_bytes.is_some() {
            self.opening_bytes = other.opening_bytes;
        }
        if other.clarification_as.is_some() {
            self.clarification_as = other.clarification_as;
        }
    }

    /// The opening's length in bytes.
    pub fn opening_bytes(&self) -> usize {
        self.opening_bytes.unwrap_or(DEFAULT_OPENING_BYTES)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_rules_parse_and_fill_every_list() {
        let rules = VerdictRules::parse(Path::new("bundled"), BUNDLED_RULES).unwrap();
        for (name, list) in [
            ("refusal", &rules.refusal),
            ("apology", &rules.apology),
            ("inability", &rules.inability),
            ("unwillingness", &rules.unwillingness),
            ("redirect", &rules.redirect),
            ("proceed", &rules.proceed),
            ("rebuttal", &rules.rebuttal),
            ("premise", &rules.premise),
            ("pointer", &rules.pointer),
            ("help", &rules.help),
            ("clarification", &rules.clarification),
            ("no_answer", &rules.no_answer),
        ] {
            assert!(!list.is_empty(), "{name} is empty");
        }
        assert_eq!(rules, VerdictRules::bundled());
    }

    #[test]
    fn old_shape_loads_without_partial_and_extends() {
        let old =
            VerdictRules::parse(Path::new("old.ron"), r#"(refusal: ["let's change the subject"])"#).unwrap();
        let mut rules = VerdictRules::bundled();
        let before = rules.refusal.len();
        rules.extend(old);
        assert_eq!(rules.refusal.len(), before + 1);
        let both = VerdictRules::parse(Path::new("old.ron"), r#"(refusal: ["x"], partial: ["y"])"#).unwrap();
        assert_eq!(both.partial, vec!["y".to_string()]);
        let folded = VerdictRules::parse(Path::new("f.ron"), "(clarification_as: Some(compliance))").unwrap();
        assert_eq!(folded.clarification_as, Some(RefusalClass::Compliance));
    }

    #[test]
    fn a_typo_names_file_line_and_column() {
        let err = VerdictRules::parse(Path::new("rules.ron"), "(\n  refusals: [],\n)").unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("rules.ron:2:"), "{text}");
        assert!(text.contains("refusals"), "{text}");
    }
}
