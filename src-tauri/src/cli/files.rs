//! `warden log`, `warden rollback` and `warden diff`: the file journal of a project without a
//! window. Per-hunk work (`--hunks`) is in `files_hunks.rs`.
//!
//! What to act on is named by `--op ID`, `--tool-call ID`, `--turn N --session S` or
//! `--session S` alone (the whole session). Turn numbers repeat in every session, so `--turn`
//! needs `--session`. Tool call ids are unique to one session in practice (Claude's `toolu_…`),
//! so `--tool-call` finds its session in the log; should two sessions share the id, it asks for
//! `--session`.

use super::run::{OK, SETUP_FAILED, TURN_FAILED};
use clap::Args;
use std::path::Path;
use warden_core::journal::{
    FileImage, FileOp, OpId, PlanAction, RollbackId, RollbackOutcome, RollbackPlan, RollbackReport, RollbackTarget,
};
use warden_core::session::{SessionId, ToolCallId, TurnId};
use warden_engine::journal::unified_diff;
use std::sync::Arc;
use warden_engine::{Engine, Files, FilesError};

/// Arguments of `warden log`.
#[derive(Debug, Args)]
pub struct LogArgs {
    /// The project folder.
    #[arg(long, value_name = "DIR")]
    pub project: String,
    /// Only this session's changes.
    #[arg(long, value_name = "SESSION")]
    pub session: Option<String>,
    /// One JSON object per change and line.
    #[arg(long)]
    pub json: bool,
}

/// Which recorded changes to act on.
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// One recorded change, by the id `warden log` shows.
    #[arg(long, value_name = "ID", group = "what", conflicts_with = "session")]
    pub op: Option<u64>,
    /// Every change of one tool call.
    #[arg(long, value_name = "ID", group = "what")]
    pub tool_call: Option<String>,
    /// Every change of one turn (with --session).
    #[arg(long, value_name = "N", group = "what", requires = "session")]
    pub turn: Option<u32>,
    /// The session: alone, every change it made; with --turn or --tool-call, where to look.
    #[arg(long, value_name = "SESSION")]
    pub session: Option<String>,
}

/// Arguments of `warden rollback`.
#[derive(Debug, Args)]
pub struct RollbackArgs {
    /// The project folder.
    #[arg(long, value_name = "DIR")]
    pub project: String,
    /// What to roll back.
    #[command(flatten)]
    pub target: TargetArgs,
    /// Undo an earlier rollback instead (its id, as a rollback prints it).
    #[arg(long, value_name = "ROLLBACK", group = "what", conflicts_with = "session")]
    pub redo: Option<u64>,
    /// Revert only these hunks of the change --op names (numbered from 1 as `warden diff --op ID
    /// --hunks` and the Files panel show them), comma-separated: a partial rollback, undone by
    /// --redo like any other.
    #[arg(long, value_name = "N,N", value_delimiter = ',', requires = "op", num_args = 1)]
    pub hunks: Option<Vec<u32>>,
    /// Go ahead even over files changed since (a redo can still undo it).
    #[arg(long)]
    pub force: bool,
    /// Only say what the rollback would do, path by path, and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The outcome (with --dry-run, the plan) as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `warden diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The project folder.
    #[arg(long, value_name = "DIR")]
    pub project: String,
    /// What to show.
    #[command(flatten)]
    pub target: TargetArgs,
    /// One JSON object per file and line, contents included.
    #[arg(long)]
    pub json: bool,
    /// The change of --op cut into numbered hunks, as `warden rollback --hunks` takes them.
    #[arg(long, requires = "op")]
    pub hunks: bool,
}

/// `warden log`; returns the exit code.
pub fn log(args: LogArgs, data_dir: &Path) -> u8 {
    let Some(engine) = open(data_dir) else { return SETUP_FAILED };
    let session = args.session.map(SessionId);
    let ops = match engine.file_log(&args.project, session.as_ref()) {
        Ok(ops) => ops,
        Err(e) => return fail(e),
    };
    for op in &ops {
        if args.json {
            println!("{}", serde_json::to_string(op).expect("ops serialise"));
        } else {
            println!("{}", line(op));
        }
    }
    if ops.is_empty() && !args.json {
        println!("No file changes recorded yet.");
    }
    OK
}

/// `warden rollback`; returns 0 when done, 1 when refused over conflicts, 2 on other errors.
/// With `--dry-run`, 0 when the plan could be made (conflicts included: it lists them).
pub fn rollback(args: RollbackArgs, data_dir: &Path) -> u8 {
    let Some(engine) = open(data_dir) else { return SETUP_FAILED };
    if let (Some(hunks), Some(op)) = (&args.hunks, args.target.op) {
        return super::files_hunks::rollback_hunks(&engine, &args.project, op, hunks, args.force, args.dry_run, args.json);
    }
    if args.dry_run {
        return preview(&engine, &args);
    }
    // This command changes files: rollbacks a crash interrupted are settled first.
    if let Some(notice) = engine.recover_rollbacks() {
        eprintln!("warden: {notice}");
    }
    let done = match args.redo {
        Some(id) => engine.redo_outcome(&args.project, RollbackId(id), args.force),
        None => match target(&engine, &args.project, &args.target) {
            Ok(target) => engine.rollback_outcome(&args.project, target, args.force),
            Err(e) => return fail(e),
        },
    };
    let outcome = match done {
        Ok(outcome) => outcome,
        Err(e) => return fail(e),
    };
    if args.json {
        println!("{}", serde_json::to_string(&outcome).expect("outcomes serialise"));
    }
    match outcome {
        RollbackOutcome::Done(report) => {
            if !args.json {
                print_report(&report, args.redo.is_some());
            }
            OK
        }
        RollbackOutcome::Conflicts(conflicts) => {
            eprintln!("warden: refused: {} file(s) changed since the recorded change; nothing was rolled back:", conflicts.len());
            for c in &conflicts {
                eprintln!("  {}: expected {}, found {}", c.path, image(&c.expected), image(&c.found));
            }
            eprintln!("Run again with --force to roll back anyway (a redo can undo that).");
            TURN_FAILED
        }
    }
}

/// `warden rollback --dry-run`: the plan the rollback would carry out, changing nothing (not even
/// settling rollbacks a crash interrupted, which only a changing command does).
fn preview(engine: &Files, args: &RollbackArgs) -> u8 {
    let plan = match args.redo {
        Some(id) => engine.redo_plan(&args.project, RollbackId(id)),
        None => target(engine, &args.project, &args.target).and_then(|t| engine.rollback_plan(&args.project, &t)),
    };
    match plan {
        Ok(plan) if args.json => {
            println!("{}", serde_json::to_string(&plan).expect("plans serialise"));
            OK
        }
        Ok(plan) => {
            print_plan(&plan, args.redo.is_some());
            OK
        }
        Err(e) => fail(e),
    }
}

fn print_plan(plan: &RollbackPlan, redo: bool) {
    let what = if redo { "Redoing" } else { "Rolling back" };
    println!("{what} would undo {} change(s); nothing was changed.", plan.ops.len());
    if plan.steps.is_empty() {
        println!("  No file would change.");
    }
    for step in &plan.steps {
        println!("  {}", step_line(step));
    }
    if !plan.skipped.is_empty() {
        println!("  left alone (.gitignore): {}", plan.skipped.join(", "));
    }
    if !plan.not_kept.is_empty() {
        println!("  refused: the content of {} was not kept (over the size cap)", plan.not_kept.join(", "));
    }
    if !plan.conflicts.is_empty() {
        println!("  changed since (the rollback is refused unless --force):");
        for c in &plan.conflicts {
            println!("    {}: expected {}, found {}", c.path, image(&c.expected), image(&c.found));
        }
    }
}

/// One path of a plan: what happens, to when it goes back, and the ops it undoes.
fn step_line(step: &warden_core::journal::PlanStep) -> String {
    let since = match step.since_rollback {
        Some(rollback) => format!("rollback {rollback}"),
        None => format!("turn {}", step.since_turn),
    };
    let action = match step.action {
        PlanAction::Restore => format!("restore {} as it was before {since}", step.path),
        PlanAction::Remove => format!("remove {} (it did not exist before {since})", step.path),
        PlanAction::Recreate => format!("bring back {} as it was before {since}", step.path),
        PlanAction::Chmod => format!("set the mode of {} back to {:o}", step.path, step.target.as_ref().map_or(0, |t| t.mode)),
    };
    let ops: Vec<String> = step.undoes.iter().map(ToString::to_string).collect();
    format!("{action}  [op {}]", ops.join(", "))
}

/// `warden diff`; returns the exit code.
pub fn diff(args: DiffArgs, data_dir: &Path) -> u8 {
    let Some(engine) = open(data_dir) else { return SETUP_FAILED };
    if let (true, Some(op)) = (args.hunks, args.target.op) {
        return super::files_hunks::print_hunks(&engine, &args.project, op, args.json);
    }
    let diffs = target(&engine, &args.project, &args.target).and_then(|t| engine.file_diff(&args.project, &t));
    let diffs = match diffs {
        Ok(diffs) => diffs,
        Err(e) => return fail(e),
    };
    for diff in &diffs {
        if args.json {
            println!("{}", serde_json::to_string(diff).expect("diffs serialise"));
        } else {
            print!("{}", unified_diff(diff));
        }
    }
    OK
}

/// The target the arguments name.
fn target(engine: &Files, project: &str, args: &TargetArgs) -> Result<RollbackTarget, FilesError> {
    let session = args.session.clone().map(SessionId);
    Ok(match (args.op, &args.tool_call, args.turn, session) {
        (Some(id), ..) => RollbackTarget::Op { id: OpId(id) },
        (_, Some(call), _, Some(session_id)) => RollbackTarget::ToolCall { session_id, tool_call_id: ToolCallId(call.clone()) },
        (_, Some(call), _, None) => {
            let tool_call_id = ToolCallId(call.clone());
            RollbackTarget::ToolCall { session_id: engine.tool_call_session(project, &tool_call_id)?, tool_call_id }
        }
        (_, _, Some(turn), Some(session_id)) => RollbackTarget::Turn { session_id, turn: TurnId(turn) },
        (_, _, _, Some(session_id)) => RollbackTarget::Session { session_id },
        _ => return Err(FilesError::NothingToRollBack("name what with --op, --tool-call, --turn or --session".into())),
    })
}

fn print_report(report: &RollbackReport, redo: bool) {
    let what = if redo { "Redone" } else { "Rolled back" };
    println!("{what}: {} change(s) undone as rollback {}.", report.ops.len(), report.id);
    let list = |label: &str, paths: &[String]| {
        if !paths.is_empty() {
            println!("  {label}: {}", paths.join(", "));
        }
    };
    list("restored", &report.restored);
    list("removed", &report.removed);
    list("left alone (.gitignore)", &report.skipped);
    if report.forced && !report.conflicts.is_empty() {
        let paths: Vec<String> = report.conflicts.iter().map(|c| c.path.clone()).collect();
        list("overwritten despite later changes", &paths);
    }
    println!("Undo it with: warden rollback --project <DIR> --redo {}", report.id);
}

/// One change as a line: id, session, turn, tool call, kind, path, before -> after.
fn line(op: &FileOp) -> String {
    // An op made outside any turn (the project watcher's) belongs to no session.
    let session: String = if warden_engine::journal::is_outside_turn(op) {
        "outside ".into()
    } else {
        op.session_id.as_str().chars().take(8).collect()
    };
    let call = op.tool_call_id.as_ref().map_or("-", |c| c.as_str());
    let mut text = format!(
        "{:>5}  {session}  turn {:<3} {call:<24} {:<7} {}  {} -> {}",
        op.id,
        op.turn,
        op.kind.as_str(),
        op.path,
        image(&op.before),
        image(&op.after)
    );
    if let warden_core::journal::OpKind::Rename { from } = &op.kind {
        text.push_str(&format!("  (from {from})"));
    }
    if let Some(rollback) = op.rollback_id {
        text.push_str(&format!("  [rollback {rollback}]"));
    }
    if let Some(rollback) = op.undone_by {
        text.push_str(&format!("  [undone by rollback {rollback}]"));
    }
    if op.ignored {
        text.push_str("  [.gitignore]");
    }
    text
}

/// A file image in a few characters: size and the start of its hash.
fn image(image: &Option<FileImage>) -> String {
    match image {
        None => "nothing".to_owned(),
        Some(i) => {
            let content = match (&i.hash, i.too_large) {
                (Some(hash), _) => hash.as_str().chars().take(12).collect(),
                (None, true) => "too large".to_owned(),
                (None, false) => "not kept".to_owned(),
            };
            format!("{} B {content} {:o}", i.size, i.mode)
        }
    }
}

/// The engine's files part, over the data folder.
fn open(data_dir: &Path) -> Option<Arc<Files>> {
    match Engine::open(data_dir) {
        Ok((engine, notice)) => {
            if let Some(notice) = notice {
                eprintln!("warden: {notice}");
            }
            Some(engine.files().clone())
        }
        Err(e) => {
            eprintln!("warden: {e}");
            None
        }
    }
}

/// Says what failed; the exit code of a failed setup.
pub(super) fn fail(e: impl std::fmt::Display) -> u8 {
    eprintln!("warden: {e}");
    SETUP_FAILED
}
