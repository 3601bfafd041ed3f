//! The glob patterns of path rules (`src/**/*.rs`), matched segment by segment.
//!
//! Written here rather than taken from a crate because the rule semantics are small and must be
//! exact: `*` and `?` never cross a `/`, `**` spans any number of whole folders (none included),
//! and a pattern that matches a folder also covers everything inside it, as in gitignore.

/// One `/`-separated piece of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// `**`: any number of folders, none included.
    AnyDepth,
    /// Literal characters and wildcards within one path segment.
    Name(Vec<Token>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Char(char),
    /// `?`
    One,
    /// `*`
    Many,
    /// `[…]`: ranges of characters, negated with `!` or `^`.
    Class { negated: bool, ranges: Vec<(char, char)> },
}

/// A compiled path pattern, matched against a path relative to the rule's base folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Glob {
    segments: Vec<Segment>,
}

impl Glob {
    /// Compiles `pattern`; the error says what is wrong in words.
    pub(crate) fn new(pattern: &str) -> Result<Glob, String> {
        let mut segments = Vec::new();
        // Empty pieces (`a//b`, a trailing `/`) carry no meaning of their own.
        for piece in pattern.split('/').filter(|p| !p.is_empty()) {
            if piece == "**" {
                if segments.last() != Some(&Segment::AnyDepth) {
                    segments.push(Segment::AnyDepth);
                }
            } else {
                segments.push(Segment::Name(tokens(piece)?));
            }
        }
        Ok(Glob { segments })
    }

    /// Whether the path (its segments below the base folder) or one of the folders containing
    /// it is matched: a rule for a folder covers its contents.
    pub(crate) fn matches(&self, path: &[&str]) -> bool {
        (0..=path.len()).any(|len| match_segments(&self.segments, &path[..len]))
    }
}

impl Glob {
    /// Whether the path itself is matched, not through a folder containing it.
    pub(crate) fn matches_exactly(&self, path: &[&str]) -> bool {
        match_segments(&self.segments, path)
    }
}

fn tokens(piece: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let mut chars = piece.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(escaped) => out.push(Token::Char(escaped)),
                None => return Err("it ends with a lone `\\`".to_owned()),
            },
            '?' => out.push(Token::One),
            // `a**b` within a segment means the same as `a*b`, as in gitignore.
            '*' if out.last() == Some(&Token::Many) => {}
            '*' => out.push(Token::Many),
            '[' => {
                let negated = chars.next_if(|&c| c == '!' || c == '^').is_some();
                let mut ranges = Vec::new();
                let mut first = true;
                loop {
                    let Some(c) = chars.next() else {
                        return Err("a `[` is never closed with `]`".to_owned());
                    };
                    // A `]` right after the opening bracket is a literal, as in shells.
                    if c == ']' && !first {
                        break;
                    }
                    first = false;
                    let low = if c == '\\' {
                        chars.next().ok_or("it ends with a lone `\\`")?
                    } else {
                        c
                    };
                    let high = if chars.peek() == Some(&'-') {
                        chars.next();
                        match chars.next() {
                            Some(']') | None => {
                                return Err("a range in `[…]` has no end, as in `[a-]`".to_owned())
                            }
                            Some(h) => h,
                        }
                    } else {
                        low
                    };
                    if high < low {
                        return Err(format!("the range `{low}-{high}` is backwards"));
                    }
                    ranges.push((low, high));
                }
                out.push(Token::Class { negated, ranges });
            }
            other => out.push(Token::Char(other)),
        }
    }
    Ok(out)
}

fn match_segments(pattern: &[Segment], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((Segment::AnyDepth, rest)) => {
            (0..=path.len()).any(|skip| match_segments(rest, &path[skip..]))
        }
        Some((Segment::Name(tokens), rest)) => match path.split_first() {
            Some((name, more)) => {
                let name: Vec<char> = name.chars().collect();
                match_name(tokens, &name) && match_segments(rest, more)
            }
            None => false,
        },
    }
}

/// Matches one segment name. On a mismatch it retries from the last `*` with one more character
/// swallowed, which keeps the work linear per star instead of exponential.
fn match_name(tokens: &[Token], name: &[char]) -> bool {
    let (mut t, mut n) = (0, 0);
    let mut retry: Option<(usize, usize)> = None;
    while n < name.len() {
        match tokens.get(t) {
            Some(Token::Many) => {
                retry = Some((t, n));
                t += 1;
            }
            Some(token) if token_matches(token, name[n]) => {
                t += 1;
                n += 1;
            }
            _ => match retry {
                Some((star, swallowed)) => {
                    t = star + 1;
                    n = swallowed + 1;
                    retry = Some((star, swallowed + 1));
                }
                None => return false,
            },
        }
    }
    tokens[t..].iter().all(|token| *token == Token::Many)
}

fn token_matches(token: &Token, c: char) -> bool {
    match token {
        Token::Char(t) => *t == c,
        Token::One | Token::Many => true,
        Token::Class { negated, ranges } => {
            ranges.iter().any(|&(low, high)| low <= c && c <= high) != *negated
        }
    }
}

/// Escapes the characters a glob gives meaning to, so a real file name can be written into a
/// rule and match only itself.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, path: &str) -> bool {
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        Glob::new(pattern).unwrap().matches(&segments)
    }

    #[test]
    fn star_stays_within_a_segment() {
        assert!(m("src/*.rs", "src/a.rs"));
        assert!(!m("src/*.rs", "src/x/a.rs"));
        assert!(m("*.key", "a.key"));
    }

    #[test]
    fn double_star_spans_folders_and_none() {
        assert!(m("src/**/*.rs", "src/a.rs"));
        assert!(m("src/**/*.rs", "src/a/b/c.rs"));
        assert!(m("**", "anything/at/all"));
        assert!(m("**", ""));
        assert!(!m("src/**", "srcx/a"));
    }

    #[test]
    fn a_folder_pattern_covers_its_contents() {
        assert!(m("src", "src/a/b.rs"));
        assert!(m("src/", "src/a/b.rs"));
        assert!(!m("src", "srcx/a"));
    }

    #[test]
    fn question_mark_and_classes() {
        assert!(m("a?.txt", "ab.txt"));
        assert!(!m("a?.txt", "a.txt"));
        assert!(m("[a-c]x", "bx"));
        assert!(!m("[!a-c]x", "bx"));
        assert!(m("[]]", "]"));
    }

    #[test]
    fn escapes_make_metacharacters_literal() {
        assert!(m(&escape("[id].tsx"), "[id].tsx"));
        assert!(!m(&escape("[id].tsx"), "i.tsx"));
        assert!(m(&escape("a*b"), "a*b"));
        assert!(!m(&escape("a*b"), "axb"));
    }

    #[test]
    fn malformed_patterns_are_explained() {
        assert!(Glob::new("src/[").unwrap_err().contains("never closed"));
        assert!(Glob::new("a\\").unwrap_err().contains("lone"));
        assert!(Glob::new("[z-a]").unwrap_err().contains("backwards"));
    }
}
