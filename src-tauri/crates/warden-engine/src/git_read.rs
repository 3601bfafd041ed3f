//! Reading a git repository without running anything its configuration names, and one file's
//! two sides of a diff (at a commit, and in the folder now) under the journal's rules.
//!
//! Why this exists: the repository's `.git/config` may have been written by an agent, and some
//! of its settings run commands even when git only reads — `core.fsmonitor` on any index read,
//! `filter.*.clean`/`process` when `git diff` compares the working tree, `diff.*.textconv` and
//! `diff.*.command` when it shows a diff. Those commands would run outside Warden's permission
//! rules, so whenever Warden only reads a repository (a review against a git base, a
//! worktree's changes) git goes through [`GitReader`], which overrides every one of them with
//! nothing. Command-line configuration (here through `GIT_CONFIG_COUNT`, which takes keys and
//! values apart, so no value is parsed as syntax) wins over the repository's.
//!
//! The results are plain [`std::io`] and [`Output`] values, wrapped in [`ReadError`]: each
//! caller names them in its own error type.

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use warden_core::journal::DiffSide;

/// Past this many bytes a file's content is not read (it shows as too large).
pub const FILE_SIZE_LIMIT: u64 = 1024 * 1024;

/// The configured keys that name a command git would run while reading (listing them runs
/// nothing).
const DRIVER_KEYS: &str = r"^(filter|diff)\..+\.(clean|smudge|process|required|textconv|command)$";

/// Why reading through git failed.
#[derive(Debug)]
pub enum ReadError {
    /// git could not be started (`ErrorKind::NotFound`: it is not installed).
    Spawn(io::Error),
    /// git ran and refused.
    Failed {
        /// The git subcommand (`ls-tree`, `diff`, …).
        command: String,
        /// What git said, trimmed.
        stderr: String,
    },
}

impl ReadError {
    /// The refusal in `out` of the git subcommand that `args` starts with.
    fn failed(args: &[&str], out: &Output) -> Self {
        ReadError::Failed {
            command: args.first().copied().unwrap_or("").to_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        }
    }
}

/// Git in one folder, with every command the repository's configuration names overridden
/// (see the module's notes). The configured filter and diff drivers are listed once, when it
/// is opened; open one per read of a repository, so a driver configured later is seen too.
/// An overridden `diff.*.command` makes a `git diff` without `--no-ext-diff` fail rather than
/// run it: pass `--no-ext-diff --no-textconv` for git's own diff.
#[derive(Debug, Clone)]
pub struct GitReader {
    /// Where git runs (paths given to it are relative to this folder).
    dir: PathBuf,
    /// The configuration given on every run: key, value.
    overrides: Vec<(String, String)>,
}

impl GitReader {
    /// Git in `dir` with the configured filter and diff drivers listed and overridden.
    /// A configuration git cannot read is refused (every later command would fail on it too).
    pub fn open(dir: &Path) -> Result<Self, ReadError> {
        let mut reader = GitReader { dir: dir.to_path_buf(), overrides: vec![("core.fsmonitor".to_owned(), "false".to_owned())] };
        let args = ["config", "-z", "--name-only", "--get-regexp", DRIVER_KEYS];
        let listed = reader.run(&args).map_err(ReadError::Spawn)?;
        // Exit 1: no such key. Anything else is a configuration git cannot read.
        if !listed.status.success() && listed.status.code() != Some(1) {
            return Err(ReadError::failed(&args, &listed));
        }
        for key in listed.stdout.split(|b| *b == 0).filter(|k| !k.is_empty()) {
            let key = String::from_utf8_lossy(key).into_owned();
            // `required` is a switch, not a command: off, so a filter overridden with nothing
            // is not an error.
            let value = if key.ends_with(".required") { "false" } else { "" };
            reader.overrides.push((key, value.to_owned()));
        }
        Ok(reader)
    }

    /// Runs git with `args`: no shell, no pager, no prompt, no optional locks, output
    /// captured; the output whatever the exit status.
    pub fn run(&self, args: &[&str]) -> io::Result<Output> {
        self.command(args).output()
    }

    /// Runs git with `args`; its stdout when it succeeds.
    pub fn read(&self, args: &[&str]) -> Result<Vec<u8>, ReadError> {
        let out = self.run(args).map_err(ReadError::Spawn)?;
        if out.status.success() {
            return Ok(out.stdout);
        }
        Err(ReadError::failed(args, &out))
    }

    /// The file `path` (relative to the reader's folder, which may be a subfolder of the
    /// repository) at `commit`: absent (also when a folder or a submodule is there), a
    /// symbolic link (mode 120000, its target), too large past [`FILE_SIZE_LIMIT`] (told by
    /// the tree's size column, before the content is read), or its raw content (no filter, no
    /// text conversion).
    pub fn base_side(&self, commit: &str, path: &str) -> Result<DiffSide, ReadError> {
        let args = ["ls-tree", "-l", "-z", commit, "--", path];
        // Literal: a path starting with `:` is a file name, not pathspec magic.
        let out = self.command(&args).env("GIT_LITERAL_PATHSPECS", "1").output().map_err(ReadError::Spawn)?;
        if !out.status.success() {
            return Err(ReadError::failed(&args, &out));
        }
        let Some(entry) = out.stdout.split(|b| *b == 0).find(|e| !e.is_empty()) else { return Ok(DiffSide::Absent) };
        let entry = String::from_utf8_lossy(entry);
        // `<mode> <type> <object> <size, padded>\t<path>`
        let Some((meta, listed)) = entry.split_once('\t') else { return Ok(DiffSide::Absent) };
        let mut meta = meta.split_whitespace();
        let (mode, kind, object, size) = (meta.next().unwrap_or(""), meta.next().unwrap_or(""), meta.next().unwrap_or(""), meta.next().unwrap_or(""));
        // Not a file (a folder or a submodule), or not the path asked for (`dir/` lists the
        // folder's first entry): no file to show.
        if kind != "blob" || listed != path {
            return Ok(DiffSide::Absent);
        }
        if mode == "120000" {
            let target = self.read(&["cat-file", "blob", object])?;
            return Ok(DiffSide::Symlink { target: String::from_utf8_lossy(&target).into_owned() });
        }
        let size: u64 = size.parse().unwrap_or(0);
        if size > FILE_SIZE_LIMIT {
            return Ok(DiffSide::TooLarge { size });
        }
        Ok(side_of(self.read(&["cat-file", "blob", object])?))
    }

    /// The command for git with `args`, set up as [`Self::run`] says.
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new("git");
        command
            .args(args)
            .current_dir(&self.dir)
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_OPTIONAL_LOCKS", "0")
            .env("GIT_PAGER", "cat")
            .env("GIT_CONFIG_COUNT", self.overrides.len().to_string())
            .stdin(Stdio::null());
        for (i, (key, value)) in self.overrides.iter().enumerate() {
            command.env(format!("GIT_CONFIG_KEY_{i}"), key).env(format!("GIT_CONFIG_VALUE_{i}"), value);
        }
        command
    }
}

/// The file at `path` in the folder now: absent (also when it is a folder), a symbolic link
/// (its target, not followed), too large past [`FILE_SIZE_LIMIT`], or its content.
pub fn tree_side(path: &Path) -> DiffSide {
    match std::fs::symlink_metadata(path) {
        Err(_) => DiffSide::Absent,
        Ok(meta) if meta.file_type().is_symlink() => {
            DiffSide::Symlink { target: std::fs::read_link(path).map(|t| t.to_string_lossy().into_owned()).unwrap_or_default() }
        }
        Ok(meta) if meta.is_dir() => DiffSide::Absent,
        Ok(meta) if meta.len() > FILE_SIZE_LIMIT => DiffSide::TooLarge { size: meta.len() },
        Ok(meta) => match std::fs::read(path) {
            Ok(bytes) => side_of(bytes),
            Err(_) => DiffSide::Binary { size: meta.len() },
        },
    }
}

/// Text when the bytes are UTF-8 without NUL (the journal's rule), else binary.
pub fn side_of(bytes: Vec<u8>) -> DiffSide {
    let size = bytes.len() as u64;
    if bytes.contains(&0) {
        return DiffSide::Binary { size };
    }
    match String::from_utf8(bytes) {
        Ok(text) => DiffSide::Text { text },
        Err(_) => DiffSide::Binary { size },
    }
}

/// Real repositories for the tests of every reader of git (here, reviews, worktrees).
#[cfg(test)]
pub(crate) mod test_repo {
    use std::path::{Path, PathBuf};
    use std::process::Command;

    /// Runs git in `dir`; panics when it fails.
    pub fn git(dir: &Path, args: &[&str]) {
        let out = Command::new("git").args(args).current_dir(dir).output().unwrap();
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// Commits everything in the repository at `root`; the commit's id.
    pub fn commit_all(root: &Path) -> String {
        git(root, &["add", "-A"]);
        git(root, &["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "c"]);
        let out = Command::new("git").args(["rev-parse", "HEAD"]).current_dir(root).output().unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// A repository (`repo` in a temporary folder, on `main`) that sends every file through
    /// the filter and diff driver `x`, with `f.txt` ("a") committed, and an empty `markers`
    /// folder beside it: the folder, the repository, the markers.
    pub fn with_driver() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let (repo, markers) = (dir.path().join("repo"), dir.path().join("markers"));
        std::fs::create_dir(&repo).unwrap();
        std::fs::create_dir(&markers).unwrap();
        git(&repo, &["init", "-q", "-b", "main"]);
        std::fs::write(repo.join(".gitattributes"), "* filter=x diff=x\n").unwrap();
        std::fs::write(repo.join("f.txt"), "a\n").unwrap();
        commit_all(&repo);
        (dir, repo, markers)
    }

    /// Configures in `repo` every command driver `x` and the file-system monitor could run,
    /// each leaving a file named for it in `markers` (the filter required, so git would not
    /// skip it).
    pub fn arm(repo: &Path, markers: &Path) {
        for name in ["filter.x.smudge", "filter.x.clean", "filter.x.process", "diff.x.textconv", "diff.x.command", "core.fsmonitor"] {
            git(repo, &["config", name, &format!("touch {}; cat", markers.join(name).display())]);
        }
        git(repo, &["config", "filter.x.required", "true"]);
    }

    /// How many of the configured commands ran.
    pub fn ran(markers: &Path) -> usize {
        std::fs::read_dir(markers).unwrap().count()
    }
}

#[cfg(test)]
mod tests {
    use super::test_repo::{arm, commit_all, git, ran, with_driver};
    use super::*;

    #[test]
    fn text_binary_and_missing_files_are_told_apart() {
        assert_eq!(side_of(b"hi\n".to_vec()), DiffSide::Text { text: "hi\n".into() });
        assert_eq!(side_of(vec![0, 1]), DiffSide::Binary { size: 2 });
        assert_eq!(side_of(vec![0xff]), DiffSide::Binary { size: 1 });
        assert_eq!(tree_side(Path::new("/no/such/file")), DiffSide::Absent);
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(tree_side(dir.path()), DiffSide::Absent, "a folder is no file");
    }

    #[cfg(unix)]
    #[test]
    fn the_base_side_of_a_subfolder_project_tells_files_links_folders_and_large_files_apart() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        git(root, &["init", "-q", "-b", "main"]);
        let project = root.join("app");
        std::fs::create_dir_all(project.join("src")).unwrap();
        std::fs::write(project.join("a.txt"), "in app\n").unwrap();
        std::fs::write(root.join("a.txt"), "at the top\n").unwrap();
        std::fs::write(project.join("src/lib.rs"), "fn f() {}\n").unwrap();
        std::os::unix::fs::symlink("src/lib.rs", project.join("link")).unwrap();
        std::fs::write(project.join("big.bin"), vec![b'x'; FILE_SIZE_LIMIT as usize + 1]).unwrap();
        let commit = commit_all(root);

        let reader = GitReader::open(&project).unwrap();
        assert_eq!(reader.base_side(&commit, "a.txt").unwrap(), DiffSide::Text { text: "in app\n".into() }, "relative to the project");
        assert_eq!(reader.base_side(&commit, "src/lib.rs").unwrap(), DiffSide::Text { text: "fn f() {}\n".into() });
        assert_eq!(reader.base_side(&commit, "link").unwrap(), DiffSide::Symlink { target: "src/lib.rs".into() });
        assert_eq!(reader.base_side(&commit, "src").unwrap(), DiffSide::Absent, "a folder is no file");
        assert_eq!(reader.base_side(&commit, "src/").unwrap(), DiffSide::Absent, "nor is what lies in it");
        assert_eq!(reader.base_side(&commit, "gone.txt").unwrap(), DiffSide::Absent);
        assert_eq!(reader.base_side(&commit, "big.bin").unwrap(), DiffSide::TooLarge { size: FILE_SIZE_LIMIT + 1 });
        assert!(matches!(reader.base_side("0000000000000000000000000000000000000000", "a.txt"), Err(ReadError::Failed { .. })));
        assert_eq!(tree_side(&project.join("link")), DiffSide::Symlink { target: "src/lib.rs".into() });
    }

    #[test]
    fn commands_the_configuration_names_never_run_while_reading() {
        let (_dir, repo, markers) = with_driver();
        let commit = "main";
        arm(&repo, &markers);
        std::fs::write(repo.join("f.txt"), "b\n").unwrap();

        let reader = GitReader::open(&repo).unwrap();
        assert_eq!(reader.base_side(commit, "f.txt").unwrap(), DiffSide::Text { text: "a\n".into() });
        let diff = reader.read(&["diff", "--no-color", "--no-ext-diff", "--no-textconv", commit, "--"]).unwrap();
        assert!(String::from_utf8_lossy(&diff).contains("+b"), "the diff is git's own");
        // Without those switches the external diff, overridden with nothing, fails instead.
        assert!(matches!(reader.read(&["diff", "--no-color", commit, "--"]), Err(ReadError::Failed { .. })));
        reader.read(&["status", "--porcelain"]).unwrap();
        assert_eq!(ran(&markers), 0, "no configured command ran");
        // The same read through plain git does run them (whether it then succeeds or not): the
        // test can fail.
        let _ = Command::new("git").args(["diff", "--no-color", commit, "--"]).current_dir(&repo).output().unwrap();
        assert!(ran(&markers) > 0, "plain git runs the configured commands");
    }
}
