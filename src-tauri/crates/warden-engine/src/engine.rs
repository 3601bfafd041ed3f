//! The engine, split into parts a command can hold: [`Sessions`] (start, resume, the live
//! sessions of this process), [`Permissions`] (project rules and the permission log),
//! [`History`] (Claude Code's transcripts, read and imported) and [`Files`] (the file journal:
//! log, diffs, rollbacks). Each part has its own error type, with only the failures of its
//! concern. [`Engine`] opens them over one data folder and hands them out; the session store
//! and the custom agents are shared by the parts and reached from it too.

mod custom_agents;
mod files;
mod files_hunks;
mod files_requests;
mod history;
mod history_texts;
mod permissions;
mod reviews;
mod sessions;
mod worktree_sessions;
#[cfg(test)]
mod tests;

pub use files::{Files, FilesError};
pub use history::{History, HistoryError};
pub use permissions::{Permissions, PermissionsError};
pub use reviews::StartedReview;
pub use crate::review::ReviewAsk;
pub use sessions::{protocol_parts, EarlyStart, NewSession, RunOptions, Sessions, StartError};

use crate::agents::CustomAgentsFile;
use crate::gate::webhooks::Publisher;
use crate::permission::{ProjectRules, RulesFile};
use crate::session::TurnGate;
use crate::store::{Store, StoreError};
use std::path::Path;
use std::sync::Arc;

/// File name of the session store inside the data folder.
pub const SESSIONS_DB: &str = "sessions.db";
/// File name of the project permission rules inside the data folder.
pub const PERMISSIONS_FILE: &str = "permissions.json";

/// The engine's parts over one data folder. Each part is an `Arc`, so a command (or a blocking
/// task it starts) can hold just the part it needs.
pub struct Engine {
    store: Arc<Store>,
    sessions: Arc<Sessions>,
    permissions: Arc<Permissions>,
    history: Arc<History>,
    files: Arc<Files>,
    /// The custom ACP agents, kept in the data folder (see `custom_agents.rs`).
    custom_agents: Arc<CustomAgentsFile>,
    /// Task events queued for the projects' webhook endpoints (one outbox per data folder).
    webhooks: Arc<Publisher>,
}

impl Engine {
    /// Opens the store and the file journal in `data_dir` (made private, see
    /// [`crate::store::private`]). Rollbacks a crash interrupted are left alone: commands that
    /// change files call [`Files::recover_rollbacks`]. The notice, when present, tells the
    /// person that a damaged store or journal was set aside, or that the journal is unavailable
    /// (sessions then run unrecorded). Only the store can fail to open: without the journal,
    /// sessions still run.
    pub fn open(data_dir: &Path) -> Result<(Self, Option<String>), StoreError> {
        // Private (0700, files 0600), and what an older version left wider tightened.
        crate::store::private::secure_data_dir(data_dir)
            .map_err(|source| StoreError::Io { path: data_dir.to_owned(), source })?;
        let opened = Store::open(&data_dir.join(SESSIONS_DB))?;
        // Agents' versions are read once per executable and kept (see `version_cache`).
        crate::version_cache::use_data_dir(data_dir);
        let store = Arc::new(opened.store);
        // Sessions stored before the search index existed are indexed behind the scenes.
        crate::store::backfill_search_index(&store);
        let rules: Arc<dyn ProjectRules> = Arc::new(RulesFile::new(data_dir.join(PERMISSIONS_FILE)));
        let (journal, journal_notice) = files::open_journal(data_dir);
        let gate = Arc::new(TurnGate::default());
        let custom_agents = Arc::new(CustomAgentsFile::in_data_dir(data_dir));
        let webhooks = Arc::new(Publisher::new(data_dir));
        let sessions =
            Arc::new(Sessions::new(store.clone(), rules.clone(), journal.clone(), gate.clone(), custom_agents.clone(), data_dir.to_owned()));
        sessions.publish_to(webhooks.clone());
        let engine = Self {
            permissions: Arc::new(Permissions::new(store.clone(), rules)),
            history: Arc::new(History::new(store.clone())),
            files: Arc::new(Files::new(store.clone(), journal, gate, sessions.clone())),
            sessions,
            store,
            custom_agents,
            webhooks,
        };
        Ok((engine, files::join_notices(opened.notice, journal_notice)))
    }

    /// The store, for reading sessions and transcripts.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Starting and resuming sessions, and the live ones of this process.
    pub fn sessions(&self) -> &Arc<Sessions> {
        &self.sessions
    }

    /// Project permission rules and the permission log.
    pub fn permissions(&self) -> &Arc<Permissions> {
        &self.permissions
    }

    /// Claude Code's transcripts, read and imported.
    pub fn history(&self) -> &Arc<History> {
        &self.history
    }

    /// The file journal's log, diffs, rollbacks and redos.
    pub fn files(&self) -> &Arc<Files> {
        &self.files
    }

    /// The webhook publisher: its delivery service (whose worker the window and `warden run`
    /// start) and what this process queued.
    pub fn webhooks(&self) -> &Arc<Publisher> {
        &self.webhooks
    }
}
