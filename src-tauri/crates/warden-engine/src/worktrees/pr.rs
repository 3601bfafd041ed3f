//! Offering a worktree's work as a pull request: the branch pushed to `origin`, then
//! `gh pr create` — when GitHub's `gh` is installed and logged in.

use super::{git, repository, Worktree, WorktreeError};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Pushes the worktree's branch to `origin` and opens a pull request into its base with `gh`,
/// looked for on `path_var` (the process's `PATH`, or the login shell's on macOS, when `None`).
/// Returns what `gh` printed (the pull request's address).
pub fn pr(project: &Path, worktree: &Worktree, path_var: Option<&OsStr>) -> Result<String, WorktreeError> {
    let main = repository(project)?;
    let path_var = path_var.map(OsStr::to_owned).or_else(warden_platform::login_path::search_path).unwrap_or_default();
    let gh = find_on(&path_var, "gh").ok_or_else(|| {
        WorktreeError::Gh("GitHub's command line `gh` is not installed (or not on PATH): install it from https://cli.github.com and run `gh auth login`, or push the branch yourself".into())
    })?;
    let gh_run = |args: &[&str]| {
        Command::new(&gh)
            .args(args)
            .current_dir(&main)
            .env("GH_PROMPT_DISABLED", "1")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| WorktreeError::Gh(format!("gh could not be run: {e}")))
    };
    if !gh_run(&["auth", "status"])?.status.success() {
        return Err(WorktreeError::Gh("`gh` is not logged in: run `gh auth login` first".into()));
    }
    git::ok(&main, &["push", "--set-upstream", "origin", "--end-of-options", &format!("refs/heads/{0}:refs/heads/{0}", worktree.branch)])?;
    let mut args = vec!["pr", "create", "--head", worktree.branch.as_str(), "--fill"];
    if let Some(base) = &worktree.base_branch {
        args.extend(["--base", base.as_str()]);
    }
    let out = gh_run(&args)?;
    if !out.status.success() {
        return Err(WorktreeError::Gh(format!("gh pr create failed: {}", String::from_utf8_lossy(&out.stderr).trim())));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// The first executable file named `name` in the folders of `path_var`.
fn find_on(path_var: &OsStr, name: &str) -> Option<PathBuf> {
    std::env::split_paths(path_var).map(|dir| dir.join(name)).find(|candidate| is_executable(candidate))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file() || path.with_extension("exe").is_file()
}
