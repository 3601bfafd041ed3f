//! Warden's runtime: the parts that touch the file system and, in later layers, run agent
//! sessions as supervised subprocesses.
//!
//! It never imports Tauri: the desktop glue in `src-tauri/src` and the headless command line both
//! drive it, and it reaches the outside world only through the types it returns.
#![deny(missing_docs)]

pub mod project_dir;
pub mod workspace;

pub use project_dir::{folder_exists, resolve_project_dir};
pub use workspace::open_project;
