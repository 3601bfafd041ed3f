//! The diff of a review against a git base (`ReviewScope::Base`): what the project's working
//! tree holds now against the merge base of the base and `HEAD` — commits since, uncommitted
//! edits and untracked files — as the same [`FileDiff`]s the journal gives, so the reviewer's
//! findings are anchored to hunks cut the same way.
//!
//! The base comes from a person or a script, so it is checked strictly before git sees it, git
//! runs from an argv (never a shell), with `--end-of-options` where git takes it, and only the
//! commit id git resolved is passed on to the later commands. Git only reads here, through
//! [`GitReader`], so nothing the repository's configuration names runs; the files' two sides
//! follow [`crate::git_read`]'s rules (a symbolic link as its target, a folder or a submodule
//! as absent).

use super::ReviewError;
use crate::git_read::{tree_side, GitReader, ReadError};
use std::io::ErrorKind;
use std::path::Path;
use std::process::Output;
use warden_core::journal::{DiffSide, FileDiff, OpKind};
/// The most files a base review takes: past that the change is too large to review.
pub const FILE_COUNT_LIMIT: usize = 1000;
/// The most bytes of file content read over the whole change: past that, further files show
/// only their size (the reviewer can still open them).
pub const TOTAL_SIZE_LIMIT: u64 = 16 * 1024 * 1024;

/// The change since a base: the commit git's merge base is, and each changed file.
#[derive(Debug, Clone)]
pub struct BaseDiff {
    /// The merge base of the base and `HEAD` (a full commit id).
    pub merge_base: String,
    /// Each changed file, before (at the merge base) and after (in the working tree), in path
    /// order: tracked changes first, then untracked files.
    pub diffs: Vec<FileDiff>,
}

/// Refuses a base that could be read by git as anything but one revision (the rule:
/// [`crate::git_ref::ref_name_problem`]).
pub fn check_base(base: &str) -> Result<(), ReviewError> {
    match crate::git_ref::ref_name_problem(base) {
        Some(why) => Err(ReviewError::BadBase { base: base.to_owned(), why }),
        None => Ok(()),
    }
}

/// The change in the project at `project` since `base` (see the module's notes).
pub fn base_diff(project: &Path, base: &str) -> Result<BaseDiff, ReviewError> {
    check_base(base)?;
    let git = GitReader::open(project)?;
    let inside = run(&git, &["rev-parse", "--is-inside-work-tree"])?;
    if !inside.status.success() || String::from_utf8_lossy(&inside.stdout).trim() != "true" {
        return Err(ReviewError::NotGitRepository(project.display().to_string()));
    }
    let spec = format!("{base}^{{commit}}");
    let resolved = run(&git, &["rev-parse", "--verify", "--quiet", "--end-of-options", &spec])?;
    let commit = String::from_utf8_lossy(&resolved.stdout).trim().to_owned();
    if !resolved.status.success() || !is_commit_id(&commit) {
        return Err(ReviewError::UnknownBase(base.to_owned()));
    }
    let merged = run(&git, &["merge-base", &commit, "HEAD"])?;
    let merge_base = String::from_utf8_lossy(&merged.stdout).trim().to_owned();
    if !merged.status.success() || !is_commit_id(&merge_base) {
        return Err(ReviewError::Git(format!("{base} and HEAD have no common commit")));
    }
    // `--relative`: paths relative to the project folder, limited to it, like the journal's.
    // Submodules are left out: their "content" is a commit, not a file to review.
    let changed = git.read(
        &["diff", "--no-color", "--no-ext-diff", "--no-textconv", "--no-renames", "--ignore-submodules", "--relative", "--name-status", "-z", &merge_base, "--"],
    )?;
    let untracked = git.read(&["ls-files", "--others", "--exclude-standard", "-z"])?;
    let mut changes = parse_name_status(&changed);
    changes.extend(parse_paths(&untracked).into_iter().map(|path| Change { status: Status::Added, path }));
    if changes.len() > FILE_COUNT_LIMIT {
        return Err(ReviewError::Git(format!("{} files changed since {base}: more than the {FILE_COUNT_LIMIT} a review takes", changes.len())));
    }
    let mut read: u64 = 0;
    let diffs = changes
        .into_iter()
        .map(|change| {
            let before = match change.status {
                Status::Added => DiffSide::Absent,
                // The path is relative to the project folder, as `--relative` gave it.
                _ => bounded(git.base_side(&merge_base, &change.path)?, &mut read),
            };
            let after = match change.status {
                Status::Deleted => DiffSide::Absent,
                _ => bounded(tree_side(&project.join(&change.path)), &mut read),
            };
            let kind = match (&before, &after) {
                (DiffSide::Absent, _) => OpKind::Create,
                (_, DiffSide::Absent) => OpKind::Delete,
                _ => OpKind::Modify,
            };
            Ok(FileDiff { path: change.path, kind, before, after, ops: Vec::new() })
        })
        .collect::<Result<Vec<_>, ReviewError>>()?;
    Ok(BaseDiff { merge_base, diffs })
}

/// `side`, counted against [`TOTAL_SIZE_LIMIT`]: a text past it shows only its size.
fn bounded(side: DiffSide, read: &mut u64) -> DiffSide {
    let DiffSide::Text { text } = &side else { return side };
    let size = text.len() as u64;
    if *read + size > TOTAL_SIZE_LIMIT {
        return DiffSide::TooLarge { size };
    }
    *read += size;
    side
}

/// How git names a file's change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    /// New since the base (or untracked).
    Added,
    /// Gone since the base.
    Deleted,
    /// Changed otherwise (content, type or mode).
    Modified,
}

/// One changed path.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Change {
    status: Status,
    path: String,
}

/// The changes of `git diff --name-status -z --no-renames`: a status field then a path, each
/// ended by NUL. A path git cannot give as UTF-8 is skipped (the journal keeps none either).
fn parse_name_status(out: &[u8]) -> Vec<Change> {
    let mut fields = out.split(|b| *b == 0).filter(|f| !f.is_empty());
    let mut changes = Vec::new();
    while let (Some(status), Some(path)) = (fields.next(), fields.next()) {
        let status = match status.first() {
            Some(b'A') => Status::Added,
            Some(b'D') => Status::Deleted,
            _ => Status::Modified,
        };
        if let Ok(path) = std::str::from_utf8(path) {
            changes.push(Change { status, path: path.to_owned() });
        }
    }
    changes
}

/// The paths of a NUL-separated list (`git ls-files -z`).
fn parse_paths(out: &[u8]) -> Vec<String> {
    out.split(|b| *b == 0).filter(|p| !p.is_empty()).filter_map(|p| std::str::from_utf8(p).ok()).map(str::to_owned).collect()
}

/// A full commit id (SHA-1 or SHA-256, hex).
fn is_commit_id(text: &str) -> bool {
    matches!(text.len(), 40 | 64) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Runs a git command whose exit status the caller reads itself.
fn run(git: &GitReader, args: &[&str]) -> Result<Output, ReviewError> {
    git.run(args).map_err(|e| ReadError::Spawn(e).into())
}

impl From<ReadError> for ReviewError {
    fn from(error: ReadError) -> Self {
        match error {
            ReadError::Spawn(e) if e.kind() == ErrorKind::NotFound => ReviewError::GitMissing,
            ReadError::Spawn(e) => ReviewError::Git(format!("git could not be run: {e}")),
            ReadError::Failed { stderr, .. } => ReviewError::Git(stderr),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    #[test]
    fn bases_that_git_could_read_as_options_ranges_or_commands_are_refused() {
        for bad in ["--output=/tmp/x", "-p", "a b", "main..x", "main...x", "$(x)", "`x`", "a;b", "HEAD:src", ":/fix", "", "a\tb", "a\nb", "x\u{7}"] {
            assert!(matches!(check_base(bad), Err(ReviewError::BadBase { .. })), "{bad:?} is refused");
        }
        for good in ["main", "origin/main", "v1.2", "HEAD~3", "HEAD^", "@{u}", "feature/x-y_z+1", "0123abcd"] {
            assert!(check_base(good).is_ok(), "{good} is taken");
        }
    }

    #[test]
    fn git_refusals_are_named_errors() {
        let dir = tempfile::tempdir().unwrap();
        let run = |args: &[&str]| assert!(Command::new("git").args(args).current_dir(dir.path()).output().unwrap().status.success());
        run(&["init", "-q", "-b", "main"]);
        run(&["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "one"]);
        assert!(matches!(base_diff(dir.path(), "nope"), Err(ReviewError::UnknownBase(_))));
        assert!(matches!(base_diff(dir.path(), "--output=/tmp/x"), Err(ReviewError::BadBase { .. })));
        let empty = base_diff(dir.path(), "main").unwrap();
        assert!(empty.diffs.is_empty() && is_commit_id(&empty.merge_base));
        let plain = tempfile::tempdir().unwrap();
        assert!(matches!(base_diff(plain.path(), "main"), Err(ReviewError::NotGitRepository(_))));
    }

    #[test]
    fn commands_the_repositorys_configuration_names_never_run() {
        let (_dir, repo, markers) = crate::git_read::test_repo::with_driver();
        crate::git_read::test_repo::arm(&repo, &markers);
        std::fs::write(repo.join("f.txt"), "b\n").unwrap();
        std::fs::write(repo.join("new.txt"), "n\n").unwrap();
        let changed = base_diff(&repo, "main").unwrap();
        let paths: Vec<&str> = changed.diffs.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["f.txt", "new.txt"]);
        assert_eq!(changed.diffs[0].before, DiffSide::Text { text: "a\n".into() });
        assert_eq!(crate::git_read::test_repo::ran(&markers), 0, "no configured command ran");
    }

    #[test]
    fn name_status_output_is_parsed_by_nul_fields() {
        let out = b"M\0src/lib.rs\0A\0new file.txt\0D\0gone.rs\0T\0link\0";
        let changes = parse_name_status(out);
        assert_eq!(
            changes,
            [
                Change { status: Status::Modified, path: "src/lib.rs".into() },
                Change { status: Status::Added, path: "new file.txt".into() },
                Change { status: Status::Deleted, path: "gone.rs".into() },
                Change { status: Status::Modified, path: "link".into() },
            ]
        );
        assert_eq!(parse_name_status(b""), []);
        assert_eq!(parse_paths(b"a.txt\0dir/b c.txt\0"), ["a.txt", "dir/b c.txt"]);
    }

    #[test]
    fn text_past_the_total_limit_shows_only_its_size() {
        let mut read = TOTAL_SIZE_LIMIT - 3;
        assert_eq!(bounded(DiffSide::Text { text: "ab\n".into() }, &mut read), DiffSide::Text { text: "ab\n".into() });
        assert_eq!(bounded(DiffSide::Text { text: "c\n".into() }, &mut read), DiffSide::TooLarge { size: 2 });
        assert_eq!(bounded(DiffSide::Absent, &mut read), DiffSide::Absent);
    }

    #[test]
    fn only_full_hex_ids_are_commit_ids() {
        assert!(is_commit_id(&"a".repeat(40)) && is_commit_id(&"b".repeat(64)));
        assert!(!is_commit_id("main") && !is_commit_id(&"g".repeat(40)));
    }
}
