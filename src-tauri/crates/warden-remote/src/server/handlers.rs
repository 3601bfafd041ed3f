//! One handler per [`Request`] arm: each calls the engine the way the window's IPC command for
//! it does, and turns the engine's error into a [`RemoteError`].
//!
//! What a request names is checked on the host with the engine's own checks before anything is
//! done: a project folder is resolved by `resolve_project_dir` (and the files calls resolve it
//! again themselves), a path inside it is split by `mention_components` (no absolute path, no
//! `..`), a terminal starts only in a project this engine has open or a worktree it recorded,
//! and a session must be one of this data folder's (its store or its running sessions).

use super::Connection;
use crate::protocol::{ErrorKind, RemoteError};
use crate::request::{Request, Response, StartSession, Started, TerminalSubscribed, BACKLOG_OUTPUT_LIMIT};
use std::path::PathBuf;
use std::sync::Arc;
use warden_core::agent::AgentChoice;
use warden_core::session::{DecisionSource, PermissionAnswer, SessionId};
use warden_core::terminal::TerminalOpened;
use warden_engine::gate::GateOptions;
use warden_engine::terminal::{panel_spec, TerminalError};
use warden_engine::{Engine, NewSession, RunOptions, SessionError, SessionHandle};

/// Tool outputs one [`Request::SearchOutputs`] looks into at most (as the window's command).
const MAX_OUTPUTS: usize = 20_000;

/// Answers one request.
pub(super) async fn handle(conn: &Arc<Connection>, request: Request) -> Result<Response, RemoteError> {
    let server = conn.server();
    match request {
        Request::Ping => Ok(Response::Pong),
        Request::Workspace => Ok(Response::Workspace(workspace_view(server))),
        Request::OpenProject { path } => {
            // "~/app" from the window means this host's home, which only this side knows.
            let path = warden_engine::expand_home(&path, warden_engine::own_home().as_deref()).map_err(RemoteError::bad)?;
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
            let turn = live(&server.engine, &session)?.prompt(text).await.map_err(session_error)?;
            Ok(Response::Turn(turn))
        }
        Request::Interrupt { session } => {
            live(&server.engine, &session)?.interrupt().await.map_err(session_error)?;
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
            live(&server.engine, &session)?.resolve(request_id, answer, source.unwrap_or(DecisionSource::User)).await.map_err(session_error)?;
            Ok(Response::Done)
        }
        Request::DecideFeedback { session, task, decision, text } => {
            live(&server.engine, &session)?.decide_feedback(task, decision, text).await.map_err(session_error)?;
            Ok(Response::Done)
        }
        Request::FileLog { project, session } => files(server, move |f| f.file_log(&project, session.as_ref())).await.map(Response::FileOps),
        Request::FileDiff { project, target } => files(server, move |f| f.file_diff(&project, &target)).await.map(Response::FileDiffs),
        Request::Rollback { project, target, force } => {
            files(server, move |f| f.rollback_outcome(&project, target, force)).await.map(Response::Rollback)
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

        Request::Events { session, after_seq } => {
            stored(&server.engine, &session).await?;
            let events = blocking(server.engine.clone(), move |e| e.store().events(&session, after_seq)).await?;
            Ok(Response::Events(events.into_iter().map(|e| e.with_output_elided(BACKLOG_OUTPUT_LIMIT)).collect()))
        }
        Request::Event { session, seq } => {
            stored(&server.engine, &session).await?;
            blocking(server.engine.clone(), move |e| e.store().event(&session, seq)).await.map(Response::Event)
        }
        Request::SessionImage { session, file } => {
            // The id names a folder of the data folder: only one of this store's sessions.
            stored(&server.engine, &session).await?;
            let data_dir = server.data_dir.clone();
            let image = tokio::task::spawn_blocking(move || warden_engine::session::prompt_input::read_image(&data_dir, &session, &file))
                .await
                .map_err(RemoteError::failed)?;
            image.map(Response::Image).map_err(RemoteError::bad)
        }
        Request::PromptInput { session, prompt } => {
            let turn = live(&server.engine, &session)?.prompt_input(prompt).await.map_err(session_error)?;
            Ok(Response::Turn(turn))
        }
        Request::SetMode { session, mode } => {
            live(&server.engine, &session)?.set_mode(mode).await.map_err(session_error)?;
            Ok(Response::Done)
        }
        Request::SetSessionRules { session, rules } => {
            live(&server.engine, &session)?.set_session_rules(rules).await.map_err(session_error)?;
            Ok(Response::Done)
        }
        Request::Steer { session, text } => {
            live(&server.engine, &session)?.steer(text).await.map_err(session_error)?;
            Ok(Response::Done)
        }
        Request::SetModel { session, model, effort } => {
            live(&server.engine, &session)?.set_model(model, effort).await.map_err(session_error)?;
            Ok(Response::Done)
        }
        Request::AnswerQuestion { session, request_id, answers } => {
            let handle = live(&server.engine, &session)?;
            handle.resolve(request_id, PermissionAnswer::answered(answers), DecisionSource::User).await.map_err(session_error)?;
            Ok(Response::Done)
        }
        Request::TaskRerun { session, task, only_failed } => {
            live(&server.engine, &session)?.rerun_checks(task, only_failed).await.map_err(session_error)?;
            Ok(Response::Done)
        }

        Request::FileRollbackPlan { project, target } => {
            files(server, move |f| f.rollback_plan(&project, &target)).await.map(Response::RollbackPlan)
        }
        Request::Redo { project, rollback_id, force } => {
            files(server, move |f| f.redo_outcome(&project, rollback_id, force)).await.map(Response::Rollback)
        }
        Request::RedoPlan { project, rollback_id } => files(server, move |f| f.redo_plan(&project, rollback_id)).await.map(Response::RollbackPlan),
        Request::Hunks { project, ops } => files(server, move |f| f.file_hunks(&project, &ops)).await.map(Response::Hunks),
        Request::HunkRevertPlan { project, ops, hunks } => {
            files(server, move |f| f.hunk_revert_plan(&project, &ops, &hunks)).await.map(Response::HunkRevertPlan)
        }
        Request::RevertHunks { project, ops, hunks, force } => {
            files(server, move |f| f.revert_hunks_outcome(&project, &ops, &hunks, force)).await.map(Response::Rollback)
        }
        Request::KeepHunk { project, session, path, fingerprint, kept } => {
            inside_project(&path)?;
            stored(&server.engine, &session).await?;
            files(server, move |f| f.keep_hunk(&project, &path, &fingerprint, &session, kept)).await.map(|()| Response::Done)
        }
        Request::AddComment { project, comment } => {
            inside_project(&comment.path)?;
            stored(&server.engine, &comment.session_id).await?;
            files(server, move |f| f.add_comment(&project, comment)).await.map(Response::Comment)
        }
        Request::Comments { project, session, unsent } => {
            stored(&server.engine, &session).await?;
            files(server, move |f| f.comments(&project, &session, unsent)).await.map(Response::Comments)
        }
        Request::DeleteComment { project, id } => files(server, move |f| f.delete_comment(&project, id)).await.map(Response::Removed),
        Request::MarkCommentsSent { project, ids } => {
            files(server, move |f| f.mark_comments_sent(&project, &ids)).await.map(|()| Response::Done)
        }
        Request::FilesFind { project, query, limit } => {
            let project = project_dir(&project)?;
            let finder = server.finder.clone();
            tokio::task::spawn_blocking(move || finder.find(&project, &query, limit as usize)).await.map(Response::Found).map_err(RemoteError::failed)
        }

        Request::SearchProject { project, query, limit } => {
            let project = project_dir(&project)?;
            let engine = server.engine.clone();
            let hits = tokio::task::spawn_blocking(move || engine.store().search_project(&project.to_string_lossy(), &query, limit as usize))
                .await
                .map_err(RemoteError::failed)?;
            hits.map(Response::SearchHits).map_err(|e| match e {
                warden_engine::store::SearchError::Query(e) => RemoteError::bad(e),
                warden_engine::store::SearchError::Store(e) => RemoteError::failed(format!("the search failed: {e}")),
            })
        }
        Request::SearchOutputs { session, seqs, needle } => {
            if seqs.len() > MAX_OUTPUTS {
                return Err(RemoteError::bad(format!("at most {MAX_OUTPUTS} outputs can be searched at once, not {}", seqs.len())));
            }
            stored(&server.engine, &session).await?;
            blocking(server.engine.clone(), move |e| e.store().output_matches(&session, &seqs, &needle)).await.map(Response::OutputMatches)
        }

        Request::TerminalOpen { project, cols, rows, command } => terminal_open(server, &project, cols, rows, command).await.map(Response::TerminalOpened),
        Request::TerminalWrite { id, data } => server.terminals.write(id, data.as_bytes()).map(|()| Response::Done).map_err(terminal_error),
        Request::TerminalResize { id, cols, rows } => server.terminals.resize(id, cols, rows).map(|()| Response::Done).map_err(terminal_error),
        Request::TerminalClose { id } => server.terminals.close(id).map(|()| Response::Done).map_err(terminal_error),
        Request::TerminalSubscribe { subscription, id, after_seq } => {
            let first_seq = conn.subscribe_terminal(subscription, id, after_seq).map_err(terminal_error)?;
            Ok(Response::TerminalSubscribed(TerminalSubscribed { first_seq }))
        }
        Request::Worktrees(call) => super::worktrees::handle(server, call).await.map(Response::Worktrees),
        Request::Gate(call) => super::gate::handle(server, call).await.map(Response::Gate),
        Request::Host(call) => super::host::handle(server, call).await.map(Response::Host),
    }
}

/// A project folder as the host resolves it (the engine's own check: an existing, readable
/// folder, links resolved).
fn project_dir(project: &str) -> Result<PathBuf, RemoteError> {
    warden_engine::resolve_project_dir(project).map_err(RemoteError::bad)
}

/// Refuses a project-relative path that could leave the project (absolute, `..`), with the
/// same check a prompt's mentions get.
fn inside_project(path: &str) -> Result<(), RemoteError> {
    warden_core::session::prompt_input::mention_components(path).map(|_| ()).map_err(|e| RemoteError::bad(format!("{path}: {e}")))
}

/// Refuses a session this data folder does not hold (running here or stored here).
async fn stored(engine: &Arc<Engine>, id: &SessionId) -> Result<(), RemoteError> {
    if engine.sessions().handle(id).is_some() {
        return Ok(());
    }
    let session = id.clone();
    match blocking(engine.clone(), move |e| e.store().session(&session)).await? {
        Some(_) => Ok(()),
        None => Err(RemoteError::new(ErrorKind::NotFound, format!("there is no session {id} on this host"))),
    }
}

/// Opens a terminal where the window's Terminal panel would, but only in a folder this engine
/// knows: a project a client opened here, or a worktree it recorded.
async fn terminal_open(
    server: &Arc<super::Server>,
    project: &str,
    cols: u16,
    rows: u16,
    command: Option<warden_core::terminal::TerminalCommand>,
) -> Result<TerminalOpened, RemoteError> {
    let cwd = server.known_folder(project).await?;
    let resume = match command.as_ref().and_then(|c| c.resume.clone()) {
        None => None,
        Some(id) => {
            let record = {
                let id = id.clone();
                blocking(server.engine.clone(), move |e| e.store().session(&id)).await?
            };
            Some(record.ok_or_else(|| RemoteError::new(ErrorKind::NotFound, format!("there is no session {id} on this host")))?)
        }
    };
    let (spec, title) = panel_spec(&cwd, cols, rows, command.map(|c| c.agent), resume.as_ref()).await.map_err(terminal_error)?;
    let id = server.terminals.open(spec).map_err(terminal_error)?;
    Ok(TerminalOpened { id, title })
}

fn terminal_error(e: TerminalError) -> RemoteError {
    let kind = match &e {
        TerminalError::NotFound(_) => ErrorKind::NotFound,
        TerminalError::BadId(_) | TerminalError::NoFolder(_) | TerminalError::BadSize { .. } | TerminalError::Exited | TerminalError::NoTui(_) | TerminalError::OtherAgent { .. } => {
            ErrorKind::BadRequest
        }
        _ => ErrorKind::Failed,
    };
    RemoteError::new(kind, e.to_string())
}

/// A session call's error: "not running" is [`ErrorKind::NotFound`] (the window offers to
/// resume), what the session refused is [`ErrorKind::BadRequest`].
fn session_error(e: SessionError) -> RemoteError {
    let kind = match &e {
        SessionError::NotRunning => ErrorKind::NotFound,
        _ => ErrorKind::BadRequest,
    };
    RemoteError::new(kind, e.to_string())
}

/// Runs a file journal call off the async threads; a project that is not usable or a
/// rollback that was refused is [`ErrorKind::BadRequest`].
async fn files<T: Send + 'static>(
    server: &Arc<super::Server>,
    call: impl FnOnce(&warden_engine::Files) -> Result<T, warden_engine::FilesError> + Send + 'static,
) -> Result<T, RemoteError> {
    use warden_engine::FilesError as E;
    let files = server.engine.files().clone();
    let result = tokio::task::spawn_blocking(move || call(&files)).await.map_err(RemoteError::failed)?;
    result.map_err(|e| {
        let kind = match &e {
            E::Project(_) | E::Rollback(_) | E::NothingToRollBack(_) => ErrorKind::BadRequest,
            _ => ErrorKind::Failed,
        };
        RemoteError::new(kind, e.to_string())
    })
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
        // A refused branch or base, a repository without commits: as the worktree calls answer.
        E::Worktree(w) => return super::worktrees::worktree_error(w.clone()),
        _ => ErrorKind::Failed,
    };
    RemoteError::new(kind, e.to_string())
}

/// Starts a session the way `warden run` does: the agent picked by its id among the presets and
/// the host's custom agents.
async fn start_session(server: &Arc<super::Server>, start: StartSession) -> Result<Started, RemoteError> {
    let engine = &server.engine;
    let custom = engine.custom_agents().map_err(RemoteError::failed)?;
    // A custom agent named as the window names it (`agent_name`), else by the id `warden run`
    // takes.
    let id = match (&start.agent_name, start.agent.as_deref()) {
        (Some(name), None | Some("custom")) => name.as_str(),
        (_, agent) => agent.unwrap_or("claude"),
    };
    let choice = AgentChoice::pick(id, &custom).map_err(RemoteError::bad)?;
    let name = match &choice {
        AgentChoice::Custom(agent) => Some(agent.name.clone()),
        AgentChoice::Preset(_) => None,
    };
    let (agent_name, sandbox) = warden_core::session::agent_settings(choice.kind(), name, start.sandbox).map_err(RemoteError::bad)?;
    // `warden run --remote --project '~/app'` means this host's home, as the window's folders do.
    let project = warden_engine::expand_home(&start.project, warden_engine::own_home().as_deref()).map_err(RemoteError::bad)?;
    let new = NewSession {
        project,
        model: start.model,
        permission_mode: start.permission_mode,
        agent: choice.kind(),
        agent_name,
        sandbox,
        run: RunOptions { gate: GateOptions { checks: start.checks, ..GateOptions::default() }, ..RunOptions::default() },
        worktree: None,
        group: None,
    };
    let (handle, notes) = match start.worktree {
        None => (engine.sessions().start(new, server.sink()).await.map_err(start_error)?, Vec::new()),
        Some(worktree) => engine.sessions().start_in_worktree(new, worktree, server.sink()).await.map_err(start_error)?,
    };
    server.keep(handle.clone());
    let mut started = started(server, handle, start.prompt).await?;
    started.notes = notes;
    Ok(started)
}

/// The started session's record, after its first prompt when there is one.
async fn started(server: &super::Server, handle: SessionHandle, prompt: Option<String>) -> Result<Started, RemoteError> {
    let turn = match prompt {
        Some(text) => Some(handle.prompt(text).await.map_err(session_error)?),
        None => None,
    };
    let id = handle.id().clone();
    let record = blocking(server.engine.clone(), move |e| e.store().session(&id)).await?;
    let session = record.ok_or_else(|| RemoteError::failed(format!("session {} was started but is not stored", handle.id())))?;
    Ok(Started { session, turn, notes: Vec::new() })
}
