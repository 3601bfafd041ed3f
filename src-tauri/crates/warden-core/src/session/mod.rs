//! Agent sessions: identities, the event stream and the stored record.

pub mod audit;
pub mod event;
pub mod history;
pub mod ids;
pub mod permission;
pub mod record;
pub mod tool_call;

pub use audit::{permission_log, PermissionLogEntry};
pub use event::*;
pub use history::ClaudeHistoryEntry;
pub use ids::{MessageId, PermissionRequestId, SessionId, ToolCallId, TurnId};
pub use permission::{DecisionSource, PermissionAnswer, PermissionDecision, PermissionRequest, PermissionResolution};
pub use record::{AgentKind, AgentProtocol, PermissionMode, Sandbox, SessionRecord, SessionStatus};
pub use tool_call::{ToolCall, ToolCallStatus, ToolCallUpdate, ToolKind, ToolLocation, ToolOutput};
