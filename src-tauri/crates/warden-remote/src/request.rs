//! The calls a client makes: one [`Request`] arm per engine operation, and the [`Response`] each
//! one answers with. A new operation is one arm here and one handler in `server/handlers.rs`;
//! the types are warden-core's, the same the window's IPC carries.

use serde::{Deserialize, Serialize};
use warden_core::agent::AgentView;
use warden_core::journal::{FileDiff, FileOp, RollbackOutcome, RollbackTarget};
use warden_core::permission::RuleSet;
use warden_core::session::{
    DecisionSource,     FeedbackDecision, PermissionAnswer, PermissionLogEntry, PermissionMode, PermissionRequestId, Sandbox, SessionId, SessionRecord, TaskId,
    TurnId,
};
use warden_core::WorkspaceView;

/// One engine call.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "op", content = "args", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Request {
    /// Answers [`Response::Pong`] at once (liveness, round-trip time).
    Ping,
    /// The projects this engine has open and the recent ones ([`Response::Workspace`]).
    Workspace,
    /// Opens a folder on the host as a project ([`Response::Workspace`]).
    OpenProject {
        /// The folder, as typed (resolved and checked on the host).
        path: String,
    },
    /// Every agent the host can run, as its Agents screen would show them ([`Response::Agents`]).
    Agents,
    /// Starts a session, and its first turn when `prompt` is given ([`Response::Started`]).
    StartSession(StartSession),
    /// Resumes a stored session of the host in a new agent process ([`Response::Started`]).
    ResumeSession {
        /// The session.
        session: SessionId,
        /// A prompt for its next turn.
        prompt: Option<String>,
    },
    /// A new turn of a running session ([`Response::Turn`]).
    Prompt {
        /// The session.
        session: SessionId,
        /// The prompt.
        text: String,
    },
    /// Interrupts the running turn ([`Response::Done`]).
    Interrupt {
        /// The session.
        session: SessionId,
    },
    /// Stops the session's agent ([`Response::Done`]).
    Stop {
        /// The session.
        session: SessionId,
    },
    /// The stored sessions, of one project or all ([`Response::Sessions`]).
    Sessions {
        /// The project folder, as the host resolves it.
        project: Option<String>,
    },
    /// One stored session ([`Response::Session`]).
    Session {
        /// The session.
        session: SessionId,
    },
    /// Streams a session's events after `after_seq` as [`crate::ServerFrame::Event`]s, then
    /// every new one, each once, in order ([`Response::Done`]).
    Subscribe {
        /// The client's id for this subscription (chosen by it, so events that arrive before
        /// the response are already routed).
        subscription: u64,
        /// The session.
        session: SessionId,
        /// The last `seq` the client has; 0 for the whole stream.
        after_seq: u64,
    },
    /// Ends a subscription ([`Response::Done`]).
    Unsubscribe {
        /// The client's id for it.
        subscription: u64,
    },
    /// Answers a permission question of a running session ([`Response::Done`]).
    ResolvePermission {
        /// The session.
        session: SessionId,
        /// The question.
        request_id: PermissionRequestId,
        /// The answer.
        answer: PermissionAnswer,
        /// Who decided, for the audit log: the person by default, or the rule a headless
        /// client applied for them (`--approve allow`, the end of its input).
        #[serde(default)]
        source: Option<DecisionSource>,
    },
    /// Decides what happens to a task's proposed feedback ([`Response::Done`]).
    DecideFeedback {
        /// The session.
        session: SessionId,
        /// The task.
        task: TaskId,
        /// Send, dismiss or accept.
        decision: FeedbackDecision,
        /// The feedback as edited, when sent.
        text: Option<String>,
    },
    /// The journal's recorded changes of a project, or of one of its sessions
    /// ([`Response::FileOps`]).
    FileLog {
        /// The project folder.
        project: String,
        /// Only this session's.
        session: Option<SessionId>,
    },
    /// Recorded changes as diffs ([`Response::FileDiffs`]).
    FileDiff {
        /// The project folder.
        project: String,
        /// Which changes.
        target: RollbackTarget,
    },
    /// Puts files back as they were before recorded changes ([`Response::Rollback`]).
    Rollback {
        /// The project folder.
        project: String,
        /// Which changes.
        target: RollbackTarget,
        /// Overwrite files changed since.
        force: bool,
    },
    /// The project's permission rules ([`Response::Rules`]).
    ProjectRules {
        /// The project folder.
        project: String,
    },
    /// Replaces the project's permission rules ([`Response::Done`]).
    SetProjectRules {
        /// The project folder.
        project: String,
        /// The rules.
        rules: RuleSet,
    },
    /// The permission audit log ([`Response::PermissionLog`]).
    PermissionLog {
        /// The project folder.
        project: String,
        /// Only this session's.
        session: Option<SessionId>,
    },
}

/// What a new session runs (the options of `warden run` that make sense on a host).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StartSession {
    /// The project folder on the host.
    pub project: String,
    /// The agent's id (claude, codex, gemini, another built-in's, or a custom agent's name on
    /// the host); claude when absent.
    pub agent: Option<String>,
    /// The model, when not the agent's default.
    pub model: Option<String>,
    /// How freely the agent may act.
    #[serde(default)]
    pub permission_mode: PermissionMode,
    /// For Codex: its sandbox.
    pub sandbox: Option<Sandbox>,
    /// Whether the project's checks run when a turn ends (the task gate).
    #[serde(default = "yes")]
    pub checks: bool,
    /// The first turn's prompt.
    pub prompt: Option<String>,
}

fn yes() -> bool {
    true
}

/// A session started or resumed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Started {
    /// Its record as stored on the host.
    pub session: SessionRecord,
    /// The turn the prompt started.
    pub turn: Option<TurnId>,
}

/// A request's answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "camelCase")]
pub enum Response {
    /// To [`Request::Ping`].
    Pong,
    /// Done; nothing to return.
    Done,
    /// The engine's projects.
    Workspace(WorkspaceView),
    /// The host's agents.
    Agents(Vec<AgentView>),
    /// A session started or resumed.
    Started(Started),
    /// The turn a prompt started.
    Turn(TurnId),
    /// Stored sessions, newest first.
    Sessions(Vec<SessionRecord>),
    /// One stored session, if there is one.
    Session(Option<SessionRecord>),
    /// Recorded changes.
    FileOps(Vec<FileOp>),
    /// Diffs.
    FileDiffs(Vec<FileDiff>),
    /// How a rollback ended.
    Rollback(RollbackOutcome),
    /// Permission rules.
    Rules(RuleSet),
    /// The permission audit log.
    PermissionLog(Vec<PermissionLogEntry>),
}
