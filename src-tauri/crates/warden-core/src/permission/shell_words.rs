//! Reading one shell word: quotes, escapes and the substitutions hidden inside words.
//!
//! Split from `shell.rs` to keep each file readable; these are methods of the same parser.

use super::shell::{Parser, ShellError, Word};

impl Parser {
    /// Reads one word, handling quotes, escapes and substitutions.
    pub(crate) fn word(&mut self) -> Word {
        let mut word = Word { value: String::new(), plain: true };
        // A process substitution `<( … )` / `>( … )` is a word of its own.
        if matches!(self.peek(), Some('<' | '>')) && self.peek_at(1) == Some('(') {
            let start = self.pos;
            self.pos += 2;
            self.nested();
            word.value = self.source(start);
            word.plain = false;
            return word;
        }
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>' => break,
                '\\' => {
                    word.plain = false;
                    self.pos += 1;
                    match self.peek() {
                        Some('\n') => self.pos += 1,
                        Some(escaped) => {
                            word.value.push(escaped);
                            self.pos += 1;
                        }
                        None => {}
                    }
                }
                '\'' => {
                    word.plain = false;
                    self.single_quoted(&mut word.value, false);
                }
                '"' => {
                    word.plain = false;
                    self.double_quoted(&mut word.value);
                }
                '`' => {
                    word.plain = false;
                    self.backticks(&mut word.value);
                }
                '$' => self.dollar(&mut word, false),
                _ => {
                    word.value.push(c);
                    self.pos += 1;
                }
            }
        }
        word
    }

    /// `'…'`, or with `ansi` the `$'…'` form, whose backslash escapes are decoded as bash does
    /// so that `$'\x72m'` is seen as the `rm` it runs.
    fn single_quoted(&mut self, out: &mut String, ansi: bool) {
        self.pos += 1;
        loop {
            match self.peek() {
                None => return self.fail(ShellError::UnclosedQuote("single quote")),
                Some('\'') => {
                    self.pos += 1;
                    return;
                }
                Some('\\') if ansi => self.ansi_escape(out),
                Some(c) => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// Decodes one backslash escape of a `$'…'` string, the parser standing on the backslash.
    fn ansi_escape(&mut self, out: &mut String) {
        self.pos += 1;
        let Some(c) = self.peek() else { return };
        self.pos += 1;
        let simple = match c {
            'a' => Some('\u{7}'),
            'b' => Some('\u{8}'),
            'e' | 'E' => Some('\u{1b}'),
            'f' => Some('\u{c}'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'v' => Some('\u{b}'),
            '\\' | '\'' | '"' | '?' => Some(c),
            _ => None,
        };
        if let Some(decoded) = simple {
            return out.push(decoded);
        }
        let (radix, max, first) = match c {
            '0'..='7' => (8, 3, Some(c)),
            'x' => (16, 2, None),
            'u' => (16, 4, None),
            'U' => (16, 8, None),
            'c' => {
                // `\cX` is the control character of X.
                if let Some(x) = self.peek() {
                    self.pos += 1;
                    out.push(char::from((x as u8 & 0x1f) * u8::from(x.is_ascii())));
                }
                return;
            }
            other => {
                out.push('\\');
                return out.push(other);
            }
        };
        let mut digits: String = first.into_iter().collect();
        while digits.len() < max && self.peek().is_some_and(|d| d.is_digit(radix)) {
            digits.push(self.chars[self.pos]);
            self.pos += 1;
        }
        match u32::from_str_radix(&digits, radix).ok().and_then(char::from_u32) {
            Some(decoded) => out.push(decoded),
            // `\x` without digits stays as written.
            None => {
                out.push('\\');
                out.push(c);
            }
        }
    }

    fn double_quoted(&mut self, out: &mut String) {
        self.pos += 1;
        loop {
            match self.peek() {
                None => return self.fail(ShellError::UnclosedQuote("double quote")),
                Some('"') => {
                    self.pos += 1;
                    return;
                }
                Some('\\') => {
                    self.pos += 1;
                    match self.peek() {
                        Some('\n') => self.pos += 1,
                        Some(c @ ('$' | '`' | '"' | '\\')) => {
                            out.push(c);
                            self.pos += 1;
                        }
                        _ => out.push('\\'),
                    }
                }
                // Substitutions run inside double quotes too.
                Some('`') => self.backticks(out),
                Some('$') => {
                    let mut word = Word { value: std::mem::take(out), plain: false };
                    self.dollar(&mut word, true);
                    *out = word.value;
                }
                Some(c) => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// `` `…` ``: the old command substitution. Its text is unescaped and split on its own.
    fn backticks(&mut self, out: &mut String) {
        let start = self.pos;
        self.pos += 1;
        let mut inner = String::new();
        loop {
            match self.peek() {
                None => {
                    self.fail(ShellError::UnclosedQuote("backtick"));
                    break;
                }
                Some('`') => {
                    self.pos += 1;
                    break;
                }
                Some('\\') if matches!(self.peek_at(1), Some('`' | '\\' | '$')) => {
                    inner.push(self.chars[self.pos + 1]);
                    self.pos += 2;
                }
                Some(c) => {
                    inner.push(c);
                    self.pos += 1;
                }
            }
        }
        self.sub_parse(&inner);
        out.push_str(&self.source(start));
    }

    /// Everything that starts with `$`.
    fn dollar(&mut self, word: &mut Word, quoted: bool) {
        word.plain = false;
        let start = self.pos;
        match self.peek_at(1) {
            Some('(') if self.peek_at(2) == Some('(') => {
                // `$(( … ))` arithmetic: kept as text, but a substitution inside it is refused.
                self.pos += 1;
                let inner = self.balanced('(', ')');
                self.check_expansion(&inner, "command substitution inside `$(( … ))`");
            }
            Some('(') => {
                self.pos += 2;
                self.nested();
            }
            Some('{') => {
                self.pos += 1;
                let inner = self.balanced('{', '}');
                self.check_expansion(&inner, "command substitution inside `${ … }`");
            }
            Some('\'') if !quoted => {
                self.pos += 1;
                return self.single_quoted(&mut word.value, true);
            }
            Some('"') if !quoted => {
                self.pos += 1;
                return self.double_quoted(&mut word.value);
            }
            _ => self.pos += 1,
        }
        word.value.push_str(&self.source(start));
    }

    /// Skips from an opening bracket to its match, minding quotes; returns the text between.
    fn balanced(&mut self, open: char, close: char) -> String {
        let start = self.pos + 1;
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        while let Some(c) = self.peek() {
            self.pos += 1;
            match (quote, c) {
                (Some('\''), '\'') | (Some('"'), '"') => quote = None,
                (Some('\''), _) => {}
                (_, '\\') => self.pos += 1,
                (None, '\'' | '"') => quote = Some(c),
                (None, c) if c == open => depth += 1,
                (None, c) if c == close => {
                    depth -= 1;
                    if depth == 0 {
                        return self.chars[start..self.pos - 1].iter().collect();
                    }
                }
                _ => {}
            }
        }
        self.fail(match open {
            '(' => ShellError::UnclosedParen,
            _ => ShellError::Unsupported("an unclosed `${`"),
        });
        self.pos = self.chars.len();
        self.chars[start.min(self.pos)..].iter().collect()
    }

    /// An expansion kept as text must not hide a command; if it may, refuse it and still collect
    /// what it runs, for deny rules.
    fn check_expansion(&mut self, inner: &str, what: &'static str) {
        let hides_command = ["$(", "`", "<(", ">("].iter().any(|s| inner.contains(s));
        if hides_command {
            self.fail(ShellError::Unsupported(what));
            self.sub_parse(inner);
        }
    }

    /// Splits text found inside this command (backticks, refused expansions) on its own.
    fn sub_parse(&mut self, inner: &str) {
        let mut sub = Parser::new(inner, self.depth + 1);
        sub.list(false);
        self.parts.append(&mut sub.parts);
        if let Some(error) = sub.error {
            self.fail(error);
        }
    }

    pub(crate) fn source(&self, start: usize) -> String {
        self.chars[start..self.pos.min(self.chars.len())].iter().collect()
    }
}
