//! Committing a worktree's uncommitted work on its branch, with the person's message.

use super::{git, recorded_at, WorktreeError};
use std::path::Path;

/// Commits everything uncommitted in the recorded worktree at `path` (untracked files too,
/// as `git add --all` takes them) with `message`; returns the new commit's id. Nothing to
/// commit, an empty message or a folder deleted by hand are refused in words.
pub fn commit(data_dir: &Path, path: &Path, message: &str) -> Result<String, WorktreeError> {
    let (_, worktree) = recorded_at(data_dir, path)?;
    if !worktree.path.is_dir() {
        return Err(WorktreeError::Io(format!("the worktree's folder {} is gone: there is nothing to commit", worktree.path.display())));
    }
    if message.trim().is_empty() {
        return Err(WorktreeError::Git("a commit needs a message".into()));
    }
    if git::changed_paths(&worktree.path, true)?.is_empty() {
        return Err(WorktreeError::Git("there is nothing to commit: the worktree has no uncommitted changes".into()));
    }
    git::ok(&worktree.path, &["add", "--all"])?;
    // `--no-verify`: the repository's hooks are commands an agent may have written; the gate's
    // checks are where Warden runs the project's commands.
    git::ok(&worktree.path, &["commit", "--quiet", "--no-verify", "-m", message])?;
    git::ok(&worktree.path, &["rev-parse", "HEAD"])
}
