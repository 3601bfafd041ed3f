//! `warden run --pipeline NAME PROMPT`: one task handed along a configured pipeline (plan →
//! implement → review), headless. Every step's session events are printed as `warden run`
//! prints them, the pipeline's state as its own line (`{"pipelineState": …}` with --json, a
//! one-line strip otherwise); permission questions and feedback decisions are answered as in
//! `warden run`, the plan approved from stdin (`{"plan":"approve"|"reject","text":"…"}` with
//! --json, y/n on a terminal) or by `--approve-plan`. Exit codes as `warden run`: 0 passed,
//! 1 failed, 2 nothing ran, 3 not passed (plan rejected, gate not passed, findings left).

use super::approve::Approver;
use super::run::{FeedbackFlag, OnOff, RunArgs, GATE_NOT_PASSED, OK, SETUP_FAILED, TURN_FAILED};
use super::transcript::Transcript;
use std::path::Path;
use std::sync::Arc;
use tokio::sync::mpsc;
use warden_core::pipeline::*;
use warden_core::session::*;
use warden_engine::gate::{FeedbackMode, GateOptions};
use warden_engine::pipeline::{PipelineChannel, PipelineControl, PipelineRequest};
use warden_engine::{ChannelSink, RunOptions, SessionHandle};

/// A plan decision on stdin with `--json`.
#[derive(Debug, serde::Deserialize)]
struct PlanLine {
    plan: PlanWord,
    #[serde(default)]
    text: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
enum PlanWord {
    Approve,
    Reject,
}

/// The pipeline's state as one JSON line.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct StateLine<'a> {
    pipeline_state: &'a PipelineState,
}

/// Runs the pipeline `name`; returns the exit code.
pub async fn run(args: RunArgs, name: &str, data_dir: &Path) -> u8 {
    let fail = |code: u8, message: String| {
        eprintln!("warden: {message}");
        code
    };
    let project = match warden_engine::resolve_project_dir(&args.project) {
        Ok(p) => p,
        Err(e) => return fail(SETUP_FAILED, e.to_string()),
    };
    let spec = match warden_engine::pipeline::find(&project, data_dir, name) {
        Ok(spec) => spec,
        Err(e) => return fail(SETUP_FAILED, e),
    };
    let engine = match super::run::open_engine(data_dir) {
        Ok(engine) => engine,
        Err(e) => return fail(SETUP_FAILED, e),
    };
    let webhooks = crate::webhook_worker::WebhookWorker::start(engine.webhooks())
        .map_err(|e| eprintln!("warden: webhooks are not delivered: {e}"))
        .ok();
    let request = PipelineRequest {
        project: project.to_string_lossy().into_owned(),
        spec,
        prompt: args.prompt.clone(),
        permission_mode: args.permission_mode,
        sandbox: args.sandbox,
        run: RunOptions {
            gate: GateOptions {
                checks: args.checks == OnOff::On,
                feedback: args.feedback.map(|f| match f {
                    FeedbackFlag::Ask => FeedbackMode::Ask,
                    FeedbackFlag::Auto => FeedbackMode::Auto,
                    FeedbackFlag::Never => FeedbackMode::Never,
                }),
                max_rounds: args.max_rounds,
                budget_usd: args.budget,
            },
            ..RunOptions::default()
        },
        run_for: Vec::new(),
    };
    let (tx, mut events) = mpsc::unbounded_channel();
    let (state_tx, mut states) = mpsc::unbounded_channel();
    let (controls, control_rx) = mpsc::unbounded_channel();
    let driving = warden_engine::pipeline::run(&engine, request, Arc::new(ChannelSink(tx)), Arc::new(PipelineChannel(state_tx)), control_rx);
    tokio::pin!(driving);

    let mut out = Transcript::new(args.json);
    let can_ask = args.json || std::io::IsTerminal::is_terminal(&std::io::stdin());
    let feedback_from_stdin = can_ask && args.feedback != Some(FeedbackFlag::Auto) && args.feedback != Some(FeedbackFlag::Never) && args.checks == OnOff::On;
    // Plan decisions come from stdin too.
    let mut approver = Approver::new(args.approve, args.json, feedback_from_stdin || can_ask);
    // The session whose questions stdin answers: the step at work.
    let mut current: Option<SessionHandle> = None;
    let mut proposed: Option<(TaskId, SessionHandle)> = None;
    let mut plan_waiting = false;
    let mut stdin_ended = false;
    let mut last_strip = String::new();
    let mut interrupts = 0;
    let last = loop {
        tokio::select! {
            state = &mut driving => break state,
            Some(state) = states.recv() => {
                show_state(&state, args.json, &mut last_strip);
                if let PipelineStatus::AwaitingApproval { plan } = &state.status {
                    if plan_waiting {
                        continue;
                    }
                    plan_waiting = true;
                    if args.approve_plan {
                        let _ = controls.send(PipelineControl::Plan(PlanDecision::Approve { text: None }));
                    } else if can_ask && !stdin_ended {
                        if !args.json {
                            eprintln!("\nThe plan:\n{plan}\n");
                            eprint!("Approve this plan? [y] approve  [n] reject > ");
                        }
                    } else {
                        eprintln!("warden: the plan needs approval and no one can give it (use --approve-plan, --json or a terminal)");
                        let _ = controls.send(PipelineControl::Plan(PlanDecision::Reject));
                    }
                } else {
                    plan_waiting = false;
                }
            }
            Some(event) = events.recv() => {
                out.print(&event);
                match &event.kind {
                    SessionEventKind::PermissionRequested(request) => {
                        if let Some(handle) = engine.sessions().handle(&event.session_id) {
                            approver.asked(request.clone(), &handle, &mut out).await;
                            current = Some(handle);
                        }
                    }
                    SessionEventKind::PermissionResolved(resolved) => approver.resolved(&resolved.request_id),
                    SessionEventKind::FeedbackProposed(p) => match engine.sessions().handle(&event.session_id) {
                        Some(handle) if feedback_from_stdin && !stdin_ended => {
                            proposed = Some((p.task, handle));
                            if !args.json {
                                eprint!("Send this feedback to the agent? [y] send  [n] dismiss  [a] accept the work as it is > ");
                            }
                        }
                        Some(handle) => {
                            let _ = handle.dismiss_feedback(p.task).await;
                        }
                        None => {}
                    },
                    _ => {}
                }
            }
            line = approver.next_line() => {
                stdin_ended |= line.is_none();
                let Some(line) = line else {
                    if plan_waiting {
                        let _ = controls.send(PipelineControl::Plan(PlanDecision::Reject));
                    }
                    if let Some((task, handle)) = proposed.take() {
                        let _ = handle.dismiss_feedback(task).await;
                    }
                    if let Some(handle) = &current {
                        approver.answer(None, handle, &mut out).await;
                    }
                    continue;
                };
                if line.trim().is_empty() {
                    continue;
                }
                if plan_waiting {
                    if let Some(decision) = plan_decision(&line, args.json) {
                        let _ = controls.send(PipelineControl::Plan(decision));
                        continue;
                    }
                }
                if let Some((task, handle)) = proposed.clone() {
                    if let Some((task, decision, text)) = super::run::feedback_decision(task, &line, args.json) {
                        match handle.decide_feedback(task, decision, text).await {
                            Ok(()) => proposed = None,
                            Err(e) => eprintln!("warden: {e}"),
                        }
                        continue;
                    }
                }
                if let Some(handle) = &current {
                    approver.answer(Some(line), handle, &mut out).await;
                }
            }
            _ = tokio::signal::ctrl_c() => {
                interrupts += 1;
                if interrupts == 1 {
                    eprintln!("warden: stopping the pipeline (Ctrl-C again to leave at once)");
                    let _ = controls.send(PipelineControl::Stop);
                } else {
                    return TURN_FAILED;
                }
            }
        }
    };
    // What is left: the last sessions' stopping events and the final state.
    while let Ok(event) = events.try_recv() {
        out.print(&event);
    }
    while let Ok(state) = states.try_recv() {
        show_state(&state, args.json, &mut last_strip);
    }
    out.finish();
    if let Some(webhooks) = webhooks {
        webhooks.drain_and_stop(engine.webhooks()).await;
    }
    let cost = last.cost_usd().map(|c| format!("; the pipeline cost ${c:.4}")).unwrap_or_default();
    let nothing_ran = last.steps.iter().all(|s| s.session_id.is_none());
    match &last.status {
        PipelineStatus::Passed => OK,
        PipelineStatus::NotPassed { reason } => fail(GATE_NOT_PASSED, format!("{reason}{cost}")),
        PipelineStatus::Failed { reason } if nothing_ran => fail(SETUP_FAILED, reason.clone()),
        PipelineStatus::Failed { reason } => fail(TURN_FAILED, format!("{reason}{cost}")),
        // The driver only returns once the pipeline ended.
        PipelineStatus::Running | PipelineStatus::AwaitingApproval { .. } => fail(TURN_FAILED, "the pipeline did not end".into()),
    }
}

/// A plan decision from a stdin line; `None` when the line is not one.
fn plan_decision(line: &str, json: bool) -> Option<PlanDecision> {
    if json {
        let parsed: PlanLine = serde_json::from_str(line).ok()?;
        return Some(match parsed.plan {
            PlanWord::Approve => PlanDecision::Approve { text: parsed.text },
            PlanWord::Reject => PlanDecision::Reject,
        });
    }
    match line.trim() {
        "y" | "yes" | "approve" => Some(PlanDecision::Approve { text: None }),
        "n" | "no" | "reject" => Some(PlanDecision::Reject),
        _ => None,
    }
}

/// Prints the state: a JSON line, or the strip when it changed.
fn show_state(state: &PipelineState, json: bool, last: &mut String) {
    if json {
        if let Ok(line) = serde_json::to_string(&StateLine { pipeline_state: state }) {
            println!("{line}");
        }
        return;
    }
    let strip = strip(state);
    if strip != *last {
        eprintln!("{strip}");
        *last = strip;
    }
}

/// `pipeline NAME: plan ✓ · implement round 2 … · review — $0.0123`.
fn strip(state: &PipelineState) -> String {
    let steps: Vec<String> = state
        .steps
        .iter()
        .map(|s| {
            let round = if s.role != PipelineRole::Plan && s.round > 1 { format!(" round {}", s.round) } else { String::new() };
            let mark = match s.status {
                StepStatus::Waiting => "",
                StepStatus::Running => " …",
                StepStatus::AwaitingApproval => " (awaiting approval)",
                StepStatus::Done => " ✓",
                StepStatus::ChangesRequested => " (changes requested)",
                StepStatus::Failed => " ✗",
                StepStatus::Skipped => " (skipped)",
            };
            format!("{} ({}){round}{mark}", s.role.as_str(), s.agent)
        })
        .collect();
    let cost = state.cost_usd().map(|c| format!(" — ${c:.4}")).unwrap_or_default();
    format!("pipeline {}: {}{cost}", state.pipeline, steps.join(" · "))
}

#[cfg(test)]
mod tests {
    use super::super::{Cli, Command};
    use super::*;
    use clap::Parser;

    #[test]
    fn the_pipeline_names_the_agents_so_run_takes_no_agent_with_it() {
        let cli = Cli::parse_from(["warden", "run", "--project", "/p", "--pipeline", "pir", "--approve-plan", "go"]);
        let Some(Command::Run(args)) = cli.command else { panic!("a run command") };
        assert_eq!((args.pipeline.as_deref(), args.approve_plan), (Some("pir"), true));
        assert!(Cli::try_parse_from(["warden", "run", "--project", "/p", "--pipeline", "pir", "--agent", "codex", "go"]).is_err());
        assert!(Cli::try_parse_from(["warden", "run", "--project", "/p", "--pipeline", "pir", "--resume", "s", "go"]).is_err());
        assert!(Cli::try_parse_from(["warden", "run", "--project", "/p", "--approve-plan", "go"]).is_err(), "--approve-plan needs --pipeline");
    }

    #[test]
    fn plan_decisions_read_from_json_and_the_terminal() {
        assert_eq!(plan_decision(r#"{"plan":"approve","text":"1. x"}"#, true), Some(PlanDecision::Approve { text: Some("1. x".into()) }));
        assert_eq!(plan_decision(r#"{"plan":"reject"}"#, true), Some(PlanDecision::Reject));
        assert_eq!(plan_decision(r#"{"task":1,"feedback":"send"}"#, true), None, "a feedback line is not a plan decision");
        assert_eq!(plan_decision("y", false), Some(PlanDecision::Approve { text: None }));
        assert_eq!(plan_decision("maybe", false), None);
    }
}
