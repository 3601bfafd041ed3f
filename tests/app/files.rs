//! The file journal from the command line — `warden log`, `warden rollback` and `warden diff`
//! on what a `warden run` of the real Claude CLI (on the mock model) changed — and through the
//! window's commands.

use crate::headless::Setup;
use crate::support::TestApp;
use serde_json::{json, Value};
use warden_core::session::{SessionId, TurnId};
use warden_engine::journal::{Recorder, DEFAULT_CAP};
use std::process::Output;

fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("one JSON object a line")).collect()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `warden run --approve allow` of a turn that writes `file`; returns the session id.
fn write_in_a_run(s: &Setup, file: &str) -> String {
    s.script_write(file, "Written.");
    let project = s.project();
    let p = project.to_str().unwrap();
    let run = s.warden(&["run", "--project", p, "--approve", "allow", "Create it"]).output().unwrap();
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(text(&run.stdout).contains(&format!("files: create {file} (+1 -0)")), "the transcript shows the change: {}", text(&run.stdout));
    let sessions = json_lines(&s.warden(&["sessions", "--project", p, "--json"]).output().unwrap());
    sessions[0]["id"].as_str().unwrap().to_owned()
}

#[test]
fn a_recorded_write_is_listed_diffed_and_rolled_back_by_op() {
    let s = Setup::new();
    let session = write_in_a_run(&s, "hello.txt");
    let project = s.project();
    let p = project.to_str().unwrap();
    let log = s.warden(&["log", "--project", p, "--json"]).output().unwrap();
    assert!(log.status.success(), "{}", text(&log.stderr));
    let ops = json_lines(&log);
    assert_eq!(ops.len(), 1, "{ops:#?}");
    let op = &ops[0];
    assert!(op["id"].is_u64() && op["toolCallId"].is_string() && op["atMs"].is_u64(), "{op}");
    assert_eq!((op["sessionId"].as_str(), op["turn"].as_u64()), (Some(session.as_str()), Some(1)));
    assert_eq!((op["path"].as_str(), op["kind"]["type"].as_str()), (Some("hello.txt"), Some("create")));
    assert!(op["before"].is_null() && op["rollbackId"].is_null() && op["ignored"] == false);
    let after = &op["after"];
    assert_eq!((after["size"].as_u64(), after["kind"].as_str(), after["tooLarge"].as_bool()), (Some(21), Some("file"), Some(false)));
    assert_eq!(after["hash"].as_str().map(str::len), Some(64), "the content's SHA-256: {after}");
    let id = op["id"].to_string();

    let diff = s.warden(&["diff", "--project", p, "--op", &id]).output().unwrap();
    let diff = text(&diff.stdout);
    assert!(diff.contains("--- /dev/null\n+++ b/hello.txt\n") && diff.contains("+written by the agent\n"), "{diff}");
    let readable = text(&s.warden(&["log", "--project", p]).output().unwrap().stdout);
    assert!(readable.contains("create  hello.txt  nothing -> 21 B"), "{readable}");

    let rollback = s.warden(&["rollback", "--project", p, "--op", &id]).output().unwrap();
    assert!(rollback.status.success(), "{}", text(&rollback.stderr));
    assert!(text(&rollback.stdout).contains("removed: hello.txt"), "{}", text(&rollback.stdout));
    assert!(!project.join("hello.txt").exists());
    let ops = json_lines(&s.warden(&["log", "--project", p, "--json"]).output().unwrap());
    assert_eq!(ops.len(), 2, "the rollback's own change is in the log");
    assert_eq!((ops[1]["kind"]["type"].as_str(), ops[1]["rollbackId"].is_u64()), (Some("delete"), true));
    assert!(std::fs::read_dir(&project).unwrap().next().is_none(), "nothing of ours in the project");
}

#[test]
fn a_rollback_over_a_file_changed_since_is_refused_with_exit_1_until_forced() {
    let s = Setup::new();
    let session = write_in_a_run(&s, "notes.txt");
    let project = s.project();
    let p = project.to_str().unwrap();
    std::fs::write(project.join("notes.txt"), "the person's words\n").unwrap();
    let refused = s.warden(&["rollback", "--project", p, "--session", &session]).output().unwrap();
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused.stderr));
    let stderr = text(&refused.stderr);
    assert!(stderr.contains("notes.txt: expected 21 B") && stderr.contains("found 19 B") && stderr.contains("--force"), "{stderr}");
    assert_eq!(std::fs::read_to_string(project.join("notes.txt")).unwrap(), "the person's words\n", "nothing changed");
    let json = s.warden(&["rollback", "--project", p, "--turn", "1", "--session", &session, "--json"]).output().unwrap();
    assert_eq!(json.status.code(), Some(1));
    let outcome = &json_lines(&json)[0];
    assert_eq!((outcome["type"].as_str(), outcome["data"][0]["path"].as_str()), (Some("conflicts"), Some("notes.txt")));

    let forced = s.warden(&["rollback", "--project", p, "--session", &session, "--force", "--json"]).output().unwrap();
    assert!(forced.status.success(), "{}", text(&forced.stderr));
    let outcome = &json_lines(&forced)[0];
    assert_eq!((outcome["type"].as_str(), outcome["data"]["forced"].as_bool()), (Some("done"), Some(true)));
    assert!(!project.join("notes.txt").exists());
    let redo = outcome["data"]["id"].to_string();
    let back = s.warden(&["rollback", "--project", p, "--redo", &redo]).output().unwrap();
    assert!(back.status.success(), "{}", text(&back.stderr));
    assert_eq!(std::fs::read_to_string(project.join("notes.txt")).unwrap(), "the person's words\n", "the redo brings it back");
    let no_session = s.warden(&["rollback", "--project", p, "--turn", "1"]).output().unwrap();
    assert_eq!(no_session.status.code(), Some(2), "--turn needs --session");
}

#[test]
fn the_window_reads_diffs_rolls_back_over_a_conflict_only_when_forced_and_redoes() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let root = project.path().canonicalize().unwrap();
    std::fs::write(root.join("a.txt"), "one\n").unwrap();
    {
        // A turn recorded into the same data folder, as a session would.
        let mut recorder = Recorder::new(&root, data.path(), DEFAULT_CAP).unwrap();
        recorder.begin_turn(SessionId::from("s1"), TurnId(1)).unwrap();
        std::fs::write(root.join("a.txt"), "one\ntwo\n").unwrap();
        recorder.end_turn().unwrap();
    }
    let app = TestApp::start(data.path(), None);
    let log: Vec<Value> = app.call("files_log", json!({ "project": root, "sessionId": null }));
    assert_eq!(log.len(), 1);
    assert_eq!((log[0]["path"].as_str(), log[0]["kind"]["type"].as_str()), (Some("a.txt"), Some("modify")));
    let turn = json!({ "type": "turn", "sessionId": "s1", "turn": 1 });
    let diff: Vec<Value> = app.call("files_diff", json!({ "project": root, "target": turn }));
    assert_eq!(diff[0]["before"], json!({"type": "text", "text": "one\n"}));
    assert_eq!(diff[0]["after"], json!({"type": "text", "text": "one\ntwo\n"}));

    std::fs::write(root.join("a.txt"), "edited since\n").unwrap();
    let refused: Value = app.call("files_rollback", json!({ "project": root, "target": turn, "force": false }));
    assert_eq!((refused["type"].as_str(), refused["data"][0]["path"].as_str()), (Some("conflicts"), Some("a.txt")));
    assert_eq!(std::fs::read_to_string(root.join("a.txt")).unwrap(), "edited since\n");
    let done: Value = app.call("files_rollback", json!({ "project": root, "target": turn, "force": true }));
    assert_eq!((done["type"].as_str(), done["data"]["restored"].clone()), (Some("done"), json!(["a.txt"])));
    assert_eq!(std::fs::read_to_string(root.join("a.txt")).unwrap(), "one\n");
    let redone: Value = app.call("files_redo", json!({ "project": root, "rollbackId": done["data"]["id"], "force": false }));
    assert_eq!(redone["type"], "done");
    assert_eq!(std::fs::read_to_string(root.join("a.txt")).unwrap(), "edited since\n");
    let err = app.invoke("files_rollback", json!({ "project": root, "target": {"type": "op", "id": 999}, "force": false }));
    assert!(err.unwrap_err()["message"].as_str().unwrap().contains("op 999"), "an unknown op is named");
}

/// The plan the window and `warden rollback --dry-run` show is the one the rollback carries
/// out, and the log then says which rollback undid each op.
#[test]
fn the_window_and_the_cli_preview_the_plan_the_rollback_then_carries_out() {
    let s = Setup::new();
    let root = s.project().canonicalize().unwrap();
    let p = root.to_str().unwrap().to_owned();
    std::fs::write(root.join("a.txt"), "one\n").unwrap();
    std::fs::write(root.join("gone.txt"), "bye\n").unwrap();
    {
        let mut recorder = Recorder::new(&root, s.data.path(), DEFAULT_CAP).unwrap();
        recorder.begin_turn(SessionId::from("s1"), TurnId(1)).unwrap();
        std::fs::write(root.join("a.txt"), "one\ntwo\n").unwrap();
        std::fs::write(root.join("new.txt"), "made\n").unwrap();
        std::fs::remove_file(root.join("gone.txt")).unwrap();
        recorder.end_turn().unwrap();
    }
    let turn = json!({ "type": "turn", "sessionId": "s1", "turn": 1 });
    let planned = {
        let app = TestApp::start(s.data.path(), None);
        let plan: Value = app.call("files_rollback_plan", json!({ "project": root, "target": turn }));
        let steps: Vec<(&str, &str)> =
            plan["steps"].as_array().unwrap().iter().map(|st| (st["path"].as_str().unwrap(), st["action"].as_str().unwrap())).collect();
        assert_eq!(steps, [("a.txt", "restore"), ("gone.txt", "recreate"), ("new.txt", "remove")]);
        assert_eq!(plan["steps"][0]["sinceTurn"], 1);
        assert!(plan["conflicts"].as_array().unwrap().is_empty());
        assert!(root.join("new.txt").exists(), "a plan changes nothing");
        plan
    };

    let dry = s.warden(&["rollback", "--project", &p, "--session", "s1", "--dry-run"]).output().unwrap();
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    let out = text(&dry.stdout);
    assert!(out.contains("restore a.txt as it was before turn 1") && out.contains("remove new.txt") && out.contains("bring back gone.txt"), "{out}");
    let dry_json = s.warden(&["rollback", "--project", &p, "--session", "s1", "--dry-run", "--json"]).output().unwrap();
    assert_eq!(json_lines(&dry_json)[0], planned, "the CLI's plan is the window's");
    assert!(root.join("new.txt").exists(), "a dry run changes nothing");

    let done = s.warden(&["rollback", "--project", &p, "--session", "s1", "--json"]).output().unwrap();
    assert!(done.status.success(), "{}", text(&done.stderr));
    let report = &json_lines(&done)[0]["data"];
    assert_eq!((report["restored"].clone(), report["removed"].clone()), (json!(["a.txt", "gone.txt"]), json!(["new.txt"])));
    assert_eq!(std::fs::read_to_string(root.join("a.txt")).unwrap(), "one\n");
    let log = json_lines(&s.warden(&["log", "--project", &p, "--json"]).output().unwrap());
    let agents: Vec<&Value> = log.iter().filter(|op| op["rollbackId"].is_null()).collect();
    assert!(agents.iter().all(|op| op["undoneBy"] == report["id"]), "each op says which rollback undid it: {log:#?}");
    let readable = text(&s.warden(&["log", "--project", &p]).output().unwrap().stdout);
    assert!(readable.contains(&format!("[undone by rollback {}]", report["id"])), "{readable}");
    let again = s.warden(&["rollback", "--project", &p, "--session", "s1", "--dry-run"]).output().unwrap();
    assert_eq!(again.status.code(), Some(2), "nothing left to plan: {}", text(&again.stdout));
}

/// A `warden rollback` killed half way (crash injection) is settled only by a command that
/// changes files, never by one that reads; a file edited after the crash abandons it untouched,
/// and the command says so.
#[test]
fn a_crashed_rollback_is_recovered_only_by_a_changing_command_and_never_over_a_later_edit() {
    let s = Setup::new();
    write_in_a_run(&s, "hello.txt");
    let project = s.project();
    let p = project.to_str().unwrap();
    let id = json_lines(&s.warden(&["log", "--project", p, "--json"]).output().unwrap())[0]["id"].to_string();
    let crashed = s.warden(&["rollback", "--project", p, "--op", &id]).env(warden_engine::journal::CRASH_AFTER_ENV, "0").output().unwrap();
    assert!(!crashed.status.success(), "killed before removing the file");
    for args in [["sessions", "--project", p], ["log", "--project", p]] {
        let out = s.warden(&args).output().unwrap();
        assert!(out.status.success() && !text(&out.stderr).contains("rollback"), "{args:?}: {}", text(&out.stderr));
    }
    assert!(project.join("hello.txt").exists(), "a read-only command recovered nothing");
    std::fs::write(project.join("hello.txt"), "the person's edit after the crash\n").unwrap();
    let again = s.warden(&["rollback", "--project", p, "--op", &id]).output().unwrap();
    let stderr = text(&again.stderr);
    assert!(stderr.contains("abandoned") && stderr.contains("hello.txt") && stderr.contains("nothing was touched"), "{stderr}");
    // The rollback asked again then meets the edit as a conflict: refused, the edit kept.
    assert_eq!(again.status.code(), Some(1), "{stderr}");
    assert_eq!(std::fs::read_to_string(project.join("hello.txt")).unwrap(), "the person's edit after the crash\n");
}
