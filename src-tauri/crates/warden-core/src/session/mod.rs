//! Agent sessions: identities, the event stream and the stored record.

pub mod agent_settings;
pub mod audit;
pub mod commands;
pub mod controls;
pub mod event;
pub mod history;
pub mod ids;
pub mod permission;
pub mod questions;
pub mod prompt_input;
pub mod record;
pub mod review_events;
pub mod task;
pub mod tool_call;
pub mod tool_input;
mod claude_tool_input;
pub mod waiting;

pub use agent_settings::{agent_settings, AgentSettingsError};
pub use audit::{permission_log, PermissionLogEntry};
pub use controls::{ControlsError, Effort, ModelChoice, SessionControls};
pub use event::*;
pub use history::{ClaudeHistoryEntry, ClaudeHistoryView, ElidedText, HistoryText};
pub use ids::{MessageId, PermissionRequestId, SessionId, ToolCallId, TurnId};
pub use prompt_input::{Attachment, PromptImage, ImageType, Mention, MentionDelivery, PathKind, PromptAccepts, PromptAttachment, PromptInput, StoredImage};
pub use permission::{DecisionSource, PermissionAnswer, PermissionDecision, PermissionRequest, PermissionResolution};
pub use record::{AgentKind, AgentProtocol, PermissionMode, Sandbox, SessionRecord, SessionStatus, SessionWorktree};
pub use review_events::{ReviewFinished, ReviewRunOutcome, ReviewStarted};
pub use task::*;
pub use waiting::{WaitingList, WaitingRequest};
pub use tool_call::{ToolCall, ToolCallStatus, ToolCallUpdate, ToolKind, ToolLocation, ToolOutput};
pub use claude_tool_input::type_stored_updates;
pub use tool_input::{common_folder, AskedQuestion, FileAction, FileChange, QuestionOption, TextEdit, ToolInput};
pub use commands::{AgentCommand, AgentCommands};
pub use questions::{check_answers, AnswerError, QuestionAnswer};
