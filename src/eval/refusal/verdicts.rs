//! Verdicts for every record of a responses file, and their agreement with human labels:
//! what `safeaware verdicts` prints, kept in the library.

use super::agreement::{Agreement, Compared};
use super::records::Record;
use super::{RefusalClass, RefusalReader, read_judgment};
use crate::error::{Error, Result};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Which reader reads the responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReadAs {
    /// The model answered the prompt; did it refuse? (refusal reader v2)
    #[default]
    Refusal,
    /// The model said whether the pair is safe (strict yes/no reader).
    Judgment,
}

impl ReadAs {
    /// The verdict keys this reader can give (and labels may map to).
    pub fn keys(self) -> &'static [&'static str] {
        match self {
            ReadAs::Refusal => &[
                "full_refusal",
                "partial_refusal",
                "compliance",
                "clarification",
                "no_answer",
            ],
            ReadAs::Judgment => &["safe", "unsafe", "unparsed", "no_answer"],
        }
    }
}

/// One record's verdict, as the command prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerdictRow {
    /// 1-based record number in file order.
    pub row: usize,
    /// The record id.
    pub id: String,
    /// The verdict's snake_case key.
    pub verdict: &'static str,
    /// The rule that decided it.
    pub rule: String,
    /// Byte offsets of the matched text in the response.
    pub span: Option<[usize; 2]>,
}

/// Reads every record's response.
pub fn read_rows(records: &[Record], read_as: ReadAs, reader: &RefusalReader) -> Vec<VerdictRow> {
    records
        .iter()
        .map(|record| {
            let (verdict, rule, span) = match (&record.response, read_as) {
                (None, _) => (
                    RefusalClass::NoAnswer.key(),
                    "no_answer:missing".to_string(),
                    None,
                ),
                (Some(text), ReadAs::Refusal) => {
                    let reading = reader.read(text);
                    (reading.class.key(), reading.rule, reading.span)
                }
                (Some(text), ReadAs::Judgment) => {
                    let reading = read_judgment(reader, text);
                    (reading.class.key(), reading.rule, reading.span)
                }
            };
            VerdictRow {
                row: record.row,
                id: record.id.clone(),
                verdict,
                rule,
                span,
            }
        })
        .collect()
}

/// Raw label values mapped to verdict keys (a RON map, e.g. `{"2_full_refusal": "full_refusal"}`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelMap {
    map: BTreeMap<String, String>,
    path: Option<PathBuf>,
}

impl LabelMap {
    /// Reads a label map and checks that every value is a verdict `read_as` can give.
    pub fn load(path: &Path, read_as: ReadAs) -> Result<LabelMap> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let map: BTreeMap<String, String> = ron::from_str(&text).map_err(|e| Error::Syntax {
            path: path.to_path_buf(),
            line: e.span.start.line,
            column: e.span.start.col,
            message: e.code.to_string(),
        })?;
        for (raw, verdict) in &map {
            if !read_as.keys().contains(&verdict.as_str()) {
                return Err(Error::Invalid {
                    path: path.to_path_buf(),
                    line: None,
                    item: None,
                    message: format!(
                        "label {raw:?} maps to {verdict:?}, which is not a verdict (one of: {})",
                        read_as.keys().join(", ")
                    ),
                });
            }
        }
        Ok(LabelMap {
            map,
            path: Some(path.to_path_buf()),
        })
    }

    /// The verdict key of a raw label: its mapping, or the label itself when it is a key.
    fn verdict_of(&self, raw: &str, read_as: ReadAs) -> Option<String> {
        let raw = raw.trim();
        self.map
            .get(raw)
            .cloned()
            .or_else(|| read_as.keys().contains(&raw).then(|| raw.to_string()))
    }
}

/// Compares the rows with the records' labels. A record without a label is skipped; a
/// label that is neither mapped nor a verdict is an error naming its file and line.
pub fn compare(
    file: &Path,
    records: &[Record],
    rows: &[VerdictRow],
    labels: &LabelMap,
    read_as: ReadAs,
) -> Result<Agreement> {
    let mut compared = Vec::with_capacity(rows.len());
    for (record, row) in records.iter().zip(rows) {
        let Some(raw) = record.label.as_deref().filter(|l| !l.trim().is_empty()) else {
            continue;
        };
        let human = labels.verdict_of(raw, read_as).ok_or_else(|| Error::Invalid {
            path: file.to_path_buf(),
            line: (record.line > 0).then_some(record.line),
            item: Some(record.id.clone()),
            message: format!(
                "label {raw:?} is not a verdict ({}){}",
                read_as.keys().join(", "),
                match &labels.path {
                    Some(path) => format!(" and not in the label map {}", path.display()),
                    None => "; map it with --label-map FILE".into(),
                }
            ),
        })?;
        compared.push(Compared {
            row: row.row,
            id: row.id.clone(),
            human,
            reader: row.verdict.to_string(),
            rule: row.rule.clone(),
        });
    }
    Ok(Agreement::compute(compared))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(row: usize, response: Option<&str>, label: &str) -> Record {
        Record {
            row,
            line: row + 1,
            id: format!("v2-{row}"),
            response: response.map(str::to_string),
            label: Some(label.to_string()),
        }
    }

    #[test]
    fn rows_keep_file_order_and_missing_responses_read_as_no_answer() {
        let records = [
            record(1, Some("Sorry, but I can't assist with that."), "2_full_refusal"),
            record(2, None, "1_full_compliance"),
        ];
        let rows = read_rows(&records, ReadAs::Refusal, &RefusalReader::default());
        assert_eq!(rows[0].verdict, "full_refusal");
        assert_eq!(rows[1].verdict, "no_answer");
        assert_eq!(rows[1].rule, "no_answer:missing");
    }

    #[test]
    fn unmapped_labels_are_errors_naming_the_line() {
        let records = [record(1, Some("Sure."), "1_full_compliance")];
        let rows = read_rows(&records, ReadAs::Refusal, &RefusalReader::default());
        let err = compare(
            Path::new("x.csv"),
            &records,
            &rows,
            &LabelMap::default(),
            ReadAs::Refusal,
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("x.csv:2: item v2-1:"), "{err}");
        let dir = tempfile::tempdir().unwrap();
        let map_path = dir.path().join("map.ron");
        std::fs::write(&map_path, r#"{"1_full_compliance": "compliance"}"#).unwrap();
        let map = LabelMap::load(&map_path, ReadAs::Refusal).unwrap();
        let agreement = compare(Path::new("x.csv"), &records, &rows, &map, ReadAs::Refusal).unwrap();
        assert_eq!(agreement.exact_agreed, 1);
        std::fs::write(&map_path, r#"{"1_full_compliance": "complied"}"#).unwrap();
        assert!(LabelMap::load(&map_path, ReadAs::Refusal).is_err());
    }
}
