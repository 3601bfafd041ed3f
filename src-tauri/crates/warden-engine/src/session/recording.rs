//! A session's side of the file journal: its actor records every turn and tool call of its
//! agent, announces what changed as `FileChanges` events, and tells the agent about rollbacks
//! of its work. Nothing here ever fails the session: a journal error becomes a warning notice.
//!
//! Snapshots read the whole project, so they run on the actor's own thread through
//! `block_in_place`: the actor does nothing else meanwhile, which is what keeps the order of
//! snapshots, hook answers and events simple.

use crate::journal::{cap_from, project_key, Journal, JournalError, Recorder, CAP_ENV, DEFAULT_CAP};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use warden_core::journal::FileOp;
use warden_core::session::*;

/// Which projects have a turn being recorded in this process. A rollback runs only while its
/// project has none, and no turn can begin while it runs: otherwise the rollback's changes
/// would be recorded again as the agent's.
#[derive(Debug, Default)]
pub struct TurnGate {
    open: Mutex<HashMap<String, u32>>,
    /// What the project watcher (`crate::watch`) needs to tell its changes from the turns' and
    /// rollbacks': by project, how often one ended, and the last snapshot a turn ended with.
    seen: Mutex<HashMap<String, Seen>>,
}

/// A watched project's turns and rollbacks, as the watcher reads them.
#[derive(Debug, Default)]
struct Seen {
    /// Bumped when a turn ends or a rollback ran: the watcher's last snapshot is stale.
    epoch: u64,
    /// The last snapshot of the turn that ended last, while the watcher has not taken it.
    handed: Option<crate::journal::Snapshot>,
}

impl TurnGate {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, u32>> {
        self.open.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn enter(&self, key: &str) {
        *self.lock().entry(key.to_owned()).or_default() += 1;
    }

    fn leave(&self, key: &str) {
        self.leave_with(key, None);
    }

    /// A turn of project `key` ended with `snapshot` as its last (see [`TurnGate::ended`]).
    fn leave_with(&self, key: &str, snapshot: Option<crate::journal::Snapshot>) {
        let mut open = self.lock();
        self.ended(key, snapshot);
        if let Some(count) = open.get_mut(key) {
            *count -= 1;
            if *count == 0 {
                open.remove(key);
            }
        }
    }

    /// Runs `f` if no turn is being recorded in project `key` (as [`project_key`] names it),
    /// holding every turn back until it returns; `None` when a turn is open.
    pub fn while_idle<T>(&self, key: &str, f: impl FnOnce() -> T) -> Option<T> {
        let open = self.lock();
        if open.contains_key(key) {
            return None;
        }
        let result = f();
        // A rollback changed the disk as recorded: not the watcher's to record again.
        self.ended(key, None);
        drop(open);
        Some(result)
    }

    /// A turn or rollback of project `key` ended; `snapshot` is what its disk looked like then.
    /// Kept only for a watched project.
    fn ended(&self, key: &str, snapshot: Option<crate::journal::Snapshot>) {
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(seen) = seen.get_mut(key) {
            seen.epoch += 1;
            seen.handed = snapshot;
        }
    }

    /// Whether a watcher watches project `key` (so a turn's last snapshot is worth handing over).
    fn watched(&self, key: &str) -> bool {
        self.seen.lock().unwrap_or_else(|p| p.into_inner()).contains_key(key)
    }

    /// Starts (`true`) or stops telling the watcher of project `key` what ended.
    pub(crate) fn watch(&self, key: &str, on: bool) {
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if on {
            seen.entry(key.to_owned()).or_default();
        } else {
            seen.remove(key);
        }
    }

    /// Runs `f` if no turn of project `key` is open, holding turns and rollbacks back until it
    /// returns, with how many turns and rollbacks ended so far and the snapshot the last turn
    /// handed over (taken).
    pub(crate) fn while_idle_seen<T>(&self, key: &str, f: impl FnOnce(u64, Option<crate::journal::Snapshot>) -> T) -> Option<T> {
        let open = self.lock();
        if open.contains_key(key) {
            return None;
        }
        let (epoch, handed) = {
            let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
            seen.get_mut(key).map_or((0, None), |seen| (seen.epoch, seen.handed.take()))
        };
        let result = f(epoch, handed);
        drop(open);
        Some(result)
    }
}

/// What a session actor records.
pub(crate) struct Recording {
    session: SessionId,
    /// `None` when the journal is unavailable or the project could not be read: the session
    /// runs unrecorded.
    recorder: Option<Recorder>,
    gate: Arc<TurnGate>,
    key: String,
    turn: Option<TurnId>,
    /// Tool calls begun and not yet ended.
    running: HashSet<ToolCallId>,
    /// How many ops of the turn were announced already.
    announced: usize,
    /// What the person should know about the recording (why the session is not recorded, a
    /// size cap it could not read), until the actor says so.
    warning: Option<String>,
}

impl Recording {
    /// Records `project` for `session` (nothing without a journal).
    pub(crate) fn new(session: SessionId, project: &Path, journal: Option<Arc<Journal>>, gate: Arc<TurnGate>) -> Self {
        let (cap, cap_warning) = match cap_from(std::env::var(CAP_ENV).ok().as_deref()) {
            Ok(cap) => (cap, None),
            Err(e) => (DEFAULT_CAP, Some(e)),
        };
        let (recorder, warning) = match journal.map(|j| Recorder::with_journal(project, j, cap)) {
            Some(Ok(recorder)) => (Some(recorder), cap_warning),
            Some(Err(e)) => (None, Some(format!("File changes of this session are not recorded: {e}"))),
            None => (None, None),
        };
        let key = project_key(project);
        Recording { session, recorder, gate, key, turn: None, running: HashSet::new(), announced: 0, warning }
    }

    /// What the person should know about this session's recording, once.
    pub(crate) fn take_warning(&mut self) -> Option<String> {
        self.warning.take()
    }

    /// A turn begins: the snapshot its changes are measured from. Call it before the prompt
    /// reaches the agent.
    pub(crate) fn begin_turn(&mut self, turn: TurnId) -> Vec<SessionEventKind> {
        let Some(recorder) = self.recorder.as_mut() else { return Vec::new() };
        if recorder.turn_open() {
            recorder.abandon_turn();
        }
        self.gate.enter(&self.key);
        let session = self.session.clone();
        match blocking(|| recorder.begin_turn(session, turn)) {
            Ok(()) => {
                self.turn = Some(turn);
                self.announced = 0;
                self.running.clear();
                Vec::new()
            }
            Err(e) => {
                self.gate.leave(&self.key);
                vec![failed("this turn's file changes are not recorded", e)]
            }
        }
    }

    /// A tool call is about to run: records what changed since the last snapshot.
    pub(crate) fn begin_tool_call(&mut self, id: &ToolCallId) -> Vec<SessionEventKind> {
        let (Some(recorder), Some(_)) = (self.recorder.as_mut(), self.turn) else { return Vec::new() };
        match blocking(|| recorder.begin_tool_call(id.clone())) {
            Ok(ops) => {
                self.running.insert(id.clone());
                self.announce(ops)
            }
            Err(e) => vec![failed("file changes before a tool call were not recorded", e)],
        }
    }

    /// A tool call finished (or will never run): records what it changed. Nothing happens for
    /// a call that was not begun, or was ended already.
    pub(crate) fn end_tool_call(&mut self, id: &ToolCallId) -> Vec<SessionEventKind> {
        if !self.running.remove(id) {
            return Vec::new();
        }
        let Some(recorder) = self.recorder.as_mut() else { return Vec::new() };
        match blocking(|| recorder.end_tool_call(id)) {
            Ok(ops) => self.announce(ops),
            Err(e) => vec![failed("a tool call's file changes were not recorded", e)],
        }
    }

    /// The turn ended (or the agent is gone): records the rest of its changes.
    pub(crate) fn end_turn(&mut self) -> Vec<SessionEventKind> {
        let (Some(recorder), Some(_)) = (self.recorder.as_mut(), self.turn) else { return Vec::new() };
        let result = blocking(|| recorder.end_turn());
        // The watcher measures what changes after the turn from the turn's last snapshot.
        let last = if result.is_ok() && self.gate.watched(&self.key) { recorder.last_snapshot().cloned() } else { None };
        self.gate.leave_with(&self.key, last);
        self.running.clear();
        let events = match result {
            Ok(mut ops) => self.announce(ops.split_off(self.announced.min(ops.len()))),
            Err(e) => {
                if let Some(recorder) = self.recorder.as_mut() {
                    recorder.abandon_turn();
                }
                vec![failed("the end of this turn's file changes was not recorded", e)]
            }
        };
        self.turn = None;
        events
    }

    /// The note for the agent about rollbacks of its work it has not heard of, which from now
    /// on count as told; and a warning should the journal fail.
    pub(crate) fn take_note(&mut self) -> (Option<String>, Vec<SessionEventKind>) {
        let Some(recorder) = &self.recorder else { return (None, Vec::new()) };
        match blocking(|| recorder.journal().take_rollback_note(&self.session)) {
            Ok(note) => (note, Vec::new()),
            Err(e) => (None, vec![failed("the agent could not be told about rolled back files", e)]),
        }
    }

    /// The event announcing freshly recorded ops (all of one snapshot, so of one tool call or
    /// none).
    fn announce(&mut self, ops: Vec<FileOp>) -> Vec<SessionEventKind> {
        self.announced += ops.len();
        let (Some(recorder), Some(turn), Some(first)) = (&self.recorder, self.turn, ops.first()) else { return Vec::new() };
        let journal = recorder.journal();
        let tool_call_id = first.tool_call_id.clone();
        let ops = blocking(|| ops.iter().map(|op| journal.summarize(op)).collect());
        vec![SessionEventKind::FileChanges(FileChanges { turn, tool_call_id, ops, outside_turn: false })]
    }
}

impl Drop for Recording {
    fn drop(&mut self) {
        if self.turn.take().is_some() {
            self.gate.leave(&self.key);
        }
    }
}

fn failed(what: &str, e: JournalError) -> SessionEventKind {
    tracing::warn!("file journal: {what}: {e}");
    SessionEventKind::Notice(SessionNotice { level: NoticeLevel::Warning, text: format!("File journal: {what} ({e}).") })
}

/// Runs blocking journal work on the current worker thread, letting the runtime move other
/// tasks away; on a single-threaded runtime (some tests) it simply runs.
pub(crate) fn blocking<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => tokio::task::block_in_place(f),
        _ => f(),
    }
}
