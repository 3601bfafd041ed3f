//! Best of N with real agent CLIs against the mocks, in real git repositories: Claude Code and
//! Codex get the same prompt, each in its own worktree, and write the same file differently;
//! the comparison lists both with their files, lines and the gate's check results; picking one
//! leaves exactly its change on the base branch and removes the other's folder and branch. A
//! conflict with the base leaves the base clean and both worktrees in place (a dirty main
//! folder is refused before any session is stopped); a member that cannot start leaves
//! nothing behind.

use crate::support::*;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use tokio::sync::mpsc;
use warden_core::session::*;
use warden_engine::best_of::{self, BestOfError, Member, StartRequest};
use warden_engine::worktrees::{self, How, WorktreeError};
use warden_engine::{AgentBinary, ChannelSink, RunOptions};
use warden_mock_models::{AnthropicMock, OpenAiMock, Reply};

/// The prompt of every test; its slug names the branches.
const PROMPT: &str = "Write same.txt";
const FIRST: &str = "warden/write-same-txt-1";
const SECOND: &str = "warden/write-same-txt-2";

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git").args(args).current_dir(dir).output().expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// The world's project as a repository on `main` with one commit of `a.txt`.
fn repo(world: &World) -> PathBuf {
    let root = world.project_path();
    git(&root, &["init", "--quiet", "--initial-branch=main"]);
    git(&root, &["config", "user.name", "Warden Test"]);
    git(&root, &["config", "user.email", "test@warden.invalid"]);
    std::fs::write(root.join("a.txt"), "one\n").unwrap();
    git(&root, &["add", "--all"]);
    git(&root, &["commit", "--quiet", "-m", "first"]);
    root
}

/// Where the worktree of `branch` will be (known before it is made, so a Claude mock can
/// name the file it writes by its absolute path).
fn tree_of(world: &World, root: &Path, branch: &str) -> PathBuf {
    let data = world.data_dir().canonicalize().unwrap();
    worktrees::project_folder(&data, root).join(branch.replace('/', "-"))
}

/// A Claude member whose model writes `text` into `same.txt` of the worktree at `tree`.
fn claude_member(tree: &Path, text: &str, home: &Path) -> (Member, AnthropicMock) {
    let write = Reply::tool("Write", json!({"file_path": tree.join("same.txt"), "content": text}));
    let mock = AnthropicMock::start(vec![write, Reply::text("Done.")]).unwrap();
    let run = RunOptions { binary: Some(claude()), env: claude_env(home, &mock.url()), ..Default::default() };
    (Member { agent: AgentKind::Claude, run, ..Default::default() }, mock)
}

/// A Codex member whose model adds `same.txt` holding `line` through `apply_patch`.
fn codex_member(line: &str, home: &Path) -> (Member, OpenAiMock) {
    let patch = format!("*** Begin Patch\n*** Add File: same.txt\n+{line}\n*** End Patch\n");
    let mock = OpenAiMock::start(vec![Reply::custom_tool("apply_patch", &patch), Reply::text("Done.")]).unwrap();
    let run = RunOptions { binary: Some(codex()), env: codex_env(home, &mock.url()), ..Default::default() };
    let member = Member { agent: AgentKind::Codex, model: Some("gpt-5.5".into()), sandbox: Some(Sandbox::WorkspaceWrite), run, ..Default::default() };
    (member, mock)
}

fn request(root: &Path, members: Vec<Member>) -> StartRequest {
    StartRequest {
        project: root.to_string_lossy().into_owned(),
        prompt: PROMPT.into(),
        members,
        permission_mode: PermissionMode::Bypass,
        ..Default::default()
    }
}

/// Waits (bounded) until every session in `ids` has sent an event `what` matches.
async fn each_sent(rx: &mut mpsc::UnboundedReceiver<SessionEvent>, ids: &[SessionId], what: impl Fn(&SessionEventKind) -> bool) {
    let mut waiting: Vec<SessionId> = ids.to_vec();
    while !waiting.is_empty() {
        let event = tokio::time::timeout(WAIT, rx.recv())
            .await
            .unwrap_or_else(|_| panic!("timed out waiting for {waiting:?}"))
            .expect("the stream goes on");
        if what(&event.kind) {
            waiting.retain(|id| *id != event.session_id);
        }
    }
}

/// Waits (bounded) until every session in `ids` has ended a turn.
async fn turns_ended(rx: &mut mpsc::UnboundedReceiver<SessionEvent>, ids: &[SessionId]) {
    each_sent(rx, ids, |k| matches!(k, SessionEventKind::TurnEnded(_))).await;
}

/// A check in the person's layer of the main folder `root` (which its worktrees follow) that
/// passes only when Claude wrote `same.txt`; failures wait for the person (no feedback turn the
/// mocks have no reply for).
fn claude_check(world: &World, root: &Path) {
    let file = warden_gate::config::personal_file(world.data_dir(), root);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let toml = "version = 1\n[gate]\nfeedback = \"never\"\n[[check]]\nid = \"by-claude\"\nshell = \"grep -q claude same.txt\"\n";
    std::fs::write(file, toml).unwrap();
}

/// The `warden/` branches of the repository.
fn warden_branches(root: &Path) -> String {
    git(root, &["branch", "--list", "warden/*", "--format=%(refname:short)"])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn best_of_two_real_agents_compares_both_and_picking_one_keeps_exactly_its_change() {
    let world = World::new();
    let root = repo(&world);
    let base = git(&root, &["rev-parse", "HEAD"]);
    let (homes, codex_home) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (claude, _claude_mock) = claude_member(&tree_of(&world, &root, FIRST), "from claude\n", homes.path());
    let (codex, _codex_mock) = codex_member("from codex", codex_home.path());
    claude_check(&world, &root);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let group = best_of::start(world.engine.sessions(), request(&root, vec![claude, codex]), Arc::new(ChannelSink(tx)))
        .await
        .expect("the group starts");
    assert_eq!(group.sessions.len(), 2);
    let branches: Vec<&str> = group.sessions.iter().map(|s| s.worktree.as_ref().expect("in a worktree").branch.as_str()).collect();
    assert_eq!(branches, [FIRST, SECOND]);
    assert!(group.sessions.iter().all(|s| s.group.as_deref() == Some(group.id.as_str())), "one group");
    assert_eq!(PathBuf::from(&group.sessions[0].project), tree_of(&world, &root, FIRST));
    let ids: Vec<SessionId> = group.sessions.iter().map(|s| s.id.clone()).collect();
    each_sent(&mut rx, &ids, |k| matches!(k, SessionEventKind::GateDecided(_))).await;
    let (first, second) = (tree_of(&world, &root, FIRST), tree_of(&world, &root, SECOND));
    assert_eq!(std::fs::read_to_string(first.join("same.txt")).unwrap(), "from claude\n");
    assert_eq!(std::fs::read_to_string(second.join("same.txt")).unwrap(), "from codex\n");
    assert!(!root.join("same.txt").exists(), "the main folder saw neither");

    let entries = best_of::compare(world.engine.sessions(), &group.id).unwrap();
    assert_eq!(entries.len(), 2);
    for (entry, (id, agent)) in entries.iter().zip(ids.iter().zip([AgentKind::Claude, AgentKind::Codex])) {
        assert_eq!((&entry.session.id, entry.session.agent), (id, agent));
        assert_eq!(entry.session.turns, 1, "{entry:#?}");
        let tree = entry.worktree.as_ref().expect("its worktree is listed");
        assert!(!tree.missing && tree.uncommitted.contains(&"same.txt".to_owned()), "{tree:#?}");
        assert_eq!((entry.files, entry.additions, entry.deletions), (1, 1, 0), "one file, one line: {entry:#?}");
    }
    let checks: Vec<_> = entries.iter().map(|e| e.checks.clone().expect("the gate ran")).collect();
    assert_eq!((checks[0].passed, checks[0].failed, checks[0].verdict.as_str()), (1, 0, "passed"), "{checks:#?}");
    assert_eq!((checks[1].passed, checks[1].failed, checks[1].verdict.as_str()), (0, 1, "blocked"), "{checks:#?}");

    let picked = best_of::pick(world.engine.sessions(), &group.id, &ids[0], How::Squash, None).await.expect("the pick merges");
    assert_eq!(picked.discarded, [SECOND]);
    assert_eq!(git(&root, &["rev-parse", "HEAD"]), picked.commit);
    assert_eq!(std::fs::read_to_string(root.join("same.txt")).unwrap(), "from claude\n", "the chosen change is on main");
    assert_eq!(git(&root, &["diff", "--name-only", &base, "HEAD"]), "same.txt", "exactly the chosen change");
    assert_eq!(git(&root, &["status", "--porcelain"]), "");
    assert_eq!(git(&root, &["log", "-1", "--format=%s"]), format!("Best of N: claude ({FIRST})"));
    assert!(!second.exists(), "the other worktree's folder is gone");
    assert_eq!(warden_branches(&root), FIRST, "the other branch is gone, the chosen one kept");
    assert!(first.join("same.txt").exists(), "the chosen worktree stays until the person discards it");
    for id in &ids {
        let record = world.engine.store().session(id).unwrap().unwrap();
        assert!(record.status.is_over(), "every session of the group was stopped: {record:?}");
    }
    let after = best_of::compare(world.engine.sessions(), &group.id).unwrap();
    assert!(after[0].worktree.is_some() && after[1].worktree.is_none(), "{after:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pick_that_conflicts_with_the_base_leaves_the_base_clean_and_both_worktrees() {
    let world = World::new();
    let root = repo(&world);
    let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (first, second) = (tree_of(&world, &root, FIRST), tree_of(&world, &root, SECOND));
    let (left, _left_mock) = claude_member(&first, "left\n", one.path());
    let (right, _right_mock) = claude_member(&second, "right\n", two.path());
    let (tx, mut rx) = mpsc::unbounded_channel();
    let group = best_of::start(world.engine.sessions(), request(&root, vec![left, right]), Arc::new(ChannelSink(tx))).await.unwrap();
    let ids: Vec<SessionId> = group.sessions.iter().map(|s| s.id.clone()).collect();
    turns_ended(&mut rx, &ids).await;
    // Uncommitted changes in the main folder are refused before anything is stopped.
    std::fs::write(root.join("a.txt"), "edited\n").unwrap();
    let dirty = best_of::pick(world.engine.sessions(), &group.id, &ids[0], How::Merge, None).await.unwrap_err();
    assert!(matches!(&dirty, BestOfError::Worktree(WorktreeError::MainDirty(files)) if files == &["a.txt".to_owned()]), "{dirty}");
    assert!(ids.iter().all(|id| world.engine.sessions().handle(id).is_some()), "no session was stopped for a refusal");
    git(&root, &["checkout", "--quiet", "--", "a.txt"]);
    // Meanwhile the base gets the same file with other content.
    std::fs::write(root.join("same.txt"), "main\n").unwrap();
    git(&root, &["add", "same.txt"]);
    git(&root, &["commit", "--quiet", "-m", "same.txt on main"]);
    let before = git(&root, &["rev-parse", "HEAD"]);

    let err = best_of::pick(world.engine.sessions(), &group.id, &ids[0], How::Merge, Some("Keep left".into())).await.unwrap_err();
    assert!(matches!(&err, BestOfError::Worktree(WorktreeError::Conflict { files }) if files == &["same.txt".to_owned()]), "{err}");
    assert!(err.to_string().contains("same.txt"), "the message names the file: {err}");
    assert_eq!(git(&root, &["rev-parse", "HEAD"]), before, "the base did not move");
    assert_eq!(git(&root, &["status", "--porcelain"]), "", "nothing half-merged");
    assert_eq!(std::fs::read_to_string(root.join("same.txt")).unwrap(), "main\n");
    assert_eq!(std::fs::read_to_string(first.join("same.txt")).unwrap(), "left\n");
    assert_eq!(std::fs::read_to_string(second.join("same.txt")).unwrap(), "right\n");
    assert_eq!(git(&first, &["status", "--porcelain"]), "?? same.txt", "the chosen work is uncommitted again, as it was");
    assert_eq!(git(&first, &["rev-parse", "HEAD"]), group.sessions[0].worktree.as_ref().unwrap().base_commit, "no commit left behind");
    assert_eq!(warden_branches(&root), format!("{FIRST}\n{SECOND}"), "both branches kept");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_that_cannot_start_leaves_nothing_behind_and_is_named() {
    let world = World::new();
    let root = repo(&world);
    let home = tempfile::tempdir().unwrap();
    let (working, _mock) = claude_member(&tree_of(&world, &root, FIRST), "x\n", home.path());
    let missing = PathBuf::from("/nonexistent/warden-test-agent");
    let broken = Member {
        agent: AgentKind::Claude,
        run: RunOptions { binary: Some(AgentBinary { agent: AgentKind::Claude, program: missing.clone(), version: "0".into() }), ..Default::default() },
        ..Default::default()
    };
    let (tx, _rx) = mpsc::unbounded_channel();
    let err = best_of::start(world.engine.sessions(), request(&root, vec![working, broken]), Arc::new(ChannelSink(tx))).await.unwrap_err();
    match &err {
        BestOfError::MemberFailed { member, agent, reason } => {
            assert_eq!((*member, agent.as_str()), (2, "claude"));
            assert!(reason.contains("/nonexistent/warden-test-agent"), "{reason}");
            assert!(!reason.contains("not everything"), "everything was undone: {reason}");
        }
        other => panic!("expected the failing member named, got {other}"),
    }
    assert!(err.to_string().contains("member 2"), "{err}");
    assert!(worktrees::list(world.data_dir(), &root).unwrap().is_empty(), "no worktree left");
    assert_eq!(warden_branches(&root), "", "no branch left");
    assert!(!tree_of(&world, &root, FIRST).exists() && !tree_of(&world, &root, SECOND).exists());
    let kept = world.engine.store().sessions(Some(&root.to_string_lossy())).unwrap();
    assert!(kept.is_empty(), "no session of the group is kept: {kept:#?}");
    assert_eq!(git(&root, &["status", "--porcelain"]), "");
}

#[tokio::test]
async fn an_empty_group_or_prompt_and_an_unknown_group_are_refused() {
    let world = World::new();
    let root = repo(&world);
    let (tx, _rx) = mpsc::unbounded_channel();
    let sink = Arc::new(ChannelSink(tx));
    let none = best_of::start(world.engine.sessions(), request(&root, Vec::new()), sink.clone()).await.unwrap_err();
    assert!(matches!(none, BestOfError::NoMembers), "{none}");
    let blank = StartRequest { prompt: "  ".into(), ..request(&root, vec![Member::default()]) };
    assert!(matches!(best_of::start(world.engine.sessions(), blank, sink).await.unwrap_err(), BestOfError::EmptyPrompt));
    assert!(matches!(best_of::compare(world.engine.sessions(), "no-such-group"), Err(BestOfError::UnknownGroup(_))));
    let id = SessionId("x".into());
    let err = best_of::pick(world.engine.sessions(), "no-such-group", &id, How::Merge, None).await.unwrap_err();
    assert!(matches!(err, BestOfError::UnknownGroup(_)), "{err}");
}
