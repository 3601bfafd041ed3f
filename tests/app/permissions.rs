//! Permission commands through the app: project rules kept with tauri-plugin-store in the file
//! `warden run` reads, rule parsing errors for the editor, and the audit log command.

use crate::support::TestApp;
use serde_json::{json, Value};

#[test]
fn project_rules_round_trip_through_the_store_file_the_headless_command_reads() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let path = project.path().canonicalize().unwrap();
    let app = TestApp::start(data.path(), None);
    let empty: Value = app.call("project_rules_get", json!({ "project": path }));
    assert_eq!(empty, json!({"allow": [], "deny": []}), "a project without rules");
    let rules = json!({"allow": ["Bash(npm test:*)", "Read(src/**)"], "deny": ["Bash(rm:*)"]});
    app.call::<Value>("project_rules_set", json!({ "project": path, "rules": rules }));
    let back: Value = app.call("project_rules_get", json!({ "project": path }));
    assert_eq!(back, rules);
    let file: Value = serde_json::from_str(&std::fs::read_to_string(data.path().join("permissions.json")).unwrap()).unwrap();
    assert_eq!(file[path.to_str().unwrap()], rules, "kept under the project's folder, where `warden run` looks");
    let engine = warden_engine::permission::RulesFile::new(data.path().join("permissions.json"));
    let read = warden_engine::permission::ProjectRules::rules(&engine, &path).unwrap();
    assert_eq!(serde_json::to_value(read).unwrap(), rules, "the headless reader sees the same rules");
}

#[test]
fn a_malformed_rule_is_refused_with_a_message_the_editor_can_show() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let app = TestApp::start(data.path(), None);
    let err = app.invoke("rule_parse", json!({ "text": "Bash(npm test" })).unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("closing parenthesis"), "{err}");
    let normal: String = app.call("rule_parse", json!({ "text": "  Bash(*) " }));
    assert_eq!(normal, "Bash", "the normal form comes back");
    let refused = app.invoke("project_rules_set", json!({ "project": project.path(), "rules": {"allow": ["Bash(npm"]} }));
    assert!(refused.is_err(), "a set with a malformed rule is not saved");
    assert!(!data.path().join("permissions.json").exists());
}

#[test]
fn the_audit_log_of_a_project_without_sessions_is_empty_and_an_unknown_session_is_an_error() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let app = TestApp::start(data.path(), None);
    let log: Vec<Value> = app.call("permission_log", json!({ "project": project.path(), "sessionId": null }));
    assert!(log.is_empty());
    let err = app.invoke("permission_log", json!({ "project": project.path(), "sessionId": "nope" })).unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("nope"), "{err}");
    let waiting: Vec<Value> = app.call("permissions_waiting", json!({}));
    assert!(waiting.is_empty(), "nothing waits in a fresh window");
}
