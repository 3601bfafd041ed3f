//! The project watcher: a live view of each project folder that has a live session or is open
//! in the window (with the folders of its worktrees), so a change made while no turn runs there
//! (the person's editor, a process the agent left running) is journaled at once as an op made
//! outside any turn and shown in the sessions' streams and the window, instead of being taken
//! silently by the next turn's first snapshot.
//!
//! One watcher per root path (a project folder or a worktree), shared by the sessions there and
//! the window, and stopped when the last of them lets go: the same change is recorded once and
//! told to each of them. Each runs on a thread of its own, never the session
//! actors': file events arrive on a bounded channel, are debounced, and then the journal's own
//! snapshot decides what changed (its .gitignore rules, `.git/` never walked), recorded only
//! while no turn of the project is open ([`TurnGate`]). When the system's watch limit is reached
//! the watcher stops and says so; the journal still catches those changes at the next turn.

mod project;

use crate::journal::{project_key, Journal};
use crate::session::TurnGate;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::SyncSender;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use warden_core::session::{SessionEventKind, SessionId};

/// Who hears a watched project's news: one per live session there, and the window's.
pub type Listener = Arc<dyn Fn(SessionEventKind) + Send + Sync>;

/// Starts watching a root: gets the root and where its raw events go, and returns what must be
/// kept alive for them to keep coming. Replaced in tests to inject a failure.
pub type WatchFactory = Arc<dyn Fn(&Path, Box<dyn FnMut(notify::Result<notify::Event>) + Send>) -> notify::Result<Box<dyn notify::Watcher + Send>> + Send + Sync>;

/// How long a root must be quiet before its changes are recorded (a save is often several
/// writes and a rename).
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// Who keeps a root watched.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Holder {
    /// A live session there.
    Session(SessionId),
    /// The window, while the project (or the main project of the worktree) is open in it.
    Window,
}

/// The watchers of the roots that have a live session or are open in the window.
pub struct Watchers {
    journal: Arc<Journal>,
    gate: Arc<TurnGate>,
    factory: WatchFactory,
    /// The session store, to see the turns of another Warden process (the gate sees only this
    /// one's); none in tests.
    store: Option<Arc<crate::store::Store>>,
    roots: Mutex<HashMap<String, Running>>,
    /// The threads of roots let go of, until they are seen finished (see `Drop`).
    ending: Mutex<Vec<std::thread::JoinHandle<()>>>,
}

impl std::fmt::Debug for Watchers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watchers").finish_non_exhaustive()
    }
}

/// One watched root.
struct Running {
    listeners: Arc<Mutex<HashMap<Holder, Listener>>>,
    /// Wakes its thread.
    stop: SyncSender<project::Msg>,
    /// Tells its thread to stop.
    stopping: Arc<AtomicBool>,
    /// Its thread, waited for when the watchers are dropped.
    thread: std::thread::JoinHandle<()>,
}

/// How long dropping the watchers waits for their threads (each stops at its next message,
/// or after the snapshot it is taking).
const THREADS_WAIT: Duration = Duration::from_secs(2);

impl Watchers {
    /// Watchers recording into `journal`, holding back while `gate` says a turn is open, with
    /// the system's own file watcher.
    pub fn new(journal: Arc<Journal>, gate: Arc<TurnGate>) -> Self {
        Self::with_factory(journal, gate, Arc::new(project::system_watcher))
    }

    /// The same with another way to start a watch (tests inject a failure with it).
    pub fn with_factory(journal: Arc<Journal>, gate: Arc<TurnGate>, factory: WatchFactory) -> Self {
        Watchers { journal, gate, factory, store: None, roots: Mutex::new(HashMap::new()), ending: Mutex::new(Vec::new()) }
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
        self.hold(root, Holder::Session(session), listener);
    }

    /// Session `session` ended in `root`: the root is no longer watched once no live session is
    /// left there and the window does not hold it.
    pub fn leave(&self, root: &Path, session: &SessionId) {
        self.release(&project_key(root), &Holder::Session(session.clone()));
    }

    /// The window has exactly `roots` open (its projects and their worktrees' folders): each is
    /// watched until a later call leaves it out, live session or not, and `listener(root)`
    /// hears of its outside changes. A root already held keeps its watcher (also one the watch
    /// limit turned off: its notice is not repeated).
    pub fn hold_open(&self, roots: &[PathBuf], listener: impl Fn(&Path) -> Listener) {
        let wanted: HashSet<String> = roots.iter().map(|r| project_key(r)).collect();
        let held: Vec<String> = self
            .roots()
            .iter()
            .filter(|(_, r)| r.listeners.lock().unwrap_or_else(|p| p.into_inner()).contains_key(&Holder::Window))
            .map(|(key, _)| key.clone())
            .collect();
        for key in held.iter().filter(|k| !wanted.contains(*k)) {
            self.release(key, &Holder::Window);
        }
        for root in roots {
            if !held.contains(&project_key(root)) {
                self.hold(root, Holder::Window, listener(root));
            }
        }
    }

    /// The roots the window holds (see [`Watchers::hold_open`]).
    pub fn held_open(&self) -> Vec<PathBuf> {
        let roots = self.roots();
        let mut held: Vec<PathBuf> = roots
            .iter()
            .filter(|(_, r)| r.listeners.lock().unwrap_or_else(|p| p.into_inner()).contains_key(&Holder::Window))
            .map(|(key, _)| PathBuf::from(key))
            .collect();
        held.sort();
        held
    }

    /// `holder` keeps `root` watched and hears of it; the root's thread starts when it has none
    /// (or its last one stopped, for a session: the window's hold does not retry).
    fn hold(&self, root: &Path, holder: Holder, listener: Listener) {
        let key = project_key(root);
        let mut roots = self.roots();
        let carried = match roots.get(&key) {
            Some(running) if holder == Holder::Window || !project::stopped(&running.stop) => {
                running.listeners.lock().unwrap_or_else(|p| p.into_inner()).insert(holder, listener);
                return;
            }
            // Stopped (the watch limit, say): a new session tries again, and who held it still do.
            Some(running) => std::mem::take(&mut *running.listeners.lock().unwrap_or_else(|p| p.into_inner())),
            None => HashMap::new(),
        };
        let mut all = carried;
        all.insert(holder, listener);
        let listeners = Arc::new(Mutex::new(all));
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
            Ok((stop, thread)) => {
                if let Some(old) = roots.insert(key, Running { listeners, stop, stopping, thread }) {
                    self.let_end(old.thread);
                }
            }
            Err(e) => {
                roots.remove(&key);
                self.gate.watch(&key, false);
                tracing::warn!(root = %key, "project watcher not started: {e}");
            }
        }
    }

    /// `holder` lets go of the root `key`; its thread stops when nobody holds it.
    fn release(&self, key: &str, holder: &Holder) {
        let mut roots = self.roots();
        let Some(running) = roots.get(key) else { return };
        let empty = {
            let mut listeners = running.listeners.lock().unwrap_or_else(|p| p.into_inner());
            listeners.remove(holder);
            listeners.is_empty()
        };
        if empty {
            if let Some(running) = roots.remove(key) {
                running.stopping.store(true, Ordering::Relaxed);
                // Full: the thread has events to take, and sees the flag after them.
                let _ = running.stop.try_send(project::Msg::Stop);
                self.let_end(running.thread);
            }
            self.gate.watch(key, false);
        }
    }

    /// Whether `root` is being watched.
    pub fn watching(&self, root: &Path) -> bool {
        self.roots().get(&project_key(root)).is_some_and(|r| !project::stopped(&r.stop))
    }
}

impl Watchers {
    fn ending(&self) -> MutexGuard<'_, Vec<std::thread::JoinHandle<()>>> {
        self.ending.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Keeps the thread of a root let go of until it is seen finished (those already finished
    /// are forgotten, so the window's long life keeps no list of them).
    fn let_end(&self, thread: std::thread::JoinHandle<()>) {
        let mut ending = self.ending();
        ending.retain(|t| !t.is_finished());
        ending.push(thread);
    }
}

impl Drop for Watchers {
    /// Stops every root's thread (nothing is left to tell) and waits for them, bounded: each
    /// holds the journal and the store, and the last holder of a database closes it. Without
    /// the wait that could be a thread the process's exit cuts off in the middle of SQLite's
    /// closing checkpoint, after the exit handler had already marked the database closed
    /// cleanly with its size before that checkpoint: the next start then checked the whole
    /// database (`warden run` ends right after its session, so it met this at every run).
    fn drop(&mut self) {
        let mut threads = std::mem::take(&mut *self.ending());
        for (_, running) in self.roots().drain() {
            running.stopping.store(true, Ordering::Relaxed);
            let _ = running.stop.try_send(project::Msg::Stop);
            threads.push(running.thread);
        }
        let deadline = std::time::Instant::now() + THREADS_WAIT;
        while threads.iter().any(|t| !t.is_finished()) {
            if std::time::Instant::now() >= deadline {
                tracing::warn!("a project watcher is still busy after {} s; not waiting for it", THREADS_WAIT.as_secs());
                return;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        for thread in threads {
            let _ = thread.join();
        }
    }
}
