//! Steering and model switches with the real CLIs against the mock models: a Codex steer reaches
//! the model inside the running turn; a model (and effort) switch is what the next request to
//! the mock model names, for Claude Code, Codex and Claude Code over ACP; an agent that cannot
//! steer is refused with the reason, and nothing reaches it.

use crate::support::*;
use serde_json::{json, Value};
use warden_core::session::*;
use warden_engine::{NewSession, RunOptions, SessionError};
use warden_mock_models::{AnthropicMock, OpenAiMock, Reply};

/// Waits for the controls event with `pred` true.
async fn controls(run: &mut Run, what: &str, pred: impl Fn(&SessionControls) -> bool) -> SessionControls {
    match run.until(what, |k| matches!(k, SessionEventKind::Controls(c) if pred(c))).await {
        SessionEventKind::Controls(c) => c,
        _ => unreachable!(),
    }
}

async fn start_codex(world: &World, mock: &OpenAiMock) -> Run {
    let new = NewSession {
        project: world.project.path().to_string_lossy().into_owned(),
        agent: AgentKind::Codex,
        sandbox: Some(Sandbox::WorkspaceWrite),
        run: RunOptions { binary: Some(codex()), env: codex_env(world.home.path(), &mock.url()), ..Default::default() },
        ..Default::default()
    };
    Run::start_session(&world.engine, new).await
}

/// Every text the person's messages to the model carried in request `n`.
fn user_texts(request: &Value) -> String {
    request["input"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|i| i["role"] == "user")
        .map(|i| i["content"].to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The conversation's request (with tools, unlike Claude's side requests) carrying `prompt`.
fn main_request<'a>(requests: &'a [Value], prompt: &str) -> &'a Value {
    requests
        .iter()
        .rev()
        .find(|r| r.get("tools").is_some() && r["messages"].to_string().contains(prompt))
        .unwrap_or_else(|| panic!("no request for {prompt:?} in {requests:#?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_codex_steer_reaches_the_model_inside_the_running_turn() {
    let world = World::new();
    let command = Reply::tool(
        "exec_command",
        json!({"cmd": "touch steered.txt", "sandbox_permissions": "require_escalated", "justification": "Write in the project"}),
    );
    let mock = OpenAiMock::start(vec![command, Reply::text("Done, with bananas.")]).unwrap();
    let mut run = start_codex(&world, &mock).await;
    let c = controls(&mut run, "Codex's controls", |c| c.can_steer).await;
    assert!(c.can_switch_model && c.applies_next_turn, "{c:?}");
    let turn = run.handle.prompt("Make the file").await.unwrap();
    // The turn waits on the question: the steer goes in while it runs.
    let ask = run.permission().await;
    run.handle.steer("Also mention bananas when you are done.").await.unwrap();
    let steered = run
        .until("the steer recorded", |k| matches!(k, SessionEventKind::UserMessage(m) if m.origin == MessageOrigin::Steer))
        .await;
    let SessionEventKind::UserMessage(m) = steered else { unreachable!() };
    assert_eq!(m.turn, turn, "recorded in the running turn, which goes on");
    run.handle.resolve(ask.request_id, PermissionAnswer::new(PermissionDecision::AllowOnce), DecisionSource::User).await.unwrap();
    let ended = run.turn_end().await;
    assert_eq!((ended.turn, ended.stop_reason), (turn, StopReason::EndTurn), "{ended:?}");
    let requests = mock.requests();
    assert_eq!(requests.len(), 2, "one turn, two model requests");
    assert!(!user_texts(&requests[0]).contains("bananas"));
    assert!(user_texts(&requests[1]).contains("Also mention bananas"), "the steer is in the turn's next request: {}", user_texts(&requests[1]));
    let turns = run.events.iter().filter(|e| matches!(&e.kind, SessionEventKind::TurnEnded(_))).count();
    assert_eq!(turns, 1, "no second turn");
    // Nothing to steer between turns.
    assert_eq!(run.handle.steer("late").await, Err(SessionError::Controls(ControlsError::NoTurn)));
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_codex_model_and_effort_switch_is_what_the_next_request_names() {
    let world = World::new();
    let mock = OpenAiMock::start(vec![Reply::text("One."), Reply::text("Two.")]).unwrap();
    let mut run = start_codex(&world, &mock).await;
    controls(&mut run, "Codex's controls", |c| c.can_switch_model).await;
    run.handle.prompt("First").await.unwrap();
    run.turn_end().await;
    run.handle.set_model(Some("mock-other".into()), Some(Effort::from("high"))).await.unwrap();
    let c = controls(&mut run, "the switch", |c| c.model.as_deref() == Some("mock-other")).await;
    assert_eq!(c.effort, Some(Effort::from("high")));
    run.handle.prompt("Second").await.unwrap();
    run.turn_end().await;
    let requests = mock.requests();
    assert_eq!(requests[0]["model"], "mock-model");
    assert_eq!(requests[1]["model"], "mock-other", "the switch names the next request's model");
    assert_eq!(requests[1]["reasoning"]["effort"], "high", "{}", requests[1]["reasoning"]);
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claude_model_switch_is_what_the_next_request_names_and_claude_is_not_steered() {
    let world = World::new();
    let mock = AnthropicMock::start(vec![Reply::text("One."), Reply::text("Two.")]).unwrap();
    let mut run = Run::start(&world.engine, world.project.path(), claude(), claude_env(world.home.path(), &mock.url())).await;
    let c = controls(&mut run, "Claude's controls", |c| c.can_switch_model).await;
    assert!(!c.can_steer && !c.switch_while_running && c.any_model, "{c:?}");
    assert!(!c.models.is_empty(), "the initialize response lists Claude's models");
    assert_eq!(run.handle.steer("now").await, Err(SessionError::Controls(ControlsError::CannotSteer)));
    run.handle.prompt("First").await.unwrap();
    run.turn_end().await;
    let first = main_request(&mock.requests(), "First").clone();
    // A model Claude lists (its alias), with an effort it takes.
    let target = c.models.iter().map(|m| m.id.as_str()).find(|m| *m == "sonnet").expect("Claude lists Sonnet");
    let effort = c.efforts_for(Some(target)).iter().find(|e| e.as_str() == "high").cloned().expect("Sonnet takes high");
    run.handle.set_model(Some(target.into()), Some(effort.clone())).await.unwrap();
    let switched = controls(&mut run, "the switch", |c| c.model.as_deref() == Some(target)).await;
    assert_eq!(switched.effort.as_ref(), Some(&effort));
    let record = world.engine.store().session(run.handle.id()).unwrap().unwrap();
    assert_eq!(record.model.as_deref(), Some(target), "a resumed session starts in the model chosen");
    run.handle.prompt("Second").await.unwrap();
    // Between turns only: refused during one.
    assert_eq!(
        run.handle.set_model(Some("haiku".into()), None).await,
        Err(SessionError::Controls(ControlsError::Running))
    );
    run.turn_end().await;
    let last = main_request(&mock.requests(), "Second").clone();
    let named = last["model"].as_str().unwrap_or_default().to_owned();
    assert!(named.contains("sonnet") && first["model"] != named.as_str(), "the switch names the next request's model: {named}, first {}", first["model"]);
    assert_eq!(last["output_config"]["effort"], "high", "the effort reaches the model: {}", last["output_config"]);
    assert_ne!(first["output_config"]["effort"], "high", "{}", first["output_config"]);
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_acp_model_switch_goes_through_the_agents_config_option_and_names_the_next_request() {
    let world = World::new();
    let mock = AnthropicMock::start(vec![Reply::text("One."), Reply::text("Two.")]).unwrap();
    let new = NewSession {
        project: world.project.path().to_string_lossy().into_owned(),
        agent: AgentKind::ClaudeAcp,
        run: RunOptions { binary: Some(claude_acp()), env: claude_acp_env(world.home.path(), &mock.url()), ..Default::default() },
        ..Default::default()
    };
    let mut run = Run::start_session(&world.engine, new).await;
    let c = controls(&mut run, "the adapter's model options", |c| c.can_switch_model).await;
    assert!(!c.can_steer && !c.any_model && !c.switch_while_running, "{c:?}");
    let other = c.models.iter().find(|m| Some(&m.id) != c.model.as_ref() && m.id.contains("haiku")).map(|m| m.id.clone());
    let other = other.unwrap_or_else(|| panic!("a Haiku model to switch to in {:?}", c.models));
    // A model the agent did not offer is refused before it reaches the agent.
    assert!(matches!(run.handle.set_model(Some("no-such-model".into()), None).await, Err(SessionError::Controls(ControlsError::UnknownModel(_)))));
    run.handle.prompt("First").await.unwrap();
    run.turn_end().await;
    run.handle.set_model(Some(other.clone()), None).await.unwrap();
    controls(&mut run, "the agent's answer", |c| c.model.as_deref() == Some(other.as_str())).await;
    let before = mock.requests().len();
    run.handle.prompt("Second").await.unwrap();
    run.turn_end().await;
    let requests = mock.requests();
    let main = main_request(&requests[before..], "Second");
    assert!(main["model"].as_str().is_some_and(|m| m.contains("haiku")), "{}", main["model"]);
    run.stop().await;
}
