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

impl From<warden_engine::EngineError> for IpcError {
    fn from(err: warden_engine::EngineError) -> Self {
        use warden_engine::EngineError;
        match err {
            EngineError::Project(e) => e.into(),
            EngineError::Discovery(e) => Self { code: IpcErrorCode::AgentUnavailable, message: e.to_string() },
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
}
