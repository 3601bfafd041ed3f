//! The real Codex CLI (pinned, `codex app-server`) against the mock Responses API: command and
//! file-change approvals accepted and declined, Warden's rules deciding a Codex question, the
//! file journal recording Codex's changes, interrupt, and resume after a restart.
//!
//! Warden runs Codex with `approvalPolicy: untrusted`: it asks about every command it does not
//! know to only read, inside its sandbox or out of it (`sandbox_permissions:
//! "require_escalated"`), and about every file change; `apply_patch` is offered only to catalog
//! models such as `gpt-5.5`. Grants and deny rules: `codex_grants.rs`.

use crate::support::*;
use serde_json::{json, Value};
use warden_core::permission::{Rule, RuleSet};
use warden_core::session::*;
use warden_engine::{NewSession, RunOptions};
use warden_mock_models::{OpenAiMock, Reply};

/// A model reply that runs `cmd` outside the sandbox, so Codex asks first.
fn escalated(cmd: &str) -> Reply {
    Reply::tool(
        "exec_command",
        json!({"cmd": cmd, "sandbox_permissions": "require_escalated", "justification": "Write in the project"}),
    )
}

/// A model reply that adds `file` with `text` through `apply_patch`.
fn add_file(file: &str, text: &str) -> Reply {
    Reply::custom_tool("apply_patch", &format!("*** Begin Patch\n*** Add File: {file}\n+{text}\n*** End Patch\n"))
}

async fn start(world: &World, mock: &OpenAiMock, model: Option<&str>, sandbox: Sandbox) -> Run {
    let new = NewSession {
        project: world.project.path().to_string_lossy().into_owned(),
        model: model.map(str::to_owned),
        agent: AgentKind::Codex,
        sandbox: Some(sandbox),
        run: RunOptions { binary: Some(codex()), env: codex_env(world.home.path(), &mock.url()), ..Default::default() },
        ..Default::default()
    };
    Run::start_session(&world.engine, new).await
}

fn answer(decision: PermissionDecision) -> PermissionAnswer {
    PermissionAnswer::new(decision)
}

/// The tool call updates of call `id`.
fn updates<'a>(run: &'a Run, id: &'a ToolCallId) -> impl Iterator<Item = &'a ToolCallUpdate> + 'a {
    run.events.iter().filter_map(move |e| match &e.kind {
        SessionEventKind::ToolCallUpdate(u) if &u.id == id => Some(u),
        _ => None,
    })
}

/// Project-relative paths the file journal recorded for the session so far.
fn journaled(run: &Run) -> Vec<String> {
    run.events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::FileChanges(c) => Some(c.ops.iter().map(|op| op.path.clone()).collect::<Vec<_>>()),
            _ => None,
        })
        .flatten()
        .collect()
}

/// The items Codex sent the model with its request number `n` (from 0).
fn request_input(mock: &OpenAiMock, n: usize) -> Vec<Value> {
    let requests = mock.requests();
    let request = requests.get(n).unwrap_or_else(|| panic!("only {} model requests", requests.len()));
    request["input"].as_array().cloned().unwrap_or_default()
}

/// The output the model was given for its tool call `call_id`.
fn tool_output(mock: &OpenAiMock, n: usize, call_id: &str) -> String {
    request_input(mock, n)
        .iter()
        .find(|i| i["call_id"] == call_id && i["type"].as_str().is_some_and(|t| t.ends_with("_output")))
        .map(|i| i["output"].to_string())
        .unwrap_or_else(|| panic!("no output for {call_id} in {:#?}", request_input(mock, n)))
}

/// Every line the real CLI wrote was understood.
fn assert_understood(run: &Run) {
    let raw: Vec<&RawOutput> = run
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::Unrecognised(r) => Some(r),
            _ => None,
        })
        .collect();
    assert!(raw.is_empty(), "lines Warden did not understand: {raw:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_accepted_command_runs_and_the_timeline_and_journal_show_it() {
    let world = World::new();
    let mock = OpenAiMock::start(vec![escalated("touch made.txt && echo made"), Reply::text("All done.")]).unwrap();
    let mut run = start(&world, &mock, None, Sandbox::WorkspaceWrite).await;
    run.handle.prompt("Make the file").await.unwrap();
    let ask = run.permission().await;
    assert_eq!(ask.tool_name, "Bash", "presented as a Bash call, so Bash rules apply");
    assert_eq!(ask.input.command(), Some("touch made.txt && echo made"), "the script, unwrapped from bash -lc");
    assert_eq!(ask.subject, "touch made.txt && echo made");
    assert_eq!(ask.reason.as_deref(), Some("Write in the project"), "the model's justification");
    let offered = ask.offered.clone().expect("Codex lists its decisions");
    assert!(offered.contains(&PermissionDecision::AllowOnce) && offered.contains(&PermissionDecision::DenyAndStop), "{offered:?}");
    assert!(!world.project_path().join("made.txt").exists(), "nothing runs before the answer");
    run.handle.resolve(ask.request_id.clone(), answer(PermissionDecision::AllowOnce), DecisionSource::User).await.unwrap();
    let ended = run.turn_end().await;
    assert_eq!(ended.stop_reason, StopReason::EndTurn, "{ended:?}");
    assert!(world.project_path().join("made.txt").exists());
    assert!(run.text().ends_with("All done."), "{:?}", run.text());
    assert!(ended.usage.input_tokens + ended.usage.cache_read_tokens > 0 && ended.usage.output_tokens > 0, "{:?}", ended.usage);

    let call_id = ask.tool_call_id.clone().expect("the question names its call");
    let call = run.events.iter().find_map(|e| match &e.kind {
        SessionEventKind::ToolCall(c) if c.id == call_id => Some(c.clone()),
        _ => None,
    });
    let call = call.expect("the command is in the timeline");
    assert_eq!((call.kind, call.title.as_str()), (ToolKind::Execute, "Run touch made.txt && echo made"));
    let done = updates(&run, &call_id).find(|u| u.status == Some(ToolCallStatus::Completed)).expect("the command completes");
    let output = done.output.as_ref().expect("with its output");
    assert_eq!(output.text, "made\n");
    assert_eq!(output.raw_output.as_ref().unwrap()["exitCode"], 0);
    assert!(tool_output(&mock, 1, call_id.as_str()).contains("made"), "the model read the output");
    assert!(journaled(&run).contains(&"made.txt".to_owned()), "the journal recorded Codex's file: {:?}", journaled(&run));

    let info = run.events.iter().find_map(|e| match &e.kind {
        SessionEventKind::AgentInfo(i) => Some(i.clone()),
        _ => None,
    });
    let thread = info.expect("Codex named its thread").agent_session_id;
    let record = world.engine.store().session(run.handle.id()).unwrap().unwrap();
    assert_eq!(record.agent_session_id.as_deref(), Some(thread.as_str()), "stored to resume by");
    run.stop().await;
    assert_understood(&run);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_command_runs_nothing_and_the_model_hears_why() {
    let world = World::new();
    let mock = OpenAiMock::start(vec![escalated("touch never.txt"), Reply::text("Understood.")]).unwrap();
    let mut run = start(&world, &mock, None, Sandbox::WorkspaceWrite).await;
    run.handle.prompt("Make the file").await.unwrap();
    let ask = run.permission().await;
    let why = "Use the Makefile target instead.";
    run.handle.resolve(ask.request_id, answer(PermissionDecision::Deny).with_message(why), DecisionSource::User).await.unwrap();
    let ended = run.turn_end().await;
    assert_eq!(ended.stop_reason, StopReason::EndTurn, "a plain denial lets the turn go on: {ended:?}");
    assert!(!world.project_path().join("never.txt").exists(), "a declined command does not run");
    let call_id = ask.tool_call_id.unwrap();
    assert!(updates(&run, &call_id).any(|u| u.status == Some(ToolCallStatus::Denied)), "the timeline shows it denied");
    let told = tool_output(&mock, 1, call_id.as_str());
    assert!(told.contains("rejected"), "Codex told the model the command was rejected: {told}");
    let input = serde_json::to_string(&request_input(&mock, 1)).unwrap();
    assert!(input.contains(why), "the reason reached the model as the person's message: {input}");
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_project_deny_rule_answers_codexs_question_without_asking() {
    let world = World::new();
    let project = world.project_path();
    let deny = RuleSet { allow: vec![], deny: vec![Rule::parse("Bash(touch:*)").unwrap()] };
    world.engine.permissions().set_project_rules(&project.to_string_lossy(), &deny).unwrap();
    let mock = OpenAiMock::start(vec![escalated("touch forbidden.txt"), Reply::text("OK.")]).unwrap();
    let mut run = start(&world, &mock, None, Sandbox::WorkspaceWrite).await;
    run.handle.prompt("Make the file").await.unwrap();
    run.turn_end().await;
    assert!(!run.events.iter().any(|e| matches!(e.kind, SessionEventKind::PermissionRequested(_))), "nobody was asked");
    let denied = run.events.iter().find_map(|e| match &e.kind {
        SessionEventKind::PermissionResolved(r) if r.decision == PermissionDecision::Deny => Some(r.clone()),
        _ => None,
    });
    let denied = denied.expect("the rule denied it");
    assert_eq!((denied.source, denied.subject.as_deref()), (DecisionSource::Rule, Some("touch forbidden.txt")));
    assert!(!project.join("forbidden.txt").exists());
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_accepted_patch_in_a_read_only_sandbox_writes_the_file() {
    let world = World::new();
    let mock = OpenAiMock::start(vec![add_file("hello.txt", "hello from apply_patch"), Reply::text("Patched.")]).unwrap();
    let mut run = start(&world, &mock, Some("gpt-5.5"), Sandbox::ReadOnly).await;
    run.handle.prompt("Add hello.txt").await.unwrap();
    let ask = run.permission().await;
    let target = world.project_path().join("hello.txt");
    assert_eq!(ask.tool_name, "Write", "one added file is a Write");
    assert!(
        matches!(&ask.input, ToolInput::Write { path, content, .. } if path.as_str() == target.to_string_lossy() && content == "hello from apply_patch\n"),
        "the rules read the file's path: {:?}",
        ask.input
    );
    assert_eq!(ask.subject, "hello.txt");
    assert_eq!(ask.offered.as_ref().map(Vec::len), Some(5), "once, for the session, always (Warden's rules), decline or cancel");
    assert!(!target.exists());
    run.handle.resolve(ask.request_id.clone(), answer(PermissionDecision::AllowOnce), DecisionSource::User).await.unwrap();
    let ended = run.turn_end().await;
    assert_eq!(ended.stop_reason, StopReason::EndTurn);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "hello from apply_patch\n");
    let call_id = ask.tool_call_id.unwrap();
    assert!(updates(&run, &call_id).any(|u| u.status == Some(ToolCallStatus::Completed)));
    assert!(journaled(&run).contains(&"hello.txt".to_owned()), "{:?}", journaled(&run));
    assert!(run.text().ends_with("Patched."), "a message that arrives whole still shows: {:?}", run.text());
    run.stop().await;
    assert_understood(&run);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_patch_writes_nothing_and_the_model_is_told() {
    let world = World::new();
    let mock = OpenAiMock::start(vec![add_file("nope.txt", "never"), Reply::text("Fine.")]).unwrap();
    let mut run = start(&world, &mock, Some("gpt-5.5"), Sandbox::ReadOnly).await;
    run.handle.prompt("Add nope.txt").await.unwrap();
    let ask = run.permission().await;
    run.handle.resolve(ask.request_id, answer(PermissionDecision::Deny), DecisionSource::User).await.unwrap();
    assert_eq!(run.turn_end().await.stop_reason, StopReason::EndTurn);
    assert!(!world.project_path().join("nope.txt").exists());
    let call_id = ask.tool_call_id.unwrap();
    assert!(updates(&run, &call_id).any(|u| u.status == Some(ToolCallStatus::Denied)));
    let told = tool_output(&mock, 1, call_id.as_str());
    assert!(told.contains("rejected"), "{told}");
    assert!(journaled(&run).is_empty(), "nothing changed, nothing recorded");
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupt_ends_a_slow_turn_as_cancelled() {
    let world = World::new();
    let long = "A long answer that streams slowly, piece by piece. ".repeat(8);
    let mock = OpenAiMock::start(vec![Reply::text(long).slow(150)]).unwrap();
    let mut run = start(&world, &mock, None, Sandbox::WorkspaceWrite).await;
    run.handle.prompt("Talk").await.unwrap();
    run.until("the answer to begin", |k| matches!(k, SessionEventKind::AgentMessageChunk(_))).await;
    run.handle.interrupt().await.unwrap();
    let ended = run.turn_end().await;
    assert_eq!(ended.stop_reason, StopReason::Cancelled, "{ended:?}");
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resumed_session_continues_codexs_thread_after_a_restart() {
    let mut world = World::new();
    let mock = OpenAiMock::start(vec![Reply::text("I will remember kumquat."), Reply::text("It was kumquat.")]).unwrap();
    let mut run = start(&world, &mock, None, Sandbox::WorkspaceWrite).await;
    run.handle.prompt("Remember the word kumquat.").await.unwrap();
    run.turn_end().await;
    let id = run.handle.id().clone();
    run.stop().await;
    let thread = world.engine.store().session(&id).unwrap().unwrap().agent_session_id.expect("the thread id was stored");

    world.restart();
    let mut resumed = Run::resume(&world.engine, &id, codex(), codex_env(world.home.path(), &mock.url())).await;
    resumed.handle.prompt("Which word?").await.unwrap();
    let ended = resumed.turn_end().await;
    assert_eq!(ended.turn, TurnId(2), "turns count on across processes");
    let info = resumed.events.iter().find_map(|e| match &e.kind {
        SessionEventKind::AgentInfo(i) => Some(i.agent_session_id.clone()),
        _ => None,
    });
    assert_eq!(info.as_deref(), Some(thread.as_str()), "the second process continues the same thread");
    let earlier = serde_json::to_string(&request_input(&mock, 1)).unwrap();
    assert!(earlier.contains("Remember the word kumquat.") && earlier.contains("I will remember kumquat."),
        "the model sees the earlier conversation: {earlier}");
    assert!(!resumed.events.iter().any(|e| matches!(&e.kind, SessionEventKind::Notice(n) if n.text.contains("could not resume"))));
    resumed.stop().await;
    assert_understood(&resumed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_inside_the_workspace_sandbox_is_asked_then_runs_in_it() {
    // Also proves the test environment: with CODEX_HOME inside the temporary folder Codex
    // cannot create its sandbox helper and every sandboxed command fails ("bwrap: execvp
    // codex-linux-sandbox"), which codex_env avoids with a TMPDIR of its own.
    let world = World::new();
    let mock = OpenAiMock::start(vec![
        Reply::tool("exec_command", json!({"cmd": "echo sandboxed > inside.txt && cat inside.txt"})),
        Reply::text("Done."),
    ])
    .unwrap();
    let mut run = start(&world, &mock, None, Sandbox::WorkspaceWrite).await;
    run.handle.prompt("Write inside").await.unwrap();
    // Warden runs Codex with `untrusted`: a command that writes is asked even inside the sandbox.
    let ask = run.permission().await;
    assert_eq!(ask.input.command(), Some("echo sandboxed > inside.txt && cat inside.txt"));
    assert!(!world.project_path().join("inside.txt").exists(), "nothing runs before the answer");
    run.handle.resolve(ask.request_id, answer(PermissionDecision::AllowOnce), DecisionSource::User).await.unwrap();
    let ended = run.turn_end().await;
    assert_eq!(ended.stop_reason, StopReason::EndTurn);
    assert_eq!(std::fs::read_to_string(world.project_path().join("inside.txt")).unwrap(), "sandboxed\n");
    let output = run.events.iter().find_map(|e| match &e.kind {
        SessionEventKind::ToolCallUpdate(u) if u.status == Some(ToolCallStatus::Completed) => u.output.clone(),
        _ => None,
    });
    assert_eq!(output.expect("the command completed").text, "sandboxed\n");
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_with_a_question_open_cancels_it_and_nothing_runs() {
    let world = World::new();
    let mock = OpenAiMock::start(vec![escalated("touch late.txt"), Reply::text("never")]).unwrap();
    let mut run = start(&world, &mock, None, Sandbox::WorkspaceWrite).await;
    run.handle.prompt("Make the file").await.unwrap();
    let ask = run.permission().await;
    run.stop().await;
    let exited = run.events.iter().find_map(|e| match &e.kind {
        SessionEventKind::AgentExited(x) => Some(x.clone()),
        _ => None,
    });
    assert!(exited.expect("Codex exited").expected, "a stop, not a crash");
    let cancelled = run.events.iter().any(|e| {
        matches!(&e.kind, SessionEventKind::PermissionResolved(r)
            if r.request_id == ask.request_id && r.decision == PermissionDecision::Cancelled && r.source == DecisionSource::Shutdown)
    });
    assert!(cancelled, "the open question is answered cancelled: {:#?}", run.kinds());
    assert!(!world.project_path().join("late.txt").exists());
    let warned = run.events.iter().any(|e| matches!(&e.kind, SessionEventKind::Notice(n) if n.text.contains("refused")));
    assert!(!warned, "a cancel interrupts the turn by itself; no second interrupt is refused: {:#?}", run.kinds());
}
