//! `warden review`: a headless review of a `warden run` task by the real Claude on the mock
//! model — the reviewer's events and a `review.completed` line with findings anchored to the
//! task's hunks, exit 3 when something needs attention, 0 when it approves, 1 without a verdict.

use crate::headless::Setup;
use serde_json::{json, Value};
use std::process::Output;
use warden_mock_models::Reply;

/// `warden <args>`: its exit code, stdout and stderr.
fn run_text(s: &Setup, args: &[&str]) -> (i32, String, String) {
    let mut child = s.warden(args).spawn().unwrap();
    drop(child.stdin.take());
    let Output { status, stdout, stderr } = child.wait_with_output().unwrap();
    (status.code().unwrap_or(-1), String::from_utf8(stdout).unwrap(), String::from_utf8(stderr).unwrap())
}

/// `warden <args> --json`: its exit code, stdout lines as JSON and stderr.
pub(crate) fn warden(s: &Setup, args: &[&str]) -> (i32, Vec<Value>, String) {
    let (code, stdout, stderr) = run_text(s, args);
    let lines = stdout.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    (code, lines, stderr)
}

/// A `warden run` task that writes `src/lib.rs` and makes `notes.txt` with a command; its
/// session id.
pub(crate) fn coded(s: &Setup) -> String {
    let project = s.project();
    std::fs::create_dir_all(project.join("src")).unwrap();
    std::fs::write(project.join("src/lib.rs"), "one\ntwo\nthree\n").unwrap();
    s.mock.push(Reply::tool("Write", json!({"file_path": project.join("src/lib.rs"), "content": "one\nTWO\nthree\n"})));
    s.mock.push(Reply::tool("Bash", json!({"command": "echo note > notes.txt", "description": "Write notes"})));
    s.mock.push(Reply::text("Done."));
    let (code, events, stderr) = warden(s, &["run", "--project", project.to_str().unwrap(), "--json", "--approve", "allow", "Do the work"]);
    assert_eq!(code, 0, "stderr: {stderr}");
    assert!(project.join("notes.txt").exists());
    events[0]["sessionId"].as_str().expect("events name their session").to_owned()
}

#[test]
fn a_review_prints_its_events_and_anchored_findings_and_exits_3_when_something_needs_attention() {
    let s = Setup::new();
    let session = coded(&s);
    s.mock.push(Reply::tool(
        "StructuredOutput",
        json!({"verdict": "needs-attention", "summary": "TWO is shouting.", "findings": [
            {"severity": "medium", "title": "Shouting", "body": "", "file": "src/lib.rs", "line_start": 2, "line_end": 2,
             "confidence": 0.8, "recommendation": "Lower case."}]}),
    ));
    let project = s.project();
    let args = ["review", "--project", project.to_str().unwrap(), "--session", &session, "--task", "1", "--agent", "claude", "--json"];
    let (code, lines, stderr) = warden(&s, &args);
    assert_eq!(code, 3, "stderr: {stderr}");
    let last = lines.last().unwrap();
    assert_eq!(last["type"], "review.completed");
    assert_eq!(last["review"]["verdict"], "needsAttention");
    let finding = &last["review"]["findings"][0];
    assert_eq!((&finding["hunk"], &finding["outsideChanges"]), (&json!("src/lib.rs#1"), &json!(false)));
    let hunks: Vec<&str> = last["hunks"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(hunks, ["src/lib.rs#1", "notes.txt#1"], "the shell-made change is part of the task");
    let reviewer = last["review"]["reviewer"]["sessionId"].as_str().unwrap();
    assert_ne!(reviewer, session);
    assert!(lines[..lines.len() - 1].iter().all(|e| e["sessionId"] == reviewer), "the other lines are the reviewer's events");
    assert!(lines.iter().any(|e| e["kind"]["type"] == "turnEnded"));
}

#[test]
fn a_review_exits_0_when_the_reviewer_approves_and_1_without_a_verdict() {
    let s = Setup::new();
    let session = coded(&s);
    s.mock.push(Reply::tool("StructuredOutput", json!({"verdict": "approve", "summary": "Fine.", "findings": []})));
    let project = s.project();
    let project = project.to_str().unwrap();
    let (code, stdout, stderr) = run_text(&s, &["review", "--project", project, "--session", &session, "--agent", "claude"]);
    assert_eq!(code, 0, "stderr: {stderr}");
    assert!(stdout.starts_with("The reviewer claude approves"), "{stdout}");

    let (code, lines, stderr) = warden(&s, &["review", "--project", project, "--session", &session, "--task", "7", "--agent", "claude", "--json"]);
    assert_eq!(code, 1, "stderr: {stderr}");
    assert_eq!(lines.last().unwrap()["type"], "review.failed");
    assert!(stderr.contains("no task 7"), "{stderr}");
}
