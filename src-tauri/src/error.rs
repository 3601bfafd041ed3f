//! The one error type that crosses the IPC boundary.

use serde::{Deserialize, Serialize};
use specta::Type;
use warden_core::ProjectError;

/// What the window may branch on. A code exists only where the UI does something different
/// for it; everything else is `internal` and shown by its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum IpcErrorCode {
    /// The folder does not exist (the UI offers to forget a recent entry).
    ProjectNotFound,
    /// The path is not a usable project folder (a file, unreadable, malformed).
    ProjectInvalid,
    /// The project is not open in this window.
    ProjectNotOpen,
    /// The agent CLI is missing, too old or unusable (the UI shows how to install it).
    AgentUnavailable,
    /// The session's agent is not running (the UI offers Resume).
    SessionNotRunning,
    /// Anything else; the message says what happened.
    Internal,
}

/// An error returned by a Warden command: a code to branch on and a message written for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{message}")]
pub struct IpcError {
    /// What kind of failure this is.
    pub code: IpcErrorCode,
    /// What happened, in words for the person.
    pub message: String,
}

impl IpcError {
    /// An error the UI has no special handling for.
    pub fn internal(message: impl std::fmt::Display) -> Self {
        Self { code: IpcErrorCode::Internal, message: message.to_string() }
    }
}

impl From<ProjectError> for IpcError {
    fn from(err: ProjectError) -> Self {
        let code = match err {
            ProjectError::NotFound { .. } => IpcErrorCode::ProjectNotFound,
            ProjectError::NotADirectory { .. }
            | ProjectError::Unreadable { .. }
            | ProjectError::InvalidPath { .. } => IpcErrorCode::ProjectInvalid,
            ProjectError::NotOpen { .. } => IpcErrorCode::ProjectNotOpen,
        };
        Self { code, message: err.to_string() }
    }
}

impl From<warden_engine::StartError> for IpcError {
    fn from(err: warden_engine::StartError) -> Self {
        use warden_engine::StartError;
        match err {
            StartError::Project(e) => e.into(),
            StartError::Discovery(e) => Self { code: IpcErrorCode::AgentUnavailable, message: e.to_string() },
            other => Self::internal(other),
        }
    }
}

impl From<warden_engine::PermissionsError> for IpcError {
    fn from(err: warden_engine::PermissionsError) -> Self {
        match err {
            warden_engine::PermissionsError::Project(e) => e.into(),
            other => Self::internal(other),
        }
    }
}

impl From<warden_engine::HistoryError> for IpcError {
    fn from(err: warden_engine::HistoryError) -> Self {
        match err {
            warden_engine::HistoryError::Project(e) => e.into(),
            other => Self::internal(other),
        }
    }
}

impl From<warden_engine::FilesError> for IpcError {
    fn from(err: warden_engine::FilesError) -> Self {
        match err {
            warden_engine::FilesError::Project(e) => e.into(),
            other => Self::internal(other),
        }
    }
}

impl From<warden_engine::SessionError> for IpcError {
    fn from(err: warden_engine::SessionError) -> Self {
        let code = match err {
            warden_engine::SessionError::NotRunning => IpcErrorCode::SessionNotRunning,
            _ => IpcErrorCode::Internal,
        };
        Self { code, message: err.to_string() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_code_and_message() {
        let err = IpcError::from(ProjectError::NotFound { path: "/x".into() });
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json["code"], "projectNotFound");
        assert!(json["message"].as_str().unwrap().contains("/x"));
    }

    #[test]
    fn each_engine_part_keeps_the_project_codes() {
        let missing = || ProjectError::NotFound { path: "/gone".into() };
        let codes = [
            IpcError::from(warden_engine::StartError::Project(missing())).code,
            IpcError::from(warden_engine::PermissionsError::Project(missing())).code,
            IpcError::from(warden_engine::HistoryError::Project(missing())).code,
            IpcError::from(warden_engine::FilesError::Project(missing())).code,
        ];
        assert_eq!(codes, [IpcErrorCode::ProjectNotFound; 4]);
    }

    #[test]
    fn a_missing_agent_is_agent_unavailable_and_the_rest_internal() {
        let missing = warden_engine::DiscoveryError::NotFound { agent: "claude", searched: "~/.local/bin".into(), install: "npm i" };
        assert_eq!(IpcError::from(warden_engine::StartError::from(missing)).code, IpcErrorCode::AgentUnavailable);
        let refused = IpcError::from(warden_engine::FilesError::NothingToRollBack("op 7 has no recorded file changes".into()));
        assert_eq!(refused.code, IpcErrorCode::Internal);
        assert_eq!(refused.message, "nothing to roll back: op 7 has no recorded file changes");
    }
}
