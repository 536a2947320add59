//! Checks the permissive parsers skip: a CSV quote that never closes (the csv crate reads
//! the rest of the file into one field) and duplicate keys in a JSON object (serde keeps
//! only one). Both would otherwise lose records silently.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// Where an unclosed quote starts in CSV text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnclosedQuote {
    /// Byte offset of the start of the record holding the quote.
    pub record_start: usize,
    /// 1-based line of the opening quote.
    pub line: usize,
    /// 1-based column (in bytes) of the opening quote.
    pub column: usize,
}

/// Finds a quoted field that is never closed (RFC 4180 quoting, as the csv crate reads it).
pub fn unclosed_quote(bytes: &[u8], delimiter: u8) -> Option<UnclosedQuote> {
    let mut in_quotes = false;
    let mut field_start = true;
    let mut record_start = 0;
    let (mut line, mut line_start) = (1, 0);
    let mut opened = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_quotes {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quotes = false;
                }
            }
        } else if field_start && b == b'"' {
            in_quotes = true;
            opened = Some(UnclosedQuote {
                record_start,
                line,
                column: i - line_start + 1,
            });
        }
        if b == b'\n' {
            line += 1;
            line_start = i + 1;
        }
        if !in_quotes {
            field_start = b == delimiter || b == b'\n' || b == b'\r';
            if b == b'\n' {
                record_start = i + 1;
            }
        } else {
            field_start = false;
        }
        i += 1;
    }
    if in_quotes { opened } else { None }
}

/// A JSON document read for responses: an array of entries or an object keyed by id,
/// with the object's entries in file order and duplicates kept.
#[derive(Debug)]
pub enum Document {
    /// `[ ... ]`
    Array(Vec<Value>),
    /// `{ "key": value, ... }`, in file order.
    Object(Vec<(String, Value)>),
    /// Anything else.
    Other,
}

impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Document, D::Error> {
        struct DocumentVisitor;
        impl<'de> Visitor<'de> for DocumentVisitor {
            type Value = Document;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON array or object")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Document, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = seq.next_element()? {
                    out.push(v);
                }
                Ok(Document::Array(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Document, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry()? {
                    out.push((k, v));
                }
                Ok(Document::Object(out))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Document, E> {
                Ok(Document::Other)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Document, E> {
                Ok(Document::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Document, E> {
                Ok(Document::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Document, E> {
                Ok(Document::Other)
            }
            fn visit_str<E>(self, _: &str) -> Result<Document, E> {
                Ok(Document::Other)
            }
            fn visit_unit<E>(self) -> Result<Document, E> {
                Ok(Document::Other)
            }
        }
        deserializer.deserialize_any(DocumentVisitor)
    }
}

/// The 1-based line of the `occurrence`-th (0-based) time `key` appears as an object key
/// in `text` (a best effort: the quoted key followed by a colon).
pub fn line_of_key(text: &str, key: &str, occurrence: usize) -> Option<usize> {
    let quoted = serde_json::to_string(key).ok()?;
    let mut seen = 0;
    let mut from = 0;
    while let Some(pos) = text[from..].find(&quoted) {
        let at = from + pos;
        from = at + quoted.len();
        if text[from..].trim_start().starts_with(':') {
            if seen == occurrence {
                return Some(text[..at].matches('\n').count() + 1);
            }
            seen += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unclosed_quote_is_found_with_its_line_and_record() {
        let text = b"id,response\n1,\"ok\"\n2,\"say \"\"hi\"\"\"\n3,\"never closed\n4,lost\n";
        let q = unclosed_quote(text, b',').unwrap();
        assert_eq!((q.line, q.column), (4, 3));
        assert!(text[q.record_start..].starts_with(b"3,"));
        assert_eq!(unclosed_quote(b"a,b\n1,x\"y\n\"2\",\"z\"\r\n", b','), None);
    }

    #[test]
    fn objects_keep_every_key_in_file_order() {
        let text = "{\n \"2\": \"a\",\n \"1\": \"b\",\n \"2\": \"c\"\n}";
        match serde_json::from_str::<Document>(text).unwrap() {
            Document::Object(entries) => {
                let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
                assert_eq!(keys, ["2", "1", "2"]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(line_of_key(text, "2", 1), Some(4));
    }
}
