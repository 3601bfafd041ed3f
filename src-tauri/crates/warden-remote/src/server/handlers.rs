//! One handler per [`Request`] arm: each calls the engine the way the window's IPC command for
//! it does, and turns the engine's error into a [`RemoteError`].

use super::Connection;
use crate::protocol::{ErrorKind, RemoteError};
use crate::request::{Request, Response, StartSession, Started};
use std::sync::Arc;
use warden_core::agent::AgentChoice;
use warden_core::session::{DecisionSource, SessionId};
use warden_engine::gate::GateOptions;
use warden_engine::{Engine, NewSession, RunOptions, SessionHandle};

/// Answers one request.
pub(super) async fn handle(conn: &Arc<Connection>, request: Request) -> Result<Response, RemoteError> {
    let server = conn.server();
    match request {
        Request::Ping => Ok(Response::Pong),
        Request::Workspace => Ok(Response::Workspace(workspace_view(server))),
        Request::OpenProject { path } => {
            {
                let mut workspace = server.workspace.lock().unwrap_or_else(|p| p.into_inner());
                warden_engine::open_project(&mut workspace, &path, warden_engine::now_ms()).map_err(RemoteError::bad)?;
            }
            Ok(Response::Workspace(workspace_view(server)))
        }
        Request::Agents => {
            let custom = server.engine.custom_agents().map_err(RemoteError::failed)?;
            let env = warden_engine::agents::DetectEnv::current();
            Ok(Response::Agents(warden_engine::agents::detect_all(&custom, &env).await))
        }
        Request::StartSession(start) => start_session(server, start).await.map(Response::Started),
        Request::ResumeSession { session, prompt } => {
            let handle = server.engine.sessions().resume(&session, RunOptions::default(), server.sink()).await.map_err(start_error)?;
            server.keep(handle.clone());
            started(server, handle, prompt).await.map(Response::Started)
        }
        Request::Prompt { session, text } => {
            let turn = live(&server.engine, &session)?.prompt(text).await.map_err(RemoteError::failed)?;
            Ok(Response::Turn(turn))
        }
        Request::Interrupt { session } => {
            live(&server.engine, &session)?.interrupt().await.map_err(RemoteError::failed)?;
            Ok(Response::Done)
        }
        Request::Stop { session } => {
            live(&server.engine, &session)?.stop().await;
            Ok(Response::Done)
        }
        Request::Sessions { project } => {
            let project = project.map(|p| warden_engine::resolve_project_dir(&p).map(|p| p.to_string_lossy().into_owned())).transpose().map_err(RemoteError::bad)?;
            blocking(server.engine.clone(), move |e| e.store().sessions(project.as_deref())).await.map(Response::Sessions)
        }
        Request::Session { session } => blocking(server.engine.clone(), move |e| e.store().session(&session)).await.map(Response::Session),
        Request::Subscribe { subscription, session, after_seq } => {
            let known = {
                let session = session.clone();
                blocking(server.engine.clone(), move |e| e.store().session(&session)).await?
            };
            if known.is_none() {
                return Err(RemoteError::new(ErrorKind::NotFound, format!("there is no session {session} on this host")));
            }
            conn.subscribe(subscription, session, after_seq);
            Ok(Response::Done)
        }
        Request::Unsubscribe { subscription } => {
            if !conn.unsubscribe(subscription) {
                return Err(RemoteError::new(ErrorKind::NotFound, format!("there is no subscription {subscription}")));
            }
            Ok(Response::Done)
        }
        Request::ResolvePermission { session, request_id, answer, source } => {
            live(&server.engine, &session)?.resolve(request_id, answer, source.unwrap_or(DecisionSource::User)).await.map_err(RemoteError::failed)?;
            Ok(Response::Done)
        }
        Request::DecideFeedback { session, task, decision, text } => {
            live(&server.engine, &session)?.decide_feedback(task, decision, text).await.map_err(RemoteError::failed)?;
            Ok(Response::Done)
        }
        Request::FileLog { project, session } => {
            blocking(server.engine.clone(), move |e| e.files().file_log(&project, session.as_ref())).await.map(Response::FileOps)
        }
        Request::FileDiff { project, target } => {
            blocking(server.engine.clone(), move |e| e.files().file_diff(&project, &target)).await.map(Response::FileDiffs)
        }
        Request::Rollback { project, target, force } => {
            blocking(server.engine.clone(), move |e| e.files().rollback_outcome(&project, target, force)).await.map(Response::Rollback)
        }
        Request::ProjectRules { project } => {
            blocking(server.engine.clone(), move |e| e.permissions().project_rules(&project)).await.map(Response::Rules)
        }
        Request::SetProjectRules { project, rules } => {
            blocking(server.engine.clone(), move |e| e.permissions().set_project_rules(&project, &rules)).await.map(|()| Response::Done)
        }
        Request::PermissionLog { project, session } => {
            blocking(server.engine.clone(), move |e| e.permissions().permission_log(&project, session.as_ref())).await.map(Response::PermissionLog)
        }
    }
}

fn workspace_view(server: &super::Server) -> warden_core::WorkspaceView {
    server.workspace.lock().unwrap_or_else(|p| p.into_inner()).view(warden_engine::folder_exists)
}

/// The running session `id` of this engine.
fn live(engine: &Engine, id: &SessionId) -> Result<SessionHandle, RemoteError> {
    engine.sessions().handle(id).ok_or_else(|| RemoteError::new(ErrorKind::NotFound, format!("session {id} is not running on this host")))
}

/// Runs a store or journal call off the async threads.
async fn blocking<T: Send + 'static, E: std::fmt::Display>(
    engine: Arc<Engine>,
    call: impl FnOnce(&Engine) -> Result<T, E> + Send + 'static,
) -> Result<T, RemoteError> {
    tokio::task::spawn_blocking(move || call(&engine).map_err(RemoteError::failed)).await.map_err(RemoteError::failed)?
}

fn start_error(e: warden_engine::StartError) -> RemoteError {
    use warden_engine::StartError as E;
    let kind = match &e {
        E::UnknownSession(_) => ErrorKind::NotFound,
        E::Project(_) | E::UnknownCustomAgent(_) | E::AlreadyRunning(_) => ErrorKind::BadRequest,
        _ => ErrorKind::Failed,
    };
    RemoteError::new(kind, e.to_string())
}

/// Starts a session the way `warden run` does: the agent picked by its id among the presets and
/// the host's custom agents.
async fn start_session(server: &Arc<super::Server>, start: StartSession) -> Result<Started, RemoteError> {
    let engine = &server.engine;
    let custom = engine.custom_agents().map_err(RemoteError::failed)?;
    let choice = AgentChoice::pick(start.agent.as_deref().unwrap_or("claude"), &custom).map_err(RemoteError::bad)?;
    let name = match &choice {
        AgentChoice::Custom(agent) => Some(agent.name.clone()),
        AgentChoice::Preset(_) => None,
    };
    let (agent_name, sandbox) = warden_core::session::agent_settings(choice.kind(), name, start.sandbox).map_err(RemoteError::bad)?;
    let new = NewSession {
        project: start.project,
        model: start.model,
        permission_mode: start.permission_mode,
        agent: choice.kind(),
        agent_name,
        sandbox,
        run: RunOptions { gate: GateOptions { checks: start.checks, ..GateOptions::default() }, ..RunOptions::default() },
        worktree: None,
        group: None,
    };
    let handle = engine.sessions().start(new, server.sink()).await.map_err(start_error)?;
    server.keep(handle.clone());
    started(server, handle, start.prompt).await
}

/// The started session's record, after its first prompt when there is one.
async fn started(server: &super::Server, handle: SessionHandle, prompt: Option<String>) -> Result<Started, RemoteError> {
    let turn = match prompt {
        Some(text) => Some(handle.prompt(text).await.map_err(RemoteError::failed)?),
        None => None,
    };
    let id = handle.id().clone();
    let record = blocking(server.engine.clone(), move |e| e.store().session(&id)).await?;
    let session = record.ok_or_else(|| RemoteError::failed(format!("session {} was started but is not stored", handle.id())))?;
    Ok(Started { session, turn })
}
