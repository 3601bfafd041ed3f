//! The one event stream every agent is translated into.
//!
//! The window, the headless `warden run --json` and the store all see exactly these values. Every
//! event carries its session and a `seq` that counts up from 1 without gaps, so a consumer that
//! sees a gap knows it missed something and re-reads the stored transcript.

use super::commands::AgentCommands;
use super::ids::{MessageId, SessionId, ToolCallId, TurnId};
use super::permission::{PermissionRequest, PermissionResolution};
use super::record::{AgentKind, PermissionMode, SessionStatus};
use super::review_events::{ReviewFinished, ReviewStarted};
use super::task::*;
use super::tool_call::{ToolCall, ToolCallUpdate};
use crate::journal::FileOpSummary;
use crate::permission::RuleSet;
use serde::{Deserialize, Serialize};
use specta::Type;

/// One event of one session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SessionEvent {
    /// The session.
    pub session_id: SessionId,
    /// Position in the session's stream: 1, 2, 3, … with no gaps, across restarts.
    pub seq: u64,
    /// When Warden recorded it, in milliseconds since the Unix epoch.
    pub at_ms: u64,
    /// What happened.
    pub kind: SessionEventKind,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(tag = "type", content = "data", rename_all = "camelCase")]
pub enum SessionEventKind {
    /// An agent process was started for the session (first start or resume).
    Started(SessionStarted),
    /// The session moved to a new status.
    Status(SessionStatus),
    /// What the agent reported about itself once running.
    AgentInfo(AgentInfo),
    /// The commands the agent runs by name after `/` (see [`super::commands`]), the whole list.
    AgentCommands(AgentCommands),
    /// The person's prompt; starts a turn.
    UserMessage(UserMessage),
    /// What the agent takes in a prompt besides text (images, how mentions reach it); sent
    /// when the agent is ready, the window offers only what it says.
    PromptAccepts(super::prompt_input::PromptAccepts),
    /// A piece of the agent's answer. Pieces with the same message id and part join in order.
    AgentMessageChunk(MessageChunk),
    /// A piece of the agent's visible reasoning.
    AgentThoughtChunk(MessageChunk),
    /// A tool call began.
    ToolCall(ToolCall),
    /// A tool call changed.
    ToolCallUpdate(ToolCallUpdate),
    /// The agent's plan or to-do list, always complete (replaces the previous one).
    Plan(Plan),
    /// The agent asks whether it may run a tool.
    PermissionRequested(PermissionRequest),
    /// A permission question was answered.
    PermissionResolved(PermissionResolution),
    /// The session's permission mode changed (by the person, or by the agent after a plan
    /// approval).
    ModeChanged(PermissionMode),
    /// The session's own permission rules after a change (the whole set).
    SessionRules(RuleSet),
    /// Something worth telling the person that is not part of the conversation (a retry, a
    /// compaction, a rate-limit warning, an agent-side error).
    Notice(SessionNotice),
    /// The agent changed files of the project, as the file journal recorded them (after a tool
    /// call, between tool calls, or at the end of a turn).
    FileChanges(FileChanges),
    /// A turn is over.
    TurnEnded(TurnEnded),
    /// The agent process is gone.
    AgentExited(AgentExited),
    /// Output the adapter could not make sense of, kept and shown as it was.
    Unrecognised(RawOutput),
    /// The person's prompt started a task (see [`super::task`]).
    TaskStarted(TaskStarted),
    /// The agent ended a turn of a task by itself: a candidate for done.
    TaskCompleted(TaskCompleted),
    /// A check of a task started.
    CheckStarted(CheckStarted),
    /// A check of a task ended, or was decided not to run.
    CheckFinished(CheckFinished),
    /// The gate decided a round of a task.
    GateDecided(GateDecided),
    /// Warden proposes feedback and waits for the person.
    FeedbackProposed(FeedbackProposed),
    /// Feedback went to the agent as a new turn.
    FeedbackSent(FeedbackSent),
    /// The person dismissed the proposed feedback.
    FeedbackDismissed(FeedbackDismissed),
    /// A task ended.
    TaskFinished(TaskFinished),
    /// A review of the session's work started (see [`super::review_events`]).
    ReviewStarted(ReviewStarted),
    /// A review of the session's work ended.
    ReviewFinished(ReviewFinished),
    /// The model and effort in use and what the agent lets change (see
    /// [`super::controls`]): sent when they become known and after every switch.
    Controls(super::controls::SessionControls),
    /// The agent's rate limits and credits changed (Codex's `account/rateLimits/updated`; see
    /// [`crate::usage::RateLimits`]).
    RateLimits(crate::usage::RateLimits),
}

impl SessionEvent {
    /// This event with a tool output over `limit` bytes left out (see
    /// [`ToolOutput::elided_bytes`](super::ToolOutput::elided_bytes)); any other event as it is.
    pub fn with_output_elided(mut self, limit: usize) -> Self {
        if let SessionEventKind::ToolCallUpdate(update) = &mut self.kind {
            if let Some(output) = &mut update.output {
                output.elide_over(limit);
            }
        }
        self
    }
}

impl SessionEventKind {
    /// The `type` tag, as stored and as `--json` writes it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Started(_) => "started",
            Self::Status(_) => "status",
            Self::AgentInfo(_) => "agentInfo",
            Self::AgentCommands(_) => "agentCommands",
            Self::UserMessage(_) => "userMessage",
            Self::PromptAccepts(_) => "promptAccepts",
            Self::AgentMessageChunk(_) => "agentMessageChunk",
            Self::AgentThoughtChunk(_) => "agentThoughtChunk",
            Self::ToolCall(_) => "toolCall",
            Self::ToolCallUpdate(_) => "toolCallUpdate",
            Self::Plan(_) => "plan",
            Self::PermissionRequested(_) => "permissionRequested",
            Self::PermissionResolved(_) => "permissionResolved",
            Self::ModeChanged(_) => "modeChanged",
            Self::SessionRules(_) => "sessionRules",
            Self::Notice(_) => "notice",
            Self::FileChanges(_) => "fileChanges",
            Self::TurnEnded(_) => "turnEnded",
            Self::AgentExited(_) => "agentExited",
            Self::Unrecognised(_) => "unrecognised",
            Self::TaskStarted(_) => "taskStarted",
            Self::TaskCompleted(_) => "taskCompleted",
            Self::CheckStarted(_) => "checkStarted",
            Self::CheckFinished(_) => "checkFinished",
            Self::GateDecided(_) => "gateDecided",
            Self::FeedbackProposed(_) => "feedbackProposed",
            Self::FeedbackSent(_) => "feedbackSent",
            Self::FeedbackDismissed(_) => "feedbackDismissed",
            Self::TaskFinished(_) => "taskFinished",
            Self::ReviewStarted(_) => "reviewStarted",
            Self::ReviewFinished(_) => "reviewFinished",
            Self::Controls(_) => "controls",
            Self::RateLimits(_) => "rateLimits",
        }
    }
}

/// An agent process started.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SessionStarted {
    /// Which agent.
    pub agent: AgentKind,
    /// The project folder it runs in.
    pub cwd: String,
    /// The executable that was started.
    pub program: String,
    /// Its process id (it also leads the process group Warden kills on stop).
    pub pid: Option<u32>,
    /// Its version, as discovery found it.
    pub version: Option<String>,
    /// The model asked for, if any.
    pub model: Option<String>,
    /// The permission mode asked for.
    pub permission_mode: PermissionMode,
    /// Whether this continues an earlier conversation.
    pub resumed: bool,
}

/// What the agent says about itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AgentInfo {
    /// The agent's session id (needed to resume).
    pub agent_session_id: String,
    /// The model it uses.
    pub model: Option<String>,
    /// Its version.
    pub version: Option<String>,
    /// The tools it offers.
    pub tools: Vec<String>,
}

/// A prompt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UserMessage {
    /// The turn it starts.
    pub turn: TurnId,
    /// What the person wrote (or, for feedback, what Warden sent).
    pub text: String,
    /// Who it comes from: feedback turns are never shown as the person's words. Optional in
    /// the bindings, as events stored before tasks existed lack it.
    #[serde(default)]
    #[specta(optional)]
    pub origin: MessageOrigin,
    /// Files, folders and images it carried (none on events stored before attachments existed,
    /// and left out of the JSON when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[specta(optional)]
    pub attachments: Vec<super::prompt_input::Attachment>,
}

/// A streamed piece of text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MessageChunk {
    /// The message it belongs to.
    pub message_id: MessageId,
    /// Which text block of the message (a message can say something, call a tool, say more).
    pub part: u32,
    /// The subagent call this message belongs to, if any.
    pub parent: Option<ToolCallId>,
    /// The new text, to append.
    pub text: String,
}

/// One entry of a plan or to-do list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PlanEntry {
    /// The agent's id for the entry, where it has one (Claude's task ids).
    pub id: Option<String>,
    /// What is to be done.
    pub content: String,
    /// Progress.
    pub status: PlanEntryStatus,
}

/// Progress of a plan entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum PlanEntryStatus {
    /// Not started.
    Pending,
    /// Being worked on.
    InProgress,
    /// Done.
    Completed,
}

/// The whole current plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// Its entries, in order.
    pub entries: Vec<PlanEntry>,
}

/// How serious a notice is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum NoticeLevel {
    /// For information.
    Info,
    /// Something went wrong or may go wrong.
    Warning,
}

/// A side note from the agent or from Warden.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SessionNotice {
    /// How serious.
    pub level: NoticeLevel,
    /// What to tell the person.
    pub text: String,
}

/// Files the agent changed, recorded together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FileChanges {
    /// The turn they happened in.
    pub turn: TurnId,
    /// The tool call they are tied to; `None` when they could only be tied to the turn.
    pub tool_call_id: Option<ToolCallId>,
    /// The recorded ops, oldest first.
    pub ops: Vec<FileOpSummary>,
    /// Made while no turn of the project ran (the person's editor, a process left running),
    /// seen by the project watcher: `turn` is then 0, which no turn is, there is no tool call,
    /// and the ops belong to no session.
    #[serde(default)]
    pub outside_turn: bool,
}

/// Why a turn ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum StopReason {
    /// The agent finished.
    EndTurn,
    /// The model hit its output limit.
    MaxTokens,
    /// The agent hit its turn limit.
    MaxTurns,
    /// The model refused.
    Refusal,
    /// Interrupted on request.
    Cancelled,
    /// An error ended it (API failure, the agent crashed, …); see `error`.
    Error,
}

/// Token counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type, Default)]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    /// Input tokens.
    pub input_tokens: u64,
    /// Output tokens.
    pub output_tokens: u64,
    /// Input tokens read from the prompt cache.
    pub cache_read_tokens: u64,
    /// Input tokens written to the prompt cache.
    pub cache_creation_tokens: u64,
}

/// A turn is over.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TurnEnded {
    /// Which turn.
    pub turn: TurnId,
    /// Why it ended.
    pub stop_reason: StopReason,
    /// What went wrong, when it did.
    pub error: Option<String>,
    /// Wall time of the turn.
    pub duration_ms: u64,
    /// Tokens used by the turn.
    pub usage: Usage,
    /// What the turn cost, where the agent reports cost.
    pub cost_usd: Option<f64>,
    /// What the session has cost so far, over all its turns and restarts.
    pub session_cost_usd: f64,
    /// Tokens in the model's context at the end of the turn: input, cache read and cache
    /// creation tokens of the turn's last main-thread model request (what Claude's own "context
    /// left" indicator counts). Null when the turn made no model request or the agent does not
    /// say; optional in the bindings, as events stored before Warden recorded it lack it.
    #[serde(default)]
    #[specta(optional)]
    pub context_tokens: Option<u64>,
    /// The size of the model's context window, where the agent reports it (Claude's result
    /// carries it per model; transcripts read from disk do not).
    #[serde(default)]
    #[specta(optional)]
    pub context_window: Option<u64>,
}

/// The agent process ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AgentExited {
    /// Exit code, when it exited normally.
    pub code: Option<i32>,
    /// The signal that ended it, on Unix.
    pub signal: Option<i32>,
    /// Whether Warden asked it to stop (otherwise it crashed or was killed from outside).
    pub expected: bool,
    /// The end of what it wrote to stderr.
    pub stderr_tail: String,
}

/// Output kept as it was.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RawOutput {
    /// Why it was not understood.
    pub reason: String,
    /// The text (invalid UTF-8 replaced; cut after the first 64 KiB).
    pub text: String,
    /// Length of the original line in bytes.
    pub bytes: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turns_stored_before_context_use_was_recorded_still_read() {
        let stored = r#"{"type":"turnEnded","data":{"turn":3,"stopReason":"endTurn","error":null,"durationMs":5,
            "usage":{"inputTokens":1,"outputTokens":2,"cacheReadTokens":0,"cacheCreationTokens":0},"costUsd":null,"sessionCostUsd":0.5}}"#;
        let SessionEventKind::TurnEnded(t) = serde_json::from_str(stored).expect("an old event reads") else { panic!() };
        assert_eq!((t.turn, t.context_tokens, t.context_window), (TurnId(3), None, None));
    }
}
