//! Pipelines with real CLIs on the mock models: Claude plans in plan mode (its `ExitPlanMode`
//! plan captured, the question denied so it never implements), the person approves an edited
//! plan, Codex implements it under a check, Gemini reviews, its blocking finding goes back to
//! Codex, the second review passes (both reviews reported in Codex's stream). Also: a rejected
//! plan ends the pipeline before anyone implements; the round limit holds when the reviewer
//! keeps blocking; a planner without a plan question (Gemini) gives its answer as the plan, and
//! `approve = "auto"` hands it on without asking.

use crate::gate::write_checks;
use crate::support::*;
use serde_json::{json, Value};
use std::sync::Arc;
use tokio::sync::mpsc;
use warden_core::pipeline::*;
use warden_core::session::*;
use warden_engine::pipeline::{run, PipelineChannel, PipelineControl, PipelineRequest};
use warden_engine::{ChannelSink, RunOptions};
use warden_mock_models::{AnthropicMock, GeminiMock, OpenAiMock, Reply};

const CHECK: &str = "version = 1\n[[check]]\nid = \"done\"\nshell = \"test -f done.txt\"\n";

fn step(role: PipelineRole, agent: &str) -> PipelineStepSpec {
    PipelineStepSpec { role, agent: agent.into(), model: None, approve: PlanApproval::Person, block_on: DEFAULT_BLOCK_ON.to_vec(), instructions: None }
}

fn spec(steps: Vec<PipelineStepSpec>, max_rounds: u32) -> PipelineSpec {
    PipelineSpec { id: "plan-implement-review".into(), name: "Plan, implement, review".into(), max_rounds, steps }
}

/// A Claude planner that writes its plan file and asks to leave plan mode.
fn planner() -> AnthropicMock {
    AnthropicMock::start(vec![
        Reply::tool("Write", json!({"file_path": "{{planFile}}", "content": "# Plan\n1. Write done.txt\n"})),
        Reply::tool("ExitPlanMode", json!({})),
    ])
    .unwrap()
}

fn review_json(severity: Option<&str>) -> String {
    let findings: Vec<Value> = severity
        .map(|s| json!({"severity": s, "title": "done.txt computes zero", "body": "1 - 1 is 0.", "file": "done.txt",
                        "line_start": 1, "line_end": 1, "confidence": 0.9, "recommendation": "Add fixed.txt."}))
        .into_iter()
        .collect();
    let verdict = if findings.is_empty() { "approve" } else { "needs-attention" };
    format!("```json\n{}\n```\n", json!({"verdict": verdict, "summary": "Reviewed.", "findings": findings}))
}

/// What a pipeline run produced.
struct Ran {
    last: PipelineState,
    states: Vec<PipelineState>,
    events: Vec<SessionEvent>,
}

/// Runs the pipeline; every permission question of a step is allowed (as a person would), and
/// `decide` answers each state (the plan's approval).
async fn drive(world: &World, request: PipelineRequest, decide: impl Fn(&PipelineState) -> Option<PipelineControl>) -> Ran {
    let (tx, mut events_rx) = mpsc::unbounded_channel();
    let (state_tx, mut states_rx) = mpsc::unbounded_channel();
    let (controls, control_rx) = mpsc::unbounded_channel();
    let driving = run(&world.engine, request, Arc::new(ChannelSink(tx)), Arc::new(PipelineChannel(state_tx)), control_rx);
    tokio::pin!(driving);
    let mut events: Vec<SessionEvent> = Vec::new();
    let mut states: Vec<PipelineState> = Vec::new();
    let deadline = tokio::time::sleep(WAIT * 4);
    tokio::pin!(deadline);
    let last = {
        loop {
            tokio::select! {
                last = &mut driving => break last,
                _ = &mut deadline => {
                    let kinds: Vec<String> = events.iter().map(|e| format!("{} {:?}", e.session_id, e.kind).chars().take(300).collect()).collect();
                    panic!("the pipeline did not end in time: {:#?}\n{kinds:#?}", states.last());
                }
                Some(event) = events_rx.recv() => {
                    if let SessionEventKind::PermissionRequested(ask) = &event.kind {
                        let handle = world.engine.sessions().handle(&event.session_id).expect("a live step session");
                        let _ = handle.resolve(ask.request_id.clone(), PermissionAnswer::new(PermissionDecision::AllowOnce), DecisionSource::User).await;
                    }
                    events.push(event);
                }
                Some(state) = states_rx.recv() => {
                    if let Some(control) = decide(&state) {
                        controls.send(control).unwrap();
                    }
                    states.push(state);
                }
            }
        }
    };
    while let Ok(event) = events_rx.try_recv() {
        events.push(event);
    }
    Ran { last, states, events }
}

fn request(world: &World, spec: PipelineSpec, runs: Vec<(AgentKind, RunOptions)>) -> PipelineRequest {
    PipelineRequest {
        project: world.project.path().to_string_lossy().into_owned(),
        spec,
        prompt: "Write done.txt".into(),
        permission_mode: PermissionMode::Default,
        sandbox: Some(Sandbox::WorkspaceWrite),
        run: RunOptions::default(),
        run_for: runs,
    }
}

fn statuses(state: &PipelineState) -> Vec<StepStatus> {
    state.steps.iter().map(|s| s.status).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claude_plans_codex_implements_under_a_check_gemini_reviews_and_the_fix_passes() {
    let world = World::new();
    write_checks(&world, CHECK, true);
    let plan_mock = planner();
    let add = |file: &str, line: &str| format!("*** Begin Patch\n*** Add File: {file}\n+{line}\n*** End Patch\n");
    let code_mock = OpenAiMock::start(vec![
        Reply::custom_tool("apply_patch", &add("done.txt", "1 - 1")),
        Reply::text("Done."),
        Reply::custom_tool("apply_patch", &add("fixed.txt", "1")),
        Reply::text("Fixed."),
    ])
    .unwrap();
    let review_mock = GeminiMock::start(vec![Reply::text(review_json(Some("high"))), Reply::text(review_json(None))]).unwrap();
    let home = world.home.path();
    let runs = vec![
        (AgentKind::Claude, RunOptions { binary: Some(claude()), env: claude_env(home, &plan_mock.url()), ..Default::default() }),
        (AgentKind::Codex, RunOptions { binary: Some(codex()), env: codex_env(home, &code_mock.url()), ..Default::default() }),
        (AgentKind::Gemini, RunOptions { binary: Some(gemini()), env: gemini_env(home, &review_mock.url()), ..Default::default() }),
    ];
    // Codex offers `apply_patch` to models it knows.
    let implementer = PipelineStepSpec { model: Some("gpt-5.5".into()), ..step(PipelineRole::Implement, "codex") };
    let steps = vec![step(PipelineRole::Plan, "claude"), implementer, step(PipelineRole::Review, "gemini")];
    let edited = "# Plan\n1. Write done.txt\n2. Keep it small\n";
    let ran = drive(&world, request(&world, spec(steps, 3), runs), |state| match &state.status {
        PipelineStatus::AwaitingApproval { plan } => {
            assert_eq!(plan, "# Plan\n1. Write done.txt\n", "the plan of ExitPlanMode");
            Some(PipelineControl::Plan(PlanDecision::Approve { text: Some(edited.into()) }))
        }
        _ => None,
    })
    .await;
    let last = &ran.last;
    assert_eq!(last.status, PipelineStatus::Passed, "{last:#?}");
    assert_eq!(statuses(last), [StepStatus::Done, StepStatus::Done, StepStatus::Done]);
    assert_eq!((last.round, last.steps[1].round, last.steps[2].round), (2, 2, 2), "one round of review feedback");
    assert_eq!(last.plan.as_deref(), Some(edited), "the person's edit is the plan");
    assert!(ran.states.iter().any(|s| s.steps[2].status == StepStatus::ChangesRequested), "the first review asked for changes");

    // Three sessions of their own; the planner in plan mode, stopped before implementing.
    let ids: Vec<SessionId> = last.steps.iter().map(|s| s.session_id.clone().expect("each step ran a session")).collect();
    assert!(ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2]);
    let planner = world.engine.store().session(&ids[0]).unwrap().unwrap();
    assert_eq!((planner.agent, planner.permission_mode), (AgentKind::Claude, PermissionMode::Plan));
    assert_eq!(plan_mock.remaining(), 0);
    assert_eq!(plan_mock.requests().len(), 2, "the planner was not asked to go on after its plan");
    let plan_questions = ran.events.iter().filter(|e| matches!(&e.kind, SessionEventKind::PermissionRequested(r) if r.tool_name == "ExitPlanMode")).count();
    assert_eq!(plan_questions, 0, "the plan question is the pipeline's, not the caller's");

    // Codex got the edited plan, then the reviewer's finding; both rounds' files are there.
    let sent = serde_json::to_string(&code_mock.requests()).unwrap();
    assert!(sent.contains("Keep it small"), "the edited plan reached the implementer");
    assert!(sent.contains("done.txt computes zero") && sent.contains("Add fixed.txt."), "the finding went back as feedback");
    assert!(world.project_path().join("done.txt").exists() && world.project_path().join("fixed.txt").exists());
    let implementer = world.engine.store().session(&ids[1]).unwrap().unwrap();
    assert_eq!(implementer.agent, AgentKind::Codex);
    let checks_ran = ran.events.iter().filter(|e| e.session_id == ids[1] && matches!(e.kind, SessionEventKind::TaskFinished(_))).count();
    assert_eq!(checks_ran, 2, "each round went through the task gate");
    assert_eq!(review_mock.remaining(), 0, "the reviewer ran twice");
    let reviews: Vec<&ReviewFinished> = ran
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::ReviewFinished(r) if e.session_id == ids[1] => Some(r),
            _ => None,
        })
        .collect();
    assert_eq!(reviews.len(), 2, "both reviews are reported in the implementer's stream");
    assert_ne!(reviews[0].review, reviews[1].review);
    assert_eq!(reviews[1].reviewer.session_id.as_ref(), Some(&ids[2]));
    let reviewer = world.engine.store().session(&ids[2]).unwrap().unwrap();
    assert_eq!(reviewer.reviews.as_ref(), Some(&ids[1]), "the reviewer's session is linked to the implementer's");
    assert!(last.steps[0].cost_usd.is_some() && last.cost_usd().is_some(), "Claude reports the planner's cost");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_plan_ends_the_pipeline_before_anyone_implements() {
    let world = World::new();
    let plan_mock = planner();
    let runs = vec![(AgentKind::Claude, RunOptions { binary: Some(claude()), env: claude_env(world.home.path(), &plan_mock.url()), ..Default::default() })];
    let steps = vec![step(PipelineRole::Plan, "claude"), step(PipelineRole::Implement, "claude")];
    let ran = drive(&world, request(&world, spec(steps, 3), runs), |state| {
        matches!(state.status, PipelineStatus::AwaitingApproval { .. }).then_some(PipelineControl::Plan(PlanDecision::Reject))
    })
    .await;
    assert_eq!(ran.last.status, PipelineStatus::NotPassed { reason: "the person rejected the plan".into() });
    assert_eq!(statuses(&ran.last), [StepStatus::Failed, StepStatus::Skipped]);
    assert!(ran.last.steps[1].session_id.is_none(), "no implementer started");
    assert!(!world.project_path().join("done.txt").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_round_limit_holds_when_the_reviewer_keeps_blocking() {
    let world = World::new();
    let done = world.project_path().join("done.txt");
    let code_mock = AnthropicMock::start(vec![
        Reply::tool("Write", json!({"file_path": done, "content": "1 - 1\n"})),
        Reply::text("Done."),
        Reply::tool("Write", json!({"file_path": done, "content": "1 - 1 + 0\n"})),
        Reply::text("Fixed."),
    ])
    .unwrap();
    let review_mock = GeminiMock::start(vec![Reply::text(review_json(Some("critical"))), Reply::text(review_json(Some("critical")))]).unwrap();
    let home = world.home.path();
    let runs = vec![
        (AgentKind::Claude, RunOptions { binary: Some(claude()), env: claude_env(home, &code_mock.url()), ..Default::default() }),
        (AgentKind::Gemini, RunOptions { binary: Some(gemini()), env: gemini_env(home, &review_mock.url()), ..Default::default() }),
    ];
    let steps = vec![step(PipelineRole::Implement, "claude"), step(PipelineRole::Review, "gemini")];
    let ran = drive(&world, request(&world, spec(steps, 2), runs), |_| None).await;
    assert_eq!(ran.last.status, PipelineStatus::NotPassed { reason: "the reviewers' blocking findings remain after 2 round(s)".into() }, "{:#?}", ran.last);
    assert_eq!(statuses(&ran.last), [StepStatus::Done, StepStatus::ChangesRequested]);
    assert_eq!(ran.last.round, 2);
    assert_eq!(std::fs::read_to_string(&done).unwrap(), "1 - 1 + 0\n", "the second round ran");
    assert_eq!((code_mock.remaining(), review_mock.remaining()), (0, 0), "no third round");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_planner_without_a_plan_question_gives_its_answer_as_the_plan_and_auto_approval_goes_on() {
    let world = World::new();
    let done = world.project_path().join("done.txt");
    let plan_mock = GeminiMock::start(vec![Reply::text("1. Write done.txt\n2. Say so")]).unwrap();
    let code_mock = AnthropicMock::start(vec![Reply::tool("Write", json!({"file_path": done, "content": "done\n"})), Reply::text("Done.")]).unwrap();
    let home = world.home.path();
    let runs = vec![
        (AgentKind::Gemini, RunOptions { binary: Some(gemini()), env: gemini_env(home, &plan_mock.url()), ..Default::default() }),
        (AgentKind::Claude, RunOptions { binary: Some(claude()), env: claude_env(home, &code_mock.url()), ..Default::default() }),
    ];
    let planner = PipelineStepSpec { approve: PlanApproval::Auto, ..step(PipelineRole::Plan, "gemini") };
    let ran = drive(&world, request(&world, spec(vec![planner, step(PipelineRole::Implement, "claude")], 3), runs), |_| None).await;
    assert_eq!(ran.last.status, PipelineStatus::Passed, "{:#?}", ran.last);
    assert_eq!(ran.last.plan.as_deref(), Some("1. Write done.txt\n2. Say so"), "the planner's answer is the plan");
    assert!(!ran.states.iter().any(|s| matches!(s.status, PipelineStatus::AwaitingApproval { .. })), "auto approval asks no one");
    let planner = world.engine.store().session(ran.last.steps[0].session_id.as_ref().unwrap()).unwrap().unwrap();
    assert_eq!((planner.agent, planner.permission_mode), (AgentKind::Gemini, PermissionMode::Plan));
    assert!(serde_json::to_string(&code_mock.requests()).unwrap().contains("2. Say so"), "the implementer got the plan");
    assert_eq!(std::fs::read_to_string(&done).unwrap(), "done\n");
}
