//! The journal database's migrations, on a database an older Warden left.

use super::migrate;
use crate::{Journal, OpQuery};
use rusqlite::Connection;
use std::path::Path;
use warden_core::journal::{OpId, RollbackId};

/// A journal database as version 3 left it: today's tables without `ops.undone_by` and without
/// version 5's hunk decisions.
fn v3_database(path: &Path) {
    let conn = Connection::open(path).unwrap();
    migrate(&conn).unwrap();
    conn.execute_batch(
        "DROP INDEX ops_by_undoer; ALTER TABLE ops DROP COLUMN undone_by;
         DROP TABLE hunk_keeps; DROP TABLE hunk_comments; ALTER TABLE rollbacks DROP COLUMN hunks;
         PRAGMA user_version = 3;",
    )
    .unwrap();
    // Op 1 was undone by rollback 1 (done); op 2 by rollback 2, which rollback 3 redid, so op 2
    // stands again and rollback 2's own op (4) is what rollback 3 undid.
    conn.execute_batch(
        "INSERT INTO rollbacks (id, project, created_ms, ops, forced, state, redo_of) VALUES
            (1, '/p', 0, '[1]', 0, 'done', NULL),
            (2, '/p', 0, '[2]', 0, 'undone', NULL),
            (3, '/p', 0, '[4]', 0, 'done', 2);
         INSERT INTO ops (id, project, session_id, turn, tool_call_id, path, kind, from_path, before, after, at_ms, ignored, rollback_id) VALUES
            (1, '/p', 's', 1, 't1', 'a.txt', 'modify', NULL, NULL, NULL, 0, 0, NULL),
            (2, '/p', 's', 1, 't2', 'b.txt', 'modify', NULL, NULL, NULL, 0, 0, NULL),
            (3, '/p', 's', 1, NULL, 'a.txt', 'modify', NULL, NULL, NULL, 0, 0, 1),
            (4, '/p', 's', 1, NULL, 'b.txt', 'modify', NULL, NULL, NULL, 0, 0, 2),
            (5, '/p', 's', 1, NULL, 'b.txt', 'modify', NULL, NULL, NULL, 0, 0, 3);",
    )
    .unwrap();
    let version: i32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, 3);
}

#[test]
fn a_version_3_journal_opens_and_learns_which_rollback_undid_each_op() {
    let data = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(data.path().join("journal")).unwrap();
    v3_database(&data.path().join("journal/journal.db"));
    for _ in 0..2 {
        // Opened twice: the second open finds it migrated and leaves it as it is.
        let opened = Journal::open(data.path()).unwrap();
        assert!(opened.notice.is_none(), "migrated, not set aside: {:?}", opened.notice);
        let ids: Vec<OpId> = (1..=5).map(OpId).collect();
        let undone: Vec<Option<RollbackId>> = opened.journal.ops(OpQuery::Ids(&ids)).unwrap().iter().map(|op| op.undone_by).collect();
        assert_eq!(undone, [Some(RollbackId(1)), None, None, Some(RollbackId(3)), None]);
    }
    let conn = Connection::open(data.path().join("journal/journal.db")).unwrap();
    let version: i32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, 5);
}
