//! Warden's runtime: agent sessions as supervised subprocesses, the adapters that translate
//! their protocols into one event stream, and the store that keeps every session.
//!
//! It never imports Tauri: the desktop glue in `src-tauri/src` and the headless command line both
//! drive it, and it reaches the outside world only through [`EventSink`] and the values it
//! returns.
#![deny(missing_docs)]

pub mod acp;
pub mod adapter;
pub mod agents;
pub mod best_of;
pub mod claude;
pub mod codex;
pub mod discovery;
pub mod version_cache;
pub mod engine;
pub mod finder;
pub mod gate;
mod json_file;
pub mod permission;
pub mod pipeline;
pub mod process;
pub mod project_dir;
pub mod review;
pub mod session;
pub mod sink;
pub mod store;
pub mod terminal;
pub mod tool_calls;
#[cfg(test)]
mod tool_calls_tests;
pub mod watch;
pub mod workspace;
pub mod git_read;
pub mod git_ref;
pub mod worktrees;

pub use discovery::{AgentBinary, DiscoveryError};
pub use engine::{
    EarlyStart, Engine, Files, FilesError, History, HistoryError, NewSession, Permissions, PermissionsError, ReviewAsk, RunOptions, Sessions,
    StartError, PERMISSIONS_FILE, SESSIONS_DB,
};
pub use project_dir::{expand_home, folder_exists, own_home, resolve_project_dir};
pub use session::{SessionError, SessionHandle};
pub use sink::{ChannelSink, EventSink};
pub use store::{Store, StoreError};
pub use workspace::open_project;

/// The file journal, its own crate (`warden-journal`): re-exported so `warden_engine::journal::…`
/// and the engine's `crate::journal::…` paths keep naming it.
pub use warden_journal as journal;

/// Milliseconds since the Unix epoch (from `warden-disk`, where the journal reaches it too).
pub use warden_disk::now_ms;
