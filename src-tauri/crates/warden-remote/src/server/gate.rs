//! The handlers of [`GateRequest`]: the Checks panel, reviews and pipelines of a remote
//! project, each the same engine or gate call as the window's local command.
//!
//! What a request names is checked here, on the host, before anything is read or run: a project
//! folder is resolved and must be one a client opened on this engine or a worktree it recorded
//! (a folder elsewhere on the host is refused, so a client cannot read or trust the checks of
//! any folder it can name); a log must be under this data folder's checks logs (`panel`
//! canonicalises both sides); a session must be one of this data folder's; a run one of the
//! pipelines started on this server. Trust decisions are written into this host's data folder.

use super::Server;
use crate::protocol::{ErrorKind, RemoteError};
use crate::request_gate::{GateRequest, GateResponse};
use std::path::Path;
use std::sync::Arc;
use warden_core::session::SessionId;
use std::sync::Mutex;
use warden_engine::pipeline::runs::{NoChanges, PipelineRuns, RunsError};
use warden_engine::pipeline::PipelineControl;
use warden_engine::review::{on_demand, ReviewError, ReviewOutcome};
use warden_engine::ReviewAsk;
use warden_gate::panel::{self, PanelError};

/// What clients started here that runs on without them: pipelines (their state, the plan
/// decision, Stop) and reviews. The engine stays up while any of it runs, as for a session.
#[derive(Default)]
pub(super) struct GateWork {
    pipelines: PipelineRuns,
    reviews: Mutex<Vec<tokio::task::JoinHandle<Result<ReviewOutcome, ReviewError>>>>,
}

impl GateWork {
    /// Whether a pipeline or a review is still running.
    pub(super) fn busy(&self) -> bool {
        let mut reviews = self.reviews.lock().unwrap_or_else(|p| p.into_inner());
        reviews.retain(|r| !r.is_finished());
        !reviews.is_empty() || self.pipelines.any_running()
    }
}

/// Answers one gate call.
pub(super) async fn handle(server: &Arc<Server>, call: GateRequest) -> Result<GateResponse, RemoteError> {
    let data_dir = server.data_dir.clone();
    match call {
        GateRequest::ChecksOverview { project } => {
            let folder = server.known_folder(&project).await?;
            off_thread(move || panel::checks_overview(&folder, &data_dir).map_err(panel_error)).await.map(GateResponse::Overview)
        }
        GateRequest::ChecksTrust { project, decision, sha256 } => {
            let folder = server.known_folder(&project).await?;
            off_thread(move || panel::decide_trust(&folder, &data_dir, decision, sha256.as_deref()).map_err(panel_error)).await.map(GateResponse::Overview)
        }
        GateRequest::ChecksLog { path, offset } => {
            off_thread(move || panel::log_page(&data_dir, Path::new(&path), offset).map_err(panel_error)).await.map(GateResponse::LogPage)
        }
        GateRequest::ReviewStart { session, scope, agent, agent_name, model, instructions } => {
            stored(server, &session).await?;
            let ask = ReviewAsk::on_demand(session, scope, agent, agent_name, model, instructions);
            // The reviewer's events and the review's reports go to this host's subscribers: the
            // reviewed session's stream carries `reviewStarted` / `reviewFinished`.
            let started = server.engine.review_session(ask, server.sink(), server.sink()).map_err(review_error)?;
            server.gate.reviews.lock().unwrap_or_else(|p| p.into_inner()).push(started.done);
            Ok(GateResponse::Review(started.review))
        }
        GateRequest::ReviewAgents => {
            let custom = server.engine.custom_agents().map_err(RemoteError::failed)?;
            Ok(GateResponse::Reviewers(on_demand::reviewers(&custom).await))
        }
        GateRequest::FalsePositives { session, task } => {
            stored(server, &session).await?;
            let engine = server.engine.clone();
            off_thread(move || engine.store().false_positives(&session, task).map_err(RemoteError::failed)).await.map(GateResponse::FalsePositives)
        }
        GateRequest::MarkFalsePositive { session, task, file, title, marked } => {
            stored(server, &session).await?;
            let engine = server.engine.clone();
            off_thread(move || on_demand::mark_false_positive(engine.store(), &session, task, file.as_deref(), &title, marked).map_err(RemoteError::failed))
                .await
                .map(GateResponse::FalsePositives)
        }
        GateRequest::PipelineList { project } => {
            let folder = server.known_folder(&project).await?;
            off_thread(move || warden_engine::pipeline::configured(&folder, &data_dir).map_err(RemoteError::bad)).await.map(GateResponse::Pipelines)
        }
        GateRequest::PipelineStart { project, pipeline, prompt, permission_mode } => {
            warden_engine::pipeline::runs::need_task(&prompt).map_err(runs_error)?;
            let folder = server.known_folder(&project).await?;
            let spec = {
                let (folder, data_dir) = (folder.clone(), data_dir.clone());
                off_thread(move || warden_engine::pipeline::find(&folder, &data_dir, &pipeline).map_err(RemoteError::bad)).await?
            };
            start_pipeline(server, &folder, spec, prompt, permission_mode)
        }
        GateRequest::PipelineStartSpec { project, spec, prompt, permission_mode } => {
            warden_engine::pipeline::runs::need_task(&prompt).map_err(runs_error)?;
            let folder = server.known_folder(&project).await?;
            warden_gate::config::pipeline::check_spec(&spec).map_err(RemoteError::bad)?;
            start_pipeline(server, &folder, spec, prompt, permission_mode)
        }
        GateRequest::PipelineSave { project, spec, replace } => {
            let folder = server.known_folder(&project).await?;
            off_thread(move || {
                warden_gate::config::save::save_pipeline(&folder, &data_dir, &spec, replace).map_err(RemoteError::bad)?;
                warden_engine::pipeline::configured(&folder, &data_dir).map_err(RemoteError::bad)
            })
            .await
            .map(GateResponse::Pipelines)
        }
        GateRequest::PipelineDecide { run_id, decision } => {
            server.gate.pipelines.control(&run_id, PipelineControl::Plan(decision)).map_err(runs_error).map(|()| GateResponse::Done)
        }
        GateRequest::PipelineStop { run_id } => server.gate.pipelines.control(&run_id, PipelineControl::Stop).map_err(runs_error).map(|()| GateResponse::Done),
        GateRequest::PipelineRuns { project } => {
            let folder = server.known_folder(&project).await?;
            Ok(GateResponse::Runs(server.gate.pipelines.of_project(&folder)))
        }
    }
}

/// Starts a pipeline on this host: its step sessions report to this host's subscribers, its
/// state is kept for the clients' [`GateRequest::PipelineRuns`].
fn start_pipeline(
    server: &Arc<Server>,
    folder: &Path,
    spec: warden_core::pipeline::PipelineSpec,
    prompt: String,
    mode: warden_core::session::PermissionMode,
) -> Result<GateResponse, RemoteError> {
    let request = warden_engine::pipeline::runs::request(folder, spec, prompt, mode);
    let first = server.gate.pipelines.start(&server.engine, request, server.sink(), Arc::new(NoChanges)).map_err(runs_error)?;
    Ok(GateResponse::Pipeline(first))
}

/// Refuses a session this data folder does not hold (running here or stored here).
async fn stored(server: &Arc<Server>, id: &SessionId) -> Result<(), RemoteError> {
    if server.engine.sessions().handle(id).is_some() {
        return Ok(());
    }
    let (engine, session) = (server.engine.clone(), id.clone());
    match off_thread(move || engine.store().session(&session).map_err(RemoteError::failed)).await? {
        Some(_) => Ok(()),
        None => Err(RemoteError::new(ErrorKind::NotFound, format!("there is no session {id} on this host"))),
    }
}

/// Runs file and store work off the async threads.
async fn off_thread<T: Send + 'static>(work: impl FnOnce() -> Result<T, RemoteError> + Send + 'static) -> Result<T, RemoteError> {
    tokio::task::spawn_blocking(work).await.map_err(RemoteError::failed)?
}

/// What the person could fix (a file with errors, a changed file, no such log) is a bad
/// request; a record that cannot be written is a failure.
fn panel_error(e: PanelError) -> RemoteError {
    match e {
        PanelError::Trust(_) | PanelError::Io(_) => RemoteError::failed(e),
        _ => RemoteError::bad(e),
    }
}

fn review_error(e: ReviewError) -> RemoteError {
    use ReviewError as E;
    match e {
        E::UnknownSession(_) => RemoteError::new(ErrorKind::NotFound, e.to_string()),
        E::Store(_) => RemoteError::failed(e),
        _ => RemoteError::bad(e),
    }
}

fn runs_error(e: RunsError) -> RemoteError {
    match e {
        RunsError::Unknown(_) => RemoteError::new(ErrorKind::NotFound, e.to_string()),
        _ => RemoteError::bad(e),
    }
}
