//! Running git for the worktrees: always from an argv (never a shell), with no pager, no
//! prompt and no file-system monitor, and checking the names a person or a script hands in
//! before git sees them. Reads of a worktree's changes go through [`crate::git_read`]
//! instead, which also overrides the repository's configured filter and diff commands.

use super::WorktreeError;
use crate::git_read::ReadError;
use std::io::ErrorKind;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Refuses a branch or base name that git could read as anything but one name (the rule:
/// [`crate::git_ref::ref_name_problem`]).
pub fn check_ref(name: &str) -> Result<(), WorktreeError> {
    match crate::git_ref::ref_name_problem(name) {
        Some(why) => Err(WorktreeError::BadRef { name: name.to_owned(), why }),
        None => Ok(()),
    }
}

/// Runs git in `dir` with `args`; the output, whatever the exit status.
pub fn run(dir: &Path, args: &[&str]) -> Result<Output, WorktreeError> {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_PAGER", "cat")
        .env("GIT_EDITOR", "true")
        // A configured fsmonitor is a command git would start: switched off for Warden's calls.
        .env("GIT_CONFIG_COUNT", "1")
        .env("GIT_CONFIG_KEY_0", "core.fsmonitor")
        .env("GIT_CONFIG_VALUE_0", "false")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| match e.kind() {
            ErrorKind::NotFound => WorktreeError::GitMissing,
            _ => WorktreeError::Git(format!("git could not be run: {e}")),
        })
}

impl From<ReadError> for WorktreeError {
    /// A read through [`crate::git_read::GitReader`] (a worktree's changes and diffs) that
    /// failed, named as the other git commands here name it.
    fn from(error: ReadError) -> Self {
        match error {
            ReadError::Spawn(e) if e.kind() == ErrorKind::NotFound => WorktreeError::GitMissing,
            ReadError::Spawn(e) => WorktreeError::Git(format!("git could not be run: {e}")),
            ReadError::Failed { command, stderr } => WorktreeError::Git(format!("git {command}: {stderr}")),
        }
    }
}

/// Runs git and returns its trimmed stdout; a failure is its stderr.
pub fn ok(dir: &Path, args: &[&str]) -> Result<String, WorktreeError> {
    let out = run(dir, args)?;
    if out.status.success() {
        return Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned());
    }
    Err(WorktreeError::Git(format!("git {}: {}", args.first().copied().unwrap_or(""), String::from_utf8_lossy(&out.stderr).trim())))
}

/// Whether git ran and succeeded.
pub fn succeeds(dir: &Path, args: &[&str]) -> Result<bool, WorktreeError> {
    Ok(run(dir, args)?.status.success())
}

/// The commit `name` resolves to in `dir`, or `None`.
pub fn commit_of(dir: &Path, name: &str) -> Result<Option<String>, WorktreeError> {
    let spec = format!("{name}^{{commit}}");
    let out = run(dir, &["rev-parse", "--verify", "--quiet", "--end-of-options", &spec])?;
    let id = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    Ok((out.status.success() && !id.is_empty()).then_some(id))
}

/// Whether the local branch `branch` exists in `dir`.
pub fn branch_exists(dir: &Path, branch: &str) -> Result<bool, WorktreeError> {
    succeeds(dir, &["show-ref", "--verify", "--quiet", &format!("refs/heads/{branch}")])
}

/// The paths `git status` lists in `dir` (tracked changes; untracked files too when `untracked`).
pub fn changed_paths(dir: &Path, untracked: bool) -> Result<Vec<String>, WorktreeError> {
    let mode = if untracked { "--untracked-files=normal" } else { "--untracked-files=no" };
    let out = run(dir, &["status", "--porcelain", "-z", "--no-renames", mode])?;
    if !out.status.success() {
        return Err(WorktreeError::Git(format!("git status: {}", String::from_utf8_lossy(&out.stderr).trim())));
    }
    // Each entry is `XY path` ended by a NUL (no renames, so never a second path).
    Ok(out.stdout.split(|b| *b == 0).filter(|e| e.len() > 3).map(|e| String::from_utf8_lossy(&e[3..]).into_owned()).collect())
}

/// The files left unmerged in `dir` by a conflict.
pub fn conflicted(dir: &Path) -> Result<Vec<String>, WorktreeError> {
    let out = ok(dir, &["diff", "--name-only", "--diff-filter=U"])?;
    Ok(out.lines().map(str::to_owned).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_git_could_read_as_options_or_ranges_are_refused() {
        for bad in ["", "--upload-pack=x", "-b", "a..b", "a b", "a\nb", "x;rm", "$(id)", "a:b"] {
            assert!(matches!(check_ref(bad), Err(WorktreeError::BadRef { .. })), "{bad:?} is refused");
        }
        for good in ["main", "warden/fix-login", "v1.2", "HEAD~2", "abc123", "feature/x_y"] {
            assert!(check_ref(good).is_ok(), "{good} is taken");
        }
    }
}
