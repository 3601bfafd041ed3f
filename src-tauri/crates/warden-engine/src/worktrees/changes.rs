//! Everything on a worktree's branch versus its base: the commits since the merge base, and
//! file by file what differs between the merge base and the folder now — committed,
//! uncommitted and untracked alike — with lines added and removed; and one file's diff as the
//! Files panel shows it (before at the merge base, after on disk).
//!
//! Reads only: git runs through [`GitReader`], with the repository's configured filter and
//! diff commands switched off, so looking at a worktree never runs a command an agent wrote
//! into the configuration; the configuration is listed once per call.

use super::{git, recorded_at, ChangedFile, CommitLine, Worktree, WorktreeChanges, WorktreeError};
use crate::git_read::{tree_side, GitReader};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path};
use warden_core::journal::{DiffSide, FileDiff, OpKind};

/// The changes of the recorded worktree at `path` against the merge base of its branch and
/// its base (see the module's notes).
pub fn changes(data_dir: &Path, path: &Path) -> Result<WorktreeChanges, WorktreeError> {
    let (worktree, base, merge_base) = open(data_dir, path)?;
    let dir = worktree.path.as_path();
    let reader = GitReader::open(dir)?;
    let log = reader.read(&["log", "--no-color", "--format=%h%x00%s", &format!("{merge_base}..HEAD"), "--"])?;
    let commits = String::from_utf8_lossy(&log)
        .lines()
        .filter_map(|line| line.split_once('\0'))
        .map(|(id, subject)| CommitLine { id: id.to_owned(), subject: subject.to_owned() })
        .collect();
    // Against the working tree: commits and uncommitted edits in one comparison.
    let diff = ["diff", "--no-color", "--no-ext-diff", "--no-textconv", "--no-renames", "--ignore-submodules", "-z"];
    let statuses = reader.read(&[&diff[..], &["--name-status", &merge_base, "--"]].concat())?;
    let numstat = reader.read(&[&diff[..], &["--numstat", &merge_base, "--"]].concat())?;
    let counts = parse_numstat(&numstat);
    let uncommitted_tracked = reader.read(&[&diff[..], &["--name-only", "HEAD", "--"]].concat())?;
    let uncommitted: BTreeSet<String> = paths(&uncommitted_tracked).into_iter().collect();
    let mut files: BTreeMap<String, ChangedFile> = BTreeMap::new();
    for (status, file) in parse_name_status(&statuses) {
        let kind = match status {
            b'A' => OpKind::Create,
            b'D' => OpKind::Delete,
            _ => OpKind::Modify,
        };
        let (additions, deletions) = counts.get(&file).copied().unwrap_or((0, 0));
        let pending = uncommitted.contains(&file);
        files.insert(file.clone(), ChangedFile { path: file, kind, additions, deletions, uncommitted: pending });
    }
    let untracked = reader.read(&["ls-files", "--others", "--exclude-standard", "-z"])?;
    for file in paths(&untracked) {
        let additions = match tree_side(&dir.join(&file)) {
            DiffSide::Text { text } => text.lines().count() as u32,
            _ => 0,
        };
        files.insert(file.clone(), ChangedFile { path: file, kind: OpKind::Create, additions, deletions: 0, uncommitted: true });
    }
    Ok(WorktreeChanges { base, merge_base, commits, files: files.into_values().collect() })
}

/// The diff of `file` (relative to the worktree) in the recorded worktree at `path`: before
/// at the merge base, after in the folder now, with the journal's rules for text, binary,
/// symbolic links and files too large to show.
pub fn diff(data_dir: &Path, path: &Path, file: &str) -> Result<FileDiff, WorktreeError> {
    if file.is_empty() || !Path::new(file).components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(WorktreeError::BadPath(format!("'{file}' is not a path inside the worktree")));
    }
    let (worktree, _, merge_base) = open(data_dir, path)?;
    // A folder on the way that is a symbolic link could lead out of the worktree: not followed.
    let mut at = worktree.path.clone();
    let parts: Vec<_> = Path::new(file).components().collect();
    for part in parts.iter().take(parts.len().saturating_sub(1)) {
        at.push(part);
        if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(WorktreeError::BadPath(format!("'{file}' lies behind a symbolic link: it is not followed")));
        }
    }
    // The worktree's folder is the repository's top, so `file` is as the tree names it.
    let before = GitReader::open(&worktree.path)?.base_side(&merge_base, file)?;
    let after = tree_side(&worktree.path.join(file));
    let kind = match (&before, &after) {
        (DiffSide::Absent, _) => OpKind::Create,
        (_, DiffSide::Absent) => OpKind::Delete,
        _ => OpKind::Modify,
    };
    Ok(FileDiff { path: file.to_owned(), kind, before, after, ops: Vec::new() })
}

/// The recorded worktree at `path` with its folder there, its base in words, and the merge
/// base of its `HEAD` and the base (the base branch when it still exists, else the commit it
/// was made from).
fn open(data_dir: &Path, path: &Path) -> Result<(Worktree, String, String), WorktreeError> {
    let (_, worktree) = recorded_at(data_dir, path)?;
    if !worktree.path.is_dir() {
        return Err(WorktreeError::Io(format!(
            "the worktree's folder {} was deleted: discard it to clean up its branch",
            worktree.path.display()
        )));
    }
    let dir = worktree.path.as_path();
    let branch_commit = match &worktree.base_branch {
        Some(branch) => git::commit_of(dir, &format!("refs/heads/{branch}"))?,
        None => None,
    };
    let (base, base_commit) = match (&worktree.base_branch, branch_commit) {
        (Some(branch), Some(commit)) => (branch.clone(), commit),
        _ => (worktree.base_commit.get(..12).unwrap_or(&worktree.base_commit).to_owned(), worktree.base_commit.clone()),
    };
    let merge_base = git::ok(dir, &["merge-base", &base_commit, "HEAD"])?;
    Ok((worktree, base, merge_base))
}

/// `git diff --numstat -z` (no renames): `added<TAB>deleted<TAB>path` ended by NUL; a binary
/// file counts `-`, taken as 0.
fn parse_numstat(out: &[u8]) -> BTreeMap<String, (u32, u32)> {
    out.split(|b| *b == 0)
        .filter_map(|entry| std::str::from_utf8(entry).ok())
        .filter_map(|entry| {
            let mut fields = entry.splitn(3, '\t');
            let (added, deleted, path) = (fields.next()?, fields.next()?, fields.next()?);
            Some((path.to_owned(), (added.parse().unwrap_or(0), deleted.parse().unwrap_or(0))))
        })
        .collect()
}

/// `git diff --name-status -z` (no renames): a status letter then a path, each ended by NUL.
/// A path git cannot give as UTF-8 is skipped (the journal keeps none either).
fn parse_name_status(out: &[u8]) -> Vec<(u8, String)> {
    let mut fields = out.split(|b| *b == 0).filter(|f| !f.is_empty());
    let mut found = Vec::new();
    while let (Some(status), Some(path)) = (fields.next(), fields.next()) {
        if let (Some(letter), Ok(path)) = (status.first(), std::str::from_utf8(path)) {
            found.push((*letter, path.to_owned()));
        }
    }
    found
}

/// The paths of a NUL-separated list.
fn paths(out: &[u8]) -> Vec<String> {
    out.split(|b| *b == 0).filter(|p| !p.is_empty()).filter_map(|p| std::str::from_utf8(p).ok()).map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numstat_and_name_status_are_read_with_binary_files_as_zero() {
        let counts = parse_numstat(b"3\t1\ta.txt\0-\t-\tpic.png\0");
        assert_eq!(counts.get("a.txt"), Some(&(3, 1)));
        assert_eq!(counts.get("pic.png"), Some(&(0, 0)));
        assert_eq!(parse_name_status(b"M\0a.txt\0D\0gone.txt\0"), vec![(b'M', "a.txt".to_owned()), (b'D', "gone.txt".to_owned())]);
    }

    #[test]
    fn commands_the_repositorys_configuration_names_never_run_while_changes_are_read() {
        use crate::git_read::test_repo::{arm, ran, with_driver};
        let data = tempfile::tempdir().unwrap();
        let (_dir, repo, markers) = with_driver();
        let (tree, _) = super::super::create(data.path(), &repo, &super::super::CreateOptions { title: "t".into(), ..Default::default() }).unwrap();
        // Configured after the worktree was checked out (which would run a smudge filter);
        // a worktree shares its repository's configuration.
        arm(&repo, &markers);
        std::fs::write(tree.path.join("f.txt"), "a\nb\n").unwrap();
        std::fs::write(tree.path.join("new.txt"), "n\n").unwrap();

        let found = changes(data.path(), &tree.path).unwrap();
        let rows: Vec<(&str, u32)> = found.files.iter().map(|f| (f.path.as_str(), f.additions)).collect();
        assert_eq!(rows, [("f.txt", 1), ("new.txt", 1)]);
        let f = diff(data.path(), &tree.path, "f.txt").unwrap();
        assert_eq!((f.before, f.after), (DiffSide::Text { text: "a\n".into() }, DiffSide::Text { text: "a\nb\n".into() }));
        assert_eq!(ran(&markers), 0, "no configured command ran");
    }
}
