//! The record of Warden's worktrees, `<data_dir>/worktrees/links.json`: for each worktree folder,
//! the main project it belongs to, its branch and its base. It is how a session in a worktree
//! finds the project rules of its main folder, and how `list` tells Warden's worktrees from
//! the person's own.

use super::WorktreeError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The file name of the record inside `<data_dir>/worktrees`.
pub const LINKS_FILE: &str = "links.json";

/// One worktree as recorded when it was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// The main project folder (canonical).
    pub project: String,
    /// The worktree's branch.
    pub branch: String,
    /// The branch it was made from, when the base was a branch; `None` for a commit or a
    /// detached `HEAD`.
    pub base_branch: Option<String>,
    /// The commit it was made from.
    pub base_commit: String,
}

/// Writers of this process take turns (the file is replaced atomically).
static WRITE: Mutex<()> = Mutex::new(());

fn file(data_dir: &Path) -> PathBuf {
    data_dir.join(super::WORKTREES_DIR).join(LINKS_FILE)
}

/// Every recorded worktree, keyed by its folder. A missing file is an empty record.
pub fn read(data_dir: &Path) -> Result<BTreeMap<String, Link>, WorktreeError> {
    let path = file(data_dir);
    match crate::json_file::read(&path) {
        Ok(None) => Ok(BTreeMap::new()),
        Ok(Some(bytes)) => serde_json::from_slice(&bytes)
            .map_err(|e| WorktreeError::Io(format!("the worktree record {} cannot be read: {e}", path.display()))),
        Err(e) => Err(WorktreeError::Io(format!("{}: {e}", path.display()))),
    }
}

/// Applies `edit` to the record and saves it.
pub fn update(data_dir: &Path, edit: impl FnOnce(&mut BTreeMap<String, Link>)) -> Result<(), WorktreeError> {
    let _one_writer = WRITE.lock().unwrap_or_else(|p| p.into_inner());
    let mut links = read(data_dir)?;
    edit(&mut links);
    let path = file(data_dir);
    let text = serde_json::to_vec_pretty(&links).map_err(|e| WorktreeError::Io(e.to_string()))?;
    crate::json_file::replace(&path, &text).map_err(|e| WorktreeError::Io(format!("{}: {e}", path.display())))
}

/// The main project of `folder` when it is one of Warden's worktrees, else `folder` itself:
/// what project rules are looked up by. An unreadable record counts as no record.
pub fn rules_project(data_dir: &Path, folder: &Path) -> PathBuf {
    read(data_dir)
        .ok()
        .and_then(|links| links.get(&folder.to_string_lossy().into_owned()).map(|l| PathBuf::from(&l.project)))
        .unwrap_or_else(|| folder.to_owned())
}
