//! Worktrees with real git in temporary repositories: made, listed, merged three ways, a
//! conflict left unmerged, discarded (also after the folder was deleted by hand), the errors a
//! person meets, names git could misread refused, `gh` absent; and two real Claude sessions in
//! two worktrees of one repository that never see each other's files, journals or rollbacks.

use crate::support::*;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;
use warden_core::journal::RollbackTarget;
use warden_core::session::*;
use warden_engine::worktrees::{self, CreateOptions, How, WorktreeError};
use warden_mock_models::{AnthropicMock, Reply};

/// Runs git in `dir`; panics when it fails.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git").args(args).current_dir(dir).output().expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// A repository on `main` with one commit of `a.txt`, and an identity of its own (so commits
/// work whatever the machine's git configuration is).
fn repo() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    git(&root, &["init", "--quiet", "--initial-branch=main"]);
    git(&root, &["config", "user.name", "Warden Test"]);
    git(&root, &["config", "user.email", "test@warden.invalid"]);
    std::fs::write(root.join("a.txt"), "one\n").unwrap();
    commit_all(&root, "first");
    (dir, root)
}

fn commit_all(dir: &Path, message: &str) {
    git(dir, &["add", "--all"]);
    git(dir, &["commit", "--quiet", "-m", message]);
}

fn make(data: &Path, project: &Path, title: &str) -> worktrees::Worktree {
    let options = CreateOptions { title: title.into(), ..Default::default() };
    worktrees::create(data, project, &options).expect("the worktree is made").0
}

#[test]
fn a_worktree_is_made_outside_the_project_on_a_unique_branch_and_listed() {
    let data = tempfile::tempdir().unwrap();
    let (_dir, root) = repo();
    std::fs::write(root.join(".env"), "SECRET=1\n").unwrap();
    let options = CreateOptions { title: "Fix the login bug".into(), copy: vec![".env".into()], ..Default::default() };
    let (first, notes) = worktrees::create(data.path(), &root, &options).unwrap();
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!((first.branch.as_str(), first.base_branch.as_deref()), ("warden/fix-the-login-bug", Some("main")));
    assert!(first.path.starts_with(data.path().canonicalize().unwrap().join("worktrees")), "{}", first.path.display());
    assert!(!first.path.starts_with(&root));
    assert_eq!(std::fs::read_to_string(first.path.join("a.txt")).unwrap(), "one\n");
    assert_eq!(std::fs::read_to_string(first.path.join(".env")).unwrap(), "SECRET=1\n", "the asked-for untracked file is copied");
    let second = make(data.path(), &root, "Fix the login bug");
    assert_eq!(second.branch, "warden/fix-the-login-bug-2", "a taken name gets a number");

    std::fs::write(first.path.join("b.txt"), "two\n").unwrap();
    commit_all(&first.path, "b");
    std::fs::write(first.path.join("c.txt"), "pending\n").unwrap();
    let listed = worktrees::list(data.path(), &root).unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!((listed[0].worktree.branch.as_str(), listed[0].ahead, listed[0].behind), ("warden/fix-the-login-bug", 1, 0));
    assert!(listed[0].uncommitted.contains(&"c.txt".to_owned()), "{:?}", listed[0].uncommitted);
    assert!(!listed[0].missing);
    assert_eq!(worktrees::rules_project(data.path(), &first.path), root, "a worktree follows its main project's rules");
}

#[cfg(unix)]
#[test]
fn a_copy_that_leaves_the_trees_or_follows_a_link_is_refused() {
    let data = tempfile::tempdir().unwrap();
    let (_dir, root) = repo();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret"), "x").unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret"), root.join("link")).unwrap();
    for bad in ["../secret", "/etc/passwd", "link", "missing.txt"] {
        let options = CreateOptions { title: format!("copy {bad}"), copy: vec![bad.into()], ..Default::default() };
        let err = worktrees::create(data.path(), &root, &options).unwrap_err();
        assert!(matches!(err, WorktreeError::BadCopy { .. }), "{bad}: {err}");
    }
}

#[test]
fn merge_squash_and_rebase_bring_the_work_into_the_base() {
    for how in [How::Merge, How::Squash, How::Rebase] {
        let data = tempfile::tempdir().unwrap();
        let (_dir, root) = repo();
        let tree = make(data.path(), &root, "add b");
        std::fs::write(tree.path.join("b.txt"), "two\n").unwrap();
        commit_all(&tree.path, "b");
        // The base moves on meanwhile (a rebase then has something to rebase onto).
        std::fs::write(root.join("c.txt"), "three\n").unwrap();
        commit_all(&root, "c");
        std::fs::write(tree.path.join("d.txt"), "uncommitted\n").unwrap();
        let refused = worktrees::merge(&root, &tree, how, None).unwrap_err();
        assert!(matches!(refused, WorktreeError::WorktreeDirty(_)), "{how:?}: {refused}");
        worktrees::merge(&root, &tree, how, Some("Add b and d")).unwrap();
        assert_eq!(std::fs::read_to_string(root.join("b.txt")).unwrap(), "two\n", "{how:?}");
        assert_eq!(std::fs::read_to_string(root.join("d.txt")).unwrap(), "uncommitted\n", "{how:?}");
        assert_eq!(git(&root, &["status", "--porcelain"]), "", "{how:?}: the main folder is clean");
        let parents = git(&root, &["log", "-1", "--format=%P"]).split_whitespace().count();
        let subject = git(&root, &["log", "-1", "--format=%s"]);
        match how {
            How::Merge => assert_eq!((parents, subject.as_str()), (2, "Add b and d"), "a merge commit"),
            How::Squash => assert_eq!((parents, subject.as_str()), (1, "Add b and d"), "one squashed commit"),
            How::Rebase => assert_eq!((parents, subject.as_str()), (1, "Add b and d"), "the rebased commits, fast-forwarded"),
        }
    }
}

#[test]
fn a_conflict_is_reported_by_file_and_the_base_left_clean() {
    for how in [How::Merge, How::Squash, How::Rebase] {
        let data = tempfile::tempdir().unwrap();
        let (_dir, root) = repo();
        let tree = make(data.path(), &root, "change a");
        std::fs::write(tree.path.join("a.txt"), "worktree\n").unwrap();
        commit_all(&tree.path, "a in the worktree");
        std::fs::write(root.join("a.txt"), "main\n").unwrap();
        commit_all(&root, "a in main");
        let before = git(&root, &["rev-parse", "HEAD"]);
        let err = worktrees::merge(&root, &tree, how, None).unwrap_err();
        assert_eq!(err, WorktreeError::Conflict { files: vec!["a.txt".into()] }, "{how:?}");
        assert_eq!(git(&root, &["rev-parse", "HEAD"]), before, "{how:?}: the base did not move");
        assert_eq!(git(&root, &["status", "--porcelain"]), "", "{how:?}: nothing half-merged");
        assert_eq!(std::fs::read_to_string(root.join("a.txt")).unwrap(), "main\n");
        assert_eq!(git(&tree.path, &["status", "--porcelain"]), "", "{how:?}: the worktree is left clean too");
    }
}

#[test]
fn a_dirty_main_folder_is_refused() {
    let data = tempfile::tempdir().unwrap();
    let (_dir, root) = repo();
    let tree = make(data.path(), &root, "x");
    std::fs::write(root.join("a.txt"), "edited\n").unwrap();
    let err = worktrees::merge(&root, &tree, How::Merge, None).unwrap_err();
    assert_eq!(err, WorktreeError::MainDirty(vec!["a.txt".into()]));
}

#[test]
fn discard_removes_folder_and_branch_even_when_the_folder_was_deleted_by_hand() {
    let data = tempfile::tempdir().unwrap();
    let (_dir, root) = repo();
    let kept = make(data.path(), &root, "kept");
    let gone = make(data.path(), &root, "gone");
    std::fs::write(kept.path.join("x.txt"), "x").unwrap();
    worktrees::discard(data.path(), &root, &kept).unwrap();
    assert!(!kept.path.exists());
    assert_eq!(git(&root, &["branch", "--list", "warden/kept"]), "");

    std::fs::remove_dir_all(&gone.path).unwrap();
    let listed = worktrees::list(data.path(), &root).unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].missing, "a folder deleted by hand is shown as missing");
    let found = worktrees::find(data.path(), &root, "warden/gone").unwrap();
    worktrees::discard(data.path(), &root, &found).unwrap();
    assert_eq!(git(&root, &["branch", "--list", "warden/gone"]), "");
    assert!(worktrees::list(data.path(), &root).unwrap().is_empty());
    assert!(!git(&root, &["worktree", "list", "--porcelain"]).contains("gone"), "git forgot it too");
}

#[test]
fn a_folder_without_git_a_repository_without_commits_and_an_unknown_base_are_told() {
    let data = tempfile::tempdir().unwrap();
    let plain = tempfile::tempdir().unwrap();
    let options = CreateOptions { title: "t".into(), ..Default::default() };
    assert!(matches!(worktrees::create(data.path(), plain.path(), &options), Err(WorktreeError::NotGitRepository(_))));
    git(plain.path(), &["init", "--quiet"]);
    assert_eq!(worktrees::create(data.path(), plain.path(), &options).unwrap_err(), WorktreeError::NoCommits);
    let (_dir, root) = repo();
    let unknown = CreateOptions { base: Some("no-such-branch".into()), ..options.clone() };
    assert_eq!(worktrees::create(data.path(), &root, &unknown).unwrap_err(), WorktreeError::UnknownBase("no-such-branch".into()));
    let head = git(&root, &["rev-parse", "HEAD"]);
    let by_commit = CreateOptions { base: Some(head.clone()), ..options.clone() };
    let (tree, notes) = worktrees::create(data.path(), &root, &by_commit).unwrap();
    assert_eq!((tree.base_branch, tree.base_commit), (None, head));
    assert!(notes.iter().any(|n| n.contains("not a branch")), "{notes:?}");
}

#[test]
fn names_git_could_misread_are_refused_before_git_runs() {
    let data = tempfile::tempdir().unwrap();
    let (_dir, root) = repo();
    for bad in ["--upload-pack=x", "a..b", "-b", "x y"] {
        let base = CreateOptions { title: "t".into(), base: Some(bad.into()), ..Default::default() };
        assert!(matches!(worktrees::create(data.path(), &root, &base), Err(WorktreeError::BadRef { .. })), "base {bad}");
        let branch = CreateOptions { title: "t".into(), branch: Some(bad.into()), ..Default::default() };
        assert!(matches!(worktrees::create(data.path(), &root, &branch), Err(WorktreeError::BadRef { .. })), "branch {bad}");
    }
    assert!(worktrees::list(data.path(), &root).unwrap().is_empty(), "nothing was made");
}

#[test]
fn a_pull_request_without_gh_says_how_to_get_it() {
    let data = tempfile::tempdir().unwrap();
    let (_dir, root) = repo();
    let tree = make(data.path(), &root, "pr");
    let empty = tempfile::tempdir().unwrap();
    let err = worktrees::pr(&root, &tree, Some(empty.path().as_os_str())).unwrap_err();
    assert!(matches!(&err, WorktreeError::Gh(m) if m.contains("not installed") && m.contains("cli.github.com")), "{err}");
}

/// Two real Claude sessions in two worktrees of one repository write the same file
/// differently: neither sees the other's, each journal holds only its own change, and rolling
/// one back leaves the other's in place.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_sessions_in_two_worktrees_never_see_each_others_work() {
    let world = World::new();
    let root = world.project_path();
    git(&root, &["init", "--quiet", "--initial-branch=main"]);
    git(&root, &["config", "user.name", "Warden Test"]);
    git(&root, &["config", "user.email", "test@warden.invalid"]);
    std::fs::write(root.join("a.txt"), "one\n").unwrap();
    commit_all(&root, "first");
    let left = make(world.data_dir(), &root, "left");
    let right = make(world.data_dir(), &root, "right");
    let write = |tree: &Path, text: &str| Reply::tool("Write", json!({"file_path": tree.join("same.txt"), "content": text}));
    let left_mock = AnthropicMock::start(vec![write(&left.path, "left\n"), Reply::text("Done.")]).unwrap();
    let right_mock = AnthropicMock::start(vec![write(&right.path, "right\n"), Reply::text("Done.")]).unwrap();
    let left_home = tempfile::tempdir().unwrap();
    let right_home = tempfile::tempdir().unwrap();
    let mut left_run =
        Run::start_with(&world.engine, &left.path, claude(), claude_env(left_home.path(), &left_mock.url()), PermissionMode::Bypass).await;
    let mut right_run =
        Run::start_with(&world.engine, &right.path, claude(), claude_env(right_home.path(), &right_mock.url()), PermissionMode::Bypass).await;
    let left_turn = left_run.handle.prompt("write same.txt").await.unwrap();
    right_run.handle.prompt("write same.txt").await.unwrap();
    left_run.turn_end().await;
    right_run.turn_end().await;
    assert_eq!(std::fs::read_to_string(left.path.join("same.txt")).unwrap(), "left\n");
    assert_eq!(std::fs::read_to_string(right.path.join("same.txt")).unwrap(), "right\n");
    assert!(!root.join("same.txt").exists(), "the main folder saw neither");

    let files = world.engine.files();
    let key = |p: &Path| p.to_string_lossy().into_owned();
    let left_log = files.file_log(&key(&left.path), None).unwrap();
    let right_log = files.file_log(&key(&right.path), None).unwrap();
    assert_eq!(left_log.len(), 1, "{left_log:#?}");
    assert_eq!(right_log.len(), 1, "{right_log:#?}");
    assert_eq!((left_log[0].session_id.clone(), left_log[0].path.as_str()), (left_run.handle.id().clone(), "same.txt"));
    assert_eq!(right_log[0].session_id, *right_run.handle.id());

    let target = RollbackTarget::Turn { session_id: left_run.handle.id().clone(), turn: left_turn };
    files.rollback(&key(&left.path), target, false).unwrap();
    assert!(!left.path.join("same.txt").exists(), "rolled back in the left worktree");
    assert_eq!(std::fs::read_to_string(right.path.join("same.txt")).unwrap(), "right\n", "the right one is untouched");
    assert_eq!(files.file_log(&key(&right.path), None).unwrap().len(), 1);
    left_run.stop().await;
    right_run.stop().await;
}

#[test]
fn submodules_are_noted_and_a_main_folder_on_another_branch_is_refused() {
    let data = tempfile::tempdir().unwrap();
    let (_dir, root) = repo();
    std::fs::write(root.join(".gitmodules"), "[submodule \"lib\"]\n\tpath = lib\n\turl = ../lib\n").unwrap();
    commit_all(&root, "submodules");
    let options = CreateOptions { title: "sub".into(), ..Default::default() };
    let (tree, notes) = worktrees::create(data.path(), &root, &options).unwrap();
    assert!(notes.iter().any(|n| n.contains("submodules") && n.contains("not initialised")), "{notes:?}");
    git(&root, &["switch", "--quiet", "-c", "elsewhere"]);
    let err = worktrees::merge(&root, &tree, How::Merge, None).unwrap_err();
    assert!(matches!(&err, WorktreeError::WrongBranch(m) if m.contains("elsewhere") && m.contains("main")), "{err}");
}

/// A detached base: from a main folder on a detached `HEAD`, and from a commit named as the
/// base. Each worktree starts at that commit with a note saying so; a merge while the main
/// folder is still detached is refused in words with nothing changed, and once a branch is
/// checked out there the work goes into it.
#[test]
fn a_detached_base_is_noted_and_merges_into_the_branch_checked_out_later() {
    let data = tempfile::tempdir().unwrap();
    let (_dir, root) = repo();
    let first = git(&root, &["rev-parse", "HEAD"]);
    std::fs::write(root.join("b.txt"), "two\n").unwrap();
    commit_all(&root, "second");
    git(&root, &["switch", "--quiet", "--detach", &first]);

    let (tree, notes) = worktrees::create(data.path(), &root, &CreateOptions { title: "from detached".into(), ..Default::default() }).unwrap();
    assert!(notes.iter().any(|n| n.contains("detached HEAD") && n.contains(&first[..7])), "{notes:?}");
    assert_eq!((tree.base_branch.as_deref(), tree.base_commit.as_str()), (None, first.as_str()));
    assert!(!tree.path.join("b.txt").exists(), "the worktree starts at the detached commit");
    std::fs::write(tree.path.join("c.txt"), "three\n").unwrap();
    commit_all(&tree.path, "c");

    let err = worktrees::merge(&root, &tree, How::Merge, None).unwrap_err();
    assert!(matches!(&err, WorktreeError::WrongBranch(m) if m.contains("detached HEAD")), "{err}");
    assert_eq!(git(&root, &["rev-parse", "HEAD"]), first, "nothing moved");
    assert_eq!(git(&root, &["status", "--porcelain"]), "", "nothing half-merged");

    // A commit as the base is not a branch either.
    let options = CreateOptions { title: "from a commit".into(), base: Some(first.clone()), ..Default::default() };
    let (from_commit, notes) = worktrees::create(data.path(), &root, &options).unwrap();
    assert!(notes.iter().any(|n| n.contains("is not a branch")), "{notes:?}");
    assert_eq!((from_commit.base_branch.as_deref(), from_commit.base_commit.as_str()), (None, first.as_str()));

    git(&root, &["switch", "--quiet", "main"]);
    worktrees::merge(&root, &tree, How::Merge, None).unwrap();
    assert_eq!(std::fs::read_to_string(root.join("c.txt")).unwrap(), "three\n", "the work is on main");
    assert_eq!(std::fs::read_to_string(root.join("b.txt")).unwrap(), "two\n", "main's own commit stays");
    assert_eq!(git(&root, &["rev-parse", "--abbrev-ref", "HEAD"]), "main");
    assert_eq!(git(&root, &["status", "--porcelain"]), "");
}
