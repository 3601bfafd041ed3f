//! A sync endpoint's answer: a review server's `{verdict, summary, findings[]}`, typed, for the
//! gate to turn into findings.

use serde::{Deserialize, Serialize};

/// A review server's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Verdict {
    /// Nothing blocks.
    #[serde(alias = "pass", alias = "approved")]
    Approve,
    /// Findings that need the agent's (or the person's) attention.
    #[serde(alias = "needs_attention", alias = "fail", alias = "changes_requested")]
    NeedsAttention,
    /// The server could not review.
    Error,
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Must be fixed.
    Critical,
    /// Should be fixed.
    High,
    /// Worth fixing.
    Medium,
    /// Minor.
    Low,
    /// A remark.
    #[serde(alias = "note")]
    Info,
}

/// One finding of a review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// How serious it is.
    pub severity: Severity,
    /// One line.
    pub title: String,
    /// The explanation.
    #[serde(default)]
    pub body: String,
    /// The file it is about, relative to the project.
    #[serde(default)]
    pub file: Option<String>,
    /// The line it is about (1-based).
    #[serde(default)]
    pub line: Option<u32>,
}

/// A review server's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    /// The verdict.
    pub verdict: Verdict,
    /// A short summary.
    #[serde(default)]
    pub summary: String,
    /// The findings, if any.
    #[serde(default)]
    pub findings: Vec<Finding>,
}

/// Parses a 2xx answer's body.
pub fn parse(body: &[u8]) -> Result<Review, String> {
    serde_json::from_slice(body)
        .map_err(|e| format!("the answer is not a review ({{verdict, summary, findings}}): {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn review_answers_parse_into_findings() {
        let r = parse(br#"{"verdict":"needsAttention","summary":"one bug","findings":[{"severity":"high","title":"t","body":"b","file":"src/a.rs","line":3}]}"#).unwrap();
        assert_eq!(r.verdict, Verdict::NeedsAttention);
        assert_eq!(
            r.findings[0],
            Finding {
                severity: Severity::High,
                title: "t".into(),
                body: "b".into(),
                file: Some("src/a.rs".into()),
                line: Some(3)
            }
        );
        assert_eq!(parse(br#"{"verdict":"approve"}"#).unwrap().findings, vec![]);
        assert!(parse(b"ok").is_err());
        assert!(parse(br#"{"verdict":"maybe"}"#).is_err());
    }
}
