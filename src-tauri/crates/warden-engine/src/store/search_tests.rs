//! Tests of the full-text search over stored sessions: what is found and where the window finds
//! it, snippets and their match ranges, the upgrade of a v4 store with its events backfilled,
//! and a 20,000-event session (its times printed, not asserted).

use super::{backfill_search_index, SearchError, Store};
use serde_json::json;
use std::time::{Duration, Instant};
use warden_core::search::{SearchHitKind, SearchTarget, TextRange};
use warden_core::session::*;

fn store(dir: &tempfile::TempDir) -> Store {
    Store::open(&dir.path().join("s.db")).unwrap().store
}

fn session(store: &Store, id: &str, project: &str) {
    store.create_session(&SessionRecord::new(SessionId(id.into()), project.into(), AgentKind::Claude, None, PermissionMode::Default, 1)).unwrap();
}

fn event(id: &str, seq: u64, kind: SessionEventKind) -> SessionEvent {
    SessionEvent { session_id: SessionId(id.into()), seq, at_ms: 1_000 + seq, kind }
}

fn kind(value: serde_json::Value) -> SessionEventKind {
    serde_json::from_value(value).expect("a valid event")
}

fn prompt(turn: u32, text: &str) -> SessionEventKind {
    kind(json!({"type": "userMessage", "data": {"turn": turn, "text": text}}))
}

fn chunk(message: &str, text: &str) -> SessionEventKind {
    kind(json!({"type": "agentMessageChunk", "data": {"messageId": message, "part": 0, "parent": null, "text": text}}))
}

fn shell(id: &str, command: &str) -> SessionEventKind {
    kind(json!({"type": "toolCall", "data": {
        "id": id, "parent": null, "name": "Bash", "kind": "execute", "title": format!("Run {command}"),
        "input": {"type": "shell", "command": command, "cwd": null, "description": null, "timeoutMs": null},
        "rawInput": {"command": command}, "locations": [], "status": "pending"
    }}))
}

fn output(id: &str, text: &str) -> SessionEventKind {
    kind(json!({"type": "toolCallUpdate", "data": {
        "id": id, "status": "completed", "output": {"text": text, "rawOutput": {"stdout": text, "noise": "zzzrawonly"}}
    }}))
}

fn append_all(store: &Store, id: &str, kinds: Vec<SessionEventKind>) {
    let last = store.session(&SessionId(id.into())).unwrap().map(|s| s.last_seq).unwrap_or(0);
    for (i, kind) in kinds.into_iter().enumerate() {
        store.append(&event(id, last + 1 + i as u64, kind)).unwrap();
    }
}

/// The text of `snippet` each range covers.
fn covered(snippet: &str, ranges: &[TextRange]) -> Vec<String> {
    let units: Vec<u16> = snippet.encode_utf16().collect();
    ranges.iter().map(|r| String::from_utf16_lossy(&units[r.start as usize..r.end as usize])).collect()
}

/// Makes the store at `path` what Warden 0.x with schema v4 left: no search tables.
fn make_v4(path: &std::path::Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "DROP TABLE search_fts; DROP TABLE search_docs; DROP TABLE search_pending; PRAGMA user_version = 4;",
    )
    .unwrap();
}

fn fts_is_whole(store: &Store) {
    store.conn().execute("INSERT INTO search_fts (search_fts) VALUES ('integrity-check')", []).expect("the index matches its documents");
}

#[test]
fn prompts_streamed_answers_commands_and_outputs_are_found_where_the_window_shows_them() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir);
    session(&store, "a", "/p");
    append_all(&store, "a", vec![
        prompt(1, "Why does the build fail on Linux?"),
        // A word cut between two streamed pieces is still one word.
        chunk("msg_1", "The borrow chec"),
        chunk("msg_1", "ker rejects the closure."),
        shell("t1", "cargo test --workspace"),
        output("t1", "test result: FAILED. 3 passed; 1 failed"),
    ]);

    let hits = store.search_project("/p", "checker", 10).unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    let hit = &hits[0];
    assert_eq!((hit.kind, hit.seq, hit.at_ms), (SearchHitKind::Answer, 2, 1_002), "a message is found at its first piece");
    assert_eq!(hit.target, SearchTarget::Message { message_id: MessageId("msg_1".into()), part: 0, parent: None, thought: false });
    assert_eq!(hit.snippet, "The borrow checker rejects the closure.");
    assert_eq!(covered(&hit.snippet, &hit.matches), ["checker"]);
    assert_eq!(hit.session_title, "Why does the build fail on Linux?");

    let hits = store.search_project("/p", "cargo work", 10).unwrap();
    assert_eq!(hits.len(), 1, "every word must match, and words match their start: {hits:?}");
    assert_eq!((hits[0].kind, &hits[0].target), (SearchHitKind::ToolInput, &SearchTarget::Tool { id: ToolCallId("t1".into()) }));
    // The call's title and its command, one line each.
    assert_eq!(hits[0].snippet, "Run cargo test --workspace\ncargo test --workspace");
    assert_eq!(covered(&hits[0].snippet, &hits[0].matches), ["cargo", "workspace", "cargo", "workspace"]);

    let hits = store.search_project("/p", "failed", 10).unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!((hits[0].kind, hits[0].seq), (SearchHitKind::ToolOutput, 5));
    assert_eq!(covered(&hits[0].snippet, &hits[0].matches), ["FAILED", "failed"], "case is ignored");

    assert_eq!(store.search_project("/p", "linux", 10).unwrap()[0].kind, SearchHitKind::Prompt);
    assert!(store.search_project("/p", "zzzrawonly", 10).unwrap().is_empty(), "raw payloads are not indexed");
    assert!(store.search_project("/p", "toolCallUpdate", 10).unwrap().is_empty(), "nor the JSON around the text");
    assert!(store.search_project("/p", "\"closure rejects\"", 10).unwrap().is_empty(), "a phrase is in its order");
    assert_eq!(store.search_project("/p", "\"rejects the closure\"", 10).unwrap().len(), 1);
    fts_is_whole(&store);
}

#[test]
fn a_project_includes_its_worktree_sessions_and_no_other_project() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir);
    session(&store, "main", "/p");
    let mut tree = SessionRecord::new(SessionId("tree".into()), "/p-worktrees/x".into(), AgentKind::Codex, None, PermissionMode::Default, 2);
    tree.worktree = Some(SessionWorktree { main: "/p".into(), branch: "warden/x".into(), base_branch: None, base_commit: "abc".into() });
    store.create_session(&tree).unwrap();
    session(&store, "other", "/q");
    for id in ["main", "tree", "other"] {
        append_all(&store, id, vec![prompt(1, &format!("refactor the parser in {id}"))]);
    }
    let mut found: Vec<String> = store.search_project("/p", "parser", 10).unwrap().into_iter().map(|h| h.session_id.0).collect();
    found.sort();
    assert_eq!(found, ["main", "tree"]);
    assert_eq!(store.search_project("/q", "parser", 10).unwrap().len(), 1);
    assert_eq!(store.search_project("/p", "parser", 1).unwrap().len(), 1, "the limit holds");
}

#[test]
fn what_is_typed_is_never_an_fts_operator_and_punctuation_alone_says_why_it_finds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir);
    session(&store, "a", "/p");
    append_all(&store, "a", vec![prompt(1, "use NEAR(a b) and col:value or -flag \"quoted\" AND stuff")]);
    for typed in ["NEAR(a", "col:value", "-flag", "AND", "\"quoted", "a OR", "stuff*", "^use"] {
        let hits = store.search_project("/p", typed, 10);
        assert!(matches!(&hits, Ok(h) if h.len() == 1), "{typed}: {hits:?}");
    }
    assert!(store.search_project("/p", "   ", 10).unwrap().is_empty());
    match store.search_project("/p", "-> ::", 10) {
        Err(SearchError::Query(e)) => assert!(e.to_string().contains("punctuation"), "{e}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_replaced_input_and_a_second_output_replace_their_documents() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir);
    session(&store, "a", "/p");
    append_all(&store, "a", vec![
        shell("t1", "echo alpha"),
        kind(json!({"type": "toolCallUpdate", "data": {"id": "t1", "title": "Run echo beta",
            "input": {"type": "shell", "command": "echo beta", "cwd": null, "description": null, "timeoutMs": null}}})),
        output("t1", "gamma"),
        output("t1", "delta"),
    ]);
    assert!(store.search_project("/p", "alpha", 10).unwrap().is_empty(), "the streamed input was replaced");
    let beta = store.search_project("/p", "beta", 10).unwrap();
    assert_eq!(beta.len(), 1);
    assert_eq!(beta[0].seq, 1, "the input keeps the call's seq");
    assert!(store.search_project("/p", "gamma", 10).unwrap().is_empty());
    assert_eq!(store.search_project("/p", "delta", 10).unwrap().len(), 1);
    fts_is_whole(&store);
}

#[test]
fn a_forgotten_session_leaves_nothing_in_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir);
    session(&store, "a", "/p");
    append_all(&store, "a", vec![prompt(1, "ephemeral words"), chunk("m", "more ephemeral text")]);
    store.forget_session(&SessionId("a".into())).unwrap();
    assert!(store.search_project("/p", "ephemeral", 10).unwrap().is_empty());
    let docs: i64 = store.conn().query_row("SELECT count(*) FROM search_docs", [], |r| r.get(0)).unwrap();
    assert_eq!(docs, 0);
    fts_is_whole(&store);
}

#[test]
fn a_v4_store_is_upgraded_and_its_stored_events_backfilled_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    {
        let store = store(&dir);
        session(&store, "a", "/p");
        session(&store, "b", "/q");
        append_all(&store, "a", vec![prompt(1, "upgrade me"), chunk("m1", "an answer that conti")]);
        append_all(&store, "b", vec![shell("t", "make backfill"), output("t", "backfilled output")]);
    }
    make_v4(&path);
    let store = Store::open(&path).unwrap().store;
    let version: i32 = store.conn().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, 5);
    assert_eq!(store.index_pending(None, 0).unwrap(), 2, "both sessions wait for the backfill");
    // Streaming goes on in a session that waits: the backfill reads it all, once.
    append_all(&store, "a", vec![chunk("m1", "nues after the upgrade")]);

    let hits = store.search_project("/p", "continues", 10).unwrap();
    assert_eq!(hits.len(), 1, "a search indexes its project first: {hits:?}");
    assert_eq!(hits[0].snippet, "an answer that continues after the upgrade");
    assert_eq!(store.index_pending(Some("/p"), 0).unwrap(), 0);
    assert_eq!(store.index_pending(None, 0).unwrap(), 1, "the other project's session still waits");

    let store = std::sync::Arc::new(store);
    backfill_search_index(&store);
    let deadline = Instant::now() + Duration::from_secs(20);
    while store.index_pending(None, 0).unwrap() > 0 {
        assert!(Instant::now() < deadline, "the background backfill finishes");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(store.search_project("/q", "backfilled", 10).unwrap().len(), 1);
    // Appending after the backfill indexes as usual.
    append_all(&store, "b", vec![output("t", "fresh output")]);
    assert_eq!(store.search_project("/q", "fresh", 10).unwrap().len(), 1);
    fts_is_whole(&store);
}

#[test]
fn outputs_the_window_does_not_hold_are_counted_ignoring_case() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir);
    session(&store, "a", "/p");
    append_all(&store, "a", vec![shell("t1", "ls"), output("t1", "Error here, error there, ERROR"), shell("t2", "ls"), output("t2", "all fine")]);
    let id = SessionId("a".into());
    let found = store.output_matches(&id, &[1, 2, 4, 99], "error").unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].seq, found[0].count), (2, 3));
    assert!(store.output_matches(&id, &[2], "").unwrap().is_empty());
}

/// Text of about the length of a real answer, with a few words that recur and one per event.
fn filler(i: usize) -> String {
    format!(
        "Step {i}: the parser reads token{i} and hands it to the checker; lifetimes and borrows are \
         verified, then the module graph is updated and the cache written back to disk for later runs."
    )
}

#[test]
fn a_session_of_twenty_thousand_events_is_searched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let store = store(&dir);
    let record = SessionRecord::new(SessionId("big".into()), "/p".into(), AgentKind::Claude, None, PermissionMode::Default, 1);
    // A turn: a prompt, an answer in two pieces, a command and its output — 5 events.
    let mut events = Vec::new();
    let mut seq = 0;
    let mut next = |kind| {
        seq += 1;
        event("big", seq, kind)
    };
    for turn in 0..4_000usize {
        events.push(next(prompt(turn as u32 + 1, &format!("turn {turn}: please continue with the refactoring"))));
        events.push(next(chunk(&format!("m{turn}"), &filler(turn)[..60])));
        events.push(next(chunk(&format!("m{turn}"), &filler(turn)[60..])));
        events.push(next(shell(&format!("t{turn}"), &format!("cargo test -p crate{turn}"))));
        events.push(next(output(&format!("t{turn}"), &format!("running 12 tests\n{}\ntest result: ok. id{turn}", filler(turn)))));
    }
    assert_eq!(events.len(), 20_000);
    let started = Instant::now();
    store.import_session(&record, &events).unwrap();
    let import = started.elapsed();

    let mut times = Vec::new();
    for (label, query) in [("rare word", "token1234"), ("common word", "parser"), ("prefix", "lifetim"), ("phrase", "\"module graph is updated\"")] {
        let started = Instant::now();
        let hits = store.search_project("/p", query, 50).unwrap();
        times.push((label, started.elapsed(), hits.len()));
        assert!(!hits.is_empty(), "{query}");
    }
    let rare = store.search_project("/p", "token1234", 50).unwrap();
    let mut kinds: Vec<_> = rare.iter().map(|h| h.kind.as_str()).collect();
    kinds.sort();
    assert_eq!(kinds, ["answer", "toolOutput"], "{rare:?}");

    // The same session in a v4 store: the backfill on upgrade.
    drop(store);
    make_v4(&path);
    let store = Store::open(&path).unwrap().store;
    let started = Instant::now();
    assert_eq!(store.index_pending(None, usize::MAX).unwrap(), 0);
    let backfill = started.elapsed();
    assert_eq!(store.search_project("/p", "token1234", 50).unwrap().len(), 2);

    // Appending live, one transaction per event as the actor does, with the index kept up.
    let started = Instant::now();
    let last = 20_000;
    for i in 0..1_000u64 {
        store.append(&event("big", last + 1 + i, chunk("live", " more streamed words"))).unwrap();
    }
    let per_append = started.elapsed() / 1_000;
    fts_is_whole(&store);

    println!("full-text search over a 20,000-event session:");
    println!("  import with indexing: {import:?}; backfill of the same session on upgrade: {backfill:?}");
    for (label, took, hits) in times {
        println!("  search ({label}): {took:?}, {hits} hits (limit 50)");
    }
    println!("  append with indexing (a message growing to 1,000 pieces): {per_append:?} per event");
}
