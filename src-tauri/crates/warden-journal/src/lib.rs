//! The file journal: every file an agent creates, modifies, deletes, renames or chmods in a
//! project, with its content before and after, and rollbacks of any set of those changes.
//!
//! Everything lives in `<data folder>/journal/` — `journal.db` (ops and rollbacks), `blobs/`
//! (contents by SHA-256) and `staging/` (files on their way back) — never in the project.
//!
//! - [`Recorder`] snapshots the project around turns and tool calls and records the differences
//!   as [`FileOp`]s. Content comes from the snapshots themselves: the first one of a recorder
//!   copies every file into the blob store, later ones only what changed, so the bytes before
//!   any change were captured before the change happened. Paths .gitignore hides are only
//!   counted, unless the journal kept their content once in the project: those stay kept in
//!   every later session, so ignore files an agent writes cannot hide its changes (`kept.rs`).
//! - [`Journal::rollback`] undoes ops, all or nothing: its intent and a backup of every file it
//!   will replace are written before any file moves, so [`Journal::recover`] can finish or revert
//!   a rollback interrupted by a crash, and [`Journal::redo`] can undo it later. A rollback's own
//!   changes are recorded as ops marked with its id, so the log shows them in line.
//!
//! - [`Journal::revert_hunks`] is a rollback of part of a change: the file as it is now with
//!   some hunks of the change put back, through the same intent, staging and redo; keeps and
//!   the person's comments on hunks are stored beside (`hunk_revert.rs`, `hunks.rs`).
//!
//! A crate of its own: it needs only the domain types (`warden-core`) and the data folder's
//! rules (`warden-disk`: private files, SQLite settings, the clock), never the engine's sessions
//! or agents, so changing an agent adapter does not rebuild it, and its errors
//! ([`JournalError`], [`RollbackError`], [`BlobError`]) and tests are its own. The engine
//! re-exports it as `warden_engine::journal`.
#![deny(missing_docs)]

mod apply;
pub mod beneath;
pub mod blobs;
mod db;
mod db_hunks;
pub mod diff;
mod hunk_revert;
pub mod hunks;
mod kept;
mod lock;
mod metadata;
mod notes;
mod recorder;
mod recovery;
mod rules;
mod rollback;
mod schema;
pub mod snapshot;
mod summary;
mod walk;

pub use apply::CRASH_AFTER_ENV;
pub use blobs::{BlobError, BlobStore};
pub use db::OpQuery;
pub use notes::NOTE_PREFIX;
pub use summary::unified_diff;
pub use recorder::{is_outside_turn, Recorder};
pub use recovery::{rollback_may_be_interrupted, Recovery, RecoveryOutcome};
pub use rules::IgnoreFiles;
pub use rollback::RollbackError;
pub use snapshot::{cap_from, Snapshot, SnapshotOptions, CAP_ENV, DEFAULT_CAP};

use db::JournalDb;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use warden_core::journal::{BlobHash, FileOp, OpId, RollbackId, RollbackRecord};
use warden_core::session::{SessionId, TurnId};

/// The name of the journal's folder inside the data folder.
pub const JOURNAL_DIR: &str = "journal";
/// Where rollbacks stage their files, inside the journal's folder (see `apply`).
const STAGING_DIR: &str = "staging";

/// Journal failures (other than a rollback's refusals, see [`RollbackError`]).
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// SQLite failed.
    #[error("file journal database: {0}")]
    Sql(#[from] rusqlite::Error),
    /// The blob store failed, or a kept copy is missing or damaged.
    #[error("file journal: {0}")]
    Blob(#[from] BlobError),
    /// A file or folder could not be read or written.
    #[error("file journal: {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
    /// A path could not be reached beneath the project root without going through a link.
    #[error("file journal: {0}")]
    Beneath(#[from] beneath::BeneathError),
    /// A folder stands where the journal has a file.
    #[error("file journal: {path} is a folder (or a special file) where a file is expected")]
    NotAFile {
        /// The path.
        path: PathBuf,
    },
    /// A file's content was not kept, so it cannot be written back.
    #[error("file journal: the content for {path} was not kept")]
    NotKept {
        /// The path.
        path: PathBuf,
    },
    /// A tool call or the end of a turn was recorded with no turn open.
    #[error("file journal: no turn is being recorded")]
    NoTurn,
    /// A turn was begun while another is being recorded.
    #[error("file journal: turn {turn} of session {session} is still being recorded")]
    TurnOpen {
        /// The open turn's session.
        session: SessionId,
        /// The open turn.
        turn: TurnId,
    },
}

impl From<db::OpenError> for JournalError {
    fn from(e: db::OpenError) -> Self {
        match e {
            db::OpenError::Sql(e) => Self::Sql(e),
            db::OpenError::Io { path, source } => Self::Io { path, source },
        }
    }
}

/// The journal of one data folder, shared by every project recorded there.
#[derive(Debug)]
pub struct Journal {
    dir: PathBuf,
    db: JournalDb,
    blobs: BlobStore,
    /// One rollback, redo or recovery at a time in this process (and, through a lock file, across
    /// processes): two on the same paths would undo each other's checks.
    moving: Mutex<()>,
    /// The paths each project keeps whatever its ignore files say (see `kept.rs`).
    kept: kept::KeptCache,
}

/// A journal that was opened, and what the person should be told about it.
#[derive(Debug)]
pub struct OpenedJournal {
    /// The journal.
    pub journal: Journal,
    /// Set when a damaged database was set aside and a new one started.
    pub notice: Option<String>,
}

impl Journal {
    /// Opens (or creates) the journal in `<data_dir>/journal/`. Call [`Journal::recover`] next,
    /// before anything records or rolls back.
    pub fn open(data_dir: &Path) -> Result<OpenedJournal, JournalError> {
        let dir = data_dir.join(JOURNAL_DIR);
        warden_disk::private::create_dir(&dir).map_err(|source| JournalError::Io { path: dir.clone(), source })?;
        let blobs = BlobStore::open(&dir.join("blobs"))?;
        let (db, notice) = JournalDb::open(&dir.join("journal.db"))?;
        Ok(OpenedJournal { journal: Journal { dir, db, blobs, moving: Mutex::new(()), kept: kept::KeptCache::default() }, notice })
    }

    /// Whether this open checked the database (`PRAGMA quick_check`): only after an unclean end
    /// of its last use, and only in the first process to open it.
    pub fn checked_at_open(&self) -> bool {
        self.db.checked_at_open()
    }

    /// The journal's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The blob store.
    pub fn blobs(&self) -> &BlobStore {
        &self.blobs
    }

    /// The verified bytes of a blob (a file's content as recorded), e.g. to show a diff.
    pub fn content(&self, hash: &BlobHash) -> Result<Vec<u8>, JournalError> {
        Ok(self.blobs.get(hash)?)
    }

    /// Ops matching `query`, oldest first.
    pub fn ops(&self, query: OpQuery<'_>) -> Result<Vec<FileOp>, JournalError> {
        Ok(self.db.ops(query)?)
    }

    /// The log of a project folder: every op recorded there (of one session, or all), rollbacks'
    /// own included, oldest first.
    pub fn log(&self, project: &Path, session: Option<&SessionId>) -> Result<Vec<FileOp>, JournalError> {
        let key = project_key(project);
        self.ops(OpQuery::Log { project: &key, session })
    }

    /// The project folders (as [`project_key`] names them) these ops were recorded in; unknown
    /// ids are left out.
    pub fn projects_of(&self, ids: &[OpId]) -> Result<Vec<String>, JournalError> {
        Ok(self.db.projects_of(ids)?)
    }

    /// Rollbacks of a project (of every project when `None`), oldest first.
    pub fn rollbacks(&self, project: Option<&Path>) -> Result<Vec<RollbackRecord>, JournalError> {
        let key = project.map(project_key);
        Ok(self.db.rollbacks(key.as_deref(), None)?)
    }

    /// One rollback.
    pub fn rollback_record(&self, id: RollbackId) -> Result<Option<RollbackRecord>, JournalError> {
        Ok(self.db.rollback(id)?)
    }

    fn staging(&self) -> PathBuf {
        self.dir.join(STAGING_DIR)
    }

    /// The right to move files: this process's mutex, then the lock other processes honour.
    fn moving(&self) -> (MutexGuard<'_, ()>, lock::MoveLock) {
        let guard = self.moving.lock().unwrap_or_else(|p| p.into_inner());
        (guard, lock::MoveLock::acquire(&self.dir))
    }
}

/// How a project folder is named in the journal: its canonical path, so the same folder reached
/// two ways is one project.
pub fn project_key(project: &Path) -> String {
    project.canonicalize().unwrap_or_else(|_| project.to_owned()).to_string_lossy().into_owned()
}
