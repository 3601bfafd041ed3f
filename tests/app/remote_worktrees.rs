//! A remote project's worktrees and best of N, through a real OpenSSH server on 127.0.0.1 and
//! real git on the "host": a session in a new worktree there (the real Claude CLI on the mock
//! model writes into it), its state, changes and diff, a commit and a merge back into the
//! host's main folder, `gh` missing there, and the discard; best of two Claude sessions through
//! the window's own path, each in its own worktree on the host, asking in the window's queue,
//! compared and one picked. What the client names is checked on the host: a folder that is not
//! one of its worktrees, a worktree or project of a repository not open there, a file outside
//! the worktree and a bad branch name are refused.

use crate::remote_support::*;
use crate::remote_window::{opened, queued, ssh_target, window};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use warden_app::remote_window::types::RemoteConnectionId;
use warden_app::remote_window::RemoteWindow;
use warden_core::best_of::{BestOfMember, BestOfStart};
use warden_core::session::*;
use warden_core::worktree::{MergeHow, MergeOutcome, WorktreeStart};
use warden_mock_models::Reply;
use warden_remote::{ClientError, Connection, ErrorKind, Request, Response, StartSession, WorktreesRequest, WorktreesResponse};

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git").args(args).current_dir(dir).output().expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// `dir` as a repository on `main` with one commit of `a.txt` (the identity in its own
/// configuration: the host's engine commits there with no other).
fn repo(dir: &Path) {
    git(dir, &["init", "--quiet", "--initial-branch=main"]);
    git(dir, &["config", "user.name", "Warden Test"]);
    git(dir, &["config", "user.email", "test@warden.invalid"]);
    std::fs::write(dir.join("a.txt"), "one\n").unwrap();
    git(dir, &["add", "--all"]);
    git(dir, &["commit", "--quiet", "-m", "first"]);
}

fn refused<T: std::fmt::Debug>(result: Result<T, ClientError>, kind: ErrorKind, words: &str) {
    match &result {
        Err(ClientError::Remote(e)) if e.kind == kind && e.message.contains(words) => {}
        other => panic!("expected a {kind:?} error saying {words:?}, got {other:?}"),
    }
}

/// The `warden/` branches of the repository at `root`.
fn warden_branches(root: &Path) -> String {
    git(root, &["branch", "--list", "warden/*", "--format=%(refname:short)"])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_ssh_a_worktree_session_on_the_host_is_committed_merged_and_discarded_and_foreign_folders_are_refused() {
    let sshd = Sshd::start();
    let host = Host::new();
    let root = host.project();
    repo(&root);
    let project = host.project_str();
    // Another repository on the host, with a worktree Warden recorded, that no client opened.
    let other = tempfile::tempdir().unwrap();
    let other_root = other.path().canonicalize().unwrap();
    repo(&other_root);
    let options = warden_engine::worktrees::CreateOptions { base: None, branch: None, title: "Elsewhere".into(), copy: Vec::new() };
    let (foreign, _) = warden_engine::worktrees::create(host.data.path(), &other_root, &options).expect("a worktree of the other repository");
    let foreign = foreign.path.to_string_lossy().into_owned();

    let conn = Connection::open(&sshd.transport(&host)).await.expect("handshake over ssh");
    refused(conn.worktree_options(&project, "Add a note").await, ErrorKind::BadRequest, "open the project first");
    conn.open_project(&project).await.unwrap();
    let offered = conn.worktree_options(&project, "Add a note").await.unwrap();
    assert!(offered.usable, "{offered:?}");
    assert_eq!(offered.suggested_branch, "warden/add-a-note");

    // A bad branch name is refused on the host before git sees it; nothing is made.
    let bad = WorktreeStart { branch: Some("-evil".into()), title: "Add a note".into(), ..Default::default() };
    let start = StartSession { project: project.clone(), checks: false, worktree: Some(bad), ..Default::default() };
    refused(conn.start_session(start).await.map(|s| s.session.id), ErrorKind::BadRequest, "-evil");
    assert!(conn.worktree_list(&project).await.unwrap().is_empty());

    host.mock.push(Reply::tool("Bash", json!({"command": "echo hello > note.txt", "description": "Write a note"})));
    host.mock.push(Reply::text("Done."));
    let asked = WorktreeStart { title: "Add a note".into(), ..Default::default() };
    let start = StartSession {
        project: project.clone(),
        checks: false,
        permission_mode: PermissionMode::Bypass,
        prompt: Some("Add a note".into()),
        worktree: Some(asked),
        ..Default::default()
    };
    let session = conn.start_session(start).await.expect("a session in a new worktree on the host").session;
    let folder = session.project.clone();
    assert_eq!(session.worktree.as_ref().map(|w| w.branch.as_str()), Some("warden/add-a-note"));
    assert!(Path::new(&folder).starts_with(host.data.path().canonicalize().unwrap().join("worktrees")), "{folder}");
    let mut sub = conn.subscribe(&session.id, 0).await.unwrap();
    until(&mut sub.events, &mut Vec::new(), "the end of the turn", |k| matches!(k, SessionEventKind::TurnEnded(_))).await;
    assert_eq!(std::fs::read_to_string(Path::new(&folder).join("note.txt")).unwrap(), "hello\n");
    assert!(!root.join("note.txt").exists(), "the main folder is untouched");

    // Its state, changes and one file's diff, as the header line and the Changes view read them.
    let listed = conn.worktree_list(&project).await.unwrap();
    assert_eq!(listed.iter().map(|w| w.path.as_str()).collect::<Vec<_>>(), vec![folder.as_str()], "only this project's worktree");
    let state = conn.worktree_state(&folder).await.unwrap();
    assert_eq!((state.base_branch.as_deref(), state.ahead, state.uncommitted.clone()), (Some("main"), 0, vec!["note.txt".to_owned()]));
    let changes = conn.worktree_changes(&folder).await.unwrap();
    assert_eq!(changes.files.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(), vec!["note.txt"], "{changes:?}");
    let diff = conn.worktree_diff(&folder, "note.txt").await.unwrap();
    assert!(format!("{:?}", diff.after).contains("hello"), "{diff:?}");
    refused(conn.worktree_diff(&folder, "../a.txt").await, ErrorKind::BadRequest, "not a path inside the worktree");

    // What is not one of this project's worktrees is refused, whatever it holds.
    refused(conn.worktree_state(&project).await, ErrorKind::BadRequest, "not one of Warden's worktrees");
    refused(conn.worktree_changes("/etc").await, ErrorKind::BadRequest, "not one of Warden's worktrees");
    refused(conn.worktree_state(&foreign).await, ErrorKind::BadRequest, "not a project open on this host");
    refused(conn.worktree_discard(&foreign).await, ErrorKind::BadRequest, "not a project open on this host");
    assert!(Path::new(&foreign).is_dir(), "the other repository's worktree is left alone");
    refused(conn.worktree_list(&other_root.to_string_lossy()).await, ErrorKind::BadRequest, "open the project first");

    // Commit, then merge into the host's main folder.
    let commit = conn.worktree_commit(&folder, "Add a note").await.unwrap();
    assert_eq!(git(Path::new(&folder), &["rev-parse", "HEAD"]), commit);
    let state = conn.worktree_state(&folder).await.unwrap();
    assert_eq!((state.ahead, state.uncommitted.len()), (1, 0), "{state:?}");
    let MergeOutcome::Merged { commit: merged } = conn.worktree_merge(&folder, MergeHow::Merge, None).await.unwrap() else { panic!("merged") };
    assert_eq!(git(&root, &["rev-parse", "main"]), merged);
    assert_eq!(std::fs::read_to_string(root.join("note.txt")).unwrap(), "hello\n", "the work is on the host's base branch");

    // No `gh` on the host: a clear message, nothing else changes.
    refused(conn.worktree_pr(&folder).await, ErrorKind::BadRequest, "gh");

    // The discard stops the session, removes the folder and the branch.
    conn.worktree_discard(&folder).await.unwrap();
    assert!(!Path::new(&folder).exists(), "the folder is gone");
    assert_eq!(warden_branches(&root), "", "the branch is gone");
    assert!(conn.worktree_list(&project).await.unwrap().is_empty());
    refused(conn.worktree_state(&folder).await, ErrorKind::BadRequest, "not one of Warden's worktrees");
}

/// One worktree call through the window's `RemoteWindow`, as `remote_call` makes it.
async fn window_call(remote: &RemoteWindow, conn: &RemoteConnectionId, call: WorktreesRequest) -> WorktreesResponse {
    match remote.call(conn, Request::Worktrees(call)).await.expect("the host answers") {
        Response::Worktrees(answer) => answer,
        other => panic!("not a worktree answer: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_ssh_best_of_two_on_the_host_asks_in_the_windows_queue_is_compared_and_picking_one_keeps_exactly_its_change() {
    let sshd = Sshd::start();
    let host = Host::new();
    let root = host.project();
    repo(&root);
    let project = host.project_str();
    // Through the window's own path (`remote_call`): the members' questions must reach its
    // permission queue with no tab open, as a single started session's do.
    let (remote, channels, _states) = window(vec![Duration::from_millis(300); 5], false);
    let conn = opened(remote.open(&ssh_target(&sshd, &host)).await.expect("opens over ssh")).connection;
    let member = BestOfMember { agent: AgentKind::Claude, agent_name: None, model: None, sandbox: None };
    let asked = BestOfStart {
        project: project.clone(),
        prompt: "Write same.txt".into(),
        members: vec![member.clone(), member],
        permission_mode: PermissionMode::Default,
        base: None,
        run_setup: false,
    };
    let other = tempfile::tempdir().unwrap();
    let elsewhere = BestOfStart { project: other.path().to_string_lossy().into_owned(), ..asked.clone() };
    let err = remote.call(&conn, Request::Worktrees(WorktreesRequest::BestOfStart(elsewhere))).await.expect_err("not open on the host");
    assert!(err.message.contains("open the project first"), "{err:?}");

    // Both members share the host's mock model. Each writes its own worktree's name (so the two
    // changes differ), and each asks before it runs: one tool call each, whatever the order
    // their requests arrive in; the closing words are queued only once both have asked.
    let write = Reply::tool("Bash", json!({"command": "basename \"$PWD\" > same.txt", "description": "Write same.txt"}));
    host.mock.push(write.clone());
    host.mock.push(write);
    let WorktreesResponse::BestOfStarted(group) = window_call(&remote, &conn, WorktreesRequest::BestOfStart(asked)).await else { panic!("started") };
    assert_eq!(group.sessions.len(), 2);
    let branches: Vec<&str> = group.sessions.iter().map(|s| s.worktree.as_ref().expect("in a worktree").branch.as_str()).collect();
    assert_eq!(branches, ["warden/write-same-txt-1", "warden/write-same-txt-2"]);
    let folders: Vec<PathBuf> = group.sessions.iter().map(|s| PathBuf::from(&s.project)).collect();
    let mut questions = Vec::new();
    for s in &group.sessions {
        assert_eq!(remote.connection_of(&s.id), Some(conn.clone()), "the window knows each member is the host's");
        let question = queued(&channels, &s.id, &[]).await;
        assert_eq!(question.project, s.project, "asked with its worktree as the project");
        questions.push(question);
    }
    host.mock.push(Reply::text("Done."));
    host.mock.push(Reply::text("Done."));
    for q in &questions {
        remote.answer(&q.session_id, &q.request.request_id, PermissionAnswer::new(PermissionDecision::AllowOnce)).await.expect("a remote session").expect("answered");
    }
    let deadline = Instant::now() + WAIT;
    let written = || folders.iter().map(|f| std::fs::read_to_string(f.join("same.txt")).ok()).collect::<Vec<_>>();
    while written().iter().any(Option::is_none) {
        assert!(Instant::now() < deadline, "each member writes same.txt: {:?}", written());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(written(), [Some("warden-write-same-txt-1\n".to_owned()), Some("warden-write-same-txt-2\n".to_owned())]);
    assert!(!root.join("same.txt").exists(), "the main folder saw neither");

    let ended = |entries: &[warden_core::best_of::BestOfEntry]| entries.iter().all(|e| e.session.turns == 1 && e.files == 1 && e.additions == 1);
    let entries = loop {
        let WorktreesResponse::BestOfCompared(entries) = window_call(&remote, &conn, WorktreesRequest::BestOfCompare { group: group.id.clone() }).await else {
            panic!("compared")
        };
        if entries.len() == 2 && ended(&entries) {
            break entries;
        }
        assert!(Instant::now() < deadline, "both members end their turn with one file: {entries:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(entries.iter().all(|e| e.worktree.is_some()), "{entries:?}");
    let err = remote.call(&conn, Request::Worktrees(WorktreesRequest::BestOfCompare { group: "no-such-group".into() })).await.expect_err("unknown");
    assert!(err.message.contains("no best-of-N group"), "{err:?}");

    let pick = WorktreesRequest::BestOfPick { group: group.id.clone(), session: group.sessions[0].id.clone(), how: MergeHow::Squash, message: None };
    let WorktreesResponse::BestOfPicked(picked) = window_call(&remote, &conn, pick).await else { panic!("picked") };
    assert_eq!(picked.discarded, vec!["warden/write-same-txt-2".to_owned()]);
    assert_eq!(git(&root, &["rev-parse", "main"]), picked.commit);
    assert_eq!(std::fs::read_to_string(root.join("same.txt")).unwrap(), "warden-write-same-txt-1\n", "exactly the chosen change");
    assert!(!folders[1].exists(), "the other member's folder is gone");
    assert_eq!(warden_branches(&root), "warden/write-same-txt-1", "the chosen worktree stays until discarded");
}
