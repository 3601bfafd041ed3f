//! Commands for agent sessions: list and read stored ones, start, resume, prompt, interrupt,
//! stop, answer permission questions, and follow a session's events live.

use crate::error::IpcError;
use crate::state::AppState;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};
use warden_core::session::*;
use warden_engine::worktrees::WorktreeStart;
use warden_engine::{NewSession, RunOptions, SessionHandle};

/// The stored sessions of a project, newest first.
#[tauri::command]
#[specta::specta]
pub fn session_list(state: State<'_, AppState>, project: String) -> Result<Vec<SessionRecord>, IpcError> {
    let project = warden_engine::resolve_project_dir(&project)?;
    state.engine.store().sessions(Some(&project.to_string_lossy())).map_err(IpcError::internal)
}

/// Tool outputs larger than this come without their text in a stored transcript sent to the
/// window: a long session holds tens of megabytes of output, which made opening it slow, and
/// a row that is expanded reads its output back with `session_event`.
const BACKLOG_OUTPUT_LIMIT: usize = 4096;

/// A session's stored events after `after_seq` (0 for all): the transcript to show, and what a
/// window that saw a gap in `seq` re-reads. Large tool outputs are left out (see
/// [`BACKLOG_OUTPUT_LIMIT`]).
#[tauri::command]
#[specta::specta]
pub fn session_events(state: State<'_, AppState>, session_id: SessionId, after_seq: u64) -> Result<Vec<SessionEvent>, IpcError> {
    backlog(&state, &session_id, after_seq)
}

fn backlog(state: &AppState, id: &SessionId, after_seq: u64) -> Result<Vec<SessionEvent>, IpcError> {
    let events = state.engine.store().events(id, after_seq).map_err(IpcError::internal)?;
    Ok(events.into_iter().map(|e| e.with_output_elided(BACKLOG_OUTPUT_LIMIT)).collect())
}

/// One stored event of a session, by its `seq`: what the window reloads when it let go of a
/// large tool output to keep its memory bounded.
#[tauri::command]
#[specta::specta]
pub fn session_event(state: State<'_, AppState>, session_id: SessionId, seq: u64) -> Result<Option<SessionEvent>, IpcError> {
    state.engine.store().event(&session_id, seq).map_err(IpcError::internal)
}

/// Follows a session: every event after this call goes to `channel`, and the stored events after
/// `after_seq` are returned (large tool outputs left out, as by `session_events`). Subscribing happens first, so an event stored in between arrives
/// both ways and the window drops the copy by its `seq`; none falls through the gap.
#[tauri::command]
#[specta::specta]
pub fn session_subscribe(
    state: State<'_, AppState>,
    session_id: SessionId,
    after_seq: u64,
    channel: Channel<SessionEvent>,
) -> Result<Vec<SessionEvent>, IpcError> {
    state.channels.subscribe(session_id.clone(), channel);
    backlog(&state, &session_id, after_seq)
}

/// Stops sending a session's events to the channel `channel_id` (a tab that closed), so a
/// window that opens and closes sessions for hours does not pile up dead channels.
#[tauri::command]
#[specta::specta]
pub fn session_unsubscribe(state: State<'_, AppState>, session_id: SessionId, channel_id: u32) {
    state.channels.unsubscribe(&session_id, channel_id);
}

/// Starts a new session in a project: of `agent` (Claude when not given), for a custom agent
/// the one named `agent_name`, and for Codex in `sandbox` (workspace-write when not given).
/// With `worktree`, in a new worktree of the project: made, its files copied in and its setup
/// command run when asked and allowed (a failing setup is an error naming its log; the
/// worktree is then removed); the notes about it become notices.
#[tauri::command]
#[specta::specta]
// The window's arguments, one per field of the New Session dialog (as IPC names them).
#[allow(clippy::too_many_arguments)]
pub async fn session_start<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    project: String,
    permission_mode: PermissionMode,
    model: Option<String>,
    agent: Option<AgentKind>,
    agent_name: Option<String>,
    sandbox: Option<Sandbox>,
    worktree: Option<WorktreeStart>,
) -> Result<SessionRecord, IpcError> {
    let agent = agent.unwrap_or_default();
    let (agent_name, sandbox) = agent_settings(agent, agent_name, sandbox).map_err(IpcError::internal)?;
    let new = NewSession { project, model, permission_mode, agent, agent_name, sandbox, run: RunOptions::default(), worktree: None, group: None };
    let Some(worktree) = worktree else {
        let handle = state.engine.sessions().start(new, state.channels.clone()).await?;
        return record(&state, handle.id());
    };
    let (handle, notes) = state.engine.sessions().start_in_worktree(new, worktree, state.channels.clone()).await?;
    // What the person should know about the new worktree (a detached base, submodules, a setup
    // command that did not run) stays with the workspace's notices.
    if !notes.is_empty() {
        let mut workspace = state.workspace();
        for note in notes {
            workspace.notify(note);
        }
        drop(workspace);
        crate::publish::publish(&app);
    }
    record(&state, handle.id())
}

/// Resumes a stopped or crashed session in a new agent process.
#[tauri::command]
#[specta::specta]
pub async fn session_resume(state: State<'_, AppState>, session_id: SessionId) -> Result<SessionRecord, IpcError> {
    let handle = state.engine.sessions().resume(&session_id, RunOptions::default(), state.channels.clone()).await?;
    record(&state, handle.id())
}

/// Sends a prompt with its mentions and images (checked first: a refused one starts no turn);
/// the turn's events follow on the session's channel.
#[tauri::command]
#[specta::specta]
pub async fn session_prompt(state: State<'_, AppState>, session_id: SessionId, prompt: PromptInput) -> Result<TurnId, IpcError> {
    Ok(live(&state, &session_id)?.prompt_input(prompt).await?)
}

/// Interrupts the running turn.
#[tauri::command]
#[specta::specta]
pub async fn session_interrupt(state: State<'_, AppState>, session_id: SessionId) -> Result<(), IpcError> {
    Ok(live(&state, &session_id)?.interrupt().await?)
}

/// Stops a session and waits until its agent is gone.
#[tauri::command]
#[specta::specta]
pub async fn session_stop(state: State<'_, AppState>, session_id: SessionId) -> Result<(), IpcError> {
    if let Some(handle) = state.engine.sessions().handle(&session_id) {
        handle.stop().await;
    }
    Ok(())
}

fn live(state: &AppState, id: &SessionId) -> Result<SessionHandle, IpcError> {
    state.engine.sessions().handle(id).ok_or_else(|| warden_engine::SessionError::NotRunning.into())
}

fn record(state: &AppState, id: &SessionId) -> Result<SessionRecord, IpcError> {
    state
        .engine
        .store()
        .session(id)
        .map_err(IpcError::internal)?
        .ok_or_else(|| IpcError::internal(format!("session {id} was not stored")))
}
