//! The window's side of the calls about a host itself ([`HostRequest`]): an agent install on
//! the host with its progress on a channel, like the local `agent_install`'s (the host's
//! events are read in pieces, each call bounded, until its `finished` event), and an agent's
//! login flow in a host terminal followed like any host terminal.

use super::{unexpected, RemoteWindow};
use crate::error::IpcError;
use tauri::ipc::Channel;
use warden_core::agent::InstallEvent;
use warden_core::session::AgentKind;
use warden_core::terminal::{TerminalEvent, TerminalOpened};
use warden_remote::{HostRequest, HostResponse, Request, Response};

/// How many reads of an install's events in a row may fail (a connection that is reconnecting)
/// before the window stops reading and says so; the install itself goes on on the host.
const FAILED_READS: u32 = 30;

impl RemoteWindow {
    /// Starts installing `kind` on the host of `connection`; its events go to `channel` as the
    /// host reports them. Returns once the install started there.
    pub async fn agent_install(&self, connection: &super::types::RemoteConnectionId, kind: AgentKind, confirmed: bool, channel: Channel<InstallEvent>) -> Result<(), IpcError> {
        let link = self.link(connection)?;
        let run = match link.call(Request::Host(HostRequest::AgentInstall { kind, confirmed })).await? {
            Response::Host(HostResponse::InstallStarted { run }) => run,
            other => return Err(unexpected(&other)),
        };
        tauri::async_runtime::spawn(async move {
            let mut had = 0u64;
            let mut failed = 0;
            loop {
                match link.call(Request::Host(HostRequest::AgentInstallEvents { kind, run, after: had })).await {
                    Ok(Response::Host(HostResponse::InstallEvents { events, finished })) => {
                        failed = 0;
                        had += events.len() as u64;
                        for event in events {
                            // A window that went away no longer listens; the install goes on.
                            let _ = channel.send(event);
                        }
                        if finished {
                            return;
                        }
                    }
                    Ok(other) => {
                        tracing::warn!(agent = kind.as_str(), "the host answered an install's events with {}", unexpected(&other).message);
                        return;
                    }
                    Err(e) => {
                        failed += 1;
                        if failed >= FAILED_READS {
                            tracing::warn!(agent = kind.as_str(), "stopped reading the host's install progress: {}", e.message);
                            return;
                        }
                        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    }
                }
            }
        });
        Ok(())
    }

    /// Opens `kind`'s login flow in a terminal on the host of `connection`; its output goes to
    /// `channel` like a host terminal's (typed into, resized and closed with `remote_call`).
    pub async fn agent_login(&self, connection: &super::types::RemoteConnectionId, kind: AgentKind, cols: u16, rows: u16, channel: Channel<TerminalEvent>) -> Result<TerminalOpened, IpcError> {
        let link = self.link(connection)?;
        let opened = match link.call(Request::Host(HostRequest::AgentLogin { kind, cols, rows })).await? {
            Response::Host(HostResponse::LoginOpened(opened)) => opened,
            other => return Err(unexpected(&other)),
        };
        link.follow_terminal(opened.id, channel).await?;
        Ok(opened)
    }
}
