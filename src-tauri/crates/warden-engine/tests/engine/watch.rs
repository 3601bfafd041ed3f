//! The project watcher (issue 18): a change made while no turn runs is journaled at once as an
//! op outside any turn and shown in the session's stream; the next turn leaves it out, and a
//! rollback of the turn over it reports a conflict. `.git/` and ignored files give nothing; the
//! system's watch limit turns live updates off with a notice.

use crate::support::*;
use serde_json::json;
use std::path::Path;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};
use warden_core::journal::*;
use warden_core::session::*;
use warden_engine::journal::{is_outside_turn, Journal, RollbackError};
use warden_engine::session::TurnGate;
use warden_engine::watch::{WatchFactory, Watchers};
use warden_engine::FilesError;
use warden_mock_models::{AnthropicMock, Reply};

/// Longest wait for the watcher to record an outside change (the debounce is 0.2 s).
const RECORDED_WITHIN: Duration = Duration::from_secs(5);

fn bash(command: &str) -> Reply {
    Reply::tool("Bash", json!({"command": command, "description": "Change files"}))
}

/// The ops of the project made outside any turn.
fn outside_ops(world: &World) -> Vec<FileOp> {
    let project = world.project_path().to_string_lossy().into_owned();
    world.engine.files().file_log(&project, None).unwrap().into_iter().filter(is_outside_turn).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_between_turns_is_recorded_at_once_outside_any_turn() {
    let world = World::new();
    let root = world.project_path();
    let project = root.to_string_lossy().into_owned();
    std::fs::write(root.join(".gitignore"), "ignored/\n").unwrap();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::write(root.join("c.txt"), "original\n").unwrap();
    let mock = AnthropicMock::start(vec![
        bash("echo agent > c.txt"),
        Reply::text("Done."),
        bash("echo second > d.txt"),
        Reply::text("Done again."),
    ])
    .unwrap();
    let env = claude_env(world.home.path(), &mock.url());
    let mut run = Run::start_with(&world.engine, &root, claude(), env, PermissionMode::Bypass).await;
    let turn = run.handle.prompt("overwrite").await.unwrap();
    run.turn_end().await;
    assert!(world.engine.sessions().watchers().unwrap().watching(&root));

    // Git's own files and ignored ones: nothing.
    std::fs::write(root.join(".git/index"), "git's own").unwrap();
    std::fs::create_dir_all(root.join("ignored")).unwrap();
    std::fs::write(root.join("ignored/out.bin"), "build output").unwrap();
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert!(outside_ops(&world).is_empty(), "{:#?}", outside_ops(&world));

    let edited = Instant::now();
    std::fs::write(root.join("c.txt"), "the person's edit\n").unwrap();
    let op = loop {
        if let Some(op) = outside_ops(&world).into_iter().next() {
            break op;
        }
        assert!(edited.elapsed() < RECORDED_WITHIN, "not recorded within {RECORDED_WITHIN:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    eprintln!("outside-edit latency (write to journaled): {:?}", edited.elapsed());
    assert_eq!((op.path.as_str(), &op.kind, op.tool_call_id.as_ref()), ("c.txt", &OpKind::Modify, None));
    assert_eq!((op.before.as_ref().unwrap().size, op.after.as_ref().unwrap().size), (6, 18));
    let shown = run.until("the outside change", |k| matches!(k, SessionEventKind::FileChanges(c) if c.outside_turn)).await;
    let SessionEventKind::FileChanges(shown) = shown else { unreachable!() };
    assert_eq!(shown.tool_call_id, None);
    assert_eq!(shown.ops.iter().map(|o| (o.id, o.path.as_str())).collect::<Vec<_>>(), [(op.id, "c.txt")]);
    assert_eq!(outside_ops(&world).len(), 1, "recorded once: {:#?}", outside_ops(&world));

    // A rollback of the turn would overwrite the person's edit: a conflict.
    let target = RollbackTarget::Turn { session_id: run.handle.id().clone(), turn };
    let refused = world.engine.files().rollback(&project, target, false).unwrap_err();
    let FilesError::Rollback(RollbackError::Conflicts(conflicts)) = &refused else { panic!("{refused:?}") };
    assert_eq!(conflicts.iter().map(|c| c.path.as_str()).collect::<Vec<_>>(), ["c.txt"]);

    // The next turn's ops do not include it.
    let second = run.handle.prompt("another").await.unwrap();
    run.turn_end().await;
    let log = world.engine.files().file_log(&project, Some(run.handle.id())).unwrap();
    let of_second: Vec<&str> = log.iter().filter(|o| o.turn == second).map(|o| o.path.as_str()).collect();
    assert_eq!(of_second, ["d.txt"]);
    assert_eq!(outside_ops(&world).len(), 1, "the agent's changes are not outside ones: {:#?}", outside_ops(&world));
    run.stop().await;
    let stopped = Instant::now();
    while world.engine.sessions().watchers().unwrap().watching(&root) {
        assert!(stopped.elapsed() < Duration::from_secs(5), "still watched after its last session ended");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A session lets go of its project's watch when it begins to stop, not once its agent is gone:
/// tearing the system watcher down waits on the kernel, and that wait overlaps the agent's exit
/// instead of coming after it (`warden run` ends right after). The fake agent here ignores the
/// end of its stdin, so the stop takes the full grace before the kill.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopping_session_lets_go_of_the_watch_before_its_agent_exits() {
    let world = World::new();
    let root = world.project_path();
    let pidfile = world.home.path().join("grandchild.pid");
    let env = vec![("WARDEN_FAKE_MODE".into(), "grandchild".into()), ("WARDEN_FAKE_PIDFILE".into(), pidfile.into_os_string())];
    let mut run = Run::start_with(&world.engine, &root, fake_agent(), env, PermissionMode::Default).await;
    run.handle.prompt("hello").await.unwrap();
    run.turn_end().await;
    let watchers = world.engine.sessions().watchers().unwrap().clone();
    assert!(watchers.watching(&root));
    run.handle.request_stop();
    let asked = Instant::now();
    while watchers.watching(&root) {
        assert!(asked.elapsed() < Duration::from_secs(2), "still watched 2 s into the stop");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(!run.handle.is_finished(), "the watch was let go of only once the session finished");
    tokio::time::timeout(Duration::from_secs(30), run.handle.finished()).await.expect("the stop ends the agent within its graces");
}

fn watchers(data: &Path, factory: Option<WatchFactory>) -> Watchers {
    let journal = Arc::new(Journal::open(data).unwrap().journal);
    let gate = Arc::new(TurnGate::default());
    match factory {
        Some(factory) => Watchers::with_factory(journal, gate, factory),
        None => Watchers::new(journal, gate),
    }
}

#[test]
fn the_watch_limit_turns_live_updates_off_with_a_notice() {
    let (data, project) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let factory: WatchFactory = Arc::new(|_, _| Err(notify::Error::new(notify::ErrorKind::MaxFilesWatch)));
    let watchers = watchers(data.path(), Some(factory));
    let (tx, rx) = mpsc::channel();
    watchers.join(project.path(), SessionId::from("s"), Arc::new(move |kind| drop(tx.send(kind))));
    let told = rx.recv_timeout(RECORDED_WITHIN).expect("a notice");
    let SessionEventKind::Notice(notice) = told else { panic!("{told:?}") };
    assert_eq!(notice.level, NoticeLevel::Warning);
    assert!(notice.text.contains("Live updates are off") && notice.text.contains("limit"), "{}", notice.text);
    let since = Instant::now();
    while watchers.watching(project.path()) {
        assert!(since.elapsed() < RECORDED_WITHIN, "still counted as watched");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_watcher_without_sessions_records_and_stops_with_its_last_session() {
    let (data, project) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    std::fs::write(project.path().join("a.txt"), "1").unwrap();
    let watchers = watchers(data.path(), None);
    let (tx, rx) = mpsc::channel();
    let (one, two) = (SessionId::from("one"), SessionId::from("two"));
    watchers.join(project.path(), one.clone(), Arc::new(move |kind| drop(tx.send(kind))));
    watchers.join(project.path(), two.clone(), Arc::new(|_| {}));
    // The watch starts after the watcher's first snapshot: write until it is heard.
    let since = Instant::now();
    let changes = loop {
        std::fs::write(project.path().join("a.txt"), format!("{:?}", since.elapsed())).unwrap();
        match rx.recv_timeout(Duration::from_millis(500)) {
            Ok(SessionEventKind::FileChanges(c)) => break c,
            Ok(other) => panic!("{other:?}"),
            Err(_) => assert!(since.elapsed() < RECORDED_WITHIN, "nothing recorded"),
        }
    };
    assert!(changes.outside_turn && changes.tool_call_id.is_none());
    assert_eq!(changes.ops[0].path, "a.txt");
    watchers.leave(project.path(), &one);
    assert!(watchers.watching(project.path()), "one session is left");
    watchers.leave(project.path(), &two);
    assert!(!watchers.watching(project.path()));
}

/// A window's watchers and the journal they record into (to count what was recorded).
fn window_watchers(data: &Path) -> (Watchers, Arc<Journal>) {
    let journal = Arc::new(Journal::open(data).unwrap().journal);
    (Watchers::new(journal.clone(), Arc::new(TurnGate::default())), journal)
}

/// The ops of `root` made outside any turn, as the journal has them.
fn outside_in(journal: &Journal, root: &Path) -> Vec<FileOp> {
    journal.log(root, None).unwrap().into_iter().filter(is_outside_turn).collect()
}

/// Writes `file` until `rx` hears of a change (the watch starts after the watcher's first
/// snapshot, so the first writes may come before it); returns the change heard.
fn write_until_heard(file: &Path, rx: &mpsc::Receiver<SessionEventKind>) -> FileChanges {
    let since = Instant::now();
    loop {
        std::fs::write(file, format!("{:?}", since.elapsed())).unwrap();
        match rx.recv_timeout(Duration::from_millis(500)) {
            Ok(SessionEventKind::FileChanges(c)) => return c,
            Ok(other) => panic!("{other:?}"),
            Err(_) => assert!(since.elapsed() < RECORDED_WITHIN, "nothing recorded within {RECORDED_WITHIN:?}"),
        }
    }
}

/// Takes what `rx` hears within `quiet` of silence (bounded by [`RECORDED_WITHIN`]).
fn drain(rx: &mpsc::Receiver<SessionEventKind>, quiet: Duration) -> Vec<SessionEventKind> {
    let (since, mut heard) = (Instant::now(), Vec::new());
    while let Ok(kind) = rx.recv_timeout(quiet) {
        heard.push(kind);
        assert!(since.elapsed() < RECORDED_WITHIN, "never quiet");
    }
    heard
}

fn listener(tx: mpsc::Sender<SessionEventKind>) -> warden_engine::watch::Listener {
    let tx = std::sync::Mutex::new(tx);
    Arc::new(move |kind| drop(tx.lock().unwrap().send(kind)))
}

#[test]
fn a_project_open_with_no_session_records_an_outside_edit_and_closing_it_stops() {
    let (data, project) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let root = project.path().canonicalize().unwrap();
    std::fs::write(root.join("a.txt"), "1").unwrap();
    let (watchers, journal) = window_watchers(data.path());
    let (tx, rx) = mpsc::channel();
    watchers.hold_open(std::slice::from_ref(&root), |_| listener(tx.clone()));
    assert!(watchers.watching(&root) && watchers.held_open() == [root.clone()]);

    let changes = write_until_heard(&root.join("a.txt"), &rx);
    assert!(changes.outside_turn && changes.tool_call_id.is_none() && changes.turn == TurnId(0));
    assert_eq!(changes.ops[0].path, "a.txt");
    let recorded = outside_in(&journal, &root);
    assert!(!recorded.is_empty() && recorded.iter().all(|op| op.path == "a.txt" && op.session_id.0.is_empty()), "{recorded:#?}");
    drain(&rx, Duration::from_millis(600));
    let before = outside_in(&journal, &root).len();

    // Closed (the window holds nothing any more): nothing is watched or recorded.
    watchers.hold_open(&[], |_| listener(tx.clone()));
    assert!(!watchers.watching(&root) && watchers.held_open().is_empty());
    std::fs::write(root.join("a.txt"), "after closing").unwrap();
    std::fs::write(root.join("b.txt"), "new after closing").unwrap();
    assert!(drain(&rx, Duration::from_millis(1200)).is_empty(), "told after closing");
    assert_eq!(outside_in(&journal, &root).len(), before, "recorded after closing");
}

#[test]
fn a_project_open_with_a_live_session_records_an_edit_once_and_tells_both() {
    let (data, project) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let root = project.path().canonicalize().unwrap();
    std::fs::write(root.join("a.txt"), "1").unwrap();
    let (watchers, journal) = window_watchers(data.path());
    let (window_tx, window) = mpsc::channel();
    let (session_tx, session) = mpsc::channel();
    watchers.hold_open(std::slice::from_ref(&root), |_| listener(window_tx.clone()));
    let id = SessionId::from("live");
    watchers.join(&root, id.clone(), listener(session_tx));
    // Started once, for both: wait until it records, then let it settle.
    write_until_heard(&root.join("a.txt"), &window);
    drain(&window, Duration::from_millis(600));
    drain(&session, Duration::from_millis(100));
    let before = outside_in(&journal, &root).len();

    std::fs::write(root.join("b.txt"), "one edit\n").unwrap();
    let heard = |rx: &mpsc::Receiver<SessionEventKind>| -> Vec<(OpId, String)> {
        drain(rx, Duration::from_millis(1500))
            .into_iter()
            .flat_map(|kind| match kind {
                SessionEventKind::FileChanges(c) if c.outside_turn => c.ops.into_iter().map(|o| (o.id, o.path)).collect::<Vec<_>>(),
                other => panic!("{other:?}"),
            })
            .collect()
    };
    let (by_window, by_session) = (heard(&window), heard(&session));
    let recorded = outside_in(&journal, &root);
    assert_eq!(recorded.len(), before + 1, "recorded once: {recorded:#?}");
    let op = recorded.last().unwrap();
    assert_eq!(by_window, [(op.id, "b.txt".to_owned())]);
    assert_eq!(by_session, by_window, "the session hears the same op, once");

    // The session ends: the window still holds the root; closing stops it.
    watchers.leave(&root, &id);
    assert!(watchers.watching(&root));
    watchers.hold_open(&[], |_| listener(window_tx.clone()));
    assert!(!watchers.watching(&root));
}

#[test]
fn a_worktree_folder_is_watched_while_its_main_project_is_open() {
    let data = tempfile::tempdir().unwrap();
    let repo = tempfile::tempdir().unwrap();
    let main = repo.path().canonicalize().unwrap();
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git").args(args).current_dir(&main).output().unwrap();
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    git(&["init", "--quiet", "--initial-branch=main"]);
    git(&["config", "user.name", "Warden Test"]);
    git(&["config", "user.email", "test@warden.invalid"]);
    std::fs::write(main.join("a.txt"), "one\n").unwrap();
    git(&["add", "--all"]);
    git(&["commit", "--quiet", "-m", "first"]);
    let options = warden_engine::worktrees::CreateOptions { title: "watched".into(), ..Default::default() };
    let tree = warden_engine::worktrees::create(data.path(), &main, &options).unwrap().0;
    let folder = tree.path.canonicalize().unwrap();
    assert_eq!(warden_engine::worktrees::folders_of(data.path(), &main), std::slice::from_ref(&tree.path));

    // What the window holds for an open project: the folder and its worktrees' folders.
    let (watchers, journal) = window_watchers(data.path());
    let (tx, rx) = mpsc::channel();
    let mut roots = vec![main.clone()];
    roots.extend(warden_engine::worktrees::folders_of(data.path(), &main));
    watchers.hold_open(&roots, |_| listener(tx.clone()));
    assert!(watchers.watching(&main) && watchers.watching(&folder));
    let changes = write_until_heard(&folder.join("a.txt"), &rx);
    assert_eq!(changes.ops[0].path, "a.txt");
    assert!(!outside_in(&journal, &folder).is_empty(), "journaled under the worktree's folder");
    assert!(outside_in(&journal, &main).is_empty(), "not under the main folder");

    watchers.hold_open(&[], |_| listener(tx.clone()));
    assert!(!watchers.watching(&main) && !watchers.watching(&folder));
    // A worktree whose folder is gone is not watched.
    std::fs::remove_dir_all(&folder).unwrap();
    assert!(warden_engine::worktrees::folders_of(data.path(), &main).is_empty());
}

/// This process's CPU time so far (user and system) and resident memory, from `/proc`.
#[cfg(target_os = "linux")]
fn usage() -> (Duration, u64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    let fields: Vec<&str> = stat.rsplit_once(')').unwrap().1.split_whitespace().collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let rss_kib = status.lines().find_map(|l| l.strip_prefix("VmRSS:")).unwrap().trim().trim_end_matches(" kB").parse().unwrap();
    (Duration::from_millis(ticks * 10), rss_kib)
}

/// Numbers, not assertions: the watcher's idle cost on a 50,000-file tree. Run with
/// `cargo test -p warden-engine --test engine watch::idle_cost -- --ignored --nocapture`.
#[cfg(target_os = "linux")]
#[test]
#[ignore]
fn idle_cost_on_fifty_thousand_files() {
    let (data, project) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for d in 0..500 {
        let dir = project.path().join(format!("dir{d:03}"));
        std::fs::create_dir(&dir).unwrap();
        for f in 0..100 {
            std::fs::write(dir.join(format!("file{f:03}.txt")), format!("{d} {f}\n")).unwrap();
        }
    }
    let watchers = watchers(data.path(), None);
    let (before_cpu, before_rss) = usage();
    let started = Instant::now();
    let (tx, rx) = mpsc::channel();
    watchers.join(project.path(), SessionId::from("s"), Arc::new(move |kind| drop(tx.send(kind))));
    let edited = loop {
        std::fs::write(project.path().join("dir000/file000.txt"), format!("{:?}", started.elapsed())).unwrap();
        let edited = Instant::now();
        match rx.recv_timeout(Duration::from_secs(2)) {
            Ok(SessionEventKind::FileChanges(_)) => break edited,
            Ok(other) => panic!("{other:?}"),
            Err(_) => assert!(started.elapsed() < Duration::from_secs(300), "never heard"),
        }
    };
    let ready = started.elapsed();
    let latency = edited.elapsed();
    let (ready_cpu, ready_rss) = usage();
    std::thread::sleep(Duration::from_secs(10));
    let (idle_cpu, idle_rss) = usage();
    eprintln!(
        "50,000 files in 500 folders: watching and first snapshot {ready:?} ({:?} CPU, +{} MiB resident); \
         one edit journaled in {latency:?}; idle 10 s: {:?} CPU, resident {} -> {} MiB",
        ready_cpu - before_cpu,
        ready_rss.saturating_sub(before_rss) / 1024,
        idle_cpu - ready_cpu,
        ready_rss / 1024,
        idle_rss / 1024
    );
    watchers.leave(project.path(), &SessionId::from("s"));
}
