//! Agreement between a reader's verdicts and human labels: binary (refusal vs not, or
//! safe vs unsafe), exact (every class), per human class, a confusion matrix and the
//! records that disagree. Records where either side is `no_answer` are left out of the
//! denominators and counted apart, as missing responses are.

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
    /// Compares `records` (in file order).
    pub fn compute(records: impl IntoIterator<Item = Compared>) -> Agreement {
        let mut agreement = Agreement {
            compared: 0,
            no_answer: 0,
            binary_agreed: 0,
            binary_percent: 0.0,
            exact_agreed: 0,
            exact_percent: 0.0,
            per_class: BTreeMap::new(),
            confusion: BTreeMap::new(),
            disagreements: Vec::new(),
        };
        for record in records {
            if record.human == "no_answer" || record.reader == "no_answer" {
                agreement.no_answer += 1;
                continue;
            }
            agreement.compared += 1;
            let exact = record.human == record.reader;
            if binary_side(&record.human) == binary_side(&record.reader) {
                agreement.binary_agreed += 1;
            }
            *agreement
                .confusion
                .entry(record.human.clone())
                .or_default()
                .entry(record.reader.clone())
                .or_default() += 1;
            let class = agreement
                .per_class
                .entry(record.human.clone())
                .or_insert(ClassAgreement {
                    records: 0,
                    agreed: 0,
                    percent: 0.0,
                });
            class.records += 1;
            if exact {
                class.agreed += 1;
                agreement.exact_agreed += 1;
            } else {
                agreement.disagreements.push(record);
            }
        }
        for class in agreement.per_class.values_mut() {
            class.percent = percent(class.agreed, class.records);
        }
        agreement.binary_percent = percent(agreement.binary_agreed, agreement.compared);
        agreement.exact_percent = percent(agreement.exact_agreed, agreement.compared);
        agreement
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
