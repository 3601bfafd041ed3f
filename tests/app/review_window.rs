//! The window's review commands as it calls them: a review of a `warden run` task started in the
//! background returns its id at once and is reported in the reviewed session's stream (started,
//! then finished — here with a reviewer that cannot answer in the findings schema, which is an
//! error, never a pass), the reviewer's session linked; a scope with nothing to review is
//! refused; false-positive marks are kept per task; the reviewers offered are usable agents.

use crate::headless::Setup;
use crate::support::TestApp;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use warden_mock_models::Reply;

/// A `warden run` task that writes `src/lib.rs`; its session id.
fn coded(s: &Setup) -> String {
    let project = s.project();
    std::fs::create_dir_all(project.join("src")).unwrap();
    std::fs::write(project.join("src/lib.rs"), "one\ntwo\n").unwrap();
    s.mock.push(Reply::tool("Write", json!({"file_path": project.join("src/lib.rs"), "content": "one\nTWO\n"})));
    s.mock.push(Reply::text("Done."));
    let output = s.warden(&["run", "--project", project.to_str().unwrap(), "--json", "--approve", "allow", "Shout two"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    let first: Value = serde_json::from_str(String::from_utf8(output.stdout).unwrap().lines().next().unwrap()).unwrap();
    first["sessionId"].as_str().unwrap().to_owned()
}

/// The session's stored events, once one of type `ty` is there.
fn events_until(app: &TestApp, session: &str, ty: &str) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let events: Vec<Value> = app.call("session_events", json!({ "sessionId": session, "afterSeq": 0 }));
        if events.iter().any(|e| e["kind"]["type"] == ty) {
            return events;
        }
        assert!(Instant::now() < deadline, "no {ty} in {events:#?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_review_started_from_the_window_is_reported_in_the_reviewed_sessions_stream() {
    // The reviewer is the fake agent, which answers in words: the review is an error.
    std::env::set_var("WARDEN_CLAUDE", warden_mock_models::agents::fake_agent_program());
    let s = Setup::new();
    let session = coded(&s);
    let app = TestApp::start(s.data.path(), None);
    let scope = json!({ "type": "task", "task": 1 });
    let args = json!({ "sessionId": session, "scope": scope, "agent": "claude", "agentName": null, "model": " ", "instructions": "Look at TWO." });
    let review: String = app.call("review_start", args);
    assert_eq!(review, "review-1");

    let events = events_until(&app, &session, "reviewFinished");
    let started = events.iter().find(|e| e["kind"]["type"] == "reviewStarted").expect("reviewStarted first");
    let finished = events.iter().find(|e| e["kind"]["type"] == "reviewFinished").unwrap();
    assert!(started["seq"].as_u64() < finished["seq"].as_u64());
    let data = &finished["kind"]["data"];
    assert_eq!((&data["review"], &data["task"], &data["gate"]), (&json!("review-1"), &json!(1), &json!(false)));
    assert_eq!(data["reviewer"]["model"], Value::Null, "a blank model is the agent's default");
    assert_eq!(data["outcome"]["status"], "error", "a reviewer that cannot answer is an error, never a pass: {data}");
    let reviewer = started["kind"]["data"]["reviewer"]["sessionId"].as_str().expect("the reviewer's session is named").to_owned();
    assert_ne!(reviewer, session);
    let sessions: Vec<Value> = app.call("session_list", json!({ "project": s.project() }));
    let record = sessions.iter().find(|r| r["id"] == reviewer.as_str()).expect("the reviewer's session is listed");
    assert_eq!(record["reviews"], session.as_str(), "the reviewer's record names the reviewed session");

    // A task the session does not have is refused at once, not reported.
    let bad = json!({ "sessionId": session, "scope": { "type": "task", "task": 9 }, "agent": "claude", "agentName": null, "model": null, "instructions": null });
    assert!(app.invoke("review_start", bad).is_err());
    let count = |events: &[Value]| events.iter().filter(|e| e["kind"]["type"] == "reviewStarted").count();
    assert_eq!(count(&app.call::<Vec<Value>>("session_events", json!({ "sessionId": session, "afterSeq": 0 }))), 1);
}

#[test]
fn false_positives_are_kept_per_task_and_can_be_taken_back() {
    let s = Setup::new();
    let session = coded(&s);
    let app = TestApp::start(s.data.path(), None);
    let none: Vec<Value> = app.call("review_false_positives", json!({ "sessionId": session, "task": 1 }));
    assert!(none.is_empty());
    let marked: Vec<Value> =
        app.call("review_mark_false_positive", json!({ "sessionId": session, "task": 1, "file": "src/lib.rs", "title": " Shouting ", "marked": true }));
    assert_eq!(marked, [json!({ "key": "src/lib.rs\nshouting", "file": "src/lib.rs", "title": " Shouting " })]);
    let other: Vec<Value> = app.call("review_false_positives", json!({ "sessionId": session, "task": 2 }));
    assert!(other.is_empty(), "marks are per task");
    let left: Vec<Value> =
        app.call("review_mark_false_positive", json!({ "sessionId": session, "task": 1, "file": "src/lib.rs", "title": "shouting", "marked": false }));
    assert!(left.is_empty(), "the same finding, however its title is spaced or cased");
}

#[test]
fn the_reviewers_offered_are_agents_that_can_start() {
    let data = tempfile::tempdir().unwrap();
    let app = TestApp::start(data.path(), None);
    let agents: Vec<Value> = app.call("review_agents", json!({}));
    assert!(agents.iter().all(|a| a["status"]["state"] == "ready" || a["status"]["state"] == "loginUnknown"), "{agents:#?}");
}
