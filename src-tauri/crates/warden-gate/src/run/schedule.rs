//! Several checks in one run: in parallel, except that a check starts only once every check it
//! comes `after` (among those in this run) has passed; when one of them did not pass, it is
//! skipped with the reason. Stop cancels what runs and what has not started.

use super::{run_check, Cancel, CheckResult, CheckStatus, CheckToRun, ErrorReason, RunOptions};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::task::JoinSet;

/// Where a check is.
enum State {
    Waiting,
    Running,
    Done(CheckResult),
}

/// Runs `checks` and returns their results in the same order. `on_done` sees each result as
/// it comes (a check that finished, or was skipped or cancelled without running).
///
/// An `after` naming a check that is not in this run is ignored: `after` orders a run, it
/// does not pull other checks into it. Checks that wait on each other in a circle are
/// skipped with that reason.
pub async fn run_checks(
    checks: Vec<CheckToRun>,
    options: &RunOptions,
    cancel: &Cancel,
    mut on_done: impl FnMut(&CheckResult),
) -> Vec<CheckResult> {
    let checks: Vec<Arc<CheckToRun>> = checks.into_iter().map(Arc::new).collect();
    let options = Arc::new(options.clone());
    let mut states: Vec<State> = checks.iter().map(|_| State::Waiting).collect();
    let mut running: JoinSet<(usize, CheckResult)> = JoinSet::new();
    let mut tasks: HashMap<tokio::task::Id, usize> = HashMap::new();
    loop {
        // Start or skip what can be decided now; repeat, since a skip can decide others.
        let mut changed = true;
        while changed {
            changed = false;
            for i in 0..checks.len() {
                if !matches!(states[i], State::Waiting) {
                    continue;
                }
                let check = &checks[i];
                if cancel.is_cancelled() {
                    let result = CheckResult::without_run(
                        check,
                        CheckStatus::Error { reason: ErrorReason::Cancelled, detail: "stopped before it started".to_string() },
                    );
                    on_done(&result);
                    states[i] = State::Done(result);
                    changed = true;
                    continue;
                }
                match readiness(check, &checks, &states) {
                    Readiness::Wait => {}
                    Readiness::Skip(reason) => {
                        let result = CheckResult::without_run(check, CheckStatus::Skipped { reason });
                        on_done(&result);
                        states[i] = State::Done(result);
                        changed = true;
                    }
                    Readiness::Start => {
                        let check = Arc::clone(check);
                        let options = Arc::clone(&options);
                        let cancel = cancel.clone();
                        let task = running.spawn(async move { (i, run_check(&check, &options, &cancel).await) });
                        tasks.insert(task.id(), i);
                        states[i] = State::Running;
                        changed = true;
                    }
                }
            }
        }
        if running.is_empty() {
            break;
        }
        match running.join_next().await {
            Some(Ok((i, result))) => {
                on_done(&result);
                states[i] = State::Done(result);
            }
            Some(Err(e)) => {
                // A check's task panicked: it ends as an error instead of being waited on.
                tracing::error!("a check's task ended abnormally: {e}");
                if let Some(&i) = tasks.get(&e.id()) {
                    let result = CheckResult::without_run(
                        &checks[i],
                        CheckStatus::Error { reason: ErrorReason::SpawnFailed, detail: format!("the runner failed: {e}") },
                    );
                    on_done(&result);
                    states[i] = State::Done(result);
                }
            }
            None => break,
        }
    }
    // Whatever is still waiting waits on a circle.
    checks
        .iter()
        .zip(states)
        .map(|(check, state)| match state {
            State::Done(result) => result,
            State::Waiting => {
                let result = CheckResult::without_run(
                    check,
                    CheckStatus::Skipped { reason: format!("its `after` ({}) waits on itself in a circle", check.after.join(", ")) },
                );
                on_done(&result);
                result
            }
            State::Running => CheckResult::without_run(
                check,
                CheckStatus::Error { reason: ErrorReason::SpawnFailed, detail: "the runner lost it (an internal error)".to_string() },
            ),
        })
        .collect()
}

enum Readiness {
    Wait,
    Start,
    Skip(String),
}

fn readiness(check: &CheckToRun, checks: &[Arc<CheckToRun>], states: &[State]) -> Readiness {
    for dep in &check.after {
        let Some(j) = checks.iter().position(|c| &c.id == dep) else { continue };
        match &states[j] {
            State::Waiting | State::Running => return Readiness::Wait,
            State::Done(result) => match &result.status {
                CheckStatus::Passed => {}
                CheckStatus::Failed => return Readiness::Skip(format!("`{dep}` failed")),
                CheckStatus::Error { reason, .. } => return Readiness::Skip(format!("`{dep}` could not run ({reason})")),
                CheckStatus::Skipped { .. } => return Readiness::Skip(format!("`{dep}` was skipped")),
            },
        }
    }
    Readiness::Start
}
