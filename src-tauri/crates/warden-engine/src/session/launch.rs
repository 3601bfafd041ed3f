//! Starting the process, its readers and writer, and the actor that owns them.

use super::actor::{Actor, ActorParts};
use super::handle::SessionHandle;
use crate::adapter::AgentAdapter;
use crate::process::{read_lines, AgentProcess, Pipes, SpawnSpec, StderrTail, MAX_LINE};
use crate::sink::EventSink;
use crate::store::Store;
use std::sync::Arc;
use tokio::io::{AsyncWriteExt, BufReader};
use tokio::sync::{mpsc, watch};
use warden_core::session::{SessionId, SessionStarted};

/// What a new actor needs besides the process.
pub(crate) struct Launch {
    pub id: SessionId,
    pub spec: SpawnSpec,
    pub adapter: Box<dyn AgentAdapter>,
    pub started: SessionStarted,
    pub last_seq: u64,
    pub turns: u32,
    pub cost_before: f64,
    pub policy: crate::permission::Policy,
    pub recording: super::Recording,
    pub gate: crate::gate::SessionGate,
    /// Where its prompts' mentions are checked and its images kept.
    pub prompt_place: super::prompt_input::PromptPlace,
}

/// Starts the actor of the agent `process` (started from `launch.spec`, possibly a moment
/// ago while the stores opened: what it wrote since waits in its pipes).
pub(crate) fn launch(store: Arc<Store>, sink: Arc<dyn EventSink>, launch: Launch, process: (AgentProcess, Pipes)) -> SessionHandle {
    let (process, pipes) = process;
    let span = tracing::info_span!("session", id = %launch.id, pid = process.pid());
    let _entered = span.enter();
    tracing::info!(program = %launch.spec.program.display(), "agent started");

    let (line_tx, line_rx) = mpsc::channel(256);
    tokio::spawn(read_lines(BufReader::with_capacity(64 * 1024, pipes.stdout), line_tx, MAX_LINE));
    let stderr = StderrTail::default();
    let stderr_done = tokio::spawn(stderr.clone().collect(BufReader::new(pipes.stderr)));

    // One writer owns stdin, so the actor never blocks on a full pipe; dropping the sender
    // closes stdin.
    let (stdin_tx, mut stdin_rx) = mpsc::unbounded_channel::<String>();
    let mut stdin = pipes.stdin;
    tokio::spawn(async move {
        while let Some(mut line) = stdin_rx.recv().await {
            line.push('\n');
            if let Err(e) = async {
                stdin.write_all(line.as_bytes()).await?;
                stdin.flush().await
            }
            .await
            {
                tracing::debug!("writing to the agent failed: {e}");
                break;
            }
        }
    });

    let (command_tx, command_rx) = mpsc::unbounded_channel();
    let (life_tx, life_rx) = watch::channel(super::handle::Life::Running);
    let actor = Actor::new(ActorParts {
        id: launch.id.clone(),
        store,
        sink,
        adapter: launch.adapter,
        process,
        stdin: stdin_tx,
        stderr,
        last_seq: launch.last_seq,
        turns: launch.turns,
        cost_before: launch.cost_before,
        started: launch.started,
        policy: launch.policy,
        recording: launch.recording,
        gate: launch.gate,
        life: life_tx,
    });
    tokio::spawn(tracing::Instrument::instrument(
        actor.run(command_rx, line_rx, stderr_done),
        span.clone(),
    ));
    SessionHandle::new(launch.id, command_tx, life_rx, launch.prompt_place)
}
