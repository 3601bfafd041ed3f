//! The task gate's calls of a remote project, carried as one [`crate::Request::Gate`] arm: the
//! Checks panel (the merged configuration, the trust decision, a check's log), reviews asked
//! for by the person (start one, the agents that can review, false-positive marks) and
//! pipelines (list, start, save, the plan decision, Stop, the runs). Each answers with one
//! [`GateResponse`] arm carrying the same type the window's local command returns.
//!
//! Everything is decided on the host: a project folder must be one the host has open (or a
//! worktree it made), a log one of its own checks' logs, a session one of its own, a run one
//! of its own pipelines; trust decisions are kept in the host's data folder.

use serde::{Deserialize, Serialize};
use specta::Type;
use warden_core::agent::AgentView;
use warden_core::checks::{ChecksLogPage, ChecksOverview, ChecksTrustDecision};
use warden_core::pipeline::{PipelineSpec, PipelineState, PlanDecision};
use warden_core::review::{FalsePositive, ReviewScope};
use warden_core::session::{AgentKind, PermissionMode, SessionId, TaskId};

/// One call of the task gate.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(tag = "op", content = "args", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum GateRequest {
    /// The project's merged checks configuration with its trust ([`GateResponse::Overview`]).
    ChecksOverview {
        /// A project open on the host.
        project: String,
    },
    /// The person's decision about the project's checks file as it was shown
    /// ([`GateResponse::Overview`], as it is after the decision).
    ChecksTrust {
        /// A project open on the host.
        project: String,
        /// Trust, run once, don't run, or forget.
        decision: ChecksTrustDecision,
        /// The hash of the content shown; refused when the file changed since.
        sha256: Option<String>,
    },
    /// A page of a check's log on the host ([`GateResponse::LogPage`]).
    ChecksLog {
        /// The log's path as the check's events name it.
        path: String,
        /// Where the page starts.
        offset: u64,
    },
    /// Starts a review of a session of the host in the background ([`GateResponse::Review`]:
    /// its id); `reviewStarted` and `reviewFinished` follow in the session's stream.
    ReviewStart {
        /// The reviewed session.
        session: SessionId,
        /// What of it.
        scope: ReviewScope,
        /// The reviewer's agent.
        agent: AgentKind,
        /// A custom agent's name on the host.
        agent_name: Option<String>,
        /// The reviewer's model, when not the agent's default.
        model: Option<String>,
        /// What the reviewer should look at.
        instructions: Option<String>,
    },
    /// The host's agents that can review now ([`GateResponse::Reviewers`]).
    ReviewAgents,
    /// The findings marked as false positives in a task ([`GateResponse::FalsePositives`]).
    FalsePositives {
        /// The session.
        session: SessionId,
        /// The task.
        task: TaskId,
    },
    /// Marks a finding as a false positive, or takes the mark back
    /// ([`GateResponse::FalsePositives`]: the task's marks after).
    MarkFalsePositive {
        /// The session.
        session: SessionId,
        /// The task.
        task: TaskId,
        /// The finding's file.
        file: Option<String>,
        /// The finding's title.
        title: String,
        /// Marked, or taken back.
        marked: bool,
    },
    /// The project's enabled pipelines ([`GateResponse::Pipelines`]).
    PipelineList {
        /// A project open on the host.
        project: String,
    },
    /// Starts a configured pipeline on the host ([`GateResponse::Pipeline`]: its first state).
    PipelineStart {
        /// A project open on the host.
        project: String,
        /// The pipeline's id.
        pipeline: String,
        /// The task.
        prompt: String,
        /// The implementer's permission mode.
        permission_mode: PermissionMode,
    },
    /// Starts a pipeline given whole, after the checks a `[[pipeline]]` gets
    /// ([`GateResponse::Pipeline`]).
    PipelineStartSpec {
        /// A project open on the host.
        project: String,
        /// The pipeline.
        spec: PipelineSpec,
        /// The task.
        prompt: String,
        /// The implementer's permission mode.
        permission_mode: PermissionMode,
    },
    /// Saves a pipeline into the person's layer on the host ([`GateResponse::Pipelines`]).
    PipelineSave {
        /// A project open on the host.
        project: String,
        /// The pipeline.
        spec: PipelineSpec,
        /// Replace one with the same id.
        replace: bool,
    },
    /// The person's decision on the plan a run of the host waits with ([`GateResponse::Done`]).
    PipelineDecide {
        /// The run.
        run_id: String,
        /// Approve (maybe edited) or reject.
        decision: PlanDecision,
    },
    /// Stops a run of the host ([`GateResponse::Done`]).
    PipelineStop {
        /// The run.
        run_id: String,
    },
    /// The host's runs of a project, oldest first, as they are now ([`GateResponse::Runs`]).
    PipelineRuns {
        /// A project open on the host.
        project: String,
    },
}

/// A gate call's answer.
// A message built once, sent and dropped: boxing the large arms would only add allocations.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(tag = "type", content = "data", rename_all = "camelCase")]
pub enum GateResponse {
    /// Done; nothing to return.
    Done,
    /// The checks configuration.
    Overview(ChecksOverview),
    /// A page of a log.
    LogPage(ChecksLogPage),
    /// A review started: its id.
    Review(String),
    /// Agents that can review.
    Reviewers(Vec<AgentView>),
    /// False-positive marks.
    FalsePositives(Vec<FalsePositive>),
    /// Pipelines.
    Pipelines(Vec<PipelineSpec>),
    /// A run's state.
    Pipeline(PipelineState),
    /// Runs' states.
    Runs(Vec<PipelineState>),
}
