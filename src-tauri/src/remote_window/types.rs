//! The window's IPC types for remote projects: where a project is ([`RemoteTarget`]), what a
//! host has when it cannot be opened as it is ([`RemoteProbe`]), an opened remote project, the
//! install's progress, a connection's state and the recent remote projects. The engine calls
//! themselves are warden-remote's own `Request`/`Response`.

use serde::{Deserialize, Serialize};
use specta::Type;
use warden_core::session::SessionId;
use warden_core::WorkspaceView;
use warden_remote::SshExtra;

/// The window's name for one connection to a host ("r1", "r2", …; unique for the app's run).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Type)]
#[serde(transparent)]
pub struct RemoteConnectionId(pub String);

impl std::fmt::Display for RemoteConnectionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// How the host is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum RemoteKind {
    /// OpenSSH's own `ssh` to a destination.
    Ssh,
    /// `docker exec` (or podman) into a running container.
    Container,
    /// Any shell command that starts `warden serve --stdio` somewhere.
    Command,
}

/// Where a remote project is: what *Open Remote Project…* fills in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RemoteTarget {
    /// How the host is reached.
    pub kind: RemoteKind,
    /// For ssh `user@host` or a `~/.ssh/config` alias; for a container its name; for a
    /// command the shell command.
    pub destination: String,
    /// The project folder on the host: an absolute path there, or `~`/`~/…` for the host
    /// user's home (resolved by the host).
    pub folder: String,
    /// Extra `ssh` settings (`-p`, `-i`, `-J`, allowed `-o` options); empty for the others.
    #[serde(default)]
    pub ssh: SshExtra,
    /// The `warden` on the host; when absent `warden` on its PATH, then the one `remote_install`
    /// puts in `~/.local/bin`.
    #[serde(default)]
    pub remote_warden: Option<String>,
    /// The container engine (`docker` when absent, or `podman`).
    #[serde(default)]
    pub container_engine: Option<String>,
}

/// What the host said in its handshake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RemoteHost {
    /// Its Warden version.
    pub warden: String,
    /// Its protocol version.
    pub protocol: u32,
    /// Its operating system and architecture ("linux x86_64").
    pub platform: String,
}

impl From<&warden_remote::Hello> for RemoteHost {
    fn from(hello: &warden_remote::Hello) -> Self {
        RemoteHost { warden: hello.warden.clone(), protocol: hello.protocol, platform: hello.platform.clone() }
    }
}

/// Why the host cannot be used as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "type", content = "data", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum RemoteHostState {
    /// Warden is not installed there (or not where it was looked for).
    Missing {
        /// What the host said.
        detail: String,
    },
    /// Another Warden version runs there.
    OtherVersion {
        /// The sentence naming both versions.
        detail: String,
    },
    /// A Warden too old to serve (it has no `warden serve --stdio`).
    TooOld {
        /// What it said.
        detail: String,
    },
}

/// What a host has, when a project there cannot be opened as it is: the window offers to
/// install the matching Warden when `installable`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RemoteProbe {
    /// What is wrong.
    pub state: RemoteHostState,
    /// The host's operating system and architecture in Rust's names ("linux x86_64"), when it
    /// could be asked (`uname -sm`; not through a custom command).
    pub platform: Option<String>,
    /// This Warden's.
    pub local_platform: String,
    /// Whether `remote_install` can put this Warden there (same platform, not a custom command).
    pub installable: bool,
    /// One sentence for the dialog.
    pub message: String,
}

/// A remote project opened in the window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RemoteOpened {
    /// The connection every call about it goes through.
    pub connection: RemoteConnectionId,
    /// Where it is, as asked.
    pub target: RemoteTarget,
    /// Where it runs, for the header ("dev@box:/srv/app").
    pub label: String,
    /// The host's Warden.
    pub host: RemoteHost,
    /// The folder as the host resolved it: the `project` of every request about it.
    pub project: String,
    /// The host's workspace after opening it.
    pub workspace: WorkspaceView,
}

/// How `remote_open` ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(tag = "type", content = "data", rename_all = "camelCase")]
// One value per call: the size difference does not matter.
#[allow(clippy::large_enum_variant)]
pub enum RemoteOpenOutcome {
    /// Connected and opened.
    Opened(RemoteOpened),
    /// Warden is missing there or of another version: what the host has.
    NeedsInstall(RemoteProbe),
}

/// A step of `remote_install`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "type", content = "data", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum RemoteInstallProgress {
    /// Asking the host for its platform.
    Checking,
    /// Copying the binary.
    Copying {
        /// Bytes sent so far.
        sent: u64,
        /// Bytes in all.
        total: u64,
    },
    /// Checking that the copy answers.
    Verifying,
    /// Installed: what the copy said.
    Done(RemoteHost),
}

/// The state of a connection, as the window shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "type", content = "data", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum RemoteConnectionState {
    /// Connected to this Warden.
    Connected(RemoteHost),
    /// The connection was lost; the next attempt is at `next_try_ms`.
    Reconnecting {
        /// This attempt, from 1.
        attempt: u32,
        /// After this many the host is reported gone.
        max_attempts: u32,
        /// When the attempt starts (Unix milliseconds).
        next_try_ms: u64,
        /// Why the connection was lost (or the previous attempt failed).
        reason: String,
    },
    /// Given up: the host is unreachable, or Warden there is gone or changed.
    Gone {
        /// Why.
        reason: String,
    },
    /// Closed from the window.
    Closed,
}

/// One connection, for a window that (re)loads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RemoteConnectionView {
    /// Its id.
    pub connection: RemoteConnectionId,
    /// Where it reaches, in words.
    pub label: String,
    /// How it was made (its `folder` is the first project opened through it).
    pub target: RemoteTarget,
    /// The projects opened through it, as the host resolved them.
    pub projects: Vec<String>,
    /// Its state now.
    pub state: RemoteConnectionState,
}

/// A session of a host, and the connection it is reached through.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RemoteSessionRef {
    /// The host's session id.
    pub session_id: SessionId,
    /// The connection.
    pub connection: RemoteConnectionId,
}

/// A remote project opened before (kept in the same settings file as the recent projects;
/// `recent::decode` also reads the older shape that repeated the target's fields).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RecentRemoteProject {
    /// Where it is.
    pub target: RemoteTarget,
    /// Where it runs, in words.
    pub label: String,
    /// When it was last opened (Unix milliseconds).
    pub last_opened_ms: u64,
}

impl RecentRemoteProject {
    /// The entry for `target`, opened now.
    pub fn of(target: &RemoteTarget, label: String, now_ms: u64) -> Self {
        RecentRemoteProject { target: target.clone(), label, last_opened_ms: now_ms }
    }

    /// Whether it names the same project as (kind, destination, folder).
    pub fn is(&self, kind: RemoteKind, destination: &str, folder: &str) -> bool {
        self.target.kind == kind && self.target.destination == destination && self.target.folder == folder
    }
}
