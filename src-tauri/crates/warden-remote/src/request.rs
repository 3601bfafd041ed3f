//! The calls a client makes: one [`Request`] arm per engine operation, and the [`Response`] each
//! one answers with. A new operation is one arm here and one handler in `server/handlers.rs`;
//! the types are warden-core's, the same the window's IPC carries.

use serde::{Deserialize, Serialize};
use specta::Type;
use warden_core::agent::AgentView;
use warden_core::finder::FoundPaths;
use warden_core::journal::{
    FileDiff, FileHunks, FileOp, HunkComment, HunkRevertPlan, NewHunkComment, OpId, RollbackId, RollbackOutcome, RollbackPlan, RollbackTarget,
};
use warden_core::permission::RuleSet;
use warden_core::search::{OutputMatches, SearchHit};
use warden_core::session::{
    DecisionSource, Effort, FeedbackDecision, PermissionAnswer, PermissionLogEntry, PermissionMode, PermissionRequestId, PromptImage, PromptInput,
    QuestionAnswer, Sandbox, SessionEvent, SessionId, SessionRecord, TaskId, TurnId,
};
use warden_core::terminal::{TerminalCommand, TerminalId, TerminalOpened};
use warden_core::worktree::WorktreeStart;
use warden_core::WorkspaceView;

/// One engine call.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
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

    // Sessions: the stored transcript, and the controls of a running session.
    /// A session's stored events after `after_seq` (0 for all), tool outputs larger than
    /// [`BACKLOG_OUTPUT_LIMIT`] left out, as the window's `session_events` ([`Response::Events`]).
    Events {
        /// The session.
        session: SessionId,
        /// The last `seq` the client has.
        after_seq: u64,
    },
    /// One stored event, whole: an output the backlog left out ([`Response::Event`]).
    Event {
        /// The session.
        session: SessionId,
        /// Its `seq`.
        seq: u64,
    },
    /// An image a prompt of the session carried, by the file name its stored `userMessage`
    /// names ([`Response::Image`]).
    SessionImage {
        /// The session.
        session: SessionId,
        /// The image's file name.
        file: String,
    },
    /// A new turn with mentions and images, checked first ([`Response::Turn`]).
    PromptInput {
        /// The session.
        session: SessionId,
        /// The prompt.
        prompt: PromptInput,
    },
    /// Switches a running session's permission mode ([`Response::Done`]).
    SetMode {
        /// The session.
        session: SessionId,
        /// The new mode.
        mode: PermissionMode,
    },
    /// Replaces a running session's own rules ([`Response::Done`]).
    SetSessionRules {
        /// The session.
        session: SessionId,
        /// Its rules.
        rules: RuleSet,
    },
    /// Sends words into the running turn, where the agent can steer ([`Response::Done`]).
    Steer {
        /// The session.
        session: SessionId,
        /// The words.
        text: String,
    },
    /// Switches the model and/or effort (`None`: unchanged), where the agent allows it
    /// ([`Response::Done`]).
    SetModel {
        /// The session.
        session: SessionId,
        /// The model.
        model: Option<String>,
        /// The effort.
        effort: Option<Effort>,
    },
    /// Answers a question with choices (AskUserQuestion, request_user_input): one answer per
    /// question answered ([`Response::Done`]). Declining is a denial through
    /// [`Request::ResolvePermission`].
    AnswerQuestion {
        /// The session.
        session: SessionId,
        /// The waiting question.
        request_id: PermissionRequestId,
        /// The answers.
        answers: Vec<QuestionAnswer>,
    },
    /// Runs a task's checks again, only the failed ones with `only_failed` ([`Response::Done`]).
    TaskRerun {
        /// The session.
        session: SessionId,
        /// The task.
        task: TaskId,
        /// Only those that failed.
        only_failed: bool,
    },

    // Files: what agents changed, rollbacks and their plans, per-hunk decisions.
    /// What rolling back `target` would do, without doing it ([`Response::RollbackPlan`]).
    FileRollbackPlan {
        /// The project folder.
        project: String,
        /// Which changes.
        target: RollbackTarget,
    },
    /// Undoes a rollback ([`Response::Rollback`]).
    Redo {
        /// The project folder.
        project: String,
        /// The rollback.
        rollback_id: RollbackId,
        /// Overwrite files changed since.
        force: bool,
    },
    /// What undoing a rollback would do ([`Response::RollbackPlan`]).
    RedoPlan {
        /// The project folder.
        project: String,
        /// The rollback.
        rollback_id: RollbackId,
    },
    /// The hunks of the change `ops` made, with the person's decisions ([`Response::Hunks`]).
    Hunks {
        /// The project folder.
        project: String,
        /// The change's ops (of one text file).
        ops: Vec<OpId>,
    },
    /// What reverting some hunks would do ([`Response::HunkRevertPlan`]).
    HunkRevertPlan {
        /// The project folder.
        project: String,
        /// The change's ops.
        ops: Vec<OpId>,
        /// The hunks, numbered from 1.
        hunks: Vec<u32>,
    },
    /// Reverts some hunks of a change ([`Response::Rollback`]).
    RevertHunks {
        /// The project folder.
        project: String,
        /// The change's ops.
        ops: Vec<OpId>,
        /// The hunks, numbered from 1.
        hunks: Vec<u32>,
        /// Overwrite hunks changed since.
        force: bool,
    },
    /// Marks a hunk kept, or open again ([`Response::Done`]).
    KeepHunk {
        /// The project folder.
        project: String,
        /// The session whose change it is.
        session: SessionId,
        /// The file, relative to the project.
        path: String,
        /// The hunk's fingerprint.
        fingerprint: String,
        /// Kept, or open again.
        kept: bool,
    },
    /// Stores the person's comment on a change ([`Response::Comment`]).
    AddComment {
        /// The project folder.
        project: String,
        /// The comment.
        comment: NewHunkComment,
    },
    /// The person's comments on a session's changes ([`Response::Comments`]).
    Comments {
        /// The project folder.
        project: String,
        /// The session.
        session: SessionId,
        /// Only those not sent yet.
        unsent: bool,
    },
    /// Removes a comment ([`Response::Removed`]).
    DeleteComment {
        /// The project folder.
        project: String,
        /// The comment.
        id: u64,
    },
    /// Records that comments went to the agent ([`Response::Done`]).
    MarkCommentsSent {
        /// The project folder.
        project: String,
        /// The comments.
        ids: Vec<u64>,
    },
    /// The project's files and folders that best match `query`, for `@` mentions
    /// ([`Response::Found`]).
    FilesFind {
        /// The project folder.
        project: String,
        /// What was typed after `@`.
        query: String,
        /// At most this many.
        limit: u32,
    },

    // Search over stored sessions.
    /// Full-text search over every stored session of a project ([`Response::SearchHits`]).
    SearchProject {
        /// The project folder.
        project: String,
        /// The query.
        query: String,
        /// At most this many hits (capped by the store).
        limit: u32,
    },
    /// How often `needle` occurs in stored tool outputs of a session ([`Response::OutputMatches`]).
    SearchOutputs {
        /// The session.
        session: SessionId,
        /// The tool call updates' `seq`s.
        seqs: Vec<u64>,
        /// What to count, ignoring case.
        needle: String,
    },

    // Terminals on the host.
    /// Opens a terminal in a folder the engine knows (an open project or one of its
    /// worktrees), running the person's shell there or `command`'s agent interface
    /// ([`Response::TerminalOpened`]). Its output is read with [`Request::TerminalSubscribe`].
    TerminalOpen {
        /// The folder: an open project of this engine, or a worktree it recorded.
        project: String,
        /// Width in cells.
        cols: u16,
        /// Height in cells.
        rows: u16,
        /// An agent's interface instead of the shell.
        command: Option<TerminalCommand>,
    },
    /// Types `data` into the terminal ([`Response::Done`]).
    TerminalWrite {
        /// The terminal.
        id: TerminalId,
        /// Keys or pasted text.
        data: String,
    },
    /// Gives the terminal a new size ([`Response::Done`]).
    TerminalResize {
        /// The terminal.
        id: TerminalId,
        /// Width in cells.
        cols: u16,
        /// Height in cells.
        rows: u16,
    },
    /// Closes the terminal: its processes are ended ([`Response::Done`]; closing one already
    /// gone is no error).
    TerminalClose {
        /// The terminal.
        id: TerminalId,
    },
    /// Streams the terminal's output after `after_seq` as [`crate::ServerFrame::Terminal`]s,
    /// each once, in order, its exit last ([`Response::TerminalSubscribed`]).
    TerminalSubscribe {
        /// The client's id for this subscription.
        subscription: u64,
        /// The terminal.
        id: TerminalId,
        /// The last `seq` of this terminal the client has; 0 for everything kept.
        after_seq: u64,
    },

    /// A worktree or best-of-N call ([`Response::Worktrees`]).
    Worktrees(crate::request_worktrees::WorktreesRequest),
    /// A task gate call: the Checks panel, reviews, pipelines ([`Response::Gate`]).
    Gate(crate::request_gate::GateRequest),
    /// A call about the host itself: agent installs and logins there, its usage ([`Response::Host`]).
    Host(crate::request_host::HostRequest),
}

/// What a new session runs (the options of `warden run` that make sense on a host).
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StartSession {
    /// The project folder on the host.
    pub project: String,
    /// The agent's id (claude, codex, gemini, another built-in's, or a custom agent's name on
    /// the host); claude when absent.
    pub agent: Option<String>,
    /// A custom agent's name on the host, as the window's New Session dialog names it (then
    /// `agent` is `custom` or absent).
    #[serde(default)]
    pub agent_name: Option<String>,
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
    /// In a new worktree of the project, as the window's New Session dialog asks.
    #[serde(default)]
    pub worktree: Option<WorktreeStart>,
}

fn yes() -> bool {
    true
}

/// A session started or resumed.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Started {
    /// Its record as stored on the host.
    pub session: SessionRecord,
    /// The turn the prompt started.
    pub turn: Option<TurnId>,
    /// What the person should know about a new worktree (a detached base, a setup that did not
    /// run).
    #[serde(default)]
    pub notes: Vec<String>,
}

/// Tool outputs larger than this (bytes) come without their text in [`Request::Events`]'
/// answer, as in the window's own backlog; [`Request::Event`] reads one whole.
pub const BACKLOG_OUTPUT_LIMIT: usize = 4096;

/// A request's answer.
// A message built once, sent and dropped: boxing the large arms would only add allocations.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
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
    /// Stored events of a session.
    Events(Vec<SessionEvent>),
    /// One stored event, if there is one.
    Event(Option<SessionEvent>),
    /// An image a prompt carried.
    Image(PromptImage),
    /// What a rollback (or undoing one) would do.
    RollbackPlan(RollbackPlan),
    /// A change's hunks.
    Hunks(FileHunks),
    /// What reverting hunks would do.
    HunkRevertPlan(HunkRevertPlan),
    /// A stored comment.
    Comment(HunkComment),
    /// Comments.
    Comments(Vec<HunkComment>),
    /// Whether there was one to remove.
    Removed(bool),
    /// Files and folders found.
    Found(FoundPaths),
    /// Search hits, best first.
    SearchHits(Vec<SearchHit>),
    /// Matches in stored outputs.
    OutputMatches(Vec<OutputMatches>),
    /// A terminal opened.
    TerminalOpened(TerminalOpened),
    /// A terminal subscription started.
    TerminalSubscribed(TerminalSubscribed),
    /// A worktree or best-of-N call's answer.
    Worktrees(crate::request_worktrees::WorktreesResponse),
    /// A task gate call's answer.
    Gate(crate::request_gate::GateResponse),
    /// The answer to a [`Request::Host`].
    Host(crate::request_host::HostResponse),
}

/// A terminal subscription started: where its output begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TerminalSubscribed {
    /// The `seq` of the first output the host still keeps. Greater than the subscription's
    /// `after_seq + 1` when older output was dropped to keep the host's memory bounded: the
    /// client then shows what follows without the part in between.
    pub first_seq: u64,
}
