//! What Warden grants Claude: never more than the one call the person or a rule allowed, never a
//! mode in which Claude stops asking, and never the mode Claude reports as Warden's own.

use super::tests::{reply, written};
use super::ClaudeAdapter;
use crate::adapter::{AgentAdapter, Output};
use crate::discovery::AgentBinary;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Instant;
use warden_core::session::*;

const MODES: [PermissionMode; 4] =
    [PermissionMode::Default, PermissionMode::AcceptEdits, PermissionMode::Plan, PermissionMode::Bypass];

/// Suggestions Claude 2.1 sends with its questions, each wider than one call.
fn suggestions() -> Vec<Value> {
    let mut out = Vec::new();
    for destination in ["session", "localSettings", "projectSettings", "userSettings", "cliArg"] {
        out.push(json!({"type": "addRules", "rules": [{"toolName": "Read", "ruleContent": "//outside/**"}],
            "behavior": "allow", "destination": destination}));
        out.push(json!({"type": "replaceRules", "rules": [{"toolName": "Bash"}], "behavior": "allow", "destination": destination}));
        out.push(json!({"type": "addDirectories", "directories": ["/outside", "/"], "destination": destination}));
        out.push(json!({"type": "removeRules", "rules": [{"toolName": "Bash", "ruleContent": "rm:*"}],
            "behavior": "deny", "destination": destination}));
        for mode in ["acceptEdits", "bypassPermissions", "auto", "dontAsk"] {
            out.push(json!({"type": "setMode", "mode": mode, "destination": destination}));
        }
    }
    out
}

fn question(id: &str, tool: &str, input: &Value, suggestions: &[Value]) -> String {
    json!({"type": "control_request", "request_id": id, "request": {"subtype": "can_use_tool", "tool_name": tool,
        "input": input, "tool_use_id": format!("t_{id}"), "permission_suggestions": suggestions}})
    .to_string()
}

#[test]
fn allowing_a_call_answers_that_call_only_and_never_hands_claude_its_suggestions() {
    let calls = [
        ("Bash", json!({"command": "touch /outside/a"})),
        ("Read", json!({"file_path": "/outside/secret"})),
        ("Write", json!({"file_path": "/p/a.txt", "content": "x"})),
        ("Edit", json!({"file_path": "/p/a.txt", "old_string": "x", "new_string": "y"})),
        ("WebFetch", json!({"url": "https://example.com", "prompt": "read"})),
        ("mcp__server__tool", json!({"anything": 1})),
    ];
    let all = suggestions();
    let mut n = 0;
    for (tool, input) in &calls {
        // Each suggestion alone, all of them together, and none.
        let mut sets: Vec<Vec<Value>> = all.iter().map(|s| vec![s.clone()]).collect();
        sets.push(all.clone());
        sets.push(Vec::new());
        for set in &sets {
            for decision in [PermissionDecision::AllowOnce, PermissionDecision::AllowSession, PermissionDecision::AllowAlways] {
                n += 1;
                let mut adapter = ClaudeAdapter::new(PathBuf::from("/p"));
                let id = format!("r{n}");
                adapter.on_line(question(&id, tool, input, set).as_bytes(), Instant::now());
                let (lines, _) = adapter.answer(&PermissionRequestId(id.clone()), &reply(decision), Instant::now()).unwrap();
                assert_eq!(lines.len(), 1);
                let answer = &written(&lines)["response"]["response"];
                let keys: Vec<&String> = answer.as_object().unwrap().keys().collect();
                assert_eq!(keys, ["behavior", "updatedInput"], "{tool} {decision:?} {set:?}: {answer}");
                assert_eq!((&answer["behavior"], &answer["updatedInput"]), (&json!("allow"), input));
            }
        }
    }
}

#[test]
fn approving_a_plan_leaves_plan_mode_for_claude_s_default_only() {
    for mode in MODES.into_iter().map(Some).chain([None]) {
        for decision in [PermissionDecision::AllowOnce, PermissionDecision::AllowSession, PermissionDecision::AllowAlways] {
            let mut adapter = ClaudeAdapter::new(PathBuf::from("/p"));
            let input = json!({"plan": "1. Edit"});
            let wide = [json!({"type": "setMode", "mode": "bypassPermissions", "destination": "session"})];
            adapter.on_line(question("p1", "ExitPlanMode", &input, &wide).as_bytes(), Instant::now());
            let mut approve = reply(decision);
            approve.mode = mode;
            let (lines, _) = adapter.answer(&PermissionRequestId("p1".into()), &approve, Instant::now()).unwrap();
            let updates = &written(&lines)["response"]["response"]["updatedPermissions"];
            let claude = if mode == Some(PermissionMode::Plan) { "plan" } else { "default" };
            assert_eq!(*updates, json!([{"type": "setMode", "mode": claude, "destination": "session"}]), "{mode:?}");
        }
    }
}

#[test]
fn claude_runs_in_a_mode_that_asks_whatever_warden_s_mode() {
    for mode in MODES {
        let expected = if mode == PermissionMode::Plan { "plan" } else { "default" };
        assert_eq!(mode.claude_mode(), expected, "{mode:?}");
        let mut adapter = ClaudeAdapter::new(PathBuf::from("/p"));
        let line = written(&adapter.set_mode(mode));
        assert_eq!((&line["request"]["subtype"], &line["request"]["mode"]), (&json!("set_permission_mode"), &json!(expected)));
        let binary = AgentBinary { agent: AgentKind::Claude, program: PathBuf::from("/bin/claude"), version: "2.1.329".into() };
        for resume in [false, true] {
            let spec = super::spawn_spec(&binary, Path::new("/p"), &SessionId("s".into()), resume, None, mode, &[]);
            let args: Vec<String> = spec.args.iter().map(|a| a.to_string_lossy().into_owned()).collect();
            let after = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
            assert_eq!(after("--permission-mode").as_deref(), Some(expected), "{mode:?} resume={resume}: {args:?}");
            assert_eq!(after("--setting-sources").as_deref(), Some("user"), "only the person's own settings: {args:?}");
            assert_eq!(after("--add-dir").as_deref(), Some("/p"), "the project's CLAUDE.md, and no other folder: {args:?}");
            assert_eq!(args.iter().filter(|a| *a == "--add-dir").count(), 1);
            let md = spec.env.iter().any(|(k, v)| k == "CLAUDE_CODE_ADDITIONAL_DIRECTORIES_CLAUDE_MD" && v == "1");
            assert!(md, "Claude reads the added folder's CLAUDE.md");
            assert!(!args.iter().any(|a| a.contains("dangerously") || a.contains("bypassPermissions")), "{args:?}");
        }
    }
}

/// What the adapter makes of a recorded `system` line reporting Claude's permission mode.
fn report(adapter: &mut ClaudeAdapter, subtype: &str, mode: &str) -> (Vec<SessionEventKind>, Vec<Value>) {
    let line = json!({"type": "system", "subtype": subtype, "status": null, "permissionMode": mode,
        "session_id": "31de97e4-74a9-40f3-b4d5-ddb56284eb4e", "uuid": "51ba20b1-eee4-4266-9ab0-6fd132526cb7",
        "model": "claude-mock", "tools": [], "claude_code_version": "2.1.329"});
    let mut events = Vec::new();
    let mut sent = Vec::new();
    for output in adapter.on_line(line.to_string().as_bytes(), Instant::now()) {
        match output {
            Output::Event(e) => events.push(e),
            Output::Send(l) => sent.push(serde_json::from_str(&l).unwrap()),
            other => panic!("{other:?}"),
        }
    }
    (events, sent)
}

fn notices(events: &[SessionEventKind]) -> Vec<&str> {
    events
        .iter()
        .filter_map(|e| match e {
            SessionEventKind::Notice(n) => Some(n.text.as_str()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_mode_claude_reports_is_shown_never_adopted_and_one_that_skips_warden_is_switched_back() {
    for warden in MODES {
        let ours = warden.claude_mode();
        for reported in ["bypassPermissions", "acceptEdits", "auto", "someFutureMode", "default", "plan", "dontAsk"] {
            for subtype in ["status", "init"] {
                let mut adapter = ClaudeAdapter::new(PathBuf::from("/p"));
                adapter.set_mode(warden);
                let (events, sent) = report(&mut adapter, subtype, reported);
                assert!(
                    !events.iter().any(|e| matches!(e, SessionEventKind::ModeChanged(_))),
                    "{warden:?} {reported}: Claude's report never becomes Warden's mode: {events:?}"
                );
                let skips = !["default", "plan", "dontAsk"].contains(&reported);
                let back: Vec<&Value> = sent.iter().map(|s| &s["request"]["mode"]).collect();
                if reported == ours {
                    assert!(notices(&events).is_empty() && sent.is_empty(), "the mode Warden set is no news: {events:?} {sent:?}");
                } else if skips {
                    assert_eq!(back, [&json!(ours)], "{warden:?} {reported}: switched back to Warden's");
                    assert_eq!(sent[0]["request"]["subtype"], "set_permission_mode");
                    assert!(notices(&events).iter().any(|n| n.contains(reported)), "{events:?}");
                } else {
                    assert!(sent.is_empty(), "a mode that asks is left alone: {sent:?}");
                    assert!(notices(&events).iter().any(|n| n.contains(reported)), "{events:?}");
                }
            }
        }
    }
}

#[test]
fn a_process_reporting_a_mode_that_skips_warden_at_start_is_switched_to_one_that_asks() {
    let mut adapter = ClaudeAdapter::new(PathBuf::from("/p"));
    let (_, sent) = report(&mut adapter, "init", "bypassPermissions");
    assert_eq!(sent[0]["request"]["mode"], "default");
    let mut adapter = ClaudeAdapter::new(PathBuf::from("/p"));
    let (events, sent) = report(&mut adapter, "init", "plan");
    assert!(sent.is_empty() && notices(&events).is_empty(), "the mode it was started in: {events:?}");
    let (_, sent) = report(&mut adapter, "status", "acceptEdits");
    assert_eq!(sent[0]["request"]["mode"], "plan", "back to the mode it started in");
}

#[test]
fn a_recorded_status_line_switching_claude_to_bypass_is_refused_not_adopted() {
    // As Claude Code 2.1.329 writes it after a mode change.
    let line = br#"{"type":"system","subtype":"status","status":null,"permissionMode":"bypassPermissions","uuid":"72a2efcb-5d9a-4c1f-800f-b4439dbc171c","session_id":"a43710b0-9ccf-465c-8a48-36958bc7f675"}"#;
    let mut adapter = ClaudeAdapter::new(PathBuf::from("/p"));
    adapter.set_mode(PermissionMode::Bypass);
    let out = adapter.on_line(line, Instant::now());
    assert!(!out.iter().any(|o| matches!(o, Output::Event(SessionEventKind::ModeChanged(_)))), "{out:?}");
    let back = out.iter().find_map(|o| match o {
        Output::Send(l) => Some(serde_json::from_str::<Value>(l).unwrap()),
        _ => None,
    });
    assert_eq!(back.expect("switched back")["request"]["mode"], "default");
}
