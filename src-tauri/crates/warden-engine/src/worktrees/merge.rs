//! Bringing a worktree's work back into its base branch in the main folder: a merge commit, a
//! squashed commit, or its commits rebased onto the base and fast-forwarded. Never half-done: a
//! conflict is aborted and reported file by file, the base left as it was.

use super::{git, repository, Worktree, WorktreeError};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// How the work comes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum How {
    /// A merge commit (`git merge --no-ff`).
    Merge,
    /// One commit with all the work (`git merge --squash`, then a commit).
    Squash,
    /// The branch rebased onto the base in the worktree, then the base fast-forwarded.
    Rebase,
}

/// Merges `worktree` into its base branch in the main folder of `project`, `how` it is asked.
/// The main folder must have no uncommitted changes and be on the base branch (the branch
/// checked out there when the worktree was made from a commit). Uncommitted changes in the
/// worktree are committed first with `message`; without one they are refused. `message` is
/// also the merge or squash commit's message (a default names the branch). Returns the commit
/// the base branch is at afterwards.
pub fn merge(project: &Path, worktree: &Worktree, how: How, message: Option<&str>) -> Result<String, WorktreeError> {
    let main = repository(project)?;
    let dirty = git::changed_paths(&main, false)?;
    if !dirty.is_empty() {
        return Err(WorktreeError::MainDirty(dirty));
    }
    let current = git::run(&main, &["symbolic-ref", "--quiet", "--short", "HEAD"])?;
    let current = current.status.success().then(|| String::from_utf8_lossy(&current.stdout).trim().to_owned());
    let target = match (&worktree.base_branch, current) {
        (Some(base), Some(current)) if *base == current => base.clone(),
        (Some(base), current) => {
            return Err(WorktreeError::WrongBranch(format!(
                "the main folder is on {}, not on {base} where this work goes: check out {base} there first",
                current.as_deref().unwrap_or("a detached HEAD")
            )))
        }
        (None, Some(current)) => current,
        (None, None) => return Err(WorktreeError::WrongBranch("the main folder is on a detached HEAD: check out the branch the work goes into first".into())),
    };
    if worktree.path.is_dir() {
        let pending = git::changed_paths(&worktree.path, true)?;
        if !pending.is_empty() {
            let Some(message) = message else { return Err(WorktreeError::WorktreeDirty(pending)) };
            git::ok(&worktree.path, &["add", "--all"])?;
            git::ok(&worktree.path, &["commit", "--quiet", "--no-verify", "-m", message])?;
        }
    } else if how == How::Rebase {
        return Err(WorktreeError::Io(format!("the worktree's folder {} is gone: a rebase needs it (merge or squash instead)", worktree.path.display())));
    }
    let branch_ref = format!("refs/heads/{}", worktree.branch);
    let default_message = format!("Merge {} (Warden worktree)", worktree.branch);
    let message = message.unwrap_or(&default_message);
    match how {
        How::Merge => {
            let out = git::run(&main, &["merge", "--no-ff", "--no-edit", "-m", message, "--end-of-options", &branch_ref])?;
            if !out.status.success() {
                return Err(undo(&main, &["merge", "--abort"], &out)?);
            }
        }
        How::Squash => {
            let out = git::run(&main, &["merge", "--squash", "--end-of-options", &branch_ref])?;
            if !out.status.success() {
                return Err(undo(&main, &["reset", "--merge"], &out)?);
            }
            // Nothing staged: the branch adds nothing the base has not got.
            if !git::succeeds(&main, &["diff", "--cached", "--quiet"])? {
                git::ok(&main, &["commit", "--quiet", "--no-verify", "-m", message])?;
            }
        }
        How::Rebase => {
            let out = git::run(&worktree.path, &["rebase", "--end-of-options", &format!("refs/heads/{target}")])?;
            if !out.status.success() {
                return Err(undo(&worktree.path, &["rebase", "--abort"], &out)?);
            }
            git::ok(&main, &["merge", "--ff-only", "--end-of-options", &branch_ref])?;
        }
    }
    git::ok(&main, &["rev-parse", "HEAD"])
}

/// After a failed merge, squash or rebase in `dir`: the conflicting files, then `abort` run so
/// nothing is left half-done. A failure that is no conflict is git's own message.
fn undo(dir: &Path, abort: &[&str], failed: &std::process::Output) -> Result<WorktreeError, WorktreeError> {
    let files = git::conflicted(dir)?;
    git::ok(dir, abort)?;
    if files.is_empty() {
        let said = format!("{}{}", String::from_utf8_lossy(&failed.stdout).trim(), String::from_utf8_lossy(&failed.stderr).trim());
        return Ok(WorktreeError::Git(said));
    }
    Ok(WorktreeError::Conflict { files })
}
