//! Warden's pure domain model.
//!
//! Everything here is plain data and logic with no I/O of its own: no Tauri, no async runtime, no
//! child processes. The engine and the desktop glue build on these types, and the UI sees them
//! through the generated TypeScript bindings, so a change here is a change to the IPC contract.
#![deny(missing_docs)]

pub mod agent;
pub mod best_of;
pub mod checks;
pub mod finder;
pub mod journal;
pub mod permission;
pub mod pipeline;
pub mod project;
pub mod recent;
pub mod review;
pub mod search;
pub mod session;
pub mod terminal;
pub mod usage;
pub mod workspace;
pub mod worktree;

pub use project::{project_name, Project, ProjectError, ProjectId};
pub use recent::{RecentProject, RecentProjects, RECENT_LIMIT};
pub use workspace::{Notice, NoticeId, RecentEntry, Workspace, WorkspaceView, NOTICE_LIMIT};
