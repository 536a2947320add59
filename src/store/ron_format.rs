//! How safeaware writes and reads RON: one stable pretty style, errors with positions.

use crate::error::{Error, Result};
use ron::extensions::Extensions;
use ron::ser::PrettyConfig;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::path::Path;

/// The one pretty style of every RON file safeaware writes (deterministic, diff-friendly).
fn style() -> PrettyConfig {
    PrettyConfig::new()
        .indentor("    ")
        .struct_names(false)
        .separate_tuple_members(false)
        .extensions(Extensions::IMPLICIT_SOME)
}

/// Serializes `value` in safeaware's RON style, ending with a newline.
pub fn to_string<T: Serialize>(value: &T) -> String {
    let mut text = ron::Options::default()
        .to_string_pretty(value, style())
        .expect("safeaware's own types always serialize to RON");
    text.push('\n');
    text
}

/// Parses RON text read from `path`; syntax and type errors carry line and column.
pub fn parse<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T> {
    ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME)
        .from_str(text)
        .map_err(|e| Error::Syntax {
            path: path.to_path_buf(),
            line: e.span.start.line,
            column: e.span.start.col,
            message: e.code.to_string(),
        })
}

/// The 1-based line where the item with this id is written, if it can be found.
pub fn line_of_item(text: &str, id: &str) -> Option<usize> {
    let needle = format!("id: {}", ron::to_string(id).ok()?);
    let at = text.find(&needle)?;
    Some(text[..at].bytes().filter(|&b| b == b'\n').count() + 1)
}
