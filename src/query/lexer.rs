//! Splitting a query into terms.

use super::syntax::QueryError;

/// Splits a query into terms with their 1-based columns; quotes group words.
pub(super) fn tokenize(text: &str) -> Result<Vec<(usize, String)>, QueryError> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let mut term = String::new();
        let mut in_quote = false;
        while i < chars.len() && (in_quote || !chars[i].is_whitespace()) {
            if chars[i] == '"' {
                in_quote = !in_quote;
            }
            term.push(chars[i]);
            i += 1;
        }
        if in_quote {
            return Err(QueryError {
                column: start + 1,
                message: "unclosed quote".into(),
            });
        }
        out.push((start + 1, term));
    }
    Ok(out)
}
