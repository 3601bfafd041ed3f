//! The adapter against output recorded from Claude Code 2.1.329 talking to the mock model
//! (six prompts: an allowed Write, a denied Bash, task tools, a subagent, an interrupted slow
//! answer, a follow-up).

use super::ClaudeAdapter;
use crate::adapter::{AgentAdapter, CheckAnswer, Output};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;
use warden_core::session::*;

const RECORDED: &str = include_str!("../../tests/fixtures/claude-2.1.329-session.jsonl");

/// Replays the recording, answering permission questions the way the recording did (Write
/// allowed, Bash denied), and returns the events and the lines written back.
fn replay() -> (Vec<SessionEventKind>, Vec<String>) {
    let mut adapter = ClaudeAdapter::new(PathBuf::from("/tmp/rec/proj"));
    let mut events = Vec::new();
    let mut written = adapter.start();
    let mut turn = 0;
    for line in RECORDED.lines() {
        if line.contains("\"subtype\":\"init\"") && !adapter.turn_open() {
            turn += 1;
            written.extend(adapter.prompt(TurnId(turn), "prompt", Instant::now()));
        }
        for output in adapter.on_line(line.as_bytes(), Instant::now()) {
            match output {
                Output::Event(SessionEventKind::PermissionRequested(request)) => {
                    let decision =
                        if request.tool_name == "Write" { PermissionDecision::AllowOnce } else { PermissionDecision::Deny };
                    let (lines, follow) = adapter.answer(&request.request_id, &reply(decision), Instant::now()).expect("pending");
                    events.push(SessionEventKind::PermissionRequested(request));
                    events.extend(follow);
                    written.extend(lines);
                }
                Output::Event(e) => events.push(e),
                Output::Send(l) => written.push(l),
                Output::Ready => events.push(SessionEventKind::Status(SessionStatus::Ready)),
                Output::ToolCheck(check) => written.extend(adapter.answer_tool_check(&check, CheckAnswer::Proceed, Instant::now()).0),
                Output::ToolDone { id, .. } => written.extend(adapter.answer_tool_done(&id)),
                Output::TurnEnding { id } => written.extend(adapter.answer_turn_ending(&id, None)),
                Output::ClientRequest(request) => panic!("Claude makes no client requests: {request:?}"),
                Output::ToolWaits { tool_call_id } => panic!("Claude's calls start at their hook: {tool_call_id:?}"),
            }
        }
    }
    (events, written)
}

#[test]
fn every_line_of_the_recording_is_understood() {
    let (events, written) = replay();
    let raw: Vec<_> = events.iter().filter(|e| matches!(e, SessionEventKind::Unrecognised(_))).collect();
    assert!(raw.is_empty(), "nothing in a real session should be unrecognised: {raw:?}");
    assert!(
        written.iter().all(|l| !l.contains("\"subtype\":\"error\"")),
        "no CLI request was refused: {written:?}"
    );
    assert_eq!(events.first(), Some(&SessionEventKind::Status(SessionStatus::Ready)), "the initialize answer means ready");
}

#[test]
fn streamed_text_joins_into_each_full_message_without_duplicates() {
    let (events, _) = replay();
    let mut texts: BTreeMap<(String, u32), String> = BTreeMap::new();
    for e in &events {
        if let SessionEventKind::AgentMessageChunk(c) = e {
            texts.entry((c.message_id.0.clone(), c.part)).or_default().push_str(&c.text);
        }
    }
    let joined: Vec<&str> = texts.values().map(String::as_str).collect();
    for expected in [
        "I'll create hello.txt for you.",
        "Done: hello.txt now exists.",
        "OK, I did not run it.",
        "Subagent says: there is hello.txt.",
        "Back after the interrupt.",
    ] {
        assert_eq!(joined.iter().filter(|t| **t == expected).count(), 1, "{expected:?} exactly once in {joined:?}");
    }
    let thoughts: String = events
        .iter()
        .filter_map(|e| match e {
            SessionEventKind::AgentThoughtChunk(c) => Some(c.text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(thoughts, "The user wants a file. I will write it.");
}

fn statuses(events: &[SessionEventKind], id: &str) -> Vec<ToolCallStatus> {
    events
        .iter()
        .filter_map(|e| match e {
            SessionEventKind::ToolCall(t) if t.id.0 == id => Some(t.status),
            SessionEventKind::ToolCallUpdate(u) if u.id.0 == id => u.status,
            _ => None,
        })
        .collect()
}

#[test]
fn tool_calls_walk_through_permission_to_their_end() {
    use ToolCallStatus::*;
    let (events, written) = replay();
    assert_eq!(statuses(&events, "toolu_mock_1_2"), [Pending, Running, AwaitingPermission, Running, Completed]);
    assert_eq!(statuses(&events, "toolu_mock_3_0"), [Pending, Running, AwaitingPermission, Denied]);
    let write = events.iter().find_map(|e| match e {
        SessionEventKind::ToolCallUpdate(u) if u.id.0 == "toolu_mock_1_2" && u.title.is_some() => Some(u.clone()),
        _ => None,
    });
    let write = write.expect("the full input arrives as an update");
    assert_eq!(write.title.as_deref(), Some("Write hello.txt"));
    assert_eq!(write.locations.unwrap()[0].path, "/tmp/rec/proj/hello.txt");
    let allow = written.iter().find(|l| l.contains("\"behavior\":\"allow\"")).expect("an allow answer");
    assert!(allow.contains("\"updatedInput\""), "Claude rejects an allow without updatedInput: {allow}");
    let deny = written.iter().find(|l| l.contains("\"behavior\":\"deny\"")).expect("a deny answer");
    assert!(deny.contains(super::DEFAULT_DENY_MESSAGE));
}

#[test]
fn subagent_output_hangs_under_its_tool_call() {
    let (events, _) = replay();
    let sub = events.iter().find_map(|e| match e {
        SessionEventKind::AgentMessageChunk(c) if c.text.starts_with("Subagent says") => Some(c.parent.clone()),
        _ => None,
    });
    assert_eq!(sub, Some(Some(ToolCallId("toolu_mock_8_0".into()))));
}

#[test]
fn turns_end_with_their_reason_and_the_cost_of_each_turn() {
    let (events, _) = replay();
    let ended: Vec<&TurnEnded> = events
        .iter()
        .filter_map(|e| match e {
            SessionEventKind::TurnEnded(t) => Some(t),
            _ => None,
        })
        .collect();
    let reasons: Vec<StopReason> = ended.iter().map(|t| t.stop_reason).collect();
    use StopReason::*;
    assert_eq!(&reasons[..6], [EndTurn, EndTurn, EndTurn, EndTurn, Cancelled, EndTurn]);
    let first = ended[0].cost_usd.expect("cost reported");
    assert!((first - 0.000896).abs() < 1e-9, "turn cost is the first cumulative total: {first}");
    let second = ended[1].cost_usd.unwrap();
    assert!((second - 0.000896).abs() < 1e-9, "later turns are differences, not totals: {second}");
    assert!(ended.iter().filter(|t| t.stop_reason == EndTurn).all(|t| t.usage.output_tokens > 0), "completed turns report tokens");
    // The mock model reports 12 input tokens and no cache per request; the result names the
    // model's window.
    assert_eq!((ended[0].context_tokens, ended[0].context_window), (Some(12), Some(1_000_000)));
}

#[test]
fn context_use_is_the_last_main_request_and_the_window_of_its_model() {
    let mut adapter = ClaudeAdapter::new(PathBuf::from("/p"));
    adapter.prompt(TurnId(1), "go", Instant::now());
    let lines = [
        r#"{"type":"assistant","message":{"id":"m1","model":"big","content":[{"type":"text","text":"a"}],"usage":{"input_tokens":5,"cache_read_input_tokens":1000,"cache_creation_input_tokens":200,"output_tokens":9}},"parent_tool_use_id":null}"#,
        r#"{"type":"assistant","message":{"id":"m2","model":"big","content":[{"type":"text","text":"b"}],"usage":{"input_tokens":7,"cache_read_input_tokens":1200,"cache_creation_input_tokens":30,"output_tokens":9}},"parent_tool_use_id":null}"#,
        r#"{"type":"assistant","message":{"id":"m3","model":"small","content":[{"type":"text","text":"sub"}],"usage":{"input_tokens":90000,"output_tokens":1}},"parent_tool_use_id":"toolu_1"}"#,
        r#"{"type":"result","subtype":"success","is_error":false,"modelUsage":{"small":{"contextWindow":2000000},"big":{"contextWindow":200000}},"usage":{"input_tokens":12,"output_tokens":18}}"#,
    ];
    let mut ended = None;
    for line in lines {
        for o in adapter.on_line(line.as_bytes(), Instant::now()) {
            if let Output::Event(SessionEventKind::TurnEnded(t)) = o {
                ended = Some(t);
            }
        }
    }
    let ended = ended.expect("the turn ended");
    assert_eq!(ended.context_tokens, Some(7 + 1200 + 30), "the last main-thread request counts, not a subagent's or a sum");
    assert_eq!(ended.context_window, Some(200_000), "the window of the model that answered");

    let odd = br#"{"type":"assistant","message":{"id":"m4","model":7,"content":[{"type":"text","text":"c"}],"usage":{"input_tokens":null}},"parent_tool_use_id":null}"#;
    let out = adapter.on_line(odd, Instant::now());
    assert!(matches!(out.as_slice(), [Output::Event(SessionEventKind::AgentMessageChunk(_))]), "odd extras never hide the text: {out:?}");

    adapter.prompt(TurnId(2), "again", Instant::now());
    let out = adapter.on_line(br#"{"type":"result","subtype":"error_during_execution","is_error":true,"modelUsage":null}"#, Instant::now());
    let Some(Output::Event(SessionEventKind::TurnEnded(t))) = out.last() else { panic!("{out:?}") };
    assert_eq!((t.context_tokens, t.context_window), (None, None), "a turn without a model request knows neither");
}

/// Turn and session cost of one result line fed to `adapter`.
fn costs(adapter: &mut ClaudeAdapter, turn: u32, total: f64) -> (f64, f64) {
    adapter.prompt(TurnId(turn), "go", Instant::now());
    let line = format!(r#"{{"type":"result","subtype":"success","is_error":false,"total_cost_usd":{total}}}"#);
    let out = adapter.on_line(line.as_bytes(), Instant::now());
    let Some(Output::Event(SessionEventKind::TurnEnded(t))) = out.last() else { panic!("{out:?}") };
    (t.cost_usd.unwrap(), t.session_cost_usd)
}

#[test]
fn a_resumed_process_counts_cost_on_from_the_session_not_twice() {
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
    // Claude restored the session's $0.0016 and counts on from it.
    let mut restored = ClaudeAdapter::new(PathBuf::from("/p")).continuing(0.0016);
    let (turn, session) = costs(&mut restored, 3, 0.0021);
    assert!(close(turn, 0.0005) && close(session, 0.0021), "{turn} {session}");
    let (turn, session) = costs(&mut restored, 4, 0.0030);
    assert!(close(turn, 0.0009) && close(session, 0.0030), "{turn} {session}");
    // A counter below the earlier cost started from zero: the earlier cost is added once.
    let mut fresh = ClaudeAdapter::new(PathBuf::from("/p")).continuing(0.5);
    let (turn, session) = costs(&mut fresh, 2, 0.1);
    assert!(close(turn, 0.1) && close(session, 0.6), "{turn} {session}");
    let (turn, session) = costs(&mut fresh, 3, 0.15);
    assert!(close(turn, 0.05) && close(session, 0.65), "{turn} {session}");
}

#[test]
fn garbage_becomes_raw_entries_and_never_a_panic() {
    let mut adapter = ClaudeAdapter::new(PathBuf::from("/p"));
    let cases: Vec<&[u8]> = vec![
        b"[SandboxDebug] something",
        b"{not json",
        b"{\"type\":\"brand_new_frame\",\"x\":1}",
        b"{\"type\":\"assistant\",\"message\":42}",
        b"\xff\xfe\x00 invalid utf-8",
        b"{\"type\":\"system\",\"subtype\":\"future_thing\"}",
    ];
    for line in cases {
        let out = adapter.on_line(line, Instant::now());
        match out.as_slice() {
            [Output::Event(SessionEventKind::Unrecognised(raw))] => {
                assert_eq!(raw.bytes, line.len() as u64);
                assert!(!raw.reason.is_empty());
            }
            other => panic!("{:?} gave {other:?}", String::from_utf8_lossy(line)),
        }
    }
    let huge = vec![b'x'; 10 * 1024 * 1024];
    let out = adapter.on_line(&huge, Instant::now());
    let [Output::Event(SessionEventKind::Unrecognised(raw))] = out.as_slice() else { panic!("one raw entry") };
    assert_eq!(raw.bytes, huge.len() as u64, "the original size is reported");
    assert_eq!(raw.text.len(), super::RAW_KEEP, "only the start is kept for display");
    assert!(adapter.on_line(b"   ", Instant::now()).is_empty(), "blank lines are skipped");
}

#[test]
fn a_withdrawn_question_cannot_be_answered_twice() {
    let mut adapter = ClaudeAdapter::new(PathBuf::from("/p"));
    adapter.prompt(TurnId(1), "go", Instant::now());
    let ask = br#"{"type":"control_request","request_id":"r1","request":{"subtype":"can_use_tool","tool_name":"Bash","input":{"command":"ls"},"tool_use_id":"t1"}}"#;
    adapter.on_line(ask, Instant::now());
    let cancel = br#"{"type":"control_cancel_request","request_id":"r1"}"#;
    let out = adapter.on_line(cancel, Instant::now());
    assert!(matches!(&out[0], Output::Event(SessionEventKind::PermissionResolved(r)) if r.decision == PermissionDecision::Cancelled));
    let id = PermissionRequestId("r1".into());
    assert!(adapter.answer(&id, &reply(PermissionDecision::AllowOnce), Instant::now()).is_none());
}

fn plans(adapter: &mut ClaudeAdapter, lines: &[&str]) -> Vec<Vec<(Option<String>, String, PlanEntryStatus)>> {
    let mut out = Vec::new();
    for line in lines {
        for o in adapter.on_line(line.as_bytes(), Instant::now()) {
            if let Output::Event(SessionEventKind::Plan(p)) = o {
                out.push(p.entries.into_iter().map(|e| (e.id, e.content, e.status)).collect());
            }
        }
    }
    out
}

#[test]
fn task_tools_accumulate_into_one_plan_by_task_id() {
    let mut adapter = ClaudeAdapter::new(PathBuf::from("/p"));
    adapter.prompt(TurnId(1), "plan", Instant::now());
    let got = plans(
        &mut adapter,
        &[
            r#"{"type":"assistant","message":{"id":"m1","content":[{"type":"tool_use","id":"t1","name":"TaskCreate","input":{"subject":"Write tests","description":"d"}}]}}"#,
            r#"{"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"t1","content":"Task #1 created successfully: Write tests"}]},"tool_use_result":{"task":{"id":"1","subject":"Write tests"}}}"#,
            r#"{"type":"assistant","message":{"id":"m2","content":[{"type":"tool_use","id":"t2","name":"TaskUpdate","input":{"taskId":"1","status":"in_progress"}}]}}"#,
            r#"{"type":"assistant","message":{"id":"m3","content":[{"type":"tool_use","id":"t3","name":"TaskCreate","input":{"subject":"Never created"}}]}}"#,
            r#"{"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"t3","content":"No such tool","is_error":true}]}}"#,
        ],
    );
    use PlanEntryStatus::*;
    assert_eq!(
        got,
        vec![vec![(Some("1".into()), "Write tests".into(), Pending)], vec![(Some("1".into()), "Write tests".into(), InProgress)]],
        "a failed TaskCreate adds nothing"
    );
}

#[test]
fn todo_write_replaces_the_plan() {
    let mut adapter = ClaudeAdapter::new(PathBuf::from("/p"));
    adapter.prompt(TurnId(1), "plan", Instant::now());
    let got = plans(
        &mut adapter,
        &[r#"{"type":"assistant","message":{"id":"m1","content":[{"type":"tool_use","id":"t1","name":"TodoWrite","input":{"todos":[{"content":"a","status":"completed","activeForm":"A"},{"content":"b","status":"pending","activeForm":"B"}]}}]}}"#],
    );
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].len(), 2);
    assert_eq!(got[0][0].2, PlanEntryStatus::Completed);
}

pub(super) fn reply(decision: PermissionDecision) -> crate::adapter::Reply {
    crate::adapter::Reply { decision, message: None, mode: None }
}

pub(super) fn written(lines: &[String]) -> serde_json::Value {
    serde_json::from_str(&lines[0]).expect("one JSON line")
}

pub(super) fn ask(adapter: &mut ClaudeAdapter, id: &str, tool: &str, input: &str) {
    let line = format!(
        r#"{{"type":"control_request","request_id":"{id}","request":{{"subtype":"can_use_tool","tool_name":"{tool}","input":{input},"tool_use_id":"t_{id}","permission_suggestions":[{{"type":"setMode","mode":"acceptEdits","destination":"session"}},{{"type":"addRules","rules":[{{"toolName":"Write","ruleContent":"a.txt"}}],"behavior":"allow","destination":"localSettings"}}]}}}}"#
    );
    adapter.on_line(line.as_bytes(), Instant::now());
}

#[test]
fn initialize_registers_a_pre_and_a_post_tool_use_hook_for_every_tool() {
    let mut adapter = ClaudeAdapter::new(PathBuf::from("/p"));
    let init: serde_json::Value = serde_json::from_str(&adapter.start()[0]).unwrap();
    let hooks = &init["request"]["hooks"]["PreToolUse"];
    assert_eq!(hooks[0]["matcher"], serde_json::Value::Null, "no matcher: every tool");
    assert_eq!(hooks[0]["hookCallbackIds"][0], super::permissions::PRE_TOOL_HOOK);
    let post = &init["request"]["hooks"]["PostToolUse"];
    assert_eq!(post[0]["matcher"], serde_json::Value::Null);
    assert_eq!(post[0]["hookCallbackIds"][0], super::permissions::POST_TOOL_HOOK);
}

#[test]
fn the_stop_hook_is_registered_only_when_turn_ends_are_held() {
    let init = |adapter: &mut ClaudeAdapter| -> serde_json::Value { serde_json::from_str(&adapter.start()[0]).unwrap() };
    let held = init(&mut ClaudeAdapter::new(PathBuf::from("/p")));
    assert_eq!(held["request"]["hooks"]["Stop"][0]["hookCallbackIds"][0], super::permissions::STOP_HOOK, "held by default");
    let not = init(&mut ClaudeAdapter::new(PathBuf::from("/p")).holding_turn_ends(false));
    assert!(not["request"]["hooks"].get("Stop").is_none(), "{not}");
    assert_eq!(not["request"]["hooks"]["PreToolUse"], held["request"]["hooks"]["PreToolUse"], "the tool hooks stay");
    assert_eq!(not["request"]["hooks"]["PostToolUse"], held["request"]["hooks"]["PostToolUse"]);
}

#[test]
fn a_post_tool_use_hook_becomes_tool_done_answered_without_an_opinion() {
    let mut adapter = ClaudeAdapter::new(PathBuf::from("/p"));
    let hook = format!(
        r#"{{"type":"control_request","request_id":"h3","request":{{"subtype":"hook_callback","callback_id":"{}","input":{{"hook_event_name":"PostToolUse","tool_name":"Bash","tool_input":{{"command":"ls"}},"tool_response":{{"stdout":""}},"tool_use_id":"t4"}},"tool_use_id":"t4"}}}}"#,
        super::permissions::POST_TOOL_HOOK
    );
    let out = adapter.on_line(hook.as_bytes(), Instant::now());
    assert_eq!(out, vec![Output::ToolDone { id: "h3".into(), tool_call_id: Some(ToolCallId("t4".into())) }]);
    let answer: serde_json::Value = serde_json::from_str(&adapter.answer_tool_done("h3")[0]).unwrap();
    assert_eq!(answer["response"]["request_id"], "h3");
    assert_eq!(answer["response"]["response"], serde_json::json!({}));
}

#[test]
fn a_pre_tool_use_hook_becomes_a_tool_check_and_a_veto_denies_the_call() {
    let mut adapter = ClaudeAdapter::new(PathBuf::from("/p"));
    let hook = format!(
        r#"{{"type":"control_request","request_id":"h1","request":{{"subtype":"hook_callback","callback_id":"{}","input":{{"hook_event_name":"PreToolUse","tool_name":"Read","tool_input":{{"file_path":"/p/.env"}},"tool_use_id":"t9"}},"tool_use_id":"t9"}}}}"#,
        super::permissions::PRE_TOOL_HOOK
    );
    let out = adapter.on_line(hook.as_bytes(), Instant::now());
    let Some(Output::ToolCheck(check)) = out.into_iter().next() else { panic!("a tool check") };
    assert_eq!((check.tool_name.as_str(), check.input.file_path()), ("Read", Some("/p/.env")));
    let (lines, _) = adapter.answer_tool_check(&check, CheckAnswer::Deny("Denied by the rule Read(.env)"), Instant::now());
    let answer = written(&lines);
    assert_eq!(answer["response"]["request_id"], "h1");
    let decision = &answer["response"]["response"]["hookSpecificOutput"];
    assert_eq!((decision["permissionDecision"].as_str(), decision["hookEventName"].as_str()), (Some("deny"), Some("PreToolUse")));
    let (lines, _) = adapter.answer_tool_check(&check, CheckAnswer::Proceed, Instant::now());
    assert_eq!(written(&lines)["response"]["response"], serde_json::json!({}), "no opinion: Claude decides as usual");
    // A call Warden cannot read with certainty is put to the person, even one Claude would
    // run unasked.
    let (lines, events) = adapter.answer_tool_check(&check, CheckAnswer::Ask("a variable names the file"), Instant::now());
    let decision = &written(&lines)["response"]["response"]["hookSpecificOutput"];
    assert_eq!(decision["permissionDecision"].as_str(), Some("ask"));
    assert_eq!(decision["permissionDecisionReason"].as_str(), Some("a variable names the file"));
    assert!(events.is_empty(), "asking is no decision yet: {events:?}");
}

#[test]
fn an_unknown_hook_gets_an_error_answer_so_claude_never_waits() {
    let mut adapter = ClaudeAdapter::new(PathBuf::from("/p"));
    let hook = br#"{"type":"control_request","request_id":"h2","request":{"subtype":"hook_callback","callback_id":"someone_else","input":{}}}"#;
    let out = adapter.on_line(hook, Instant::now());
    assert!(matches!(&out[0], Output::Send(line) if line.contains("\"subtype\":\"error\"") && line.contains("h2")), "{out:?}");
}

#[test]
fn deny_and_stop_interrupts_the_turn_and_a_plain_deny_does_not() {
    let mut adapter = ClaudeAdapter::new(PathBuf::from("/p"));
    ask(&mut adapter, "r4", "Bash", r#"{"command":"rm -rf build"}"#);
    ask(&mut adapter, "r5", "Bash", r#"{"command":"rm -rf dist"}"#);
    let stop = adapter.answer(&PermissionRequestId("r4".into()), &reply(PermissionDecision::DenyAndStop), Instant::now()).unwrap();
    let stop = &written(&stop.0)["response"]["response"];
    assert_eq!((stop["behavior"].as_str(), stop["interrupt"].as_bool()), (Some("deny"), Some(true)));
    assert_eq!(stop["message"], super::STOP_MESSAGE);
    let mut with_message = reply(PermissionDecision::Deny);
    with_message.message = Some("use cargo clean".into());
    let deny = adapter.answer(&PermissionRequestId("r5".into()), &with_message, Instant::now()).unwrap();
    let deny = &written(&deny.0)["response"]["response"];
    assert_eq!((deny["interrupt"].as_bool(), deny["message"].as_str()), (Some(false), Some("use cargo clean")));
}

/// The Stop hook exactly as Claude 2.1 sends it (`captures/hooks/claude_stop_callback.jsonl`).
const STOP_HOOK_LINE: &str = r#"{"type":"control_request","request_id":"4d9c","request":{"subtype":"hook_callback","callback_id":"warden_stop","input":{"session_id":"77b7","transcript_path":"/t.jsonl","cwd":"/p","prompt_id":"5c36","permission_mode":"default","effort":{"level":"medium"},"hook_event_name":"Stop","stop_hook_active":false,"last_assistant_message":"Recap","background_tasks":[],"session_crons":[]},"tool_use_id":"93ff"}}"#;

#[test]
fn the_stop_hook_holds_the_turn_end_until_warden_answers_with_feedback_or_lets_it_end() {
    let mut adapter = ClaudeAdapter::new(PathBuf::from("/p"));
    let init: serde_json::Value = serde_json::from_str(&adapter.start()[0]).unwrap();
    let stop = &init["request"]["hooks"]["Stop"][0];
    assert_eq!(stop["hookCallbackIds"][0], super::permissions::STOP_HOOK);
    assert!(stop["timeout"].as_u64().is_some_and(|t| t >= 600), "long enough for checks: {stop}");
    adapter.prompt(TurnId(1), "work", Instant::now());

    let out = adapter.on_line(STOP_HOOK_LINE.as_bytes(), Instant::now());
    assert_eq!(out, [Output::TurnEnding { id: "4d9c".into() }]);
    let block = written(&adapter.answer_turn_ending("4d9c", Some("Check `t` failed")));
    assert_eq!(block["response"]["request_id"], "4d9c");
    assert_eq!(block["response"]["response"], serde_json::json!({"decision": "block", "reason": "Check `t` failed"}));
    assert!(adapter.answer_turn_ending("4d9c", None).is_empty(), "answered once");

    adapter.on_line(STOP_HOOK_LINE.replace("4d9c", "c7ed").as_bytes(), Instant::now());
    let end = written(&adapter.answer_turn_ending("c7ed", None));
    assert_eq!(end["response"]["response"], serde_json::json!({}), "an empty answer lets the turn end");
}

#[test]
fn an_interrupt_answers_a_waiting_stop_hook_first() {
    let mut adapter = ClaudeAdapter::new(PathBuf::from("/p"));
    adapter.start();
    adapter.prompt(TurnId(1), "work", Instant::now());
    adapter.on_line(STOP_HOOK_LINE.as_bytes(), Instant::now());
    let lines = adapter.interrupt();
    assert_eq!(lines.len(), 2, "{lines:?}");
    let first: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    assert_eq!((first["response"]["request_id"].as_str(), &first["response"]["response"]), (Some("4d9c"), &serde_json::json!({})));
    let second: serde_json::Value = serde_json::from_str(&lines[1]).unwrap();
    assert_eq!(second["request"]["subtype"], "interrupt");
    // A hook Claude withdrew (its timeout) is not answered later.
    adapter.on_line(STOP_HOOK_LINE.replace("4d9c", "aa11").as_bytes(), Instant::now());
    adapter.on_line(br#"{"type":"control_cancel_request","request_id":"aa11"}"#, Instant::now());
    assert!(adapter.answer_turn_ending("aa11", Some("late")).is_empty());
}
