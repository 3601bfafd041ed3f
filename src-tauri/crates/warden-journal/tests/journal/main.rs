//! The file journal on real temporary projects: recording turns and tool calls, rolling back
//! and redoing, refusals, .gitignore, and that the project never gets a file of ours. The
//! random-sequence property and the crash injection have their own files.
#![cfg(unix)]

mod crash;
mod crashing;
pub mod fixture;
mod hidden;
mod hunks;
mod links;
mod plan;
mod property;
mod outside;
mod same_turn;

use fixture::*;
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use warden_core::journal::*;
use warden_core::session::{SessionId, ToolCallId, TurnId};
use warden_journal::{Journal, OpQuery, Recorder, RollbackError, DEFAULT_CAP};

#[test]
fn a_created_file_is_removed_and_a_deleted_one_restored_with_its_mode() {
    let mut fx = Fixture::new();
    fx.write("script.sh", b"#!/bin/sh\necho hi\n");
    fx.chmod("script.sh", 0o750);
    let before = fx.tree();
    let ops = fx.turn("s", 1, |fx| {
        fs::remove_file(fx.path("script.sh")).unwrap();
        fx.write("deep/new/dir/file.txt", b"made by the agent");
    });
    let kinds: Vec<_> = ops.iter().map(|op| (op.path.as_str(), op.kind.clone())).collect();
    assert_eq!(kinds, [("deep/new/dir/file.txt", OpKind::Create), ("script.sh", OpKind::Delete)]);
    let report = fx.recorder.rollback(&ids(&ops), false).unwrap();
    assert_eq!(report.removed, ["deep/new/dir/file.txt"]);
    assert_eq!(report.restored, ["script.sh"]);
    assert_eq!(fx.tree(), before);
    assert!(!fx.path("deep").exists(), "folders the removal emptied are gone too");
}

#[test]
fn binary_and_empty_files_round_trip_exactly() {
    let mut fx = Fixture::new();
    let all_bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    fx.write("data.bin", &all_bytes);
    fx.write("empty", b"");
    std::os::unix::fs::symlink("data.bin", fx.path("link")).unwrap();
    let before = fx.tree();
    let ops = fx.turn("s", 1, |fx| {
        fx.write("data.bin", &[0xff, 0x00, 0xfe]);
        fx.write("empty", b"\0not empty\0");
        fs::remove_file(fx.path("link")).unwrap();
        std::os::unix::fs::symlink("empty", fx.path("link")).unwrap();
    });
    assert_eq!(ops.len(), 3);
    fx.recorder.rollback(&ids(&ops), false).unwrap();
    assert_eq!(fx.tree(), before);
}

#[test]
fn a_file_changed_since_is_refused_with_the_difference_unless_forced() {
    let mut fx = Fixture::new();
    fx.write("notes.md", b"v1");
    let ops = fx.turn("s", 1, |fx| fx.write("notes.md", b"v2 by the agent"));
    fx.write("notes.md", b"v3 by the person");
    let refused = fx.recorder.rollback(&ids(&ops), false).unwrap_err();
    let RollbackError::Conflicts(conflicts) = &refused else { panic!("{refused:?}") };
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].path, "notes.md");
    assert_eq!(conflicts[0].expected.as_ref().unwrap().size, 15);
    assert_eq!(conflicts[0].found.as_ref().unwrap().size, 16);
    assert!(refused.to_string().contains("notes.md"), "{refused}");
    assert_eq!(fs::read(fx.path("notes.md")).unwrap(), b"v3 by the person", "nothing touched");
    assert!(fx.journal().rollbacks(None).unwrap().is_empty(), "a refusal leaves no rollback");

    let report = fx.recorder.rollback(&ids(&ops), true).unwrap();
    assert!(report.forced);
    assert_eq!(report.conflicts, *conflicts);
    assert_eq!(fs::read(fx.path("notes.md")).unwrap(), b"v1");
    // The person's version is not lost: redoing the rollback brings it back.
    fx.recorder.redo(report.id, false).unwrap();
    assert_eq!(fs::read(fx.path("notes.md")).unwrap(), b"v3 by the person");
}

#[test]
fn a_file_over_the_cap_is_recorded_but_its_rollback_refused_even_forced() {
    let mut fx = Fixture::with_cap(1024);
    fx.write("small.txt", b"small");
    let ops = fx.turn("s", 1, |fx| {
        fx.write("huge.bin", &[1u8; 4096]);
        fx.write("small.txt", b"changed");
    });
    let huge = ops.iter().find(|op| op.path == "huge.bin").unwrap();
    let image = huge.after.as_ref().unwrap();
    assert!(image.too_large && image.hash.is_none() && image.size == 4096);
    let before = fx.tree();
    for force in [false, true] {
        let refused = fx.recorder.rollback(&ids(&ops), force).unwrap_err();
        assert!(matches!(&refused, RollbackError::ContentNotKept { paths } if paths == &["huge.bin"]), "{refused:?}");
        assert!(refused.to_string().contains("huge.bin") && refused.to_string().contains("not kept"), "{refused}");
    }
    assert_eq!(fx.tree(), before, "nothing touched");
    // The small file alone can still be rolled back.
    let small = ops.iter().find(|op| op.path == "small.txt").unwrap();
    fx.recorder.rollback(&[small.id], false).unwrap();
    assert_eq!(fs::read(fx.path("small.txt")).unwrap(), b"small");
}

#[test]
fn gitignored_changes_are_counted_not_copied_and_git_is_never_walked() {
    let mut fx = Fixture::new();
    fx.write(".gitignore", b"build/\n");
    fx.write(".git/HEAD", b"ref: refs/heads/main\n");
    fx.write("src/lib.rs", b"// lib");
    let ops = fx.turn("s", 1, |fx| {
        fx.write("build/out.bin", b"compiled output nobody should copy");
        fx.write(".git/index", b"git's own business");
        fx.write("src/lib.rs", b"// lib, edited");
    });
    let paths: Vec<_> = ops.iter().map(|op| (op.path.as_str(), op.ignored)).collect();
    assert_eq!(paths, [("build/out.bin", true), ("src/lib.rs", false)]);
    let build = &ops[0];
    assert!(build.after.as_ref().unwrap().hash.is_none());
    let blob = warden_journal::blobs::hash_bytes(b"compiled output nobody should copy");
    assert!(!fx.journal().blobs().contains(&blob), "ignored content is never copied");
    let report = fx.recorder.rollback(&ids(&ops), false).unwrap();
    assert_eq!(report.skipped, ["build/out.bin"]);
    assert_eq!(report.restored, ["src/lib.rs"]);
    assert!(fx.path("build/out.bin").exists(), "an ignored path is left alone");
    assert!(fx.path(".git/index").exists());
}

#[test]
fn changes_are_tied_to_the_one_tool_call_running_else_to_the_turn() {
    let mut fx = Fixture::new();
    let (s, t) = (SessionId::from("s1"), TurnId(3));
    fx.recorder.begin_turn(s.clone(), t).unwrap();
    fx.write("before-tools.txt", b"1");
    let flushed = fx.recorder.begin_tool_call(ToolCallId::from("toolu_a")).unwrap();
    assert_eq!(flushed.len(), 1);
    assert_eq!(flushed[0].tool_call_id, None);
    fx.write("by-a.txt", b"2");
    let by_a = fx.recorder.end_tool_call(&ToolCallId::from("toolu_a")).unwrap();
    assert_eq!(by_a[0].tool_call_id, Some(ToolCallId::from("toolu_a")));
    // Two at once: nobody can tell whose change it is.
    fx.recorder.begin_tool_call(ToolCallId::from("toolu_b")).unwrap();
    fx.recorder.begin_tool_call(ToolCallId::from("toolu_c")).unwrap();
    fx.write("by-b-or-c.txt", b"3");
    let ambiguous = fx.recorder.end_tool_call(&ToolCallId::from("toolu_b")).unwrap();
    assert_eq!(ambiguous[0].tool_call_id, None);
    fx.write("by-c.txt", b"4");
    let by_c = fx.recorder.end_tool_call(&ToolCallId::from("toolu_c")).unwrap();
    assert_eq!(by_c[0].tool_call_id, Some(ToolCallId::from("toolu_c")));
    fx.write("after-tools.txt", b"5");
    let all = fx.recorder.end_turn().unwrap();
    assert_eq!(all.len(), 5);
    assert!(all.iter().all(|op| op.session_id == s && op.turn == t));

    let j = fx.journal();
    assert_eq!(j.ops(OpQuery::ToolCall(&ToolCallId::from("toolu_a"))).unwrap(), by_a);
    assert_eq!(j.ops(OpQuery::Turn(&s, t)).unwrap(), all);
    assert_eq!(j.ops(OpQuery::Session(&s)).unwrap(), all);
    assert_eq!(j.ops(OpQuery::Ids(&[all[4].id, all[0].id])).unwrap(), [all[0].clone(), all[4].clone()]);
    assert_eq!(j.log(fx.project.path(), None).unwrap(), all);
    assert!(j.log(fx.project.path(), Some(&SessionId::from("other"))).unwrap().is_empty());
    assert!(matches!(fx.recorder.end_turn(), Err(warden_journal::JournalError::NoTurn)));
}

#[test]
fn a_rollback_is_logged_as_ops_and_a_redo_undoes_it() {
    let mut fx = Fixture::new();
    fx.write("a.txt", b"one");
    fx.write("old-name.txt", b"moving");
    let t1 = fx.turn("s", 1, |fx| fx.write("a.txt", b"two"));
    let after_t1 = fx.tree();
    let t2 = fx.turn("s", 2, |fx| {
        fx.write("a.txt", b"three");
        fs::rename(fx.path("old-name.txt"), fx.path("new-name.txt")).unwrap();
    });
    assert!(t2.iter().any(|op| op.kind == OpKind::Rename { from: "old-name.txt".into() }));
    let report = fx.recorder.rollback(&ids(&t2), false).unwrap();
    assert_eq!(fx.tree(), after_t1);
    assert_eq!(report.restored, ["a.txt", "old-name.txt"]);
    assert_eq!(report.removed, ["new-name.txt"]);

    let log = fx.recorder.log(None).unwrap();
    let made: Vec<_> = log.iter().filter(|op| op.rollback_id == Some(report.id)).collect();
    assert_eq!(made.len(), 3, "one op per path the rollback changed");
    assert!(made.iter().all(|op| op.turn == TurnId(2)), "attributed to the turn they undid");

    // Rolling back turn 1 on top: the chain holds.
    fx.recorder.rollback(&ids(&t1), false).unwrap();
    assert_eq!(fs::read(fx.path("a.txt")).unwrap(), b"one");
    // Redoing the first rollback now conflicts (a.txt moved on), so it is refused...
    assert!(matches!(fx.recorder.redo(report.id, false), Err(RollbackError::Conflicts(_))));
    // ...but rolling back the whole session, rollbacks included, still lands where it began.
    let session = fx.journal().ops(OpQuery::Session(&SessionId::from("s"))).unwrap();
    fx.recorder.rollback(&ids(&session), false).unwrap();
    assert_eq!(fs::read(fx.path("a.txt")).unwrap(), b"one");
    assert!(fx.path("old-name.txt").exists() && !fx.path("new-name.txt").exists());

    // A fresh journal: rollback then redo comes back to the final tree.
    let mut fx = Fixture::new();
    fx.write("x", b"1");
    let ops = fx.turn("s", 1, |fx| fx.write("x", b"2"));
    let final_tree_2 = fx.tree();
    let report = fx.recorder.rollback(&ids(&ops), false).unwrap();
    let redo = fx.recorder.redo(report.id, false).unwrap();
    assert_eq!(fx.tree(), final_tree_2);
    let records = fx.journal().rollbacks(Some(fx.project.path())).unwrap();
    assert_eq!(records.iter().map(|r| r.state).collect::<Vec<_>>(), [RollbackState::Undone, RollbackState::Done]);
    assert_eq!(records[1].redo_of, Some(report.id));
    assert!(matches!(fx.recorder.redo(report.id, false), Err(RollbackError::NotDone { .. })));
    fx.recorder.redo(redo.id, false).unwrap();
    assert_eq!(fs::read(fx.path("x")).unwrap(), b"1");
}

#[test]
fn the_project_gets_no_files_of_ours() {
    let mut fx = Fixture::new();
    fx.write("keep.txt", b"k");
    fx.write("dir/edit.txt", b"e");
    let ops = fx.turn("s", 1, |fx| {
        fx.write("dir/edit.txt", b"E");
        fx.write("new.txt", b"n");
        fs::remove_file(fx.path("keep.txt")).unwrap();
    });
    assert_eq!(fx.tree().keys().collect::<Vec<_>>(), ["dir/edit.txt", "new.txt"]);
    let report = fx.recorder.rollback(&ids(&ops), false).unwrap();
    assert_eq!(fx.tree().keys().collect::<Vec<_>>(), ["dir/edit.txt", "keep.txt"]);
    fx.recorder.redo(report.id, false).unwrap();
    assert_eq!(fx.tree().keys().collect::<Vec<_>>(), ["dir/edit.txt", "new.txt"]);
    assert!(fx.data.path().join("journal/journal.db").exists());
    let staging = fx.data.path().join("journal/staging");
    assert_eq!(fs::read_dir(staging).map(|d| d.count()).unwrap_or(0), 0, "staging is cleaned up");
}

#[test]
fn across_filesystems_the_move_copies_beside_the_target_and_leaves_nothing() {
    let shm = Path::new("/dev/shm");
    let project = tempfile::tempdir().unwrap();
    let same_device = |a: &Path, b: &Path| {
        use std::os::unix::fs::MetadataExt;
        fs::metadata(a).unwrap().dev() == fs::metadata(b).unwrap().dev()
    };
    if !shm.is_dir() || same_device(shm, project.path()) {
        eprintln!("no second filesystem here: the cross-filesystem move is not exercised");
        return;
    }
    let mut fx = Fixture::in_dirs(project, tempfile::tempdir_in(shm).unwrap(), DEFAULT_CAP);
    fx.write("a/file.txt", b"original");
    fx.write("gone.txt", b"deleted later");
    fx.chmod("gone.txt", 0o600);
    let before = fx.tree();
    let ops = fx.turn("s", 1, |fx| {
        fx.write("a/file.txt", b"edited");
        fs::remove_file(fx.path("gone.txt")).unwrap();
    });
    fx.recorder.rollback(&ids(&ops), false).unwrap();
    assert_eq!(fx.tree(), before, "exact, and no temporary file left beside a target");
}

#[test]
fn a_damaged_journal_is_set_aside_and_a_new_one_started() {
    let data = tempfile::tempdir().unwrap();
    fs::create_dir_all(data.path().join("journal")).unwrap();
    fs::write(data.path().join("journal/journal.db"), b"not a database at all".repeat(200)).unwrap();
    let opened = Journal::open(data.path()).unwrap();
    let notice = opened.notice.expect("the person is told");
    assert!(notice.contains("damaged") && notice.contains("journal.db.corrupt-"), "{notice}");
    assert!(opened.journal.recover().unwrap().is_empty());
    let kept = fs::read_dir(data.path().join("journal"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("journal.db.corrupt-"))
        .count();
    assert_eq!(kept, 1);
}

/// The whole-file check runs only when the last use did not end cleanly (warden-disk's tests
/// kill a process holding a database; here the state is set to what it leaves).
#[test]
fn the_journal_is_checked_only_after_an_unclean_end() {
    let data = tempfile::tempdir().unwrap();
    assert!(Journal::open(data.path()).unwrap().journal.checked_at_open(), "new: no state yet");
    assert!(!Journal::open(data.path()).unwrap().journal.checked_at_open(), "closed cleanly: no check");
    fs::write(data.path().join("journal/journal.db.state"), "in use\n").unwrap();
    assert!(Journal::open(data.path()).unwrap().journal.checked_at_open(), "left in use: checked");
}

#[test]
fn a_damaged_kept_copy_is_a_clear_error_and_nothing_is_touched() {
    let mut fx = Fixture::new();
    fx.write("a.txt", b"the original bytes");
    fx.write("b.txt", b"b");
    let ops = fx.turn("s", 1, |fx| {
        fx.write("a.txt", b"agent");
        fx.write("b.txt", b"agent b");
    });
    let original = ops.iter().find(|op| op.path == "a.txt").unwrap().before.clone().unwrap().hash.unwrap();
    fs::write(fx.journal().blobs().path_of(&original), b"bit rot").unwrap();
    let before = fx.tree();
    let err = fx.recorder.rollback(&ids(&ops), false).unwrap_err();
    assert!(err.to_string().contains("damaged"), "{err}");
    assert_eq!(fx.tree(), before, "not a single file restored");
    let records = fx.journal().rollbacks(None).unwrap();
    assert_eq!(records.iter().map(|r| r.state).collect::<Vec<_>>(), [RollbackState::Abandoned]);
}

#[test]
fn unknown_or_missing_ops_are_refused() {
    let fx = Fixture::new();
    assert!(matches!(fx.journal().rollback(&[], false), Err(RollbackError::NoOps)));
    assert!(matches!(fx.journal().rollback(&[OpId(42)], false), Err(RollbackError::UnknownOps(ids)) if ids == [OpId(42)]));
    assert!(matches!(fx.journal().redo(RollbackId(7), false), Err(RollbackError::UnknownRollback(_))));
}
