//! One tool-call life for every agent: the same situations (allowed, denied, denied and
//! stopped, cancelled by Stop while running or while asking, failed), played on lines recorded
//! from each protocol at the same moments, give the same statuses and durations.
//!
//! The lines are recorded ones (Claude Code 2.1.329's stream-json, `codex app-server` 0.169.0,
//! Gemini CLI 0.61.0's ACP; see each adapter's `tests.rs`), with only the status of a result
//! changed where a situation needs it. How a call is first announced differs by protocol (Claude
//! reports it running before it asks, Codex announces its items running, Gemini announces a
//! call with its question), so the comparison starts at the question.

use crate::acp::AcpAdapter;
use crate::adapter::{AgentAdapter, Output, Reply};
use crate::claude::ClaudeAdapter;
use crate::codex::CodexAdapter;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use warden_core::session::*;
use ToolCallStatus::*;

/// What happens at one moment of a situation.
#[derive(Clone, Copy)]
enum Step {
    /// The agent asks about the call.
    Ask,
    /// Warden answers the question.
    Decide(PermissionDecision),
    /// The person presses Stop (the adapter's interrupt).
    Stop,
    /// The agent reports the call succeeded.
    Succeeded,
    /// The agent reports the call failed.
    Failed,
    /// The agent reports the call interrupted (after a Stop).
    Interrupted,
    /// The agent reports the call it was refused (after a denial).
    Refused,
    /// The turn ends normally.
    TurnEnds,
    /// The turn ends as stopped.
    TurnStopped,
}

/// One protocol: an adapter in a turn, its call, and its recorded lines for each step (none
/// where the protocol says nothing).
struct Protocol {
    name: &'static str,
    call: &'static str,
    open: fn(Instant) -> Box<dyn AgentAdapter>,
    line: fn(Step) -> Vec<String>,
}

// --- Claude Code 2.1.329 (tests/fixtures/claude-2.1.329-session.jsonl, trimmed) ---

const CLAUDE_CALL: &str = "toolu_mock_1_2";

fn claude_open(at: Instant) -> Box<dyn AgentAdapter> {
    let mut a = ClaudeAdapter::new(PathBuf::from("/tmp/rec/proj"));
    a.start();
    a.prompt(TurnId(1), "make hello.txt", at);
    a.on_line(br#"{"type":"assistant","message":{"content":[{"id":"toolu_mock_1_2","input":{"file_path":"/tmp/rec/proj/hello.txt","content":"hello from the mock model\n"},"name":"Write","type":"tool_use"}],"id":"msg_mock_1","model":"claude-opus-5-5","role":"assistant","stop_reason":null,"stop_sequence":null,"type":"message","usage":{"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"input_tokens":12,"output_tokens":5},"context_management":null},"parent_tool_use_id":null,"session_id":"31de97e4-74a9-40f3-b4d5-ddb56284eb4e","uuid":"4072fe97-745a-4c44-b9d0-72bc0301e6e5","timestamp":"2026-11-21T06:29:50.228Z"}"#, at);
    Box::new(a)
}

fn claude_result(text: &str, is_error: bool) -> String {
    format!(
        r#"{{"type":"user","message":{{"role":"user","content":[{{"tool_use_id":"toolu_mock_1_2","type":"tool_result","content":"{text}","is_error":{is_error}}}]}},"parent_tool_use_id":null,"session_id":"31de97e4-74a9-40f3-b4d5-ddb56284eb4e","uuid":"6eff0412-f130-4984-9017-d3f9bcf55eba","timestamp":"2026-11-21T06:29:50.305Z"}}"#
    )
}

fn claude_line(step: Step) -> Vec<String> {
    let line = match step {
        Step::Ask => r#"{"type":"control_request","request_id":"09ef8da5-8a7f-478d-9059-dc5a6a28d94d","request":{"subtype":"can_use_tool","tool_name":"Write","display_name":"Write","input":{"file_path":"/tmp/rec/proj/hello.txt","content":"hello from the mock model\n"},"description":"hello.txt","permission_suggestions":[{"type":"setMode","mode":"acceptEdits","destination":"session"}],"tool_use_id":"toolu_mock_1_2"}}"#.to_owned(),
        Step::Succeeded => claude_result("File created successfully at: /tmp/rec/proj/hello.txt", false),
        Step::Failed => claude_result("Error: EACCES: permission denied, open '/tmp/rec/proj/hello.txt'", true),
        Step::Interrupted => claude_result("[Request interrupted by user for tool use]", true),
        Step::Refused => claude_result("The user denied this in Warden.", true),
        Step::TurnEnds => r#"{"type":"result","subtype":"success","is_error":false,"duration_ms":137,"result":"Done.","stop_reason":"end_turn","terminal_reason":"completed","session_id":"31de97e4-74a9-40f3-b4d5-ddb56284eb4e","total_cost_usd":0.0017920000000000002}"#.to_owned(),
        Step::TurnStopped => r#"{"type":"result","subtype":"error_during_execution","is_error":true,"duration_ms":1532,"stop_reason":null,"terminal_reason":"aborted_streaming","session_id":"31de97e4-74a9-40f3-b4d5-ddb56284eb4e","total_cost_usd":0.004848000000000002,"errors":[]}"#.to_owned(),
        Step::Decide(_) | Step::Stop => return Vec::new(),
    };
    vec![line]
}

// --- codex app-server 0.169.0 (see codex/tests.rs) ---

const THREAD: &str = "01a1fdd5-03ef-73e3-a17e-f0205a22ad83";
const TURN: &str = "01a1fdd5-041f-7eb2-913d-42b7d80555d2";
const CODEX_CALL: &str = "call_mock_1_2";

fn codex_open(at: Instant) -> Box<dyn AgentAdapter> {
    let mut a = CodexAdapter::new(PathBuf::from("/work/p1"), None, Sandbox::WorkspaceWrite, PermissionMode::Default);
    a.start();
    a.on_line(br#"{"id":1,"result":{"userAgent":"warden/0.169.0 (Debian 12.0.0; x86_64) xterm (warden; 0.1)","codexHome":"/h/.codex","platformFamily":"unix","platformOs":"linux"}}"#, at);
    let thread = format!(r#"{{"id":2,"result":{{"thread":{{"id":"{THREAD}","sessionId":"{THREAD}","preview":"","modelProvider":"warden_mock","model":"mock-model","status":{{"type":"idle"}},"cwd":"/work/p1","cliVersion":"0.169.0","source":"vscode","turns":[]}},"model":"mock-model","modelProvider":"warden_mock","cwd":"/work/p1","approvalPolicy":"untrusted","approvalsReviewer":"user","sandbox":{{"type":"workspaceWrite","writableRoots":[],"networkAccess":false,"excludeTmpdirEnvVar":false,"excludeSlashTmp":false}},"reasoningEffort":null}}}}"#);
    a.on_line(thread.as_bytes(), at);
    a.prompt(TurnId(1), "make a file", at);
    let turn = format!(r#"{{"id":3,"result":{{"turn":{{"id":"{TURN}","items":[],"itemsView":"notLoaded","status":"inProgress","error":null,"startedAt":null,"completedAt":null,"durationMs":null}}}}}}"#);
    a.on_line(turn.as_bytes(), at);
    let started = format!(r#"{{"method":"item/started","params":{{"item":{{"type":"commandExecution","id":"call_mock_1_2","command":"/bin/bash -lc 'touch escalated_made.txt && echo made'","cwd":"/work/p1","processId":null,"source":"agent","status":"inProgress","commandActions":[{{"type":"unknown","command":"touch escalated_made.txt && echo made"}}],"aggregatedOutput":null,"exitCode":null,"durationMs":null}},"threadId":"{THREAD}","turnId":"{TURN}","startedAtMs":1795259958445}},"emittedAtMs":1795259958451}}"#);
    a.on_line(started.as_bytes(), at);
    Box::new(a)
}

fn codex_item(status: &str, output: &str, exit: &str) -> String {
    format!(
        r#"{{"method":"item/completed","params":{{"item":{{"type":"commandExecution","id":"call_mock_1_2","command":"/bin/bash -lc 'touch escalated_made.txt && echo made'","cwd":"/work/p1","processId":"47922","source":"unifiedExecStartup","status":"{status}","commandActions":[],"aggregatedOutput":{output},"exitCode":{exit},"durationMs":0}},"threadId":"{THREAD}","turnId":"{TURN}"}}}}"#
    )
}

fn codex_turn(status: &str) -> String {
    format!(r#"{{"method":"turn/completed","params":{{"threadId":"{THREAD}","turn":{{"id":"{TURN}","items":[],"itemsView":"summary","status":"{status}","error":null,"startedAt":1795259958,"completedAt":1795259958,"durationMs":237}}}},"emittedAtMs":1795259958549}}"#)
}

fn codex_line(step: Step) -> Vec<String> {
    let line = match step {
        Step::Ask => format!(r#"{{"method":"item/commandExecution/requestApproval","id":0,"params":{{"kind":"command","threadId":"{THREAD}","turnId":"{TURN}","itemId":"call_mock_1_2","startedAtMs":1795259958445,"environmentId":"local","reason":"Create escalated_made.txt","command":"/bin/bash -lc 'touch escalated_made.txt && echo made'","cwd":"/work/p1","commandActions":[{{"type":"unknown","command":"touch escalated_made.txt && echo made"}}],"proposedExecpolicyAmendment":["touch","escalated_made.txt"],"availableDecisions":["accept",{{"acceptWithExecpolicyAmendment":{{"execpolicy_amendment":["touch","escalated_made.txt"]}}}},"cancel"]}}}}"#),
        Step::Succeeded => codex_item("completed", r#""made\n""#, "0"),
        Step::Failed => codex_item("failed", r#""touch: cannot touch 'escalated_made.txt': Read-only file system\n""#, "1"),
        Step::Refused => codex_item("declined", "null", "null"),
        // Codex says nothing more of an interrupted command: the turn's end closes it.
        Step::Interrupted => return Vec::new(),
        Step::TurnEnds => codex_turn("completed"),
        Step::TurnStopped => codex_turn("interrupted"),
        Step::Decide(_) | Step::Stop => return Vec::new(),
    };
    vec![line]
}

// --- Gemini CLI 0.61.0 over ACP (see acp/tests.rs) ---

const ACP_CALL: &str = "write_file__write_file_1795260017544_0";

fn acp_open(at: Instant) -> Box<dyn AgentAdapter> {
    let mut a = AcpAdapter::new(PathBuf::from("/p"), None);
    a.start();
    a.on_line(br#"{"jsonrpc":"2.0","id":0,"result":{"protocolVersion":1,"authMethods":[],"agentInfo":{"name":"gemini-cli","title":"Gemini CLI","version":"0.61.0"},"agentCapabilities":{"loadSession":true,"promptCapabilities":{"image":true,"audio":true,"embeddedContext":true},"mcpCapabilities":{"http":true,"sse":true}}}}"#, at);
    a.on_line(br#"{"jsonrpc":"2.0","id":1,"result":{"sessionId":"052fb701-b106-4747-8084-ce9721b90110","modes":{"availableModes":[{"id":"default","name":"Default","description":"Prompts for approval"},{"id":"plan","name":"Plan","description":"Read-only mode"}],"currentModeId":"default"}}}"#, at);
    a.prompt(TurnId(1), "write hello", at);
    Box::new(a)
}

fn acp_update(status: &str) -> String {
    format!(
        r#"{{"jsonrpc":"2.0","method":"session/update","params":{{"sessionId":"052fb701-b106-4747-8084-ce9721b90110","update":{{"sessionUpdate":"tool_call_update","toolCallId":"write_file__write_file_1795260017544_0","status":"{status}","title":"Writing to hello.txt","content":[{{"type":"diff","path":"/p/hello.txt","oldText":"","newText":"hello from the gemini mock\n","_meta":{{"kind":"add"}}}}],"locations":[{{"path":"/p/hello.txt"}}],"kind":"edit"}}}}}}"#
    )
}

fn acp_line(step: Step) -> Vec<String> {
    let line = match step {
        Step::Ask => r#"{"jsonrpc":"2.0","id":1,"method":"session/request_permission","params":{"sessionId":"052fb701-b106-4747-8084-ce9721b90110","options":[{"optionId":"proceed_always","name":"Allow for this session","kind":"allow_always"},{"optionId":"proceed_once","name":"Allow","kind":"allow_once"},{"optionId":"cancel","name":"Reject","kind":"reject_once"}],"toolCall":{"toolCallId":"write_file__write_file_1795260017544_0","status":"pending","title":"Writing to hello.txt","content":[{"type":"diff","path":"/p/hello.txt","oldText":"","newText":"hello from the gemini mock\n","_meta":{"kind":"add"}}],"locations":[{"path":"/p/hello.txt"}],"kind":"edit"}}}"#.to_owned(),
        Step::Succeeded => acp_update("completed"),
        Step::Failed => acp_update("failed"),
        // Gemini says nothing more of a rejected or interrupted call.
        Step::Refused | Step::Interrupted => return Vec::new(),
        Step::TurnEnds => r#"{"jsonrpc":"2.0","id":2,"result":{"stopReason":"end_turn"}}"#.to_owned(),
        Step::TurnStopped => r#"{"jsonrpc":"2.0","id":2,"result":{"stopReason":"cancelled"}}"#.to_owned(),
        Step::Decide(_) | Step::Stop => return Vec::new(),
    };
    vec![line]
}

fn protocols() -> [Protocol; 3] {
    [
        Protocol { name: "Claude stream-json", call: CLAUDE_CALL, open: claude_open, line: claude_line },
        Protocol { name: "Codex app-server", call: CODEX_CALL, open: codex_open, line: codex_line },
        Protocol { name: "ACP (Gemini)", call: ACP_CALL, open: acp_open, line: acp_line },
    ]
}

/// Plays `steps` (at milliseconds after the turn began) on `protocol`'s lines and returns the
/// call's statuses from the question on, each with the duration it reported.
fn play(protocol: &Protocol, steps: &[(u64, Step)]) -> Vec<(ToolCallStatus, Option<u64>)> {
    let start = Instant::now();
    let mut adapter = (protocol.open)(start);
    let mut events = Vec::new();
    let mut question = None;
    for &(ms, step) in steps {
        let at = start + Duration::from_millis(ms);
        match step {
            Step::Decide(decision) => {
                let asked = question.take().unwrap_or_else(|| panic!("{}: no question to answer", protocol.name));
                let reply = Reply { decision, message: None, mode: None };
                let (_, after) = adapter.answer(&asked, &reply, at).unwrap_or_else(|| panic!("{}: the question is pending", protocol.name));
                events.extend(after);
            }
            Step::Stop => {
                adapter.interrupt();
            }
            _ => {
                for line in (protocol.line)(step) {
                    for output in adapter.on_line(line.as_bytes(), at) {
                        if let Output::Event(event) = output {
                            if let SessionEventKind::PermissionRequested(asked) = &event {
                                question = Some(asked.request_id.clone());
                            }
                            if let SessionEventKind::Unrecognised(raw) = &event {
                                panic!("{}: a recorded line was not understood: {raw:?}", protocol.name);
                            }
                            events.push(event);
                        }
                    }
                }
            }
        }
    }
    let life: Vec<(ToolCallStatus, Option<u64>)> = events
        .iter()
        .filter_map(|e| match e {
            SessionEventKind::ToolCall(c) if c.id.0 == protocol.call => Some((c.status, None)),
            SessionEventKind::ToolCallUpdate(u) if u.id.0 == protocol.call => u.status.map(|s| (s, u.duration_ms)),
            _ => None,
        })
        .collect();
    let asked = life.iter().position(|(s, _)| *s == AwaitingPermission);
    let asked = asked.unwrap_or_else(|| panic!("{}: the call never waited for permission: {life:?}", protocol.name));
    life[asked..].to_vec()
}

/// Every protocol gives `expected` for `steps`.
fn same_for_every_agent(situation: &str, steps: &[(u64, Step)], expected: &[(ToolCallStatus, Option<u64>)]) {
    for protocol in protocols() {
        assert_eq!(play(&protocol, steps), expected, "{situation}, {}", protocol.name);
    }
}

#[test]
fn an_allowed_call_runs_from_the_answer_to_its_result() {
    let steps = [(1000, Step::Ask), (3000, Step::Decide(PermissionDecision::AllowOnce)), (10_000, Step::Succeeded), (11_000, Step::TurnEnds)];
    same_for_every_agent("allowed", &steps, &[(AwaitingPermission, None), (Running, None), (Completed, Some(7000))]);
}

#[test]
fn a_denied_call_never_runs_and_has_no_duration() {
    let steps = [(1000, Step::Ask), (3000, Step::Decide(PermissionDecision::Deny)), (4000, Step::Refused), (5000, Step::TurnEnds)];
    same_for_every_agent("denied", &steps, &[(AwaitingPermission, None), (Denied, None)]);
}

#[test]
fn deny_and_stop_shows_the_call_denied_for_every_agent() {
    let steps = [(1000, Step::Ask), (3000, Step::Decide(PermissionDecision::DenyAndStop)), (4000, Step::Refused), (5000, Step::TurnStopped)];
    same_for_every_agent("denied and stopped", &steps, &[(AwaitingPermission, None), (Denied, None)]);
}

#[test]
fn stop_while_the_call_runs_cancels_it_with_the_time_it_ran() {
    let steps = [
        (1000, Step::Ask),
        (3000, Step::Decide(PermissionDecision::AllowOnce)),
        (5000, Step::Stop),
        (6000, Step::Interrupted),
        (6000, Step::TurnStopped),
    ];
    same_for_every_agent("cancelled by Stop while running", &steps, &[(AwaitingPermission, None), (Running, None), (Cancelled, Some(3000))]);
}

#[test]
fn stop_while_asking_cancels_the_call_before_it_ran() {
    // Stop answers every open question "cancelled" (the actor does), then interrupts.
    let steps = [(1000, Step::Ask), (3000, Step::Decide(PermissionDecision::Cancelled)), (3000, Step::Stop), (4000, Step::TurnStopped)];
    same_for_every_agent("cancelled by Stop while asking", &steps, &[(AwaitingPermission, None), (Cancelled, None)]);
}

#[test]
fn a_failed_call_ran_until_its_error() {
    let steps = [(1000, Step::Ask), (3000, Step::Decide(PermissionDecision::AllowOnce)), (10_000, Step::Failed), (11_000, Step::TurnEnds)];
    same_for_every_agent("failed", &steps, &[(AwaitingPermission, None), (Running, None), (Failed, Some(7000))]);
}
