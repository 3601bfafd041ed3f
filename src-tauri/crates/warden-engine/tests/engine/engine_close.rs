//! Dropping the engine closes its databases before the drop returns, as `warden run` does right
//! before the process exits: its last session's project watcher (a thread holding the store and
//! the journal) is waited for, so no database is left to a thread the exit cuts off after the
//! exit handler marked it closed cleanly with a size from before its closing checkpoint.

use crate::support::*;
use std::path::Path;
use std::sync::Arc;
use tokio::sync::mpsc;
use warden_core::session::*;
use warden_engine::{ChannelSink, Engine, NewSession, RunOptions};

/// Whether the database at `db` is closed and marked clean with its size as it is now (what
/// decides that the next start does not check it).
fn closed_cleanly(db: &Path) -> Result<(), String> {
    let state = std::fs::read_to_string(warden_disk::occupancy::state_path(db)).map_err(|e| e.to_string())?;
    let len = std::fs::metadata(db).map_err(|e| e.to_string())?.len();
    let wal = Path::new(&format!("{}-wal", db.display())).exists();
    match state.split_whitespace().collect::<Vec<_>>().as_slice() {
        ["clean", size, _] if *size == len.to_string() && !wal => Ok(()),
        _ => Err(format!("state {state:?}, file {len} bytes, WAL left: {wal}")),
    }
}

/// As `warden run` ends: the session stopped, the engine dropped, the runtime shut down (its
/// worker threads joined), then the process exits. Only threads of the engine's own are left
/// at that point; none may still hold a database.
#[test]
fn a_run_that_ends_leaves_every_database_closed_cleanly() {
    for round in 0..5 {
        let data = tempfile::tempdir().unwrap();
        let project = tempfile::tempdir().unwrap();
        std::fs::write(project.path().join("a.txt"), "a").unwrap();
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        runtime.block_on(async {
            let (engine, _) = Engine::open(data.path()).unwrap();
            let (tx, mut rx) = mpsc::unbounded_channel();
            let new = NewSession {
                project: project.path().to_string_lossy().into_owned(),
                run: RunOptions { binary: Some(fake_agent()), ..Default::default() },
                ..Default::default()
            };
            let handle = engine.sessions().start(new, Arc::new(ChannelSink(tx))).await.unwrap();
            handle.prompt("hello").await.unwrap();
            loop {
                let event = tokio::time::timeout(WAIT, rx.recv()).await.expect("the turn ends").expect("events");
                if matches!(event.kind, SessionEventKind::TurnEnded(_)) {
                    break;
                }
            }
            handle.stop().await;
        });
        drop(runtime);
        for db in [data.path().join("sessions.db"), data.path().join("journal").join("journal.db")] {
            if let Err(e) = closed_cleanly(&db) {
                panic!("round {round}: {} is not closed once the run ended: {e}", db.display());
            }
        }
    }
}
