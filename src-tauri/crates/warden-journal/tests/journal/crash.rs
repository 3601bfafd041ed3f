//! Crash injection: a rollback runs in a child process (`crashing.rs`: this test binary again) that kills
//! itself with SIGKILL after N changes to the project (`WARDEN_JOURNAL_CRASH_AFTER`); recovery
//! must then leave the tree fully rolled back or fully as before, and lose nothing. N covers
//! every phase: before any change, among the removals (rolled forward: every staged file is still
//! there), among the moves (reverted from the backups), and after the last move (finished).

use super::crashing::{crash_child, crash_then_edit, recorded};
use super::*;
use std::os::unix::process::ExitStatusExt;
use warden_journal::RecoveryOutcome;

fn crash_and_recover(data: tempfile::TempDir, project: tempfile::TempDir) {
    let (fx, ops, before, after) = recorded(data, project);
    let changes = before.keys().chain(after.keys()).collect::<std::collections::BTreeSet<_>>().into_iter()
        .filter(|p| before.get(*p) != after.get(*p))
        .count();
    assert_eq!(changes, 4 + 1 + 2 + 3 + 2, "paths the rollback changes");
    // Removals come first and consume no staged file: a crash among them is rolled forward.
    let removals = after.keys().filter(|p| !before.contains_key(*p)).count();
    assert_eq!(removals, 4);
    let data = fx.data.path().to_owned();
    drop(fx.recorder);
    for n in [0, 1, removals, removals + 1, changes - 1, changes] {
        let status = crash_child(&data, &ops, n);
        assert_eq!(status.signal(), Some(libc::SIGKILL), "child killed after {n} changes: {status:?}");
        let project_now = tree(fx.project.path());
        assert!(project_now != before || n == changes, "the kill came before the end");
        // What lets `warden run` start its agent before the journal is open must see this.
        assert!(warden_journal::rollback_may_be_interrupted(&data), "after {n} changes: seen without opening the journal");

        let journal = Journal::open(&data).unwrap().journal;
        let recovered = journal.recover().unwrap();
        assert_eq!(recovered.len(), 1, "one interrupted rollback");
        assert!(!warden_journal::rollback_may_be_interrupted(&data), "after {n} changes: recovered, nothing left to see");
        let expected_outcome = match n {
            n if n <= removals => RecoveryOutcome::RolledForward,
            n if n == changes => RecoveryOutcome::Finished,
            _ => RecoveryOutcome::Reverted,
        };
        assert_eq!(recovered[0].outcome, expected_outcome, "after {n} changes");
        let record = journal.rollback_record(recovered[0].id).unwrap().unwrap();
        let staging = data.join("journal/staging");
        assert_eq!(fs::read_dir(&staging).map(|d| d.count()).unwrap_or(0), 0, "staging cleaned");
        match expected_outcome {
            RecoveryOutcome::Reverted => {
                assert_eq!(record.state, RollbackState::Abandoned);
                assert_eq!(tree(fx.project.path()), after, "after {n} changes: fully as before the rollback");
                // Nothing lost: the rollback can simply be run again.
                journal.rollback(&ids(&ops), false).unwrap();
                assert_eq!(tree(fx.project.path()), before);
            }
            _ => {
                assert_eq!(record.state, RollbackState::Done);
                assert_eq!(tree(fx.project.path()), before, "after {n} changes: fully rolled back");
            }
        }
        // Back to the agent's tree for the next round, through the journal itself.
        let done = journal.rollbacks(None).unwrap().into_iter().rfind(|r| r.state == RollbackState::Done).unwrap();
        journal.redo(done.id, false).unwrap();
        assert_eq!(tree(fx.project.path()), after);
        assert!(journal.recover().unwrap().is_empty());
    }
}

#[test]
fn a_rollback_killed_half_way_is_finished_or_reverted_never_half() {
    crash_and_recover(tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
}

#[test]
fn the_same_across_filesystems_leaves_no_temporary_file_in_the_project() {
    let shm = Path::new("/dev/shm");
    if !shm.is_dir() {
        eprintln!("no /dev/shm: the cross-filesystem crash is not exercised");
        return;
    }
    // Exact trees are compared, so a leftover temporary file beside a target would fail it.
    crash_and_recover(tempfile::tempdir_in(shm).unwrap(), tempfile::tempdir().unwrap());
}

#[test]
fn a_file_changed_after_the_crash_abandons_recovery_and_nothing_is_touched() {
    // Among the removals (would roll forward), among the moves (would revert), after the last
    // move but one; the person edits a file the rollback restores, deletes one, or recreates
    // one it removes.
    type Edit = (&'static str, fn(&Path));
    let edits: [Edit; 3] = [
        ("src/file0.rs", |p| fs::write(p.join("src/file0.rs"), b"the person's work after the crash").unwrap()),
        ("src/file1.rs", |p| drop(fs::remove_file(p.join("src/file1.rs")))),
        ("new/dir0/made.txt", |p| {
            fs::create_dir_all(p.join("new/dir0")).unwrap();
            fs::write(p.join("new/dir0/made.txt"), b"the person's own file").unwrap();
        }),
    ];
    for n in [0, 2, 6, 11] {
        for (path, edit) in edits {
            let (fx, edited, data) = crash_then_edit(n, edit);
            let journal = Journal::open(&data).unwrap().journal;
            let recovered = journal.recover().unwrap();
            assert_eq!(recovered.len(), 1);
            let r = &recovered[0];
            // The edit may coincide with what the rollback left there (a file it had removed
            // already, deleted again): then nothing differs and recovery goes on.
            if r.outcome != RecoveryOutcome::Abandoned {
                assert!(r.changed.is_empty());
                continue;
            }
            assert_eq!(r.changed, [path], "after {n} changes, {path} edited");
            assert_eq!(tree(fx.project.path()), edited, "after {n} changes, {path} edited: nothing touched");
            let record = journal.rollback_record(r.id).unwrap().unwrap();
            assert_eq!(record.state, RollbackState::Abandoned);
            assert_eq!(fs::read_dir(data.join("journal/staging")).map(|d| d.count()).unwrap_or(0), 0, "staging cleaned");
            assert!(journal.recover().unwrap().is_empty(), "settled once");
        }
    }
}
