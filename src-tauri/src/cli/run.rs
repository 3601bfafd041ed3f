//! `warden run`: one turn of an agent in a project, headless, for scripts and CI.

use super::approve::{Approve, Approver};
use super::transcript::Transcript;
use clap::Args;
use std::path::Path;
use std::sync::Arc;
use tokio::sync::mpsc;
use warden_core::agent::AgentChoice;
use warden_core::session::*;
use warden_engine::{ChannelSink, Engine, NewSession, RunOptions};

/// Arguments of `warden run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The project folder the agent works in.
    #[arg(long, value_name = "DIR")]
    pub project: String,
    /// Which agent: claude (the default), codex, gemini, another built-in agent's name
    /// (`warden agents` lists them), or the name of a custom agent from the settings. A resumed
    /// session keeps its own.
    #[arg(long, value_name = "NAME", conflicts_with = "resume")]
    pub agent: Option<String>,
    /// For Codex: where its commands may write without asking: read-only, workspace-write (the
    /// default) or danger-full-access.
    #[arg(long, value_parser = parse::<Sandbox>, conflicts_with = "resume")]
    pub sandbox: Option<Sandbox>,
    /// The model, when not the agent's default.
    #[arg(long)]
    pub model: Option<String>,
    /// How freely the agent may act: default, acceptEdits or plan.
    #[arg(long, default_value = "default", value_parser = parse::<PermissionMode>)]
    pub permission_mode: PermissionMode,
    /// How permission requests are answered: ask (one JSON line per request on stdin with
    /// --json, a y/s/a/n question on a terminal), allow, or deny. Default: ask with --json or
    /// on a terminal, deny otherwise.
    #[arg(long, value_enum)]
    pub approve: Option<Approve>,
    /// Continue a stored session of this project instead of starting a new one.
    #[arg(long, value_name = "SESSION")]
    pub resume: Option<String>,
    /// Write every event as one JSON line on stdout.
    #[arg(long)]
    pub json: bool,
    /// The prompt.
    pub prompt: String,
}

fn parse<T: std::str::FromStr<Err = String>>(s: &str) -> Result<T, String> {
    s.parse()
}

/// Exit code for a completed turn.
pub const OK: u8 = 0;
/// Exit code when the turn did not complete (error, interrupted, agent crashed).
pub const TURN_FAILED: u8 = 1;
/// Exit code when nothing could be started (bad project, missing agent, unknown session).
pub const SETUP_FAILED: u8 = 2;

/// Runs the command; returns the exit code. Errors are one line on stderr.
pub async fn run(args: RunArgs, data_dir: &Path) -> u8 {
    let fail = |code: u8, message: String| {
        eprintln!("warden: {message}");
        code
    };
    let project = match warden_engine::resolve_project_dir(&args.project) {
        Ok(p) => p,
        Err(e) => return fail(SETUP_FAILED, e.to_string()),
    };
    let (engine, notice) = match Engine::open(data_dir) {
        Ok(opened) => opened,
        Err(e) => return fail(SETUP_FAILED, e.to_string()),
    };
    if let Some(notice) = notice {
        eprintln!("warden: {notice}");
    }
    // The agent will change files: rollbacks a crash interrupted are settled first.
    if let Some(notice) = engine.files().recover_rollbacks() {
        eprintln!("warden: {notice}");
    }
    // The engine keeps the custom agents in the data folder, where the window edits them.
    let custom = match engine.custom_agents() {
        Ok(custom) => custom,
        Err(e) => return fail(SETUP_FAILED, e.to_string()),
    };
    let choice = match AgentChoice::pick(args.agent.as_deref().unwrap_or("claude"), &custom) {
        Ok(choice) => choice,
        Err(e) => return fail(SETUP_FAILED, e),
    };
    let name = match &choice {
        AgentChoice::Custom(agent) => Some(agent.name.clone()),
        AgentChoice::Preset(_) => None,
    };
    let (agent_name, sandbox) = match warden_core::session::agent_settings(choice.kind(), name, args.sandbox) {
        Ok(settings) => settings,
        Err(e) => return fail(SETUP_FAILED, e.to_string()),
    };
    let (tx, mut events) = mpsc::unbounded_channel();
    let sink = Arc::new(ChannelSink(tx));
    let started = match &args.resume {
        Some(id) => {
            let id = SessionId(id.clone());
            match engine.store().session(&id) {
                Ok(Some(record)) if Path::new(&record.project) != project => {
                    return fail(SETUP_FAILED, format!("session {id} belongs to {}, not {}", record.project, project.display()));
                }
                Ok(_) => engine.sessions().resume(&id, RunOptions::default(), sink).await,
                Err(e) => return fail(SETUP_FAILED, e.to_string()),
            }
        }
        None => {
            let new = NewSession {
                project: project.to_string_lossy().into_owned(),
                model: args.model.clone(),
                permission_mode: args.permission_mode,
                agent: choice.kind(),
                agent_name,
                sandbox,
                run: RunOptions::default(),
            };
            engine.sessions().start(new, sink).await
        }
    };
    let handle = match started {
        Ok(h) => h,
        Err(e) => return fail(SETUP_FAILED, e.to_string()),
    };
    let mut out = Transcript::new(args.json);
    let mut approver = Approver::new(args.approve, args.json);
    if let Err(e) = handle.prompt(args.prompt.clone()).await {
        handle.stop().await;
        return fail(TURN_FAILED, e.to_string());
    }
    let mut interrupts = 0;
    let outcome: Result<(), String> = loop {
        tokio::select! {
            event = events.recv() => {
                let Some(event) = event else { break Err("the session ended unexpectedly".into()) };
                out.print(&event);
                match &event.kind {
                    SessionEventKind::PermissionRequested(request) => {
                        approver.asked(request.clone(), &handle, &mut out).await;
                    }
                    SessionEventKind::PermissionResolved(resolved) => approver.resolved(&resolved.request_id),
                    SessionEventKind::TurnEnded(ended) => break turn_outcome(ended),
                    SessionEventKind::AgentExited(exited) => {
                        break Err(format!("the agent exited (status {})", exit_text(exited)));
                    }
                    _ => {}
                }
            }
            line = approver.next_line() => approver.answer(line, &handle, &mut out).await,
            _ = tokio::signal::ctrl_c() => {
                interrupts += 1;
                if interrupts == 1 {
                    eprintln!("warden: interrupting the turn (Ctrl-C again to stop at once)");
                    let _ = handle.interrupt().await;
                } else {
                    break Err("stopped".into());
                }
            }
        }
    };
    handle.stop().await;
    // The events of stopping (status, exit) belong to the record too.
    while let Ok(event) = events.try_recv() {
        out.print(&event);
    }
    out.finish();
    match outcome {
        Ok(()) => OK,
        Err(message) => fail(TURN_FAILED, format!("{message} (session {})", handle.id())),
    }
}

fn turn_outcome(ended: &TurnEnded) -> Result<(), String> {
    match ended.stop_reason {
        StopReason::EndTurn => Ok(()),
        StopReason::Cancelled => Err("the turn was interrupted".into()),
        StopReason::MaxTokens => Err("the model hit its output limit".into()),
        StopReason::MaxTurns => Err("the agent hit its turn limit".into()),
        StopReason::Refusal => Err("the model refused".into()),
        StopReason::Error => Err(ended.error.clone().unwrap_or_else(|| "the turn failed".into())),
    }
}

fn exit_text(exited: &AgentExited) -> String {
    match (exited.code, exited.signal) {
        (Some(code), _) => format!("code {code}"),
        (None, Some(signal)) => format!("signal {signal}"),
        _ => "unknown".into(),
    }
}
