//! Side runs: checks outside the task-completed round. `task.started` checks run at the
//! person's prompt, `tool.completed` ones when one of the agent's tool calls has run (completed
//! or failed; a denied or cancelled call never ran), `files.changed` ones once a burst of the
//! agent's file changes has gone quiet ([`QUIET`], at most [`MAX_WAIT`] after its first change),
//! with every path of the burst. The round's `mode = "async"` checks run here too
//! ([`run_detached`]).
//!
//! Side runs are reported, never gating: their `CheckStarted`/`CheckFinished` carry the task
//! and round they happened in and reach the actor as [`GateMsg::Side`], which it emits whatever
//! the task is doing; they never block the gate and never produce feedback. Trust applies as
//! in the round (an untrusted project entry whose filters match is reported as not trusted,
//! never run); `warden run --checks off` turns them off too.
//!
//! Decided: Stop ([`SideRuns::stop`], from `SessionGate::stop`: the person's Stop, an interrupt,
//! the agent's exit) cancels every side run of the session (their process groups are killed,
//! a burst still gathering is dropped). A task that finishes any other way — its verdict, the
//! person's accept or next prompt — leaves its side runs running: they report under their task
//! and round when they end. An async check is defined to report after the verdict, and a side
//! run's result stays true after it; only the person's Stop says the work should stop. A new
//! task does start a new burst: the last task's changes run at once, under that task.

use super::select::{self, RoundInput};
use super::{convert, is_check_call, GateMsg, GateOptions};
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::Instant;
use warden_core::session::*;
use warden_gate::config::Trigger;
use warden_gate::filters::{self, Situation};
use warden_gate::run::{Cancel, CheckToRun};

/// How long the agent's file changes must pause before a `files.changed` burst runs.
pub const QUIET: Duration = Duration::from_millis(1500);

/// How long after its first change a burst runs at the latest, however busy the agent is.
pub const MAX_WAIT: Duration = Duration::from_secs(10);

/// Files the agent changed, gathered for a `files.changed` run.
#[derive(Debug, Clone, PartialEq)]
struct Batch {
    task: TaskId,
    round: u32,
    paths: BTreeSet<String>,
    lines: u64,
}

impl Batch {
    /// Adds a later batch: its task and round are the burst's from then on.
    fn merge(&mut self, later: Batch) {
        self.task = later.task;
        self.round = later.round;
        self.paths.extend(later.paths);
        self.lines += later.lines;
    }
}

/// A session's side runs: what they need to know, and the Stop that ends them.
pub(crate) struct SideRuns {
    session: SessionId,
    project: PathBuf,
    /// Whose personal layer and trust apply (see [`super::RoundInput::home`]).
    home: PathBuf,
    /// `None`: no data folder known (tests of the actor alone): no checks.
    data_dir: Option<PathBuf>,
    options: GateOptions,
    agent: AgentKind,
    tx: mpsc::UnboundedSender<GateMsg>,
    /// Shared by every side run started since the last Stop.
    cancel: Cancel,
    /// The agent's open tool calls: what the `when.*` tool filters read once one ends.
    calls: HashMap<ToolCallId, filters::ToolCall>,
    /// What the open task changed so far (for `when.changed` of a `tool.completed` check).
    changed: BTreeSet<String>,
    changed_lines: u64,
    /// The burst being gathered, while its gatherer listens.
    burst: Option<mpsc::UnboundedSender<Batch>>,
}

impl SideRuns {
    pub(crate) fn new(
        session: SessionId,
        project: PathBuf,
        data_dir: Option<PathBuf>,
        options: GateOptions,
        agent: AgentKind,
        tx: mpsc::UnboundedSender<GateMsg>,
    ) -> Self {
        Self {
            session,
            home: super::home_of(data_dir.as_deref(), &project),
            project,
            data_dir,
            options,
            agent,
            tx,
            cancel: Cancel::new(),
            calls: HashMap::new(),
            changed: BTreeSet::new(),
            changed_lines: 0,
            burst: None,
        }
    }

    /// What stops the side runs started now (the round's async checks take it too).
    pub(crate) fn cancel(&self) -> Cancel {
        self.cancel.clone()
    }

    /// Stop: every side run ends (see the module); later ones start afresh.
    pub(crate) fn stop(&mut self) {
        self.cancel.cancel();
        self.cancel = Cancel::new();
        self.burst = None;
    }

    /// The person's prompt started `task`: its `task.started` checks run.
    pub(crate) fn task_started(&mut self, task: TaskId) {
        self.calls.clear();
        self.changed.clear();
        self.changed_lines = 0;
        // The last task's burst, if one is gathering, runs now under that task.
        self.burst = None;
        let situation = self.situation(Vec::new(), 0, None, None, 1);
        self.start(Trigger::TaskStarted, task, 1, situation);
    }

    /// Sees every event the actor emits, with the open task and its round.
    pub(crate) fn observe(&mut self, kind: &SessionEventKind, task: Option<(TaskId, u32)>) {
        match kind {
            SessionEventKind::ToolCall(call) => {
                self.calls.insert(call.id.clone(), convert::tool_call(call.kind, &call.input));
            }
            SessionEventKind::ToolCallUpdate(update) => self.tool_update(update, task),
            SessionEventKind::FileChanges(changes) => self.file_changes(changes, task),
            _ => {}
        }
    }

    fn tool_update(&mut self, update: &ToolCallUpdate, task: Option<(TaskId, u32)>) {
        if let (Some(input), Some(call)) = (&update.input, self.calls.get_mut(&update.id)) {
            if let Some(command) = convert::shell_command(input) {
                call.command = Some(command);
            }
        }
        let Some(status) = update.status.filter(|s| s.is_terminal()) else { return };
        let Some(mut call) = self.calls.remove(&update.id) else { return };
        let Some((task, round)) = task else { return };
        if !matches!(status, ToolCallStatus::Completed | ToolCallStatus::Failed) {
            return;
        }
        let completed = status == ToolCallStatus::Completed;
        // A command that completed (not failed) without saying its exit code exited 0: Claude
        // reports a non-zero exit as a failed call ("Exit code N").
        call.exit_code = convert::tool_exit_code(update).or((completed && call.command.is_some()).then_some(0));
        let situation = self.situation(self.changed.iter().cloned().collect(), self.changed_lines, Some(call), Some(completed), round);
        self.start(Trigger::ToolCompleted, task, round, situation);
    }

    fn file_changes(&mut self, changes: &FileChanges, task: Option<(TaskId, u32)>) {
        // A check round's own changes (a formatter) are not the agent's.
        if changes.tool_call_id.as_ref().is_some_and(is_check_call) {
            return;
        }
        let Some((task, round)) = task else { return };
        let mut batch = Batch { task, round, paths: BTreeSet::new(), lines: 0 };
        for op in &changes.ops {
            batch.paths.insert(op.path.clone());
            batch.lines += u64::from(op.lines_added.unwrap_or(0)) + u64::from(op.lines_removed.unwrap_or(0));
        }
        self.changed.extend(batch.paths.iter().cloned());
        self.changed_lines += batch.lines;
        if batch.paths.is_empty() || !self.configured() {
            return;
        }
        let batch = match &self.burst {
            Some(burst) => match burst.send(batch) {
                Ok(()) => return,
                // The gatherer is done: this batch starts the next burst.
                Err(mpsc::error::SendError(batch)) => batch,
            },
            None => batch,
        };
        let (burst, mut rx) = mpsc::unbounded_channel();
        self.burst = Some(burst);
        let base = self.input(task, round, Situation::default());
        let (cancel, tx) = (self.cancel.clone(), self.tx.clone());
        spawn(async move {
            let Some(burst) = gather(batch, &mut rx, &cancel).await else { return };
            let situation = Situation {
                changed_paths: burst.paths.into_iter().collect(),
                changed_lines: burst.lines,
                round: burst.round,
                ..base.situation.clone()
            };
            let input = RoundInput { task: burst.task, round: burst.round, situation, log_stamp: select::log_stamp(), ..base };
            run_side(input, Trigger::FilesChanged, cancel, tx).await;
        });
    }

    fn configured(&self) -> bool {
        self.options.checks && self.data_dir.as_deref().is_some_and(|d| warden_gate::config::exists_in(&self.project, &self.home, d))
    }

    fn situation(&self, changed_paths: Vec<String>, changed_lines: u64, tool: Option<filters::ToolCall>, success: Option<bool>, round: u32) -> Situation {
        Situation { changed_paths, changed_lines, agent: Some(self.agent.as_str().to_owned()), tool, success, round }
    }

    fn input(&self, task: TaskId, round: u32, situation: Situation) -> RoundInput {
        RoundInput {
            project: self.project.clone(),
            home: self.home.clone(),
            data_dir: self.data_dir.clone().unwrap_or_default(),
            session: self.session.clone(),
            task,
            round,
            situation,
            only: None,
            options: self.options,
            log_stamp: select::log_stamp(),
        }
    }

    /// Starts a side run of `trigger` when the project has a checks configuration (two
    /// `stat`s; the configuration itself is read off the actor, by the run).
    fn start(&self, trigger: Trigger, task: TaskId, round: u32, situation: Situation) {
        if !self.configured() {
            return;
        }
        let input = self.input(task, round, situation);
        spawn(run_side(input, trigger, self.cancel.clone(), self.tx.clone()));
    }
}

/// Starts a side run on the actor's runtime. The gate alone, driven outside one (its unit
/// tests), runs none.
fn spawn(run: impl std::future::Future<Output = ()> + Send + 'static) {
    match tokio::runtime::Handle::try_current() {
        Ok(runtime) => drop(runtime.spawn(run)),
        Err(_) => tracing::warn!("no async runtime: side checks are not run"),
    }
}

/// Gathers a burst from `first` on: batches until [`QUIET`] passes without one (or the sender
/// is dropped: a new task, Stop), at most [`MAX_WAIT`] after the first. `None` when cancelled.
async fn gather(first: Batch, rx: &mut mpsc::UnboundedReceiver<Batch>, cancel: &Cancel) -> Option<Batch> {
    let start = Instant::now();
    let mut burst = first;
    let mut last = start;
    loop {
        let deadline = (last + QUIET).min(start + MAX_WAIT);
        tokio::select! {
            batch = rx.recv() => match batch {
                Some(batch) => {
                    burst.merge(batch);
                    last = Instant::now();
                }
                None => break,
            },
            () = tokio::time::sleep_until(deadline) => break,
            () = cancel.cancelled() => return None,
        }
    }
    // What was sent before the gatherer stopped listening still belongs to this burst.
    rx.close();
    while let Ok(batch) = rx.try_recv() {
        burst.merge(batch);
    }
    (!cancel.is_cancelled()).then_some(burst)
}

/// Plans and runs the checks of `trigger` for `input`, reporting as side events.
pub(crate) async fn run_side(input: RoundInput, trigger: Trigger, cancel: Cancel, tx: mpsc::UnboundedSender<GateMsg>) {
    let planned = {
        let input = input.clone();
        match tokio::task::spawn_blocking(move || select::plan(&input, trigger)).await {
            Ok(planned) => planned,
            Err(e) => {
                tracing::error!("the side checks could not be planned: {e}");
                return;
            }
        }
    };
    // A broken configuration is said by the round; said on every tool call, it would be noise.
    for notice in &planned.notices {
        tracing::warn!(session = %input.session, "{notice}");
    }
    let emit = |kind| drop(tx.send(GateMsg::Side { kind }));
    for r in planned.reported {
        emit(SessionEventKind::CheckFinished(r));
    }
    select::run_announced(&input, planned.to_run, &cancel, &emit).await;
}

/// Runs the round's async checks beside it, reporting as side events.
pub(crate) async fn run_detached(input: RoundInput, checks: Vec<(CheckToRun, Vec<String>)>, cancel: Cancel, tx: mpsc::UnboundedSender<GateMsg>) {
    let emit = |kind| drop(tx.send(GateMsg::Side { kind }));
    select::run_announced(&input, checks, &cancel, &emit).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(task: u32, paths: &[&str], lines: u64) -> Batch {
        Batch { task: TaskId(task), round: 1, paths: paths.iter().map(|p| p.to_string()).collect(), lines }
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_runs_once_with_every_path_after_a_quiet_period() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let sender = tokio::spawn(async move {
            for (i, path) in ["b.rs", "c.rs", "a.rs"].into_iter().enumerate() {
                tokio::time::sleep(QUIET / 2).await;
                tx.send(batch(1, &[path], i as u64)).unwrap();
            }
            // Quiet from here on; the sender stays alive so only the timer can end the burst.
            tokio::time::sleep(QUIET * 4).await;
            drop(tx);
        });
        let start = Instant::now();
        let burst = gather(batch(1, &["a.rs"], 1), &mut rx, &Cancel::new()).await.expect("not cancelled");
        assert_eq!(burst, Batch { task: TaskId(1), round: 1, paths: ["a.rs", "b.rs", "c.rs"].map(String::from).into(), lines: 4 });
        assert_eq!(start.elapsed(), QUIET / 2 * 3 + QUIET, "it ran once the last change was QUIET old");
        sender.abort();
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_that_never_pauses_runs_at_the_bound_and_a_cancelled_one_never() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let sender = tokio::spawn(async move {
            loop {
                tokio::time::sleep(QUIET / 3).await;
                if tx.send(batch(1, &["busy.rs"], 1)).is_err() {
                    return;
                }
            }
        });
        let start = Instant::now();
        let burst = gather(batch(1, &["a.rs"], 1), &mut rx, &Cancel::new()).await.expect("not cancelled");
        assert_eq!(start.elapsed(), MAX_WAIT);
        assert_eq!(burst.paths.len(), 2);
        sender.await.unwrap();

        let (tx, mut rx) = mpsc::unbounded_channel::<Batch>();
        let cancel = Cancel::new();
        let stop = cancel.clone();
        tokio::spawn(async move {
            tokio::time::sleep(QUIET / 2).await;
            stop.cancel();
        });
        assert_eq!(gather(batch(1, &["a.rs"], 1), &mut rx, &cancel).await, None, "Stop drops the burst");
        drop(tx);
    }

    #[tokio::test(start_paused = true)]
    async fn a_new_task_ends_the_burst_at_once_and_the_last_batch_names_the_task() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        tx.send(Batch { round: 2, ..batch(1, &["b.rs"], 0) }).unwrap();
        drop(tx);
        let start = Instant::now();
        let burst = gather(batch(1, &["a.rs"], 0), &mut rx, &Cancel::new()).await.expect("not cancelled");
        assert_eq!((start.elapsed(), burst.round, burst.paths.len()), (Duration::ZERO, 2, 2));
    }
}
