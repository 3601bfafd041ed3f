//! Installing an agent and opening its login flow, as every front end asks for them (the
//! window's commands, and `warden serve` for a window whose project is on this host): one place
//! decides the install command, the agents folder it goes into and the folder a login runs in.

use super::{login_spec, managed, DetectEnv, InstallCommand, InstallError, Installs};
use crate::terminal::{TerminalError, TerminalSpec};
use tokio::sync::mpsc;
use warden_core::agent::InstallEvent;
use warden_core::session::AgentKind;

/// Starts installing the preset agent `kind` with `installs` (an npm agent into this data
/// folder's agents folder at the pinned version; a shell installer only when `confirmed`).
/// The receiver gets `Started`, every output line, then `Finished`.
pub fn start_install(installs: &Installs, kind: AgentKind, confirmed: bool) -> Result<mpsc::UnboundedReceiver<InstallEvent>, InstallError> {
    let spec = warden_core::agent::spec(kind).ok_or_else(|| InstallError::NoPlan(kind.as_str().to_owned()))?;
    let root = managed::root().ok_or(InstallError::NoDataFolder)?;
    let command = InstallCommand::for_agent(spec, confirmed, &DetectEnv::current(), &root)?;
    installs.start(kind, command)
}

/// The terminal of `cols`×`rows` cells that runs `kind`'s own login flow, in the home folder
/// (the temporary folder when there is none), and its title.
pub async fn login_terminal(kind: AgentKind, cols: u16, rows: u16) -> Result<(TerminalSpec, String), TerminalError> {
    let cwd = DetectEnv::current().home.filter(|h| h.is_dir()).unwrap_or_else(std::env::temp_dir);
    login_spec(kind, &cwd, cols, rows).await
}
