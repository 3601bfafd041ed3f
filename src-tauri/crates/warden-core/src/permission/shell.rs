//! Splits a shell command line into the simple commands it would run, so each can be checked.
//!
//! A rule like `Bash(npm test:*)` must not allow `npm test && rm -rf /`, nor `echo $(rm -rf /)`.
//! This is a small tokenizer, not a shell. It reads with certainty only a part of bash's
//! language: words in single and double quotes, backslash escapes, the separators
//! `&& || ; | |& &` and newlines, subshells `( … )`, groups `{ …; }`, `!`, comments, redirects,
//! command substitutions `$( … )` and `` `…` ``, process substitutions `<( … )`, and the plain
//! parameters `$name`, `${name}`, `$1`, `$?`…. Everything else makes [`split`] fail with a
//! [`ShellError`] naming the construct, so the line is asked about, never allowed by a rule:
//! parameter expansions with an operator, `$'…'` and `$"…"` strings, arithmetic, brace
//! expansion, globs in the program word or a redirect target, a redirect target with an
//! expansion, tilde forms other than `~` and
//! `~/…`, a `!` that history expansion could read, control characters, line continuations
//! that could join operators, assignments that are not `NAME=literal`, heredocs, control flow,
//! and lines bash would reject as a syntax error.
//!
//! [`split_best_effort`] still returns every command it can find in a refused line, including
//! commands hidden in the refused constructs, so deny rules are checked against them.

use std::collections::HashSet;
use std::fmt;

#[path = "shell_command.rs"]
mod command;
#[path = "shell_dollar.rs"]
mod dollar;
#[path = "shell_parse.rs"]
mod parse;

pub(crate) use parse::{Parser, Word};

/// One command the shell would run, with its arguments as the program would receive them
/// (quotes removed, substitutions left as written).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SimpleCommand {
    /// The words after quote removal: `echo 'a b'` is `["echo", "a b"]`. Leading variable
    /// assignments (`FOO=1 make`) are words too; see `assignments`.
    pub words: Vec<String>,
    /// Parallel to `words`: whether each word is *literal*, that is its value is exactly the
    /// argument the program receives. A word is not literal when it still holds a parameter,
    /// command, process or arithmetic substitution (`$x`, `${x}`, `$(…)`, `` `…` ``, `<(…)`),
    /// an unquoted glob character (`*`, `?`, `[…]`) or a tilde expansion (`~`, `~/x`, `a=~`):
    /// its value is then the text as written and bash may turn it into any number of
    /// arguments (none, one or several), whatever it looks like.
    pub literal: Vec<bool>,
    /// How many leading words are variable assignments as bash reads them (`FOO=1` in
    /// `FOO=1 make`, but not `'FOO'=1`, which bash runs as a program). The program, if any, is
    /// `words[assignments]`.
    pub assignments: usize,
    /// The words joined by single spaces; Bash rules are matched against this.
    pub text: String,
    /// Files named by redirects (`out.txt` in `> out.txt`, `2>>log`, `&>x`, `< in`); not
    /// descriptor copies such as `2>&1`, nor `/dev/null` and the other standard devices.
    pub redirects: Vec<String>,
    /// The subset of `redirects` the command writes to (`>`, `>>`, `&>`, `>|`, `<>`): writing
    /// a file this way is an edit, so it needs an `Edit` rule as well.
    pub writes: Vec<String>,
}

impl SimpleCommand {
    /// The program word, after the leading assignments, if the command has one.
    pub fn program(&self) -> Option<&str> {
        self.words.get(self.assignments).map(String::as_str)
    }

    /// Whether the program word is literal (see `literal`); `false` when there is none.
    pub fn program_is_literal(&self) -> bool {
        self.literal.get(self.assignments).copied().unwrap_or(false)
    }
}

/// Why a command line could not be split with certainty. The command is then never allowed by
/// a rule, only asked about; deny rules are still checked against what could be read of it.
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
    /// Shell control flow (`if`, `for`, `case`, `[[`, functions, …), which is not analysed.
    #[error("`{0}` starts shell control flow, which is not understood")]
    ControlFlow(String),
    /// A control character (below U+0020 other than tab and newline, DEL, or U+0080–U+009F):
    /// bash reads `\r` as part of a word, not as a blank, and terminals hide them.
    #[error("the control character U+{0:04X} is not understood")]
    ControlCharacter(u32),
    /// A parameter expansion other than `$name`, `${name}` and the special parameters:
    /// `${x:-…}`, `${x@P}`, `${!x}`, `${#x}`, `${x/a/b}`, `${x:1}`, ….
    #[error("the parameter expansion `{0}` is not understood (only `$name` and `${{name}}` are)")]
    ParameterExpansion(String),
    /// An ANSI-C string `$'…'`, whose escapes bash decodes.
    #[error("`$'…'` strings are not understood")]
    AnsiCString,
    /// A locale string `$"…"`, which bash translates.
    #[error("`$\"…\"` strings are not understood")]
    LocaleString,
    /// Arithmetic: `$(( … ))`, `(( … ))`, `$[ … ]` (which can run commands through array
    /// subscripts in the values of variables).
    #[error("arithmetic (`$((…))`, `((…))`, `$[…]`) is not understood")]
    Arithmetic,
    /// Brace expansion (`{a,b}`, `{1..3}`), which turns one word into several.
    #[error("the brace expansion in `{0}` is not understood")]
    BraceExpansion(String),
    /// A glob pattern (`*`, `?`, `[…]`) where a name must be known: the program word, or the
    /// file of a redirect.
    #[error("the glob pattern `{0}` names a program or a file, which is not understood")]
    Glob(String),
    /// A tilde form other than `~` and `~/…` (`~user`, `~+`, `~-`, `~1`).
    #[error("the tilde expansion in `{0}` is not understood (only `~` and `~/…` are)")]
    Tilde(String),
    /// A `!` that bash expands when history expansion is on (`!x`, `"!!"`), or an extended
    /// glob `!( … )`.
    #[error("a `!` that history expansion could read is not understood")]
    HistoryExpansion,
    /// A `\` line continuation that is not between two words: bash removes it before reading
    /// tokens, so it can join `&` and `&` into `&&`, or `$` and `(` into `$(`.
    #[error("a `\\` line continuation inside a word or an operator is not understood")]
    LineContinuation,
    /// An assignment that is not `NAME=literal`: `NAME+=…`, `NAME[…]=…`, a value with
    /// expansions, or a quoted word that only looks like an assignment (`'A'=1`, a program).
    #[error("the assignment `{0}` is not understood (only `NAME=literal` is)")]
    Assignment(String),
    /// A line bash rejects before running any of it.
    #[error("bash would reject this line: {0}")]
    Syntax(&'static str),
    /// Some other construct this tokenizer does not analyse.
    #[error("{0} is not understood")]
    Unsupported(&'static str),
}

/// Splits `command` into the simple commands it runs, outer commands before the commands
/// substituted into them. Fails on anything it cannot read with certainty as bash does.
pub fn split(command: &str) -> Result<Vec<SimpleCommand>, ShellError> {
    match split_best_effort(command) {
        (parts, None) => Ok(parts),
        (_, Some(error)) => Err(error),
    }
}

/// Like [`split`], but also returns whatever commands it could find when it fails, so deny
/// rules can still be checked against them: the commands of the line as best read, the
/// commands hidden inside refused constructs (`${x:-$(cmd)}`, `$(( $(cmd) ))`), the commands of
/// other plausible readings where a refused construct's end is uncertain, and, once the line
/// is refused, the commands in quoted text that would run if the shell read it again
/// (`x='$(cmd)'; echo ${x@P}`).
pub fn split_best_effort(command: &str) -> (Vec<SimpleCommand>, Option<ShellError>) {
    let mut parser = Parser::new(command, 0);
    parser.alternates = MAX_ALTERNATES;
    if let Some(c) = command.chars().find(|&c| is_control(c)) {
        parser.fail(ShellError::ControlCharacter(u32::from(c)));
    }
    parser.top_level();
    if parser.error.is_some() {
        parser.split_latent();
    }
    (parser.parts, parser.error)
}

/// `NAME=value` by its value alone, as a reader that does not know the quoting would take it.
pub(crate) fn looks_like_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// Whether `c` is a control character that makes a line undecided.
fn is_control(c: char) -> bool {
    (c < ' ' && c != '\t' && c != '\n') || ('\u{7f}'..='\u{9f}').contains(&c)
}

/// How many alternative readings of uncertain constructs one line may add (for deny rules).
const MAX_ALTERNATES: usize = 8;

/// Words that start control flow; the commands they wrap are not analysed.
pub(crate) const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac",
    "function", "select", "time", "coproc", "[[", "]]", "in",
];

/// Devices that are safe to name in a redirect or argument and are not files of anyone's.
const DEVICES: &[&str] = &[
    "/dev/null",
    "/dev/stdout",
    "/dev/stderr",
    "/dev/stdin",
    "/dev/tty",
    "/dev/zero",
];

/// Whether a path names one of the standard devices, which never count as files: exactly one
/// of [`DEVICES`] or `/dev/fd/<digits>`, once repeated slashes and `.` segments are dropped.
/// A `..` segment anywhere makes it a file (`/dev/fd/../../etc/x` is `/etc/x`, and
/// `/dev/fd/3/..` depends on what descriptor 3 is).
pub(crate) fn is_device(path: &str) -> bool {
    if !path.starts_with('/') {
        return false;
    }
    let segments: Vec<&str> = path
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    if segments.contains(&"..") || path.ends_with('/') {
        return false;
    }
    let normal = format!("/{}", segments.join("/"));
    let descriptor = match segments.as_slice() {
        ["dev", "fd", n] => !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()),
        _ => false,
    };
    descriptor || DEVICES.contains(&normal.as_str())
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
        let skip = words
            .iter()
            .take_while(|w| KEYWORDS.contains(w) || **w == "!")
            .count();
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
    let [shell, flag, script] = words else {
        return None;
    };
    let name = std::path::Path::new(shell.as_ref())
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("");
    let shell =
        matches!(name, "bash" | "sh" | "zsh" | "dash") && matches!(flag.as_ref(), "-c" | "-lc");
    shell.then(|| script.as_ref().to_owned())
}

/// The command line a person (and a Bash rule) reads for a program and its arguments: the
/// script of a shell's `-c` ([`shell_script`]), else the words, each quoted where a shell would
/// split or expand it.
pub fn command_line<S: AsRef<str>>(words: &[S]) -> String {
    if let Some(script) = shell_script(words) {
        return script;
    }
    words
        .iter()
        .map(|w| quote(w.as_ref()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
#[path = "shell_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "shell_class_tests.rs"]
mod class_tests;

#[cfg(test)]
#[path = "shell_syntax_tests.rs"]
mod syntax_tests;
