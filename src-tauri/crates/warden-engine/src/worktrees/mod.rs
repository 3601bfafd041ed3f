//! Sessions in their own git worktree: a branch checked out into a folder Warden manages
//! outside the project, `<data_dir>/worktrees/<project-key>/<branch-slug>` (the project key is
//! the data folder's usual one: the folder's name and a hash of its path), so two agents can
//! work on one repository without seeing each other's changes; then their work is brought
//! back (merge, squash, rebase), offered as a pull request, or discarded.
//!
//! Every git call runs from an argv, never a shell; branch and base names are checked before
//! git sees them. Submodules are not initialised in a worktree (that would fetch over the
//! network without being asked): `create` says so in its notes.

mod by_folder;
mod changes;
mod commit;
mod create;
pub mod git;
pub mod links;
mod merge;
mod options;
mod pr;
pub mod setup;

pub use by_folder::{discard_at, list_of, merge_at, pr_at};
pub use changes::{changes, diff};
pub use commit::commit;
pub use create::{create, slug, suggested_branch, CreateOptions};
pub use links::rules_project;
pub use merge::{merge, How};
pub use options::options;
pub use pr::pr;
pub use warden_core::worktree::{ChangedFile, CommitLine, MergeHow, WorktreeChanges, WorktreeInfo, WorktreeOptions, WorktreeStart};

use serde::Serialize;
use std::path::{Path, PathBuf};

/// The folder of Warden's worktrees inside the data folder.
pub const WORKTREES_DIR: &str = "worktrees";

/// Why a worktree operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorktreeError {
    /// git is not installed.
    #[error("git is not installed (or not on PATH)")]
    GitMissing,
    /// The folder is not in a git repository.
    #[error("{0} is not a git repository")]
    NotGitRepository(String),
    /// The repository has no commit yet, so there is nothing to branch from.
    #[error("the repository has no commits yet: commit something first, a worktree starts from a commit")]
    NoCommits,
    /// A branch or base name that is refused before git sees it.
    #[error("'{name}' is refused as a branch or base: {why}")]
    BadRef {
        /// The name as given.
        name: String,
        /// Why.
        why: String,
    },
    /// The base names no commit.
    #[error("unknown base '{0}': no branch, tag or commit by that name")]
    UnknownBase(String),
    /// The asked-for branch exists already.
    #[error("the branch '{0}' exists already: name another one")]
    BranchExists(String),
    /// No worktree of Warden's by that branch or folder in this project.
    #[error("no Warden worktree '{0}' in this project (`warden worktrees list` shows them)")]
    NotFound(String),
    /// The main folder has uncommitted changes: nothing is merged into it.
    #[error("the main folder has uncommitted changes ({}): commit or put them aside first", .0.join(", "))]
    MainDirty(Vec<String>),
    /// The worktree has uncommitted changes and no commit message was given.
    #[error("the worktree has uncommitted changes ({}): give a message to commit them first, or commit them yourself", .0.join(", "))]
    WorktreeDirty(Vec<String>),
    /// The main folder is not on the branch the work goes into.
    #[error("{0}")]
    WrongBranch(String),
    /// The merge conflicts; the base was left as it was.
    #[error("the merge conflicts in {}: nothing was merged, the base is left as it was", .files.join(", "))]
    Conflict {
        /// The conflicting files.
        files: Vec<String>,
    },
    /// A file to copy that is refused.
    #[error("cannot copy '{path}' into the worktree: {why}")]
    BadCopy {
        /// The path as given.
        path: String,
        /// Why.
        why: String,
    },
    /// `gh` is not installed or not logged in.
    #[error("{0}")]
    Gh(String),
    /// git failed.
    #[error("{0}")]
    Git(String),
    /// A file named inside the worktree that is refused (outside it, behind a symbolic link).
    #[error("{0}")]
    BadPath(String),
    /// Reading or writing a file failed.
    #[error("{0}")]
    Io(String),
    /// A folder that is not one of Warden's recorded worktrees: nothing runs in it.
    #[error("{0} is not one of Warden's worktrees")]
    NotWarden(String),
    /// The setup command failed; the worktree just made for it was removed.
    #[error("{0}")]
    Setup(String),
}

/// One of Warden's worktrees of a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Worktree {
    /// Its folder.
    pub path: PathBuf,
    /// Its branch.
    pub branch: String,
    /// The branch it was made from (its work goes back there), when the base was a branch.
    pub base_branch: Option<String>,
    /// The commit it was made from.
    pub base_commit: String,
}

/// A worktree with its state now, as `list` gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorktreeState {
    /// The worktree.
    #[serde(flatten)]
    pub worktree: Worktree,
    /// Commits on its branch that its base does not have.
    pub ahead: u32,
    /// Commits on its base that its branch does not have.
    pub behind: u32,
    /// Files with uncommitted changes in its folder (empty when the folder is missing).
    pub uncommitted: Vec<String>,
    /// Its folder was deleted by hand (`discard` still cleans up).
    pub missing: bool,
}

/// The folder of `project`'s worktrees.
pub fn project_folder(data_dir: &Path, project: &Path) -> PathBuf {
    data_dir.join(WORKTREES_DIR).join(warden_gate::config::project_key(project))
}

/// The top folder of the repository `project` is in, checked to have a commit.
pub(crate) fn repository(project: &Path) -> Result<PathBuf, WorktreeError> {
    let inside = git::run(project, &["rev-parse", "--show-toplevel"])?;
    if !inside.status.success() {
        return Err(WorktreeError::NotGitRepository(project.display().to_string()));
    }
    let top = PathBuf::from(String::from_utf8_lossy(&inside.stdout).trim());
    if git::commit_of(&top, "HEAD")?.is_none() {
        return Err(WorktreeError::NoCommits);
    }
    Ok(top.canonicalize().unwrap_or(top))
}

/// Warden's worktrees of `project` with their state: branch, base, ahead/behind, uncommitted
/// changes, and `missing` when the folder was deleted by hand (git's record of a deleted
/// folder is pruned on the way, as `git worktree prune` would).
pub fn list(data_dir: &Path, project: &Path) -> Result<Vec<WorktreeState>, WorktreeError> {
    let main = repository(project)?;
    let recorded = recorded(data_dir, &main)?;
    if recorded.iter().any(|w| !w.path.is_dir()) {
        git::ok(&main, &["worktree", "prune"])?;
    }
    recorded.into_iter().map(|worktree| state_of(&main, worktree)).collect()
}

/// The state of `worktree` of the repository at `main` now (see [`list`]).
fn state_of(main: &Path, worktree: Worktree) -> Result<WorktreeState, WorktreeError> {
    let missing = !worktree.path.is_dir();
    let base = worktree.base_branch.clone().unwrap_or_else(|| worktree.base_commit.clone());
    let (behind, ahead) = if git::branch_exists(main, &worktree.branch)? {
        let counts = git::ok(main, &["rev-list", "--left-right", "--count", &format!("{base}...refs/heads/{}", worktree.branch)])?;
        let mut n = counts.split_whitespace().map(|n| n.parse::<u32>().unwrap_or(0));
        (n.next().unwrap_or(0), n.next().unwrap_or(0))
    } else {
        (0, 0)
    };
    let uncommitted = if missing { Vec::new() } else { git::changed_paths(&worktree.path, true)? };
    Ok(WorktreeState { worktree, ahead, behind, uncommitted, missing })
}

/// The recorded worktree whose folder is `path`, and its main project: how every command from
/// the window that names a worktree by its folder is checked first (any other folder is
/// refused, whatever it holds). A folder deleted by hand is still found by its recorded name.
pub fn recorded_at(data_dir: &Path, path: &Path) -> Result<(PathBuf, Worktree), WorktreeError> {
    let links = links::read(data_dir)?;
    let canonical = path.canonicalize().ok();
    let keys = [Some(path.to_string_lossy().into_owned()), canonical.map(|c| c.to_string_lossy().into_owned())];
    let (key, link) = keys
        .iter()
        .flatten()
        .find_map(|k| links.get_key_value(k))
        .ok_or_else(|| WorktreeError::NotWarden(path.display().to_string()))?;
    let worktree =
        Worktree { path: PathBuf::from(key), branch: link.branch.clone(), base_branch: link.base_branch.clone(), base_commit: link.base_commit.clone() };
    Ok((PathBuf::from(&link.project), worktree))
}

/// The state of the recorded worktree at `path` (see [`recorded_at`]): `missing` when its
/// folder was deleted by hand, which is no error.
pub fn state(data_dir: &Path, path: &Path) -> Result<WorktreeInfo, WorktreeError> {
    let (main, worktree) = recorded_at(data_dir, path)?;
    if !worktree.path.is_dir() && main.is_dir() {
        // git's record of the deleted folder goes, as `git worktree prune` would.
        let _ = git::run(&main, &["worktree", "prune"]);
    }
    if !main.is_dir() {
        return Err(WorktreeError::NotGitRepository(main.display().to_string()));
    }
    Ok(state_of(&main, worktree)?.into())
}

impl From<WorktreeState> for WorktreeInfo {
    fn from(state: WorktreeState) -> Self {
        Self {
            path: state.worktree.path.to_string_lossy().into_owned(),
            branch: state.worktree.branch,
            base_branch: state.worktree.base_branch,
            base_commit: state.worktree.base_commit,
            ahead: state.ahead,
            behind: state.behind,
            uncommitted: state.uncommitted,
            missing: state.missing,
        }
    }
}

impl From<MergeHow> for How {
    fn from(how: MergeHow) -> Self {
        match how {
            MergeHow::Merge => How::Merge,
            MergeHow::Squash => How::Squash,
            MergeHow::Rebase => How::Rebase,
        }
    }
}

/// Warden's recorded worktrees of the repository at `main`, in branch order.
fn recorded(data_dir: &Path, main: &Path) -> Result<Vec<Worktree>, WorktreeError> {
    let main = main.to_string_lossy();
    let mut found: Vec<Worktree> = links::read(data_dir)?
        .into_iter()
        .filter(|(_, link)| link.project == main)
        .map(|(path, link)| Worktree { path: PathBuf::from(path), branch: link.branch, base_branch: link.base_branch, base_commit: link.base_commit })
        .collect();
    found.sort_by(|a, b| a.branch.cmp(&b.branch));
    Ok(found)
}

/// The folders of Warden's worktrees of `project` (its repository, or a folder inside it) that
/// exist, read from the record alone (no git): what the window watches while `project` is open.
/// An unreadable record gives none.
pub fn folders_of(data_dir: &Path, project: &Path) -> Vec<PathBuf> {
    let project = project.canonicalize().unwrap_or_else(|_| project.to_owned());
    let links = links::read(data_dir).unwrap_or_default();
    links
        .into_iter()
        .filter(|(_, link)| project.starts_with(&link.project))
        .map(|(path, _)| PathBuf::from(path))
        .filter(|path| path.is_dir())
        .collect()
}

/// The worktree of `project` named by its branch or its folder.
pub fn find(data_dir: &Path, project: &Path, name: &str) -> Result<Worktree, WorktreeError> {
    let main = repository(project)?;
    let as_path = Path::new(name).canonicalize().ok();
    recorded(data_dir, &main)?
        .into_iter()
        .find(|w| w.branch == name || w.path == Path::new(name) || as_path.as_deref() == Some(w.path.as_path()))
        .ok_or_else(|| WorktreeError::NotFound(name.to_owned()))
}

/// Removes the worktree's folder and its branch (`git worktree remove --force`, `git branch -D`),
/// also when the folder was already deleted by hand, and forgets it.
pub fn discard(data_dir: &Path, project: &Path, worktree: &Worktree) -> Result<(), WorktreeError> {
    let main = repository(project)?;
    let path = worktree.path.to_string_lossy().into_owned();
    if worktree.path.is_dir() {
        git::ok(&main, &["worktree", "remove", "--force", "--end-of-options", &path])?;
    } else {
        git::ok(&main, &["worktree", "prune"])?;
    }
    if git::branch_exists(&main, &worktree.branch)? {
        git::ok(&main, &["branch", "-D", "--end-of-options", &worktree.branch])?;
    }
    links::update(data_dir, |links| {
        links.remove(&path);
    })
}
