//! What a parsed query is made of: terms, each a test on one field or on the text.

use crate::eval::Outcome;
use crate::model::{Gold, Status, Subset};

/// A parsed query, ready to match items.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    pub(super) terms: Vec<Term>,
}

/// A query that failed to parse: where (1-based character column) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("column {column}: {message}")]
pub struct QueryError {
    /// 1-based column of the offending term.
    pub column: usize,
    /// What is wrong and what would be right.
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Term {
    pub(super) negated: bool,
    pub(super) test: Test,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Test {
    Text(String),
    Id(Vec<String>),
    Subset(Vec<Subset>),
    Scenario(Vec<Option<String>>),
    AnyScenario,
    Group(Vec<String>),
    Gold(Vec<Gold>),
    Status(Vec<Status>),
    Flag(Vec<String>),
    AnyFlag,
    NoFlag,
    HasImage(bool),
    Is(Vec<Condition>),
    Finding(Vec<String>),
    AnyFinding,
    /// A model's outcome on the item (`wrong:`, `right:`, `unparsed:`); None means any model.
    Model(Outcome, Option<String>),
    /// Models that answered disagree with each other.
    Disagree,
}

/// Derived conditions usable with `is:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Condition {
    Conflict,
    Shared,
    Noted,
    Suspect,
    AllWrong,
    ReaderDiff,
    ContrastFail,
    Suggested,
}

/// The field names a query knows, for error messages and completion.
pub const FIELDS: [&str; 14] = [
    "id", "subset", "scenario", "group", "gold", "status", "flag", "image", "is", "finding", "text", "wrong",
    "right", "unparsed",
];

impl Query {
    /// Whether the query has no terms (matches everything).
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether a term tests model outcomes, so that scores must be loaded and current.
    pub fn uses_models(&self) -> bool {
        self.terms.iter().any(|t| match &t.test {
            Test::Model(..) | Test::Disagree => true,
            Test::Is(conditions) => conditions.iter().any(|c| {
                matches!(
                    c,
                    Condition::Suspect
                        | Condition::AllWrong
                        | Condition::ReaderDiff
                        | Condition::ContrastFail
                )
            }),
            _ => false,
        })
    }

    /// The models named by `wrong:`/`right:`/`unparsed:` terms (not `any`), so a caller
    /// can refuse a name that has no stored responses instead of matching nothing.
    pub fn named_models(&self) -> Vec<&str> {
        self.terms
            .iter()
            .filter_map(|t| match &t.test {
                Test::Model(_, Some(model)) => Some(model.as_str()),
                _ => None,
            })
            .collect()
    }

    /// Whether a term tests suggested scenarios (`is:suggested`), which change with labels.
    pub fn uses_suggestions(&self) -> bool {
        self.terms
            .iter()
            .any(|t| matches!(&t.test, Test::Is(c) if c.contains(&Condition::Suggested)))
    }

    /// Whether a term tests validation findings.
    pub fn uses_findings(&self) -> bool {
        self.terms
            .iter()
            .any(|t| matches!(t.test, Test::Finding(_) | Test::AnyFinding))
    }
}
