//! Reading a reviewer's answer: a structured value (Claude's `StructuredOutput`, Codex's
//! `outputSchema` message), or the first JSON object of the findings schema in a text (an ACP
//! agent's answer, fenced or not). An answer that is not one is an error, never a pass.

use super::{ReviewFinding, ReviewSeverity, ReviewVerdict};
use serde_json::{Map, Value};

/// A reviewer's answer as it gave it, before Warden anchors the findings.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewAnswer {
    /// The verdict.
    pub verdict: ReviewVerdict,
    /// The summary (empty when it gave none).
    pub summary: String,
    /// The findings, not yet anchored (`hunk` is `None`, `outside_changes` false).
    pub findings: Vec<ReviewFinding>,
}

/// Why an answer is not a review.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The reviewer said nothing.
    #[error("the reviewer gave no answer")]
    Empty,
    /// No JSON object in the text.
    #[error("the reviewer's answer holds no JSON object")]
    NoJson,
    /// A JSON object, but not of the findings schema.
    #[error("the reviewer's answer does not follow the findings schema: {0}")]
    Schema(String),
}

/// Reads a text answer: the first JSON object in it that follows the findings schema. When
/// objects are there but none follows it, the error says what was wrong with the first.
pub fn parse_answer(text: &str) -> Result<ReviewAnswer, ParseError> {
    if text.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    let mut first_error = None;
    for (at, _) in text.match_indices('{') {
        let mut values = serde_json::Deserializer::from_str(&text[at..]).into_iter::<Value>();
        let Some(Ok(value)) = values.next() else { continue };
        match parse_value(&value) {
            Ok(answer) => return Ok(answer),
            // An object nested in another one that failed is tried too (`{"review": {...}}`).
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or(ParseError::NoJson))
}

/// Reads a structured answer (a JSON object; a JSON string holding one is read as text).
pub fn parse_value(value: &Value) -> Result<ReviewAnswer, ParseError> {
    let object = match value {
        Value::Object(object) => object,
        Value::String(text) => return parse_answer(text),
        _ => return Err(ParseError::Schema("it is not a JSON object".into())),
    };
    let verdict = match object.get("verdict").and_then(Value::as_str).map(words) {
        Some(v) if v == "approve" || v == "approved" => ReviewVerdict::Approve,
        Some(v) if v == "needsattention" => ReviewVerdict::NeedsAttention,
        Some(_) => return Err(ParseError::Schema("`verdict` is neither approve nor needs-attention".into())),
        None => return Err(ParseError::Schema("`verdict` is missing".into())),
    };
    let summary = text_field(object, &["summary"]).unwrap_or_default();
    let findings = match object.get("findings") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().enumerate().map(|(i, item)| finding(i, item)).collect::<Result<_, _>>()?,
        Some(_) => return Err(ParseError::Schema("`findings` is not a list".into())),
    };
    Ok(ReviewAnswer { verdict, summary, findings })
}

/// A name with case, `-`, `_` and spaces dropped, so `needs-attention`, `needs_attention` and
/// `needsAttention` read the same.
fn words(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The first of `names` that is a string field of `object`.
fn text_field(object: &Map<String, Value>, names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| object.get(*n).and_then(Value::as_str)).map(str::to_owned)
}

/// The first of `names` that is a non-negative whole number of `object` (a number written as
/// a string counts too: models do that).
fn line_field(object: &Map<String, Value>, names: &[&str]) -> Option<u32> {
    names.iter().find_map(|n| match object.get(*n)? {
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

fn finding(index: usize, item: &Value) -> Result<ReviewFinding, ParseError> {
    let bad = |what: &str| ParseError::Schema(format!("finding {}: {what}", index + 1));
    let object = item.as_object().ok_or_else(|| bad("not a JSON object"))?;
    let severity = match object.get("severity").and_then(Value::as_str).map(words).as_deref() {
        Some("critical" | "p0") => ReviewSeverity::Critical,
        Some("high" | "p1") => ReviewSeverity::High,
        Some("medium" | "p2") => ReviewSeverity::Medium,
        Some("low" | "p3") => ReviewSeverity::Low,
        Some(_) => return Err(bad("`severity` is not one of critical, high, medium, low")),
        None => return Err(bad("`severity` is missing")),
    };
    let title = text_field(object, &["title"]).filter(|t| !t.trim().is_empty()).ok_or_else(|| bad("`title` is missing"))?;
    let file = text_field(object, &["file", "path"]).filter(|f| !f.trim().is_empty());
    // Line 0 stands for "no line" in the strict schema.
    let line_start = line_field(object, &["line_start", "lineStart", "line"]).filter(|&l| l > 0);
    let line_end = line_field(object, &["line_end", "lineEnd"]).filter(|&l| l > 0);
    let (line_start, line_end) = match (line_start, line_end) {
        (Some(s), Some(e)) => (Some(s.min(e)), Some(s.max(e))),
        (Some(s), None) | (None, Some(s)) => (Some(s), Some(s)),
        (None, None) => (None, None),
    };
    let confidence = object
        .get("confidence")
        .or_else(|| object.get("confidence_score"))
        .and_then(Value::as_f64)
        .filter(|c| c.is_finite())
        .map(|c| c.clamp(0.0, 1.0));
    Ok(ReviewFinding {
        severity,
        title,
        body: text_field(object, &["body", "description"]).unwrap_or_default(),
        file,
        line_start,
        line_end,
        confidence,
        recommendation: text_field(object, &["recommendation", "suggestion"]).unwrap_or_default(),
        hunk: None,
        outside_changes: false,
    })
}
