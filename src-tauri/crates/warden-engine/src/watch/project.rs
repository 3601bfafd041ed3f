//! One watched root: its thread, which debounces the root's file events and records what
//! changed outside any turn, and the system watcher behind it.

use super::{Holder, Listener, WatchFactory, DEBOUNCE};
use crate::journal::{cap_from, Journal, JournalError, Recorder, CAP_ENV};
use crate::session::TurnGate;
use notify::event::EventKind;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use warden_core::session::{FileChanges, NoticeLevel, SessionEventKind, SessionNotice, SessionStatus, TurnId};

/// Raw events waiting for the thread; past this the newest are dropped, which loses nothing:
/// any waiting event makes the thread compare the whole tree with its last snapshot.
const QUEUE: usize = 256;

/// A burst of events longer than this is recorded anyway, so a process writing all the time
/// still shows its changes.
const MAX_WAIT: Duration = Duration::from_millis(800);

/// How often a root with changes waiting tries again while a turn of its project is open.
const RETRY: Duration = Duration::from_millis(200);

/// What the thread is told.
pub(super) enum Msg {
    /// A file event, or the watcher's failure.
    Fs(notify::Result<notify::Event>),
    /// The root's last holder let go.
    Stop,
}

/// What a root's thread needs.
pub(super) struct Parts {
    pub root: PathBuf,
    pub key: String,
    /// The folder as sessions of it are stored.
    pub stored_as: String,
    pub store: Option<Arc<crate::store::Store>>,
    pub journal: Arc<Journal>,
    pub gate: Arc<TurnGate>,
    pub factory: WatchFactory,
    pub listeners: Arc<Mutex<HashMap<Holder, Listener>>>,
    /// Set when the root's last holder let go (a full queue may hold [`Msg::Stop`] back).
    pub stop: Arc<AtomicBool>,
}

/// The system's watcher of `root` and everything beneath it.
pub(super) fn system_watcher(
    root: &Path,
    handler: Box<dyn FnMut(notify::Result<notify::Event>) + Send>,
) -> notify::Result<Box<dyn notify::Watcher + Send>> {
    use notify::Watcher;
    let mut watcher = notify::recommended_watcher(handler)?;
    watcher.watch(root, notify::RecursiveMode::Recursive)?;
    Ok(Box::new(watcher))
}

/// Whether the thread behind `stop` has ended (its channel is gone).
pub(super) fn stopped(stop: &SyncSender<Msg>) -> bool {
    // An event with no path and no rescan flag is ignored by the thread, so this probe changes
    // nothing.
    matches!(stop.try_send(Msg::Fs(Ok(notify::Event::new(EventKind::Other)))), Err(TrySendError::Disconnected(_)))
}

/// Starts the root's thread; returns what stops it, and the thread.
pub(super) fn start(parts: Parts) -> std::io::Result<(SyncSender<Msg>, std::thread::JoinHandle<()>)> {
    let (tx, rx) = sync_channel(QUEUE);
    let events = tx.clone();
    let thread = std::thread::Builder::new().name("warden-watch".into()).spawn(move || run(parts, events, rx))?;
    Ok((tx, thread))
}

fn run(parts: Parts, events: SyncSender<Msg>, rx: Receiver<Msg>) {
    let handler = Box::new(move |event| {
        // Full: the thread has events waiting already, which is all this one would say.
        let _ = events.try_send(Msg::Fs(event));
    });
    let mut root = match Root::new(&parts) {
        Ok(root) => root,
        Err(e) => return tracing::warn!(root = %parts.key, "project watcher: the journal cannot record this folder: {e}"),
    };
    // The first snapshot before any event, so what changes from now on is measured from it.
    root.settle();
    // Let go of before it watched anything (`warden run` ending a short turn): registering a
    // watch on every folder would only be undone, and the process's exit waits for this thread.
    if parts.stop.load(Ordering::Relaxed) {
        return;
    }
    let _watcher = match (parts.factory)(&parts.root, handler) {
        Ok(watcher) => watcher,
        Err(e) => return root.off(&e),
    };
    let mut waiting = false;
    loop {
        if parts.stop.load(Ordering::Relaxed) {
            return;
        }
        let message = if waiting { rx.recv_timeout(RETRY) } else { rx.recv().map_err(|_| RecvTimeoutError::Disconnected) };
        match message {
            Ok(Msg::Stop) | Err(RecvTimeoutError::Disconnected) => return,
            Ok(Msg::Fs(Err(e))) if matches!(e.kind, notify::ErrorKind::MaxFilesWatch) => return root.off(&e),
            Ok(Msg::Fs(Err(e))) => tracing::debug!(root = %parts.key, "project watcher: {e}"),
            Ok(Msg::Fs(Ok(event))) if root.counts(&event) => {
                if !quiet(&rx, &root) {
                    return;
                }
                waiting = true;
            }
            Ok(Msg::Fs(Ok(_))) | Err(RecvTimeoutError::Timeout) => {}
        }
        if waiting {
            waiting = !root.record();
        }
    }
}

/// Waits until no event that counts came for [`DEBOUNCE`] (or [`MAX_WAIT`] passed); `false`
/// when told to stop meanwhile.
fn quiet(rx: &Receiver<Msg>, root: &Root<'_>) -> bool {
    let mut until = Instant::now() + DEBOUNCE;
    let deadline = Instant::now() + MAX_WAIT;
    loop {
        let left = until.min(deadline).saturating_duration_since(Instant::now());
        if left.is_zero() {
            return true;
        }
        match rx.recv_timeout(left) {
            Ok(Msg::Stop) | Err(RecvTimeoutError::Disconnected) => return false,
            Ok(Msg::Fs(Ok(event))) if root.counts(&event) => until = Instant::now() + DEBOUNCE,
            Ok(Msg::Fs(_)) => {}
            Err(RecvTimeoutError::Timeout) => return true,
        }
    }
}

/// A root as its thread records it.
struct Root<'a> {
    parts: &'a Parts,
    recorder: Recorder,
    /// How many turns and rollbacks of the project had ended at the last snapshot; `None`
    /// before the first.
    epoch: Option<u64>,
}

impl<'a> Root<'a> {
    fn new(parts: &'a Parts) -> Result<Self, JournalError> {
        let cap = cap_from(std::env::var(CAP_ENV).ok().as_deref()).unwrap_or(crate::journal::DEFAULT_CAP);
        let recorder = Recorder::with_journal(&parts.root, parts.journal.clone(), cap)?;
        Ok(Root { parts, recorder, epoch: None })
    }

    /// Whether `event` may be a change the journal records: `.git/` is never walked, and
    /// reading a file (the watcher's own snapshots do) changes nothing.
    fn counts(&self, event: &notify::Event) -> bool {
        if matches!(event.kind, EventKind::Access(_)) {
            return false;
        }
        if event.paths.is_empty() {
            // The system dropped events (a full queue): only a new snapshot can tell.
            return event.need_rescan();
        }
        let git = self.parts.root.join(".git");
        let exclude = git.join("info").join("exclude");
        event.paths.iter().any(|p| !p.starts_with(&git) || p == &exclude)
    }

    /// Takes the first snapshot, when no turn is open (otherwise the turn's last one is taken
    /// when it ends).
    fn settle(&mut self) {
        let _ = self.record();
    }

    /// Records what changed outside any turn and tells the sessions; `false` when a turn is open
    /// (its changes are its own, and what comes after is measured from its last snapshot).
    fn record(&mut self) -> bool {
        if self.turn_elsewhere() {
            // Measured afresh once it ends: what it changed is its own.
            self.epoch = None;
            return false;
        }
        let (gate, key) = (self.parts.gate.clone(), self.parts.key.clone());
        let recorded = gate.while_idle_seen(&key, |epoch, handed| {
            if self.epoch != Some(epoch) {
                self.epoch = Some(epoch);
                match handed {
                    Some(snapshot) => self.recorder.set_baseline(snapshot),
                    // A rollback ran (its changes are recorded as its own), or this is the first
                    // snapshot: nothing to measure from.
                    None => return self.recorder.rebase().map(|()| Vec::new()),
                }
            }
            self.recorder.record_outside()
        });
        match recorded {
            None => false,
            Some(Ok(ops)) if ops.is_empty() => true,
            Some(Ok(ops)) => {
                tracing::debug!(root = %key, ops = ops.len(), "file changes outside any turn");
                let journal = &self.parts.journal;
                let ops = ops.iter().map(|op| journal.summarize(op)).collect();
                self.tell(SessionEventKind::FileChanges(FileChanges { turn: TurnId(0), tool_call_id: None, ops, outside_turn: true }));
                true
            }
            Some(Err(e)) => {
                tracing::warn!(root = %key, "project watcher: changes outside a turn were not recorded: {e}");
                true
            }
        }
    }

    /// Whether the store says a session of this folder that is not live here runs a turn (in
    /// another Warden process, which records it itself).
    fn turn_elsewhere(&self) -> bool {
        let Some(store) = &self.parts.store else { return false };
        let sessions = match store.sessions(Some(&self.parts.stored_as)) {
            Ok(sessions) => sessions,
            Err(e) => {
                tracing::debug!(root = %self.parts.key, "project watcher: sessions unreadable: {e}");
                return false;
            }
        };
        let here = self.parts.listeners.lock().unwrap_or_else(|p| p.into_inner());
        sessions.iter().any(|s| s.status == SessionStatus::Running && !here.contains_key(&Holder::Session(s.id.clone())))
    }

    /// Live updates stop for this root; the journal's next turn still takes what changed.
    fn off(&self, e: &notify::Error) {
        let why = match e.kind {
            notify::ErrorKind::MaxFilesWatch => "the system's limit of watched folders was reached".to_owned(),
            _ => e.to_string(),
        };
        let text = format!(
            "Live updates are off for {}: {why}. Changes made outside a turn are not recorded as they happen; \
             the next turn starts from them as before, and a rollback over them reports a conflict.",
            self.parts.key
        );
        tracing::warn!(root = %self.parts.key, "project watcher off: {why}");
        self.tell(SessionEventKind::Notice(SessionNotice { level: NoticeLevel::Warning, text }));
    }

    fn tell(&self, kind: SessionEventKind) {
        let listeners: Vec<Listener> = self.parts.listeners.lock().unwrap_or_else(|p| p.into_inner()).values().cloned().collect();
        for listener in listeners {
            listener(kind.clone());
        }
    }
}
