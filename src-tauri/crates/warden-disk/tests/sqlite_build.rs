//! The SQLite compiled into Warden (`.cargo/config.toml`, `LIBSQLITE3_FLAGS`): what Warden's
//! databases use is there, extension loading is not, and the extensions nothing uses are left out.

use rusqlite::Connection;
use warden_disk::sqlite;

fn database() -> (tempfile::TempDir, Connection) {
    let dir = tempfile::tempdir().expect("temp dir");
    let conn = sqlite::open(&dir.path().join("t.db"), false).expect("opens");
    sqlite::configure(&conn).expect("configures");
    (dir, conn)
}

fn compile_options(conn: &Connection) -> Vec<String> {
    let mut statement = conn.prepare("PRAGMA compile_options").expect("prepares");
    let options = statement.query_map([], |row| row.get::<_, String>(0)).expect("runs");
    options.collect::<Result<_, _>>().expect("reads")
}

#[test]
fn what_warden_uses_is_compiled_in() {
    let (_dir, conn) = database();
    // The search index (FTS5, with snippets) and the journal's rollbacks (json_each).
    conn.execute_batch(
        "CREATE VIRTUAL TABLE docs USING fts5(text);
         INSERT INTO docs (text) VALUES ('the quick brown fox');",
    )
    .expect("FTS5 is compiled in");
    let snippet: String = conn
        .query_row("SELECT snippet(docs, 0, '[', ']', '…', 4) FROM docs WHERE docs MATCH 'brown'", [], |r| r.get(0))
        .expect("matches");
    assert!(snippet.contains("[brown]"), "{snippet}");
    let sum: i64 = conn.query_row("SELECT SUM(value) FROM json_each('[1, 2, 3]')", [], |r| r.get(0)).expect("json_each");
    assert_eq!(sum, 6);
}

#[test]
fn no_sql_text_can_load_a_library() {
    let (dir, conn) = database();
    let library = dir.path().join("evil.so");
    std::fs::write(&library, b"not a library").expect("writes");
    let err = conn
        .query_row("SELECT load_extension(?1)", [library.to_str().expect("utf-8")], |r| r.get::<_, Option<String>>(0))
        .expect_err("load_extension must not exist");
    assert!(err.to_string().contains("no such function: load_extension"), "{err}");
    assert!(compile_options(&conn).iter().any(|o| o == "OMIT_LOAD_EXTENSION"), "{:?}", compile_options(&conn));
}

#[test]
fn the_extensions_nothing_uses_are_left_out() {
    let (_dir, conn) = database();
    let options = compile_options(&conn);
    for unused in ["ENABLE_FTS3", "ENABLE_RTREE", "ENABLE_DBSTAT_VTAB", "SOUNDEX"] {
        assert!(!options.iter().any(|o| o == unused), "{unused} is compiled in: {options:?}");
    }
    let err = conn.execute_batch("CREATE VIRTUAL TABLE old USING fts4(text)").expect_err("no FTS3/FTS4");
    assert!(err.to_string().contains("no such module: fts4"), "{err}");
    assert!(options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"), "{options:?}");
}
