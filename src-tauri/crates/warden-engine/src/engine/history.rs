//! The engine's Claude history part: the Claude Code sessions of a project that Warden does not
//! hold, read as events, and imported into the store so they can be resumed. Its failures are
//! [`HistoryError`]s.

use super::history_texts::{self, HeldTexts};
use crate::claude::history::{self, ClaudeHistory};
use crate::store::{count_matches, Store, StoreError};
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use warden_core::search::OutputMatches;
use warden_core::session::*;

/// Why Claude Code's history could not be listed, read or imported.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// The project folder is not usable.
    #[error(transparent)]
    Project(#[from] warden_core::ProjectError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A Claude session id that is not a plain id (it could name a file outside Claude's
    /// transcript folder).
    #[error("'{0}' is not a Claude session id (expected letters, digits, '-' and '_' only)")]
    InvalidAgentSessionId(String),
    /// Claude Code has no transcript of this session for the project.
    #[error("Claude Code has no session {id} for {project}")]
    NoClaudeTranscript {
        /// The Claude session id.
        id: String,
        /// The project folder.
        project: String,
    },
    /// The imported session is not in the store after all.
    #[error("there is no session {0}")]
    UnknownSession(SessionId),
    /// The transcript changed since the window read it (Claude wrote to it): what the window
    /// holds no longer matches it.
    #[error("Claude Code's transcript of session {0} changed since it was opened: close it and open it again")]
    TranscriptChanged(String),
}

/// Claude Code's transcripts, read and imported.
pub struct History {
    store: Arc<Store>,
    /// Claude's configuration folder when set explicitly; else it comes from the environment.
    claude_config: Mutex<Option<PathBuf>>,
    /// The chat texts the last histories shown were sent without.
    held: HeldTexts,
}

impl History {
    pub(super) fn new(store: Arc<Store>) -> Self {
        Self { store, claude_config: Mutex::new(None), held: HeldTexts::default() }
    }

    /// Reads Claude Code's transcripts from `dir` (a `~/.claude`-like folder) instead of the
    /// folder the environment names (`$CLAUDE_CONFIG_DIR`, else `~/.claude`); `None` goes back to
    /// the environment. For tests and for agents run with their own configuration folder.
    pub fn set_claude_config_dir(&self, dir: Option<PathBuf>) {
        *self.claude_config.lock().unwrap_or_else(|p| p.into_inner()) = dir;
    }

    /// Claude Code's transcripts, where this engine reads them.
    pub fn claude_history(&self) -> Option<ClaudeHistory> {
        let configured = self.claude_config.lock().unwrap_or_else(|p| p.into_inner()).clone();
        configured.map(ClaudeHistory::at).or_else(ClaudeHistory::from_env)
    }

    /// Claude Code sessions of a project that Warden does not hold (neither started nor
    /// imported), newest first.
    pub fn list(&self, project: &str) -> Result<Vec<ClaudeHistoryEntry>, HistoryError> {
        let project = crate::resolve_project_dir(project)?;
        let Some(history) = self.claude_history() else { return Ok(Vec::new()) };
        let mut entries = Vec::new();
        for entry in history.list(&project) {
            if self.store.session(&SessionId(entry.agent_session_id.clone()))?.is_none() {
                entries.push(entry);
            }
        }
        Ok(entries)
    }

    /// A Claude Code session of a project read as events (numbered from 1, with the Claude id
    /// as the session id), without storing anything.
    pub fn events(&self, project: &str, agent_session_id: &str) -> Result<Vec<SessionEvent>, HistoryError> {
        let (_, path) = self.transcript(project, agent_session_id)?;
        Ok(history::read_events(&SessionId(agent_session_id.to_owned()), &path))
    }

    /// [`History::events`] for showing: tool outputs longer than `output_limit` bytes are left
    /// out (their size is in [`ToolOutput::elided_bytes`]; [`History::output`] reads one back),
    /// and so are the long chat texts far from the end (see `claude::history::hold_back`;
    /// [`History::texts`] reads them back in pages).
    pub fn events_to_show(&self, project: &str, agent_session_id: &str, output_limit: usize) -> Result<ClaudeHistoryView, HistoryError> {
        let (_, path) = self.transcript(project, agent_session_id)?;
        // Taken before reading: a transcript written to meanwhile then reads as changed.
        let snapshot = history_texts::snapshot(&path);
        let mut events = history::read_events_to_show(&SessionId(agent_session_id.to_owned()), &path, output_limit);
        let (elided_texts, texts) = history::hold_back(&mut events);
        self.held.keep(&path, &snapshot, texts);
        release_freed_memory();
        Ok(ClaudeHistoryView { events, snapshot, elided_texts })
    }

    /// The chat texts [`History::events_to_show`] left out of the events `from_seq..=to_seq`,
    /// in `seq` order, read from the state of the transcript named by `snapshot`; a transcript
    /// that changed since is [`HistoryError::TranscriptChanged`].
    pub fn texts(&self, project: &str, agent_session_id: &str, snapshot: &str, from_seq: u64, to_seq: u64) -> Result<Vec<HistoryText>, HistoryError> {
        let (_, path) = self.transcript(project, agent_session_id)?;
        let held = match self.held.get(&path, snapshot) {
            Some(held) => held,
            // Shown before the last few: read again, if it is still as it was.
            None => {
                if history_texts::snapshot(&path) != snapshot {
                    return Err(HistoryError::TranscriptChanged(agent_session_id.to_owned()));
                }
                let mut events = history::read_events(&SessionId(agent_session_id.to_owned()), &path);
                let (_, texts) = history::hold_back(&mut events);
                drop(events);
                release_freed_memory();
                // Written to while it was read: what was read may be of neither state.
                if history_texts::snapshot(&path) != snapshot {
                    return Err(HistoryError::TranscriptChanged(agent_session_id.to_owned()));
                }
                self.held.keep(&path, snapshot, texts)
            }
        };
        Ok(history::held_text_page(&held.texts, from_seq, to_seq).to_vec())
    }

    /// The whole output of tool call `tool_call_id` of a Claude Code session, as
    /// [`History::events`] has it; `None` when the transcript has no result for that call.
    pub fn output(&self, project: &str, agent_session_id: &str, tool_call_id: &str) -> Result<Option<ToolOutput>, HistoryError> {
        let (_, path) = self.transcript(project, agent_session_id)?;
        Ok(history::read_output(&path, tool_call_id))
    }

    /// How often `needle` occurs (case ignored) in the outputs of the tool call updates `seqs`
    /// of a Claude Code session shown read-only, and in the texts of its agent message and
    /// thinking chunks among `seqs`: what [`History::events_to_show`] left out, counted for the window's Ctrl+F as [`Store::output_matches`] counts a stored
    /// session's. The transcript is read once for all of them, not once per output.
    pub fn output_matches(&self, project: &str, agent_session_id: &str, seqs: &[u64], needle: &str) -> Result<Vec<OutputMatches>, HistoryError> {
        let needle = needle.to_lowercase();
        let (_, path) = self.transcript(project, agent_session_id)?;
        if needle.is_empty() || seqs.is_empty() {
            return Ok(Vec::new());
        }
        let wanted: HashSet<u64> = seqs.iter().copied().collect();
        let events = history::read_events(&SessionId(agent_session_id.to_owned()), &path);
        let found = events
            .iter()
            .filter(|e| wanted.contains(&e.seq))
            .filter_map(|e| match &e.kind {
                SessionEventKind::ToolCallUpdate(update) => update.output.as_ref().map(|o| (e.seq, count_matches(&o.text, &needle))),
                // The chat texts left out too (see `History::texts`).
                SessionEventKind::AgentMessageChunk(c) | SessionEventKind::AgentThoughtChunk(c) => Some((e.seq, count_matches(&c.text, &needle))),
                _ => None,
            })
            .filter(|&(_, count)| count > 0)
            .map(|(seq, count)| OutputMatches { seq, count })
            .collect();
        drop(events);
        release_freed_memory();
        Ok(found)
    }

    /// Makes a Claude Code session of a project a stored Warden session, stopped, with its
    /// conversation as events. Its id and its agent session id are Claude's id, so resuming it
    /// runs `claude --resume=<id>` and the stream continues after the imported events. A session
    /// the store already holds (imported before, or started by Warden) is returned as stored.
    pub fn import(&self, project: &str, agent_session_id: &str) -> Result<SessionRecord, HistoryError> {
        let id = SessionId(agent_session_id.to_owned());
        if !history::is_session_id(agent_session_id) {
            return Err(HistoryError::InvalidAgentSessionId(agent_session_id.to_owned()));
        }
        if let Some(stored) = self.store.session(&id)? {
            return Ok(stored);
        }
        let (project, path) = self.transcript(project, agent_session_id)?;
        let entry = history::summarize(agent_session_id, &path);
        let events = history::read_events(&id, &path);
        let mut record = SessionRecord::new(
            id.clone(),
            project.to_string_lossy().into_owned(),
            AgentKind::Claude,
            None,
            PermissionMode::Default,
            entry.created_ms,
        );
        record.agent_session_id = Some(agent_session_id.to_owned());
        record.status = SessionStatus::Stopped;
        // The name given in Claude wins; otherwise the store titles it from the first prompt.
        if entry.title != entry.first_prompt.clone().unwrap_or_default() {
            record.title = entry.title;
        }
        if let Err(e) = self.store.import_session(&record, &events) {
            // Imported at the same moment by another window or process: that copy stands.
            return self.store.session(&id)?.ok_or(HistoryError::Store(e));
        }
        self.store.session(&id)?.ok_or(HistoryError::UnknownSession(id))
    }

    /// The canonical project folder and the transcript of `agent_session_id` in it.
    fn transcript(&self, project: &str, agent_session_id: &str) -> Result<(PathBuf, PathBuf), HistoryError> {
        if !history::is_session_id(agent_session_id) {
            return Err(HistoryError::InvalidAgentSessionId(agent_session_id.to_owned()));
        }
        let project = crate::resolve_project_dir(project)?;
        let path = self.claude_history().and_then(|h| h.transcript(&project, agent_session_id));
        match path {
            Some(path) => Ok((project, path)),
            None => Err(HistoryError::NoClaudeTranscript {
                id: agent_session_id.to_owned(),
                project: project.display().to_string(),
            }),
        }
    }
}

/// Hands memory freed after reading a transcript back to the system. Reading a long one (tens of
/// megabytes) peaks at several times its size in small allocations, which glibc's allocator keeps
/// for the process after they are freed: the window's process stayed ~125 MB larger after
/// opening a 75 MB transcript (`make bench-ui`).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn release_freed_memory() {
    // SAFETY: malloc_trim only returns free pages of the allocator's own heaps to the system; it
    // takes no pointer and is safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn release_freed_memory() {}
