//! Pieces shared by the readers of safeaware's own RON layout (`responses_layout`,
//! `items_layout`): a cursor over the text that accepts only what the writer writes, byte
//! for byte. Every method answers None on anything else, so the caller can fall back to
//! the `ron` crate (whose errors name line and column).

/// The unread rest of a text written in safeaware's RON style.
pub struct Cursor<'a> {
    /// What is left to read.
    pub rest: &'a str,
    /// Scratch space for strings with escapes.
    buffer: String,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `text`.
    pub fn new(text: &'a str) -> Cursor<'a> {
        Cursor {
            rest: text,
            buffer: String::new(),
        }
    }

    /// Skips `tag` when the text goes on with it exactly; None otherwise.
    pub fn tag(&mut self, tag: &str) -> Option<()> {
        self.rest = self.rest.strip_prefix(tag)?;
        Some(())
    }

    /// Whether the text goes on with `tag` (then skipped).
    pub fn skip(&mut self, tag: &str) -> bool {
        self.tag(tag).is_some()
    }

    /// A quoted string as an owned value.
    pub fn string(&mut self) -> Option<String> {
        let (value, rest) = string(self.rest, &mut self.buffer)?;
        let value = value.to_owned();
        self.rest = rest;
        Some(value)
    }

    /// An unsigned decimal number as the writer prints it (no sign, no leading zero, no
    /// `_`), when it fits `T`.
    pub fn unsigned<T: std::str::FromStr>(&mut self) -> Option<T> {
        let digits = self.rest.bytes().take_while(u8::is_ascii_digit).count();
        let number = &self.rest[..digits];
        if digits == 0 || (digits > 1 && number.starts_with('0')) {
            return None;
        }
        let value = number.parse().ok()?;
        self.rest = &self.rest[digits..];
        Some(value)
    }

    /// A bare identifier (an enum variant written by key), up to the next comma.
    pub fn identifier(&mut self) -> Option<&'a str> {
        let end = self.rest.find(',')?;
        let word = &self.rest[..end];
        self.rest = &self.rest[end..];
        Some(word)
    }

    /// Whether only whitespace the `ron` crate skips is left.
    pub fn at_end(&self) -> bool {
        self.rest
            .bytes()
            .all(|b| matches!(b, b' ' | b'\n' | b'\r' | b'\t'))
    }
}

/// A quoted RON string at the start of `input` and what follows it; escaped strings are
/// decoded into `buffer`. None for anything [`char::escape_debug`] does not write.
pub fn string<'a: 'b, 'b>(input: &'a str, buffer: &'b mut String) -> Option<(&'b str, &'a str)> {
    let body = input.strip_prefix('"')?;
    let plain_end = body.find(['"', '\\'])?;
    if body.as_bytes()[plain_end] == b'"' {
        return Some((&body[..plain_end], &body[plain_end + 1..]));
    }
    buffer.clear();
    let mut rest = body;
    loop {
        let stop = rest.find(['"', '\\'])?;
        buffer.push_str(&rest[..stop]);
        if rest.as_bytes()[stop] == b'"' {
            return Some((buffer.as_str(), &rest[stop + 1..]));
        }
        let escaped = &rest[stop + 1..];
        let mut chars = escaped.chars();
        let decoded = match chars.next()? {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            '0' => '\0',
            c @ ('\\' | '"' | '\'') => c,
            'u' => {
                let hex = chars.as_str().strip_prefix('{')?;
                let close = hex.find('}')?;
                let digits = &hex[..close];
                if !(1..=6).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                let c = char::from_u32(u32::from_str_radix(digits, 16).ok()?)?;
                rest = &hex[close + 1..];
                buffer.push(c);
                continue;
            }
            _ => return None,
        };
        buffer.push(decoded);
        rest = chars.as_str();
    }
}

/// Appends `value` quoted as the `ron` crate writes it: each character as
/// [`char::escape_debug`] gives it, plain ASCII copied in runs.
pub fn push_string(out: &mut String, value: &str) {
    out.push('"');
    let mut plain = 0;
    for (at, c) in value.char_indices() {
        let verbatim = c.is_ascii() && (' '..='~').contains(&c) && !matches!(c, '"' | '\\' | '\'');
        if !verbatim {
            out.push_str(&value[plain..at]);
            out.extend(c.escape_debug());
            plain = at + c.len_utf8();
        }
    }
    out.push_str(&value[plain..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_only_as_the_writer_prints_them() {
        // As the readers use it: a number, then the comma that ends the field.
        let field = |text: &str| {
            let mut cursor = Cursor::new(text);
            let number = cursor.unsigned::<u32>();
            number.filter(|_| cursor.skip(","))
        };
        for (text, expected) in [("0,", 0), ("1234,", 1234), ("4294967295,", u32::MAX)] {
            assert_eq!(field(text), Some(expected), "{text}");
        }
        for text in [
            "007,",
            "+1,",
            "1_000,",
            "0x10,",
            "1e3,",
            "4294967296,",
            ",",
            "-1,",
        ] {
            assert_eq!(field(text), None, "{text}");
        }
    }

    #[test]
    fn unicode_escapes_are_read_only_in_the_form_ron_reads() {
        let mut buffer = String::new();
        assert_eq!(
            string(r#""a\u{200b}b""#, &mut buffer).map(|(s, _)| s.to_owned()),
            Some("a\u{200b}b".into())
        );
        for text in [
            r#""\u{}""#,
            r#""\u{+41}""#,
            r#""\u{0000041}""#,
            r#""\u{d800}""#,
            r#""\x41""#,
        ] {
            assert!(string(text, &mut buffer).is_none(), "{text}");
        }
    }
}
