//! The command level of the tokenizer: lists, pipelines, subshells, groups, reserved words,
//! assignments and redirects. Words themselves are read in `shell_words.rs`, `$` forms in
//! `shell_dollar.rs`; all are methods of the same [`Parser`].

use super::command::{assignment, is_named_descriptor, Assignment};
use super::{ShellError, SimpleCommand, KEYWORDS};

/// Deeper nesting than this is refused rather than risking the stack on hostile input.
pub(crate) const MAX_DEPTH: usize = 50;

/// How many quoted texts may be re-read as commands for deny rules (see `latent`).
const MAX_LATENT: usize = 32;

/// A word being read.
pub(crate) struct Word {
    /// The value after quote removal; substitutions and expansions kept as written.
    pub(crate) value: String,
    /// Per character of `value`: whether it was written unquoted and outside any expansion,
    /// so that bash may give it a meaning (glob, brace, tilde, `=` of an assignment).
    pub(crate) bare: Vec<bool>,
    /// Written with no quotes, escapes or substitutions at all, which is what makes `2` in
    /// `2>x` a descriptor and `{` a reserved word.
    pub(crate) plain: bool,
    /// Holds a substitution or expansion (`$…`, `` `…` ``, `<(…)`): its value is not final.
    pub(crate) expands: bool,
}

/// The tokenizer's state over one text (the line, or text nested in it and read on its own).
pub(crate) struct Parser {
    pub(crate) chars: Vec<char>,
    pub(crate) pos: usize,
    pub(crate) depth: usize,
    pub(crate) parts: Vec<SimpleCommand>,
    pub(crate) error: Option<ShellError>,
    /// Open `{ …; }` groups of the list being read, each with whether it holds a command yet.
    groups: Vec<bool>,
    /// Quoted text that would run commands if the shell read it again (`eval`, `${x@P}`,
    /// arithmetic on a variable's value): split for deny rules once the line is refused.
    pub(crate) latent: Vec<String>,
    /// How many alternative readings of an uncertain construct may still be added.
    pub(crate) alternates: usize,
    /// The next word is read where bash accepts an assignment (only assignments before it in
    /// its command): there `name[` opens an array subscript that runs to its `]`.
    pub(crate) assign_ok: bool,
}

/// What ended one command.
#[derive(Clone, Copy, PartialEq, Eq)]
enum End {
    /// The end of the text.
    Input,
    /// The `)` closing a nested list.
    Close,
    /// A newline: it may also stand after `&&`, `||` and `|`.
    Newline,
    /// `;` or (`amp`) `&`: a command must come before it.
    Terminator { amp: bool },
    /// `&&`, `||`, `|`, `|&`: a command must come before and after it.
    Joiner { pipe: bool },
}

/// The state of one command while it is read.
#[derive(Default)]
struct Shape {
    /// Words, redirects, a subshell or a group's `}` were read: not an empty command.
    used: bool,
    /// A subshell or group was closed: only redirects may follow.
    compound: bool,
    /// A `!` was read: alone it may only end with `;`, a newline or the input.
    negated: bool,
}

impl Parser {
    pub(crate) fn new(text: &str, depth: usize) -> Parser {
        Parser {
            chars: text.chars().collect(),
            pos: 0,
            depth,
            parts: Vec::new(),
            error: None,
            groups: Vec::new(),
            latent: Vec::new(),
            alternates: 0,
            assign_ok: false,
        }
    }

    pub(crate) fn fail(&mut self, error: ShellError) {
        self.error.get_or_insert(error);
    }

    pub(crate) fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    pub(crate) fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    /// Parses the whole input as a list of commands.
    pub(crate) fn top_level(&mut self) {
        if self.list(false) {
            self.fail(ShellError::UnmatchedParen);
        }
    }

    /// Parses commands up to the end of input, or up to the `)` that closes a nested list;
    /// returns whether that `)` was found. With `nested`, an empty list is a syntax error
    /// unless `may_be_empty` (as `$( )` may be).
    fn list_checked(&mut self, nested: bool, may_be_empty: bool) -> bool {
        if self.depth > MAX_DEPTH {
            self.fail(ShellError::Unsupported("nesting this deep"));
            self.pos = self.chars.len();
            return false;
        }
        let outer_groups = std::mem::take(&mut self.groups);
        let mut pending_joiner = false;
        let mut after_pipe = false;
        let mut any = false;
        let closed = loop {
            let (end, mut shape) = self.command(after_pipe);
            if shape.negated && !shape.used {
                match end {
                    End::Input | End::Newline | End::Terminator { amp: false } => shape.used = true,
                    _ => self.fail(ShellError::Syntax("a `!` without a command")),
                }
            }
            if shape.used {
                any = true;
                if let Some(open) = self.groups.last_mut() {
                    *open = true;
                }
            } else {
                match end {
                    End::Newline => continue,
                    End::Terminator { .. } | End::Joiner { .. } => self.fail(ShellError::Syntax(
                        "an operator without a command before it",
                    )),
                    End::Input | End::Close if pending_joiner => self.fail(ShellError::Syntax(
                        "`&&`, `||` or `|` without a command after it",
                    )),
                    _ => {}
                }
            }
            pending_joiner = matches!(end, End::Joiner { .. });
            after_pipe = matches!(end, End::Joiner { pipe: true });
            match end {
                End::Input => break false,
                End::Close if nested => break true,
                End::Close => {
                    self.fail(ShellError::UnmatchedParen);
                }
                _ => {}
            }
        };
        if !self.groups.is_empty() {
            self.fail(ShellError::Syntax("a `{` is never closed"));
        }
        if nested && closed && !any && !may_be_empty {
            self.fail(ShellError::Syntax("an empty `( )`"));
        }
        self.groups = outer_groups;
        closed
    }

    pub(crate) fn list(&mut self, nested: bool) -> bool {
        self.list_checked(nested, true)
    }

    /// Parses a nested list right after its opening `(`; the commands in it become parts.
    pub(crate) fn nested(&mut self) {
        self.nested_checked(true);
    }

    fn nested_checked(&mut self, may_be_empty: bool) {
        self.depth += 1;
        let closed = self.list_checked(true, may_be_empty);
        self.depth -= 1;
        if !closed {
            self.fail(ShellError::UnclosedParen);
        }
    }

    /// Skips blanks, and `\` line continuations that follow a blank (there they join nothing).
    pub(crate) fn skip_blanks(&mut self) {
        while let Some(c) = self.peek() {
            if c == ' ' || c == '\t' {
                self.pos += 1;
            } else if c == '\\' && self.peek_at(1) == Some('\n') {
                let after_blank = self.pos == 0
                    || matches!(self.chars.get(self.pos - 1), Some(' ' | '\t' | '\n'));
                if !after_blank {
                    self.fail(ShellError::LineContinuation);
                }
                self.pos += 2;
            } else {
                break;
            }
        }
    }

    /// Parses one simple command (or the opening or closing of a compound one) and records it,
    /// with anything substituted into it.
    fn command(&mut self, after_pipe: bool) -> (End, Shape) {
        let slot = self.parts.len();
        let mut words: Vec<Word> = Vec::new();
        let mut shape = Shape::default();
        let mut cmd = SimpleCommand {
            words: vec![],
            literal: vec![],
            assignments: 0,
            text: String::new(),
            redirects: vec![],
            writes: vec![],
        };
        // Reserved words are only reserved where a command starts.
        let mut command_position = true;
        let end = loop {
            self.skip_blanks();
            let Some(c) = self.peek() else {
                break End::Input;
            };
            let next = self.peek_at(1);
            match c {
                '\n' => {
                    self.pos += 1;
                    break End::Newline;
                }
                ';' => {
                    self.pos += 1;
                    if next == Some(';') || next == Some('&') {
                        self.fail(ShellError::Syntax("`;;` or `;&` outside `case`"));
                    }
                    break End::Terminator { amp: false };
                }
                '&' if next == Some('>') => {
                    self.pos += 1;
                    self.redirect(&mut cmd, true);
                    command_position = false;
                    shape.used = true;
                }
                '&' | '|' => {
                    let double = next == Some(c) || (c == '|' && next == Some('&'));
                    self.pos += if double { 2 } else { 1 };
                    break match (c, double) {
                        ('&', false) => End::Terminator { amp: true },
                        ('|', _) if next != Some('|') => End::Joiner { pipe: true },
                        _ => End::Joiner { pipe: false },
                    };
                }
                ')' => {
                    self.pos += 1;
                    break End::Close;
                }
                '(' => {
                    if !command_position || shape.compound {
                        // `f() { …; }` defines a function; `a (b)` is a syntax error.
                        self.fail(ShellError::Unsupported("a `(` after a command word"));
                    }
                    if next == Some('(') {
                        self.fail(ShellError::Arithmetic);
                        let start = self.pos;
                        let (inner, closed) = self.balanced('(', ')');
                        if closed && super::dollar::is_arithmetic(&inner) {
                            // `(( … ))`: its commands are only those substituted in it.
                            self.arithmetic_parts(&inner);
                            command_position = false;
                            shape.used = true;
                            shape.compound = true;
                            continue;
                        }
                        // `((cmd) )` is a subshell in a subshell.
                        self.pos = start;
                    }
                    self.pos += 1;
                    self.nested_checked(false);
                    command_position = false;
                    shape.used = true;
                    shape.compound = true;
                }
                '<' | '>' if next == Some('(') => {
                    let word = self.word();
                    self.push_word(&mut words, word, &mut shape, &mut command_position);
                }
                '<' | '>' => {
                    self.redirect(&mut cmd, false);
                    command_position = false;
                    shape.used = true;
                }
                '#' => {
                    // A comment runs to the end of the line.
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.pos += 1;
                    }
                }
                _ => {
                    self.assign_ok = words
                        .iter()
                        .all(|w| !matches!(assignment(w), Assignment::None));
                    let word = self.word();
                    let fd = word.plain
                        && word.value.chars().all(|c| c.is_ascii_digit())
                        && matches!(self.peek(), Some('<' | '>'));
                    if fd {
                        continue;
                    }
                    if is_named_descriptor(&word) && matches!(self.peek(), Some('<' | '>')) {
                        // `{fd}>file` stores a new descriptor in `fd`: not a word.
                        self.fail(ShellError::Unsupported("a `{name}>` redirect"));
                        continue;
                    }
                    if command_position
                        && word.plain
                        && self.reserved(&word.value, &mut shape, after_pipe)
                    {
                        continue;
                    }
                    if words.is_empty() && word.plain && matches!(word.value.as_str(), "{" | "}") {
                        // After a leading redirect (`>x {`) bash's reading of a brace varies
                        // between a word and a reserved word.
                        self.fail(ShellError::Syntax("a `{` or `}` after a leading redirect"));
                    }
                    self.push_word(&mut words, word, &mut shape, &mut command_position);
                }
            }
        };
        self.finish(slot, words, cmd);
        (end, shape)
    }

    /// Handles a reserved word read where a command starts; returns whether it was one.
    fn reserved(&mut self, value: &str, shape: &mut Shape, after_pipe: bool) -> bool {
        match value {
            "{" if !shape.compound => {
                self.groups.push(false);
                true
            }
            "}" if !shape.compound => {
                if shape.negated {
                    self.fail(ShellError::Syntax("a `!` without a command"));
                }
                match self.groups.pop() {
                    Some(true) => {}
                    Some(false) => self.fail(ShellError::Syntax("an empty `{ }`")),
                    None => self.fail(ShellError::Syntax("a `}` closes nothing")),
                }
                shape.used = true;
                shape.compound = true;
                true
            }
            "!" if !shape.compound => {
                if self.peek() == Some('(') {
                    // With `extglob`, `!(…)` is a pattern; without, a negated subshell.
                    self.fail(ShellError::HistoryExpansion);
                }
                if after_pipe {
                    self.fail(ShellError::Syntax("`!` inside a pipeline"));
                }
                shape.negated = true;
                true
            }
            keyword if KEYWORDS.contains(&keyword) => {
                // The keyword is dropped so deny rules still see the command it introduces.
                self.fail(ShellError::ControlFlow(keyword.to_owned()));
                true
            }
            _ => false,
        }
    }

    fn push_word(
        &mut self,
        words: &mut Vec<Word>,
        word: Word,
        shape: &mut Shape,
        command_position: &mut bool,
    ) {
        if shape.compound {
            self.fail(ShellError::Syntax("a word after `)` or `}`"));
        }
        words.push(word);
        *command_position = false;
        shape.used = true;
    }

    /// Splits text found inside this command (backticks, refused expansions) on its own.
    pub(crate) fn sub_parse(&mut self, inner: &str) {
        let mut sub = Parser::new(inner, self.depth + 1);
        sub.list(false);
        self.adopt(sub);
    }

    /// Splits `text` as another possible reading, for deny rules only: its commands are kept,
    /// its errors are not (the line is refused already).
    pub(crate) fn alternate(&mut self, text: &str) {
        if self.alternates == 0 || self.depth > MAX_DEPTH {
            return;
        }
        self.alternates -= 1;
        let mut sub = Parser::new(text, self.depth + 1);
        sub.list(false);
        sub.error = None;
        self.adopt(sub);
    }

    pub(crate) fn adopt(&mut self, mut sub: Parser) {
        self.parts.append(&mut sub.parts);
        self.latent.append(&mut sub.latent);
        if let Some(error) = sub.error {
            self.fail(error);
        }
    }

    /// Splits the quoted texts that would run commands if read again (see `latent`).
    pub(crate) fn split_latent(&mut self) {
        let mut done = 0;
        while let Some(text) = self.latent.pop() {
            if done == MAX_LATENT {
                break;
            }
            done += 1;
            let mut sub = Parser::new(&text, self.depth + 1);
            sub.list(false);
            self.parts.append(&mut sub.parts);
            self.latent.append(&mut sub.latent);
        }
    }

    pub(crate) fn source(&self, start: usize) -> String {
        self.chars[start..self.pos.min(self.chars.len())]
            .iter()
            .collect()
    }
}
