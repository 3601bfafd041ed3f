//! `warden run --worktree` and `warden worktrees …` as a person or a script uses them: the
//! agent works in its own worktree under the project's rules, the work is listed, merged and
//! discarded; a conflict exits 1 with its files; `gh` absent or faked by a script on PATH.

use crate::headless::Setup;
use serde_json::{json, Value};
use std::path::Path;
use std::process::{Command, Output};
use warden_mock_models::Reply;

/// The identity commits are made with, through the environment (no git configuration).
const IDENTITY: [(&str, &str); 4] = [
    ("GIT_AUTHOR_NAME", "Warden Test"),
    ("GIT_AUTHOR_EMAIL", "test@warden.invalid"),
    ("GIT_COMMITTER_NAME", "Warden Test"),
    ("GIT_COMMITTER_EMAIL", "test@warden.invalid"),
];

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git").args(args).current_dir(dir).envs(IDENTITY).output().expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// The setup's project as a repository on `main` with one commit.
fn repo(s: &Setup) -> std::path::PathBuf {
    let root = s.project();
    git(&root, &["init", "--quiet", "--initial-branch=main"]);
    std::fs::write(root.join("a.txt"), "one\n").unwrap();
    git(&root, &["add", "--all"]);
    git(&root, &["commit", "--quiet", "-m", "first"]);
    root
}

/// Runs `warden <args>` to its end (stdin closed): exit code, stdout, stderr.
fn warden(s: &Setup, args: &[&str], path: Option<&std::ffi::OsStr>) -> (i32, String, String) {
    let mut command = s.warden(args);
    command.envs(IDENTITY);
    if let Some(path) = path {
        command.env("PATH", path);
    }
    let mut child = command.spawn().unwrap();
    drop(child.stdin.take());
    let Output { status, stdout, stderr } = child.wait_with_output().unwrap();
    (status.code().unwrap_or(-1), String::from_utf8(stdout).unwrap(), String::from_utf8(stderr).unwrap())
}

fn listed(s: &Setup, root: &Path) -> Vec<Value> {
    let (code, stdout, stderr) = warden(s, &["worktrees", "list", "--project", root.to_str().unwrap(), "--json"], None);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).expect("one JSON array")
}

#[test]
fn a_run_in_a_worktree_follows_the_projects_rules_and_its_work_is_merged_then_discarded() {
    let s = Setup::new();
    let root = repo(&s);
    let p = root.to_str().unwrap();
    // A rule of the main folder: Bash runs without asking, in its worktrees too (the run
    // itself denies every question).
    let (code, _, stderr) = warden(&s, &["permissions", "allow", "Bash", "--project", p], None);
    assert_eq!(code, 0, "{stderr}");
    s.mock.push(Reply::tool("Bash", json!({"command": "echo from-the-agent > note.txt", "description": "Write a note"})));
    s.mock.push(Reply::text("Done."));
    let (code, _, stderr) =
        warden(&s, &["run", "--project", p, "--worktree", "--checks", "off", "--approve", "deny", "--json", "Write the note"], None);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("working in the worktree") && stderr.contains("warden/write-the-note"), "announced at the start: {stderr}");
    assert!(stderr.contains("the work is in") && stderr.contains("warden worktrees merge"), "and at the end: {stderr}");
    assert!(!root.join("note.txt").exists(), "the main folder is untouched");

    let trees = listed(&s, &root);
    assert_eq!(trees.len(), 1, "{trees:?}");
    assert_eq!((trees[0]["branch"].as_str(), trees[0]["baseBranch"].as_str()), (Some("warden/write-the-note"), Some("main")));
    assert_eq!(trees[0]["uncommitted"], json!(["note.txt"]));
    let folder = Path::new(trees[0]["path"].as_str().unwrap()).to_owned();
    assert!(folder.starts_with(s.data.path().canonicalize().unwrap().join("worktrees")), "{}", folder.display());
    assert_eq!(std::fs::read_to_string(folder.join("note.txt")).unwrap(), "from-the-agent\n");

    let target = ["--project", p, "--worktree", "warden/write-the-note"];
    let (code, _, stderr) = warden(&s, &[&["worktrees", "merge"], &target[..], &["--how", "squash"]].concat(), None);
    assert_eq!(code, 1, "uncommitted work needs a message");
    assert!(stderr.contains("uncommitted changes (note.txt)"), "{stderr}");
    let (code, stdout, stderr) = warden(&s, &[&["worktrees", "merge"], &target[..], &["--how", "squash", "--message", "Add the note", "--json"]].concat(), None);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(serde_json::from_str::<Value>(&stdout).unwrap()["ok"], true);
    assert_eq!(std::fs::read_to_string(root.join("note.txt")).unwrap(), "from-the-agent\n");
    assert_eq!(git(&root, &["log", "-1", "--format=%s"]), "Add the note");

    let (code, _, stderr) = warden(&s, &[&["worktrees", "discard"], &target[..]].concat(), None);
    assert_eq!(code, 0, "{stderr}");
    assert!(!folder.exists());
    assert!(listed(&s, &root).is_empty());
    assert_eq!(git(&root, &["branch", "--list", "warden/*"]), "");
}

#[test]
fn a_conflict_exits_1_with_its_files_and_usage_problems_exit_2() {
    let s = Setup::new();
    let root = repo(&s);
    let p = root.to_str().unwrap();
    s.mock.push(Reply::text("Nothing to do."));
    let (code, _, stderr) =
        warden(&s, &["run", "--project", p, "--worktree", "--branch", "topic", "--checks", "off", "--approve", "deny", "Look"], None);
    assert_eq!(code, 0, "{stderr}");
    let folder = Path::new(listed(&s, &root)[0]["path"].as_str().unwrap()).to_owned();
    std::fs::write(folder.join("a.txt"), "worktree\n").unwrap();
    std::fs::write(root.join("a.txt"), "main\n").unwrap();
    git(&root, &["commit", "--quiet", "-am", "main"]);
    let before = git(&root, &["rev-parse", "HEAD"]);
    let (code, stdout, stderr) = warden(&s, &["worktrees", "merge", "--project", p, "--worktree", "topic", "--message", "mine", "--json"], None);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(serde_json::from_str::<Value>(&stdout).unwrap()["conflicts"], json!(["a.txt"]));
    assert_eq!(git(&root, &["rev-parse", "HEAD"]), before, "the base did not move");
    assert_eq!(git(&root, &["status", "--porcelain"]), "", "nothing half-merged");

    let (code, _, stderr) = warden(&s, &["worktrees", "merge", "--project", p, "--worktree", "nope"], None);
    assert_eq!(code, 2, "an unknown worktree: {stderr}");
    let (code, _, stderr) = warden(&s, &["run", "--project", p, "--worktree", "--base=--upload-pack=x", "Look"], None);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("refused"), "{stderr}");
    let plain = tempfile::tempdir().unwrap();
    let (code, _, stderr) = warden(&s, &["worktrees", "list", "--project", plain.path().to_str().unwrap()], None);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("not a git repository"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn pr_pushes_the_branch_and_calls_gh_or_says_gh_is_missing() {
    use std::os::unix::fs::PermissionsExt;
    let s = Setup::new();
    let root = repo(&s);
    let p = root.to_str().unwrap();
    let origin = tempfile::tempdir().unwrap();
    git(origin.path(), &["init", "--quiet", "--bare"]);
    git(&root, &["remote", "add", "origin", origin.path().to_str().unwrap()]);
    s.mock.push(Reply::text("Nothing to do."));
    let (code, _, stderr) =
        warden(&s, &["run", "--project", p, "--worktree", "--branch", "feature/pr", "--checks", "off", "--approve", "deny", "Look"], None);
    assert_eq!(code, 0, "{stderr}");

    // Only git on PATH: no gh.
    let bin = tempfile::tempdir().unwrap();
    let real_git = String::from_utf8(Command::new("sh").args(["-c", "command -v git"]).output().unwrap().stdout).unwrap();
    std::os::unix::fs::symlink(real_git.trim(), bin.path().join("git")).unwrap();
    let (code, _, stderr) = warden(&s, &["worktrees", "pr", "--project", p, "--worktree", "feature/pr"], Some(bin.path().as_os_str()));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("`gh` is not installed") && stderr.contains("cli.github.com"), "{stderr}");

    // A gh that records its arguments.
    let record = bin.path().join("gh-args");
    let script = format!("#!/bin/sh\necho \"$@\" >> '{}'\n[ \"$1\" = pr ] && echo https://example.invalid/pull/1\nexit 0\n", record.display());
    std::fs::write(bin.path().join("gh"), script).unwrap();
    std::fs::set_permissions(bin.path().join("gh"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let (code, stdout, stderr) = warden(&s, &["worktrees", "pr", "--project", p, "--worktree", "feature/pr"], Some(bin.path().as_os_str()));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("https://example.invalid/pull/1"), "{stdout}");
    let calls = std::fs::read_to_string(&record).unwrap();
    assert_eq!(calls.lines().collect::<Vec<_>>(), ["auth status", "pr create --head feature/pr --fill --base main"]);
    assert!(!git(origin.path(), &["branch", "--list", "feature/pr"]).is_empty(), "the branch was pushed");
}

/// The project's own setup command through `warden run --worktree`: a failing one stops the
/// run before the agent starts (exit 2, its log named) and leaves no worktree; `--no-setup`
/// skips it.
#[test]
fn a_failing_setup_stops_the_run_and_no_setup_skips_it() {
    let s = Setup::new();
    let root = repo(&s);
    let p = root.to_str().unwrap();
    let personal = warden_gate::config::personal_file(s.data.path(), &root);
    std::fs::create_dir_all(personal.parent().unwrap()).unwrap();
    std::fs::write(&personal, "[worktree]\nsetup = \"echo setup-broke; exit 3\"\n").unwrap();
    let (code, _, stderr) = warden(&s, &["run", "--project", p, "--worktree", "--checks", "off", "--approve", "deny", "Try"], None);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("exit code 3") && stderr.contains("setup-broke") && stderr.contains("log:"), "{stderr}");
    assert!(listed(&s, &root).is_empty(), "the worktree was removed");
    assert_eq!(git(&root, &["branch", "--list", "warden/*"]), "");

    s.mock.push(Reply::text("Nothing to do."));
    let (code, _, stderr) =
        warden(&s, &["run", "--project", p, "--worktree", "--no-setup", "--checks", "off", "--approve", "deny", "Try"], None);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(listed(&s, &root).len(), 1);
}

/// The window's worktree commands on a session started in a worktree (the fake agent stands
/// in for Claude): its state, its changes and a file's diff, a commit then a squash into the
/// base, a folder Warden did not make refused, and discard stopping the session first.
#[test]
fn the_window_starts_a_session_in_a_worktree_and_brings_its_work_back() {
    use crate::support::TestApp;
    use warden_core::session::SessionRecord;
    std::env::set_var("WARDEN_CLAUDE", warden_mock_models::agents::fake_agent_program());
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let root = project.path().canonicalize().unwrap();
    git(&root, &["init", "--quiet", "--initial-branch=main"]);
    git(&root, &["config", "user.name", "Warden Test"]);
    git(&root, &["config", "user.email", "test@warden.invalid"]);
    std::fs::write(root.join("a.txt"), "one\n").unwrap();
    git(&root, &["add", "--all"]);
    git(&root, &["commit", "--quiet", "-m", "first"]);
    let app = TestApp::start(data.path(), None);

    let options: Value = app.call("worktree_options", json!({ "project": root, "title": "Window work" }));
    assert_eq!((options["usable"].as_bool(), options["suggestedBranch"].as_str()), (Some(true), Some("warden/window-work")), "{options}");
    let record: SessionRecord = app.call(
        "session_start",
        json!({ "project": root, "permissionMode": "default", "model": null,
                "worktree": { "title": "Window work", "copy": [], "runSetup": false } }),
    );
    let tree = Path::new(&record.project).to_owned();
    assert_eq!(record.worktree.as_ref().map(|w| w.branch.as_str()), Some("warden/window-work"));
    assert!(!tree.starts_with(&root) && tree.join("a.txt").is_file());
    let path = tree.to_str().unwrap();

    std::fs::write(tree.join("a.txt"), "one\ntwo\n").unwrap();
    let state: Value = app.call("worktree_state", json!({ "path": path }));
    assert_eq!((state["missing"].as_bool(), state["uncommitted"].clone()), (Some(false), json!(["a.txt"])), "{state}");
    let changes: Value = app.call("worktree_changes", json!({ "path": path }));
    assert_eq!(changes["files"][0]["path"], "a.txt", "{changes}");
    assert_eq!((changes["files"][0]["additions"].as_u64(), changes["files"][0]["uncommitted"].as_bool()), (Some(1), Some(true)));
    let diff: Value = app.call("worktree_diff", json!({ "path": path, "file": "a.txt" }));
    assert_eq!((diff["before"]["text"].as_str(), diff["after"]["text"].as_str()), (Some("one\n"), Some("one\ntwo\n")), "{diff}");
    let commit: String = app.call("worktree_commit", json!({ "path": path, "message": "Two" }));
    assert_eq!(commit, git(&tree, &["rev-parse", "HEAD"]));
    let merged: Value = app.call("worktree_merge", json!({ "path": path, "how": "squash", "message": "Two, squashed" }));
    assert_eq!(merged, json!({ "type": "merged", "commit": git(&root, &["rev-parse", "HEAD"]) }));
    assert_eq!(std::fs::read_to_string(root.join("a.txt")).unwrap(), "one\ntwo\n");

    // Both sides change the same line: the window is answered with the files, nothing merged.
    std::fs::write(root.join("a.txt"), "one\nmain's\n").unwrap();
    git(&root, &["commit", "--quiet", "-am", "main's"]);
    let before = git(&root, &["rev-parse", "HEAD"]);
    std::fs::write(tree.join("a.txt"), "one\nthe worktree's\n").unwrap();
    app.call::<String>("worktree_commit", json!({ "path": path, "message": "The worktree's" }));
    let conflict: Value = app.call("worktree_merge", json!({ "path": path, "how": "merge", "message": null }));
    assert_eq!(conflict, json!({ "type": "conflict", "files": ["a.txt"] }));
    assert_eq!((git(&root, &["rev-parse", "HEAD"]), git(&root, &["status", "--porcelain"])), (before, String::new()), "the base is as it was");
    let trees: Vec<Value> = app.call("worktree_list", json!({ "project": root }));
    assert_eq!(trees.len(), 1);

    // The main folder is no worktree of Warden's: nothing runs in it.
    let refused = app.invoke("worktree_commit", json!({ "path": root, "message": "x" })).unwrap_err();
    assert!(refused["message"].as_str().unwrap().contains("not one of Warden's worktrees"), "{refused}");
    let refused = app.invoke("worktree_discard", json!({ "path": root })).unwrap_err();
    assert!(refused["message"].as_str().unwrap().contains("not one of Warden's worktrees"), "{refused}");

    app.call::<()>("worktree_discard", json!({ "path": path }));
    assert!(!tree.exists(), "the folder is gone");
    assert_eq!(git(&root, &["branch", "--list", "warden/*"]), "", "and its branch");
    let stopped: Vec<SessionRecord> = app.call("session_list", json!({ "project": root }));
    assert!(stopped.iter().all(|r| r.status.is_over()), "its session was stopped first: {stopped:?}");
    let gone: Value = app.call("worktree_list", json!({ "project": root }));
    assert_eq!(gone, json!([]));
}

/// The ops journaled in `folder` outside any turn, through the window's command (the journal
/// files them under no session).
fn outside_ops(app: &crate::support::TestApp, folder: &Path) -> Vec<Value> {
    app.call("files_log", json!({ "project": folder, "sessionId": "" }))
}

/// Writes `file` until the window lists an op outside any turn in `folder` (the watch starts
/// after the watcher's first snapshot), bounded.
fn write_until_listed(app: &crate::support::TestApp, folder: &Path, file: &Path) -> Vec<Value> {
    let since = std::time::Instant::now();
    loop {
        std::fs::write(file, format!("{:?}\n", since.elapsed())).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(400));
        let ops = outside_ops(app, folder);
        if !ops.is_empty() {
            return ops;
        }
        assert!(since.elapsed() < std::time::Duration::from_secs(10), "no op outside any turn was listed in {}", folder.display());
    }
}

/// Issue 18 item 5: a project open in the window is watched with no session live in it, and so
/// is the folder of its worktree after that worktree's session stopped; an edit there is listed
/// as made outside any turn. Closing the project stops it.
#[test]
fn the_window_watches_an_open_project_and_its_worktree_with_no_session_live() {
    use crate::support::TestApp;
    use warden_core::session::SessionRecord;
    std::env::set_var("WARDEN_CLAUDE", warden_mock_models::agents::fake_agent_program());
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let root = project.path().canonicalize().unwrap();
    git(&root, &["init", "--quiet", "--initial-branch=main"]);
    git(&root, &["config", "user.name", "Warden Test"]);
    git(&root, &["config", "user.email", "test@warden.invalid"]);
    std::fs::write(root.join("a.txt"), "one\n").unwrap();
    git(&root, &["add", "--all"]);
    git(&root, &["commit", "--quiet", "-m", "first"]);
    let app = TestApp::start(data.path(), None);
    let view: Value = app.call("project_open", json!({ "path": root }));
    let id = view["open"][0]["id"].clone();

    // No session at all: the person's edit is journaled outside any turn.
    let ops = write_until_listed(&app, &root, &root.join("a.txt"));
    assert!(ops.iter().all(|op| op["path"] == "a.txt" && op["sessionId"] == "" && op["turn"] == 0 && op["toolCallId"].is_null()), "{ops:#?}");

    // A worktree session that has stopped: its folder is still watched while the project is open.
    let record: SessionRecord = app.call(
        "session_start",
        json!({ "project": root, "permissionMode": "default", "model": null,
                "worktree": { "title": "Watched", "copy": [], "runSetup": false } }),
    );
    let tree = Path::new(&record.project).to_owned();
    app.call::<()>("session_stop", json!({ "sessionId": record.id }));
    let since = std::time::Instant::now();
    while !app.call::<Vec<SessionRecord>>("session_list", json!({ "project": tree })).iter().all(|r| r.status.is_over()) {
        assert!(since.elapsed() < std::time::Duration::from_secs(10), "the session did not stop");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let ops = write_until_listed(&app, &tree, &tree.join("a.txt"));
    assert!(ops.iter().all(|op| op["path"] == "a.txt" && op["sessionId"] == ""), "{ops:#?}");

    // Closed: nothing more is recorded in either folder.
    app.call::<Value>("project_close", json!({ "id": id }));
    std::thread::sleep(std::time::Duration::from_millis(300));
    let (in_root, in_tree) = (outside_ops(&app, &root).len(), outside_ops(&app, &tree).len());
    std::fs::write(root.join("a.txt"), "after closing\n").unwrap();
    std::fs::write(tree.join("a.txt"), "after closing\n").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!((outside_ops(&app, &root).len(), outside_ops(&app, &tree).len()), (in_root, in_tree), "recorded after closing");
}
