//! Reading one shell word: quotes, escapes and the substitutions hidden inside words, and what
//! bash would still do to the word (globs, braces, tilde) once it is read.
//!
//! Split from `shell.rs` to keep each file readable; these are methods of the same parser.

use super::shell::{Parser, ShellError, Word};

/// What bash would still do to a word once it is read.
pub(crate) struct Class {
    /// The value is exactly what the program receives (see `SimpleCommand::literal`).
    pub(crate) literal: bool,
    /// Holds an unquoted glob character: it may match files.
    pub(crate) glob: bool,
    /// Something in it is not understood at all.
    pub(crate) error: Option<ShellError>,
}

impl Word {
    pub(crate) fn new() -> Word {
        Word {
            value: String::new(),
            bare: Vec::new(),
            plain: true,
            expands: false,
        }
    }

    fn push_bare(&mut self, c: char) {
        self.value.push(c);
        self.bare.push(true);
    }

    pub(crate) fn push_quoted(&mut self, c: char) {
        self.value.push(c);
        self.bare.push(false);
    }

    pub(crate) fn push_quoted_str(&mut self, text: &str) {
        text.chars().for_each(|c| self.push_quoted(c));
    }

    /// Text of a substitution or expansion, kept as written.
    pub(crate) fn push_expansion(&mut self, text: &str) {
        self.push_quoted_str(text);
        self.plain = false;
        self.expands = true;
    }

    /// What bash would still do to this word: glob it, expand a tilde, expand braces.
    pub(crate) fn classify(&self) -> Class {
        let chars: Vec<char> = self.value.chars().collect();
        let bare = |i: usize| self.bare.get(i).copied().unwrap_or(false);
        let is = |i: usize, c: char| bare(i) && chars.get(i) == Some(&c);
        let mut class = Class {
            literal: !self.expands,
            glob: false,
            error: None,
        };
        // Found once, so a hostile word of many brackets stays linear.
        let last_close_bracket = chars.iter().rposition(|&c| c == ']');
        let last_close_brace = (0..chars.len()).rev().find(|&j| is(j, '}'));
        let mut brace_checked = false;
        for (i, &c) in chars.iter().enumerate() {
            if !bare(i) {
                continue;
            }
            match c {
                '*' | '?' => class.glob = true,
                '[' if last_close_bracket.is_some_and(|j| j > i) => class.glob = true,
                '{' if !brace_checked => {
                    // Brace expansion needs a `,` or a `..` between `{` and an unquoted `}`;
                    // which `}` closes which `{` (`{}a,b}` expands) is not worked out: the
                    // widest span, from the first `{` to the last `}`, is checked.
                    brace_checked = true;
                    if let Some(close) = last_close_brace.filter(|&j| j > i) {
                        let between: String = chars[i + 1..close].iter().collect();
                        if between.contains(',') || between.contains("..") {
                            class.error = Some(ShellError::BraceExpansion(self.value.clone()));
                        }
                    }
                }
                '~' => {
                    // A tilde expands at the start of a word, and after `=` or `:` in what
                    // reads as an assignment (bash does it in arguments too: `a=~/x`).
                    let expands = i == 0 || is(i - 1, '=') || is(i - 1, ':');
                    if !expands {
                        continue;
                    }
                    class.literal = false;
                    let known = match chars.get(i + 1) {
                        None => true,
                        Some('/') => bare(i + 1),
                        Some(':') => i > 0 && bare(i + 1),
                        Some(_) => false,
                    };
                    if !known {
                        class
                            .error
                            .get_or_insert(ShellError::Tilde(self.value.clone()));
                    }
                }
                _ => {}
            }
        }
        if class.glob {
            class.literal = false;
        }
        class
    }
}

/// Whether text, read again by the shell, would run a command.
pub(crate) fn runs_commands(text: &str) -> bool {
    ["$(", "`", "<(", ">("].iter().any(|s| text.contains(s))
}

impl Parser {
    /// Reads one word, handling quotes, escapes and substitutions.
    pub(crate) fn word(&mut self) -> Word {
        let mut word = Word::new();
        let mut joined_substitution = false;
        let assign_ok = std::mem::take(&mut self.assign_ok);
        while let Some(c) = self.peek() {
            match c {
                '[' if assign_ok && is_bare_name(&word) => self.subscript(&mut word),
                '<' | '>' if self.peek_at(1) == Some('(') => {
                    // A process substitution `<( … )`; bash joins it to the text around it.
                    joined_substitution |= !word.value.is_empty();
                    let start = self.pos;
                    self.pos += 2;
                    self.nested();
                    word.push_expansion(&self.source(start));
                    joined_substitution |= self.peek().is_some_and(|c| !is_delimiter(c));
                }
                c if is_delimiter(c) => break,
                '\\' => {
                    word.plain = false;
                    self.pos += 1;
                    match self.peek() {
                        Some('\n') => {
                            // Inside a word a continuation may join anything: `2\⏎>x`, `$\⏎(`.
                            self.fail(ShellError::LineContinuation);
                            self.pos += 1;
                        }
                        Some(escaped) => {
                            word.push_quoted(escaped);
                            self.pos += 1;
                        }
                        // bash keeps a backslash that ends the input.
                        None => word.push_quoted('\\'),
                    }
                }
                '\'' => {
                    word.plain = false;
                    self.single_quoted(&mut word);
                }
                '"' => {
                    word.plain = false;
                    self.double_quoted(&mut word);
                }
                '`' => self.backticks(&mut word),
                '$' => self.dollar(&mut word, false),
                '!' => {
                    self.history(false);
                    word.push_bare('!');
                    self.pos += 1;
                }
                _ => {
                    word.push_bare(c);
                    self.pos += 1;
                }
            }
        }
        if joined_substitution {
            self.fail(ShellError::Unsupported(
                "a process substitution joined to other text",
            ));
        }
        word
    }

    /// `name[…]` where an assignment may stand: bash reads the subscript to its matching `]`,
    /// across blanks, operators and newlines (`a[1;x` is one word). Never certain; its text is
    /// split for deny rules, as arithmetic in it may run commands.
    fn subscript(&mut self, word: &mut Word) {
        self.fail(ShellError::Assignment(format!("{}[", word.value)));
        let open = self.pos;
        let mut depth = 0usize;
        let mut i = open;
        let end = loop {
            match self.chars.get(i) {
                None => break None,
                Some('\\') => i += 1,
                Some('\'') => {
                    i = (i + 1..self.chars.len())
                        .find(|&j| self.chars[j] == '\'')
                        .unwrap_or(self.chars.len())
                }
                Some('[') => depth += 1,
                Some(']') => {
                    depth -= 1;
                    if depth == 0 {
                        break Some(i);
                    }
                }
                _ => {}
            }
            i += 1;
        };
        let close = end.unwrap_or(self.chars.len());
        let inner: String = self.chars[open + 1..close.min(self.chars.len())]
            .iter()
            .collect();
        word.push_bare('[');
        word.push_quoted_str(&inner);
        if end.is_some() {
            word.push_bare(']');
        }
        self.pos = (close + 1).min(self.chars.len());
        self.expansion_parts(&inner);
    }

    /// A `!` that history expansion would read, were it on: agents run commands in
    /// non-interactive shells, where it is off unless the person's shell startup files turn it
    /// on (`set -H` with `set -o history`), so such a `!` is not read with certainty.
    fn history(&mut self, in_double_quotes: bool) {
        let next = self.peek_at(1);
        let inert = match next {
            None | Some(' ' | '\t' | '\n' | '=' | '(') => true,
            Some('"') => in_double_quotes,
            Some(_) => false,
        };
        if !inert {
            self.fail(ShellError::HistoryExpansion);
        }
    }

    /// `'…'`: everything up to the next `'` is taken as written.
    fn single_quoted(&mut self, word: &mut Word) {
        self.pos += 1;
        let start = self.pos;
        loop {
            match self.peek() {
                None => return self.fail(ShellError::UnclosedQuote("single quote")),
                Some('\'') => break,
                Some(c) => {
                    word.push_quoted(c);
                    self.pos += 1;
                }
            }
        }
        let text = self.source(start);
        self.pos += 1;
        if text.contains("\\\n") {
            // Kept as written here, but removed by bash inside some nested substitutions.
            self.fail(ShellError::LineContinuation);
        }
        if runs_commands(&text) {
            self.latent.push(text);
        }
    }

    /// `"…"`: backslash escapes a few characters; substitutions run inside.
    pub(crate) fn double_quoted(&mut self, word: &mut Word) {
        self.pos += 1;
        let from = word.value.len();
        loop {
            match self.peek() {
                None => {
                    self.fail(ShellError::UnclosedQuote("double quote"));
                    break;
                }
                Some('"') => {
                    self.pos += 1;
                    break;
                }
                Some('\\') => {
                    self.pos += 1;
                    match self.peek() {
                        Some('\n') => {
                            let after_blank =
                                matches!(self.chars.get(self.pos - 2), Some(' ' | '\t'));
                            if !after_blank {
                                self.fail(ShellError::LineContinuation);
                            }
                            self.pos += 1;
                        }
                        Some(c @ ('$' | '`' | '"' | '\\')) => {
                            word.push_quoted(c);
                            self.pos += 1;
                        }
                        _ => word.push_quoted('\\'),
                    }
                }
                // Substitutions run inside double quotes too.
                Some('`') => self.backticks(word),
                Some('$') => self.dollar(word, true),
                Some('!') => {
                    self.history(true);
                    word.push_quoted('!');
                    self.pos += 1;
                }
                Some(c) => {
                    word.push_quoted(c);
                    self.pos += 1;
                }
            }
        }
        let text = &word.value[from..];
        if runs_commands(text) {
            self.latent.push(text.to_owned());
        }
    }

    /// `` `…` ``: the old command substitution. Its text is unescaped and split on its own.
    pub(crate) fn backticks(&mut self, word: &mut Word) {
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
        word.push_expansion(&self.source(start));
    }
}

/// Whether the word so far is a name, written plainly.
fn is_bare_name(word: &Word) -> bool {
    !word.value.is_empty()
        && !word.value.starts_with(|c: char| c.is_ascii_digit())
        && word
            .value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        && word.bare.iter().all(|&b| b)
}

/// Characters that end an unquoted word.
fn is_delimiter(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>'
    )
}
