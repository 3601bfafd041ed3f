//! What one simple command is made of once its words are read: which leading words are
//! assignments, whether each word is literal, and its redirects. Methods of the same
//! [`Parser`] as `shell_parse.rs`.

use super::parse::Parser;
use super::{is_device, ShellError, SimpleCommand, Word};

impl Parser {
    /// Records a finished command at `slot`, before the commands substituted into it.
    pub(crate) fn finish(&mut self, slot: usize, words: Vec<Word>, mut cmd: SimpleCommand) {
        let mut assignments = 0;
        for word in &words {
            match assignment(word) {
                Assignment::Plain => {}
                Assignment::Other => self.fail(ShellError::Assignment(word.value.clone())),
                Assignment::None => {
                    if super::looks_like_assignment(&word.value) {
                        // `'A'=1 cmd` runs a program named `A=1`: nothing to read it as.
                        self.fail(ShellError::Assignment(word.value.clone()));
                    }
                    break;
                }
            }
            assignments += 1;
        }
        for (index, word) in words.iter().enumerate() {
            let class = word.classify();
            if let Some(error) = class.error {
                self.fail(error);
            }
            if index < assignments && !class.literal {
                self.fail(ShellError::Assignment(word.value.clone()));
            }
            if index == assignments && class.glob {
                self.fail(ShellError::Glob(word.value.clone()));
            }
            cmd.literal.push(class.literal);
        }
        cmd.assignments = assignments;
        cmd.words = words.into_iter().map(|w| w.value).collect();
        cmd.text = cmd.words.join(" ");
        // A redirect alone (`> file`, or after `( … )` / `{ …; }`) has no words but still
        // writes or reads its file, so it is recorded for those checks.
        if !cmd.words.is_empty() || !cmd.redirects.is_empty() {
            self.parts.insert(slot, cmd);
        }
    }

    /// Reads a redirect operator (`<`, `>`, `>>`, `>|`, `<>`, `<&`, `>&`, `&>`, `&>>`) and its
    /// target; `both` when it started with `&` (already skipped).
    pub(crate) fn redirect(&mut self, cmd: &mut SimpleCommand, both: bool) {
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
            ('>', Some('|' | '&')) if both => {
                self.fail(ShellError::Syntax("`&>|` or `&>&`"));
                self.pos += 1;
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
        if self.peek() == Some('#') {
            // bash reads a comment here, then misses the file.
            self.fail(ShellError::Syntax("a redirect without a file"));
        }
        // `< <(cmd)` reads from a command, which is split as a part of its own, not a file.
        let substitution = matches!(self.peek(), Some('<' | '>')) && self.peek_at(1) == Some('(');
        let word = self.word();
        if substitution {
            return;
        }
        let descriptor = word.plain && word.value.chars().all(|c| c.is_ascii_digit());
        if (descriptor || is_named_descriptor(&word)) && matches!(self.peek(), Some('<' | '>')) {
            // `< 2>x`, `< {fd}>x`: bash reads the next redirect, and misses this one's file.
            self.fail(ShellError::Syntax("a redirect without a file"));
        }
        let class = word.classify();
        if let Some(error) = class.error {
            self.fail(error);
        }
        if class.glob {
            self.fail(ShellError::Glob(word.value.clone()));
        } else if word.expands {
            self.fail(ShellError::Unsupported(
                "a redirect to a file named by an expansion",
            ));
        }
        let plain_target = word.plain;
        let target = word.value;
        if target.is_empty() {
            self.fail(ShellError::Syntax("a redirect without a file"));
            return;
        }
        if dup && !plain_target {
            // `>&\-`, `>&"1"`: bash's reading of a quoted descriptor is not certain.
            self.fail(ShellError::Unsupported(
                "a quoted descriptor after `>&` or `<&`",
            ));
        }
        if dup && target.len() > 1 && target.starts_with('-') {
            // bash reads the `-` of `>&-` as a token of its own: `>&-x` is `>&-` then `x`.
            self.fail(ShellError::Syntax("text after `>&-`"));
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

/// How bash reads a word in assignment position.
pub(crate) enum Assignment {
    /// `NAME=value`.
    Plain,
    /// `NAME+=value`, `NAME[…]=value`, or a word bash reads as an array subscript up to its
    /// `]` whatever it holds (`a[1;…`), even in the program position.
    Other,
    /// Not an assignment.
    None,
}

pub(crate) fn assignment(word: &Word) -> Assignment {
    let chars: Vec<char> = word.value.chars().collect();
    let name = chars
        .iter()
        .zip(&word.bare)
        .take_while(|(c, bare)| **bare && (c.is_ascii_alphanumeric() || **c == '_'))
        .count();
    if name == 0 || chars[0].is_ascii_digit() {
        return Assignment::None;
    }
    match (chars.get(name), word.bare.get(name)) {
        (Some('='), Some(true)) => Assignment::Plain,
        (Some('['), Some(true)) => Assignment::Other,
        (Some('+'), Some(true)) if chars.get(name + 1) == Some(&'=') => Assignment::Other,
        _ => Assignment::None,
    }
}

/// `{name}`, written plainly: before `<` or `>` it names a descriptor variable.
pub(crate) fn is_named_descriptor(word: &Word) -> bool {
    let v = &word.value;
    word.plain
        && v.len() > 2
        && v.starts_with('{')
        && v.ends_with('}')
        && v[1..v.len() - 1]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
}
