//! `warden review --project DIR --session S [--task T | --turn N | --scope SCOPE] --agent
//! AGENT[:MODEL] [--instructions TEXT] [--json]`: a read-only reviewer session of any agent
//! reads what a stored session's task (a turn, the whole session) changed, as the file journal
//! recorded it — or, with `--scope base:REV`, what changed in the project since a git branch or
//! commit — and answers with findings anchored to the diff's hunks.
//! The review is also reported in the reviewed session's own stream (`reviewStarted`,
//! `reviewFinished`), so the window shows it beside the task — unless another process drives
//! that session, whose actor is its stream's one writer.
//!
//! Exit codes: 0 the reviewer approves; 3 it found something that needs attention; 1 the review
//! could not give a verdict (bad arguments, nothing to review, the reviewer failed, timed out or
//! answered twice in a way Warden could not read).

use super::transcript::Transcript;
use clap::Args;
use serde::Serialize;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use warden_core::agent::AgentChoice;
use warden_core::review::{DiffHunk, ReviewResult, ReviewScope, ReviewVerdict};
use warden_core::session::{SessionEvent, SessionId, TaskId, TurnId};
use warden_engine::review::DEFAULT_TIMEOUT;
use warden_engine::{Engine, EventSink, ReviewAsk, RunOptions};

/// The reviewer approves.
pub const APPROVED: u8 = 0;
/// The review could not give a verdict.
pub const FAILED: u8 = 1;
/// The reviewer found something that needs attention.
pub const NEEDS_ATTENTION: u8 = 3;

/// Arguments of `warden review`.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The project folder.
    #[arg(long, value_name = "DIR")]
    pub project: String,
    /// The session whose changes are reviewed (`warden sessions` lists them).
    #[arg(long, value_name = "SESSION")]
    pub session: String,
    /// Review one task (the number `warden run --json` reports as `task`); without --task or
    /// --turn, everything the session changed is reviewed.
    #[arg(long, value_name = "T", conflicts_with = "turn")]
    pub task: Option<u32>,
    /// Review one turn.
    #[arg(long, value_name = "N")]
    pub turn: Option<u32>,
    /// What is reviewed: `task` (with --task), `turn` (with --turn), `session`, or `base:REV`
    /// — everything in the working tree that differs from the merge base of REV (a branch, tag
    /// or commit) and HEAD, from git: commits, uncommitted edits, untracked files.
    #[arg(long, value_name = "SCOPE")]
    pub scope: Option<String>,
    /// The reviewer: claude, codex, gemini, another agent's name (`warden agents`), optionally
    /// with a model after a colon (`codex:gpt-5.5`).
    #[arg(long, value_name = "AGENT[:MODEL]")]
    pub agent: String,
    /// What the reviewer should look at in particular.
    #[arg(long, value_name = "TEXT")]
    pub instructions: Option<String>,
    /// The longest the reviewer may take, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_TIMEOUT.as_secs())]
    pub timeout: u64,
    /// The reviewer's events as JSON lines, then one `review.completed` (or `review.failed`) line.
    #[arg(long)]
    pub json: bool,
}

/// The last line of `--json`.
#[derive(Serialize)]
#[serde(tag = "type")]
enum Summary<'a> {
    /// The reviewer answered.
    #[serde(rename = "review.completed", rename_all = "camelCase")]
    Completed { review: &'a ReviewResult, hunks: &'a [DiffHunk], cost_usd: Option<f64>, repaired: bool, exit_code: u8 },
    /// No verdict.
    #[serde(rename = "review.failed", rename_all = "camelCase")]
    Failed { error: String, exit_code: u8 },
}

/// Prints the reviewer's events as JSON lines as they come.
struct PrintSink(Mutex<Transcript>);

impl EventSink for PrintSink {
    fn send(&self, event: &SessionEvent) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).print(event);
    }
}

/// Prints nothing: without --json only the findings are printed.
struct Quiet;

impl EventSink for Quiet {
    fn send(&self, _: &SessionEvent) {}
}

/// The agent and model of `AGENT[:MODEL]`: the whole text when it names an agent (a custom
/// agent's name may hold a colon), else split at the last colon.
fn agent_and_model(text: &str, custom: &[warden_core::agent::CustomAgent]) -> Result<(AgentChoice, Option<String>), String> {
    if let Ok(choice) = AgentChoice::pick(text, custom) {
        return Ok((choice, None));
    }
    match text.rsplit_once(':') {
        Some((agent, model)) if !model.trim().is_empty() => Ok((AgentChoice::pick(agent, custom)?, Some(model.trim().to_owned()))),
        _ => AgentChoice::pick(text, custom).map(|c| (c, None)),
    }
}

/// The scope of `--scope`, `--task` and `--turn`: without `--scope`, a task, else a turn, else
/// the session; `--scope task` and `--scope turn` need their number, `--scope session` and
/// `--scope base:REV` take none.
fn scope_of(scope: Option<&str>, task: Option<u32>, turn: Option<u32>) -> Result<ReviewScope, String> {
    let numbered = task.is_some() || turn.is_some();
    match scope.map(str::trim) {
        None => Ok(match (task, turn) {
            (Some(task), _) => ReviewScope::Task { task: TaskId(task) },
            (None, Some(turn)) => ReviewScope::Turn { turn: TurnId(turn) },
            (None, None) => ReviewScope::Session,
        }),
        Some("task") => task.map(|task| ReviewScope::Task { task: TaskId(task) }).ok_or_else(|| "--scope task needs --task T".to_owned()),
        Some("turn") => turn.map(|turn| ReviewScope::Turn { turn: TurnId(turn) }).ok_or_else(|| "--scope turn needs --turn N".to_owned()),
        Some("session") if !numbered => Ok(ReviewScope::Session),
        Some(other) => match other.strip_prefix("base:") {
            Some(_) if numbered => Err("--scope base:REV reviews a git base, not a task or turn: leave out --task and --turn".to_owned()),
            // The engine checks the base strictly before git sees it.
            Some(base) if !base.is_empty() => Ok(ReviewScope::Base { base: base.to_owned() }),
            Some(_) => Err("--scope base: needs a branch or commit after the colon (base:main)".to_owned()),
            None if other == "session" => Err("--scope session reviews the whole session: leave out --task and --turn".to_owned()),
            None => Err(format!("unknown --scope '{other}': use task, turn, session or base:REV")),
        },
    }
}

/// Runs the review and prints it; returns the exit code.
pub async fn run(args: ReviewArgs, data_dir: &Path) -> u8 {
    let fail = |message: String| {
        if args.json {
            let line = Summary::Failed { error: message.clone(), exit_code: FAILED };
            println!("{}", serde_json::to_string(&line).unwrap_or_default());
        }
        eprintln!("warden: {message}");
        FAILED
    };
    let (engine, notice) = match Engine::open(data_dir) {
        Ok(opened) => opened,
        Err(e) => return fail(e.to_string()),
    };
    if let Some(notice) = notice {
        eprintln!("warden: {notice}");
    }
    let custom = match engine.custom_agents() {
        Ok(custom) => custom,
        Err(e) => return fail(e.to_string()),
    };
    let (choice, model) = match agent_and_model(&args.agent, &custom) {
        Ok(picked) => picked,
        Err(e) => return fail(e),
    };
    let scope = match scope_of(args.scope.as_deref(), args.task, args.turn) {
        Ok(scope) => scope,
        Err(e) => return fail(e),
    };
    // The session must be of this project (the engine takes the project from its record).
    match engine.store().session(&SessionId(args.session.clone())) {
        Ok(Some(record)) => match warden_engine::resolve_project_dir(&args.project) {
            Ok(dir) if dir.to_string_lossy() == record.project => {}
            Ok(_) => return fail(format!("session {} belongs to {}", record.id, record.project)),
            Err(e) => return fail(e.to_string()),
        },
        Ok(None) => return fail(format!("there is no session {}", args.session)),
        Err(e) => return fail(e.to_string()),
    }
    let request = ReviewAsk {
        session: SessionId(args.session.clone()),
        scope,
        agent: choice.kind(),
        agent_name: match &choice {
            AgentChoice::Custom(agent) => Some(agent.name.clone()),
            AgentChoice::Preset(_) => None,
        },
        model,
        instructions: args.instructions.clone(),
        run: RunOptions::default(),
        timeout: Duration::from_secs(args.timeout.max(1)),
    };
    let sink: Arc<dyn EventSink> = if args.json { Arc::new(PrintSink(Mutex::new(Transcript::new(true)))) } else { Arc::new(Quiet) };
    // Run through the engine so the review is also reported in the reviewed session's stream
    // (the window shows it); a session another process drives gets no report (see the engine).
    let engine = Arc::new(engine);
    let started = match engine.review_session(request, sink, Arc::new(Quiet)) {
        Ok(started) => started,
        Err(e) => return fail(e.to_string()),
    };
    let outcome = match started.done.await {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(e)) => return fail(e.to_string()),
        Err(e) => return fail(format!("the review stopped: {e}")),
    };
    let code = match outcome.result.verdict {
        ReviewVerdict::Approve => APPROVED,
        ReviewVerdict::NeedsAttention => NEEDS_ATTENTION,
    };
    if args.json {
        let line = Summary::Completed {
            review: &outcome.result,
            hunks: &outcome.input.hunks,
            cost_usd: outcome.cost_usd,
            repaired: outcome.repaired,
            exit_code: code,
        };
        println!("{}", serde_json::to_string(&line).unwrap_or_default());
    } else {
        print!("{}", readable(&outcome.result, outcome.cost_usd));
    }
    code
}

/// The review for a terminal: verdict and summary, then the findings grouped by file.
fn readable(result: &ReviewResult, cost_usd: Option<f64>) -> String {
    let mut out = String::new();
    let verdict = match result.verdict {
        ReviewVerdict::Approve => "approves",
        ReviewVerdict::NeedsAttention => "says this needs attention",
    };
    let who = match &result.reviewer.model {
        Some(model) => format!("{} ({model})", result.reviewer.agent.as_str()),
        None => result.reviewer.agent.as_str().to_owned(),
    };
    let cost = cost_usd.map(|c| format!(", cost ${c:.4}")).unwrap_or_default();
    let session = result.reviewer.session_id.as_ref().map(|s| format!("; its session: {s}")).unwrap_or_default();
    out.push_str(&format!("The reviewer {who} {verdict}{cost}{session}.\n"));
    if !result.summary.trim().is_empty() {
        out.push_str(&format!("{}\n", result.summary.trim()));
    }
    let mut files: Vec<Option<&str>> = Vec::new();
    for finding in &result.findings {
        if !files.contains(&finding.file.as_deref()) {
            files.push(finding.file.as_deref());
        }
    }
    for file in files {
        out.push_str(&format!("\n{}\n", file.unwrap_or("(the change as a whole)")));
        for f in result.findings.iter().filter(|f| f.file.as_deref() == file) {
            let lines = match (f.line_start, f.line_end) {
                (Some(s), Some(e)) if e != s => format!("lines {s}-{e}"),
                (Some(s), _) => format!("line {s}"),
                _ => String::new(),
            };
            let place = match (&f.hunk, f.outside_changes) {
                (Some(hunk), _) => format!("hunk {hunk}"),
                (None, true) => "outside this task's changes".to_owned(),
                (None, false) => String::new(),
            };
            let detail: Vec<&str> = [lines.as_str(), place.as_str()].into_iter().filter(|s| !s.is_empty()).collect();
            out.push_str(&format!("  [{}] {}{}\n", f.severity.as_str(), f.title, if detail.is_empty() { String::new() } else { format!(" ({})", detail.join(", ")) }));
            if !f.body.trim().is_empty() {
                out.push_str(&format!("    {}\n", f.body.trim()));
            }
            if !f.recommendation.trim().is_empty() {
                out.push_str(&format!("    Recommendation: {}\n", f.recommendation.trim()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use warden_core::review::{ReviewFinding, ReviewSeverity, Reviewer};
    use warden_core::session::AgentKind;

    #[test]
    fn the_agent_may_carry_a_model_after_a_colon() {
        let (choice, model) = agent_and_model("codex:gpt-5.5", &[]).unwrap();
        assert_eq!((choice.kind(), model.as_deref()), (AgentKind::Codex, Some("gpt-5.5")));
        let (choice, model) = agent_and_model("claude", &[]).unwrap();
        assert_eq!((choice.kind(), model), (AgentKind::Claude, None));
        assert!(agent_and_model("nobody:model", &[]).is_err());
    }

    #[test]
    fn the_scope_comes_from_scope_task_and_turn() {
        assert_eq!(scope_of(None, Some(2), None), Ok(ReviewScope::Task { task: TaskId(2) }));
        assert_eq!(scope_of(None, None, Some(4)), Ok(ReviewScope::Turn { turn: TurnId(4) }));
        assert_eq!(scope_of(None, None, None), Ok(ReviewScope::Session));
        assert_eq!(scope_of(Some("task"), Some(2), None), Ok(ReviewScope::Task { task: TaskId(2) }));
        assert_eq!(scope_of(Some("turn"), None, Some(4)), Ok(ReviewScope::Turn { turn: TurnId(4) }));
        assert_eq!(scope_of(Some("session"), None, None), Ok(ReviewScope::Session));
        assert_eq!(scope_of(Some("base:origin/main"), None, None), Ok(ReviewScope::Base { base: "origin/main".into() }));
        for (scope, task) in [("task", None), ("turn", None), ("base:", None), ("base:main", Some(1)), ("session", Some(1)), ("branch", None)] {
            assert!(scope_of(Some(scope), task, None).is_err(), "{scope} {task:?}");
        }
    }

    #[test]
    fn the_readable_review_groups_findings_by_file_with_their_place() {
        let finding = |file: Option<&str>, hunk: Option<&str>, outside: bool| ReviewFinding {
            severity: ReviewSeverity::High,
            title: "T".into(),
            body: "B".into(),
            file: file.map(str::to_owned),
            line_start: Some(2),
            line_end: Some(4),
            confidence: Some(0.5),
            recommendation: "R".into(),
            hunk: hunk.map(str::to_owned),
            outside_changes: outside,
        };
        let result = ReviewResult {
            verdict: ReviewVerdict::NeedsAttention,
            summary: "S".into(),
            findings: vec![finding(Some("a.rs"), Some("a.rs#1"), false), finding(Some("b.rs"), None, true), finding(Some("a.rs"), None, false)],
            reviewer: Reviewer { agent: AgentKind::Codex, model: Some("m".into()), session_id: None },
        };
        let text = readable(&result, Some(0.01));
        assert!(text.starts_with("The reviewer codex (m) says this needs attention, cost $0.0100.\nS\n"), "{text}");
        assert!(text.contains("\na.rs\n  [high] T (lines 2-4, hunk a.rs#1)\n    B\n    Recommendation: R\n  [high] T (lines 2-4)\n"), "{text}");
        assert!(text.contains("\nb.rs\n  [high] T (lines 2-4, outside this task's changes)\n"), "{text}");
    }
}
