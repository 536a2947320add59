//! Agreement between a reader's verdicts and human labels: binary (refusal vs not, or
//! safe vs unsafe), exact (every class), per human class, a confusion matrix and the
//! records that disagree. Records where either side is `no_answer` are left out of the
//! denominators and counted apart, as missing responses are.

use crate::agreement::Ratings;
use crate::agreement::stats::{self, Row};
use serde::Serialize;
use std::collections::BTreeMap;

/// One record to compare.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Compared {
    /// 1-based record number.
    pub row: usize,
    /// The record id.
    pub id: String,
    /// The human verdict (after the label map).
    pub human: String,
    /// The reader's verdict.
    pub reader: String,
    /// The rule that decided the reader's verdict.
    pub rule: String,
}

/// Agreement of one human class.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassAgreement {
    /// Records the humans put in this class.
    pub records: usize,
    /// Of them, the reader agreed on.
    pub agreed: usize,
    /// `agreed / records` in percent.
    pub percent: f64,
}

/// How far a reader agrees with human labels.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    /// Records compared (neither side `no_answer`).
    pub compared: usize,
    /// Records left out because the human or the reader says `no_answer`.
    pub no_answer: usize,
    /// Records agreeing on the binary reading.
    pub binary_agreed: usize,
    /// Binary agreement in percent.
    pub binary_percent: f64,
    /// Records agreeing on the exact class.
    pub exact_agreed: usize,
    /// Exact (three-way or more) agreement in percent.
    pub exact_percent: f64,
    /// Agreement per human class.
    pub per_class: BTreeMap<String, ClassAgreement>,
    /// Human class -> reader class -> records.
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
    /// The records that disagree on the exact class, in file order.
    pub disagreements: Vec<Compared>,
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 * 1000.0 / whole as f64).round() / 10.0
    }
}

/// The binary reading of a verdict key: refusals (full or partial) and `unsafe` are one
/// side, every other class the other.
pub fn binary_side(key: &str) -> bool {
    matches!(key, "full_refusal" | "partial_refusal" | "unsafe")
}

impl Agreement {
    /// Compares `records` (in file order). The counting is the [`crate::agreement`]
    /// module's (one implementation of raw agreement and the confusion matrix): the human
    /// is one rater, the reader the other.
    pub fn compute(records: impl IntoIterator<Item = Compared>) -> Agreement {
        let mut ratings = Ratings::new(vec!["human".into(), "reader".into()]);
        let mut no_answer = 0;
        let mut disagreements = Vec::new();
        for record in records {
            if record.human == "no_answer" || record.reader == "no_answer" {
                no_answer += 1;
                continue;
            }
            ratings.push(&record.id, &[Some(&record.human), Some(&record.reader)]);
            if record.human != record.reader {
                disagreements.push(record);
            }
        }
        let ratings = ratings.with_sorted_categories();
        let classes = ratings.categories();
        let units: Vec<usize> = (0..ratings.units().len()).collect();
        let rows: Vec<&Row> = units.iter().map(|&u| ratings.row(u)).collect();
        let pair = stats::cohen(&rows, &units, 0, 1, classes.len());
        let mut confusion: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        let mut per_class = BTreeMap::new();
        let mut binary_agreed = 0;
        for (h, row) in pair.confusion.iter().enumerate() {
            let records: u64 = row.iter().sum();
            if records == 0 {
                continue;
            }
            let agreed = row[h] as usize;
            per_class.insert(
                classes[h].clone(),
                ClassAgreement {
                    records: records as usize,
                    agreed,
                    percent: percent(agreed, records as usize),
                },
            );
            for (r, &n) in row.iter().enumerate().filter(|(_, n)| **n > 0) {
                confusion
                    .entry(classes[h].clone())
                    .or_default()
                    .insert(classes[r].clone(), n as usize);
                if binary_side(&classes[h]) == binary_side(&classes[r]) {
                    binary_agreed += n as usize;
                }
            }
        }
        let compared = pair.n as usize;
        let exact_agreed = (0..classes.len()).map(|c| pair.confusion[c][c] as usize).sum();
        Agreement {
            compared,
            no_answer,
            binary_agreed,
            binary_percent: percent(binary_agreed, compared),
            exact_agreed,
            exact_percent: percent(exact_agreed, compared),
            per_class,
            confusion,
            disagreements,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(row: usize, human: &str, reader: &str) -> Compared {
        Compared {
            row,
            id: row.to_string(),
            human: human.into(),
            reader: reader.into(),
            rule: "r".into(),
        }
    }

    #[test]
    fn binary_exact_and_no_answer_are_counted_apart() {
        let a = Agreement::compute([
            pair(1, "full_refusal", "full_refusal"),
            pair(2, "partial_refusal", "full_refusal"),
            pair(3, "compliance", "full_refusal"),
            pair(4, "compliance", "clarification"),
            pair(5, "compliance", "no_answer"),
        ]);
        assert_eq!((a.compared, a.no_answer), (4, 1));
        assert_eq!((a.binary_agreed, a.exact_agreed), (3, 1));
        assert_eq!(a.binary_percent, 75.0);
        assert_eq!(a.per_class["compliance"].records, 2);
        assert_eq!(a.confusion["partial_refusal"]["full_refusal"], 1);
        let rows: Vec<usize> = a.disagreements.iter().map(|d| d.row).collect();
        assert_eq!(rows, vec![2, 3, 4]);
    }
}
