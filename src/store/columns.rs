//! One model's responses in columns: every string of a column in one buffer with an
//! offset table. The cache of `responses/<model>.ron` is written in this layout (it
//! decodes several times faster than JSON), and the TUI keeps response texts this way
//! (one allocation per model instead of two per response).

use crate::model::{ModelInfo, ModelResponses, Response};

/// Strings stored end to end in one buffer, found by their end offsets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StringColumn {
    bytes: String,
    ends: Vec<u32>,
}

impl StringColumn {
    /// An empty column with room for `n` strings.
    pub fn with_capacity(n: usize, bytes: usize) -> StringColumn {
        StringColumn {
            bytes: String::with_capacity(bytes),
            ends: Vec::with_capacity(n),
        }
    }

    /// Appends a string (None when the buffer would pass 4 GiB).
    pub fn push(&mut self, s: &str) -> Option<()> {
        let end = u32::try_from(self.bytes.len() + s.len()).ok()?;
        self.bytes.push_str(s);
        self.ends.push(end);
        Some(())
    }

    /// The string at `i` (empty when out of range).
    pub fn get(&self, i: usize) -> &str {
        let Some(&end) = self.ends.get(i) else {
            return "";
        };
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.bytes.get(start as usize..end as usize).unwrap_or("")
    }

    /// The buffer of every string end to end and each string's end offset in it, for
    /// handing a whole column on (e.g. to a Parquet writer) without copying its strings.
    pub fn into_parts(self) -> (String, Vec<u32>) {
        (self.bytes, self.ends)
    }

    /// Bytes of all the strings together.
    pub fn byte_len(&self) -> usize {
        self.bytes.len()
    }

    /// Number of strings.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the column holds no strings.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Appends the column's bytes (count, length, end offsets, strings) to `out`.
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self.ends.len() as u64).to_le_bytes());
        out.extend_from_slice(&(self.bytes.len() as u64).to_le_bytes());
        for end in &self.ends {
            out.extend_from_slice(&end.to_le_bytes());
        }
        out.extend_from_slice(self.bytes.as_bytes());
    }

    /// Reads a column [`StringColumn::encode`] wrote from the front of `input` (None when
    /// it is damaged).
    pub fn decode(input: &mut &[u8]) -> Option<StringColumn> {
        let n = usize::try_from(take_u64(input)?).ok()?;
        let len = usize::try_from(take_u64(input)?).ok()?;
        let table = take(input, n.checked_mul(4)?)?;
        let ends: Vec<u32> = table
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        let bytes = String::from_utf8(take(input, len)?.to_vec()).ok()?;
        let mut previous = 0;
        for &end in &ends {
            if end < previous || end as usize > len || !bytes.is_char_boundary(end as usize) {
                return None;
            }
            previous = end;
        }
        Some(StringColumn { bytes, ends })
    }
}

fn take<'a>(input: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    if input.len() < n {
        return None;
    }
    let (head, rest) = input.split_at(n);
    *input = rest;
    Some(head)
}

fn take_u64(input: &mut &[u8]) -> Option<u64> {
    let bytes = take(input, 8)?;
    let mut word = [0u8; 8];
    word.copy_from_slice(bytes);
    Some(u64::from_le_bytes(word))
}

/// Where a reader puts one model's responses, in file order: columns that keep them, or a
/// scorer that keeps only what each one says. `start` comes first, and again when a reader
/// begins over (a fast pass that gave up), so each pass fills an empty sink.
pub trait ResponseSink {
    /// Empties the sink for `model`'s responses: about `rows` of `text_bytes` in all.
    fn start(&mut self, model: &ModelInfo, rows: usize, text_bytes: usize);
    /// Takes the next response (None when it cannot: a column would pass 4 GiB).
    fn push(&mut self, item: &str, text: &str, judge: Option<&str>) -> Option<()>;
}

impl ResponseSink for ResponseColumns {
    fn start(&mut self, _model: &ModelInfo, rows: usize, text_bytes: usize) {
        *self = ResponseColumns::with_capacity(rows, text_bytes);
    }

    fn push(&mut self, item: &str, text: &str, judge: Option<&str>) -> Option<()> {
        ResponseColumns::push(self, item, text, judge)
    }
}

/// A model's responses as columns: item ids, texts, and judge verdicts (`""` = none,
/// stored as `"\0"`-prefixed otherwise so that an empty verdict stays distinct).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseColumns {
    /// Item ids.
    pub items: StringColumn,
    /// Response texts.
    pub texts: StringColumn,
    judges: StringColumn,
}

impl ResponseColumns {
    /// Empty columns with room for `n` responses of `text_bytes` bytes in all.
    pub fn with_capacity(n: usize, text_bytes: usize) -> ResponseColumns {
        ResponseColumns {
            items: StringColumn::with_capacity(n, n * 8),
            texts: StringColumn::with_capacity(n, text_bytes),
            judges: StringColumn::with_capacity(n, 0),
        }
    }

    /// The columns of `responses` (None when a column would pass 4 GiB).
    pub fn new(responses: &[Response]) -> Option<ResponseColumns> {
        let n = responses.len();
        let text_bytes = responses.iter().map(|r| r.text.len()).sum();
        let mut columns = ResponseColumns::with_capacity(n, text_bytes);
        for r in responses {
            columns.push(&r.item, &r.text, r.judge.as_deref())?;
        }
        Some(columns)
    }

    /// Number of responses.
    pub fn len(&self) -> usize {
        self.texts.len()
    }

    /// Whether there are no responses.
    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// The judge verdict key of response `i`, if one was stored.
    pub fn judge(&self, i: usize) -> Option<&str> {
        self.judges.get(i).strip_prefix('\0')
    }

    /// Appends one response (None when a column would pass 4 GiB).
    pub fn push(&mut self, item: &str, text: &str, judge: Option<&str>) -> Option<()> {
        self.items.push(item)?;
        self.texts.push(text)?;
        match judge {
            Some(judge) => {
                let end = u32::try_from(self.judges.bytes.len() + judge.len() + 1).ok()?;
                self.judges.bytes.push('\0');
                self.judges.bytes.push_str(judge);
                self.judges.ends.push(end);
                Some(())
            }
            None => self.judges.push(""),
        }
    }

    /// The responses as rows again.
    pub fn to_rows(&self) -> Vec<Response> {
        (0..self.texts.len())
            .map(|i| Response {
                item: self.items.get(i).to_string(),
                text: self.texts.get(i).to_string(),
                judge: self.judge(i).map(str::to_string),
            })
            .collect()
    }
}

/// Encodes a responses file for the cache: the model as a JSON line, then the columns.
pub fn encode(model: &ModelResponses) -> Option<Vec<u8>> {
    encode_columns(&model.model, &ResponseColumns::new(&model.responses)?)
}

/// [`encode`] for a model whose responses are already in columns.
pub fn encode_columns(model: &ModelInfo, columns: &ResponseColumns) -> Option<Vec<u8>> {
    let mut out = serde_json::to_vec(model).ok()?;
    out.push(b'\n');
    columns.items.encode(&mut out);
    columns.texts.encode(&mut out);
    columns.judges.encode(&mut out);
    Some(out)
}

/// Decodes what [`encode`] wrote (None when it is damaged: the caller re-reads the RON).
pub fn decode(bytes: &[u8]) -> Option<ModelResponses> {
    let (model, columns) = decode_columns(bytes)?;
    Some(ModelResponses {
        model,
        responses: columns.to_rows(),
    })
}

/// [`decode`] without making rows: the model and its columns.
pub fn decode_columns(bytes: &[u8]) -> Option<(ModelInfo, ResponseColumns)> {
    let newline = bytes.iter().position(|&b| b == b'\n')?;
    let model: ModelInfo = serde_json::from_slice(&bytes[..newline]).ok()?;
    let mut rest = &bytes[newline + 1..];
    let items = StringColumn::decode(&mut rest)?;
    let texts = StringColumn::decode(&mut rest)?;
    let judges = StringColumn::decode(&mut rest)?;
    if !rest.is_empty() || items.len() != texts.len() || judges.len() != texts.len() {
        return None;
    }
    Some((model, ResponseColumns { items, texts, judges }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_survive_the_columns_exactly() {
        let model = ModelResponses {
            model: ModelInfo {
                name: "m".into(),
                ..ModelInfo::default()
            },
            responses: vec![
                Response {
                    item: "1".into(),
                    text: "No.\n\"quoted\" – ünïcode 你好".into(),
                    judge: None,
                },
                Response {
                    item: "2".into(),
                    text: String::new(),
                    judge: Some(String::new()),
                },
                Response {
                    item: "3".into(),
                    text: "Yes".into(),
                    judge: Some("full_refusal".into()),
                },
            ],
        };
        let bytes = encode(&model).unwrap();
        assert_eq!(decode(&bytes).unwrap(), model);
        // Truncated or damaged bytes are refused, never misread.
        assert!(decode(&bytes[..bytes.len() - 1]).is_none());
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode(&longer).is_none());
    }

    #[test]
    fn a_column_hands_out_each_string() {
        let rows = vec![
            Response {
                item: "a".into(),
                text: "first".into(),
                judge: None,
            },
            Response {
                item: "b".into(),
                text: "second".into(),
                judge: None,
            },
        ];
        let columns = ResponseColumns::new(&rows).unwrap();
        assert_eq!(columns.texts.get(1), "second");
        assert_eq!(columns.items.get(0), "a");
        assert_eq!(columns.texts.get(5), "");
        assert_eq!(columns.to_rows(), rows);
    }
}
