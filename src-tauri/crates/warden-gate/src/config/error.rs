//! Configuration errors that name the file, the line and column, the entry and the field, so
//! the person can go straight to what is wrong.

use serde::Serialize;
use std::fmt;
use std::ops::Range;

/// One thing wrong with a configuration file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigError {
    /// The file, as it is shown (the project's is relative to the project).
    pub file: String,
    /// 1-based line, when the error has a place in the file.
    pub line: Option<usize>,
    /// 1-based column (in characters), when the error has a place in the file.
    pub column: Option<usize>,
    /// The field, as a path such as `check[2].timeout`, when known.
    pub field: Option<String>,
    /// The id of the entry it is about, when known.
    pub entry: Option<String>,
    /// What is wrong and, where it helps, what to write instead.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        f.write_str(": ")?;
        match (&self.entry, &self.field) {
            (Some(entry), Some(field)) => write!(f, "`{entry}`, field `{field}`: ")?,
            (Some(entry), None) => write!(f, "`{entry}`: ")?,
            (None, Some(field)) => write!(f, "field `{field}`: ")?,
            (None, None) => {}
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

/// The text of one configuration file, to place errors in it.
#[derive(Debug, Clone)]
pub(crate) struct SourceText {
    /// How the file is named in messages.
    pub shown: String,
    /// Its content.
    pub text: String,
}

impl SourceText {
    pub(crate) fn new(shown: String, text: String) -> Self {
        Self { shown, text }
    }

    /// An error about the whole file.
    pub(crate) fn whole(&self, message: impl Into<String>) -> ConfigError {
        ConfigError { file: self.shown.clone(), line: None, column: None, field: None, entry: None, message: message.into() }
    }

    /// An error at `span`, about `field` of entry `entry`.
    pub(crate) fn at(&self, span: Range<usize>, entry: Option<&str>, field: Option<&str>, message: impl Into<String>) -> ConfigError {
        let (line, column) = line_column(&self.text, span.start);
        ConfigError {
            file: self.shown.clone(),
            line: Some(line),
            column: Some(column),
            field: field.map(str::to_owned),
            entry: entry.map(str::to_owned),
            message: message.into(),
        }
    }

    /// The TOML reader's error, with the field read off the line it points at (the reader
    /// names the place, not the key).
    pub(crate) fn toml_error(&self, err: &toml::de::Error) -> ConfigError {
        let message = err.message().trim().to_owned();
        match err.span() {
            Some(span) => {
                let field = field_at(&self.text, span.start);
                self.at(span, None, field.as_deref(), message)
            }
            None => self.whole(message),
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The dotted path of the key written on the line of `offset`, under its table header, e.g.
/// `check[2].when.changed`; `None` when the line has no key.
pub(crate) fn field_at(text: &str, offset: usize) -> Option<String> {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[line_start..line_end];
    let header = table_header(&text[..line_start]);
    let trimmed = line.trim_start();
    if trimmed.starts_with('[') {
        return header_name(trimmed, &text[..line_start]);
    }
    let key = line.split('=').next().filter(|_| line.contains('=')).map(|k| k.trim().trim_matches('"').to_owned())?;
    Some(match header {
        Some(header) => format!("{header}.{key}"),
        None => key,
    })
}

/// The table the lines before `before`'s end belong to, as `check[2]` or `gate`.
fn table_header(before: &str) -> Option<String> {
    let mut consumed = before.len();
    for line in before.lines().rev() {
        consumed = consumed.saturating_sub(line.len() + 1);
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            return header_name(trimmed, &before[..consumed.min(before.len())]);
        }
    }
    None
}

/// `[[check]]` → `check[n]` (n counting that array's headers up to here, from 1); `[gate]` →
/// `gate`.
fn header_name(header: &str, before: &str) -> Option<String> {
    if let Some(rest) = header.strip_prefix("[[") {
        let name = rest.split("]]").next()?.trim();
        let index = before.lines().filter(|l| l.trim_start().strip_prefix("[[").and_then(|r| r.split("]]").next()).map(str::trim) == Some(name)).count() + 1;
        return Some(format!("{name}[{index}]"));
    }
    let rest = header.strip_prefix('[')?;
    Some(rest.split(']').next()?.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_count_from_one() {
        assert_eq!(line_column("a\nbcd", 3), (2, 2));
        assert_eq!(line_column("", 0), (1, 1));
    }

    #[test]
    fn the_field_is_read_off_the_line_under_its_table() {
        let text = "version = 1\n[[check]]\nid = \"a\"\n[[check]]\nid = \"b\"\ntimeout = \"15x\"\n[gate]\nmax_rounds = \"x\"\n";
        let at = |needle: &str| text.find(needle).unwrap();
        assert_eq!(field_at(text, at("\"15x\"")).as_deref(), Some("check[2].timeout"));
        assert_eq!(field_at(text, at("\"x\"")).as_deref(), Some("gate.max_rounds"));
        assert_eq!(field_at(text, 0).as_deref(), Some("version"));
    }
}
