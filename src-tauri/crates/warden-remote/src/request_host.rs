//! The calls about the host itself rather than one project's sessions: installing an agent
//! there (into the host's own agents folder, its progress read in pieces), opening an agent's
//! login flow in a terminal there, and the usage the host's store holds. One [`HostRequest`]
//! arm per window command (`agent_install`, `agent_install_cancel`, `agent_login_open`,
//! `usage_report`, `usage_csv`), answered by its [`HostResponse`] arm in the same types the
//! window's own IPC carries.

use serde::{Deserialize, Serialize};
use specta::Type;
use warden_core::agent::InstallEvent;
use warden_core::session::AgentKind;
use warden_core::terminal::TerminalOpened;
use warden_core::usage::UsageReport;

/// How long one [`HostRequest::AgentInstallEvents`] waits on the host for something new before
/// answering with nothing (the client asks again; a long install is many such calls).
pub const INSTALL_EVENTS_WAIT_MS: u64 = 10_000;

/// One call about the host (inside [`crate::Request::Host`]).
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(tag = "call", content = "args", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum HostRequest {
    /// Starts installing the preset agent `kind` on the host, into its agents folder (a shell
    /// installer only when `confirmed`) ([`HostResponse::InstallStarted`]).
    AgentInstall {
        /// The agent.
        kind: AgentKind,
        /// The person saw and confirmed a shell installer.
        confirmed: bool,
    },
    /// The events of install `run` of `kind` after the first `after`, waiting up to
    /// [`INSTALL_EVENTS_WAIT_MS`] for one ([`HostResponse::InstallEvents`]).
    AgentInstallEvents {
        /// The agent.
        kind: AgentKind,
        /// The run, as [`HostResponse::InstallStarted`] named it.
        run: u64,
        /// How many of its events the client has.
        after: u64,
    },
    /// Cancels the running install of `kind` ([`HostResponse::InstallCancelled`]).
    AgentInstallCancel {
        /// The agent.
        kind: AgentKind,
    },
    /// Opens a terminal on the host running `kind`'s own login flow in the host user's home
    /// ([`HostResponse::LoginOpened`]); its output is read with [`crate::Request::TerminalSubscribe`]
    /// and it is typed into and closed like any host terminal.
    AgentLogin {
        /// The agent.
        kind: AgentKind,
        /// Width in cells.
        cols: u16,
        /// Height in cells.
        rows: u16,
    },
    /// The usage in the host's store ([`HostResponse::Usage`]).
    Usage(UsageAsked),
    /// The same usage as CSV text ([`HostResponse::UsageCsv`]).
    UsageCsv(UsageAsked),
}

/// What usage is asked for: as the window's `usage_report` takes it.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UsageAsked {
    /// A project folder on the host (its worktree sessions count too); `None`: every project there.
    pub project: Option<String>,
    /// Turns ended at or after this (Unix milliseconds).
    pub from_ms: u64,
    /// Turns ended before this.
    pub to_ms: u64,
    /// The window's time zone, minutes east of UTC: where days begin.
    pub utc_offset_minutes: i32,
}

/// The answer to a [`HostRequest`].
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(tag = "type", content = "data", rename_all = "camelCase", rename_all_fields = "camelCase")]
// One value per call: the size difference does not matter.
#[allow(clippy::large_enum_variant)]
pub enum HostResponse {
    /// The install started: its run, for [`HostRequest::AgentInstallEvents`].
    InstallStarted {
        /// The run.
        run: u64,
    },
    /// Install events after those the client had, in order; `finished` once the last one
    /// (its `finished` event) is among what the client now has.
    InstallEvents {
        /// The new events.
        events: Vec<InstallEvent>,
        /// Nothing follows.
        finished: bool,
    },
    /// Whether an install was running and is now cancelled.
    InstallCancelled(bool),
    /// The login terminal.
    LoginOpened(TerminalOpened),
    /// The usage.
    Usage(UsageReport),
    /// The usage as CSV.
    UsageCsv(String),
}
