//! Sessions started in their own worktree (`Sessions::start_in_worktree`, the one path of the
//! window, best of N and `warden run --worktree`) with the real Claude CLI against the mock
//! model; the setup command (run, refused when untrusted, a failure removing the worktree);
//! a worktree's changes and file diffs against its merge base; commit then merge; a folder
//! deleted by hand; and folders that are not Warden's worktrees refused.

use crate::support::*;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use tokio::sync::mpsc;
use warden_core::journal::{DiffSide, OpKind};
use warden_core::session::*;
use warden_engine::worktrees::{self, CreateOptions, MergeHow, WorktreeError, WorktreeStart};
use warden_engine::{ChannelSink, NewSession, RunOptions, StartError};
use warden_mock_models::{AnthropicMock, Reply};

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git").args(args).current_dir(dir).output().expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Makes `root` a repository on `main` with `a.txt` and `c.txt` committed, and an identity of
/// its own (worktrees share the repository's configuration).
fn init(root: &Path) {
    git(root, &["init", "--quiet", "--initial-branch=main"]);
    git(root, &["config", "user.name", "Warden Test"]);
    git(root, &["config", "user.email", "test@warden.invalid"]);
    std::fs::write(root.join("a.txt"), "one\n").unwrap();
    std::fs::write(root.join("c.txt"), "to be deleted\n").unwrap();
    commit_all(root, "first");
}

fn commit_all(dir: &Path, message: &str) {
    git(dir, &["add", "--all"]);
    git(dir, &["commit", "--quiet", "-m", message]);
}

/// The person's own `[worktree]` settings for `project` (always trusted).
fn personal_worktree_settings(data: &Path, project: &Path, text: &str) {
    let file = warden_gate::config::personal_file(data, project);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(file, text).unwrap();
}

fn new_session(project: &Path, binary: warden_engine::AgentBinary, env: Vec<(std::ffi::OsString, std::ffi::OsString)>) -> NewSession {
    NewSession {
        project: project.to_string_lossy().into_owned(),
        permission_mode: PermissionMode::Bypass,
        run: RunOptions { binary: Some(binary), env, ..Default::default() },
        ..Default::default()
    }
}

/// A session started in its own worktree with the real Claude CLI: the files are copied in
/// (a configured one that is missing is a note), the setup command ran there, the record
/// says where it came from and the main folder lists it, the agent's work lands only in the
/// worktree; stopping the sessions in it then discarding removes folder and branch.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_starts_in_its_own_worktree_after_the_copy_and_the_setup() {
    let world = World::new();
    let root = world.project_path();
    init(&root);
    std::fs::write(root.join(".env"), "SECRET=1\n").unwrap();
    personal_worktree_settings(world.data_dir(), &root, "[worktree]\nsetup = \"echo ready > setup-ran.txt\"\ncopy = [\".env\", \"missing.env\"]\n");
    let mock = AnthropicMock::start(vec![
        Reply::tool("Bash", json!({"command": "echo from-the-agent > note.txt", "description": "Write a note"})),
        Reply::text("Done."),
    ])
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    let (tx, mut rx) = mpsc::unbounded_channel();
    // The window may send the configured list back as asked for: still lenient.
    let start = WorktreeStart { title: "Add the note".into(), copy: vec!["missing.env".into()], run_setup: true, ..Default::default() };
    let (handle, notes) = world
        .engine
        .sessions()
        .start_in_worktree(new_session(&root, claude(), claude_env(home.path(), &mock.url())), start, Arc::new(ChannelSink(tx)))
        .await
        .expect("the session starts in a worktree");
    assert!(notes.iter().any(|n| n.contains("missing.env") && n.contains("not copied")), "{notes:?}");

    let record = world.engine.store().session(handle.id()).unwrap().unwrap();
    let tree = PathBuf::from(&record.project);
    let made = record.worktree.clone().expect("the record names its worktree");
    assert_eq!((made.main.as_str(), made.branch.as_str(), made.base_branch.as_deref()), (root.to_str().unwrap(), "warden/add-the-note", Some("main")));
    assert!(!tree.starts_with(&root), "outside the project: {}", tree.display());
    assert_eq!(std::fs::read_to_string(tree.join(".env")).unwrap(), "SECRET=1\n", "the configured file is copied");
    assert_eq!(std::fs::read_to_string(tree.join("setup-ran.txt")).unwrap(), "ready\n", "the setup ran in the worktree");
    let listed = world.engine.store().sessions(Some(root.to_str().unwrap())).unwrap();
    assert!(listed.iter().any(|r| r.id == *handle.id()), "the main folder lists its worktree's session");

    handle.prompt("write the note").await.unwrap();
    let ended = tokio::time::timeout(WAIT, async {
        while let Some(event) = rx.recv().await {
            if matches!(event.kind, SessionEventKind::TurnEnded(_)) {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(ended, Ok(true), "the turn ends");
    assert_eq!(std::fs::read_to_string(tree.join("note.txt")).unwrap(), "from-the-agent\n");
    assert!(!root.join("note.txt").exists(), "the main folder is untouched");
    let state = worktrees::state(world.data_dir(), &tree).unwrap();
    assert!(state.uncommitted.contains(&"note.txt".to_owned()) && !state.missing, "{state:?}");

    assert_eq!(world.engine.sessions().stop_sessions_in(&tree).await.unwrap(), 1, "the live session in it is stopped");
    assert!(world.engine.sessions().handle(handle.id()).is_none());
    let (main, worktree) = worktrees::recorded_at(world.data_dir(), &tree).unwrap();
    worktrees::discard(world.data_dir(), &main, &worktree).unwrap();
    assert!(!tree.exists());
    assert_eq!(git(&root, &["branch", "--list", "warden/add-the-note"]), "");
}

/// A setup command that fails: the start is an error naming the log and quoting its last
/// lines, and the worktree made for it is gone (folder, branch, record).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_setup_removes_the_worktree_and_names_its_log() {
    let world = World::new();
    let root = world.project_path();
    init(&root);
    personal_worktree_settings(world.data_dir(), &root, "[worktree]\nsetup = \"echo the-step-that-broke; false\"\n");
    let (tx, _rx) = mpsc::unbounded_channel();
    let start = WorktreeStart { title: "broken setup".into(), run_setup: true, ..Default::default() };
    let Err(err) = world
        .engine
        .sessions()
        .start_in_worktree(new_session(&root, fake_agent(), Vec::new()), start, Arc::new(ChannelSink(tx)))
        .await
    else {
        panic!("the start fails")
    };
    let StartError::Worktree(WorktreeError::Setup(message)) = &err else { panic!("a setup error: {err:?}") };
    assert!(message.contains("the-step-that-broke") && message.contains("log:") && message.contains("removed"), "{message}");
    assert!(worktrees::links::read(world.data_dir()).unwrap().is_empty(), "no worktree is recorded");
    assert_eq!(git(&root, &["branch", "--list", "warden/*"]), "", "no branch is left");
    let folder = worktrees::project_folder(world.data_dir(), &root);
    let left: Vec<_> = std::fs::read_dir(&folder).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    assert!(left.is_empty(), "no folder is left: {left:?}");
    assert!(world.engine.store().sessions(Some(root.to_str().unwrap())).unwrap().is_empty(), "no session was recorded");
}

/// An agent that cannot be started is found out before any worktree is made.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_agent_makes_no_worktree() {
    let world = World::new();
    let root = world.project_path();
    init(&root);
    let (tx, _rx) = mpsc::unbounded_channel();
    let new = NewSession { project: root.to_string_lossy().into_owned(), agent: AgentKind::Custom, agent_name: Some("nobody".into()), ..Default::default() };
    let start = WorktreeStart { title: "no agent".into(), ..Default::default() };
    let Err(err) = world.engine.sessions().start_in_worktree(new, start, Arc::new(ChannelSink(tx))).await else { panic!("the start fails") };
    assert!(matches!(&err, StartError::UnknownCustomAgent(name) if name == "nobody"), "{err:?}");
    assert!(worktrees::links::read(world.data_dir()).unwrap().is_empty(), "no worktree was made");
    assert_eq!(git(&root, &["branch", "--list", "warden/*"]), "");
}

/// A setup command from an untrusted project file does not run; the start says so. Without
/// `run_setup` even the person's own does not run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_untrusted_setup_does_not_run_and_says_so() {
    let world = World::new();
    let root = world.project_path();
    init(&root);
    std::fs::create_dir_all(root.join(".warden")).unwrap();
    std::fs::write(root.join(".warden/checks.toml"), "version = 1\n[worktree]\nsetup = \"echo ran > ran.txt\"\n").unwrap();
    commit_all(&root, "checks");
    let (tx, _rx) = mpsc::unbounded_channel();
    let start = WorktreeStart { title: "untrusted".into(), run_setup: true, ..Default::default() };
    let (handle, notes) = world
        .engine
        .sessions()
        .start_in_worktree(new_session(&root, fake_agent(), Vec::new()), start, Arc::new(ChannelSink(tx)))
        .await
        .expect("the session starts without its setup");
    assert!(notes.iter().any(|n| n.contains("will not run")), "{notes:?}");
    let tree = PathBuf::from(world.engine.store().session(handle.id()).unwrap().unwrap().project);
    assert!(!tree.join("ran.txt").exists(), "the untrusted command did not run");
    handle.stop().await;
}

/// A worktree with a commit (a file changed, one added in a folder), then uncommitted work (a
/// committed file edited again, a base file deleted, an untracked file): the changes list each
/// with its kind, counts and whether it is committed; each file's diff is before at the merge
/// base, after on disk.
#[test]
fn changes_and_diffs_cover_committed_uncommitted_untracked_and_deleted_files() {
    let data = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    init(&root);
    let (tree, _) = worktrees::create(data.path(), &root, &CreateOptions { title: "changes".into(), ..Default::default() }).unwrap();
    let path = tree.path.clone();
    std::fs::write(path.join("a.txt"), "one\ntwo\n").unwrap();
    std::fs::create_dir_all(path.join("src")).unwrap();
    std::fs::write(path.join("src/deep.rs"), "fn main() {}\n").unwrap();
    commit_all(&path, "work in progress");
    std::fs::write(path.join("src/deep.rs"), "fn main() {\n    run();\n}\n").unwrap();
    std::fs::remove_file(path.join("c.txt")).unwrap();
    std::fs::write(path.join("u.txt"), "new\nlines\n").unwrap();
    std::fs::write(path.join("pic.bin"), [0u8, 1, 2, 3]).unwrap();
    // The base moves on meanwhile: the changes stay against the merge base.
    std::fs::write(root.join("later.txt"), "on main\n").unwrap();
    commit_all(&root, "later on main");

    let changes = worktrees::changes(data.path(), &path).unwrap();
    assert_eq!(changes.base, "main");
    assert_eq!(changes.merge_base, tree.base_commit);
    assert_eq!(changes.commits.len(), 1);
    assert_eq!(changes.commits[0].subject, "work in progress");
    let row = |p: &str| changes.files.iter().find(|f| f.path == p).unwrap_or_else(|| panic!("{p} in {:#?}", changes.files)).clone();
    let names: Vec<&str> = changes.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(names, ["a.txt", "c.txt", "pic.bin", "src/deep.rs", "u.txt"], "the base's later file is not the branch's change");
    let a = row("a.txt");
    assert_eq!((a.kind.clone(), a.additions, a.deletions, a.uncommitted), (OpKind::Modify, 1, 0, false));
    let deep = row("src/deep.rs");
    assert_eq!((deep.kind.clone(), deep.additions, deep.uncommitted), (OpKind::Create, 3, true));
    let c = row("c.txt");
    assert_eq!((c.kind.clone(), c.deletions, c.uncommitted), (OpKind::Delete, 1, true));
    let u = row("u.txt");
    assert_eq!((u.kind.clone(), u.additions, u.uncommitted), (OpKind::Create, 2, true));
    assert_eq!((row("pic.bin").additions, row("pic.bin").kind), (0, OpKind::Create));

    let a = worktrees::diff(data.path(), &path, "a.txt").unwrap();
    assert_eq!((a.kind, a.before, a.after), (OpKind::Modify, DiffSide::Text { text: "one\n".into() }, DiffSide::Text { text: "one\ntwo\n".into() }));
    let deep = worktrees::diff(data.path(), &path, "src/deep.rs").unwrap();
    assert_eq!((deep.kind, deep.before), (OpKind::Create, DiffSide::Absent));
    let c = worktrees::diff(data.path(), &path, "c.txt").unwrap();
    assert_eq!((c.kind, c.before, c.after), (OpKind::Delete, DiffSide::Text { text: "to be deleted\n".into() }, DiffSide::Absent));
    let pic = worktrees::diff(data.path(), &path, "pic.bin").unwrap();
    assert_eq!(pic.after, DiffSide::Binary { size: 4 });
    for bad in ["../a.txt", "/etc/passwd", ""] {
        assert!(worktrees::diff(data.path(), &path, bad).is_err(), "{bad:?} is refused");
    }
}

/// Commit the worktree's work with the person's message, then squash it into the base.
#[test]
fn commit_then_merge_brings_the_work_into_the_base() {
    let data = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    init(&root);
    let (tree, _) = worktrees::create(data.path(), &root, &CreateOptions { title: "commit".into(), ..Default::default() }).unwrap();
    let err = worktrees::commit(data.path(), &tree.path, "nothing yet").unwrap_err();
    assert!(err.to_string().contains("nothing to commit"), "{err}");
    std::fs::write(tree.path.join("b.txt"), "two\n").unwrap();
    assert!(worktrees::commit(data.path(), &tree.path, "  ").is_err(), "a message is needed");
    let id = worktrees::commit(data.path(), &tree.path, "Add b").unwrap();
    assert_eq!(id, git(&tree.path, &["rev-parse", "HEAD"]));
    let state = worktrees::state(data.path(), &tree.path).unwrap();
    assert_eq!((state.ahead, state.behind, state.uncommitted.len()), (1, 0, 0));
    let (main, worktree) = worktrees::recorded_at(data.path(), &tree.path).unwrap();
    assert_eq!(main, root);
    let head = worktrees::merge(&main, &worktree, MergeHow::Squash.into(), Some("Squashed b")).unwrap();
    assert_eq!(head, git(&root, &["rev-parse", "HEAD"]));
    assert_eq!(std::fs::read_to_string(root.join("b.txt")).unwrap(), "two\n");
    assert_eq!(git(&root, &["log", "-1", "--format=%s"]), "Squashed b");
}

/// A worktree folder deleted by hand is `missing` (no error); folders Warden did not make are
/// refused by every entry point before git runs in them.
#[test]
fn a_deleted_folder_is_missing_and_other_folders_are_refused() {
    let data = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    init(&root);
    let (tree, _) = worktrees::create(data.path(), &root, &CreateOptions { title: "gone".into(), ..Default::default() }).unwrap();
    std::fs::remove_dir_all(&tree.path).unwrap();
    let state = worktrees::state(data.path(), &tree.path).unwrap();
    assert!(state.missing && state.uncommitted.is_empty(), "{state:?}");
    assert!(worktrees::changes(data.path(), &tree.path).unwrap_err().to_string().contains("deleted"));

    // The main folder itself and any other repository are not Warden's worktrees.
    for other in [root.clone(), dir.path().join("nowhere")] {
        assert!(matches!(worktrees::state(data.path(), &other), Err(WorktreeError::NotWarden(_))), "{}", other.display());
        assert!(matches!(worktrees::changes(data.path(), &other), Err(WorktreeError::NotWarden(_))));
        assert!(matches!(worktrees::diff(data.path(), &other, "a.txt"), Err(WorktreeError::NotWarden(_))));
        assert!(matches!(worktrees::commit(data.path(), &other, "x"), Err(WorktreeError::NotWarden(_))));
        assert!(matches!(worktrees::recorded_at(data.path(), &other), Err(WorktreeError::NotWarden(_))));
    }
    assert_eq!(git(&root, &["log", "-1", "--format=%s"]), "first", "nothing was committed in the main folder");
}

/// What the New Session dialog is offered: branches, the suggested unique branch, the
/// configured copy list and setup; a folder without git is told in words.
#[test]
fn options_offer_branches_a_unique_branch_and_the_configuration() {
    let data = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    init(&root);
    personal_worktree_settings(data.path(), &root, "[worktree]\nsetup = \"npm ci\"\ncopy = [\".env\"]\n");
    worktrees::create(data.path(), &root, &CreateOptions { title: "Fix it".into(), ..Default::default() }).unwrap();
    let options = worktrees::options(data.path(), &root, "Fix it");
    assert!(options.usable && options.problem.is_none(), "{options:?}");
    assert_eq!(options.current_branch.as_deref(), Some("main"));
    assert!(options.branches.contains(&"main".to_owned()) && options.branches.contains(&"warden/fix-it".to_owned()));
    assert_eq!(options.suggested_branch, "warden/fix-it-2", "a taken branch gets a number");
    assert_eq!((options.setup.as_deref(), options.setup_trusted, options.copy.clone()), (Some("npm ci"), true, vec![".env".to_owned()]));
    let plain = tempfile::tempdir().unwrap();
    let options = worktrees::options(data.path(), plain.path(), "x");
    assert!(!options.usable && options.problem.as_deref().is_some_and(|p| p.contains("not a git repository")), "{options:?}");
}
