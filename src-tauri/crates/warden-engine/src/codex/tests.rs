//! The Codex adapter on lines recorded from `codex app-server` 0.169.0 against the mock
//! Responses API (trimmed to the fields that matter; the rest are ignored anyway).

use super::*;
use crate::adapter::{AgentAdapter, Output, Reply};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use warden_core::session::*;

const THREAD: &str = "01a1fdd5-03ef-73e3-a17e-f0205a22ad83";
const TURN: &str = "01a1fdd5-041f-7eb2-913d-42b7d80555d2";

fn adapter() -> CodexAdapter {
    CodexAdapter::new(PathBuf::from("/work/p1"), None, Sandbox::WorkspaceWrite, PermissionMode::Default)
}

fn feed(a: &mut CodexAdapter, line: &str) -> Vec<Output> {
    a.on_line(line.as_bytes(), Instant::now())
}

fn events(outputs: &[Output]) -> Vec<SessionEventKind> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::Event(e) => Some(e.clone()),
            _ => None,
        })
        .collect()
}

fn sent(outputs: &[Output]) -> Vec<Value> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::Send(line) => Some(serde_json::from_str(line).unwrap()),
            _ => None,
        })
        .collect()
}

fn parse(lines: &[String]) -> Vec<Value> {
    lines.iter().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// An adapter whose thread is started, as after the real start-up exchange.
fn started() -> CodexAdapter {
    let mut a = adapter();
    let init = parse(&a.start());
    assert_eq!(init[0]["method"], "initialize");
    let out = feed(&mut a, r#"{"id":1,"result":{"userAgent":"warden/0.169.0 (Debian 12.0.0; x86_64) xterm (warden; 0.1)","codexHome":"/h/.codex","platformFamily":"unix","platformOs":"linux"}}"#);
    let lines = sent(&out);
    assert_eq!(lines[0], json!({"method": "initialized"}), "initialized follows the answer, before anything else");
    assert_eq!(lines[1]["method"], "thread/start");
    let out = feed(&mut a, &format!(r#"{{"id":2,"result":{{"thread":{{"id":"{THREAD}","sessionId":"{THREAD}","preview":"","modelProvider":"warden_mock","model":"mock-model","status":{{"type":"idle"}},"cwd":"/work/p1","cliVersion":"0.169.0","source":"vscode","turns":[]}},"model":"mock-model","modelProvider":"warden_mock","cwd":"/work/p1","approvalPolicy":"on-request","approvalsReviewer":"user","sandbox":{{"type":"workspaceWrite","writableRoots":[],"networkAccess":false,"excludeTmpdirEnvVar":false,"excludeSlashTmp":false}},"reasoningEffort":null}}}}"#));
    assert!(out.contains(&Output::Ready));
    a
}

/// `started()` with turn 1 running as Codex turn [`TURN`].
fn in_turn() -> CodexAdapter {
    let mut a = started();
    let lines = parse(&a.prompt(TurnId(1), "do it", Instant::now()));
    assert_eq!(lines[0]["method"], "turn/start");
    // Id 3 is `model/list`, sent once the thread is ready.
    feed(&mut a, &format!(r#"{{"id":4,"result":{{"turn":{{"id":"{TURN}","items":[],"itemsView":"notLoaded","status":"inProgress","error":null,"startedAt":null,"completedAt":null,"durationMs":null}}}}}}"#));
    a
}

fn command_started() -> String {
    format!(r#"{{"method":"item/started","params":{{"item":{{"type":"commandExecution","id":"call_mock_1_2","command":"/bin/bash -lc 'touch escalated_made.txt && echo made'","cwd":"/work/p1","processId":null,"source":"agent","status":"inProgress","commandActions":[{{"type":"unknown","command":"touch escalated_made.txt && echo made"}}],"aggregatedOutput":null,"exitCode":null,"durationMs":null}},"threadId":"{THREAD}","turnId":"{TURN}","startedAtMs":1795259958445}},"emittedAtMs":1795259958451}}"#)
}

fn command_approval(id: u64) -> String {
    format!(r#"{{"method":"item/commandExecution/requestApproval","id":{id},"params":{{"kind":"command","threadId":"{THREAD}","turnId":"{TURN}","itemId":"call_mock_1_2","startedAtMs":1795259958445,"environmentId":"local","reason":"Create escalated_made.txt","command":"/bin/bash -lc 'touch escalated_made.txt && echo made'","cwd":"/work/p1","commandActions":[{{"type":"unknown","command":"touch escalated_made.txt && echo made"}}],"proposedExecpolicyAmendment":["touch","escalated_made.txt"],"availableDecisions":["accept",{{"acceptWithExecpolicyAmendment":{{"execpolicy_amendment":["touch","escalated_made.txt"]}}}},"cancel"]}}}}"#)
}

fn question(outputs: &[Output]) -> PermissionRequest {
    events(outputs)
        .into_iter()
        .find_map(|e| match e {
            SessionEventKind::PermissionRequested(r) => Some(r),
            _ => None,
        })
        .expect("a permission question")
}

fn reply(decision: PermissionDecision) -> Reply {
    Reply { decision, message: None, mode: None }
}

fn usage_line(turn: &str, total: u64) -> String {
    format!(r#"{{"method":"thread/tokenUsage/updated","params":{{"threadId":"{THREAD}","turnId":"{turn}","tokenUsage":{{"total":{{"totalTokens":{},"inputTokens":{total},"cachedInputTokens":0,"cacheWriteInputTokens":0,"outputTokens":{},"reasoningOutputTokens":0}},"last":{{"totalTokens":110,"inputTokens":100,"cachedInputTokens":40,"cacheWriteInputTokens":0,"outputTokens":10,"reasoningOutputTokens":0}},"modelContextWindow":258400}}}}}}"#, total + total / 10, total / 10)
}

fn turn_completed(status: &str, error: &str) -> String {
    format!(r#"{{"method":"turn/completed","params":{{"threadId":"{THREAD}","turn":{{"id":"{TURN}","items":[],"itemsView":"summary","status":"{status}","error":{error},"startedAt":1795259958,"completedAt":1795259958,"durationMs":237}}}},"emittedAtMs":1795259958549}}"#)
}

#[test]
fn the_thread_id_is_reported_as_the_session_id_and_a_prompt_waits_for_the_thread() {
    let mut a = CodexAdapter::new(PathBuf::from("/work/p1"), Some("gpt-5.5".into()), Sandbox::ReadOnly, PermissionMode::Default);
    let init = parse(&a.start());
    assert!(init[0].get("jsonrpc").is_none(), "Codex's JSON-RPC has no jsonrpc field");
    assert_eq!(init[0]["params"]["clientInfo"]["name"], "warden");
    assert!(a.prompt(TurnId(1), "early", Instant::now()).is_empty(), "no thread yet: the prompt waits");
    let out = feed(&mut a, r#"{"id":1,"result":{"userAgent":"warden/0.169.0","codexHome":"/h/.codex","platformFamily":"unix","platformOs":"linux"}}"#);
    let start = &sent(&out)[1];
    assert_eq!(start["params"], json!({"cwd": "/work/p1", "approvalPolicy": "untrusted", "sandbox": "read-only", "model": "gpt-5.5"}));
    let out = feed(&mut a, &format!(r#"{{"id":2,"result":{{"thread":{{"id":"{THREAD}","cliVersion":"0.169.0","turns":[]}},"model":"gpt-5.5"}}}}"#));
    let info = events(&out).into_iter().find_map(|e| match e {
        SessionEventKind::AgentInfo(i) => Some(i),
        _ => None,
    });
    let info = info.expect("agent info");
    assert_eq!((info.agent_session_id.as_str(), info.model.as_deref(), info.version.as_deref()), (THREAD, Some("gpt-5.5"), Some("0.169.0")));
    let turn = &sent(&out)[0];
    assert_eq!(turn["method"], "turn/start", "the waiting prompt goes out once the thread is there");
    assert_eq!(turn["params"]["input"][0]["text"], "early");
    assert_eq!(turn["params"]["threadId"], THREAD);
}

#[test]
fn a_later_process_resumes_the_thread_and_a_lost_thread_starts_afresh_with_a_notice() {
    let mut a = adapter().resuming(Some(THREAD.into()), 0.5);
    a.start();
    let out = feed(&mut a, r#"{"id":1,"result":{"userAgent":"u","codexHome":"/h","platformFamily":"unix","platformOs":"linux"}}"#);
    let resume = &sent(&out)[1];
    assert_eq!((resume["method"].as_str(), resume["params"]["threadId"].as_str()), (Some("thread/resume"), Some(THREAD)));
    assert_eq!(resume["params"]["excludeTurns"], true, "the history stays with Codex");
    let out = feed(&mut a, r#"{"id":2,"error":{"code":-32600,"message":"no rollout found for thread id 01a1"}}"#);
    let notice = events(&out).into_iter().any(|e| matches!(e, SessionEventKind::Notice(n) if n.text.contains("without the earlier conversation")));
    assert!(notice, "the person is told the conversation is gone");
    assert_eq!(sent(&out)[0]["method"], "thread/start");
}

#[test]
fn a_command_approval_offers_warden_s_grants_and_codex_only_ever_gets_accept() {
    let mut a = in_turn();
    let out = feed(&mut a, &command_started());
    let SessionEventKind::ToolCall(call) = &events(&out)[0] else { panic!("a tool call: {out:?}") };
    assert_eq!((call.name.as_str(), call.kind, call.title.as_str()), ("Bash", ToolKind::Execute, "Run touch escalated_made.txt && echo made"));
    assert_eq!(call.input.command(), Some("touch escalated_made.txt && echo made"), "the script, not Codex's bash -lc wrapper");
    assert_eq!(call.raw_input["command"], "/bin/bash -lc 'touch escalated_made.txt && echo made'", "Codex's own payload is kept");

    let out = feed(&mut a, &command_approval(0));
    let ask = question(&out);
    assert_eq!(ask.tool_name, "Bash");
    assert_eq!(ask.tool_call_id, Some(ToolCallId("call_mock_1_2".into())));
    assert_eq!(ask.reason.as_deref(), Some("Create escalated_made.txt"));
    assert_eq!(ask.input.cwd(), Some("/work/p1"), "the folder Codex runs it in");
    assert_eq!(
        ask.offered,
        Some(vec![
            PermissionDecision::AllowOnce,
            PermissionDecision::AllowSession,
            PermissionDecision::AllowAlways,
            PermissionDecision::Deny,
            PermissionDecision::DenyAndStop
        ]),
        "Codex takes accept and decline; the session and project grants are Warden's rules"
    );
    let awaiting = events(&out).iter().any(|e| matches!(e, SessionEventKind::ToolCallUpdate(u) if u.status == Some(ToolCallStatus::AwaitingPermission)));
    assert!(awaiting);
    assert_eq!(a.pending_requests(), vec![ask.request_id.clone()]);

    let (lines, events_after) = a.answer(&ask.request_id, &reply(PermissionDecision::AllowAlways), Instant::now()).unwrap();
    assert_eq!(
        parse(&lines)[0],
        json!({"id": 0, "result": {"decision": "accept"}}),
        "always allow is Warden's rule: Codex never gets its user-global execpolicy amendment"
    );
    assert!(matches!(&events_after[0], SessionEventKind::ToolCallUpdate(u) if u.status == Some(ToolCallStatus::Running)));
    assert!(a.answer(&ask.request_id, &reply(PermissionDecision::AllowOnce), Instant::now()).is_none(), "answered once only");
    let out = feed(&mut a, &format!(r#"{{"method":"serverRequest/resolved","params":{{"threadId":"{THREAD}","requestId":0}}}}"#));
    assert!(events(&out).is_empty(), "Codex confirming Warden's own answer withdraws nothing");

    let out = feed(&mut a, &format!(r#"{{"method":"item/completed","params":{{"item":{{"type":"commandExecution","id":"call_mock_1_2","command":"/bin/bash -lc 'touch escalated_made.txt && echo made'","cwd":"/work/p1","processId":"47922","source":"unifiedExecStartup","status":"completed","commandActions":[],"aggregatedOutput":"made\n","exitCode":0,"durationMs":0}},"threadId":"{THREAD}","turnId":"{TURN}"}}}}"#));
    let SessionEventKind::ToolCallUpdate(done) = &events(&out)[0] else { panic!() };
    assert_eq!(done.status, Some(ToolCallStatus::Completed));
    let output = done.output.as_ref().unwrap();
    assert_eq!((output.text.as_str(), &output.raw_output.as_ref().unwrap()["exitCode"]), ("made\n", &json!(0)));
}

#[test]
fn a_denial_sends_decline_even_unlisted_and_its_message_reaches_the_model_by_steering() {
    let mut a = in_turn();
    feed(&mut a, &command_started());
    let ask = question(&feed(&mut a, &command_approval(0)));
    let deny = Reply { decision: PermissionDecision::Deny, message: Some("Use make instead.".into()), mode: None };
    let (lines, events_after) = a.answer(&ask.request_id, &deny, Instant::now()).unwrap();
    let lines = parse(&lines);
    // Recorded: Codex 0.169 lists only "cancel" but takes "decline" and carries on with the
    // turn ("status":"declined"), which is what a plain denial means.
    // The reason is steered in first, and the answer waits for Codex to take it: answered,
    // Codex samples again at once.
    assert_eq!(lines.len(), 1, "only the steer goes now: {lines:?}");
    assert_eq!(lines[0]["method"], "turn/steer");
    assert_eq!(lines[0]["params"]["expectedTurnId"], TURN);
    let text = lines[0]["params"]["input"][0]["text"].as_str().unwrap();
    assert!(text.contains("Use make instead.") && text.contains("Run touch escalated_made.txt"), "{text}");
    assert!(matches!(&events_after[0], SessionEventKind::ToolCallUpdate(u) if u.status == Some(ToolCallStatus::Denied)));
    let steered = feed(&mut a, &json!({"id": lines[0]["id"], "result": {}}).to_string());
    assert_eq!(sent(&steered), vec![json!({"id": 0, "result": {"decision": "decline"}})]);
    // A refused steer still lets the answer go (with a warning that the words were lost).
    let mut c = in_turn();
    feed(&mut c, &command_started());
    let ask = question(&feed(&mut c, &command_approval(3)));
    let (lines, _) = c.answer(&ask.request_id, &deny, Instant::now()).unwrap();
    let steer = parse(&lines).remove(0);
    let refused = feed(&mut c, &json!({"id": steer["id"], "error": {"code": -32600, "message": "no active turn"}}).to_string());
    assert_eq!(sent(&refused), vec![json!({"id": 3, "result": {"decision": "decline"}})]);
    assert!(events(&refused).iter().any(|e| matches!(e, SessionEventKind::Notice(n) if n.text.contains("no active turn"))), "{refused:?}");

    // Stop and cancel end the turn: "cancel".
    let mut b = in_turn();
    feed(&mut b, &command_started());
    let ask = question(&feed(&mut b, &command_approval(7)));
    let (lines, _) = b.answer(&ask.request_id, &reply(PermissionDecision::Cancelled), Instant::now()).unwrap();
    assert_eq!(parse(&lines), vec![json!({"id": 7, "result": {"decision": "cancel"}})]);
}

#[test]
fn a_file_change_is_a_write_with_its_content_and_codex_may_withdraw_the_question() {
    let mut a = in_turn();
    let out = feed(&mut a, &format!(r#"{{"method":"item/started","params":{{"item":{{"type":"fileChange","id":"call_mock_1_1","changes":[{{"path":"/work/p1/hello.txt","kind":{{"type":"add"}},"diff":"hello from apply_patch\n"}}],"status":"inProgress"}},"threadId":"{THREAD}","turnId":"{TURN}","startedAtMs":1795259963798}}}}"#));
    let SessionEventKind::ToolCall(call) = &events(&out)[0] else { panic!() };
    assert_eq!((call.name.as_str(), call.title.as_str()), ("Write", "Write hello.txt"));
    assert_eq!(call.input, ToolInput::Write { path: "/work/p1/hello.txt".into(), content: "hello from apply_patch\n".into(), cwd: None });
    assert_eq!(call.raw_input[0]["diff"], "hello from apply_patch\n", "Codex's changes are kept as it sent them");
    assert_eq!(call.locations[0].path, "/work/p1/hello.txt");
    let out = feed(&mut a, &format!(r#"{{"method":"item/fileChange/requestApproval","id":0,"params":{{"threadId":"{THREAD}","turnId":"{TURN}","itemId":"call_mock_1_1","startedAtMs":1795259963799,"reason":null,"grantRoot":null}}}}"#));
    let ask = question(&out);
    assert_eq!((ask.tool_name.as_str(), ask.input.file_path()), ("Write", Some("/work/p1/hello.txt")));
    assert_eq!(ask.offered.as_ref().unwrap().len(), 5, "once, for the session, always (Warden's rules), decline, cancel");
    let out = feed(&mut a, &format!(r#"{{"method":"serverRequest/resolved","params":{{"threadId":"{THREAD}","requestId":0}}}}"#));
    let SessionEventKind::PermissionResolved(r) = &events(&out)[0] else { panic!("{out:?}") };
    assert_eq!((r.request_id.clone(), r.decision, r.source), (ask.request_id.clone(), PermissionDecision::Cancelled, DecisionSource::Agent));
    assert!(a.pending_requests().is_empty());
    assert!(a.answer(&ask.request_id, &reply(PermissionDecision::AllowOnce), Instant::now()).is_none(), "a withdrawn question takes no answer");
}

#[test]
fn a_file_change_allowed_for_the_session_and_then_declined_by_codex_reads_as_denied() {
    let mut a = in_turn();
    feed(&mut a, &format!(r#"{{"method":"item/started","params":{{"item":{{"type":"fileChange","id":"call_mock_3_0","changes":[{{"path":"/work/p1/hello.txt","kind":{{"type":"update","move_path":null}},"diff":"@@ -1 +1 @@\n-a\n+b\n"}},{{"path":"/work/p1/sub/two.txt","kind":{{"type":"add"}},"diff":"two\n"}}],"status":"inProgress"}},"threadId":"{THREAD}","turnId":"{TURN}"}}}}"#));
    let ask = question(&feed(&mut a, &format!(r#"{{"method":"item/fileChange/requestApproval","id":1,"params":{{"threadId":"{THREAD}","turnId":"{TURN}","itemId":"call_mock_3_0","startedAtMs":1,"reason":null,"grantRoot":null}}}}"#)));
    assert_eq!(ask.tool_name, "Edit");
    assert_eq!(ask.input.patch_paths(), ["/work/p1/hello.txt", "/work/p1/sub/two.txt"], "every path, for the rules");
    assert!(matches!(&ask.input, ToolInput::Patch { files } if files[0].diff == "@@ -1 +1 @@\n-a\n+b\n"), "with Codex's diffs");
    let (lines, _) = a.answer(&ask.request_id, &reply(PermissionDecision::AllowSession), Instant::now()).unwrap();
    assert_eq!(parse(&lines)[0], json!({"id": 1, "result": {"decision": "accept"}}), "the session grant is Warden's rule");
    let out = feed(&mut a, &format!(r#"{{"method":"item/completed","params":{{"item":{{"type":"fileChange","id":"call_mock_3_0","changes":[],"status":"declined"}},"threadId":"{THREAD}","turnId":"{TURN}"}}}}"#));
    assert!(matches!(&events(&out)[0], SessionEventKind::ToolCallUpdate(u) if u.status == Some(ToolCallStatus::Denied)));
}

#[test]
fn requests_warden_cannot_show_are_refused_out_loud() {
    let mut a = in_turn();
    let out = feed(&mut a, r#"{"method":"item/tool/requestUserInput","id":4,"params":{"threadId":"t","turnId":"u","itemId":"i","questions":[]}}"#);
    let answer = &sent(&out)[0];
    assert_eq!(answer["id"], 4);
    assert!(answer["error"]["message"].as_str().unwrap().contains("cannot show"));
    assert!(matches!(&events(&out)[0], SessionEventKind::Notice(n) if n.text.contains("requestUserInput")));
    let out = feed(&mut a, r#"{"method":"item/permissions/requestApproval","id":5,"params":{"threadId":"t","turnId":"u","itemId":"i","cwd":"/w","reason":"needs the network","permissions":{"network":{"enabled":true}}}}"#);
    assert_eq!(sent(&out)[0], json!({"id": 5, "result": {"permissions": {}, "scope": "turn"}}), "nothing granted");
    assert!(matches!(&events(&out)[0], SessionEventKind::Notice(n) if n.text.contains("needs the network")));
    let out = feed(&mut a, r#"{"method":"account/chatgptAuthTokens/refresh","id":"x","params":{}}"#);
    assert_eq!(sent(&out)[0]["id"], "x", "string ids are answered as given");
}

#[test]
fn text_streams_once_and_a_message_that_did_not_stream_still_shows() {
    let mut a = in_turn();
    let mut texts = Vec::new();
    for line in [
        format!(r#"{{"method":"item/reasoning/summaryTextDelta","params":{{"threadId":"{THREAD}","turnId":"{TURN}","itemId":"item_mock_1_0","delta":"Let me make ","summaryIndex":0}}}}"#),
        format!(r#"{{"method":"item/completed","params":{{"item":{{"type":"reasoning","id":"item_mock_1_0","summary":["Let me make the file."],"content":[]}},"threadId":"{THREAD}","turnId":"{TURN}"}}}}"#),
        format!(r#"{{"method":"item/agentMessage/delta","params":{{"threadId":"{THREAD}","turnId":"{TURN}","itemId":"item_mock_1_1","delta":"I'll create "}}}}"#),
        format!(r#"{{"method":"item/agentMessage/delta","params":{{"threadId":"{THREAD}","turnId":"{TURN}","itemId":"item_mock_1_1","delta":"it."}}}}"#),
        format!(r#"{{"method":"item/completed","params":{{"item":{{"type":"agentMessage","id":"item_mock_1_1","text":"I'll create it.","phase":null}},"threadId":"{THREAD}","turnId":"{TURN}"}}}}"#),
        // Recorded with gpt-5.5: a message item completes without any delta before it.
        format!(r#"{{"method":"item/completed","params":{{"item":{{"type":"agentMessage","id":"item_mock_2_0","text":"Patched.","phase":null}},"threadId":"{THREAD}","turnId":"{TURN}"}}}}"#),
    ] {
        for e in events(&feed(&mut a, &line)) {
            match e {
                SessionEventKind::AgentMessageChunk(c) => texts.push(format!("say {}: {}", c.message_id.0, c.text)),
                SessionEventKind::AgentThoughtChunk(c) => texts.push(format!("think {}: {}", c.message_id.0, c.text)),
                other => panic!("unexpected {other:?}"),
            }
        }
    }
    assert_eq!(
        texts,
        [
            "think item_mock_1_0: Let me make ",
            "think item_mock_1_0: the file.",
            "say item_mock_1_1: I'll create ",
            "say item_mock_1_1: it.",
            "say item_mock_2_0: Patched.",
        ]
    );
}

#[test]
fn a_turn_ends_with_the_usage_of_its_own_model_requests() {
    let mut a = started();
    // Recorded after thread/resume: the old turn's total comes again, before the new turn.
    feed(&mut a, &usage_line("old-turn", 200));
    a.prompt(TurnId(2), "again", Instant::now());
    feed(&mut a, &format!(r#"{{"method":"turn/started","params":{{"threadId":"{THREAD}","turn":{{"id":"{TURN}","items":[],"status":"inProgress","error":null}}}}}}"#));
    feed(&mut a, &usage_line(TURN, 300));
    feed(&mut a, &usage_line(TURN, 300));
    feed(&mut a, &usage_line(TURN, 400));
    let out = feed(&mut a, &turn_completed("completed", "null"));
    let SessionEventKind::TurnEnded(end) = &events(&out)[0] else { panic!() };
    assert_eq!((end.turn, end.stop_reason, end.duration_ms), (TurnId(2), StopReason::EndTurn, 237));
    assert_eq!(
        end.usage,
        Usage { input_tokens: 120, output_tokens: 20, cache_read_tokens: 80, cache_creation_tokens: 0 },
        "two new totals, each counted once; cached input apart"
    );
    assert_eq!((end.context_tokens, end.context_window), (Some(100), Some(258400)));
    assert!(!a.turn_open());
}

#[test]
fn an_interrupt_waits_for_codex_to_name_the_turn_and_ends_it_cancelled() {
    let mut a = started();
    a.prompt(TurnId(1), "long", Instant::now());
    assert!(a.interrupt().is_empty(), "Codex has not named the turn yet");
    let out = feed(&mut a, &format!(r#"{{"id":4,"result":{{"turn":{{"id":"{TURN}","items":[],"status":"inProgress","error":null}}}}}}"#));
    let interrupt = &sent(&out)[0];
    assert_eq!(interrupt["method"], "turn/interrupt");
    assert_eq!(interrupt["params"], json!({"threadId": THREAD, "turnId": TURN}));
    feed(&mut a, &command_started());
    let out = feed(&mut a, &turn_completed("interrupted", "null"));
    let kinds = events(&out);
    assert!(matches!(&kinds[0], SessionEventKind::ToolCallUpdate(u) if u.status == Some(ToolCallStatus::Cancelled)), "the open command is cancelled");
    assert!(matches!(&kinds[1], SessionEventKind::TurnEnded(t) if t.stop_reason == StopReason::Cancelled));
}

#[test]
fn a_failed_turn_carries_codexs_error_and_errors_are_noticed() {
    let mut a = in_turn();
    let out = feed(&mut a, &format!(r#"{{"method":"error","params":{{"error":{{"message":"stream disconnected before completion","codexErrorInfo":null,"additionalDetails":null}},"willRetry":true,"threadId":"{THREAD}","turnId":"{TURN}"}}}}"#));
    assert!(matches!(&events(&out)[0], SessionEventKind::Notice(n) if n.text == "Codex: stream disconnected before completion; Codex retries"));
    let out = feed(&mut a, &turn_completed("failed", r#"{"message":"unexpected status 500","codexErrorInfo":null,"additionalDetails":"mock"}"#));
    let SessionEventKind::TurnEnded(end) = &events(&out)[0] else { panic!() };
    assert_eq!((end.stop_reason, end.error.as_deref()), (StopReason::Error, Some("unexpected status 500 (mock)")));
    let out = feed(&mut a, &format!(r#"{{"method":"warning","params":{{"threadId":"{THREAD}","message":"Model metadata for `mock-model` not found."}}}}"#));
    assert!(matches!(&events(&out)[0], SessionEventKind::Notice(n) if n.text.contains("Model metadata")));
}

#[test]
fn a_refused_prompt_ends_the_turn_instead_of_leaving_it_open() {
    let mut a = started();
    a.prompt(TurnId(1), "x", Instant::now());
    let out = feed(&mut a, r#"{"id":4,"error":{"code":-32600,"message":"thread not found"}}"#);
    assert!(matches!(&events(&out)[0], SessionEventKind::TurnEnded(t) if t.stop_reason == StopReason::Error && t.error.as_deref().unwrap().contains("thread not found")));
}

#[test]
fn every_mode_has_codex_ask_before_every_command_it_does_not_know_to_only_read() {
    for mode in [PermissionMode::Default, PermissionMode::AcceptEdits, PermissionMode::Plan, PermissionMode::Bypass] {
        let mut a = started();
        assert!(a.set_mode(mode).is_empty(), "nothing to send until the next turn");
        let turn = &parse(&a.prompt(TurnId(1), "go", Instant::now()))[0];
        assert_eq!(turn["params"]["approvalPolicy"], "untrusted", "{mode:?}: deny rules see every command Codex would change things with");
        assert_eq!(approval_policy(mode), "untrusted");
    }
}

#[test]
fn plans_map_to_entries_and_unknown_or_broken_lines_are_kept() {
    let mut a = in_turn();
    let out = feed(&mut a, &format!(r#"{{"method":"turn/plan/updated","params":{{"threadId":"{THREAD}","turnId":"{TURN}","explanation":null,"plan":[{{"step":"Read","status":"completed"}},{{"step":"Write","status":"inProgress"}}]}}}}"#));
    let SessionEventKind::Plan(plan) = &events(&out)[0] else { panic!() };
    assert_eq!(plan.entries[1].status, PlanEntryStatus::InProgress);
    let line = r#"{"method":"thread/brandNew","params":{}}"#;
    let SessionEventKind::Unrecognised(r) = &events(&feed(&mut a, line))[0] else { panic!() };
    assert_eq!((r.reason.as_str(), r.text.as_str()), ("unknown Codex notification 'thread/brandNew'", line));
    let SessionEventKind::Unrecognised(r) = &events(&feed(&mut a, "WARN something"))[0] else { panic!() };
    assert_eq!(r.reason, "not JSON");
    assert!(events(&feed(&mut a, r#"{"method":"account/updated","params":{}}"#)).is_empty());
}

#[test]
fn rate_limits_become_an_event_when_they_change_and_sparse_updates_keep_what_was_known() {
    let mut a = in_turn();
    let update = |primary: &str| format!(r#"{{"method":"account/rateLimits/updated","params":{{"rateLimits":{{"limitId":"codex","limitName":null,"normalModelSlug":null,"primary":{primary},"secondary":null,"credits":null,"individualLimit":null,"spendControlReached":null,"planType":null,"rateLimitReachedType":null}}}}}}"#);
    let first = update(r#"{"usedPercent":42.5,"windowDurationMins":300,"resetsAt":1796690000}"#);
    let SessionEventKind::RateLimits(limits) = &events(&feed(&mut a, &first))[0] else { panic!("a rateLimits event") };
    let primary = limits.primary.expect("primary window");
    assert_eq!((primary.used_percent, primary.window_minutes, primary.resets_at_ms), (42.5, Some(300), Some(1_796_690_000_000)));
    assert_eq!(limits.limit_name.as_deref(), Some("codex"));
    assert!(events(&feed(&mut a, &first)).is_empty(), "the same limits again are no news");
    assert!(events(&feed(&mut a, &update("null"))).is_empty(), "a sparse update without the window clears nothing");
    let SessionEventKind::RateLimits(later) = &events(&feed(&mut a, &update(r#"{"usedPercent":50,"windowDurationMins":300,"resetsAt":null}"#)))[0] else { panic!() };
    assert_eq!(later.primary.map(|w| w.used_percent), Some(50.0));
}

#[test]
fn command_output_streams_at_a_bounded_rate() {
    let mut a = in_turn();
    feed(&mut a, &command_started());
    let delta = |text: &str| format!(r#"{{"method":"item/commandExecution/outputDelta","params":{{"threadId":"{THREAD}","turnId":"{TURN}","itemId":"call_mock_1_2","delta":"{text}"}}}}"#);
    let t0 = Instant::now();
    let first = a.on_line(delta("a").as_bytes(), t0);
    let second = a.on_line(delta("b").as_bytes(), t0 + Duration::from_millis(10));
    let third = a.on_line(delta("c").as_bytes(), t0 + Duration::from_millis(400));
    assert_eq!((events(&first).len(), events(&second).len()), (1, 0), "the second delta is held back");
    let SessionEventKind::ToolCallUpdate(u) = &events(&third)[0] else { panic!() };
    assert_eq!(u.output.as_ref().unwrap().text, "abc", "each update carries the whole output so far");
}

#[test]
fn mcp_calls_and_web_searches_are_tool_calls_with_their_results() {
    let mut a = in_turn();
    let out = feed(&mut a, &format!(r#"{{"method":"item/started","params":{{"item":{{"type":"mcpToolCall","id":"mcp_1","server":"github","tool":"create_issue","status":"inProgress","arguments":{{"title":"Bug"}},"result":null,"error":null,"durationMs":null}},"threadId":"{THREAD}","turnId":"{TURN}"}}}}"#));
    let SessionEventKind::ToolCall(call) = &events(&out)[0] else { panic!() };
    assert_eq!((call.name.as_str(), call.title.as_str()), ("mcp__github__create_issue", "github: create_issue"), "named as Claude names MCP tools, so mcp__ rules apply");
    assert_eq!(call.raw_input, json!({"title": "Bug"}));
    let out = feed(&mut a, &format!(r#"{{"method":"item/completed","params":{{"item":{{"type":"mcpToolCall","id":"mcp_1","server":"github","tool":"create_issue","status":"completed","arguments":{{}},"result":{{"content":[{{"type":"text","text":"Created #7"}}],"structuredContent":{{"number":7}},"_meta":null}},"error":null,"durationMs":12}},"threadId":"{THREAD}","turnId":"{TURN}"}}}}"#));
    let SessionEventKind::ToolCallUpdate(u) = &events(&out)[0] else { panic!() };
    let output = u.output.as_ref().unwrap();
    assert_eq!((u.status, output.text.as_str(), output.raw_output.clone()), (Some(ToolCallStatus::Completed), "Created #7", Some(json!({"number": 7}))));

    let out = feed(&mut a, &format!(r#"{{"method":"item/completed","params":{{"item":{{"type":"webSearch","id":"ws_1","query":"rust serde","action":{{"type":"search","query":"rust serde","queries":null}},"results":null}},"threadId":"{THREAD}","turnId":"{TURN}"}}}}"#));
    let kinds = events(&out);
    assert!(matches!(&kinds[0], SessionEventKind::ToolCall(c) if c.kind == ToolKind::Search && c.title == "Search the web for \"rust serde\""), "{kinds:?}");
    assert!(matches!(&kinds[1], SessionEventKind::ToolCallUpdate(u) if u.status == Some(ToolCallStatus::Completed)), "seen only finished, it opens and completes");
}

#[test]
fn after_a_cancel_answer_the_turn_is_not_interrupted_twice() {
    let mut a = in_turn();
    feed(&mut a, &command_started());
    let ask = question(&feed(&mut a, &command_approval(0)));
    a.answer(&ask.request_id, &reply(PermissionDecision::Cancelled), Instant::now()).unwrap();
    assert!(a.interrupt().is_empty(), "cancel interrupts the turn already; Codex would refuse a second interrupt");
    assert!(a.turn_open(), "the turn stays open until Codex ends it");
}

#[test]
fn an_item_of_a_kind_warden_does_not_show_is_kept_visible() {
    let mut a = in_turn();
    let line = format!(r#"{{"method":"item/completed","params":{{"item":{{"type":"imageGeneration","id":"ig_1","status":"completed"}},"threadId":"{THREAD}","turnId":"{TURN}"}}}}"#);
    let SessionEventKind::Unrecognised(r) = &events(&feed(&mut a, &line))[0] else { panic!() };
    assert_eq!((r.reason.as_str(), r.text.as_str()), ("a Codex item Warden does not show yet ('imageGeneration')", line.as_str()));
    let echo = format!(r#"{{"method":"item/completed","params":{{"item":{{"type":"userMessage","id":"u","content":[]}},"threadId":"{THREAD}","turnId":"{TURN}"}}}}"#);
    assert!(events(&feed(&mut a, &echo)).is_empty(), "the prompt's echo is not shown twice");
}

#[path = "grant_tests.rs"]
mod grant_tests;

#[test]
fn a_question_marks_the_start_of_its_calls_changes_once_before_it_is_put() {
    let mut a = in_turn();
    feed(&mut a, &command_started());
    let out = feed(&mut a, &command_approval(0));
    let waits = out.iter().position(|o| *o == Output::ToolWaits { tool_call_id: ToolCallId("call_mock_1_2".into()) });
    let asked = out.iter().position(|o| matches!(o, Output::Event(SessionEventKind::PermissionRequested(_))));
    assert!(waits.expect("the journal is told the call may start") < asked.expect("a question"), "{out:?}");
    let ask = question(&out);
    a.answer(&ask.request_id, &reply(PermissionDecision::AllowOnce), Instant::now()).unwrap();
    // Codex asks again for the same command (to run it outside its sandbox): its start stays
    // where it was.
    let again = feed(&mut a, &command_approval(1));
    assert!(!again.iter().any(|o| matches!(o, Output::ToolWaits { .. })), "{again:?}");
}

#[test]
fn a_reviewer_thread_asks_nothing_and_every_turn_carries_the_output_schema() {
    let schema = json!({"type": "object", "required": ["verdict"]});
    let mut a = adapter().answering_in(Some(schema.clone()));
    a.start();
    let out = feed(&mut a, r#"{"id":1,"result":{"userAgent":"warden/0.169.0","codexHome":"/h/.codex","platformFamily":"unix","platformOs":"linux"}}"#);
    assert_eq!(sent(&out)[1]["params"]["approvalPolicy"], "never", "the thread starts asking nothing");
    feed(&mut a, &format!(r#"{{"id":2,"result":{{"thread":{{"id":"{THREAD}","turns":[]}},"model":"mock-model","cwd":"/work/p1"}}}}"#));
    a.set_mode(PermissionMode::AcceptEdits);
    let turn = parse(&a.prompt(TurnId(1), "review", Instant::now()));
    assert_eq!(turn[0]["method"], "turn/start");
    assert_eq!((&turn[0]["params"]["outputSchema"], &turn[0]["params"]["approvalPolicy"]), (&schema, &json!("never")));
    // An ordinary thread sends neither.
    let mut plain = started();
    let turn = parse(&plain.prompt(TurnId(1), "do it", Instant::now()));
    assert!(turn[0]["params"].get("outputSchema").is_none());
    assert_eq!(turn[0]["params"]["approvalPolicy"], "untrusted");
}

#[test]
fn a_steer_before_codex_named_the_turn_goes_out_once_it_does_and_a_switch_rides_the_next_turn() {
    let mut a = started();
    let (lines, controls) = a.set_model(Some("gpt-x"), Some(&Effort::from("high"))).expect("Codex switches");
    assert!(lines.is_empty(), "nothing to send until the next turn");
    assert_eq!((controls.model.as_deref(), controls.effort.as_ref().map(Effort::as_str)), (Some("gpt-x"), Some("high")));
    let start = parse(&a.prompt(TurnId(1), "long", Instant::now()));
    assert_eq!((start[0]["params"]["model"].clone(), start[0]["params"]["effort"].clone()), (json!("gpt-x"), json!("high")));
    assert_eq!(a.steer("also this"), Some(Vec::new()), "kept until the turn has its id");
    let out = feed(&mut a, &format!(r#"{{"id":4,"result":{{"turn":{{"id":"{TURN}","items":[],"status":"inProgress","error":null}}}}}}"#));
    let steer = &sent(&out)[0];
    assert_eq!(steer["method"], "turn/steer");
    assert_eq!((steer["params"]["expectedTurnId"].as_str(), steer["params"]["input"][0]["text"].as_str()), (Some(TURN), Some("also this")));
    let later = a.steer("and this").expect("Codex steers");
    assert_eq!(parse(&later)[0]["method"], "turn/steer");
}
