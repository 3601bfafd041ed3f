//! The search box's syntax, turned into an FTS5 query. A person types words, and may put an
//! exact phrase in double quotes:
//!
//! - `cargo test` — both words, anywhere in the text; each also matches longer words it
//!   starts (`test` finds `tests`), as the results update while typing.
//! - `"cannot borrow"` — the phrase exactly (case and accents ignored).
//!
//! Every term is quoted before it reaches FTS5, so nothing typed is an FTS5 operator (`AND`,
//! `NEAR`, `*`, `:`, `-`, parentheses) and no input is a syntax error.

/// What was typed cannot be searched for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// Only punctuation or symbols: the index holds words, and these are not part of any.
    #[error("Nothing to search for in {0:?}: the search looks for words and numbers, and punctuation alone is not part of any")]
    NoWords(String),
}

/// The FTS5 query for what was typed; `None` for a blank query (nothing to look for).
pub fn fts_query(typed: &str) -> Result<Option<String>, QueryError> {
    if typed.trim().is_empty() {
        return Ok(None);
    }
    let mut terms = Vec::new();
    // Quotes alternate: outside them words, inside a phrase (an unclosed one runs to the end).
    for (i, piece) in typed.split('"').enumerate() {
        if i % 2 == 1 {
            if has_word(piece) {
                terms.push(quoted(piece));
            }
        } else {
            for word in piece.split_whitespace().filter(|w| has_word(w)) {
                terms.push(format!("{}*", quoted(word)));
            }
        }
    }
    if terms.is_empty() {
        return Err(QueryError::NoWords(typed.trim().to_owned()));
    }
    Ok(Some(terms.join(" ")))
}

/// Whether `text` holds a character the tokenizer keeps (it splits on everything else).
fn has_word(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

/// An FTS5 string: in double quotes, its own quotes doubled.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.trim().replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_become_quoted_prefixes_and_phrases_stay_whole() {
        assert_eq!(fts_query("cargo test").unwrap().unwrap(), r#""cargo"* "test"*"#);
        assert_eq!(fts_query(r#"fix "cannot borrow" now"#).unwrap().unwrap(), r#""fix"* "cannot borrow" "now"*"#);
        assert_eq!(fts_query(r#"say "unclosed phrase"#).unwrap().unwrap(), r#""say"* "unclosed phrase""#);
    }

    #[test]
    fn operators_are_only_words() {
        let q = fts_query("a AND b OR NOT c NEAR(d) col:e -f ^g").unwrap().unwrap();
        assert_eq!(q, r#""a"* "AND"* "b"* "OR"* "NOT"* "c"* "NEAR(d)"* "col:e"* "-f"* "^g"*"#);
    }

    #[test]
    fn blank_is_nothing_and_punctuation_alone_is_an_error_that_says_why() {
        assert_eq!(fts_query("  \t"), Ok(None));
        let err = fts_query(" -> \"::\" ").unwrap_err();
        assert!(err.to_string().contains("punctuation"), "{err}");
    }
}
