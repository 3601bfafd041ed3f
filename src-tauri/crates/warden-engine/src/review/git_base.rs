//! The diff of a review against a git base (`ReviewScope::Base`): what the project's working
//! tree holds now against the merge base of the base and `HEAD` — commits since, uncommitted
//! edits and untracked files — as the same [`FileDiff`]s the journal gives, so the reviewer's
//! findings are anchored to hunks cut the same way.
//!
//! The base comes from a person or a script, so it is checked strictly before git sees it, git
//! runs from an argv (never a shell), with `--end-of-options` where git takes it, and only the
//! commit id git resolved is passed on to the later commands.

use super::ReviewError;
use std::io::ErrorKind;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use warden_core::journal::{DiffSide, FileDiff, OpKind};

/// Past this many bytes a file's content is not read (it shows as too large).
pub const FILE_SIZE_LIMIT: u64 = 1024 * 1024;
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
    let mut git = Git::new(project);
    let inside = git.run(&["rev-parse", "--is-inside-work-tree"])?;
    if !inside.status.success() || String::from_utf8_lossy(&inside.stdout).trim() != "true" {
        return Err(ReviewError::NotGitRepository(project.display().to_string()));
    }
    git.disarm_configured_commands()?;
    let spec = format!("{base}^{{commit}}");
    let resolved = git.run(&["rev-parse", "--verify", "--quiet", "--end-of-options", &spec])?;
    let commit = String::from_utf8_lossy(&resolved.stdout).trim().to_owned();
    if !resolved.status.success() || !is_commit_id(&commit) {
        return Err(ReviewError::UnknownBase(base.to_owned()));
    }
    let merged = git.run(&["merge-base", &commit, "HEAD"])?;
    let merge_base = String::from_utf8_lossy(&merged.stdout).trim().to_owned();
    if !merged.status.success() || !is_commit_id(&merge_base) {
        return Err(ReviewError::Git(format!("{base} and HEAD have no common commit")));
    }
    // `--relative`: paths relative to the project folder, limited to it, like the journal's.
    // Submodules are left out: their "content" is a commit, not a file to review.
    let changed = checked(git.run(
        &["diff", "--no-color", "--no-ext-diff", "--no-textconv", "--no-renames", "--ignore-submodules", "--relative", "--name-status", "-z", &merge_base, "--"],
    )?)?;
    let untracked = checked(git.run(&["ls-files", "--others", "--exclude-standard", "-z"])?)?;
    let mut changes = parse_name_status(&changed.stdout);
    changes.extend(parse_paths(&untracked.stdout).into_iter().map(|path| Change { status: Status::Added, path }));
    if changes.len() > FILE_COUNT_LIMIT {
        return Err(ReviewError::Git(format!("{} files changed since {base}: more than the {FILE_COUNT_LIMIT} a review takes", changes.len())));
    }
    let mut read: u64 = 0;
    let diffs = changes
        .into_iter()
        .map(|change| {
            let before = match change.status {
                Status::Added => DiffSide::Absent,
                _ => bounded(base_side(&git, &merge_base, &change.path)?, &mut read),
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

/// A file's content at the merge base (`git cat-file blob`, raw: no text conversion).
fn base_side(git: &Git<'_>, merge_base: &str, path: &str) -> Result<DiffSide, ReviewError> {
    // `./` makes the path relative to the project folder, as `--relative` gave it.
    let object = format!("{merge_base}:./{path}");
    let size = checked(git.run(&["cat-file", "-s", &object])?)?;
    let size: u64 = String::from_utf8_lossy(&size.stdout).trim().parse().unwrap_or(0);
    if size > FILE_SIZE_LIMIT {
        return Ok(DiffSide::TooLarge { size });
    }
    let blob = checked(git.run(&["cat-file", "blob", &object])?)?;
    Ok(side_of(blob.stdout))
}

/// A file's content in the working tree.
fn tree_side(path: &Path) -> DiffSide {
    match std::fs::symlink_metadata(path) {
        Err(_) => DiffSide::Absent,
        Ok(meta) if meta.file_type().is_symlink() => {
            DiffSide::Symlink { target: std::fs::read_link(path).map(|t| t.to_string_lossy().into_owned()).unwrap_or_default() }
        }
        Ok(meta) if meta.len() > FILE_SIZE_LIMIT => DiffSide::TooLarge { size: meta.len() },
        Ok(meta) => match std::fs::read(path) {
            Ok(bytes) => side_of(bytes),
            Err(_) => DiffSide::Binary { size: meta.len() },
        },
    }
}

/// Text when the bytes are UTF-8 without NUL (the journal's rule), else binary.
fn side_of(bytes: Vec<u8>) -> DiffSide {
    let size = bytes.len() as u64;
    if bytes.contains(&0) {
        return DiffSide::Binary { size };
    }
    match String::from_utf8(bytes) {
        Ok(text) => DiffSide::Text { text },
        Err(_) => DiffSide::Binary { size },
    }
}

/// A full commit id (SHA-1 or SHA-256, hex).
fn is_commit_id(text: &str) -> bool {
    matches!(text.len(), 40 | 64) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Git in one project folder, with the repository's own configured commands turned off.
///
/// The repository's `.git/config` may have been written by an agent, and some of its settings
/// run commands even for reads (`core.fsmonitor` on any index read; `filter.*.clean`/`process`
/// when `git diff` compares the working tree): those would run outside Warden's permission
/// rules. Command-line configuration (here through `GIT_CONFIG_COUNT`, which takes keys and
/// values apart) wins over the repository's, so each is overridden with nothing.
struct Git<'a> {
    project: &'a Path,
    overrides: Vec<(String, String)>,
}

impl<'a> Git<'a> {
    fn new(project: &'a Path) -> Self {
        Git { project, overrides: vec![("core.fsmonitor".to_owned(), "false".to_owned())] }
    }

    /// Overrides every filter and diff driver command the configuration names (reading the
    /// configuration runs nothing).
    fn disarm_configured_commands(&mut self) -> Result<(), ReviewError> {
        let pattern = r"^(filter|diff)\..+\.(clean|smudge|process|required|textconv|command)$";
        let listed = self.run(&["config", "-z", "--name-only", "--get-regexp", pattern])?;
        // Exit 1: no such key. Anything else is a configuration git cannot read.
        if !listed.status.success() && listed.status.code() != Some(1) {
            return Err(ReviewError::Git(String::from_utf8_lossy(&listed.stderr).trim().to_owned()));
        }
        for key in parse_paths(&listed.stdout) {
            let value = if key.ends_with(".required") { "false" } else { "" };
            self.overrides.push((key, value.to_owned()));
        }
        Ok(())
    }

    /// Runs git with `args`: no shell, no pager, no prompt, output captured.
    fn run(&self, args: &[&str]) -> Result<Output, ReviewError> {
        let mut command = Command::new("git");
        command
            .args(args)
            .current_dir(self.project)
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_OPTIONAL_LOCKS", "0")
            .env("GIT_PAGER", "cat")
            .env("GIT_CONFIG_COUNT", self.overrides.len().to_string())
            .stdin(Stdio::null());
        for (i, (key, value)) in self.overrides.iter().enumerate() {
            command.env(format!("GIT_CONFIG_KEY_{i}"), key).env(format!("GIT_CONFIG_VALUE_{i}"), value);
        }
        command.output().map_err(|e| match e.kind() {
            ErrorKind::NotFound => ReviewError::GitMissing,
            _ => ReviewError::Git(format!("git could not be run: {e}")),
        })
    }
}

/// The output of a git command that must succeed.
fn checked(out: Output) -> Result<Output, ReviewError> {
    if out.status.success() {
        return Ok(out);
    }
    Err(ReviewError::Git(String::from_utf8_lossy(&out.stderr).trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("markers");
        std::fs::create_dir(&marker).unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir(&repo).unwrap();
        let run = |args: &[&str]| assert!(Command::new("git").args(args).current_dir(&repo).output().unwrap().status.success(), "{args:?}");
        run(&["init", "-q", "-b", "main"]);
        std::fs::write(repo.join(".gitattributes"), "* filter=x diff=x\n").unwrap();
        std::fs::write(repo.join("f.txt"), "a\n").unwrap();
        run(&["add", "-A"]);
        run(&["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "one"]);
        let touch = |name: &str| format!("touch {}; cat", marker.join(name).display());
        run(&["config", "filter.x.clean", &touch("clean")]);
        run(&["config", "filter.x.process", &touch("process")]);
        run(&["config", "filter.x.required", "true"]);
        run(&["config", "diff.x.textconv", &touch("textconv")]);
        run(&["config", "core.fsmonitor", &touch("fsmonitor")]);
        std::fs::write(repo.join("f.txt"), "b\n").unwrap();
        std::fs::write(repo.join("new.txt"), "n\n").unwrap();
        let changed = base_diff(&repo, "main").unwrap();
        let paths: Vec<&str> = changed.diffs.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["f.txt", "new.txt"]);
        assert_eq!(std::fs::read_dir(&marker).unwrap().count(), 0, "no configured command ran");
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
    fn bytes_are_text_only_when_utf8_without_nul() {
        assert_eq!(side_of(b"hi\n".to_vec()), DiffSide::Text { text: "hi\n".into() });
        assert_eq!(side_of(vec![0, 1]), DiffSide::Binary { size: 2 });
        assert_eq!(side_of(vec![0xff]), DiffSide::Binary { size: 1 });
        assert!(is_commit_id(&"a".repeat(40)) && !is_commit_id("main"));
    }
}
