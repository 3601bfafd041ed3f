//! Small text helpers the parsers share: colour codes removed, `path:line[:col]` locations.

/// Removes ANSI escape sequences (colours, cursor moves): checks run without a terminal, but
/// some tools colour their output anyway (`--color=always`, `FORCE_COLOR`).
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            // CSI: parameters and intermediates up to one final byte in @..~.
            Some('[') => {
                chars.next();
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            // OSC (hyperlinks): up to BEL or ESC \.
            Some(']') => {
                chars.next();
                while let Some(c) = chars.next() {
                    if c == '\u{7}' {
                        break;
                    }
                    if c == '\u{1b}' && chars.peek() == Some(&'\\') {
                        chars.next();
                        break;
                    }
                }
            }
            Some(_) => {
                chars.next();
            }
            None => {}
        }
    }
    out
}

/// Reads `path:line` or `path:line:col` (the end of `text`), returning the path and the line.
/// The path must not be empty and the line must be a positive number.
pub fn location(text: &str) -> Option<(String, u32)> {
    let text = text.trim();
    let mut parts = text.rsplitn(3, ':');
    let last = parts.next()?;
    let middle = parts.next()?;
    match parts.next() {
        // path:line:col
        Some(path) if is_number(last) && is_number(middle) && !path.is_empty() => {
            Some((path.to_string(), middle.parse().ok().filter(|n| *n > 0)?))
        }
        // path:line (a path may itself hold a colon: the first part joins back)
        Some(path) if is_number(last) => Some((format!("{path}:{middle}"), last.parse().ok().filter(|n| *n > 0)?)),
        None if is_number(last) && !middle.is_empty() => Some((middle.to_string(), last.parse().ok().filter(|n| *n > 0)?)),
        _ => None,
    }
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Joins lines into a finding's body, without the blank lines around them.
pub fn body(lines: &[&str]) -> String {
    let start = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(lines.len());
    let end = lines.iter().rposition(|l| !l.trim().is_empty()).map_or(start, |i| i + 1);
    lines[start..end.max(start)].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_colours_and_links() {
        assert_eq!(strip_ansi("\u{1b}[31mFAILED\u{1b}[0m ok"), "FAILED ok");
        assert_eq!(strip_ansi("\u{1b}]8;;file:///x\u{7}x\u{1b}]8;;\u{7}"), "x");
    }

    #[test]
    fn reads_locations() {
        assert_eq!(location("src/lib.rs:12:5"), Some(("src/lib.rs".into(), 12)));
        assert_eq!(location("tests/test_a.py:7"), Some(("tests/test_a.py".into(), 7)));
        assert_eq!(location("C:\\x\\a.rs:3:1"), Some(("C:\\x\\a.rs".into(), 3)));
        assert_eq!(location("no location"), None);
        assert_eq!(location(":3"), None);
    }
}
