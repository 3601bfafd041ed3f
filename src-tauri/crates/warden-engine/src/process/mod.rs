//! Agent processes: spawned so that everything they start can be ended, read line by line.

use std::ffi::OsString;
use std::path::Path;

mod child;
mod lines;
mod stderr_tail;
#[cfg(unix)]
mod tree;

pub use child::{AgentProcess, ExitStatusInfo, Pipes, SpawnSpec};
pub use lines::{read_lines, MAX_LINE};
pub use stderr_tail::StderrTail;
#[cfg(unix)]
pub use tree::TAG_VAR;
#[cfg(target_os = "linux")]
pub(crate) use tree::{proc_stats, stat_fields};

/// The PATH to give an agent when it must differ from Warden's own: the agent's folder in front,
/// so an npm launcher found outside PATH finds its `node` (nvm installs keep both in one
/// folder), on the login shell's PATH when one was captured (macOS, see
/// [`warden_platform::login_path`]). `None`: the agent inherits Warden's PATH.
pub(crate) fn path_with(dir: Option<&Path>) -> Option<OsString> {
    let login = warden_platform::login_path::for_children();
    let Some(dir) = dir else { return login };
    let current = login.clone().or_else(|| std::env::var_os("PATH")).unwrap_or_default();
    let mut parts: Vec<_> = std::env::split_paths(&current).collect();
    if parts.iter().any(|p| p == dir) {
        return login;
    }
    parts.insert(0, dir.to_owned());
    std::env::join_paths(parts).ok()
}
