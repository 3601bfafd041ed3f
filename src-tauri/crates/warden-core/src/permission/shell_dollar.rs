//! Everything that starts with `$`: parameters, substitutions, arithmetic, `$'…'`, `$"…"`.
//!
//! Only `$name`, `${name}`, the positional and special parameters, and `$( … )` are read with
//! certainty. The rest is refused, but still read as well as possible so that the commands
//! hidden in it reach deny rules.

use super::super::shell_words::runs_commands;
use super::parse::MAX_DEPTH;
use super::{Parser, ShellError, Word};

/// Nesting of `${ … }` scanned before giving up on finding its end.
const MAX_SCAN_DEPTH: usize = 50;

/// Longest excerpt of a refused expansion quoted in an error.
const EXCERPT: usize = 40;

impl Parser {
    /// Reads the `$` form at the current position into `word`; `quoted` inside `"…"`.
    pub(crate) fn dollar(&mut self, word: &mut Word, quoted: bool) {
        let start = self.pos;
        match self.peek_at(1) {
            Some('(') if self.peek_at(2) == Some('(') => {
                // `$(( … ))`: arithmetic, or (as bash falls back to) `$( ( … ) )`.
                self.fail(ShellError::Arithmetic);
                self.pos += 1;
                let (inner, _) = self.balanced('(', ')');
                self.arithmetic_parts(&inner);
            }
            Some('(') => {
                self.pos += 2;
                self.nested();
            }
            Some('[') => {
                self.fail(ShellError::Arithmetic);
                self.pos += 1;
                let (inner, _) = self.balanced('[', ']');
                self.expansion_parts(&inner);
            }
            Some('{') => self.braced_parameter(quoted),
            Some('\'') if !quoted => {
                self.fail(ShellError::AnsiCString);
                self.pos += 1;
                let mut text = String::new();
                self.ansi_quoted(&mut text);
                // Kept decoded, so deny rules see the `rm` that `$'\x72m'` runs.
                word.push_quoted_str(&text);
                word.plain = false;
                word.expands = true;
                if runs_commands(&text) {
                    self.latent.push(text);
                }
                return;
            }
            Some('"') if !quoted => {
                self.fail(ShellError::LocaleString);
                self.pos += 1;
                word.plain = false;
                word.expands = true;
                return self.double_quoted(word);
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                self.pos += 1;
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                {
                    self.pos += 1;
                }
            }
            Some(c) if c.is_ascii_digit() || "@*#?$!-".contains(c) => {
                if c == '$' && matches!(self.peek_at(2), Some('(' | '{' | '[' | '\'' | '"')) {
                    // bash's reader takes the second `$` as the start of `$(`, `${`, `$'`…
                    // while its expansion takes `$$`: nothing to read with certainty.
                    self.fail(ShellError::Unsupported(
                        "`$$` before `(`, `{`, `[` or a quote",
                    ));
                }
                self.pos += 2;
            }
            // A `$` before anything else stays a `$`; still, the word is not called literal.
            _ => self.pos += 1,
        }
        word.push_expansion(&self.source(start));
    }

    /// `${ … }`, the parser standing on the `$`.
    fn braced_parameter(&mut self, quoted: bool) {
        let body = self.pos + 2;
        let first_brace = (body..self.chars.len()).find(|&i| self.chars[i] == '}');
        let Some(end) = self.parameter_end(body, quoted, 0) else {
            self.fail(ShellError::Unsupported("an unclosed `${`"));
            let inner: String = self.chars[body.min(self.chars.len())..].iter().collect();
            self.pos = self.chars.len();
            self.sub_parse(&inner);
            if let Some(first) = first_brace {
                self.alternate_after(first, quoted);
            }
            return;
        };
        let inner: String = self.chars[body..end].iter().collect();
        self.pos = end + 1;
        if is_plain_parameter(&inner) {
            return;
        }
        let excerpt: String = self.chars[body - 2..=end].iter().take(EXCERPT).collect();
        self.fail(ShellError::ParameterExpansion(excerpt));
        // The words of an operator (`${x:-$(cmd)}`) are expanded: their commands run.
        self.sub_parse(&inner);
        // Where the expansion ends depends on quoting rules that vary with the operator and
        // the bash version: read the rest of the line from the other plausible ends as well.
        if let Some(first) = first_brace.filter(|&f| f < end) {
            self.alternate_after(first, quoted);
        }
        if quoted {
            if let Some(other) = self.parameter_end(body, false, 0).filter(|&o| o > end) {
                self.alternate_after(other, quoted);
            }
        }
    }

    /// Reads the rest of the line after `index` as another possible reading (deny rules only).
    fn alternate_after(&mut self, index: usize, quoted: bool) {
        let rest: String = self.chars[index + 1..].iter().collect();
        // Inside `"…"` the rest is still in the double quotes.
        let text = if quoted { format!("\"{rest}") } else { rest };
        self.alternate(&text);
    }

    /// The index of the `}` closing a `${` whose body starts at `from`: the first one not in
    /// quotes or a nested `${ … }`, `$( … )` or `` `…` `` (a plain `{` does not nest).
    fn parameter_end(&self, from: usize, quoted: bool, depth: usize) -> Option<usize> {
        if depth > MAX_SCAN_DEPTH {
            return None;
        }
        let chars = &self.chars;
        let mut i = from;
        while i < chars.len() {
            match chars[i] {
                '\\' => i += 2,
                '\'' if !quoted => i = find(chars, i + 1, '\'')? + 1,
                '"' => i = double_quote_end(chars, i + 1)? + 1,
                '`' => i = backtick_end(chars, i + 1)? + 1,
                '$' if chars.get(i + 1) == Some(&'{') => {
                    i = self.parameter_end(i + 2, quoted, depth + 1)? + 1;
                }
                '$' if chars.get(i + 1) == Some(&'(') => i = paren_end(chars, i + 1)? + 1,
                '}' => return Some(i),
                _ => i += 1,
            }
        }
        None
    }

    /// The commands of `(( … ))` (`inner` holding the outer parentheses' text), or of a
    /// subshell written `((cmd) )`, which bash reads so when the text does not end in `))`.
    pub(crate) fn arithmetic_parts(&mut self, inner: &str) {
        if is_arithmetic(inner) {
            self.expansion_parts(&inner[1..inner.len() - 1]);
            // Should bash read it as subshells after all, their commands are seen too.
            self.alternate(inner);
        } else {
            self.sub_parse(inner);
        }
    }

    /// The commands substituted in text that is not a command (arithmetic, a subscript): each
    /// word is read for its substitutions, and `#` starts no comment there.
    pub(crate) fn expansion_parts(&mut self, inner: &str) {
        if self.depth > MAX_DEPTH {
            return self.fail(ShellError::Unsupported("nesting this deep"));
        }
        let mut sub = Parser::new(inner, self.depth + 1);
        while let Some(c) = sub.peek() {
            let substitution = matches!(c, '<' | '>') && sub.peek_at(1) == Some('(');
            if !substitution
                && matches!(
                    c,
                    ' ' | '\t' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>'
                )
            {
                sub.pos += 1;
                continue;
            }
            let before = sub.pos;
            sub.word();
            if sub.pos == before {
                sub.pos += 1;
            }
        }
        self.adopt(sub);
    }

    /// Skips from an opening bracket to its match, minding quotes; returns the text between,
    /// and whether the match was found (else the text runs to the end).
    pub(crate) fn balanced(&mut self, open: char, close: char) -> (String, bool) {
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
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return (self.chars[start..self.pos - 1].iter().collect(), true);
                    }
                }
                _ => {}
            }
        }
        self.fail(ShellError::UnclosedParen);
        self.pos = self.chars.len();
        (self.chars[start.min(self.pos)..].iter().collect(), false)
    }

    /// `$'…'`, the parser standing on the `'`: decoded as bash does, for deny rules.
    fn ansi_quoted(&mut self, out: &mut String) {
        self.pos += 1;
        loop {
            match self.peek() {
                None => return self.fail(ShellError::UnclosedQuote("single quote")),
                Some('\'') => {
                    self.pos += 1;
                    return;
                }
                Some('\\') => self.ansi_escape(out),
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
        match u32::from_str_radix(&digits, radix)
            .ok()
            .and_then(char::from_u32)
        {
            Some(decoded) => out.push(decoded),
            // `\x` without digits stays as written.
            None => {
                out.push('\\');
                out.push(c);
            }
        }
    }
}

/// Whether the text between the outer parentheses of `((…))` makes it arithmetic: bash reads
/// `((` as arithmetic when the `)` matching the second `(` is followed by the final `)`;
/// `(( a );( b ))` is a subshell of two subshells.
pub(crate) fn is_arithmetic(inner: &str) -> bool {
    let chars: Vec<char> = inner.chars().collect();
    if chars.first() != Some(&'(') {
        return false;
    }
    paren_end(&chars, 0) == Some(chars.len() - 1)
}

/// `name`, a positional parameter (`1`, `10`) or a special one (`?`, `#`, `@`…): the only
/// `${ … }` bodies read with certainty.
fn is_plain_parameter(body: &str) -> bool {
    let mut chars = body.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {
            chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        }
        Some(c) if c.is_ascii_digit() => chars.all(|c| c.is_ascii_digit()),
        Some(c) if "@*#?$!-".contains(c) => chars.next().is_none(),
        _ => false,
    }
}

fn find(chars: &[char], from: usize, target: char) -> Option<usize> {
    (from..chars.len()).find(|&i| chars[i] == target)
}

/// The index of the `"` closing a double-quoted string whose text starts at `from`.
fn double_quote_end(chars: &[char], from: usize) -> Option<usize> {
    let mut i = from;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// The index of the backtick closing one whose text starts at `from`.
fn backtick_end(chars: &[char], from: usize) -> Option<usize> {
    let mut i = from;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '`' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// The index of the `)` matching the `(` at `open`, minding quotes.
fn paren_end(chars: &[char], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '\'' => i = find(chars, i + 1, '\'')?,
            '"' => i = double_quote_end(chars, i + 1)?,
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}
