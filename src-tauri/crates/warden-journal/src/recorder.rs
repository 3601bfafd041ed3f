//! Recording what an agent does to a project's files, turn by turn and tool call by tool call.
//!
//! A snapshot is taken when a turn begins, when a tool call begins and ends, and when the turn
//! ends; the differences between consecutive snapshots become ops. Changes between a tool
//! call's begin and end are tied to it when it was the only one running; everything else in the
//! turn (changes between tool calls, or while several ran at once) is tied to the turn only.
//! What changes between turns (the person's editor, a process the agent left running) is
//! recorded by [`Recorder::record_outside`] when a project watcher asks, as ops made outside any
//! turn ([`is_outside_turn`]); unwatched, a rollback over it finds a conflict.

use super::diff::{diff, Change};
use super::rollback::RollbackError;
use super::rules::IgnoreFiles;
use super::snapshot::{Snapshot, SnapshotOptions};
use super::{project_key, Journal, JournalError};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use warden_core::journal::{FileOp, OpId, RollbackId, RollbackReport};
use warden_core::session::{SessionId, ToolCallId, TurnId};

/// The turn being recorded.
#[derive(Debug)]
struct OpenTurn {
    session: SessionId,
    turn: TurnId,
    /// Tool calls begun and not yet ended.
    running: Vec<ToolCallId>,
    /// Tool calls that ran at some point since the last snapshot.
    since_snapshot: Vec<ToolCallId>,
    /// Everything recorded in the turn so far.
    ops: Vec<FileOp>,
    /// The ignore files as the turn's first snapshot saw them: every snapshot of the turn judges
    /// ignored-ness by these, so an agent cannot create a file in the same turn as the ignore
    /// rule that would hide it.
    rules: IgnoreFiles,
}

/// Records one project's file changes into a [`Journal`].
#[derive(Debug)]
pub struct Recorder {
    root: PathBuf,
    key: String,
    journal: Arc<Journal>,
    options: SnapshotOptions,
    notice: Option<String>,
    /// The latest snapshot: where the next diff starts, and whose hashes the next one reuses.
    last: Option<Snapshot>,
    turn: Option<OpenTurn>,
}

impl Recorder {
    /// Records `project` into the journal of `data_dir` (opening it), copying no file over
    /// `cap` bytes.
    pub fn new(project: &Path, data_dir: &Path, cap: u64) -> Result<Recorder, JournalError> {
        let opened = Journal::open(data_dir)?;
        let mut recorder = Self::with_journal(project, Arc::new(opened.journal), cap)?;
        recorder.notice = opened.notice;
        Ok(recorder)
    }

    /// Records `project` into an open journal, copying no file over `cap` bytes.
    pub fn with_journal(project: &Path, journal: Arc<Journal>, cap: u64) -> Result<Recorder, JournalError> {
        let root = project.canonicalize().map_err(|source| JournalError::Io { path: project.to_owned(), source })?;
        let journal_dir = journal.dir().canonicalize().unwrap_or_else(|_| journal.dir().to_owned());
        // Should the data folder be inside the project, the journal never records itself.
        let exclude = if journal_dir.starts_with(&root) { vec![journal_dir] } else { Vec::new() };
        Ok(Recorder {
            key: project_key(&root),
            root,
            journal,
            options: SnapshotOptions { cap, exclude },
            notice: None,
            last: None,
            turn: None,
        })
    }

    /// The journal recorded into.
    pub fn journal(&self) -> &Arc<Journal> {
        &self.journal
    }

    /// The project folder (canonical).
    pub fn project(&self) -> &Path {
        &self.root
    }

    /// What opening the journal found worth telling (a damaged database set aside).
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// The latest snapshot taken.
    pub fn last_snapshot(&self) -> Option<&Snapshot> {
        self.last.as_ref()
    }

    /// Starts recording a turn: snapshots the project, the state its changes are measured from.
    pub fn begin_turn(&mut self, session: SessionId, turn: TurnId) -> Result<(), JournalError> {
        if let Some(open) = &self.turn {
            return Err(JournalError::TurnOpen { session: open.session.clone(), turn: open.turn });
        }
        // The disk's ignore files decide this snapshot (nothing of the turn has run yet), and the
        // rest of the turn is judged by them.
        let begun = self.snapshot(None)?;
        let rules = IgnoreFiles::of(&begun, self.journal.blobs(), &self.root);
        self.last = Some(begun);
        self.turn = Some(OpenTurn { session, turn, running: Vec::new(), since_snapshot: Vec::new(), ops: Vec::new(), rules });
        Ok(())
    }

    /// A tool call is about to run (the agent's PreToolUse): records what changed since the last
    /// snapshot, and returns those ops.
    pub fn begin_tool_call(&mut self, id: ToolCallId) -> Result<Vec<FileOp>, JournalError> {
        let ops = self.record()?;
        let open = self.turn.as_mut().ok_or(JournalError::NoTurn)?;
        open.running.push(id);
        open.since_snapshot = open.running.clone();
        Ok(ops)
    }

    /// A tool call finished (PostToolUse): records what changed since the last snapshot, tied
    /// to the call when it was the only one running, and returns those ops.
    pub fn end_tool_call(&mut self, id: &ToolCallId) -> Result<Vec<FileOp>, JournalError> {
        let ops = self.record()?;
        let open = self.turn.as_mut().ok_or(JournalError::NoTurn)?;
        open.running.retain(|running| running != id);
        open.since_snapshot = open.running.clone();
        Ok(ops)
    }

    /// Ends the turn: records what changed since the last snapshot and returns every op of the
    /// turn, oldest first.
    pub fn end_turn(&mut self) -> Result<Vec<FileOp>, JournalError> {
        self.record()?;
        let open = self.turn.take().ok_or(JournalError::NoTurn)?;
        Ok(open.ops)
    }

    /// Makes `snapshot` (another recorder's of the same project, e.g. a turn's last) the state
    /// the next [`Recorder::record_outside`] measures from.
    pub fn set_baseline(&mut self, snapshot: Snapshot) {
        self.last = Some(snapshot);
    }

    /// Snapshots the project as the state the next [`Recorder::record_outside`] measures from,
    /// recording nothing (what changed before is taken as it is).
    pub fn rebase(&mut self) -> Result<(), JournalError> {
        if self.turn.is_some() {
            return Err(JournalError::TurnOpen { session: SessionId(String::new()), turn: TurnId(0) });
        }
        self.last = Some(self.snapshot(None)?);
        Ok(())
    }

    /// Records what changed since the last snapshot while no turn is open, as ops made outside
    /// any turn ([`is_outside_turn`]), and returns them. Changes to ignored paths move the mark
    /// but are not recorded: nothing of the turn's is there to hide. Without a last snapshot it
    /// takes one and records nothing.
    pub fn record_outside(&mut self) -> Result<Vec<FileOp>, JournalError> {
        if self.turn.is_some() {
            return Err(JournalError::TurnOpen { session: SessionId(String::new()), turn: TurnId(0) });
        }
        let now = self.snapshot(None)?;
        let Some(last) = &self.last else {
            self.last = Some(now);
            return Ok(Vec::new());
        };
        let at_ms = warden_disk::now_ms();
        let ops: Vec<FileOp> = diff(last, &now).into_iter().filter(|c| !c.ignored).map(|c| outside_op(c, at_ms)).collect();
        let ops = if ops.is_empty() { ops } else { self.journal.db.append(&self.key, ops)? };
        self.last = Some(now);
        Ok(ops)
    }

    /// Stops recording the open turn without a last snapshot, after a failure that left it open,
    /// so the next turn can begin. What was recorded so far stays in the journal.
    pub fn abandon_turn(&mut self) {
        self.turn = None;
    }

    /// Whether a turn is being recorded.
    pub fn turn_open(&self) -> bool {
        self.turn.is_some()
    }

    /// Rolls back ops of this project (see [`Journal::rollback`]); refused while a turn is being
    /// recorded.
    pub fn rollback(&mut self, ops: &[OpId], force: bool) -> Result<RollbackReport, RollbackError> {
        if self.turn.is_some() {
            return Err(RollbackError::TurnOpen);
        }
        self.journal.rollback(ops, force)
    }

    /// Undoes a rollback (see [`Journal::redo`]); refused while a turn is being recorded.
    pub fn redo(&mut self, id: RollbackId, force: bool) -> Result<RollbackReport, RollbackError> {
        if self.turn.is_some() {
            return Err(RollbackError::TurnOpen);
        }
        self.journal.redo(id, force)
    }

    /// The log of this project (see [`Journal::log`]).
    pub fn log(&self, session: Option<&SessionId>) -> Result<Vec<FileOp>, JournalError> {
        self.journal.log(&self.root, session)
    }

    /// Snapshots the project, keeping every path the journal ever kept in it, and adds what this
    /// snapshot kept to those paths. With `rules`, ignored-ness is judged by those ignore files
    /// instead of the disk's.
    fn snapshot(&self, rules: Option<&IgnoreFiles>) -> Result<Snapshot, JournalError> {
        let kept = self.journal.kept_paths(&self.key)?;
        let mut snapshot = {
            let paths = kept.read();
            Snapshot::take_keeping(&self.root, self.journal.blobs(), &self.options, self.last.as_ref(), &paths, rules)?
        };
        self.journal.keep(&self.key, &kept, &mut snapshot)?;
        Ok(snapshot)
    }

    /// Snapshots, records the difference from the last snapshot in the open turn, and moves the
    /// mark forward.
    fn record(&mut self) -> Result<Vec<FileOp>, JournalError> {
        let Some(open) = &self.turn else { return Err(JournalError::NoTurn) };
        let Some(last) = &self.last else { return Err(JournalError::NoTurn) };
        let now = self.snapshot(Some(&open.rules))?;
        let changes = diff(last, &now);
        let tool = match open.since_snapshot.as_slice() {
            [only] => Some(only.clone()),
            _ => None,
        };
        let at_ms = warden_disk::now_ms();
        let ops: Vec<FileOp> = changes.into_iter().map(|c| to_op(c, open, tool.clone(), at_ms)).collect();
        let ops = if ops.is_empty() { ops } else { self.journal.db.append(&self.key, ops)? };
        self.last = Some(now);
        if let Some(open) = self.turn.as_mut() {
            open.ops.extend(ops.iter().cloned());
        }
        Ok(ops)
    }
}

/// Whether `op` was made outside any turn (recorded by [`Recorder::record_outside`]): it
/// belongs to no session (its session id is empty) and its turn is 0, which no turn is.
pub fn is_outside_turn(op: &FileOp) -> bool {
    op.session_id.0.is_empty()
}

fn outside_op(change: Change, at_ms: u64) -> FileOp {
    FileOp {
        id: OpId(0),
        session_id: SessionId(String::new()),
        turn: TurnId(0),
        tool_call_id: None,
        path: change.path,
        kind: change.kind,
        before: change.before,
        after: change.after,
        at_ms,
        ignored: change.ignored,
        rollback_id: None,
        undone_by: None,
    }
}

fn to_op(change: Change, open: &OpenTurn, tool_call_id: Option<ToolCallId>, at_ms: u64) -> FileOp {
    FileOp {
        id: OpId(0),
        session_id: open.session.clone(),
        turn: open.turn,
        tool_call_id,
        path: change.path,
        kind: change.kind,
        before: change.before,
        after: change.after,
        at_ms,
        ignored: change.ignored,
        rollback_id: None,
        undone_by: None,
    }
}
