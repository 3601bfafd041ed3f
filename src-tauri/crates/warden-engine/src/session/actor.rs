//! The session actor: one task that owns one agent process and everything about it.
//!
//! It reads the agent's stdout line by line, turns lines into events through the adapter,
//! stores each event and only then hands it to the sink. Commands (prompt, interrupt, answer a
//! permission question, stop) arrive over a channel, so nothing else ever touches the process.
//!
//! Events are stored in batches, each batch in one transaction before anyone sees its events
//! (see [`Actor::flush_events`]): what the agent streams is written at most [`CHUNK_TICK`] after
//! it came, everything else at the end of the step that made it, and all of it before the agent
//! is told anything (a permission decision, a hook's answer) and before a command is answered.
//!
//! Stopping is cooperative first, forceful last: open permission questions are answered
//! "cancelled", a running turn is interrupted through the protocol, stdin is closed, and after
//! a bounded wait the whole process group is killed. `AgentExited` is emitted only once the
//! process has exited and its stdout has ended (or a bounded drain ran out), so nothing it
//! wrote is lost and nothing arrives after it.
//!
//! This file holds the run loop, the turn and the stop; the permission questions are answered
//! in `permissions.rs`, the agent's file and terminal requests in `client_requests.rs` and
//! `terminal_requests.rs` (child modules working on the actor's state), and streamed text is
//! merged in `chunks.rs`.

use super::handle::{Command, SessionError};
use super::prompt_input::{AgentPrompt, AttachmentError};
use super::Recording;
use crate::adapter::{AgentAdapter, Output};
use crate::gate::{GateMsg, SessionGate, Step, TurnRecording};
use crate::permission::Policy;
use crate::process::{AgentProcess, ExitStatusInfo, StderrTail};
use crate::sink::EventSink;
use crate::store::Store;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::Instant;
use warden_core::session::*;

// The agent's file and terminal requests and the permission questions: child modules, so they
// work on the actor's own state.
#[path = "client_requests.rs"]
mod client_requests;
#[path = "permissions.rs"]
mod permissions;
#[path = "steer.rs"]
mod steer;
#[path = "terminal_requests.rs"]
mod terminal_requests;

use super::chunks::ChunkMerger;
use terminal_requests::{AgentTerminals, LateAnswer};

/// How long an interrupted turn may take to end before stdin is closed.
const INTERRUPT_GRACE: Duration = Duration::from_secs(3);
/// How long an agent may take to exit after stdin closed before its group is killed.
const CLOSE_GRACE: Duration = Duration::from_secs(3);
/// How long to wait for stdout to end once the process is gone (a grandchild may hold it).
const DRAIN_GRACE: Duration = Duration::from_secs(2);
/// Streamed text is merged (see `chunks.rs`) into one event per this interval, so a fast model
/// does not flood the store and the window with one event per token.
const CHUNK_TICK: Duration = Duration::from_millis(25);
/// Past this many events waiting, a batch is stored at once (a bound on memory and on what a
/// crash of Warden could take with it).
const MAX_PENDING: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq)]
enum StopPhase {
    Interrupting,
    Closing,
    Killing,
}

/// Everything the actor starts with.
pub(crate) struct ActorParts {
    pub id: SessionId,
    pub store: Arc<Store>,
    pub sink: Arc<dyn EventSink>,
    pub adapter: Box<dyn AgentAdapter>,
    pub process: AgentProcess,
    pub stdin: mpsc::UnboundedSender<String>,
    pub stderr: StderrTail,
    pub last_seq: u64,
    pub turns: u32,
    pub cost_before: f64,
    pub started: SessionStarted,
    pub policy: Policy,
    pub recording: Recording,
    pub gate: SessionGate,
    /// Where the actor is in its life, for the session's handles.
    pub life: watch::Sender<super::handle::Life>,
}

pub(crate) struct Actor {
    id: SessionId,
    store: Arc<Store>,
    sink: Arc<dyn EventSink>,
    adapter: Box<dyn AgentAdapter>,
    process: AgentProcess,
    stdin: Option<mpsc::UnboundedSender<String>>,
    stderr: StderrTail,
    seq: u64,
    turns: u32,
    turn: Option<TurnId>,
    session_cost: f64,
    status: SessionStatus,
    /// Streamed text waiting to be emitted as one event.
    chunks: ChunkMerger,
    stop: Option<(StopPhase, Instant)>,
    stop_waiters: Vec<oneshot::Sender<()>>,
    policy: Policy,
    /// Questions waiting for the person, as they were shown.
    asked: HashMap<PermissionRequestId, PermissionRequest>,
    /// The file journal's recording of this session.
    recording: Recording,
    /// The terminals the agent runs commands in (ACP's `terminal/*`).
    terminals: AgentTerminals,
    /// Answers to the agent's requests that came after waiting (a command's exit).
    late_answers: Option<mpsc::UnboundedReceiver<LateAnswer>>,
    /// The task gate: checks when a task's turn ends, feedback (see `crate::gate`).
    gate: SessionGate,
    /// The model, the effort and what the agent lets change, as last reported (`steer.rs`).
    controls: SessionControls,
    /// Events numbered but not yet stored (nor handed on): stored together by `flush_events`.
    pending: Vec<SessionEvent>,
    /// When the oldest of `pending` was made.
    pending_since: Option<Instant>,
    /// One of `pending` is one someone waits for (see [`waits_for_no_batch`]).
    urgent: bool,
    /// Where the actor is in its life, for the session's handles.
    life: watch::Sender<super::handle::Life>,
}

impl Actor {
    pub(crate) fn new(parts: ActorParts) -> Self {
        let (terminals, late_answers) = AgentTerminals::new();
        let mut actor = Self {
            id: parts.id,
            store: parts.store,
            sink: parts.sink,
            adapter: parts.adapter,
            process: parts.process,
            stdin: Some(parts.stdin),
            stderr: parts.stderr,
            seq: parts.last_seq,
            turns: parts.turns,
            turn: None,
            session_cost: parts.cost_before,
            status: SessionStatus::Starting,
            chunks: ChunkMerger::default(),
            stop: None,
            stop_waiters: Vec::new(),
            policy: parts.policy,
            asked: HashMap::new(),
            recording: parts.recording,
            terminals,
            late_answers: Some(late_answers),
            gate: parts.gate,
            controls: SessionControls::default(),
            pending: Vec::new(),
            pending_since: None,
            urgent: false,
            life: parts.life,
        };
        let mut started = parts.started;
        started.pid = actor.process.pid();
        actor.emit(SessionEventKind::Started(started));
        actor.set_status(SessionStatus::Starting);
        if let Some(warning) = actor.recording.take_warning() {
            actor.warn(warning);
        }
        for line in actor.adapter.start() {
            actor.write(line);
        }
        actor.flush_events();
        actor
    }

    pub(crate) async fn run(
        mut self,
        mut commands: mpsc::UnboundedReceiver<Command>,
        mut lines: mpsc::Receiver<Vec<u8>>,
        stderr_done: tokio::task::JoinHandle<()>,
    ) {
        let mut exit = self.process.take_exit().expect("the actor is the only one waiting");
        let mut late_answers = self.late_answers.take().expect("the actor runs once");
        let mut gate_reports = self.gate.take_receiver().expect("the actor runs once");
        let mut exited: Option<ExitStatusInfo> = None;
        let mut stdout_open = true;
        let mut commands_open = true;
        let mut drain_deadline: Option<Instant> = None;
        let mut flush = tokio::time::interval(CHUNK_TICK);
        flush.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            let stop_deadline = self.stop.map(|(_, d)| d);
            // Only what the agent streams may wait for the next batch; see `flush_events`.
            let mut streamed = false;
            tokio::select! {
                biased;
                line = lines.recv(), if stdout_open => match line {
                    Some(line) => {
                        self.on_line(&line);
                        streamed = true;
                    }
                    None => stdout_open = false,
                },
                status = &mut exit, if exited.is_none() => {
                    exited = Some(status.unwrap_or(ExitStatusInfo { code: None, signal: None }));
                    // The agent is gone; anything it left behind in its group goes too.
                    self.process.kill_group();
                    drain_deadline = Some(Instant::now() + DRAIN_GRACE);
                },
                command = commands.recv(), if commands_open => match command {
                    Some(command) => self.on_command(command),
                    // Every handle is gone: nobody can use the session any more.
                    None => {
                        commands_open = false;
                        self.begin_stop(None);
                    }
                },
                _ = tokio::time::sleep_until(stop_deadline.unwrap_or_else(Instant::now)), if stop_deadline.is_some() => {
                    if self.advance_stop() {
                        tracing::error!(session = %self.id, "agent did not exit even after SIGKILL");
                        break;
                    }
                },
                _ = tokio::time::sleep_until(drain_deadline.unwrap_or_else(Instant::now)), if drain_deadline.is_some() && stdout_open => {
                    tracing::warn!(session = %self.id, "agent exited but its stdout stayed open; stopped reading");
                    stdout_open = false;
                },
                _ = flush.tick(), if self.chunks.is_pending() || !self.pending.is_empty() => {
                    self.flush_chunk();
                    self.flush_events();
                }
                // The actor holds a sender itself, so this never ends.
                Some(answer) = late_answers.recv() => self.late_answer(answer),
                // The gate holds a sender itself, so this never ends either.
                Some(report) = gate_reports.recv() => self.on_gate_report(report),
            }
            let waited = self.pending_since.is_some_and(|since| since.elapsed() >= CHUNK_TICK);
            if !streamed || self.urgent || waited {
                self.flush_events();
            }
            if exited.is_some() && !stdout_open {
                break;
            }
        }
        self.finish(exited, stderr_done).await;
        self.flush_events();
        commands.close();
        while let Ok(command) = commands.try_recv() {
            reject(command);
        }
        self.life.send_replace(super::handle::Life::Finished);
    }

    fn on_line(&mut self, line: &[u8]) {
        for output in self.adapter.on_line(line, std::time::Instant::now()) {
            match output {
                Output::Event(kind) => self.on_event(kind),
                Output::Send(line) => self.write(line),
                // A prompt may already be running; only a session still starting becomes ready.
                Output::Ready => {
                    // What the agent takes in a prompt is known once it is ready (ACP says it
                    // in its `initialize` answer); the window offers images only after this.
                    self.emit(SessionEventKind::PromptAccepts(self.adapter.accepts()));
                    // A prompt may already be running; only a session still starting becomes ready.
                    if self.status == SessionStatus::Starting {
                        self.set_status(SessionStatus::Ready);
                    }
                }
                Output::ToolCheck(check) => self.check_tool(check),
                Output::ClientRequest(request) => self.client_request(request),
                // The agent waits for Warden before running it: its changes start here.
                Output::ToolWaits { tool_call_id } => self.record(|r| r.begin_tool_call(&tool_call_id)),
                Output::TurnEnding { id } => self.turn_ending(id),
                Output::ToolDone { id, tool_call_id } => {
                    // The agent waits for the answer, so the snapshot sees the call's changes
                    // and nothing after them.
                    if let Some(call) = &tool_call_id {
                        self.record(|r| r.end_tool_call(call));
                    }
                    for line in self.adapter.answer_tool_done(&id) {
                        self.write(line);
                    }
                }
            }
        }
    }

    fn on_event(&mut self, kind: SessionEventKind) {
        match kind {
            SessionEventKind::AgentMessageChunk(_) | SessionEventKind::AgentThoughtChunk(_) => self.add_chunk(kind),
            SessionEventKind::TurnEnded(ended) => {
                // A candidate for done (no question pending, not stopping) runs the checks;
                // their file changes are recorded as the round's, so the turn stays open.
                let may_complete = self.asked.is_empty() && self.stop.is_none();
                let (recording, steps) = self.gate.turn_ended(&ended, may_complete);
                match &recording {
                    TurnRecording::BeginCheck(call) => self.record(|r| r.begin_tool_call(call)),
                    TurnRecording::End => self.record(Recording::end_turn),
                    TurnRecording::KeepOpen => {}
                }
                // The adapter was told what earlier processes cost, so its total is the session's.
                self.session_cost = ended.session_cost_usd;
                self.turn = None;
                self.emit(SessionEventKind::TurnEnded(ended));
                if self.stop.is_none() {
                    self.set_status(SessionStatus::Ready);
                } else if matches!(self.stop, Some((StopPhase::Interrupting, _))) {
                    self.close_stdin();
                }
                self.run_gate_steps(steps);
            }
            SessionEventKind::PermissionRequested(request) => self.on_question(request),
            SessionEventKind::ModeChanged(mode) => {
                // Only the person changes Warden's mode (`set_mode`). The adapters report an
                // agent's own mode switch as a notice; none sends this, and one that did would
                // neither change the policy nor reach the window as Warden's mode.
                tracing::debug!(?mode, "ignored a mode change from the adapter");
            }
            SessionEventKind::PermissionResolved(resolution) => self.on_withdrawn(resolution),
            SessionEventKind::Controls(controls) => self.on_controls(controls),
            other => self.emit(other),
        }
    }

    /// The agent holds its turn's end for the gate (Claude's Stop hook): a candidate for done
    /// runs the checks now, their changes recorded under the round's pseudo tool call.
    fn turn_ending(&mut self, id: String) {
        let steps = match self.turn {
            Some(turn) => {
                let may_complete = self.asked.is_empty() && self.stop.is_none();
                let (call, steps) = self.gate.turn_ending(turn, id, may_complete);
                if let Some(call) = &call {
                    self.record(|r| r.begin_tool_call(call));
                }
                steps
            }
            None => vec![Step::AnswerTurnEnding { id, feedback: None }],
        };
        self.run_gate_steps(steps);
    }

    fn warn(&mut self, text: String) {
        self.emit(SessionEventKind::Notice(SessionNotice { level: NoticeLevel::Warning, text }));
    }

    fn on_command(&mut self, command: Command) {
        // Whoever sent a command finds what it caused stored once it hears back.
        match command {
            Command::Prompt { prompt, reply } => {
                let result = self.prompt(prompt, MessageOrigin::Person);
                self.flush_events();
                let _ = reply.send(result);
            }
            Command::Gate { command, reply } => {
                let steps = self.gate.command(command, self.turn.is_some());
                let result = steps.map(|steps| self.run_gate_steps(steps));
                self.flush_events();
                let _ = reply.send(result);
            }
            Command::Interrupt { reply } => {
                let result = self.interrupt();
                self.flush_events();
                let _ = reply.send(result);
            }
            Command::Resolve { request, answer, source, reply } => {
                let result = self.settle(&request, answer, source, Vec::new());
                self.flush_events();
                let _ = reply.send(result);
            }
            Command::SetMode { mode, reply } => {
                let result = self.set_mode(mode);
                self.flush_events();
                let _ = reply.send(result);
            }
            Command::SetSessionRules { rules, reply } => {
                let result = self.set_session_rules(rules);
                self.flush_events();
                let _ = reply.send(result);
            }
            Command::Stop { reply } => self.begin_stop(Some(reply)),
            Command::Review { report, reply } => {
                self.emit(report.into_kind());
                self.flush_events();
                let _ = reply.send(Ok(()));
            }
            Command::Announce { kind } => self.emit(kind),
            Command::Steer { text, reply } => {
                let result = self.steer(text);
                self.flush_events();
                let _ = reply.send(result);
            }
            Command::SetModel { model, effort, reply } => {
                let result = self.set_model(model, effort);
                self.flush_events();
                let _ = reply.send(result);
            }
        }
    }

    fn prompt(&mut self, mut prompt: AgentPrompt, origin: MessageOrigin) -> Result<TurnId, SessionError> {
        if self.stop.is_some() || self.stdin.is_none() {
            return Err(SessionError::NotRunning);
        }
        if self.turn.is_some() {
            return Err(SessionError::Busy);
        }
        // Never an image the agent would drop or choke on: refused before the turn starts.
        if !prompt.images.is_empty() && !self.adapter.accepts().images {
            return Err(AttachmentError::ImagesNotTaken.into());
        }
        self.turns += 1;
        let turn = TurnId(self.turns);
        // The person's prompt finishes the open task (its checks' recording too) first.
        let steps = self.gate.before_prompt(turn, origin);
        self.run_gate_steps(steps);
        self.turn = Some(turn);
        let attachments = prompt.attachments();
        self.emit(SessionEventKind::UserMessage(UserMessage { turn, text: prompt.text.clone(), origin, attachments }));
        self.set_status(SessionStatus::Running);
        // The snapshot the turn is measured from is taken before the agent hears the prompt.
        self.record(|r| r.begin_turn(turn));
        let (note, events) = self.recording.take_note();
        for event in events {
            self.emit(event);
        }
        // Only the agent reads the note; the stored prompt is what the person wrote.
        if let Some(note) = note {
            prompt.text = format!("{note}\n\n{}", prompt.text);
        }
        for line in self.adapter.prompt_input(turn, &prompt, std::time::Instant::now()) {
            self.write(line);
        }
        Ok(turn)
    }

    fn interrupt(&mut self) -> Result<(), SessionError> {
        if self.stdin.is_none() {
            return Err(SessionError::NotRunning);
        }
        self.cancel_questions();
        // Checks running with no turn: the interrupt stops them and ends the task.
        let steps = self.gate.stop(TaskOutcome::Stopped, self.turn.is_some());
        self.run_gate_steps(steps);
        for line in self.adapter.interrupt() {
            self.write(line);
        }
        Ok(())
    }

    fn begin_stop(&mut self, reply: Option<oneshot::Sender<()>>) {
        self.stop_waiters.extend(reply);
        if self.stop.is_some() {
            return;
        }
        self.set_status(SessionStatus::Stopping);
        self.life.send_if_modified(|life| {
            let was = *life;
            *life = was.max(super::handle::Life::Stopping);
            *life != was
        });
        // Collected before the agent is asked to exit: its commands' orphans lose their parent
        // when it does, and must still be ended with it.
        self.process.remember_tree();
        self.cancel_questions();
        let steps = self.gate.stop(TaskOutcome::Stopped, self.turn.is_some());
        self.run_gate_steps(steps);
        let interrupt = if self.turn.is_some() { self.adapter.interrupt() } else { Vec::new() };
        if interrupt.is_empty() {
            self.close_stdin();
        } else {
            for line in interrupt {
                self.write(line);
            }
            self.stop = Some((StopPhase::Interrupting, Instant::now() + INTERRUPT_GRACE));
        }
    }

    fn close_stdin(&mut self) {
        self.flush_events();
        self.stdin = None;
        self.stop = Some((StopPhase::Closing, Instant::now() + CLOSE_GRACE));
    }

    /// Moves a stop along when its current step timed out. Returns true when even killing did
    /// not end the process, and the actor gives up waiting.
    fn advance_stop(&mut self) -> bool {
        match self.stop {
            Some((StopPhase::Interrupting, _)) => {
                self.close_stdin();
                false
            }
            Some((StopPhase::Closing, _)) => {
                self.process.kill_group();
                self.stop = Some((StopPhase::Killing, Instant::now() + CLOSE_GRACE));
                false
            }
            Some((StopPhase::Killing, _)) => true,
            None => false,
        }
    }

    async fn finish(&mut self, exited: Option<ExitStatusInfo>, stderr_done: tokio::task::JoinHandle<()>) {
        self.flush_chunk();
        // Nobody is left to read the agent's commands: they end with it.
        self.terminals.registry.release_all();
        self.cancel_questions();
        // A turn the agent left open by exiting still gets its changes recorded.
        self.record(Recording::end_turn);
        let expected = self.stop.is_some();
        if let Some(turn) = self.turn.take() {
            self.emit(SessionEventKind::TurnEnded(TurnEnded {
                turn,
                stop_reason: if expected { StopReason::Cancelled } else { StopReason::Error },
                error: (!expected).then(|| "The agent exited before the turn ended.".to_owned()),
                duration_ms: 0,
                usage: Usage::default(),
                cost_usd: None,
                session_cost_usd: self.session_cost,
                context_tokens: None,
                context_window: None,
            }));
        }
        let steps = self.gate.stop(if expected { TaskOutcome::Stopped } else { TaskOutcome::Failed }, false);
        self.run_gate_steps(steps);
        let _ = tokio::time::timeout(DRAIN_GRACE, stderr_done).await;
        let status = exited.unwrap_or(ExitStatusInfo { code: None, signal: None });
        self.emit(SessionEventKind::AgentExited(AgentExited {
            code: status.code,
            signal: status.signal,
            expected,
            stderr_tail: self.stderr.text(),
        }));
        self.set_status(if expected { SessionStatus::Stopped } else { SessionStatus::Crashed });
        self.flush_events();
        for waiter in self.stop_waiters.drain(..) {
            let _ = waiter.send(());
        }
    }

    fn on_gate_report(&mut self, report: GateMsg) {
        let steps = self.gate.on_msg(report);
        self.run_gate_steps(steps);
    }

    /// Carries out the gate's steps in order; returns the turn a feedback step started.
    fn run_gate_steps(&mut self, steps: Vec<Step>) -> Option<TurnId> {
        let mut started = None;
        for step in steps {
            match step {
                Step::Emit(kind) => self.emit(kind),
                Step::StartRound(start) => {
                    // The round's checks and reviewers run on their own and read the session
                    // from the store (a review's scope): everything up to here is stored first.
                    self.flush_events();
                    self.gate.launch(*start)
                }
                Step::EndCheckRecording { call, end_turn } => {
                    self.record(|r| r.end_tool_call(&call));
                    if end_turn {
                        self.record(Recording::end_turn);
                    }
                }
                Step::BeginCheckRecording { turn, call } => {
                    self.record(|r| r.begin_turn(turn));
                    self.record(|r| r.begin_tool_call(&call));
                }
                Step::AnswerTurnEnding { id, feedback } => {
                    for line in self.adapter.answer_turn_ending(&id, feedback.as_deref()) {
                        self.write(line);
                    }
                }
                Step::Feedback { task, round, text, auto } => match self.prompt(AgentPrompt::text(text.clone()), MessageOrigin::Feedback) {
                    Ok(turn) => {
                        started = Some(turn);
                        self.emit(SessionEventKind::FeedbackSent(FeedbackSent { task, round, turn, text, auto }));
                    }
                    Err(e) => {
                        self.warn(format!("The checks' feedback could not be sent: {e}"));
                        let steps = self.gate.stop(TaskOutcome::Failed, false);
                        self.run_gate_steps(steps);
                    }
                },
            }
        }
        started
    }

    fn write(&mut self, line: String) {
        // What led to this line (a permission decision, a hook's answer, a file the agent asked
        // for) is stored before the agent hears it.
        self.flush_events();
        if let Some(stdin) = &self.stdin {
            let _ = stdin.send(line);
        }
    }

    fn set_status(&mut self, status: SessionStatus) {
        if self.status != status || status == SessionStatus::Starting {
            self.status = status;
            self.emit(SessionEventKind::Status(status));
        }
    }

    /// Merges a streamed chunk into the one waiting, or emits the waiting one and keeps this.
    fn add_chunk(&mut self, kind: SessionEventKind) {
        if let Some(done) = self.chunks.add(kind) {
            self.emit_now(done);
        }
    }

    fn flush_chunk(&mut self) {
        if let Some(kind) = self.chunks.take() {
            self.emit_now(kind);
        }
    }

    /// Stores an event, then hands it on. Any merged text waiting is emitted first, so order
    /// is kept.
    fn emit(&mut self, kind: SessionEventKind) {
        self.flush_chunk();
        // A call that ends without completing (denied, cancelled, failed) gets no PostToolUse;
        // one that completed gets it too, and whichever comes first ends the recording of it.
        let ended = match &kind {
            SessionEventKind::ToolCallUpdate(u) if u.status.is_some_and(ToolCallStatus::is_terminal) => Some(u.id.clone()),
            _ => None,
        };
        self.emit_now(kind);
        if let Some(call) = ended {
            self.record(|r| r.end_tool_call(&call));
        }
    }

    /// Runs a step of the file journal's recording and emits what it reports.
    fn record(&mut self, step: impl FnOnce(&mut Recording) -> Vec<SessionEventKind>) {
        for event in step(&mut self.recording) {
            self.emit_now(event);
        }
    }

    /// Numbers an event and queues it for the next batch (`flush_events`).
    fn emit_now(&mut self, kind: SessionEventKind) {
        self.gate.observe(&kind);
        self.seq += 1;
        self.urgent |= waits_for_no_batch(&kind);
        let event = SessionEvent { session_id: self.id.clone(), seq: self.seq, at_ms: crate::now_ms(), kind };
        self.pending_since.get_or_insert_with(Instant::now);
        self.pending.push(event);
        if self.pending.len() >= MAX_PENDING {
            self.flush_events();
        }
    }

    /// Stores the waiting events in one transaction, then hands them on in order: nobody sees
    /// an event that is not stored. Should the batch fail, each event is stored on its own, as
    /// one event the store refuses must not take the others with it.
    fn flush_events(&mut self) {
        self.urgent = false;
        self.pending_since = None;
        if self.pending.is_empty() {
            return;
        }
        let events = std::mem::take(&mut self.pending);
        if let Err(e) = self.store.append_all(&events) {
            tracing::warn!(session = %self.id, events = events.len(), "could not store a batch of events, storing each: {e}");
            for event in &events {
                if let Err(e) = self.store.append(event) {
                    tracing::error!(session = %self.id, seq = event.seq, "could not store event: {e}");
                }
            }
        }
        for event in &events {
            self.sink.send(event);
        }
    }
}

/// Whether an event must be stored and handed on at the end of the step that made it: all but
/// what the agent streams (text, tool calls and their progress, plans, usage figures), which may
/// wait up to [`CHUNK_TICK`] to be stored together with what follows it.
fn waits_for_no_batch(kind: &SessionEventKind) -> bool {
    !matches!(
        kind,
        SessionEventKind::AgentMessageChunk(_)
            | SessionEventKind::AgentThoughtChunk(_)
            | SessionEventKind::ToolCall(_)
            | SessionEventKind::ToolCallUpdate(_)
            | SessionEventKind::Plan(_)
            | SessionEventKind::Controls(_)
            | SessionEventKind::RateLimits(_)
            | SessionEventKind::AgentCommands(_)
            | SessionEventKind::Unrecognised(_)
    )
}

fn reject(command: Command) {
    match command {
        Command::Prompt { reply, .. } => drop(reply.send(Err(SessionError::NotRunning))),
        Command::Interrupt { reply } => drop(reply.send(Err(SessionError::NotRunning))),
        Command::Resolve { reply, .. } => drop(reply.send(Err(SessionError::NotRunning))),
        Command::SetMode { reply, .. } => drop(reply.send(Err(SessionError::NotRunning))),
        Command::SetSessionRules { reply, .. } => drop(reply.send(Err(SessionError::NotRunning))),
        Command::Stop { reply } => drop(reply.send(())),
        Command::Gate { reply, .. } => drop(reply.send(Err(SessionError::NotRunning))),
        Command::Review { reply, .. } => drop(reply.send(Err(SessionError::NotRunning))),
        Command::Announce { .. } => {}
        Command::Steer { reply, .. } => drop(reply.send(Err(SessionError::NotRunning))),
        Command::SetModel { reply, .. } => drop(reply.send(Err(SessionError::NotRunning))),
    }
}
