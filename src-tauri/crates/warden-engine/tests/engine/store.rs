//! The session store: damaged files, gaps, unreadable rows.

use warden_core::session::*;
use warden_engine::{Engine, Store, SESSIONS_DB};

fn record(id: &str) -> SessionRecord {
    SessionRecord::new(SessionId(id.into()), "/p".into(), AgentKind::Claude, None, PermissionMode::Default, 1)
}

fn event(id: &str, seq: u64, kind: SessionEventKind) -> SessionEvent {
    SessionEvent { session_id: SessionId(id.into()), seq, at_ms: seq, kind }
}

#[test]
fn a_damaged_store_is_kept_aside_and_a_new_one_started() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(SESSIONS_DB);
    std::fs::write(&path, b"this is not an SQLite database, it is a damaged file".repeat(100)).unwrap();
    let (engine, notice) = Engine::open(dir.path()).expect("opens despite the damage");
    let notice = notice.expect("the person is told");
    assert!(notice.contains("damaged") && notice.contains(".corrupt-"), "{notice}");
    let kept: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".corrupt-"))
        .collect();
    assert_eq!(kept.len(), 1, "the damaged file is kept, not deleted");
    assert!(std::fs::read(kept[0].path()).unwrap().starts_with(b"this is not an SQLite"));
    assert!(engine.store().sessions(None).unwrap().is_empty());
}

#[test]
fn events_must_follow_each_other_without_gaps() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.db")).unwrap().store;
    store.create_session(&record("a")).unwrap();
    store.append(&event("a", 1, SessionEventKind::Status(SessionStatus::Ready))).unwrap();
    let gap = store.append(&event("a", 3, SessionEventKind::Status(SessionStatus::Running)));
    assert!(matches!(gap, Err(warden_engine::StoreError::Gap { last: 1, got: 3, .. })), "{gap:?}");
    let again = store.append(&event("a", 1, SessionEventKind::Status(SessionStatus::Running)));
    assert!(again.is_err(), "a seq cannot be stored twice");
    assert_eq!(store.events(&SessionId("a".into()), 0).unwrap().len(), 1);
}

#[test]
fn a_batch_of_events_is_stored_all_or_none_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.db")).unwrap().store;
    store.create_session(&record("a")).unwrap();
    let id = SessionId("a".into());
    let batch: Vec<_> = (1..=3).map(|seq| event("a", seq, SessionEventKind::Status(SessionStatus::Running))).collect();
    store.append_all(&batch).unwrap();
    let seqs: Vec<u64> = store.events(&id, 0).unwrap().iter().map(|e| e.seq).collect();
    assert_eq!(seqs, [1, 2, 3]);
    assert_eq!(store.session(&id).unwrap().unwrap().last_seq, 3, "the session's record follows the batch");
    // A gap in the middle refuses the whole batch: the events before it are not kept either.
    let broken = [event("a", 4, SessionEventKind::Status(SessionStatus::Ready)), event("a", 6, SessionEventKind::Status(SessionStatus::Ready))];
    let refused = store.append_all(&broken);
    assert!(matches!(refused, Err(warden_engine::StoreError::Gap { last: 4, got: 6, .. })), "{refused:?}");
    assert_eq!(store.events(&id, 0).unwrap().len(), 3, "nothing of a refused batch is stored");
    assert_eq!(store.session(&id).unwrap().unwrap().last_seq, 3);
    store.append_all(&[]).unwrap();
}

/// Events are stored in batches now (one transaction per burst): still, no one is handed an
/// event before it is stored, none is lost, and their order has no gap.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_event_is_stored_before_it_is_handed_on_when_they_come_in_bursts() {
    use std::sync::{Arc, Mutex};
    use warden_engine::{EventSink, NewSession, RunOptions};
    struct Checking {
        store: Store,
        seen: Mutex<Vec<(u64, bool)>>,
        tx: tokio::sync::mpsc::UnboundedSender<SessionEvent>,
    }
    impl EventSink for Checking {
        fn send(&self, event: &SessionEvent) {
            let stored = self.store.event(&event.session_id, event.seq).unwrap().is_some();
            self.seen.lock().unwrap().push((event.seq, stored));
            let _ = self.tx.send(event.clone());
        }
    }
    let world = crate::support::World::new();
    // A second handle on the same database: what the window or another process would read.
    let reader = Store::open(&world.data_dir().join(SESSIONS_DB)).unwrap().store;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let sink = Arc::new(Checking { store: reader, seen: Mutex::new(Vec::new()), tx });
    let new = NewSession {
        project: world.project.path().to_string_lossy().into_owned(),
        run: RunOptions {
            binary: Some(crate::support::fake_agent()),
            env: vec![("WARDEN_FAKE_MODE".into(), "flood".into()), ("WARDEN_FAKE_COUNT".into(), "3000".into())],
            ..Default::default()
        },
        ..Default::default()
    };
    let handle = world.engine.sessions().start(new, sink.clone()).await.expect("session starts");
    handle.prompt("go").await.unwrap();
    let ended = tokio::time::timeout(std::time::Duration::from_secs(60), async {
        while let Some(event) = rx.recv().await {
            if matches!(event.kind, SessionEventKind::TurnEnded(_)) {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(ended, Ok(true), "the turn ends");
    handle.stop().await;
    let seen = sink.seen.lock().unwrap().clone();
    assert!(seen.len() > 5, "{seen:?}");
    assert!(seen.iter().all(|(_, stored)| *stored), "handed on before stored: {:?}", seen.iter().filter(|s| !s.1).collect::<Vec<_>>());
    let seqs: Vec<u64> = seen.iter().map(|s| s.0).collect();
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>(), "in order, without gaps");
    let stored = world.engine.store().events(handle.id(), 0).unwrap();
    assert_eq!(stored.len(), seqs.len(), "every event handed on is stored, and no other");
}

/// A permission decision is in the store (its file or write-ahead log) when the agent hears it:
/// the fake agent looks for it in the raw files as soon as the answer arrives. Decided by a
/// project rule, the decision is made while Warden reads the agent's output, where a batch may
/// otherwise wait for the next tick; decided by the person, it comes with their command.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_permission_decision_is_stored_before_the_agent_hears_it() {
    use warden_core::permission::{Rule, RuleSet};
    for by_rule in [true, false] {
        let world = crate::support::World::new();
        if by_rule {
            let allow = RuleSet { allow: vec![Rule::parse("Bash(touch asked.txt)").unwrap()], deny: vec![] };
            world.engine.permissions().set_project_rules(&world.project_path().to_string_lossy(), &allow).unwrap();
        }
        let store = world.data_dir().join(SESSIONS_DB);
        let env = vec![("WARDEN_FAKE_MODE".into(), "ask-check".into()), ("WARDEN_FAKE_STORE".into(), store.into_os_string())];
        let mut run = crate::support::Run::start(&world.engine, world.project.path(), crate::support::fake_agent(), env).await;
        run.handle.prompt("may I?").await.unwrap();
        if !by_rule {
            let ask = run.permission().await;
            assert_eq!(ask.request_id.0, "fake-ask-check-1");
            let answer = PermissionAnswer::new(PermissionDecision::AllowOnce);
            run.handle.resolve(ask.request_id, answer, DecisionSource::User).await.unwrap();
        }
        run.turn_end().await;
        assert_eq!(run.text(), "decision stored", "by rule: {by_rule}: the agent found the decision in the store when it heard it");
        run.stop().await;
    }
}

#[test]
fn one_event_reads_back_by_its_seq() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.db")).unwrap().store;
    store.create_session(&record("a")).unwrap();
    store.append(&event("a", 1, SessionEventKind::Status(SessionStatus::Ready))).unwrap();
    store.append(&event("a", 2, SessionEventKind::Status(SessionStatus::Running))).unwrap();
    let id = SessionId("a".into());
    let second = store.event(&id, 2).unwrap().expect("seq 2 is stored");
    assert_eq!((second.seq, second.kind), (2, SessionEventKind::Status(SessionStatus::Running)));
    assert!(store.event(&id, 3).unwrap().is_none(), "a seq not stored is None, not an error");
    assert!(store.event(&SessionId("b".into()), 1).unwrap().is_none());
}

#[test]
fn a_stored_event_this_version_cannot_read_comes_back_raw() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let store = Store::open(&path).unwrap().store;
    store.create_session(&record("a")).unwrap();
    store.append(&event("a", 1, SessionEventKind::Status(SessionStatus::Ready))).unwrap();
    drop(store);
    warden_engine::store::testing::set_body(&path, "a", 1, r#"{"type":"fromTheFuture","data":{}}"#).unwrap();
    let store = Store::open(&path).unwrap().store;
    let events = store.events(&SessionId("a".into()), 0).unwrap();
    match &events[0].kind {
        SessionEventKind::Unrecognised(raw) => assert!(raw.text.contains("fromTheFuture"), "{raw:?}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_session_whose_process_is_gone_reads_as_crashed() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.db")).unwrap().store;
    store.create_session(&record("a")).unwrap();
    store.append(&event("a", 1, SessionEventKind::Status(SessionStatus::Running))).unwrap();
    assert_eq!(store.session(&SessionId("a".into())).unwrap().unwrap().status, SessionStatus::Running, "this process drives it");
    warden_engine::store::testing::set_owner(dir.path().join("s.db").as_path(), "a", 999_999_999).unwrap();
    assert_eq!(store.session(&SessionId("a".into())).unwrap().unwrap().status, SessionStatus::Crashed);
}

#[test]
fn a_store_from_before_other_agents_is_upgraded_and_keeps_its_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    // The version 1 table as Warden 0.1 wrote it, with one Claude session.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "CREATE TABLE sessions (id TEXT PRIMARY KEY, project TEXT NOT NULL, agent TEXT NOT NULL, agent_session_id TEXT,
            title TEXT NOT NULL DEFAULT '', model TEXT, permission_mode TEXT NOT NULL, created_ms INTEGER NOT NULL,
            updated_ms INTEGER NOT NULL, status TEXT NOT NULL, turns INTEGER NOT NULL DEFAULT 0,
            last_seq INTEGER NOT NULL DEFAULT 0, cost_usd REAL NOT NULL DEFAULT 0, owner_pid INTEGER);
         CREATE TABLE events (session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE, seq INTEGER NOT NULL,
            at_ms INTEGER NOT NULL, type TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (session_id, seq)) WITHOUT ROWID;
         INSERT INTO sessions (id, project, agent, title, permission_mode, created_ms, updated_ms, status)
            VALUES ('old', '/p', 'claude', 'From before', 'default', 1, 2, 'stopped');
         PRAGMA user_version = 1;",
    )
    .unwrap();
    drop(conn);

    let store = Store::open(&path).unwrap().store;
    let old = store.session(&SessionId("old".into())).unwrap().expect("kept");
    assert_eq!((old.agent, old.title.as_str(), old.agent_name, old.sandbox), (AgentKind::Claude, "From before", None, None));
    let mut codex = record("new");
    codex.agent = AgentKind::Codex;
    codex.sandbox = Some(Sandbox::ReadOnly);
    store.create_session(&codex).unwrap();
    let mut custom = record("mine");
    custom.agent = AgentKind::Custom;
    custom.agent_name = Some("my-agent".into());
    store.create_session(&custom).unwrap();
    let read = store.session(&SessionId("new".into())).unwrap().unwrap();
    assert_eq!((read.agent, read.sandbox), (AgentKind::Codex, Some(Sandbox::ReadOnly)));
    assert_eq!(store.session(&SessionId("mine".into())).unwrap().unwrap().agent_name.as_deref(), Some("my-agent"));
}

#[test]
fn a_worktree_session_is_listed_under_its_main_project_and_its_group_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.db")).unwrap().store;
    let mut in_worktree = record("w");
    in_worktree.project = "/data/worktrees/p-1/warden-fix".into();
    in_worktree.worktree = Some(SessionWorktree {
        main: "/p".into(),
        branch: "warden/fix".into(),
        base_branch: Some("main".into()),
        base_commit: "0123456789abcdef0123456789abcdef01234567".into(),
    });
    in_worktree.group = Some("g-1".into());
    let mut other = record("o");
    other.project = "/elsewhere".into();
    other.group = Some("g-2".into());
    store.create_session(&record("m")).unwrap();
    store.create_session(&in_worktree).unwrap();
    store.create_session(&other).unwrap();

    let listed: Vec<_> = store.sessions(Some("/p")).unwrap().into_iter().map(|r| r.id.0).collect();
    assert_eq!(listed.len(), 2, "the main folder's session and its worktree's: {listed:?}");
    assert!(listed.contains(&"w".to_owned()) && listed.contains(&"m".to_owned()));
    let read = store.session(&SessionId("w".into())).unwrap().unwrap();
    assert_eq!(read.worktree, in_worktree.worktree, "the worktree reads back as stored");
    let group: Vec<_> = store.group("g-1").unwrap().into_iter().map(|r| r.id.0).collect();
    assert_eq!(group, ["w"]);
    assert!(store.group("g-3").unwrap().is_empty());
}

/// `PRAGMA quick_check` reads the whole file: the store runs it only when its last use did not
/// end cleanly (warden-disk's tests kill a process holding a database for real; here the state
/// file is set to what such a process leaves).
#[test]
fn the_store_is_checked_only_after_an_unclean_end_and_a_damaged_page_is_then_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(SESSIONS_DB);
    let state = dir.path().join(format!("{SESSIONS_DB}.state"));
    let opened = Store::open(&path).unwrap();
    assert!(opened.store.checked_at_open(), "a new store has no state yet: checked");
    let events: Vec<_> = (1..=4000).map(|seq| event("a", seq, SessionEventKind::Status(SessionStatus::Running))).collect();
    opened.store.import_session(&record("a"), &events).unwrap();
    drop(opened);

    let store = Store::open(&path).unwrap().store;
    assert!(!store.checked_at_open(), "closed cleanly: not checked");
    let beside = Store::open(&path).unwrap().store;
    assert!(!beside.checked_at_open(), "opened again while open (as by a second process): not checked");
    drop(beside);
    drop(store);
    assert!(std::fs::read_to_string(&state).unwrap().starts_with("clean "));

    // A process killed while it held the store leaves "in use"; then a page in the middle of the
    // events is damaged.
    std::fs::write(&state, "in use\n").unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    let pages = bytes.len() / 4096;
    assert!(pages > 20, "{pages} pages");
    bytes[pages / 2 * 4096..(pages / 2 + 1) * 4096].fill(0xA5);
    std::fs::write(&path, bytes).unwrap();
    let opened = Store::open(&path).unwrap();
    assert!(opened.store.checked_at_open());
    let notice = opened.notice.expect("the damage is found and the person told");
    assert!(notice.contains("damaged") && notice.contains(".corrupt-"), "{notice}");
    assert!(opened.store.sessions(None).unwrap().is_empty(), "a new store was started");
}
