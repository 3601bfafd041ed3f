//! A rollback run in a child process (this test binary again) that kills itself with SIGKILL
//! after N changes to the project (`WARDEN_JOURNAL_CRASH_AFTER`), and the recorded turn it rolls
//! back.
//!
//! Shared with the engine's test binary (`warden-engine/tests/engine/journal/mod.rs` includes it by
//! path, to check what the engine tells about a crashed rollback), so it names everything it
//! uses and finds its own test by its module path.
#![allow(dead_code)]

use super::fixture::{tree, Fixture, Node};
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::Command;
use warden_core::journal::{FileOp, OpId};
use warden_journal::{Journal, CRASH_AFTER_ENV, DEFAULT_CAP};

/// Set for the child only: `<data folder>\n<op ids, comma-separated>`.
const CHILD_ENV: &str = "WARDEN_TEST_JOURNAL_CRASH_CHILD";

/// The child's side; a no-op in a normal test run.
#[test]
fn child_rollback() {
    let Ok(spec) = std::env::var(CHILD_ENV) else { return };
    let (data, ops) = spec.split_once('\n').unwrap();
    let ops: Vec<OpId> = ops.split(',').map(|id| OpId(id.parse().unwrap())).collect();
    let journal = Journal::open(Path::new(data)).unwrap().journal;
    journal.rollback(&ops, false).unwrap();
    // Only reached when the crash point was past the last change.
}

/// A project with a turn that modifies (and chmods), deletes, creates and renames; returns the
/// fixture, the turn's ops, and the trees before and after the turn.
pub fn recorded(data: tempfile::TempDir, project: tempfile::TempDir) -> (Fixture, Vec<FileOp>, BTreeMap<String, Node>, BTreeMap<String, Node>) {
    let mut fx = Fixture::in_dirs(project, data, DEFAULT_CAP);
    for i in 0..10 {
        fx.write(&format!("src/file{i}.rs"), format!("// original {i}\n").repeat(i + 1).as_bytes());
    }
    fx.chmod("src/file9.rs", 0o600);
    let before = fx.tree();
    let ops = fx.turn("s", 1, |fx| {
        for i in 0..4 {
            fx.write(&format!("src/file{i}.rs"), format!("// edited {i}\n").as_bytes());
        }
        fx.chmod("src/file3.rs", 0o755);
        fx.chmod("src/file4.rs", 0o700);
        for i in 5..7 {
            fs::remove_file(fx.path(&format!("src/file{i}.rs"))).unwrap();
        }
        for i in 0..3 {
            fx.write(&format!("new/dir{i}/made.txt"), &[i as u8; 100]);
        }
        fs::create_dir(fx.path("moved")).unwrap();
        fs::rename(fx.path("src/file9.rs"), fx.path("moved/file9.rs")).unwrap();
    });
    let after = fx.tree();
    (fx, ops, before, after)
}

/// Runs the rollback of `ops` in a child killed after `n` changes; returns its exit status.
pub fn crash_child(data: &Path, ops: &[FileOp], n: usize) -> std::process::ExitStatus {
    let spec = format!("{}\n{}", data.display(), ops.iter().map(|op| op.id.to_string()).collect::<Vec<_>>().join(","));
    // This module's path without the crate's name is how the test binary names its tests.
    let (_, module) = module_path!().split_once("::").unwrap();
    let output = Command::new(std::env::current_exe().unwrap())
        .arg(format!("{module}::child_rollback"))
        .args(["--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, spec)
        .env(CRASH_AFTER_ENV, n.to_string())
        .output()
        .unwrap();
    output.status
}

/// Crashes a rollback of the recorded turn after `n` changes, then lets `edit` change the
/// project as the person would; returns the fixture, the tree after the edit, and the data
/// folder.
pub fn crash_then_edit(n: usize, edit: impl FnOnce(&Path)) -> (Fixture, BTreeMap<String, Node>, std::path::PathBuf) {
    let (fx, ops, _, _) = recorded(tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let data = fx.data.path().to_owned();
    let status = crash_child(&data, &ops, n);
    assert_eq!(status.signal(), Some(libc::SIGKILL), "child killed after {n} changes: {status:?}");
    edit(fx.project.path());
    let edited = tree(fx.project.path());
    (fx, edited, data)
}
