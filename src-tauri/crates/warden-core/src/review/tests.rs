//! Reading reviewers' answers and anchoring their findings, over crafted inputs.

use super::*;
use serde_json::json;

fn hunk(path: &str, index: u32, old: (u32, u32), new: (u32, u32)) -> DiffHunk {
    DiffHunk {
        id: DiffHunk::id_for(path, index),
        path: path.into(),
        index,
        fingerprint: format!("fp{index}"),
        old_start: old.0,
        old_lines: old.1,
        new_start: new.0,
        new_lines: new.1,
    }
}

fn finding(file: Option<&str>, lines: Option<(u32, u32)>) -> ReviewFinding {
    ReviewFinding {
        severity: ReviewSeverity::High,
        title: "t".into(),
        body: String::new(),
        file: file.map(str::to_owned),
        line_start: lines.map(|l| l.0),
        line_end: lines.map(|l| l.1),
        confidence: None,
        recommendation: String::new(),
        hunk: None,
        outside_changes: false,
    }
}

#[test]
fn the_schema_is_json_and_requires_every_field_for_strict_structured_outputs() {
    let schema = schema_value();
    assert_eq!(schema["required"], json!(["verdict", "summary", "findings"]));
    let item = &schema["properties"]["findings"]["items"];
    let properties: Vec<&String> = item["properties"].as_object().unwrap().keys().collect();
    let required: Vec<&str> = item["required"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(properties.len(), required.len());
    assert!(properties.iter().all(|p| required.contains(&p.as_str())));
}

#[test]
fn a_structured_answer_is_read_with_its_findings() {
    let value = json!({"verdict": "needs-attention", "summary": "s", "findings": [
        {"severity": "high", "title": "add() subtracts", "body": "b", "file": "src/lib.rs", "line_start": 3, "line_end": 2,
         "confidence": 1.5, "recommendation": "r"},
        {"severity": "P3", "title": "nit", "body": "", "file": "", "line_start": 0, "line_end": 0, "confidence": 0.2, "recommendation": ""}
    ]});
    let answer = parse_value(&value).unwrap();
    assert_eq!(answer.verdict, ReviewVerdict::NeedsAttention);
    let first = &answer.findings[0];
    assert_eq!((first.line_start, first.line_end, first.confidence), (Some(2), Some(3), Some(1.0)), "swapped and clamped");
    let second = &answer.findings[1];
    assert_eq!((second.severity, second.file.as_deref(), second.line_start), (ReviewSeverity::Low, None, None));
}

#[test]
fn camel_case_and_other_spellings_of_the_verdict_are_read() {
    for verdict in ["needsAttention", "needs_attention", "Needs attention"] {
        let answer = parse_value(&json!({"verdict": verdict, "findings": [{"severity": "Critical", "title": "x", "lineStart": "7"}]})).unwrap();
        assert_eq!(answer.verdict, ReviewVerdict::NeedsAttention);
        assert_eq!(answer.findings[0].line_start, Some(7));
    }
    assert_eq!(parse_value(&json!({"verdict": "approve"})).unwrap().findings, []);
}

#[test]
fn the_first_review_object_in_a_text_is_read_fenced_or_not() {
    let text = "Here is my review {of sorts}:\n```json\n{\"verdict\": \"approve\", \"summary\": \"fine {really}\", \"findings\": []}\n```\nThanks.";
    let answer = parse_answer(text).unwrap();
    assert_eq!((answer.verdict, answer.summary.as_str()), (ReviewVerdict::Approve, "fine {really}"));
    // A JSON string holding the object (Claude's `result`) is read as text.
    assert!(parse_value(&json!("{\"verdict\":\"approve\"}")).is_ok());
}

#[test]
fn garbage_is_an_error_never_a_pass() {
    assert_eq!(parse_answer("  "), Err(ParseError::Empty));
    assert_eq!(parse_answer("Looks good to me!"), Err(ParseError::NoJson));
    assert_eq!(parse_answer("{not json at all}"), Err(ParseError::NoJson));
    assert!(matches!(parse_answer("{\"verdict\": \"lgtm\"}"), Err(ParseError::Schema(_))));
    assert!(matches!(parse_answer("{\"summary\": \"no verdict\"}"), Err(ParseError::Schema(_))));
    assert!(matches!(parse_value(&json!({"verdict": "approve", "findings": [{"severity": "bad", "title": "x"}]})), Err(ParseError::Schema(_))));
    assert!(matches!(parse_value(&json!({"verdict": "approve", "findings": [{"severity": "low"}]})), Err(ParseError::Schema(_))));
    assert!(matches!(parse_value(&json!([1, 2])), Err(ParseError::Schema(_))));
}

#[test]
fn findings_are_anchored_to_the_hunk_their_lines_overlap_or_marked_outside() {
    let hunks = [
        hunk("src/lib.rs", 1, (2, 1), (2, 2)),
        hunk("src/lib.rs", 2, (20, 0), (21, 3)),
        hunk("made.txt", 1, (0, 0), (1, 2)),
        hunk("gone.txt", 1, (1, 3), (0, 0)),
    ];
    let mut findings = vec![
        finding(Some("src/lib.rs"), Some((3, 9))),
        finding(Some("/p/src/lib.rs"), Some((22, 30))),
        finding(Some("./src/lib.rs"), Some((10, 12))),
        finding(Some("b/made.txt"), Some((2, 2))),
        finding(Some("gone.txt"), Some((3, 3))),
        finding(Some("src/other.rs"), Some((1, 1))),
        finding(Some("src/lib.rs"), None),
        finding(None, None),
        // Two lines before the second hunk: its place, by the context a diff shows.
        finding(Some("src/lib.rs"), Some((19, 19))),
    ];
    anchor(&mut findings, &hunks, "/p/");
    let placed: Vec<(Option<&str>, Option<&str>, bool)> =
        findings.iter().map(|f| (f.file.as_deref(), f.hunk.as_deref(), f.outside_changes)).collect();
    assert_eq!(
        placed,
        [
            (Some("src/lib.rs"), Some("src/lib.rs#1"), false),
            (Some("src/lib.rs"), Some("src/lib.rs#2"), false),
            (Some("src/lib.rs"), None, true),
            (Some("made.txt"), Some("made.txt#1"), false),
            (Some("gone.txt"), Some("gone.txt#1"), false),
            (Some("src/other.rs"), None, true),
            (Some("src/lib.rs"), None, false),
            (None, None, false),
            (Some("src/lib.rs"), Some("src/lib.rs#2"), false),
        ]
    );
}

#[test]
fn a_folder_named_like_a_diff_prefix_is_kept() {
    assert_eq!(normalize_path("b/x.rs", "/p", &["b/x.rs"]), "b/x.rs");
    assert_eq!(normalize_path("b/x.rs", "/p", &["x.rs"]), "x.rs");
    assert_eq!(normalize_path("/elsewhere/x.rs", "/p", &["x.rs"]), "/elsewhere/x.rs");
}

#[test]
fn review_types_are_camel_case_on_the_wire() {
    let mut f = finding(Some("a"), Some((1, 2)));
    f.outside_changes = true;
    let text = serde_json::to_value(&f).unwrap();
    assert_eq!(text["lineStart"], 1);
    assert_eq!(text["outsideChanges"], true);
    assert_eq!(serde_json::to_value(ReviewVerdict::NeedsAttention).unwrap(), "needsAttention");
    assert_eq!(serde_json::to_value(ReviewScope::Task { task: crate::session::TaskId(3) }).unwrap(), json!({"type": "task", "task": 3}));
    assert_eq!(serde_json::to_value(ReviewScope::Base { base: "main".into() }).unwrap(), json!({"type": "base", "base": "main"}));
}
