//! A one-line text input for prompts (the note editor is a `ratatui-textarea`). Cursor
//! positions are char indices, so any Unicode text edits correctly.

/// Text being edited and where the cursor is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Editor {
    chars: Vec<char>,
    cursor: usize,
}

impl Editor {
    /// A one-line input holding `text`, cursor at the end.
    pub fn line(text: &str) -> Editor {
        let chars: Vec<char> = text.chars().filter(|c| *c != '\n').collect();
        Editor {
            cursor: chars.len(),
            chars,
        }
    }

    /// The text.
    pub fn text(&self) -> String {
        self.chars.iter().collect()
    }

    /// Inserts a character (tabs become spaces; newlines are dropped).
    pub fn insert(&mut self, c: char) {
        let c = if c == '\t' { ' ' } else { c };
        if c == '\n' {
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

    /// Moves to the start.
    pub fn home(&mut self) {
        self.cursor = 0;
    }

    /// Moves to the end.
    pub fn end(&mut self) {
        self.cursor = self.chars.len();
    }

    /// Deletes from the start of the line to the cursor (Ctrl-u).
    pub fn kill_to_start(&mut self) {
        self.chars.drain(..self.cursor);
        self.cursor = 0;
    }

    /// Deletes the word before the cursor and the spaces after it (Ctrl-w, as in a shell).
    pub fn kill_word(&mut self) {
        let mut start = self.cursor;
        while start > 0 && self.chars[start - 1].is_whitespace() {
            start -= 1;
        }
        while start > 0 && !self.chars[start - 1].is_whitespace() {
            start -= 1;
        }
        self.chars.drain(start..self.cursor);
        self.cursor = start;
    }

    /// The text before the cursor, for measuring its display width.
    pub fn before_cursor(&self) -> String {
        self.chars[..self.cursor].iter().collect()
    }

    /// The cursor's column in chars, for drawing.
    pub fn cursor_column(&self) -> usize {
        self.cursor
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
        e.insert_str("a\r\nb");
        assert_eq!(e.text(), "hélXabl", "pasted lines join");
        e.home();
        e.delete();
        assert_eq!(e.text(), "élXabl");
        assert_eq!(e.cursor_column(), 0);
    }

    #[test]
    fn ctrl_w_kills_the_previous_word_and_ctrl_u_the_start_of_the_line() {
        let mut e = Editor::line("subset:attack  status:done ");
        e.kill_word();
        assert_eq!(e.text(), "subset:attack  ");
        e.kill_word();
        assert_eq!(e.text(), "");
        let mut e = Editor::line("gold:safe text:x");
        e.left();
        e.kill_to_start();
        assert_eq!((e.text().as_str(), e.cursor_column()), ("x", 0));
    }
}
