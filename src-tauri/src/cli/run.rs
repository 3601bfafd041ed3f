//! `warden run`: one task of an agent in a project, headless, for scripts and CI: the prompt's
//! turn, then the task gate (the project's checks) and any feedback rounds it sends.

use super::approve::{Approve, Approver};
use super::run_progress::{End, RunProgress};
use super::transcript::Transcript;
use clap::Args;
use std::path::Path;
use std::sync::Arc;
use tokio::sync::mpsc;
use warden_core::agent::AgentChoice;
use warden_core::session::*;
use warden_engine::gate::{FeedbackMode, GateOptions, GateReviews};
use warden_gate::config::{Review, ReviewAgent};
use warden_engine::{ChannelSink, EarlyStart, Engine, NewSession, RunOptions};

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
    /// Whether the project's checks run when the agent ends its turn (the task gate): on (the
    /// default) or off.
    #[arg(long, value_enum, default_value = "on")]
    pub checks: OnOff,
    /// What happens to failing checks' feedback, overriding the configuration: ask (with
    /// --json one line on stdin, `{"task":N,"feedback":"send"|"dismiss"|"accept","text":"…"}`
    /// with the task of the `feedbackProposed` event and optionally edited text; a y/n/a
    /// question on a terminal; dismissed otherwise), auto (sent at once, within the round
    /// limit, never for the same failures twice), never.
    #[arg(long, value_enum)]
    pub feedback: Option<FeedbackFlag>,
    /// Rounds of the task at most for automatic feedback (the prompt's turn is round 1),
    /// overriding `[gate] max_rounds`.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_rounds: Option<u32>,
    /// The task's cost in US dollars at which automatic feedback stops (the task is exhausted),
    /// overriding `[gate] budget_usd`. Counts only what the agent reports as cost.
    #[arg(long, value_name = "USD", value_parser = parse_budget, allow_negative_numbers = true)]
    pub budget: Option<f64>,
    /// Has the task reviewed after its checks by AGENT (claude, codex, gemini, another agent
    /// Warden runs, or a custom agent's name), optionally with :MODEL, read-only: findings of
    /// critical or high severity block the gate and go back as feedback (per --feedback). For
    /// this run only: no file is changed. Repeat it for several reviewers.
    #[arg(long, value_name = "AGENT[:MODEL]", value_parser = parse_review, conflicts_with = "pipeline")]
    pub review: Vec<ReviewFlag>,
    /// Runs the task along this pipeline of the project (`[[pipeline]]` in .warden/checks.toml
    /// or your personal layer): its steps name their agents and models.
    #[arg(long, value_name = "NAME", conflicts_with_all = ["resume", "agent", "model"])]
    pub pipeline: Option<String>,
    /// With --pipeline: approve the plan as the planner wrote it, without asking.
    #[arg(long, requires = "pipeline")]
    pub approve_plan: bool,
    /// Runs the agent in a new git worktree of the project (a branch of its own, in a folder
    /// Warden manages outside the project): the session, its journal and its permission
    /// checks take the worktree as the project; the project's rules still apply. Bring the
    /// work back with `warden worktrees merge`.
    #[arg(long, conflicts_with_all = ["resume", "pipeline"])]
    pub worktree: bool,
    /// With --worktree: the branch or commit to start from (default: the current HEAD).
    #[arg(long, value_name = "REF", requires = "worktree")]
    pub base: Option<String>,
    /// With --worktree: the new branch's name (default: warden/<words of the prompt>).
    #[arg(long, value_name = "NAME", requires = "worktree")]
    pub branch: Option<String>,
    /// With --worktree: a file of the project to copy into the worktree (such as an untracked
    /// `.env`), relative to the project; repeat it for several. Symbolic links are refused.
    #[arg(long, value_name = "FILE", requires = "worktree")]
    pub copy: Vec<String>,
    /// With --worktree: do not run the project's `[worktree] setup` command in the new
    /// worktree (it runs by default when it is allowed to: from your personal layer or a
    /// trusted project file).
    #[arg(long, requires = "worktree")]
    pub no_setup: bool,
    /// Where the task runs when not here: --remote DEST, --container NAME, --remote-command.
    #[command(flatten)]
    pub remote: super::remote::RemoteFlags,
    /// The prompt.
    pub prompt: String,
}

/// `--checks`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnOff {
    /// Checks run.
    On,
    /// No checks: the task passes when the agent ends its turn.
    Off,
}

/// `--feedback`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FeedbackFlag {
    /// Propose it and read the decision from stdin.
    Ask,
    /// Send it at once.
    Auto,
    /// Never send it.
    Never,
}

/// A feedback decision on stdin with `--json`.
#[derive(Debug, serde::Deserialize)]
struct FeedbackLine {
    task: TaskId,
    feedback: FeedbackDecision,
    #[serde(default)]
    text: Option<String>,
}

/// `--review AGENT[:MODEL]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewFlag {
    /// The reviewer.
    pub agent: ReviewAgent,
    /// Its model, when given.
    pub model: Option<String>,
}

fn parse_review(s: &str) -> Result<ReviewFlag, String> {
    let (agent, model) = match s.split_once(':') {
        Some((agent, model)) if !model.trim().is_empty() => (agent, Some(model.trim().to_owned())),
        Some((agent, _)) => (agent, None),
        None => (s, None),
    };
    Ok(ReviewFlag { agent: ReviewAgent::parse(agent)?, model })
}

/// The `--review` reviewers as this run's own review entries (the person's, so trusted), with
/// `feedback` for their blocking findings. A custom agent must be defined in the settings.
fn review_entries(flags: &[ReviewFlag], feedback: FeedbackMode, custom: &[warden_core::agent::CustomAgent]) -> Result<Vec<Review>, String> {
    flags
        .iter()
        .enumerate()
        .map(|(i, flag)| {
            if let Some(name) = &flag.agent.name {
                if !custom.iter().any(|c| &c.name == name) {
                    return Err(format!("--review {name}: there is no agent by that name (built-in agents: `warden agents`; custom ones are defined in the settings)"));
                }
            }
            Ok(Review::on_the_fly(format!("run-review-{}", i + 1), flag.agent.clone(), flag.model.clone(), feedback))
        })
        .collect()
}

fn parse<T: std::str::FromStr<Err = String>>(s: &str) -> Result<T, String> {
    s.parse()
}

/// `--budget`: a positive, finite amount of US dollars (`0`, a negative amount, `inf` or `NaN`
/// would either stop every round or none, which is never what a budget means).
fn parse_budget(s: &str) -> Result<f64, String> {
    let amount: f64 = s.trim().trim_start_matches('$').parse().map_err(|_| format!("'{s}' is not an amount of US dollars, such as 0.50"))?;
    if !amount.is_finite() || amount <= 0.0 {
        return Err(format!("the budget must be a positive amount of US dollars, not '{s}'"));
    }
    Ok(amount)
}

/// Exit code for a completed turn.
pub const OK: u8 = 0;
/// Exit code when the turn did not complete (error, interrupted, agent crashed).
pub const TURN_FAILED: u8 = 1;
/// Exit code when nothing could be started (bad project, missing agent, unknown session).
pub const SETUP_FAILED: u8 = 2;
/// Exit code when the agent finished but the task gate did not pass (blocked, exhausted,
/// feedback dismissed, or the work accepted with findings).
pub const GATE_NOT_PASSED: u8 = 3;

/// Runs the command; returns the exit code. Errors are one line on stderr.
pub async fn run(args: RunArgs, data_dir: &Path) -> u8 {
    if let Some(transport) = args.remote.transport() {
        return match transport {
            Ok(transport) => super::remote_run::run(args, transport).await,
            Err(e) => {
                eprintln!("warden: {e}");
                SETUP_FAILED
            }
        };
    }
    if let Some(pipeline) = args.pipeline.clone() {
        return super::run_pipeline::run(args, &pipeline, data_dir).await;
    }
    let fail = |code: u8, message: String| {
        eprintln!("warden: {message}");
        code
    };
    let project = match warden_engine::resolve_project_dir(&args.project) {
        Ok(p) => p,
        Err(e) => return fail(SETUP_FAILED, e.to_string()),
    };
    // The custom agents are kept in the data folder, where the window edits them (the engine
    // reads the same file); read here so the agent can start before the engine is open.
    let custom = match warden_engine::agents::CustomAgentsFile::in_data_dir(data_dir).list() {
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
    let feedback = args.feedback.map(|f| match f {
        FeedbackFlag::Ask => FeedbackMode::Ask,
        FeedbackFlag::Auto => FeedbackMode::Auto,
        FeedbackFlag::Never => FeedbackMode::Never,
    });
    // `--review` entries follow --feedback, else the configuration's `[gate] feedback` (read
    // only when there is a reviewer: it is not on the way to the agent otherwise).
    let review_feedback = match feedback {
        Some(feedback) => feedback,
        None if args.review.is_empty() => FeedbackMode::default(),
        None => warden_gate::config::load(&project, data_dir).map(|c| c.gate.feedback).unwrap_or_default(),
    };
    let extra = match review_entries(&args.review, review_feedback, &custom) {
        Ok(extra) => extra,
        Err(e) => return fail(SETUP_FAILED, e),
    };
    let run_options = RunOptions {
        gate: GateOptions { checks: args.checks == OnOff::On, feedback, max_rounds: args.max_rounds, budget_usd: args.budget },
        reviews: GateReviews { extra, runs: Vec::new() },
        ..RunOptions::default()
    };
    let new = NewSession {
        project: project.to_string_lossy().into_owned(),
        model: args.model.clone(),
        permission_mode: args.permission_mode,
        agent: choice.kind(),
        agent_name,
        sandbox,
        run: run_options.clone(),
        worktree: None,
        group: None,
    };
    // A new session's agent starts first and boots (hundreds of milliseconds) while the
    // stores open, are checked when needed and interrupted rollbacks are settled: none of
    // that is on the way to the agent's first byte. A resumed session needs its record, a
    // worktree session its worktree: those start once the engine is open.
    let early = match (&args.resume, args.worktree) {
        (None, false) => match EarlyStart::spawn(data_dir, &new).await {
            Ok(early) => early,
            Err(e) => return fail(SETUP_FAILED, e.to_string()),
        },
        _ => None,
    };
    // Failing here drops `early`, which ends the agent's whole tree.
    let engine = match open_engine(data_dir) {
        Ok(engine) => engine,
        Err(e) => return fail(SETUP_FAILED, e),
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
                Ok(_) => engine.sessions().resume(&id, run_options.clone(), sink).await,
                Err(e) => return fail(SETUP_FAILED, e.to_string()),
            }
        }
        None => match (early, worktree_start(&args)) {
            (Some(early), _) => engine.sessions().start_early(early, sink),
            (None, Some(start)) => engine.sessions().start_in_worktree(new, start, sink).await.map(|(handle, notes)| {
                for note in notes {
                    eprintln!("warden: {note}");
                }
                handle
            }),
            (None, None) => engine.sessions().start(new, sink).await,
        },
    };
    let handle = match started {
        Ok(h) => h,
        Err(e) => return fail(SETUP_FAILED, e.to_string()),
    };
    // Webhook deliveries (one outbox for every project): sent while the run goes on, waited
    // for at exit (bounded). Started once the agent is starting, so its outbox is opened while
    // the agent boots rather than before; the session's events are queued either way.
    let webhooks = crate::webhook_worker::WebhookWorker::start(engine.webhooks())
        .map_err(|e| eprintln!("warden: webhooks are not delivered: {e}"))
        .ok();
    if let Some(notice) = engine.webhooks().take_notice() {
        eprintln!("warden: {notice}");
    }
    let worktree = match engine.store().session(handle.id()) {
        Ok(Some(record)) => record.worktree.map(|w| (record.project, w.branch)),
        _ => None,
    };
    if let Some((path, branch)) = &worktree {
        eprintln!("warden: working in the worktree {path} on branch {branch}");
    }
    let mut out = Transcript::new(args.json);
    // Feedback decisions come from stdin like permission answers: with --json or on a terminal.
    let can_ask = args.json || std::io::IsTerminal::is_terminal(&std::io::stdin());
    let feedback_from_stdin = can_ask && args.feedback != Some(FeedbackFlag::Auto) && args.feedback != Some(FeedbackFlag::Never) && args.checks == OnOff::On;
    let mut approver = Approver::new(args.approve, args.json, feedback_from_stdin);
    // The task whose proposed feedback waits for a decision.
    let mut proposed: Option<TaskId> = None;
    // Once stdin has ended, a proposal can get no decision: it is dismissed at once.
    let mut stdin_ended = false;
    if let Err(e) = handle.prompt(args.prompt.clone()).await {
        handle.stop().await;
        return fail(TURN_FAILED, e.to_string());
    }
    let mut interrupts = 0;
    let mut progress = RunProgress::default();
    let outcome: End = loop {
        tokio::select! {
            event = events.recv() => {
                let Some(event) = event else { break End::Failed("the session ended unexpectedly".into()) };
                out.print(&event);
                if let Some(end) = progress.on(&event.kind) {
                    break end;
                }
                match &event.kind {
                    SessionEventKind::PermissionRequested(request) => {
                        approver.asked(request.clone(), &handle, &mut out).await;
                    }
                    SessionEventKind::PermissionResolved(resolved) => approver.resolved(&resolved.request_id),
                    SessionEventKind::FeedbackProposed(p) if feedback_from_stdin && !stdin_ended => {
                        proposed = Some(p.task);
                        if !args.json {
                            eprint!("Send this feedback to the agent? [y] send  [n] dismiss  [a] accept the work as it is > ");
                        }
                    }
                    SessionEventKind::FeedbackProposed(p) => {
                        let _ = handle.dismiss_feedback(p.task).await;
                        break End::GateNotPassed("the checks did not pass; their feedback was not sent (no one to ask: use --json, a terminal or --feedback auto)".into());
                    }
                    _ => {}
                }
            }
            line = approver.next_line() => {
                stdin_ended |= line.is_none();
                match (proposed, line) {
                    (Some(task), Some(line)) if !line.trim().is_empty() => match feedback_decision(task, &line, args.json) {
                        Some((task, decision, text)) => {
                            match handle.decide_feedback(task, decision, text).await {
                                Ok(()) => proposed = None,
                                Err(e) => eprintln!("warden: {e}"),
                            }
                        }
                        // With --json, a line that is no feedback decision may answer a permission.
                        None if args.json => approver.answer(Some(line), &handle, &mut out).await,
                        None => {}
                    },
                    (Some(task), None) => {
                        // Input ended before a decision: nothing is sent (the dismissal ends
                        // the run with exit code 3).
                        let _ = handle.dismiss_feedback(task).await;
                        proposed = None;
                        approver.answer(None, &handle, &mut out).await;
                    }
                    (_, line) => approver.answer(line, &handle, &mut out).await,
                }
            }
            _ = tokio::signal::ctrl_c() => {
                interrupts += 1;
                if interrupts == 1 {
                    eprintln!("warden: interrupting the turn (Ctrl-C again to stop at once)");
                    let _ = handle.interrupt().await;
                } else {
                    break End::Failed("stopped".into());
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
    if let Some(webhooks) = webhooks {
        webhooks.drain_and_stop(engine.webhooks()).await;
    }
    if let Some((path, branch)) = &worktree {
        eprintln!("warden: the work is in {path} on branch {branch} (`warden worktrees merge --worktree {branch}` brings it back)");
    }
    progress.finish(outcome, &format!("session {}", handle.id()))
}

/// With `--worktree`: how the run's worktree is made (the engine's one path for a session in
/// its own worktree: `Sessions::start_in_worktree`); the branch is named from the prompt
/// unless `--branch` names it, and the project's setup command runs unless `--no-setup`.
fn worktree_start(args: &RunArgs) -> Option<warden_engine::worktrees::WorktreeStart> {
    args.worktree.then(|| warden_engine::worktrees::WorktreeStart {
        base: args.base.clone(),
        branch: args.branch.clone(),
        title: args.prompt.clone(),
        copy: args.copy.clone(),
        run_setup: !args.no_setup,
    })
}

/// A feedback decision from a stdin line: a JSON line naming the task with --json, y/n/a on a
/// terminal. `None` when the line is not one (a permission answer, with --json).
pub(super) fn feedback_decision(task: TaskId, line: &str, json: bool) -> Option<(TaskId, FeedbackDecision, Option<String>)> {
    if json {
        let parsed: FeedbackLine = serde_json::from_str(line).ok()?;
        return Some((parsed.task, parsed.feedback, parsed.text));
    }
    let decision = match line.trim() {
        "y" | "yes" | "s" | "send" => FeedbackDecision::Send,
        "n" | "no" | "d" | "dismiss" => FeedbackDecision::Dismiss,
        "a" | "accept" => FeedbackDecision::Accept,
        other => {
            eprintln!("warden: '{other}' is not one of y, n, a");
            eprint!("Send this feedback to the agent? [y] send  [n] dismiss  [a] accept the work as it is > ");
            return None;
        }
    };
    Some((task, decision, None))
}

/// Opens the engine for a run that will change files: what it has to say is printed, and
/// rollbacks a crash interrupted are settled first.
pub(super) fn open_engine(data_dir: &Path) -> Result<Engine, String> {
    let (engine, notice) = Engine::open(data_dir).map_err(|e| e.to_string())?;
    if let Some(notice) = notice {
        eprintln!("warden: {notice}");
    }
    if let Some(notice) = engine.files().recover_rollbacks() {
        eprintln!("warden: {notice}");
    }
    Ok(engine)
}
