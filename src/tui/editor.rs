//! A small text input: one line for prompts, several lines for notes. Cursor positions
//! are char indices, so any Unicode text edits correctly.

/// Text being edited and where the cursor is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Editor {
    chars: Vec<char>,
    cursor: usize,
    multiline: bool,
}

impl Editor {
    /// A one-line input holding `text`, cursor at the end.
    pub fn line(text: &str) -> Editor {
        let chars: Vec<char> = text.chars().filter(|c| *c != '\n').collect();
        Editor {
            cursor: chars.len(),
            chars,
            multiline: false,
        }
    }

    /// A multi-line editor holding `text`, cursor at the end.
    pub fn multiline(text: &str) -> Editor {
        let chars: Vec<char> = text.chars().collect();
        Editor {
            cursor: chars.len(),
            chars,
            multiline: true,
        }
    }

    /// The text.
    pub fn text(&self) -> String {
        self.chars.iter().collect()
    }

    /// Inserts a character (a newline only in multi-line editors; tabs become spaces).
    pub fn insert(&mut self, c: char) {
        let c = if c == '\t' { ' ' } else { c };
        if c == '\n' && !self.multiline {
            return;
        }
        self.chars.insert(self.cursor, c);
        self.cursor += 1;
    }

    /// Inserts pasted text.
    pub fn insert_str(&mut self, s: &str) {
        for c in s.chars().filter(|c| *c != '\r') {
            self.insert(c);
        }
    }

    /// Deletes before the cursor.
    pub fn backspace(&mut self) {
        if self.cursor > 0 {
            self.cursor -= 1;
            self.chars.remove(self.cursor);
        }
    }

    /// Deletes under the cursor.
    pub fn delete(&mut self) {
        if self.cursor < self.chars.len() {
            self.chars.remove(self.cursor);
        }
    }

    /// Moves left one character.
    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    /// Moves right one character.
    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.chars.len());
    }

    /// Moves to the start of the current line.
    pub fn home(&mut self) {
        while self.cursor > 0 && self.chars[self.cursor - 1] != '\n' {
            self.cursor -= 1;
        }
    }

    /// Moves to the end of the current line.
    pub fn end(&mut self) {
        while self.cursor < self.chars.len() && self.chars[self.cursor] != '\n' {
            self.cursor += 1;
        }
    }

    /// Cursor as (line, column) in chars, for drawing.
    pub fn cursor_position(&self) -> (usize, usize) {
        let before = &self.chars[..self.cursor];
        let line = before.iter().filter(|c| **c == '\n').count();
        let column = before.iter().rev().take_while(|c| **c != '\n').count();
        (line, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editing_moves_the_cursor_by_characters() {
        let mut e = Editor::line("héllo");
        e.backspace();
        e.left();
        e.insert('X');
        assert_eq!(e.text(), "hélXl");
        e.insert('\n');
        assert_eq!(e.text(), "hélXl", "no newline in a one-line prompt");
        let mut m = Editor::multiline("a");
        m.insert('\n');
        m.insert_str("b\r\nc");
        assert_eq!(m.text(), "a\nb\nc");
        assert_eq!(m.cursor_position(), (2, 1));
        m.home();
        m.delete();
        assert_eq!(m.text(), "a\nb\n");
    }
}
