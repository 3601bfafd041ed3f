//! The kept paths: stored, read back by a later journal, per project, and seeded from the ops of
//! a journal older than the table.

use super::*;
use crate::snapshot::SnapshotOptions;
use std::fs;
use std::path::Path;
use warden_core::journal::{FileImage, FileKind, FileOp, OpId, OpKind};
use warden_core::session::{SessionId, TurnId};

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

fn sorted(kept: &KeptPaths) -> Vec<String> {
    let mut paths: Vec<String> = kept.read().iter().cloned().collect();
    paths.sort();
    paths
}

#[test]
fn what_a_snapshot_kept_is_stored_and_read_back_by_a_later_journal_per_project() {
    let project = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    write(project.path(), ".gitignore", b"target/\n");
    write(project.path(), "src/main.rs", b"fn main() {}");
    write(project.path(), "target/app", b"build output");
    let journal = Journal::open(data.path()).unwrap().journal;
    let kept = journal.kept_paths("p").unwrap();
    assert!(kept.read().is_empty());
    let mut snapshot = Snapshot::take(project.path(), journal.blobs(), &SnapshotOptions::default(), None).unwrap();
    journal.keep("p", &kept, &mut snapshot).unwrap();
    assert_eq!(sorted(&kept), [".gitignore", "src/main.rs"], "ignored paths are not kept");
    assert!(Arc::ptr_eq(&kept, &journal.kept_paths("p").unwrap()), "one set per project in a process");

    let again = Journal::open(data.path()).unwrap().journal;
    assert_eq!(sorted(&again.kept_paths("p").unwrap()), [".gitignore", "src/main.rs"]);
    assert!(again.kept_paths("other").unwrap().read().is_empty(), "another project keeps its own");
}

#[test]
fn a_kept_path_keeps_its_content_though_ignored_now_and_others_stay_ignored() {
    let project = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    write(project.path(), ".gitignore", b"*.rs\nbuild/\n");
    write(project.path(), "src/main.rs", b"fn main() {}");
    write(project.path(), "src/other.rs", b"fn other() {}");
    write(project.path(), "build/deep/out.rs", b"fn out() {}");
    let journal = Journal::open(data.path()).unwrap().journal;
    let kept: HashSet<String> = ["src/main.rs", "build/deep/out.rs"].map(str::to_owned).into();
    let snapshot = Snapshot::take_keeping(project.path(), journal.blobs(), &SnapshotOptions::default(), None, &kept, None).unwrap();
    for path in ["src/main.rs", "build/deep/out.rs"] {
        let entry = snapshot.get(path).unwrap();
        assert!(!entry.ignored && entry.hash.is_some(), "{path}: {entry:?}");
    }
    let other = snapshot.get("src/other.rs").unwrap();
    assert!(other.ignored && other.hash.is_none(), "{other:?}");
}

fn op(path: &str, kind: OpKind, ignored: bool) -> FileOp {
    let image = FileImage { hash: None, size: 1, mode: 0o644, kind: FileKind::File, too_large: false };
    FileOp {
        id: OpId(0),
        session_id: SessionId::from("s"),
        turn: TurnId(1),
        tool_call_id: None,
        path: path.to_owned(),
        kind,
        before: Some(image.clone()),
        after: Some(image),
        at_ms: 0,
        ignored,
        rollback_id: None,
        undone_by: None,
    }
}

#[test]
fn a_journal_from_before_the_table_starts_with_the_paths_its_ops_kept() {
    let data = tempfile::tempdir().unwrap();
    {
        let journal = Journal::open(data.path()).unwrap().journal;
        let ops = vec![
            op("src/a.rs", OpKind::Modify, false),
            op("src/new.rs", OpKind::Rename { from: "src/old.rs".into() }, false),
            op("target/app", OpKind::Modify, true),
        ];
        journal.db.append("p", ops).unwrap();
        journal.db.append("q", vec![op("q.rs", OpKind::Create, false)]).unwrap();
    }
    // Back to version 2: the table (and the later `undone_by` column and hunk tables) did not
    // exist.
    let conn = rusqlite::Connection::open(data.path().join("journal").join("journal.db")).unwrap();
    conn.execute_batch(
        "DROP TABLE kept_paths; DROP INDEX ops_by_undoer; ALTER TABLE ops DROP COLUMN undone_by;
         DROP TABLE hunk_keeps; DROP TABLE hunk_comments; ALTER TABLE rollbacks DROP COLUMN hunks;
         PRAGMA user_version = 2;",
    )
    .unwrap();
    drop(conn);
    let journal = Journal::open(data.path()).unwrap().journal;
    assert_eq!(sorted(&journal.kept_paths("p").unwrap()), ["src/a.rs", "src/new.rs", "src/old.rs"]);
    assert_eq!(sorted(&journal.kept_paths("q").unwrap()), ["q.rs"]);
}
