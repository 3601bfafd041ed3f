//! The project watcher: a live view of each project folder that has a live session, so a change
//! made while no turn runs there (the person's editor, a process the agent left running) is
//! journaled at once as an op made outside any turn and shown in the sessions' streams, instead
//! of being taken silently by the next turn's first snapshot.
//!
//! One watcher per root path (a project folder, later a worktree), shared by the sessions there
//! and stopped when the last of them ends. Each runs on a thread of its own, never the session
//! actors': file events arrive on a bounded channel, are debounced, and then the journal's own
//! snapshot decides what changed (its .gitignore rules, `.git/` never walked), recorded only
//! while no turn of the project is open ([`TurnGate`]). When the system's watch limit is reached
//! the watcher stops and says so; the journal still catches those changes at the next turn.

mod project;

use crate::journal::{project_key, Journal};
use crate::session::TurnGate;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::SyncSender;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use warden_core::session::{SessionEventKind, SessionId};

/// Who hears a watched project's news: one per live session there.
pub type Listener = Arc<dyn Fn(SessionEventKind) + Send + Sync>;

/// Starts watching a root: gets the root and where its raw events go, and returns what must be
/// kept alive for them to keep coming. Replaced in tests to inject a failure.
pub type WatchFactory = Arc<dyn Fn(&Path, Box<dyn FnMut(notify::Result<notify::Event>) + Send>) -> notify::Result<Box<dyn notify::Watcher + Send>> + Send + Sync>;

/// How long a root must be quiet before its changes are recorded (a save is often several
/// writes and a rename).
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// The watchers of the roots that have a live session.
pub struct Watchers {
    journal: Arc<Journal>,
    gate: Arc<TurnGate>,
    factory: WatchFactory,
    /// The session store, to see the turns of another Warden process (the gate sees only this
    /// one's); none in tests.
    store: Option<Arc<crate::store::Store>>,
    roots: Mutex<HashMap<String, Running>>,
}

impl std::fmt::Debug for Watchers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watchers").finish_non_exhaustive()
    }
}

/// One watched root.
struct Running {
    listeners: Arc<Mutex<HashMap<SessionId, Listener>>>,
    /// Wakes its thread.
    stop: SyncSender<project::Msg>,
    /// Tells its thread to stop.
    stopping: Arc<AtomicBool>,
}

impl Watchers {
    /// Watchers recording into `journal`, holding back while `gate` says a turn is open, with
    /// the system's own file watcher.
    pub fn new(journal: Arc<Journal>, gate: Arc<TurnGate>) -> Self {
        Self::with_factory(journal, gate, Arc::new(project::system_watcher))
    }

    /// The same with another way to start a watch (tests inject a failure with it).
    pub fn with_factory(journal: Arc<Journal>, gate: Arc<TurnGate>, factory: WatchFactory) -> Self {
        Watchers { journal, gate, factory, store: None, roots: Mutex::new(HashMap::new()) }
    }

    /// Also holds back while the store says a session of the project runs a turn in another
    /// Warden process: its changes are that turn's, not outside ones.
    pub fn with_store(mut self, store: Arc<crate::store::Store>) -> Self {
        self.store = Some(store);
        self
    }

    fn roots(&self) -> MutexGuard<'_, HashMap<String, Running>> {
        self.roots.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Session `session` is live in `root`: it hears of that root's outside changes from now on,
    /// and the root is watched if it was not.
    pub fn join(&self, root: &Path, session: SessionId, listener: Listener) {
        let key = project_key(root);
        let mut roots = self.roots();
        if let Some(running) = roots.get(&key).filter(|r| !project::stopped(&r.stop)) {
            running.listeners.lock().unwrap_or_else(|p| p.into_inner()).insert(session, listener);
            return;
        }
        let listeners = Arc::new(Mutex::new(HashMap::from([(session, listener)])));
        self.gate.watch(&key, true);
        let stopping = Arc::new(AtomicBool::new(false));
        let started = project::start(project::Parts {
            root: PathBuf::from(&key),
            key: key.clone(),
            stored_as: root.to_string_lossy().into_owned(),
            store: self.store.clone(),
            journal: self.journal.clone(),
            gate: self.gate.clone(),
            factory: self.factory.clone(),
            listeners: listeners.clone(),
            stop: stopping.clone(),
        });
        match started {
            Ok(stop) => {
                roots.insert(key, Running { listeners, stop, stopping });
            }
            Err(e) => {
                self.gate.watch(&key, false);
                tracing::warn!(root = %key, "project watcher not started: {e}");
            }
        }
    }

    /// Session `session` ended in `root`: the root is no longer watched once no live session is
    /// left there.
    pub fn leave(&self, root: &Path, session: &SessionId) {
        let key = project_key(root);
        let mut roots = self.roots();
        let Some(running) = roots.get(&key) else { return };
        let empty = {
            let mut listeners = running.listeners.lock().unwrap_or_else(|p| p.into_inner());
            listeners.remove(session);
            listeners.is_empty()
        };
        if empty {
            if let Some(running) = roots.remove(&key) {
                running.stopping.store(true, Ordering::Relaxed);
                // Full: the thread has events to take, and sees the flag after them.
                let _ = running.stop.try_send(project::Msg::Stop);
            }
            self.gate.watch(&key, false);
        }
    }

    /// Whether `root` is being watched.
    pub fn watching(&self, root: &Path) -> bool {
        self.roots().get(&project_key(root)).is_some_and(|r| !project::stopped(&r.stop))
    }
}

impl Drop for Watchers {
    /// Stops every root's thread: nothing is left to tell.
    fn drop(&mut self) {
        for (_, running) in self.roots().drain() {
            running.stopping.store(true, Ordering::Relaxed);
            let _ = running.stop.try_send(project::Msg::Stop);
        }
    }
}
