//! An agent as the Agents screen shows it: where it was found, its version, whether it is logged
//! in, and so whether a session can use it.

use super::custom::CustomAgent;
use super::install::InstallPlan;
use crate::session::{AgentKind, AgentProtocol};
use serde::{Deserialize, Serialize};
use specta::Type;

/// Whether an agent can start sessions, as detection found it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum AgentStatus {
    /// Installed, recent enough, and its credentials are there.
    Ready,
    /// Not found on PATH nor in the usual install folders.
    NotInstalled,
    /// Installed, but neither its credentials nor a key in the environment were found.
    NotLoggedIn,
    /// Installed; whether it is logged in cannot be told without starting it (a system
    /// keychain, a custom agent). Sessions may be started; the agent says if it is not.
    LoginUnknown,
    /// Installed, but older than Warden works with.
    TooOld {
        /// The oldest version Warden works with.
        minimum: String,
    },
    /// Found, but `--version` failed or printed no version.
    Broken {
        /// What happened.
        detail: String,
    },
}

impl AgentStatus {
    /// Whether a session may be started with it: ready, or installed with its login unknown.
    pub fn usable(&self) -> bool {
        matches!(self, AgentStatus::Ready | AgentStatus::LoginUnknown)
    }

    /// The status in a few words, as `warden agents` prints it.
    pub fn words(&self) -> String {
        match self {
            AgentStatus::Ready => "ready".into(),
            AgentStatus::NotInstalled => "not installed".into(),
            AgentStatus::NotLoggedIn => "not logged in".into(),
            AgentStatus::LoginUnknown => "installed, login unknown".into(),
            AgentStatus::TooOld { minimum } => format!("too old (needs {minimum} or newer)"),
            AgentStatus::Broken { detail } => format!("broken: {detail}"),
        }
    }
}

/// Whether credentials were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum LoginState {
    /// A credentials file or a key in the environment was found.
    LoggedIn,
    /// None of the places the agent reads credentials from has any.
    NotLoggedIn,
    /// Cannot be told without starting the agent.
    Unknown,
}

/// The outcome of the login check, with what it was based on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LoginCheck {
    /// What was found.
    pub state: LoginState,
    /// What it rests on, for the person ("ANTHROPIC_API_KEY is set", "no ~/.codex/auth.json").
    pub detail: String,
}

impl LoginCheck {
    /// Logged in, because of `detail`.
    pub fn logged_in(detail: impl Into<String>) -> Self {
        Self { state: LoginState::LoggedIn, detail: detail.into() }
    }

    /// Not logged in: `detail` says where Warden looked.
    pub fn not_logged_in(detail: impl Into<String>) -> Self {
        Self { state: LoginState::NotLoggedIn, detail: detail.into() }
    }

    /// Unknown, because of `detail`.
    pub fn unknown(detail: impl Into<String>) -> Self {
        Self { state: LoginState::Unknown, detail: detail.into() }
    }
}

/// One agent on the Agents screen and in the New Session dialog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AgentView {
    /// Which agent ([`AgentKind::Custom`] for one from the settings).
    pub kind: AgentKind,
    /// Its name for people ("Gemini CLI", or a custom agent's name).
    pub name: String,
    /// The protocol Warden speaks with it.
    pub protocol: AgentProtocol,
    /// The executable found, if any.
    pub program: Option<String>,
    /// Its version, when it told one.
    pub version: Option<String>,
    /// Whether sessions can use it.
    pub status: AgentStatus,
    /// The login check (meaningful once it is installed).
    pub login: LoginCheck,
    /// How to log in, in words; `None` for a custom agent.
    pub login_help: Option<String>,
    /// How to install it; `None` for a custom agent.
    pub install: Option<InstallPlan>,
    /// The oldest version Warden works with, when there is one.
    pub min_version: Option<String>,
    /// The definition, for a custom agent.
    pub custom: Option<CustomAgent>,
}
