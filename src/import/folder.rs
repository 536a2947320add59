//! Benchmarks kept as folder trees (`imgs/<scenario>/<kind>/<n>.jpg`): a path pattern maps
//! path segments to item fields (`{_}` skips one segment, `{**}` any number), question text
//! is joined from a side file by id, and the rows go through the same item builder as a
//! table. Symlink loops, unreadable folders and files matching no pattern are counted with
//! examples, never followed forever or dropped silently.

use super::generic::{self, Options, Summary};
use super::responses::Examples;
use super::table::{self, KeyedFields, Row, TableFormat};
use crate::error::{Error, Result};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What walking the tree found besides the items.
#[derive(Debug, Clone, Default, Serialize)]
pub struct WalkReport {
    /// Files whose path matches no pattern (not imported).
    pub unmatched: Examples,
    /// Symlinks that lead back into a folder above them (not followed).
    pub symlink_loops: Examples,
    /// Folders or files that could not be read.
    pub unreadable: Examples,
}

/// What a folder import did.
#[derive(Debug, Clone, Serialize)]
pub struct FolderSummary {
    /// The dataset written.
    #[serde(flatten)]
    pub import: Summary,
    /// What the walk noticed.
    pub walk: WalkReport,
}

/// One part of a segment pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Field(String),
}

/// A path pattern: one entry per segment; `None` is `{**}`.
#[derive(Debug, Clone)]
pub struct PathPattern(Vec<Option<Vec<Part>>>);

impl PathPattern {
    /// Parses `{subset}/{_}/{scenario}/{id}.{ext}`.
    pub fn parse(pattern: &str) -> Result<PathPattern> {
        let bad = |why: &str| Error::Refused(format!("--path-pattern {pattern:?}: {why}"));
        let mut segments = Vec::new();
        for segment in pattern.trim_matches('/').split('/') {
            if segment == "{**}" {
                segments.push(None);
                continue;
            }
            let mut parts = Vec::new();
            let mut rest = segment;
            while !rest.is_empty() {
                match rest.find('{') {
                    Some(0) => {
                        let end = rest.find('}').ok_or_else(|| bad("a '{' is never closed"))?;
                        let name = &rest[1..end];
                        if name.is_empty() || name == "**" {
                            return Err(bad("{**} must be a whole segment"));
                        }
                        if matches!(parts.last(), Some(Part::Field(_))) {
                            return Err(bad("two fields need text between them"));
                        }
                        parts.push(Part::Field(name.to_string()));
                        rest = &rest[end + 1..];
                    }
                    Some(at) => {
                        parts.push(Part::Literal(rest[..at].to_string()));
                        rest = &rest[at..];
                    }
                    None => {
                        parts.push(Part::Literal(rest.to_string()));
                        rest = "";
                    }
                }
            }
            if parts.is_empty() {
                return Err(bad("empty segment"));
            }
            segments.push(Some(parts));
        }
        Ok(PathPattern(segments))
    }

    /// Whether the pattern names a field.
    fn has_field(&self, name: &str) -> bool {
        self.0
            .iter()
            .flatten()
            .flatten()
            .any(|p| *p == Part::Field(name.to_string()))
    }

    /// The fields a relative path gives, or `None` when it does not match.
    pub fn capture(&self, segments: &[&str]) -> Option<HashMap<String, String>> {
        let mut out = HashMap::new();
        match_segments(&self.0, segments, &mut out).then_some(out)
    }
}

fn match_segments(pattern: &[Option<Vec<Part>>], path: &[&str], out: &mut HashMap<String, String>) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((None, rest)) => (0..=path.len()).any(|skip| {
            let mut tried = out.clone();
            let ok = match_segments(rest, &path[skip..], &mut tried);
            if ok {
                *out = tried;
            }
            ok
        }),
        Some((Some(parts), rest)) => {
            let Some((first, others)) = path.split_first() else {
                return false;
            };
            let mut tried = out.clone();
            let ok = match_parts(parts, first, &mut tried) && match_segments(rest, others, &mut tried);
            if ok {
                *out = tried;
            }
            ok
        }
    }
}

/// Matches one segment; a field takes text up to the last place the next literal fits.
fn match_parts(parts: &[Part], text: &str, out: &mut HashMap<String, String>) -> bool {
    match parts.split_first() {
        None => text.is_empty(),
        Some((Part::Literal(lit), rest)) => text
            .strip_prefix(lit.as_str())
            .is_some_and(|tail| match_parts(rest, tail, out)),
        Some((Part::Field(name), rest)) => {
            let ends: Vec<usize> = match rest.first() {
                None => vec![text.len()],
                Some(Part::Literal(lit)) => text.rmatch_indices(lit.as_str()).map(|(i, _)| i).collect(),
                Some(Part::Field(_)) => vec![],
            };
            ends.into_iter().filter(|&end| end > 0).any(|end| {
                if match_parts(rest, &text[end..], out) {
                    if name != "_" {
                        out.insert(name.clone(), text[..end].to_string());
                    }
                    true
                } else {
                    false
                }
            })
        }
    }
}

/// Walks `root` and turns every file matching `pattern` into a row (its path in `image`).
pub fn walk(root: &Path, pattern: &PathPattern) -> (Vec<Row>, WalkReport) {
    let mut report = WalkReport::default();
    let mut rows = Vec::new();
    let walker = walkdir::WalkDir::new(root).follow_links(true).sort_by_file_name();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let shown = e
                    .path()
                    .map_or_else(|| root.display().to_string(), |p| p.display().to_string());
                if e.loop_ancestor().is_some() {
                    report.symlink_loops.push(shown);
                } else {
                    report.unreadable.push(format!("{shown}: {e}"));
                }
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let segments: Vec<String> = rel.iter().map(|s| s.to_string_lossy().into_owned()).collect();
        let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
        let Some(captured) = pattern.capture(&segments) else {
            report.unmatched.push(rel.display().to_string());
            continue;
        };
        let mut fields: Map<String, Value> =
            captured.into_iter().map(|(k, v)| (k, Value::String(v))).collect();
        if !pattern.has_field("id") {
            let id = rel.with_extension("").display().to_string();
            fields.insert("id".into(), Value::String(id));
        }
        fields.insert("image".into(), Value::String(rel.display().to_string()));
        rows.push(Row {
            at: entry.path().display().to_string(),
            fields,
            ..Row::default()
        });
    }
    (rows, report)
}

/// Adds each question row's fields to the walked row with the same id (walked values win).
fn join_questions(rows: &mut [Row], questions: &Path, options: &Options) -> Result<()> {
    let id_column = options.items.column("id");
    let keyed = KeyedFields {
        id: id_column,
        value: options.items.column("sentence"),
    };
    let format = TableFormat::resolve(None, questions)?;
    let (side, _) = table::read(questions, format, keyed, false)?;
    let by_id: HashMap<String, &Row> = side
        .iter()
        .filter_map(|r| r.text(id_column).map(|id| (id.trim().to_string(), r)))
        .collect();
    for row in rows {
        let id = row
            .fields
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        if let Some(question) = by_id.get(&id) {
            for (k, v) in &question.fields {
                row.fields.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
    }
    Ok(())
}

/// Imports the tree at `root` into a new dataset folder `out`.
pub fn import(
    root: &Path,
    out: &Path,
    pattern: &PathPattern,
    questions: Option<&Path>,
    options: &Options,
    progress: super::Progress<'_>,
) -> Result<FolderSummary> {
    if !root.is_dir() {
        return Err(Error::Refused(format!("{} is not a folder", root.display())));
    }
    let (mut rows, walk) = walk(root, pattern);
    if let Some(questions) = questions {
        join_questions(&mut rows, questions, options)?;
    }
    // Walked fields are named by the pattern; --map still renames the joined ones.
    let mut options = options.clone();
    options.items.map.insert("image".into(), "image".into());
    let name = options.name.clone().unwrap_or_else(|| {
        root.file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "imported".into())
    });
    let base: PathBuf = root.to_path_buf();
    let import = generic::write(
        out,
        &rows,
        &base,
        &options,
        (
            name,
            format!("Imported from the folder tree {}.", root.display()),
            "folder",
        ),
        Vec::new(),
        progress,
    )?;
    Ok(FolderSummary { import, walk })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn capture(pattern: &str, path: &str) -> Option<Vec<(String, String)>> {
        let segments: Vec<&str> = path.split('/').collect();
        let mut got: Vec<_> = PathPattern::parse(pattern)
            .unwrap()
            .capture(&segments)?
            .into_iter()
            .collect();
        got.sort();
        Some(got)
    }

    #[test]
    fn patterns_map_segments_skip_one_or_many() {
        let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
        assert_eq!(
            capture(
                "{subset}/{_}/{scenario}/{id}.{ext}",
                "unsafe/photo/self_harm/12.v2.jpg"
            ),
            Some(vec![
                pair("ext", "jpg"),
                pair("id", "12.v2"),
                pair("scenario", "self_harm"),
                pair("subset", "unsafe")
            ])
        );
        assert_eq!(
            capture("{subset}/{**}/{scenario}/{id}.{ext}", "safe/a/b/c/fraud/3.png").map(|v| v.len()),
            Some(4)
        );
        assert_eq!(
            capture("{subset}/{**}/{id}.{ext}", "safe/3.png").map(|v| v.len()),
            Some(3)
        );
        assert_eq!(capture("{subset}/{_}/{id}.{ext}", "safe/3.png"), None);
        assert!(PathPattern::parse("{a}{b}").is_err());
    }
}
