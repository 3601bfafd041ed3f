//! The Agents commands through the mock runtime (custom agents kept by the engine in
//! `custom-agents.json`, moved there from the settings' `warden.json` of earlier versions,
//! checked names, the agent of a new session), and `warden run --agent` / `warden agents` as a
//! script uses them.

use crate::support::TestApp;
use serde_json::{json, Value};
use std::process::{Command, Stdio};

fn mine() -> Value {
    json!({ "name": "Mine", "command": "/bin/cat", "args": ["--acp"], "env": [{ "name": "MODE", "value": "fast" }] })
}

#[test]
fn custom_agents_are_checked_kept_by_the_engine_and_listed() {
    let data = tempfile::tempdir().unwrap();
    let app = TestApp::start(data.path(), None);
    let saved: Value = app.call("custom_agent_save", json!({ "replacing": null, "agent": mine() }));
    assert_eq!(saved["name"], "Mine");

    // Built-in names and duplicates are refused with a message for the person.
    let err = app.invoke("custom_agent_save", json!({ "replacing": null, "agent": { "name": "Gemini CLI", "command": "x" } })).unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("built-in agent Gemini CLI"), "{err}");
    let err = app.invoke("custom_agent_save", json!({ "replacing": null, "agent": { "name": "mine", "command": "x" } })).unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("already a custom agent"), "{err}");
    let err = app.invoke("custom_agent_save", json!({ "replacing": null, "agent": { "name": "Other", "command": " " } })).unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("command"), "{err}");

    // What the window saved is in the engine's file, where `warden run` reads it; the
    // settings hold no copy.
    assert_eq!(agents_file(data.path()), json!([mine()]));
    let settings: Value = serde_json::from_str(&std::fs::read_to_string(data.path().join("warden.json")).unwrap()).unwrap();
    assert!(settings.get("customAgents").is_none(), "{settings}");

    let listed: Vec<Value> = app.call("agents_list", json!({}));
    let kinds: Vec<&str> = listed.iter().map(|v| v["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["claude", "codex", "gemini", "claudeAcp", "codexAcp", "goose", "opencode", "custom"]);
    let custom = &listed[7];
    assert_eq!((&custom["name"], &custom["program"], &custom["status"]["state"]), (&json!("Mine"), &json!("/bin/cat"), &json!("loginUnknown")));

    // Edited under a new name, then removed.
    let renamed = json!({ "name": "Renamed", "command": "/bin/cat" });
    app.call::<Value>("custom_agent_save", json!({ "replacing": "Mine", "agent": renamed }));
    let err = app.invoke("custom_agent_remove", json!({ "name": "Mine" })).unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("no custom agent named 'Mine'"), "{err}");
    app.call::<Value>("custom_agent_remove", json!({ "name": "Renamed" }));
    assert_eq!(agents_file(data.path()), json!([]));
}

/// The engine's custom agents file of a data folder.
fn agents_file(data: &std::path::Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(data.join("custom-agents.json")).unwrap()).unwrap()
}

#[test]
fn the_settings_custom_agents_move_to_the_engines_file_at_start_and_the_command_line_sees_them() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("warden.json"), json!({ "recentProjects": [], "customAgents": [mine()] }).to_string()).unwrap();
    let app = TestApp::start(data.path(), None);
    assert_eq!(agents_file(data.path()), json!([mine()]), "moved at the first start");
    let listed: Vec<Value> = app.call("agents_list", json!({}));
    assert_eq!(listed[7]["name"], "Mine");

    // A change in the window is what `warden agents` lists next, the settings' old entry aside.
    app.call::<Value>("custom_agent_save", json!({ "replacing": "Mine", "agent": { "name": "Edited", "command": "/bin/cat" } }));
    let (code, stdout, stderr) = warden(data.path(), &["agents", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    let names: Vec<String> = stdout.lines().filter_map(|l| serde_json::from_str::<Value>(l).ok()).filter(|v| v["custom"].is_object()).map(|v| v["name"].as_str().unwrap().to_owned()).collect();
    assert_eq!(names, ["Edited"]);
}

#[test]
fn malformed_custom_agents_are_reported_and_never_overwritten() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("warden.json"), r#"{"customAgents":[{"name":"no command"}]}"#).unwrap();
    let app = TestApp::start(data.path(), None);
    let view: Value = app.call("workspace_snapshot", json!({}));
    let notices = view["notices"].to_string();
    assert!(notices.contains("Custom agents could not be read"), "{notices}");
    let err = app.invoke("custom_agent_save", json!({ "replacing": null, "agent": mine() })).unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("malformed"), "{err}");
    // The store rewrites the file as a whole (the recent list is saved at start), but what the
    // person wrote under customAgents is kept as it was.
    let file: Value = serde_json::from_str(&std::fs::read_to_string(data.path().join("warden.json")).unwrap()).unwrap();
    assert_eq!(file["customAgents"], json!([{ "name": "no command" }]));
    assert!(!data.path().join("custom-agents.json").exists(), "nothing moved or saved while they cannot be read");
}

#[test]
fn a_session_start_checks_the_agent_name_and_sandbox_against_the_agent() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let app = TestApp::start(data.path(), None);
    let start = |agent: Value, name: Value, sandbox: Value| {
        app.invoke(
            "session_start",
            json!({ "project": project.path(), "permissionMode": "default", "model": null, "agent": agent, "agentName": name, "sandbox": sandbox }),
        )
        .unwrap_err()["message"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert!(start(json!("custom"), Value::Null, Value::Null).contains("needs the agent's name"));
    assert!(start(json!("gemini"), json!("Mine"), Value::Null).contains("names a custom agent"));
    assert!(start(json!("gemini"), Value::Null, json!("readOnly")).contains("a sandbox is a Codex setting"));
}

/// `warden <args>` with its data folder and no display.
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
fn run_names_the_known_agents_when_given_an_unknown_one() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("warden.json"), json!({ "customAgents": [mine()] }).to_string()).unwrap();
    let p = project.path().to_str().unwrap();
    let (code, _, stderr) = warden(data.path(), &["run", "--project", p, "--agent", "gpt", "hi"]);
    assert_eq!(code, 2, "nothing could be started: {stderr}");
    assert!(stderr.contains("unknown agent 'gpt'") && stderr.contains("claude, codex, gemini") && stderr.contains("Mine"), "{stderr}");

    let (code, _, stderr) = warden(data.path(), &["run", "--project", p, "--agent", "gemini", "--sandbox", "read-only", "hi"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("a sandbox is a Codex setting; gemini has none"), "the window's words: {stderr}");

    let (code, _, stderr) = warden(data.path(), &["run", "--project", p, "--sandbox", "nowhere", "hi"]);
    assert_eq!(code, 2, "clap refuses it: {stderr}");
    assert!(stderr.contains("unknown sandbox 'nowhere'"), "{stderr}");

    std::fs::write(data.path().join("warden.json"), r#"{"customAgents": 7}"#).unwrap();
    let (code, _, stderr) = warden(data.path(), &["run", "--project", p, "--agent", "Mine", "hi"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("custom agents") && stderr.contains("malformed"), "{stderr}");

    // The engine's own file, damaged, is reported the same way.
    std::fs::write(data.path().join("custom-agents.json"), r#"{"not": "a list"}"#).unwrap();
    let (code, _, stderr) = warden(data.path(), &["run", "--project", p, "--agent", "Mine", "hi"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("custom-agents.json") && stderr.contains("malformed"), "{stderr}");
}

#[test]
fn agents_lists_presets_and_custom_agents() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("warden.json"), json!({ "customAgents": [mine()] }).to_string()).unwrap();
    let (code, stdout, stderr) = warden(data.path(), &["agents", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    let views: Vec<Value> = stdout.lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect();
    assert_eq!(views.len(), 8, "seven presets and the custom agent: {stdout}");
    assert_eq!((&views[7]["name"], &views[7]["custom"]["args"]), (&json!("Mine"), &json!(["--acp"])));
    assert!(views.iter().all(|v| v["status"]["state"].is_string()));

    let (code, stdout, _) = warden(data.path(), &["agents"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("Gemini CLI") && stdout.contains("Mine") && stdout.contains("login unknown"), "{stdout}");
}
