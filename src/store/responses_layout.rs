//! A fast reader for `responses/<model>.ron` exactly as safeaware writes it (one pretty
//! style, see [`super::ron_format`]): straight into columns, several times faster than the
//! general RON parser. Anything it does not expect, byte for byte, makes it give up (None),
//! and the caller parses the file with the `ron` crate instead, so errors still name their
//! line and column and hand-edited files read the same.

#[cfg(test)]
use super::columns::ResponseColumns;
use super::columns::ResponseSink;
use super::layout::string;
use crate::model::ModelInfo;
use serde::Deserialize;

const RESPONSES_START: &str = "\n    responses: [\n";
const ENTRY_START: &str = "        (\n            item: ";
const TEXT_FIELD: &str = ",\n            text: ";
const JUDGE_FIELD: &str = ",\n            judge: ";
const ENTRY_END: &str = ",\n        ),\n";
const FILE_END: &str = "    ],\n)";

/// The part of the file before the responses.
#[derive(Deserialize)]
struct Head {
    model: ModelInfo,
}

/// Reads `text` into `sink` when it has the writer's exact layout, returning the model;
/// None as soon as anything differs (the sink may then hold part of the file: the caller
/// starts it again for the general parser).
pub fn visit(text: &str, sink: &mut impl ResponseSink) -> Option<ModelInfo> {
    let at = text.find(RESPONSES_START)?;
    let head = format!("{}\n)", &text[..at]);
    let model = ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str::<Head>(&head)
        .ok()?
        .model;
    let mut rest = &text[at + RESPONSES_START.len()..];
    // An entry takes at least 60 bytes of layout besides its strings.
    sink.start(&model, rest.len() / 60, rest.len() / 2);
    let mut scratch = [String::new(), String::new(), String::new()];
    while let Some(entry) = rest.strip_prefix(ENTRY_START) {
        let [item_buffer, text_buffer, judge_buffer] = &mut scratch;
        let (item, after) = string(entry, item_buffer)?;
        let after = after.strip_prefix(TEXT_FIELD)?;
        let (response, after) = string(after, text_buffer)?;
        let (judge, after) = match after.strip_prefix(JUDGE_FIELD) {
            Some(after) => {
                let (judge, after) = string(after, judge_buffer)?;
                (Some(judge), after)
            }
            None => (None, after),
        };
        rest = after.strip_prefix(ENTRY_END)?;
        sink.push(item, response, judge)?;
    }
    rest.strip_prefix(FILE_END)?.trim().is_empty().then_some(model)
}

/// The model and its responses in columns, when `text` has the writer's exact layout.
#[cfg(test)]
fn read(text: &str) -> Option<(ModelInfo, ResponseColumns)> {
    let mut columns = ResponseColumns::default();
    visit(text, &mut columns).map(|model| (model, columns))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ModelResponses, Protocol, Response};
    use crate::store::ron_format;

    fn sample() -> ModelResponses {
        ModelResponses {
            model: ModelInfo {
                name: "m".into(),
                display_name: "M \"quoted\" (v2)".into(),
                protocol: Some(Protocol::Refusal),
                ..ModelInfo::default()
            },
            responses: vec![
                Response {
                    item: "1".into(),
                    text: "No.\n\"quoted\" \\ it's\ttabbed\r\0 – ünïcode 你好 \u{200b}\u{301}x".into(),
                    judge: None,
                },
                Response {
                    item: "2".into(),
                    text: String::new(),
                    judge: Some(String::new()),
                },
                Response {
                    item: "id with \"quotes\"".into(),
                    text: "        (\n            item: \"fake\",".into(),
                    judge: Some("full_refusal".into()),
                },
            ],
        }
    }

    #[test]
    fn the_fast_reader_reads_what_the_writer_wrote_exactly() {
        let model = sample();
        let text = ron_format::to_string(&model);
        let (info, columns) = read(&text).expect("the writer's own layout");
        assert_eq!(info, model.model);
        assert_eq!(columns.to_rows(), model.responses);
    }

    #[test]
    fn anything_else_is_left_to_the_ron_parser() {
        let text = ron_format::to_string(&sample());
        // Hand edits: another indentation, a comment, a missing comma, raw strings, no end.
        for edited in [
            text.replacen("            text:", "          text:", 1),
            text.replacen("        (\n", "        // note\n        (\n", 1),
            text.replacen("\"1\",", "\"1\"", 1),
            text.replacen("\"2\"", "r\"2\"", 1),
            text.replacen("\\u{200b}", "\\x41", 1),
            text.trim_end().trim_end_matches(')').to_string(),
            text.replacen("    responses: [\n", "    responses: [],\n", 1),
        ] {
            assert!(read(&edited).is_none(), "{edited}");
        }
    }
}
