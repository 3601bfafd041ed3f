//! Typed calls of [`Connection`] for a remote project's task gate (the Checks panel, reviews,
//! pipelines): one [`GateRequest`] arm each, expecting its one [`GateResponse`] arm.

use crate::client::{ClientError, Connection};
use crate::request::{Request, Response};
use crate::request_gate::{GateRequest as Ask, GateResponse as Answer};
use warden_core::agent::AgentView;
use warden_core::checks::{ChecksLogPage, ChecksOverview, ChecksTrustDecision};
use warden_core::pipeline::{PipelineSpec, PipelineState, PlanDecision};
use warden_core::review::{FalsePositive, ReviewScope};
use warden_core::session::{AgentKind, PermissionMode, SessionId, TaskId};

impl Connection {
    /// One gate call whose answer must be the arm `pick` takes.
    pub async fn gate<T>(&self, request: Ask, pick: impl FnOnce(Answer) -> Result<T, String>) -> Result<T, ClientError> {
        match self.call(Request::Gate(request)).await? {
            Response::Gate(answer) => pick(answer).map_err(ClientError::Unexpected),
            other => Err(ClientError::Unexpected(format!("{other:?}"))),
        }
    }

    /// [`Ask::ChecksOverview`].
    pub async fn checks_overview(&self, project: &str) -> Result<ChecksOverview, ClientError> {
        self.gate(Ask::ChecksOverview { project: project.to_owned() }, arm!(Answer::Overview(v))).await
    }

    /// [`Ask::ChecksTrust`].
    pub async fn checks_trust(&self, project: &str, decision: ChecksTrustDecision, sha256: Option<&str>) -> Result<ChecksOverview, ClientError> {
        let ask = Ask::ChecksTrust { project: project.to_owned(), decision, sha256: sha256.map(str::to_owned) };
        self.gate(ask, arm!(Answer::Overview(v))).await
    }

    /// [`Ask::ChecksLog`].
    pub async fn checks_log(&self, path: &str, offset: u64) -> Result<ChecksLogPage, ClientError> {
        self.gate(Ask::ChecksLog { path: path.to_owned(), offset }, arm!(Answer::LogPage(v))).await
    }

    /// [`Ask::ReviewStart`]: the review's id.
    pub async fn review_start(
        &self,
        session: &SessionId,
        scope: ReviewScope,
        agent: AgentKind,
        model: Option<&str>,
        instructions: Option<&str>,
    ) -> Result<String, ClientError> {
        let ask = Ask::ReviewStart {
            session: session.clone(),
            scope,
            agent,
            agent_name: None,
            model: model.map(str::to_owned),
            instructions: instructions.map(str::to_owned),
        };
        self.gate(ask, arm!(Answer::Review(v))).await
    }

    /// [`Ask::ReviewAgents`].
    pub async fn review_agents(&self) -> Result<Vec<AgentView>, ClientError> {
        self.gate(Ask::ReviewAgents, arm!(Answer::Reviewers(v))).await
    }

    /// [`Ask::FalsePositives`].
    pub async fn false_positives(&self, session: &SessionId, task: TaskId) -> Result<Vec<FalsePositive>, ClientError> {
        self.gate(Ask::FalsePositives { session: session.clone(), task }, arm!(Answer::FalsePositives(v))).await
    }

    /// [`Ask::MarkFalsePositive`].
    pub async fn mark_false_positive(&self, session: &SessionId, task: TaskId, file: Option<&str>, title: &str, marked: bool) -> Result<Vec<FalsePositive>, ClientError> {
        let ask = Ask::MarkFalsePositive { session: session.clone(), task, file: file.map(str::to_owned), title: title.to_owned(), marked };
        self.gate(ask, arm!(Answer::FalsePositives(v))).await
    }

    /// [`Ask::PipelineList`].
    pub async fn pipeline_list(&self, project: &str) -> Result<Vec<PipelineSpec>, ClientError> {
        self.gate(Ask::PipelineList { project: project.to_owned() }, arm!(Answer::Pipelines(v))).await
    }

    /// [`Ask::PipelineStart`]: the run's first state.
    pub async fn pipeline_start(&self, project: &str, pipeline: &str, prompt: &str, mode: PermissionMode) -> Result<PipelineState, ClientError> {
        let ask = Ask::PipelineStart { project: project.to_owned(), pipeline: pipeline.to_owned(), prompt: prompt.to_owned(), permission_mode: mode };
        self.gate(ask, arm!(Answer::Pipeline(v))).await
    }

    /// [`Ask::PipelineDecide`].
    pub async fn pipeline_decide(&self, run_id: &str, decision: PlanDecision) -> Result<(), ClientError> {
        self.gate(Ask::PipelineDecide { run_id: run_id.to_owned(), decision }, arm!(Answer::Done)).await
    }

    /// [`Ask::PipelineStop`].
    pub async fn pipeline_stop(&self, run_id: &str) -> Result<(), ClientError> {
        self.gate(Ask::PipelineStop { run_id: run_id.to_owned() }, arm!(Answer::Done)).await
    }

    /// [`Ask::PipelineRuns`].
    pub async fn pipeline_runs(&self, project: &str) -> Result<Vec<PipelineState>, ClientError> {
        self.gate(Ask::PipelineRuns { project: project.to_owned() }, arm!(Answer::Runs(v))).await
    }
}
