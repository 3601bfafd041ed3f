//! Splits a shell command line into the simple commands it would run, so each can be checked.
//!
//! A rule like `Bash(npm test:*)` must not allow `npm test && rm -rf /`, nor `echo $(rm -rf /)`.
//! This is a small tokenizer, not a shell: it knows quoting, the command separators, subshells,
//! groups and every kind of substitution, and gives up (with an error) on what it does not
//! understand, such as control flow and heredocs. Giving up is safe: a command it cannot split
//! is never allowed by a rule, only asked about.

use std::collections::HashSet;
use std::fmt;

/// One command the shell would run, with its arguments as the program would receive them
/// (quotes removed, substitutions left as written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleCommand {
    /// The words after quote removal: `echo 'a b'` is `["echo", "a b"]`.
    pub words: Vec<String>,
    /// The words joined by single spaces; Bash rules are matched against this.
    pub text: String,
    /// Files named by redirects (`out.txt` in `> out.txt`, `2>>log`, `&>x`, `< in`); not
    /// descriptor copies such as `2>&1`, nor `/dev/null` and the other standard devices.
    pub redirects: Vec<String>,
    /// The subset of `redirects` the command writes to (`>`, `>>`, `&>`, `>|`, `<>`): writing
    /// a file this way is an edit, so it needs an `Edit` rule as well.
    pub writes: Vec<String>,
}

/// Why a command line could not be split. The command is then never allowed by a rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShellError {
    /// A quote or backtick is never closed.
    #[error("a {0} is never closed")]
    UnclosedQuote(&'static str),
    /// A `(`, `$(` or `<(` is never closed.
    #[error("a `(` is never closed")]
    UnclosedParen,
    /// A `)` closes nothing.
    #[error("a `)` has no matching `(`")]
    UnmatchedParen,
    /// A heredoc or here-string, whose body is not a command.
    #[error("heredocs (`<<`) are not understood")]
    Heredoc,
    /// Shell control flow (`if`, `for`, `case`, functions, …), which is not analysed.
    #[error("`{0}` starts shell control flow, which is not understood")]
    ControlFlow(String),
    /// Some other construct this tokenizer does not analyse.
    #[error("{0} is not understood")]
    Unsupported(&'static str),
}

/// Splits `command` into the simple commands it runs, outer commands before the commands
/// substituted into them. Fails on anything it cannot analyse safely.
pub fn split(command: &str) -> Result<Vec<SimpleCommand>, ShellError> {
    match split_best_effort(command) {
        (parts, None) => Ok(parts),
        (_, Some(error)) => Err(error),
    }
}

/// Like [`split`], but also returns whatever commands it could find when it fails, so deny
/// rules can still be checked against them.
pub fn split_best_effort(command: &str) -> (Vec<SimpleCommand>, Option<ShellError>) {
    let mut parser = Parser::new(command, 0);
    parser.list(false);
    (parser.parts, parser.error)
}

/// Words that start control flow; the commands they wrap are not analysed.
pub(crate) const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac",
    "function", "select", "time", "coproc",
];

/// Devices that are safe to name in a redirect or argument and are not files of anyone's.
const DEVICES: &[&str] =
    &["/dev/null", "/dev/stdout", "/dev/stderr", "/dev/stdin", "/dev/tty", "/dev/zero"];

/// Deeper nesting than this is refused rather than risking the stack on hostile input.
const MAX_DEPTH: usize = 50;

/// Whether a path names one of the standard devices, which never count as files.
pub(crate) fn is_device(path: &str) -> bool {
    DEVICES.contains(&path) || path.starts_with("/dev/fd/")
}

/// A word being read: its value, and whether it was written plainly (no quotes, escapes or
/// substitutions), which is what makes `2` in `2>x` a descriptor and `{` a group.
pub(crate) struct Word {
    pub(crate) value: String,
    pub(crate) plain: bool,
}

pub(crate) struct Parser {
    pub(crate) chars: Vec<char>,
    pub(crate) pos: usize,
    pub(crate) depth: usize,
    pub(crate) parts: Vec<SimpleCommand>,
    pub(crate) error: Option<ShellError>,
}

/// How one simple command ended.
enum End {
    Input,
    Separator,
    Close,
}

impl Parser {
    pub(crate) fn new(text: &str, depth: usize) -> Parser {
        Parser { chars: text.chars().collect(), pos: 0, depth, parts: Vec::new(), error: None }
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

    /// Parses commands up to the end of input, or up to the `)` that closes a nested list;
    /// returns whether that `)` was found.
    pub(crate) fn list(&mut self, nested: bool) -> bool {
        if self.depth > MAX_DEPTH {
            self.fail(ShellError::Unsupported("nesting this deep"));
            self.pos = self.chars.len();
            return false;
        }
        loop {
            match self.command() {
                End::Input => return false,
                End::Close if nested => return true,
                End::Close => self.fail(ShellError::UnmatchedParen),
                End::Separator => {}
            }
        }
    }

    /// Parses a nested list right after its opening `(`; the commands in it become parts.
    pub(crate) fn nested(&mut self) {
        self.depth += 1;
        let closed = self.list(true);
        self.depth -= 1;
        if !closed {
            self.fail(ShellError::UnclosedParen);
        }
    }

    pub(crate) fn skip_blanks(&mut self) {
        while let Some(c) = self.peek() {
            if c == ' ' || c == '\t' || c == '\r' {
                self.pos += 1;
            } else if c == '\\' && self.peek_at(1) == Some('\n') {
                self.pos += 2;
            } else {
                break;
            }
        }
    }

    /// Parses one simple command and records it (and anything substituted into it).
    fn command(&mut self) -> End {
        let slot = self.parts.len();
        let mut words: Vec<Word> = Vec::new();
        let mut cmd =
            SimpleCommand { words: vec![], text: String::new(), redirects: vec![], writes: vec![] };
        let end = loop {
            self.skip_blanks();
            let Some(c) = self.peek() else { break End::Input };
            let next = self.peek_at(1);
            match c {
                '\n' | ';' => {
                    self.pos += 1;
                    break End::Separator;
                }
                '&' if next == Some('>') => {
                    self.pos += 1;
                    self.redirect(&mut cmd);
                }
                '&' | '|' => {
                    let double = next == Some(c) || (c == '|' && next == Some('&'));
                    self.pos += if double { 2 } else { 1 };
                    break End::Separator;
                }
                ')' => {
                    self.pos += 1;
                    break End::Close;
                }
                '(' => {
                    if !words.is_empty() {
                        // `f() { …; }` defines a function; `a(b` is a syntax error.
                        self.fail(ShellError::Unsupported("a `(` after a command word"));
                    }
                    self.pos += 1;
                    self.nested();
                }
                '<' | '>' if next == Some('(') => {
                    let word = self.word();
                    words.push(word);
                }
                '<' | '>' => self.redirect(&mut cmd),
                '#' => {
                    // A comment runs to the end of the line.
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.pos += 1;
                    }
                }
                _ => {
                    let word = self.word();
                    let fd = word.plain
                        && word.value.chars().all(|c| c.is_ascii_digit())
                        && matches!(self.peek(), Some('<' | '>'));
                    if !fd {
                        words.push(word);
                    }
                }
            }
        };
        self.finish(slot, words, cmd);
        end
    }

    /// Records a finished command at `slot`, before the commands substituted into it.
    fn finish(&mut self, slot: usize, words: Vec<Word>, mut cmd: SimpleCommand) {
        let is_keyword = |w: &Word| w.plain && KEYWORDS.contains(&w.value.as_str());
        // `{ …; }` groups and `!` negation only wrap commands; what they wrap is checked.
        let wrapper = |w: &Word| w.plain && matches!(w.value.as_str(), "{" | "}" | "!");
        let mut words: Vec<Word> = words.into_iter().skip_while(wrapper).collect();
        if let Some(keyword) = words.first().filter(|w| is_keyword(w)).map(|w| w.value.clone()) {
            self.fail(ShellError::ControlFlow(keyword));
            // Drop the keywords so deny rules still see the command they introduce.
            let keywords = words.iter().take_while(|w| is_keyword(w) || wrapper(w)).count();
            words.drain(..keywords);
        }
        cmd.words = words.into_iter().map(|w| w.value).collect();
        cmd.text = cmd.words.join(" ");
        // A redirect alone (`> file`, or after `( … )` / `{ …; }`) has no words but still
        // writes or reads its file, so it is recorded for those checks.
        if !cmd.words.is_empty() || !cmd.redirects.is_empty() {
            self.parts.insert(slot, cmd);
        }
    }

    /// Reads a redirect operator (`<`, `>`, `>>`, `>|`, `<>`, `<&`, `>&`, `&>`) and its target.
    fn redirect(&mut self, cmd: &mut SimpleCommand) {
        let first = self.chars[self.pos];
        self.pos += 1;
        let mut write = first == '>';
        let mut dup = false;
        match (first, self.peek()) {
            ('<', Some('<')) => {
                self.fail(ShellError::Heredoc);
                self.pos += 1;
                while matches!(self.peek(), Some('<' | '-')) {
                    self.pos += 1;
                }
                // The delimiter (or here-string) is read and dropped; the body that follows is
                // then split as if it were commands, which only ever makes deny rules stricter.
                self.skip_blanks();
                self.word();
                return;
            }
            ('<', Some('>')) | ('>', Some('>' | '|')) => {
                write = true;
                self.pos += 1;
            }
            (_, Some('&')) => {
                dup = true;
                self.pos += 1;
            }
            _ => {}
        }
        self.skip_blanks();
        // `< <(cmd)` reads from a command, which is split as a part of its own, not a file.
        let substitution = matches!(self.peek(), Some('<' | '>')) && self.peek_at(1) == Some('(');
        let word = self.word();
        if substitution {
            return;
        }
        let target = word.value;
        if target.is_empty() {
            self.fail(ShellError::Unsupported("a redirect without a file"));
            return;
        }
        let copies_descriptor =
            dup && (target == "-" || target.chars().all(|c| c.is_ascii_digit()));
        if copies_descriptor || is_device(&target) {
            return;
        }
        if write {
            cmd.writes.push(target.clone());
        }
        cmd.redirects.push(target);
    }
}

impl fmt::Display for SimpleCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Pieces of a command line that failed to split, cut at every operator whether quoted or not
/// and with quotes dropped: crude, but it lets deny rules see `rm -rf /` in `if x; then rm -rf
/// /; fi` or in a line with a stray quote. Only ever used to deny, never to allow.
pub(crate) fn rough_pieces(command: &str) -> Vec<String> {
    let mut pieces = vec![collapse(&command.replace(['\'', '"', '\\'], ""))];
    for piece in command.split(|c| ";&|\n(){}`<>".contains(c)) {
        let cleaned = collapse(&piece.replace(['\'', '"', '\\', '$'], ""));
        let words: Vec<&str> = cleaned.split(' ').collect();
        let skip = words.iter().take_while(|w| KEYWORDS.contains(w) || **w == "!").count();
        pieces.push(words[skip..].join(" "));
    }
    let mut seen = HashSet::new();
    pieces.retain(|p| !p.is_empty() && seen.insert(p.clone()));
    pieces
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The script of a shell run with `-c` (`["/bin/bash", "-lc", SCRIPT]`, as agents wrap the
/// commands they run), if `words` are that.
pub fn shell_script<S: AsRef<str>>(words: &[S]) -> Option<String> {
    let [shell, flag, script] = words else { return None };
    let name = std::path::Path::new(shell.as_ref()).file_name().and_then(|n| n.to_str()).unwrap_or("");
    let shell = matches!(name, "bash" | "sh" | "zsh" | "dash") && matches!(flag.as_ref(), "-c" | "-lc");
    shell.then(|| script.as_ref().to_owned())
}

/// The command line a person (and a Bash rule) reads for a program and its arguments: the
/// script of a shell's `-c` ([`shell_script`]), else the words, each quoted where a shell would
/// split or expand it.
pub fn command_line<S: AsRef<str>>(words: &[S]) -> String {
    if let Some(script) = shell_script(words) {
        return script;
    }
    words.iter().map(|w| quote(w.as_ref())).collect::<Vec<_>>().join(" ")
}

fn quote(word: &str) -> String {
    let plain = !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
#[path = "shell_tests.rs"]
mod tests;
