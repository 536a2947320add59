//! Turning terms into tests: field names, values and their spellings.

use super::lexer::tokenize;
use super::syntax::{Condition, FIELDS, Query, QueryError, Term, Test};
use crate::eval::Outcome;
use crate::model::{Gold, Status, Subset, Taxonomy};
use std::collections::HashSet;

impl Query {
    /// Parses `text`; the taxonomy resolves scenario names and groups.
    pub fn parse(text: &str, taxonomy: &Taxonomy) -> Result<Query, QueryError> {
        let mut terms = Vec::new();
        for (column, raw) in tokenize(text)? {
            let err = |message: String| QueryError { column, message };
            let (negated, body) = match raw.strip_prefix('-') {
                Some(rest) if !rest.is_empty() => (true, rest.to_string()),
                _ => (false, raw.clone()),
            };
            let quoted = body.starts_with('"');
            let test = match body.split_once(':').filter(|_| !quoted) {
                None if body == "disagree" => Test::Disagree,
                None => Test::Text(body.trim_matches('"').to_lowercase()),
                Some((field, value)) => {
                    if value.is_empty() {
                        return Err(err(format!("{field}: needs a value")));
                    }
                    parse_field(&field.to_lowercase(), value, taxonomy).map_err(err)?
                }
            };
            terms.push(Term { negated, test });
        }
        Ok(Query { terms })
    }
}

fn parse_field(field: &str, value: &str, taxonomy: &Taxonomy) -> Result<Test, String> {
    let values: Vec<&str> = value.split(',').filter(|v| !v.is_empty()).collect();
    let each = |parse: &dyn Fn(&str) -> Result<(), String>| values.iter().try_for_each(|v| parse(v));
    Ok(match field {
        "id" => Test::Id(values.iter().map(|v| v.to_string()).collect()),
        "subset" => {
            let mut out = Vec::new();
            for v in &values {
                match v.to_lowercase().as_str() {
                    "typical" => out.push(Subset::Typical),
                    "attack" => out.push(Subset::Attack),
                    "over_safety" | "oversafety" | "over-safety" | "over" => out.push(Subset::OverSafety),
                    "unsafe" => out.extend([Subset::Typical, Subset::Attack]),
                    other => {
                        return Err(format!(
                            "unknown subset {other:?}; use typical, attack, over_safety or unsafe"
                        ));
                    }
                }
            }
            Test::Subset(out)
        }
        "scenario" => {
            if values.len() == 1 && values[0].eq_ignore_ascii_case("any") {
                return Ok(Test::AnyScenario);
            }
            let mut out = Vec::new();
            for v in &values {
                if v.eq_ignore_ascii_case("none") {
                    out.push(None);
                    continue;
                }
                let lower = v.to_lowercase();
                let found = taxonomy
                    .scenarios
                    .iter()
                    .find(|s| s.key == lower || s.name.to_lowercase() == lower);
                match found {
                    Some(s) => out.push(Some(s.key.clone())),
                    None => {
                        let close: Vec<&str> = taxonomy
                            .scenarios
                            .iter()
                            .filter(|s| s.key.contains(&lower))
                            .map(|s| s.key.as_str())
                            .take(3)
                            .collect();
                        let hint = if close.is_empty() {
                            "use a taxonomy key, none or any".to_string()
                        } else {
                            format!("did you mean {}?", close.join(", "))
                        };
                        return Err(format!("unknown scenario {v:?}; {hint}"));
                    }
                }
            }
            Test::Scenario(out)
        }
        "group" => {
            let groups: HashSet<&str> = taxonomy
                .scenarios
                .iter()
                .filter_map(|s| s.group.as_deref())
                .collect();
            each(&|v| {
                if groups.iter().any(|g| g.eq_ignore_ascii_case(v)) {
                    Ok(())
                } else {
                    let mut known: Vec<&str> = groups.iter().copied().collect();
                    known.sort();
                    Err(format!("unknown group {v:?}; known: {}", known.join(", ")))
                }
            })?;
            Test::Group(values.iter().map(|v| v.to_string()).collect())
        }
        "gold" => Test::Gold(
            values
                .iter()
                .map(|v| match v.to_lowercase().as_str() {
                    "safe" | "yes" => Ok(Gold::Safe),
                    "unsafe" | "no" => Ok(Gold::Unsafe),
                    other => Err(format!("unknown gold {other:?}; use safe or unsafe")),
                })
                .collect::<Result<_, _>>()?,
        ),
        "status" => Test::Status(
            values
                .iter()
                .map(|v| match v.to_lowercase().as_str() {
                    "unreviewed" => Ok(Status::Unreviewed),
                    "accepted" => Ok(Status::Accepted),
                    "needs_fix" | "needsfix" | "fix" => Ok(Status::NeedsFix),
                    "rejected" => Ok(Status::Rejected),
                    other => Err(format!(
                        "unknown status {other:?}; use unreviewed, accepted, needs_fix or rejected"
                    )),
                })
                .collect::<Result<_, _>>()?,
        ),
        "flag" => match values.as_slice() {
            [v] if v.eq_ignore_ascii_case("any") => Test::AnyFlag,
            [v] if v.eq_ignore_ascii_case("none") => Test::NoFlag,
            _ => Test::Flag(values.iter().map(|v| v.to_string()).collect()),
        },
        "image" => match value.to_lowercase().as_str() {
            "none" | "no" => Test::HasImage(false),
            "any" | "yes" => Test::HasImage(true),
            "shared" => Test::Is(vec![Condition::Shared]),
            other => return Err(format!("unknown image test {other:?}; use any, none or shared")),
        },
        "is" => Test::Is(
            values
                .iter()
                .map(|v| match v.to_lowercase().as_str() {
                    "conflict" => Ok(Condition::Conflict),
                    "shared" => Ok(Condition::Shared),
                    "noted" => Ok(Condition::Noted),
                    "suspect" => Ok(Condition::Suspect),
                    "all_wrong" => Ok(Condition::AllWrong),
                    "reader_diff" => Ok(Condition::ReaderDiff),
                    "contrast_fail" => Ok(Condition::ContrastFail),
                    "suggested" => Ok(Condition::Suggested),
                    other => Err(format!(
                        "unknown condition is:{other}; use conflict, shared, noted, suspect, all_wrong, reader_diff, contrast_fail or suggested"
                    )),
                })
                .collect::<Result<_, _>>()?,
        ),
        "finding" => match values.as_slice() {
            [v] if v.eq_ignore_ascii_case("any") => Test::AnyFinding,
            _ => Test::Finding(values.iter().map(|v| v.to_lowercase()).collect()),
        },
        "text" => Test::Text(value.trim_matches('"').to_lowercase()),
        "wrong" | "right" | "unparsed" => {
            let outcome = match field {
                "wrong" => Outcome::Wrong,
                "right" => Outcome::Right,
                _ => Outcome::Unparsed,
            };
            let model = (!value.eq_ignore_ascii_case("any")).then(|| value.to_string());
            Test::Model(outcome, model)
        }
        other => {
            return Err(format!(
                "unknown field {other:?}; known fields: {}",
                FIELDS.join(", ")
            ));
        }
    })
}
