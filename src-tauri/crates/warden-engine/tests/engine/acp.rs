//! ACP sessions with real agents: Gemini CLI 0.61.0 (`gemini --acp`) against the mock Gemini
//! API, the Claude Code ACP adapter 0.100.0 against the mock Anthropic API, and the Codex ACP
//! adapter 0.16.0 against the mock OpenAI Responses API.
//!
//! Warden advertises `fs.readTextFile`/`fs.writeTextFile`, so Gemini reads and writes files
//! through Warden: an allowed `write_file` is written by the actor and recorded by the file
//! journal as that call's change. Warden also offers terminals (`terminal/*`); a scripted ACP
//! agent uses them, since none of the real ones does.

use crate::support::*;
use serde_json::{json, Value};
use std::path::Path;
use std::time::{Duration, Instant};
use warden_core::session::*;
use warden_engine::{NewSession, RunOptions};
use warden_mock_models::{AnthropicMock, GeminiMock, OpenAiMock, Reply};

async fn start_gemini(world: &World, mock: &GeminiMock) -> Run {
    let new = NewSession {
        project: world.project.path().to_string_lossy().into_owned(),
        agent: AgentKind::Gemini,
        run: RunOptions { binary: Some(gemini()), env: gemini_env(world.home.path(), &mock.url()), ..Default::default() },
        ..Default::default()
    };
    Run::start_session(&world.engine, new).await
}

async fn start_claude_acp(world: &World, mock: &AnthropicMock) -> Run {
    let new = NewSession {
        project: world.project.path().to_string_lossy().into_owned(),
        agent: AgentKind::ClaudeAcp,
        run: RunOptions { binary: Some(claude_acp()), env: claude_acp_env(world.home.path(), &mock.url()), ..Default::default() },
        ..Default::default()
    };
    Run::start_session(&world.engine, new).await
}

/// Gemini's `write_file` tool writing `text` to `path`.
fn write_file(path: &Path, text: &str) -> Reply {
    Reply::tool("write_file", json!({"file_path": path.to_string_lossy(), "content": text}))
}

fn started_pid(run: &Run) -> u32 {
    run.events
        .iter()
        .find_map(|e| match &e.kind {
            SessionEventKind::Started(s) => s.pid,
            _ => None,
        })
        .expect("the Started event names the process")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gemini_writes_an_allowed_file_through_warden_and_the_journal_records_it_as_the_call() {
    let world = World::new();
    let file = world.project_path().join("hello.txt");
    let mock = GeminiMock::start(vec![write_file(&file, "hello from the gemini mock\n"), Reply::text("Done writing.")]).unwrap();
    let mut run = start_gemini(&world, &mock).await;
    run.handle.prompt("write hello.txt").await.unwrap();

    let question = run.permission().await;
    assert_eq!(question.tool_name, "Write", "an edit with a diff from nothing creates a file");
    assert_eq!(question.input.file_path(), Some(file.to_string_lossy().as_ref()));
    assert_eq!(question.subject, "hello.txt", "Warden's rules saw a file inside the project");
    use PermissionDecision::*;
    assert_eq!(question.offered, Some(vec![AllowOnce, AllowSession, AllowAlways, Deny, DenyAndStop]));
    let call = question.tool_call_id.clone().expect("the question names its call");
    assert!(!file.exists(), "nothing is written before the answer");
    run.handle.resolve(question.request_id, PermissionAnswer::new(AllowOnce), DecisionSource::User).await.unwrap();

    let end = run.turn_end().await;
    assert_eq!(end.stop_reason, StopReason::EndTurn, "{:#?}", run.kinds());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "hello from the gemini mock\n");
    assert!(run.text().contains("Done writing."));
    // Only Warden's own write is bracketed by the call: a change Gemini made by itself would be
    // tied to the turn alone.
    let changes: Vec<&FileChanges> = run
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::FileChanges(c) => Some(c),
            _ => None,
        })
        .collect();
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(changes[0].tool_call_id.as_ref(), Some(&call));
    assert_eq!(changes[0].ops.iter().map(|op| op.path.as_str()).collect::<Vec<_>>(), vec!["hello.txt"]);
    let log = world.engine.files().file_log(&world.project_path().to_string_lossy(), Some(run.handle.id())).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!((log[0].path.as_str(), log[0].tool_call_id.as_ref()), ("hello.txt", Some(&call)));
    let completed = run.events.iter().any(|e| {
        matches!(&e.kind, SessionEventKind::ToolCallUpdate(u) if u.id == call && u.status == Some(ToolCallStatus::Completed))
    });
    assert!(completed, "{:#?}", run.kinds());
    let responses = mock.function_responses();
    assert!(responses.iter().any(|r| r["name"] == "write_file" && r["response"].get("error").is_none()), "{responses:#?}");
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gemini_rejected_leaves_no_file_and_the_model_is_told() {
    let world = World::new();
    let file = world.project_path().join("hello.txt");
    let mock = GeminiMock::start(vec![write_file(&file, "hello\n"), Reply::text("Not writing then.")]).unwrap();
    let mut run = start_gemini(&world, &mock).await;
    run.handle.prompt("write hello.txt").await.unwrap();
    let question = run.permission().await;
    let call = question.tool_call_id.clone().unwrap();
    let deny = PermissionAnswer::new(PermissionDecision::Deny);
    run.handle.resolve(question.request_id, deny, DecisionSource::User).await.unwrap();
    let end = run.turn_end().await;
    assert_eq!(end.stop_reason, StopReason::EndTurn);
    assert!(!file.exists());
    let denied = run.events.iter().any(|e| {
        matches!(&e.kind, SessionEventKind::ToolCallUpdate(u) if u.id == call && u.status == Some(ToolCallStatus::Denied))
    });
    assert!(denied, "Gemini says nothing more about a rejected call, so Warden closes it: {:#?}", run.kinds());
    let responses = mock.function_responses();
    let told = responses.iter().any(|r| r["response"]["error"].as_str().is_some_and(|e| e.contains("canceled by the user")));
    assert!(told, "the model hears of the refusal: {responses:#?}");
    assert!(run.text().contains("Not writing then."));
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gemini_writes_its_own_temporary_folder_itself_and_the_question_says_it_is_outside() {
    // Gemini CLI refuses paths outside its workspace by itself (links followed) except its own
    // temporary folder for the project (`~/.gemini/tmp/<project>`), which it writes without
    // going through the client's `fs/write_text_file`. Warden cannot stop that write; its
    // question says the file is outside the project, so the person can.
    let world = World::new();
    let mock = GeminiMock::start(vec![]).unwrap();
    let mut run = start_gemini(&world, &mock).await;
    run.until("the session to be open", |k| matches!(k, SessionEventKind::Status(SessionStatus::Ready))).await;
    let registry: Value =
        serde_json::from_str(&std::fs::read_to_string(world.home.path().join(".gemini/projects.json")).unwrap()).unwrap();
    let slug = registry["projects"][world.project_path().to_string_lossy().as_ref()].as_str().expect("Gemini registered the project");
    let target = world.home.path().join(".gemini/tmp").join(slug).join("notes.txt");
    mock.push(write_file(&target, "notes\n"));
    mock.push(Reply::text("Noted."));
    run.handle.prompt("take notes").await.unwrap();
    let question = run.permission().await;
    assert!(question.outside_project.iter().any(|p| p.ends_with("notes.txt")), "the question says so: {question:#?}");
    let deny = PermissionAnswer::new(PermissionDecision::Deny);
    run.handle.resolve(question.request_id, deny, DecisionSource::User).await.unwrap();
    run.turn_end().await;
    assert!(!target.exists(), "denied, it is not written");
    run.stop().await;
}

/// A minimal ACP agent as a shell script, defined as a custom agent: it opens a session, and on
/// the first prompt asks the client to write `outside` and keeps the answer in `answer`; then it
/// ignores the end of its input, as some ACP agents do, with a child of its own (its pid in
/// `pidfile`).
fn stub_agent(dir: &Path, outside: &Path, answer: &Path, pidfile: &Path) -> warden_core::agent::CustomAgent {
    let script = dir.join("stub-acp-agent");
    let text = format!(
        r#"#!/bin/sh
read -r line
echo '{{"jsonrpc":"2.0","id":0,"result":{{"protocolVersion":1,"agentCapabilities":{{}},"agentInfo":{{"name":"stub","version":"1.0.0"}}}}}}'
read -r line
echo '{{"jsonrpc":"2.0","id":1,"result":{{"sessionId":"stub-session"}}}}'
if read -r line; then
  echo '{{"jsonrpc":"2.0","id":"w-1","method":"fs/write_text_file","params":{{"sessionId":"stub-session","path":"{outside}","content":"escaped"}}}}'
  read -r reply
  printf '%s\n' "$reply" > '{answer}'
  echo '{{"jsonrpc":"2.0","id":2,"result":{{"stopReason":"end_turn"}}}}'
fi
while read -r line; do :; done
sleep 600 &
echo $! > '{pidfile}'
wait
"#,
        outside = outside.display(),
        answer = answer.display(),
        pidfile = pidfile.display(),
    );
    std::fs::write(&script, text).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    warden_core::agent::CustomAgent { name: "stub".into(), command: script.to_string_lossy().into_owned(), args: Vec::new(), env: Vec::new() }
}

async fn start_stub(world: &World, agent: warden_core::agent::CustomAgent) -> Run {
    world.engine.set_custom_agents(&[agent]).unwrap();
    let new = NewSession {
        project: world.project.path().to_string_lossy().into_owned(),
        agent: AgentKind::Custom,
        agent_name: Some("stub".into()),
        ..Default::default()
    };
    Run::start_session(&world.engine, new).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_outside_the_project_is_refused_with_a_clear_error() {
    let world = World::new();
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("escaped.txt");
    let answer = world.home.path().join("answer.json");
    let agent = stub_agent(world.home.path(), &target, &answer, &world.home.path().join("pid"));
    let mut run = start_stub(&world, agent).await;
    run.handle.prompt("write outside").await.unwrap();
    let end = run.turn_end().await;
    assert_eq!(end.stop_reason, StopReason::EndTurn);
    assert!(!target.exists(), "nothing is written outside the project");
    let reply: Value = serde_json::from_str(&std::fs::read_to_string(&answer).unwrap()).unwrap();
    assert_eq!(reply["id"], "w-1", "answered under the agent's own (string) id");
    assert_eq!(reply["error"]["code"], -32602);
    let message = reply["error"]["message"].as_str().unwrap();
    assert!(message.contains("outside the project folder") && message.contains("escaped.txt"), "{message}");
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_claude_acp_adapter_completes_a_turn_with_a_permission_round_trip() {
    let world = World::new();
    let marker = world.project_path().join("out.txt");
    let command = format!("echo hello-from-mock > {}", marker.display());
    let mock = AnthropicMock::start(vec![
        Reply::tool("Bash", json!({"command": command, "description": "Write a marker file"})),
        Reply::text("Done - the command ran."),
    ])
    .unwrap();
    let mut run = start_claude_acp(&world, &mock).await;
    // Under 10 characters: the adapter asks the model to title a session only after a longer
    // first prompt, and that side request would take the scripted tool call.
    run.handle.prompt("Make it.").await.unwrap();
    let question = run.permission().await;
    assert_eq!(question.tool_name, "Bash", "Claude's tool name comes through the adapter");
    assert_eq!(question.input.command(), Some(command.as_str()));
    let offered = question.offered.clone().unwrap();
    assert!(offered.contains(&PermissionDecision::AllowOnce) && offered.contains(&PermissionDecision::Deny), "{offered:?}");
    run.handle.resolve(question.request_id, PermissionAnswer::new(PermissionDecision::AllowOnce), DecisionSource::User).await.unwrap();
    let end = run.turn_end().await;
    assert_eq!(end.stop_reason, StopReason::EndTurn, "{:#?}", run.kinds());
    assert_eq!(std::fs::read_to_string(&marker).unwrap(), "hello-from-mock\n");
    assert!(run.text().contains("the command ran"), "{}", run.text());
    let info = run.events.iter().find_map(|e| match &e.kind {
        SessionEventKind::AgentInfo(i) => Some(i.clone()),
        _ => None,
    });
    let stored = world.engine.store().session(run.handle.id()).unwrap().unwrap();
    assert_eq!(stored.agent_session_id, info.map(|i| i.agent_session_id), "the ACP session id is kept for resuming");
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_kills_an_acp_agent_that_ignores_the_end_of_its_input() {
    // Gemini CLI 0.61.0 and the Claude adapter 0.100.0 exit when their input ends (checked by
    // hand); older adapters and codex-acp do not (PROTOCOLS.md §4). The stub stays, with a
    // child: only the kill of the process group after the bounded wait ends them.
    let world = World::new();
    let pidfile = world.home.path().join("pid");
    let agent = stub_agent(world.home.path(), &world.home.path().join("unused"), &world.home.path().join("unused.json"), &pidfile);
    let mut run = start_stub(&world, agent).await;
    run.until("the session to be open", |k| matches!(k, SessionEventKind::Status(SessionStatus::Ready))).await;
    let pid = started_pid(&run);
    let began = Instant::now();
    run.stop().await;
    let exited = run
        .events
        .iter()
        .find_map(|e| match &e.kind {
            SessionEventKind::AgentExited(x) => Some(x.clone()),
            _ => None,
        })
        .expect("the exit is reported");
    assert!(exited.expected);
    assert_eq!(exited.signal, Some(9), "it had to be killed: {exited:?}");
    assert!(began.elapsed() < Duration::from_secs(10), "stopping is bounded: {:?}", began.elapsed());
    let child: u32 = std::fs::read_to_string(&pidfile).expect("the stub started its child").trim().parse().unwrap();
    assert!(gone_within(pid, Duration::from_secs(2)) && gone_within(child, Duration::from_secs(2)), "the whole group is gone");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gemini_session_resumes_through_session_load_after_a_restart_without_repeating_itself() {
    let mut world = World::new();
    let mock = GeminiMock::start(vec![Reply::text("First answer."), Reply::text("Second answer.")]).unwrap();
    let mut run = start_gemini(&world, &mock).await;
    run.handle.prompt("first question").await.unwrap();
    run.turn_end().await;
    run.stop().await;
    let id = run.handle.id().clone();
    let agent_id = world.engine.store().session(&id).unwrap().unwrap().agent_session_id.expect("the agent's id is stored");
    // Gemini CLI 0.61.0 names its chat file after the minute it starts recording, and loading a
    // session in the minute it was started truncates that file before reading it ("No previous
    // sessions found"). People resume later than that; the test waits for the next minute.
    wait_for_next_minute();

    world.restart();
    let mut run = Run::resume(&world.engine, &id, gemini(), gemini_env(world.home.path(), &mock.url())).await;
    run.until("the loaded session", |k| matches!(k, SessionEventKind::Status(SessionStatus::Ready))).await;
    run.handle.prompt("second question").await.unwrap();
    let end = run.turn_end().await;
    assert_eq!(end.stop_reason, StopReason::EndTurn, "{:#?}", run.kinds());
    assert_eq!(run.text(), "Second answer.", "the replayed conversation is not shown again: {:#?}", run.kinds());
    let notices: Vec<&SessionEventKind> = run.kinds().into_iter().filter(|k| matches!(k, SessionEventKind::Notice(_))).collect();
    assert!(notices.is_empty(), "the load worked: {notices:#?}");
    let last = mock.requests().last().cloned().unwrap();
    assert!(last["contents"].to_string().contains("First answer."), "the model saw the earlier turn: {last}");
    let stored = world.engine.store().session(&id).unwrap().unwrap();
    assert_eq!(stored.agent_session_id.as_deref(), Some(agent_id.as_str()), "the same agent session goes on");
    let all = world.engine.store().events(&id, 0).unwrap();
    // Chunks are stored as they were merged, so the text is joined before counting.
    let text: String = all
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::AgentMessageChunk(c) => Some(c.text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(text.matches("First answer.").count(), 1, "the stored transcript has the first answer once: {text}");
    run.stop().await;
}

fn wait_for_next_minute() {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    std::thread::sleep(Duration::from_secs(60 - seconds % 60 + 1));
}

/// Warden's answers to the scripted terminal agent, by step (see the fake agent's
/// `acp_terminal.rs`).
fn transcript(path: &Path) -> std::collections::HashMap<String, Value> {
    std::fs::read_to_string(path)
        .expect("the fake agent kept a transcript")
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .map(|entry| (entry["step"].as_str().unwrap().to_owned(), entry["answer"].clone()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agents_commands_run_in_warden_terminals_in_the_project_under_its_rules_and_journal() {
    // None of the pinned agents asks for terminals (checked in their bundles), so a scripted
    // ACP agent does: a command that writes a file and fails, a command killed while it runs,
    // and three requests Warden refuses.
    let world = World::new();
    let deny = warden_core::permission::RuleSet { allow: vec![], deny: vec![warden_core::permission::Rule::parse("Bash(rm:*)").unwrap()] };
    world.engine.permissions().set_project_rules(&world.project.path().to_string_lossy(), &deny).unwrap();
    let log = world.home.path().join("transcript.jsonl");
    let env = |name: &str, value: &str| warden_core::agent::EnvVar { name: name.into(), value: value.into() };
    let agent = warden_core::agent::CustomAgent {
        name: "stub".into(),
        command: warden_mock_models::agents::fake_agent_program().to_string_lossy().into_owned(),
        args: Vec::new(),
        env: vec![env("WARDEN_FAKE_MODE", "acp-terminal"), env("WARDEN_FAKE_TRANSCRIPT", &log.to_string_lossy())],
    };
    let mut run = start_stub(&world, agent).await;
    run.handle.prompt("run it").await.unwrap();
    let question = run.permission().await;
    assert_eq!((question.tool_name.as_str(), question.input.command()), ("Bash", Some("printf made > made.txt; echo out-line; exit 3")));
    run.handle.resolve(question.request_id, PermissionAnswer::new(PermissionDecision::AllowOnce), DecisionSource::User).await.unwrap();
    assert_eq!(run.turn_end().await.stop_reason, StopReason::EndTurn, "{:#?}", run.kinds());
    let answers = transcript(&log);

    assert_eq!(answers["initialize"]["terminal"], true, "Warden offers terminals");
    let made = world.project_path().join("made.txt");
    assert_eq!(std::fs::read_to_string(&made).unwrap(), "made", "the command ran in the project folder");
    assert_eq!(answers["wait"]["result"], json!({"exitCode": 3}), "{answers:#?}");
    let output = &answers["output"]["result"];
    assert_eq!((output["output"].as_str(), output["truncated"].as_bool()), (Some("out-line\n"), Some(false)), "{output}");
    assert_eq!(output["exitStatus"]["exitCode"], 3);
    assert_eq!(answers["release"]["result"], json!({}));

    // The killed command ended by a signal, and its terminal could still be read until released.
    let killed = &answers["wait-killed"]["result"];
    assert!(killed["signal"].is_string() && killed.get("exitCode").is_none(), "{killed}");
    assert_eq!(answers["kill"]["result"], json!({}));
    assert_eq!(answers["output-killed"]["result"]["exitStatus"], *killed);

    let outside = answers["create-outside"]["error"]["message"].as_str().unwrap();
    assert!(outside.contains("outside the project folder"), "{outside}");
    let released = answers["output-released"]["error"]["message"].as_str().unwrap();
    assert!(released.contains("no terminal"), "{released}");
    let denied = answers["create-denied"]["error"]["message"].as_str().unwrap();
    assert!(denied.contains("rm made.txt"), "{denied}");
    assert!(made.exists(), "the deny rule kept the file");
    assert!(
        run.kinds().iter().any(|k| matches!(k, SessionEventKind::Notice(n) if n.text.contains("did not run the agent's command `rm made.txt`"))),
        "the person is told what was refused"
    );

    // The person sees the output on the call, and the file is that call's change.
    let shown: Vec<String> = run
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::ToolCallUpdate(u) if u.id.0 == "c1" => u.output.as_ref().map(|o| o.text.clone()),
            _ => None,
        })
        .collect();
    assert!(shown.iter().any(|t| t.contains("out-line") && t.ends_with("[exited with code 3]")), "{shown:?}");
    let recorded = run.events.iter().find_map(|e| match &e.kind {
        SessionEventKind::FileChanges(c) if c.ops.iter().any(|op| op.path == "made.txt") => Some(c.tool_call_id.clone()),
        _ => None,
    });
    assert_eq!(recorded, Some(Some(ToolCallId("c1".into()))), "recorded as the change of the call that ran the command");
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_codex_acp_adapter_asks_before_a_command_and_runs_it_once_allowed() {
    let world = World::new();
    let command = "touch made-by-codex-acp.txt && echo made";
    let escalated = Reply::tool(
        "exec_command",
        json!({"cmd": command, "sandbox_permissions": "require_escalated", "justification": "Write in the project"}),
    );
    let mock = OpenAiMock::start(vec![escalated, Reply::text("All done.")]).unwrap();
    let new = NewSession {
        project: world.project.path().to_string_lossy().into_owned(),
        agent: AgentKind::CodexAcp,
        run: RunOptions { binary: Some(codex_acp()), env: codex_env(world.home.path(), &mock.url()), ..Default::default() },
        ..Default::default()
    };
    let mut run = Run::start_session(&world.engine, new).await;
    run.handle.prompt("Make the file.").await.unwrap();
    let question = run.permission().await;
    assert_eq!((question.tool_name.as_str(), question.input.command()), ("Bash", Some(command)), "{question:#?}");
    let offered = question.offered.clone().unwrap();
    assert!(offered.contains(&PermissionDecision::AllowOnce) && offered.contains(&PermissionDecision::Deny), "{offered:?}");
    assert!(!world.project_path().join("made-by-codex-acp.txt").exists(), "nothing ran before the answer");
    run.handle.resolve(question.request_id, PermissionAnswer::new(PermissionDecision::AllowOnce), DecisionSource::User).await.unwrap();
    assert_eq!(run.turn_end().await.stop_reason, StopReason::EndTurn, "{:#?}", run.kinds());
    assert!(world.project_path().join("made-by-codex-acp.txt").exists(), "the allowed command ran in the project");
    assert!(run.text().contains("All done."), "{}", run.text());
    let recorded = run.kinds().iter().any(|k| matches!(k, SessionEventKind::FileChanges(c) if c.ops.iter().any(|op| op.path == "made-by-codex-acp.txt")));
    assert!(recorded, "the file journal recorded the command's file");
    run.stop().await;
}
