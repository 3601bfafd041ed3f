//! Permission commands through the app: project rules written by the engine into the file
//! `warden run` reads, rule parsing errors for the editor, the audit log command, and
//! `warden permissions allow | deny | remove`, which change the same file the same way.

use crate::support::TestApp;
use serde_json::{json, Value};
use std::process::{Command, Stdio};

#[test]
fn project_rules_round_trip_through_the_file_the_headless_command_reads() {
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

/// `warden <args>` with its data folder and no display: exit code, stdout, stderr.
fn warden(data: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_warden"))
        .args(args)
        .env("WARDEN_DATA_DIR", data)
        .env_remove("DISPLAY")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn rules_changed_headless_are_the_ones_the_window_reads_and_a_bad_rule_writes_nothing() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let path = project.path().canonicalize().unwrap();
    let p = path.to_str().unwrap();
    let file = data.path().join("permissions.json");

    let (code, _, stderr) = warden(data.path(), &["permissions", "allow", "Bash(npm test", "--project", p]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("'Bash(npm test' is not a rule") && stderr.contains("closing parenthesis") && stderr.contains("nothing was changed"), "{stderr}");
    assert!(!file.exists(), "nothing written for a bad rule");

    let (code, stdout, stderr) = warden(data.path(), &["permissions", "allow", "  Bash(npm test:*) ", "--project", p]);
    assert_eq!((code, stdout.trim()), (0, "Allowed Bash(npm test:*)"), "{stderr}");
    let (_, stdout, _) = warden(data.path(), &["permissions", "allow", "Bash(npm test:*)", "--project", p]);
    assert_eq!(stdout.trim(), "Already allowed Bash(npm test:*)");
    let (code, stdout, _) = warden(data.path(), &["permissions", "deny", "Bash(*)", "--project", p]);
    assert_eq!((code, stdout.trim()), (0, "Denied Bash"), "the normal form, as the editor shows it");

    // The window reads what the command line wrote, and the command line what the window wrote.
    let app = TestApp::start(data.path(), None);
    let rules: Value = app.call("project_rules_get", json!({ "project": path }));
    assert_eq!(rules, json!({"allow": ["Bash(npm test:*)"], "deny": ["Bash"]}));
    app.call::<Value>("project_rules_set", json!({ "project": path, "rules": {"allow": ["Read(src/**)"], "deny": ["Bash"]} }));
    let (code, stdout, _) = warden(data.path(), &["permissions", "remove", "Bash", "--project", p]);
    assert_eq!((code, stdout.trim()), (0, "Removed Bash"));
    let (_, stdout, _) = warden(data.path(), &["permissions", "remove", "Bash", "--project", p]);
    assert!(stdout.contains("nothing removed"), "{stdout}");
    let (_, stdout, _) = warden(data.path(), &["permissions", "rules", "--project", p, "--json"]);
    assert_eq!(serde_json::from_str::<Value>(&stdout).unwrap(), json!({"allow": ["Read(src/**)"], "deny": []}));

    // A damaged file is refused like everywhere else, and left as it was.
    std::fs::write(&file, "{ not json").unwrap();
    let (code, _, stderr) = warden(data.path(), &["permissions", "deny", "Bash(rm:*)", "--project", p]);
    assert_eq!(code, 2);
    assert!(stderr.contains("will not overwrite"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "{ not json");
}
