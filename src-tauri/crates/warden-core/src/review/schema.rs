//! The JSON Schema of a reviewer's answer: one text for every agent (Claude's `--json-schema`,
//! Codex's `outputSchema`, the prompt of an ACP agent).
//!
//! Written for OpenAI's strict structured outputs, which Codex's `outputSchema` uses: every
//! property is required and no other is allowed; a finding about the change as a whole gives
//! an empty `file` and line 0. The names are snake_case like the review schemas models already
//! know (Codex's own review prompt, codex-plugin-cc); [`super::parse_answer`] also accepts
//! camelCase.

/// The JSON Schema of the answer.
pub const REVIEW_SCHEMA: &str = r#"{
  "type": "object",
  "additionalProperties": false,
  "required": ["verdict", "summary", "findings"],
  "properties": {
    "verdict": {"type": "string", "enum": ["approve", "needs-attention"], "description": "approve when nothing needs to change; needs-attention otherwise"},
    "summary": {"type": "string", "description": "What the changes do and what you think of them, in a few sentences"},
    "findings": {
      "type": "array",
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": ["severity", "title", "body", "file", "line_start", "line_end", "confidence", "recommendation"],
        "properties": {
          "severity": {"type": "string", "enum": ["critical", "high", "medium", "low"]},
          "title": {"type": "string", "description": "One line"},
          "body": {"type": "string", "description": "What is wrong and why"},
          "file": {"type": "string", "description": "Project-relative path of the file, or empty for the change as a whole"},
          "line_start": {"type": "integer", "minimum": 0, "description": "First line, in the file after the change (0: no line)"},
          "line_end": {"type": "integer", "minimum": 0, "description": "Last line, in the file after the change"},
          "confidence": {"type": "number", "minimum": 0, "maximum": 1},
          "recommendation": {"type": "string", "description": "What to do about it"}
        }
      }
    }
  }
}"#;

/// [`REVIEW_SCHEMA`] as a JSON value (for Codex's `outputSchema`).
pub fn schema_value() -> serde_json::Value {
    // The constant is checked by a unit test; a broken one would be a build mistake.
    serde_json::from_str(REVIEW_SCHEMA).unwrap_or(serde_json::Value::Null)
}
