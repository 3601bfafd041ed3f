//! The window's checks commands as it calls them: the merged configuration with trust and what
//! trusting would allow; a decision pinned to the hash the person saw (refused when the file
//! changed meanwhile); revoking; and a check's log read in pages from Warden's own log folder
//! only.

use crate::support::TestApp;
use serde_json::{json, Value};
use std::io::Write;
use std::path::Path;

const CHECKS: &str = r#"version = 1

[[check]]
id = "tests"
run = ["cargo", "test", "--quiet"]
env = { RUST_BACKTRACE = "1" }

[[webhook]]
id = "chat"
url = "https://hooks.example.com/warden"
events = ["task.finished"]
secret = { env = "CHAT_SECRET" }
"#;

fn project_with(checks: &str) -> tempfile::TempDir {
    let project = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(project.path().join(".warden")).unwrap();
    std::fs::write(project.path().join(".warden/checks.toml"), checks).unwrap();
    project
}

fn overview(app: &TestApp, project: &Path) -> Value {
    app.call("checks_overview", json!({ "project": project }))
}

#[test]
fn an_untrusted_file_lists_its_entries_as_not_runnable_with_every_command_and_url_to_review() {
    let data = tempfile::tempdir().unwrap();
    let project = project_with(CHECKS);
    let app = TestApp::start(data.path(), None);
    let view = overview(&app, project.path());
    assert_eq!(view["trust"], "notTrusted", "{view}");
    assert_eq!(view["valid"], true);
    assert_eq!(view["maxRounds"], 3);
    assert_eq!(view["budgetUsd"], Value::Null, "no budget set");
    let entries = view["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert!(entries.iter().all(|e| e["mayRun"] == false && e["source"] == "project" && e["notTrusted"].is_string()), "{view}");
    let request = &view["request"];
    assert_eq!(request["commands"][0]["command"], "cargo test --quiet");
    assert_eq!(request["commands"][0]["env"], json!(["RUST_BACKTRACE"]));
    assert_eq!(request["urls"][0]["url"], "https://hooks.example.com/warden");
    assert_eq!(request["sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn trust_is_pinned_to_the_hash_shown_and_refused_when_the_file_changed_meanwhile() {
    let data = tempfile::tempdir().unwrap();
    let project = project_with(CHECKS);
    let app = TestApp::start(data.path(), None);
    let shown = overview(&app, project.path())["request"]["sha256"].as_str().unwrap().to_owned();

    // The file changes after it was shown: nothing is decided.
    std::fs::write(project.path().join(".warden/checks.toml"), CHECKS.replace("--quiet", "--release")).unwrap();
    let err = app.invoke("checks_trust", json!({ "project": project.path(), "decision": "trust", "sha256": shown })).unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("changed since it was shown"), "{err}");
    assert_eq!(overview(&app, project.path())["trust"], "notTrusted");

    // Without the hash of what was shown, nothing is decided either.
    assert!(app.invoke("checks_trust", json!({ "project": project.path(), "decision": "trust", "sha256": null })).is_err());

    let now = overview(&app, project.path())["request"]["sha256"].as_str().unwrap().to_owned();
    assert_ne!(now, shown);
    let view: Value = app.call("checks_trust", json!({ "project": project.path(), "decision": "trust", "sha256": now }));
    assert_eq!(view["trust"], "trusted", "{view}");
    assert!(view["entries"].as_array().unwrap().iter().all(|e| e["mayRun"] == true));

    // A later change makes it untrusted again, as changed.
    std::fs::write(project.path().join(".warden/checks.toml"), CHECKS.replace("--quiet", "--verbose")).unwrap();
    assert_eq!(overview(&app, project.path())["trust"], "changed");

    let view: Value = app.call("checks_trust", json!({ "project": project.path(), "decision": "revoke", "sha256": null }));
    assert_eq!(view["trust"], "notTrusted");
}

#[test]
fn dont_run_is_remembered_and_a_file_with_errors_offers_nothing_to_trust() {
    let data = tempfile::tempdir().unwrap();
    let project = project_with(CHECKS);
    let app = TestApp::start(data.path(), None);
    let shown = overview(&app, project.path())["request"]["sha256"].clone();
    let view: Value = app.call("checks_trust", json!({ "project": project.path(), "decision": "dontRun", "sha256": shown }));
    assert_eq!(view["trust"], "refused");

    let broken = project_with("version = 1\n[[check]]\nid = \"x\"\ntimeout = \"soon\"\n");
    let view = overview(&app, broken.path());
    assert_eq!(view["valid"], false);
    assert!(view["request"].is_null(), "{view}");
    assert!(view["errors"][0]["line"].is_number(), "{view}");

    let none = tempfile::tempdir().unwrap();
    let view = overview(&app, none.path());
    assert_eq!(view["trust"], "noFile");
    assert!(view["entries"].as_array().unwrap().is_empty());
}

#[test]
fn a_log_is_read_in_pages_from_the_checks_log_folder_and_nothing_else_is() {
    let data = tempfile::tempdir().unwrap();
    let app = TestApp::start(data.path(), None);
    let logs = data.path().join("checks/logs/p-0011");
    std::fs::create_dir_all(&logs).unwrap();
    let log = logs.join("tests-1.log");
    let text = "é".repeat(40_000); // 80 000 bytes: two pages, the first cut on a whole character
    std::fs::write(&log, &text).unwrap();
    let first: Value = app.call("checks_log", json!({ "path": log, "offset": 0 }));
    let next = first["nextOffset"].as_u64().unwrap();
    assert_eq!(first["size"], 80_000);
    assert!(next < 80_000 && next.is_multiple_of(2), "{next}");
    let second: Value = app.call("checks_log", json!({ "path": log, "offset": next }));
    assert_eq!(second["nextOffset"], 80_000);
    assert_eq!(format!("{}{}", first["text"].as_str().unwrap(), second["text"].as_str().unwrap()), text);

    let outside = data.path().join("sessions.db");
    std::fs::write(&outside, "secret").unwrap();
    for path in [outside.clone(), logs.join("../../../sessions.db"), "/etc/passwd".into()] {
        let err = app.invoke("checks_log", json!({ "path": path, "offset": 0 })).unwrap_err();
        assert!(err["message"].as_str().unwrap().contains("is not a check's log"), "{path:?}: {err}");
    }
    #[cfg(unix)]
    {
        let link = logs.join("sneaky.log");
        std::os::unix::fs::symlink(&outside, &link).unwrap();
        assert!(app.invoke("checks_log", json!({ "path": link, "offset": 0 })).is_err(), "a link out of the folder is refused");
    }
}

#[test]
fn a_growing_log_is_read_on_from_where_the_last_read_ended() {
    let data = tempfile::tempdir().unwrap();
    let app = TestApp::start(data.path(), None);
    let logs = data.path().join("checks/logs/p-0012");
    std::fs::create_dir_all(&logs).unwrap();
    let log = logs.join("tests-1.log");
    std::fs::write(&log, "compiling\n").unwrap();
    let first: Value = app.call("checks_log", json!({ "path": log, "offset": 0 }));
    assert_eq!((first["text"].as_str(), first["nextOffset"].as_u64()), (Some("compiling\n"), Some(10)));
    // The check writes on while the window reads.
    std::fs::OpenOptions::new().append(true).open(&log).unwrap().write_all(b"running 1 test\n").unwrap();
    let second: Value = app.call("checks_log", json!({ "path": log, "offset": 10 }));
    assert_eq!(second["text"], "running 1 test\n");
    assert_eq!((second["nextOffset"].as_u64(), second["size"].as_u64()), (Some(25), Some(25)));
    let at_end: Value = app.call("checks_log", json!({ "path": log, "offset": 25 }));
    assert_eq!((at_end["text"].as_str(), at_end["nextOffset"].as_u64()), (Some(""), Some(25)), "nothing new: nothing read");
}

#[test]
fn the_overview_carries_the_cost_budget_when_one_is_set() {
    let data = tempfile::tempdir().unwrap();
    let project = project_with("version = 1\n[gate]\nbudget_usd = 0.5\n");
    let app = TestApp::start(data.path(), None);
    assert_eq!(overview(&app, project.path())["budgetUsd"], 0.5);
}

#[test]
fn gate_actions_on_a_session_that_is_not_running_say_so() {
    let data = tempfile::tempdir().unwrap();
    let app = TestApp::start(data.path(), None);
    let err = app.invoke("task_feedback", json!({ "sessionId": "nope", "task": 1, "decision": "send", "text": "fix it" })).unwrap_err();
    assert_eq!(err["code"], "sessionNotRunning", "{err}");
    let err = app.invoke("task_rerun", json!({ "sessionId": "nope", "task": 1, "onlyFailed": true })).unwrap_err();
    assert_eq!(err["code"], "sessionNotRunning", "{err}");
}
