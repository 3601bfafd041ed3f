//! The ACP adapter on lines recorded from Gemini CLI 0.61.0 (`gemini --acp` against the mock
//! Gemini API) and from the Claude Code ACP adapter 0.100.0 (PROTOCOLS.md §3.4.1).

use super::*;
use crate::adapter::{AgentAdapter, ClientAction, ClientResult, Output, Reply};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use warden_core::session::*;

const SID: &str = "052fb701-b106-4747-8084-ce9721b90110";

// Recorded: Gemini CLI 0.61.0's answer to `initialize` (auth methods shortened).
const GEMINI_INIT: &str = r#"{"jsonrpc":"2.0","id":0,"result":{"protocolVersion":1,"authMethods":[{"id":"gemini-api-key","name":"Gemini API key","description":"Use an API key with Gemini Developer API","_meta":{"api-key":{"provider":"google"}}}],"agentInfo":{"name":"gemini-cli","title":"Gemini CLI","version":"0.61.0"},"agentCapabilities":{"loadSession":true,"promptCapabilities":{"image":true,"audio":true,"embeddedContext":true},"mcpCapabilities":{"http":true,"sse":true}}}}"#;
// Recorded: its answer to `session/new` (models shortened).
const GEMINI_NEW: &str = r#"{"jsonrpc":"2.0","id":1,"result":{"sessionId":"052fb701-b106-4747-8084-ce9721b90110","modes":{"availableModes":[{"id":"default","name":"Default","description":"Prompts for approval"},{"id":"autoEdit","name":"Auto Edit","description":"Auto-approves edit tools"},{"id":"yolo","name":"YOLO","description":"Auto-approves all tools"},{"id":"plan","name":"Plan","description":"Read-only mode"}],"currentModeId":"default"},"models":{"availableModels":[{"modelId":"auto","name":"Auto"}],"currentModelId":"auto"}}}"#;
// Recorded: a write_file call. Gemini announces it with the permission question only (no
// `tool_call` before), reads the file first, and writes it through the client once allowed.
const GEMINI_READ_FIRST: &str = r#"{"jsonrpc":"2.0","id":0,"method":"fs/read_text_file","params":{"path":"/p/hello.txt","sessionId":"052fb701-b106-4747-8084-ce9721b90110"}}"#;
const GEMINI_ASK_WRITE: &str = r#"{"jsonrpc":"2.0","id":1,"method":"session/request_permission","params":{"sessionId":"052fb701-b106-4747-8084-ce9721b90110","options":[{"optionId":"proceed_always","name":"Allow for this session","kind":"allow_always"},{"optionId":"proceed_once","name":"Allow","kind":"allow_once"},{"optionId":"cancel","name":"Reject","kind":"reject_once"}],"toolCall":{"toolCallId":"write_file__write_file_1795260017544_0","status":"pending","title":"Writing to hello.txt","content":[{"type":"diff","path":"/p/hello.txt","oldText":"","newText":"hello from the gemini mock\n","_meta":{"kind":"add"}}],"locations":[{"path":"/p/hello.txt"}],"kind":"edit"}}}"#;
const GEMINI_WRITE: &str = r#"{"jsonrpc":"2.0","id":3,"method":"fs/write_text_file","params":{"path":"/p/hello.txt","content":"hello from the gemini mock\n","sessionId":"052fb701-b106-4747-8084-ce9721b90110"}}"#;
const GEMINI_WRITTEN: &str = r#"{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"052fb701-b106-4747-8084-ce9721b90110","update":{"sessionUpdate":"tool_call_update","toolCallId":"write_file__write_file_1795260017544_0","status":"completed","title":"Writing to hello.txt","content":[{"type":"diff","path":"/p/hello.txt","oldText":"","newText":"hello from the gemini mock\n","_meta":{"kind":"add"}}],"locations":[{"path":"/p/hello.txt"}],"kind":"edit"}}}"#;
const GEMINI_TEXT: &str = r#"{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"052fb701-b106-4747-8084-ce9721b90110","update":{"sessionUpdate":"agent_message_chunk","content":{"type":"text","text":"Done writing"}}}}"#;
const GEMINI_THOUGHT: &str = r#"{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"052fb701-b106-4747-8084-ce9721b90110","update":{"sessionUpdate":"agent_thought_chunk","content":{"type":"text","text":"****\nI should wri"}}}}"#;
const GEMINI_END: &str = r#"{"jsonrpc":"2.0","id":2,"result":{"stopReason":"end_turn","_meta":{"quota":{"token_count":{"input_tokens":24,"output_tokens":40},"model_usage":[{"model":"gemini-3.8-flash","token_count":{"input_tokens":12,"output_tokens":20}}]}}}}"#;
// Recorded: a shell command question; the title is the command, and no rawInput comes along.
const GEMINI_ASK_SHELL: &str = r#"{"jsonrpc":"2.0","id":4,"method":"session/request_permission","params":{"sessionId":"052fb701-b106-4747-8084-ce9721b90110","options":[{"optionId":"proceed_always","name":"Allow for this session","kind":"allow_always"},{"optionId":"proceed_once","name":"Allow","kind":"allow_once"},{"optionId":"cancel","name":"Reject","kind":"reject_once"}],"toolCall":{"toolCallId":"run_shell_command__run_shell_command_1795260017912_0","status":"pending","title":"echo hi > shell.txt","content":[{"type":"content","content":{"type":"text","text":"[current working directory /p] (make a file)"}}],"locations":[],"kind":"execute"}}}"#;

fn now() -> Instant {
    Instant::now()
}

fn lines(out: &[Output]) -> Vec<Value> {
    out.iter()
        .filter_map(|o| match o {
            Output::Send(line) => Some(serde_json::from_str(line).expect("Warden writes JSON")),
            _ => None,
        })
        .collect()
}

fn events(out: &[Output]) -> Vec<SessionEventKind> {
    out.iter()
        .filter_map(|o| match o {
            Output::Event(e) => Some(e.clone()),
            _ => None,
        })
        .collect()
}

fn feed(adapter: &mut AcpAdapter, line: &str) -> Vec<Output> {
    adapter.on_line(line.as_bytes(), now())
}

/// A Gemini session that is open (initialize and session/new answered).
fn gemini() -> AcpAdapter {
    let mut adapter = AcpAdapter::new(PathBuf::from("/p"), None);
    adapter.start();
    feed(&mut adapter, GEMINI_INIT);
    let out = feed(&mut adapter, GEMINI_NEW);
    assert!(out.contains(&Output::Ready));
    adapter
}

#[test]
fn start_up_advertises_files_and_terminals_then_opens_a_session_in_the_project() {
    let mut adapter = AcpAdapter::new(PathBuf::from("/p"), None);
    let start: Vec<Value> = adapter.start().iter().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(start[0]["method"], "initialize");
    assert_eq!(start[0]["jsonrpc"], "2.0");
    assert_eq!(start[0]["params"]["protocolVersion"], 1);
    assert_eq!(start[0]["params"]["clientCapabilities"]["fs"], json!({"readTextFile": true, "writeTextFile": true}));
    assert_eq!(start[0]["params"]["clientCapabilities"]["terminal"], true, "Warden runs the agent's commands in terminals");
    // A prompt before the session is open waits for it.
    assert!(adapter.prompt(TurnId(1), "hi", now()).is_empty());
    let out = feed(&mut adapter, GEMINI_INIT);
    let sent = lines(&out);
    assert_eq!(sent[0]["method"], "session/new");
    assert_eq!(sent[0]["params"], json!({"cwd": "/p", "mcpServers": []}));
    let out = feed(&mut adapter, GEMINI_NEW);
    let info = events(&out).into_iter().find_map(|e| match e {
        SessionEventKind::AgentInfo(i) => Some(i),
        _ => None,
    });
    let info = info.expect("the agent's session id is announced, so a restart can load it");
    assert_eq!((info.agent_session_id.as_str(), info.version.as_deref()), (SID, Some("0.61.0")));
    let ready = out.iter().position(|o| *o == Output::Ready).expect("ready");
    let prompt = out.iter().position(|o| matches!(o, Output::Send(l) if l.contains("session/prompt"))).expect("the waiting prompt goes out");
    assert!(ready < prompt);
    let sent = lines(&out);
    assert_eq!(sent[0]["params"], json!({"sessionId": SID, "prompt": [{"type": "text", "text": "hi"}]}));
}

#[test]
fn a_gemini_write_asks_with_the_agents_options_by_kind_and_is_written_through_warden() {
    let mut adapter = gemini();
    adapter.prompt(TurnId(1), "write hello", now());
    let thought = events(&feed(&mut adapter, GEMINI_THOUGHT));
    assert!(matches!(&thought[0], SessionEventKind::AgentThoughtChunk(c) if c.text.contains("I should wri")));

    // The read before the write goes to the actor; the path is the agent's, the project bounds it.
    let out = feed(&mut adapter, GEMINI_READ_FIRST);
    let Some(Output::ClientRequest(read)) = out.first() else { panic!("a client request: {out:?}") };
    assert_eq!(read.action, ClientAction::ReadTextFile { path: "/p/hello.txt".into(), line: None, limit: None });
    assert_eq!(read.project, PathBuf::from("/p"));
    let answer: Value = serde_json::from_str(&adapter.answer_client_request(&read.id, ClientResult::Read(String::new())).0[0]).unwrap();
    assert_eq!(answer, json!({"jsonrpc": "2.0", "id": 0, "result": {"content": ""}}), "a missing file reads as empty text");

    let asked = events(&feed(&mut adapter, GEMINI_ASK_WRITE));
    let SessionEventKind::ToolCall(call) = &asked[0] else { panic!("the question announces the call: {asked:?}") };
    assert_eq!((call.name.as_str(), call.kind, call.status), ("Write", ToolKind::Edit, ToolCallStatus::AwaitingPermission));
    assert_eq!(
        call.input,
        ToolInput::Write { path: "/p/hello.txt".into(), content: "hello from the gemini mock\n".into(), cwd: None },
        "the rules read the path; the dialog previews the new file"
    );
    assert_eq!(call.raw_input["content"][0]["newText"], "hello from the gemini mock\n", "the ACP call is kept");
    let SessionEventKind::PermissionRequested(question) = &asked[1] else { panic!("{asked:?}") };
    assert_eq!(question.tool_name, "Write");
    assert_eq!(question.title, "Writing to hello.txt");
    assert_eq!(question.tool_call_id, Some(ToolCallId(call.id.0.clone())));
    use PermissionDecision::*;
    assert_eq!(question.offered, Some(vec![AllowOnce, AllowSession, AllowAlways, Deny, DenyAndStop]));

    let reply = Reply { decision: AllowOnce, message: None, mode: None };
    let (answer, events_after) = adapter.answer(&question.request_id, &reply, now()).expect("the question is pending");
    let answer: Value = serde_json::from_str(&answer[0]).unwrap();
    assert_eq!(answer, json!({"jsonrpc": "2.0", "id": 1, "result": {"outcome": {"outcome": "selected", "optionId": "proceed_once"}}}));
    assert!(matches!(&events_after[0], SessionEventKind::ToolCallUpdate(u) if u.status == Some(ToolCallStatus::Running)));
    assert!(adapter.pending_requests().is_empty());

    let out = feed(&mut adapter, GEMINI_WRITE);
    let Some(Output::ClientRequest(write)) = out.first() else { panic!("{out:?}") };
    assert_eq!(write.tool_call_id, Some(call.id.clone()), "the write is recorded as the allowed call's change");
    assert!(matches!(&write.action, ClientAction::WriteTextFile { content, .. } if content == "hello from the gemini mock\n"));
    let answer: Value = serde_json::from_str(&adapter.answer_client_request(&write.id, ClientResult::Written).0[0]).unwrap();
    assert_eq!(answer, json!({"jsonrpc": "2.0", "id": 3, "result": {}}));

    let done = events(&feed(&mut adapter, GEMINI_WRITTEN));
    let SessionEventKind::ToolCallUpdate(update) = &done[0] else { panic!("{done:?}") };
    assert_eq!(update.status, Some(ToolCallStatus::Completed));
    assert!(update.output.as_ref().unwrap().text.contains("+hello from the gemini mock"), "the diff is the output: {update:?}");

    let text = events(&feed(&mut adapter, GEMINI_TEXT));
    assert!(matches!(&text[0], SessionEventKind::AgentMessageChunk(c) if c.text == "Done writing"));
    let end = events(&feed(&mut adapter, GEMINI_END));
    let SessionEventKind::TurnEnded(end) = &end[0] else { panic!("{end:?}") };
    assert_eq!((end.turn, end.stop_reason), (TurnId(1), StopReason::EndTurn));
    assert_eq!((end.usage.input_tokens, end.usage.output_tokens), (24, 40), "Gemini's token counts come in _meta.quota");
    assert!(!adapter.turn_open());
}

#[test]
fn a_rejected_call_is_denied_by_warden_as_gemini_says_nothing_more_about_it() {
    let mut adapter = gemini();
    adapter.prompt(TurnId(1), "write", now());
    let asked = events(&feed(&mut adapter, GEMINI_ASK_WRITE));
    let SessionEventKind::PermissionRequested(question) = &asked[1] else { panic!() };
    let reply = Reply { decision: PermissionDecision::Deny, message: Some("no".into()), mode: None };
    let (answer, after) = adapter.answer(&question.request_id, &reply, now()).unwrap();
    let answer: Value = serde_json::from_str(&answer[0]).unwrap();
    assert_eq!(answer["result"]["outcome"], json!({"outcome": "selected", "optionId": "cancel"}), "Gemini's reject_once option");
    assert!(matches!(&after[0], SessionEventKind::ToolCallUpdate(u) if u.status == Some(ToolCallStatus::Denied)));
}

#[test]
fn deny_and_stop_cancels_the_question_and_the_turn() {
    let mut adapter = gemini();
    adapter.prompt(TurnId(1), "write", now());
    let asked = events(&feed(&mut adapter, GEMINI_ASK_WRITE));
    let SessionEventKind::PermissionRequested(question) = &asked[1] else { panic!() };
    let reply = Reply { decision: PermissionDecision::DenyAndStop, message: None, mode: None };
    let (answer, after) = adapter.answer(&question.request_id, &reply, now()).unwrap();
    let sent: Vec<Value> = answer.iter().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(sent[0]["result"]["outcome"], json!({"outcome": "cancelled"}));
    assert_eq!(sent[1], json!({"jsonrpc": "2.0", "method": "session/cancel", "params": {"sessionId": SID}}));
    // The person refused this call, as for every agent; the stop ends the turn.
    assert!(matches!(&after[0], SessionEventKind::ToolCallUpdate(u) if u.status == Some(ToolCallStatus::Denied)));
    // The agent ends the prompt; an interrupted turn reads as cancelled whatever it says.
    let end = events(&feed(&mut adapter, r#"{"jsonrpc":"2.0","id":2,"result":{"stopReason":"cancelled"}}"#));
    assert!(matches!(&end[0], SessionEventKind::TurnEnded(t) if t.stop_reason == StopReason::Cancelled));
}

#[test]
fn a_shell_question_is_a_bash_call_with_the_title_as_its_command() {
    let mut adapter = gemini();
    adapter.prompt(TurnId(1), "run", now());
    let asked = events(&feed(&mut adapter, GEMINI_ASK_SHELL));
    let SessionEventKind::PermissionRequested(question) = &asked[1] else { panic!() };
    assert_eq!(question.tool_name, "Bash");
    assert_eq!(question.input.command(), Some("echo hi > shell.txt"));
    assert_eq!(question.input.cwd(), Some("/p"), "the folder from Gemini's details");
    // Allowing for the session is Warden's rule: the agent is allowed this one call only.
    let reply = Reply { decision: PermissionDecision::AllowSession, message: None, mode: None };
    let (answer, _) = adapter.answer(&question.request_id, &reply, now()).unwrap();
    assert!(answer[0].contains(r#""optionId":"proceed_once""#), "{}", answer[0]);
}

#[test]
fn a_loaded_session_drops_the_replay_until_the_agent_answers_a_request_sent_after_the_load() {
    let mut adapter = AcpAdapter::new(PathBuf::from("/p"), Some("cf04bb95-9df5-4592-b149-90d3d7afb080".into()));
    adapter.start();
    let sent = lines(&feed(&mut adapter, GEMINI_INIT));
    assert_eq!(sent[0]["method"], "session/load");
    assert_eq!(sent[0]["params"], json!({"sessionId": "cf04bb95-9df5-4592-b149-90d3d7afb080", "cwd": "/p", "mcpServers": []}));
    // Recorded from Gemini CLI 0.61.0: the first replayed update comes before the answer to
    // session/load, the rest after it.
    let replay_user = r#"{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"cf04bb95-9df5-4592-b149-90d3d7afb080","update":{"sessionUpdate":"user_message_chunk","content":{"type":"text","text":"write hello"}}}}"#;
    let replay_call = r#"{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"cf04bb95-9df5-4592-b149-90d3d7afb080","update":{"sessionUpdate":"tool_call","toolCallId":"read_file__read_file_1795260056388_0","status":"completed","title":"ReadFile","content":[],"kind":"read"}}}"#;
    let replay_text = r#"{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"cf04bb95-9df5-4592-b149-90d3d7afb080","update":{"sessionUpdate":"agent_message_chunk","content":{"type":"text","text":"Read it."}}}}"#;
    assert!(events(&feed(&mut adapter, replay_user)).is_empty());
    assert!(adapter.prompt(TurnId(3), "again", now()).is_empty(), "the prompt waits for the replay");
    let loaded = feed(&mut adapter, r#"{"jsonrpc":"2.0","id":1,"result":{"modes":{"availableModes":[{"id":"default","name":"Default"}],"currentModeId":"default"}}}"#);
    assert!(matches!(&events(&loaded)[0], SessionEventKind::AgentInfo(i) if i.agent_session_id == "cf04bb95-9df5-4592-b149-90d3d7afb080"));
    let barrier = lines(&loaded);
    assert_eq!(barrier[0]["method"], REPLAY_BARRIER);
    assert!(!loaded.contains(&Output::Ready));
    for line in [replay_call, replay_text] {
        assert!(events(&feed(&mut adapter, line)).is_empty(), "replayed: {line}");
    }
    let id = barrier[0]["id"].as_i64().unwrap();
    let answered = feed(&mut adapter, &format!(r#"{{"jsonrpc":"2.0","id":{id},"error":{{"code":-32601,"message":"\"Method not found\": _warden/replay_done"}}}}"#));
    assert!(answered.contains(&Output::Ready));
    assert_eq!(lines(&answered)[0]["method"], "session/prompt");
    let live = events(&feed(&mut adapter, replay_text));
    assert_eq!(live.len(), 1, "after the replay, updates are the new turn's");
}

#[test]
fn a_failed_load_goes_on_in_a_new_session_and_says_so() {
    let mut adapter = AcpAdapter::new(PathBuf::from("/p"), Some("gone".into()));
    adapter.start();
    feed(&mut adapter, GEMINI_INIT);
    // Recorded: Gemini CLI's answer when it has no such conversation.
    let out = feed(&mut adapter, r#"{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"Internal error","data":{"details":"No previous sessions found for this project."}}}"#);
    assert!(matches!(&events(&out)[0], SessionEventKind::Notice(n) if n.text.contains("No previous sessions found")));
    assert_eq!(lines(&out)[0]["method"], "session/new");
}

#[test]
fn a_refused_session_ends_waiting_prompts_in_an_error_and_the_next_prompt_tries_again() {
    let mut adapter = AcpAdapter::new(PathBuf::from("/p"), None);
    adapter.start();
    feed(&mut adapter, GEMINI_INIT);
    adapter.prompt(TurnId(1), "hi", now());
    let out = feed(&mut adapter, r#"{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"Authentication required"}}"#);
    let ev = events(&out);
    assert!(matches!(&ev[0], SessionEventKind::Notice(n) if n.text.contains("Authentication required")));
    assert!(matches!(&ev[1], SessionEventKind::TurnEnded(t) if t.stop_reason == StopReason::Error && t.turn == TurnId(1)));
    let retry = adapter.prompt(TurnId(2), "hi again", now());
    assert!(retry[0].contains("session/new"), "{retry:?}");
}

#[test]
fn claude_adapter_calls_keep_claudes_tool_names_and_usage_and_cost_reach_the_turns_end() {
    // Recorded (PROTOCOLS.md §3.4.1): claude-agent-acp 0.100.0 announces a Bash call with an
    // empty input, sends the input in an update, then asks.
    let mut adapter = gemini();
    adapter.prompt(TurnId(1), "marker", now());
    let announce = r#"{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","update":{"_meta":{"claudeCode":{"toolName":"Bash"}},"toolCallId":"toolu_mock_020","sessionUpdate":"tool_call","name":"Bash","rawInput":{},"status":"pending","title":"Terminal","kind":"execute","content":[]}}}"#;
    let input = r#"{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","update":{"_meta":{"claudeCode":{"toolName":"Bash"}},"toolCallId":"toolu_mock_020","sessionUpdate":"tool_call_update","rawInput":{"command":"echo hello-from-mock > /p/out.txt","description":"Write a marker file"},"title":"echo hello-from-mock > /p/out.txt","content":[{"type":"content","content":{"type":"text","text":"Write a marker file"}}]}}}"#;
    let ask = r#"{"jsonrpc":"2.0","id":0,"method":"session/request_permission","params":{"sessionId":"s","toolCall":{"toolCallId":"toolu_mock_020","name":"Bash","status":"pending","rawInput":{"command":"echo hello-from-mock > /p/out.txt","description":"Write a marker file"},"title":"echo hello-from-mock > /p/out.txt","kind":"execute","content":[{"type":"content","content":{"type":"text","text":"Write a marker file"}}],"locations":[{"path":"/p/out.txt"}]},"options":[{"optionId":"allow-once","name":"Yes","kind":"allow_once"},{"optionId":"allow-with-updates","name":"Yes, and allow echo hello-from-mock * commands","kind":"allow_always"},{"optionId":"reject","name":"No","kind":"reject_once"}]}}"#;
    let first = events(&feed(&mut adapter, announce));
    assert!(matches!(&first[0], SessionEventKind::ToolCall(c) if c.name == "Bash" && c.status == ToolCallStatus::Pending));
    let second = events(&feed(&mut adapter, input));
    assert!(matches!(&second[0], SessionEventKind::ToolCallUpdate(u) if u.input.as_ref().and_then(ToolInput::command) == Some("echo hello-from-mock > /p/out.txt")));
    let asked = events(&feed(&mut adapter, ask));
    assert!(matches!(&asked[0], SessionEventKind::ToolCallUpdate(u) if u.status == Some(ToolCallStatus::AwaitingPermission)));
    let SessionEventKind::PermissionRequested(question) = &asked[1] else { panic!("{asked:?}") };
    assert!(matches!(&question.input, ToolInput::Shell { description: Some(d), .. } if d == "Write a marker file"), "{question:?}");
    assert_eq!(question.tool_name, "Bash");
    let reply = Reply { decision: PermissionDecision::AllowAlways, message: None, mode: None };
    let (answer, _) = adapter.answer(&question.request_id, &reply, now()).unwrap();
    assert!(answer[0].contains(r#""optionId":"allow-once""#), "always allow is Warden's rule; the agent gets one call: {}", answer[0]);
    let done = r#"{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","update":{"_meta":{"claudeCode":{"toolName":"Bash"}},"toolCallId":"toolu_mock_020","sessionUpdate":"tool_call_update","status":"completed","rawOutput":"hello-from-mock","content":[{"type":"content","content":{"type":"text","text":"```console\nhello-from-mock\n```"}}]}}}"#;
    let done = events(&feed(&mut adapter, done));
    let SessionEventKind::ToolCallUpdate(done) = &done[0] else { panic!() };
    assert_eq!(done.status, Some(ToolCallStatus::Completed));
    assert_eq!(done.output.as_ref().unwrap().raw_output.as_ref().unwrap()["rawOutput"], "hello-from-mock");
    feed(&mut adapter, r#"{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","update":{"sessionUpdate":"usage_update","used":32,"size":1000000,"cost":{"amount":0.0009072,"currency":"USD"}}}}"#);
    let end = events(&feed(&mut adapter, r#"{"jsonrpc":"2.0","id":2,"result":{"stopReason":"end_turn","usage":{"inputTokens":24,"outputTokens":40,"cachedReadTokens":0,"cachedWriteTokens":0,"totalTokens":64}}}"#));
    let SessionEventKind::TurnEnded(end) = &end[0] else { panic!() };
    assert_eq!((end.usage.input_tokens, end.usage.output_tokens), (24, 40));
    assert_eq!((end.context_tokens, end.context_window), (Some(32), Some(1_000_000)));
    assert!((end.cost_usd.unwrap() - 0.0009072).abs() < 1e-12 && (end.session_cost_usd - 0.0009072).abs() < 1e-12);
    // Recorded: a notification after the prompt's answer; the agent's title is not Warden's.
    let late = r#"{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","update":{"sessionUpdate":"session_info_update","title":"Please create the marker file.","updatedAt":"2026-11-21T04:23:19.736Z"}}}"#;
    assert!(feed(&mut adapter, late).is_empty());
}

#[test]
fn every_other_update_has_its_event() {
    let mut adapter = gemini();
    adapter.prompt(TurnId(1), "go", now());
    let update = |u: Value| json!({"jsonrpc": "2.0", "method": "session/update", "params": {"sessionId": SID, "update": u}}).to_string();
    let one = |adapter: &mut AcpAdapter, u: Value| events(&feed(adapter, &update(u)));

    let plan = one(&mut adapter, json!({"sessionUpdate": "plan", "entries": [
        {"content": "Check", "priority": "high", "status": "completed"}, {"content": "Fix", "priority": "low", "status": "in_progress"}]}));
    let SessionEventKind::Plan(plan) = &plan[0] else { panic!("{plan:?}") };
    assert_eq!(plan.entries.iter().map(|e| e.status).collect::<Vec<_>>(), vec![PlanEntryStatus::Completed, PlanEntryStatus::InProgress]);

    let commands = one(&mut adapter, json!({"sessionUpdate": "available_commands_update", "availableCommands": [{"name": "memory", "description": "Manage memory."}]}));
    assert!(matches!(&commands[0], SessionEventKind::AgentInfo(i) if i.tools == vec!["/memory".to_owned()] && i.agent_session_id == SID));
    assert!(
        matches!(&commands[1], SessionEventKind::AgentCommands(c) if c.commands[0].name == "memory" && c.commands[0].description == "Manage memory."),
        "the window's list, with descriptions: {commands:?}"
    );
    assert!(one(&mut adapter, json!({"sessionUpdate": "available_commands_update", "availableCommands": [{"name": "memory", "description": "Manage memory."}]})).is_empty(), "only a change is news");

    let yolo = one(&mut adapter, json!({"sessionUpdate": "current_mode_update", "currentModeId": "yolo"}));
    assert!(matches!(&yolo[0], SessionEventKind::Notice(n) if n.text.contains("'YOLO'")), "the agent's own bypass is not Warden's: {yolo:?}");
    assert!(one(&mut adapter, json!({"sessionUpdate": "current_mode_update", "currentModeId": "default"})).is_empty(), "back where Warden put it");

    let config = one(&mut adapter, json!({"sessionUpdate": "config_option_update", "configOptions": [
        {"id": "model", "name": "Model", "category": "model", "type": "select", "currentValue": "opus", "options": [{"value": "opus", "name": "Opus"}]}]}));
    assert!(matches!(&config[0], SessionEventKind::AgentInfo(i) if i.model.as_deref() == Some("opus")));

    let note = one(&mut adapter, json!({"sessionUpdate": "notice", "severity": "warning", "title": "Quota low", "description": "10% left"}));
    assert_eq!(note, vec![SessionEventKind::Notice(SessionNotice { level: NoticeLevel::Warning, text: "Quota low: 10% left".into() })]);

    assert!(one(&mut adapter, json!({"sessionUpdate": "compaction_update", "compactionId": "c1", "status": "in_progress"})).is_empty());
    assert!(one(&mut adapter, json!({"sessionUpdate": "compaction_summary_chunk", "compactionId": "c1", "content": {"type": "text", "text": "We wrote hello.txt."}})).is_empty());
    let compacted = one(&mut adapter, json!({"sessionUpdate": "compaction_update", "compactionId": "c1", "status": "completed"}));
    assert!(matches!(&compacted[0], SessionEventKind::Notice(n) if n.text == "Conversation compacted: We wrote hello.txt."));

    assert!(one(&mut adapter, json!({"sessionUpdate": "user_message_chunk", "content": {"type": "text", "text": "go"}})).is_empty(), "the agent echoing the prompt");

    // A tool call from the agent alone (no question): announced running, completed by update.
    let read = one(&mut adapter, json!({"sessionUpdate": "tool_call", "toolCallId": "read_1", "status": "in_progress", "title": "readme.txt", "content": [], "locations": [{"path": "/p/readme.txt"}], "kind": "read"}));
    assert!(matches!(&read[0], SessionEventKind::ToolCall(c) if c.name == "Read" && c.status == ToolCallStatus::Running && c.input.file_path() == Some("/p/readme.txt")));
    let read = one(&mut adapter, json!({"sessionUpdate": "tool_call_update", "toolCallId": "read_1", "status": "failed", "content": [{"type": "content", "content": {"type": "text", "text": "no such file"}}]}));
    assert!(matches!(&read[0], SessionEventKind::ToolCallUpdate(u) if u.status == Some(ToolCallStatus::Failed) && u.output.as_ref().unwrap().text == "no such file"));
}

#[test]
fn modes_switch_by_the_agents_mode_ids() {
    let mut adapter = gemini();
    let sent: Value = serde_json::from_str(&adapter.set_mode(PermissionMode::Plan)[0]).unwrap();
    assert_eq!(sent["method"], "session/set_mode");
    assert_eq!(sent["params"], json!({"sessionId": SID, "modeId": "plan"}));
    let sent: Value = serde_json::from_str(&adapter.set_mode(PermissionMode::AcceptEdits)[0]).unwrap();
    assert_eq!(sent["params"], json!({"sessionId": SID, "modeId": "default"}), "accept edits is Warden's: the agent keeps asking");
    let sent: Value = serde_json::from_str(&adapter.set_mode(PermissionMode::Bypass)[0]).unwrap();
    assert_eq!(sent["params"]["modeId"], "default", "bypass is Warden's: the agent keeps asking");
}

#[test]
fn interrupting_sends_session_cancel_only_during_a_turn() {
    let mut adapter = gemini();
    assert!(adapter.interrupt().is_empty());
    adapter.prompt(TurnId(1), "go", now());
    let cancel: Value = serde_json::from_str(&adapter.interrupt()[0]).unwrap();
    assert_eq!(cancel, json!({"jsonrpc": "2.0", "method": "session/cancel", "params": {"sessionId": SID}}));
    let end = events(&adapter.on_line(br#"{"jsonrpc":"2.0","id":2,"result":{"stopReason":"end_turn"}}"#, now() + Duration::from_millis(5)));
    assert!(matches!(&end[0], SessionEventKind::TurnEnded(t) if t.stop_reason == StopReason::Cancelled));
}

#[test]
fn what_warden_does_not_offer_or_understand_is_answered_or_shown() {
    let mut adapter = gemini();
    let out = feed(&mut adapter, r#"{"jsonrpc":"2.0","id":"u-1","method":"elicitation/create","params":{"sessionId":"s","message":"?"}}"#);
    let answer = &lines(&out)[0];
    assert_eq!((answer["id"].as_str(), answer["error"]["code"].as_i64()), (Some("u-1"), Some(-32601)), "string ids are answered as they came");
    assert!(matches!(&events(&out)[0], SessionEventKind::Notice(n) if n.text.contains("elicitation/create")));
    let out = feed(&mut adapter, r#"{"jsonrpc":"2.0","id":"u-2","method":"terminal/create","params":{"sessionId":"s"}}"#);
    let answer = &lines(&out)[0];
    assert_eq!((answer["id"].as_str(), answer["error"]["code"].as_i64()), (Some("u-2"), Some(-32602)), "a request without its command is refused");
    // Recorded from the Claude adapter: an extension notification, ignored by the protocol's rules.
    assert!(feed(&mut adapter, r#"{"jsonrpc":"2.0","method":"_auth/status_update","params":{"authStatus":{"kind":"api_key"}}}"#).is_empty());
    assert!(matches!(&events(&feed(&mut adapter, r#"{"jsonrpc":"2.0","method":"weird/thing","params":{}}"#))[0], SessionEventKind::Unrecognised(r) if r.reason.contains("weird/thing")));
    assert!(matches!(&events(&feed(&mut adapter, "Loaded cached credentials."))[0], SessionEventKind::Unrecognised(r) if r.text == "Loaded cached credentials."));
    let bad = events(&feed(&mut adapter, r#"{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","update":{"sessionUpdate":"subagent_update"}}}"#));
    assert!(matches!(&bad[0], SessionEventKind::Unrecognised(_)), "unstable updates are shown, not dropped: {bad:?}");
}

#[test]
fn a_terminal_runs_for_the_call_running_commands_and_its_output_shows_on_that_call() {
    use crate::terminal::{TerminalExit, TerminalOutput};
    let mut adapter = gemini();
    adapter.prompt(TurnId(1), "run the tests", now());
    let call = r#"{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","update":{"sessionUpdate":"tool_call","toolCallId":"c1","title":"make test","kind":"execute","status":"in_progress"}}}"#;
    feed(&mut adapter, call);
    let create = r#"{"jsonrpc":"2.0","id":7,"method":"terminal/create","params":{"sessionId":"s","command":"make","args":["test"],"env":[{"name":"CI","value":"1"}],"cwd":"/p/sub","outputByteLimit":1000}}"#;
    let out = feed(&mut adapter, create);
    let Some(Output::ClientRequest(request)) = out.first() else { panic!("{out:?}") };
    assert_eq!(
        request.action,
        ClientAction::CreateTerminal {
            command: "make".into(),
            args: vec!["test".into()],
            env: vec![("CI".into(), "1".into())],
            cwd: Some("/p/sub".into()),
            output_byte_limit: Some(1000),
        }
    );
    assert_eq!(request.tool_call_id, Some(ToolCallId("c1".into())), "its changes are the running command call's");
    let (sent, _) = adapter.answer_client_request(&request.id, ClientResult::TerminalCreated("term-1".into()));
    assert_eq!(serde_json::from_str::<Value>(&sent[0]).unwrap(), json!({"jsonrpc": "2.0", "id": 7, "result": {"terminalId": "term-1"}}));

    let embed = r#"{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","update":{"sessionUpdate":"tool_call_update","toolCallId":"c1","content":[{"type":"terminal","terminalId":"term-1"}]}}}"#;
    feed(&mut adapter, embed);
    let out = feed(&mut adapter, r#"{"jsonrpc":"2.0","id":8,"method":"terminal/output","params":{"sessionId":"s","terminalId":"term-1"}}"#);
    let Some(Output::ClientRequest(request)) = out.first() else { panic!("{out:?}") };
    assert_eq!(request.action, ClientAction::TerminalOutput { terminal: "term-1".into() });
    let exit = TerminalExit { code: Some(2), signal: None };
    let output = TerminalOutput { text: "ok 1\r\nnot ok 2\r\n".into(), truncated: true, exit: Some(exit.clone()) };
    let (sent, shown) = adapter.answer_client_request(&request.id, ClientResult::TerminalOutput(output.clone()));
    assert_eq!(
        serde_json::from_str::<Value>(&sent[0]).unwrap()["result"],
        json!({"output": "ok 1\nnot ok 2\n", "truncated": true, "exitStatus": {"exitCode": 2}}),
        "the pseudo-terminal's line ends reach the agent as newlines"
    );
    let SessionEventKind::ToolCallUpdate(update) = &shown[0] else { panic!("{shown:?}") };
    assert_eq!(update.id, ToolCallId("c1".into()));
    assert_eq!(update.output.as_ref().unwrap().text, "[earlier output dropped]\nok 1\nnot ok 2\n[exited with code 2]");
    let (_, again) = adapter.answer_client_request("8", ClientResult::TerminalOutput(output));
    assert!(again.is_empty(), "an answered request is not answered twice");

    let out = feed(&mut adapter, r#"{"jsonrpc":"2.0","id":9,"method":"terminal/wait_for_exit","params":{"sessionId":"s","terminalId":"term-1"}}"#);
    let Some(Output::ClientRequest(request)) = out.first() else { panic!("{out:?}") };
    let (sent, shown) = adapter.answer_client_request(&request.id, ClientResult::TerminalExited { exit, output: None });
    assert_eq!(serde_json::from_str::<Value>(&sent[0]).unwrap()["result"], json!({"exitCode": 2}), "the exit is the whole answer");
    assert!(shown.is_empty());
    let out = feed(&mut adapter, r#"{"jsonrpc":"2.0","id":10,"method":"terminal/release","params":{"sessionId":"s","terminalId":"term-1"}}"#);
    let Some(Output::ClientRequest(request)) = out.first() else { panic!("{out:?}") };
    let (sent, _) = adapter.answer_client_request(&request.id, ClientResult::Done { output: None });
    assert_eq!(serde_json::from_str::<Value>(&sent[0]).unwrap()["result"], json!({}));

    // The call's final update names the terminal: the person sees its output, not its id.
    let done = r#"{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","update":{"sessionUpdate":"tool_call_update","toolCallId":"c1","status":"failed","content":[{"type":"terminal","terminalId":"term-1"}]}}}"#;
    let SessionEventKind::ToolCallUpdate(update) = &events(&feed(&mut adapter, done))[0] else { panic!() };
    assert!(update.output.as_ref().unwrap().text.ends_with("[exited with code 2]"), "{update:?}");
}

#[path = "grant_tests.rs"]
mod grant_tests;
