//! Per-hunk decisions through the window's commands and `warden rollback --hunks`: the same
//! plan in both, a revert refused over a hunk changed since until forced, redo, keeps and the
//! person's comments.

use crate::headless::Setup;
use crate::support::TestApp;
use serde_json::{json, Value};
use warden_core::session::{SessionId, TurnId};
use warden_engine::journal::{Recorder, DEFAULT_CAP};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A project whose session `s1` changed lines 1 and 5 of `f.txt` in turn 1; returns its op id.
fn recorded(s: &Setup) -> u64 {
    let root = s.project();
    std::fs::write(root.join("f.txt"), "a\nb\nc\nd\ne\n").unwrap();
    let mut recorder = Recorder::new(&root, s.data.path(), DEFAULT_CAP).unwrap();
    recorder.begin_turn(SessionId::from("s1"), TurnId(1)).unwrap();
    std::fs::write(root.join("f.txt"), "A\nb\nc\nd\nE\n").unwrap();
    recorder.end_turn().unwrap()[0].id.0
}

#[test]
fn the_window_and_the_cli_show_one_hunk_plan_and_a_hunk_revert_is_redone() {
    let s = Setup::new();
    let root = s.project();
    let p = root.to_str().unwrap().to_owned();
    let op = recorded(&s);
    let ops = json!([op]);
    let planned = {
        let app = TestApp::start(s.data.path(), None);
        let hunks: Value = app.call("files_hunks", json!({ "project": root, "ops": ops }));
        let list = hunks["hunks"].as_array().unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!((list[1]["index"].clone(), list[1]["removed"].clone(), list[1]["added"].clone()), (json!(2), json!(["e\n"]), json!(["E\n"])));
        assert_eq!(list[1]["state"], json!({ "type": "open" }));
        let plan: Value = app.call("files_hunk_revert_plan", json!({ "project": root, "ops": ops, "hunks": [2] }));
        assert_eq!(plan["plan"]["steps"][0]["action"], "restore");
        assert_eq!(plan["changedSince"], json!([]));
        plan
    };
    let dry = s.warden(&["rollback", "--project", &p, "--op", &op.to_string(), "--hunks", "2", "--dry-run", "--json"]).output().unwrap();
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    let cli: Value = serde_json::from_str(text(&dry.stdout).trim()).unwrap();
    assert_eq!(cli, planned, "the CLI's hunk plan is the window's");
    let words = s.warden(&["rollback", "--project", &p, "--op", &op.to_string(), "--hunks", "2", "--dry-run"]).output().unwrap();
    assert!(text(&words.stdout).contains("@@ -5,1 +5,1 @@ hunk 2\n-e\n+E\n"), "{}", text(&words.stdout));
    let listed = s.warden(&["diff", "--project", &p, "--op", &op.to_string(), "--hunks"]).output().unwrap();
    assert!(text(&listed.stdout).contains("hunk 1\n-a\n+A\n"), "{}", text(&listed.stdout));

    // Hunk 2 edited by hand since: refused with exit 1, nothing changed; forced, it goes.
    std::fs::write(root.join("f.txt"), "A\nb\nc\nd\nE!\n").unwrap();
    let refused = s.warden(&["rollback", "--project", &p, "--op", &op.to_string(), "--hunks", "2"]).output().unwrap();
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused.stderr));
    assert_eq!(std::fs::read_to_string(root.join("f.txt")).unwrap(), "A\nb\nc\nd\nE!\n");
    std::fs::write(root.join("f.txt"), "A\nb\nc\nd\nE\n").unwrap();

    let app = TestApp::start(s.data.path(), None);
    let done: Value = app.call("files_revert_hunks", json!({ "project": root, "ops": ops, "hunks": [2], "force": false }));
    assert_eq!(done["type"], "done", "{done}");
    assert_eq!(std::fs::read_to_string(root.join("f.txt")).unwrap(), "A\nb\nc\nd\ne\n");
    let hunks: Value = app.call("files_hunks", json!({ "project": root, "ops": ops }));
    assert_eq!(hunks["hunks"][1]["state"], json!({ "type": "reverted", "rollbackId": done["data"]["id"] }));
    let redone: Value = app.call("files_redo", json!({ "project": root, "rollbackId": done["data"]["id"], "force": false }));
    assert_eq!(redone["type"], "done");
    assert_eq!(std::fs::read_to_string(root.join("f.txt")).unwrap(), "A\nb\nc\nd\nE\n");
    let err = app.invoke("files_hunks", json!({ "project": root, "ops": [999] })).unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("999"), "{err}");
}

#[test]
fn keeps_and_comments_go_through_the_window_commands() {
    let s = Setup::new();
    let root = s.project();
    let op = recorded(&s);
    let app = TestApp::start(s.data.path(), None);
    let hunks: Value = app.call("files_hunks", json!({ "project": root, "ops": [op] }));
    let print = hunks["hunks"][0]["fingerprint"].clone();
    let () = app.call("files_keep_hunk", json!({ "project": root, "sessionId": "s1", "path": "f.txt", "fingerprint": print, "kept": true }));
    let hunks: Value = app.call("files_hunks", json!({ "project": root, "ops": [op] }));
    assert_eq!(hunks["hunks"][0]["state"], json!({ "type": "kept" }));

    let comment = json!({
        "sessionId": "s1", "task": 1, "path": "f.txt", "startLine": 1, "endLine": 1,
        "quote": "-a\n+A\n", "text": "Keep it lower case."
    });
    let stored: Value = app.call("files_add_comment", json!({ "project": root, "comment": comment }));
    assert_eq!((stored["sent"].clone(), stored["task"].clone()), (json!(false), json!(1)));
    let unsent: Vec<Value> = app.call("files_comments", json!({ "project": root, "sessionId": "s1", "unsent": true }));
    assert_eq!(unsent, [stored.clone()]);
    let () = app.call("files_mark_comments_sent", json!({ "project": root, "ids": [stored["id"]] }));
    let unsent: Vec<Value> = app.call("files_comments", json!({ "project": root, "sessionId": "s1", "unsent": true }));
    assert!(unsent.is_empty());
    let deleted: bool = app.call("files_delete_comment", json!({ "project": root, "id": stored["id"] }));
    assert!(deleted);
    let all: Vec<Value> = app.call("files_comments", json!({ "project": root, "sessionId": "s1", "unsent": false }));
    assert!(all.is_empty());
}
