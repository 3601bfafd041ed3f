//! What an ACP agent is granted (issue 14, item 4) and who changes the mode (item 20): the
//! agent only ever gets the one call Warden decided, whatever options it offers, and its own
//! mode switches never become Warden's.

use super::*;

/// A question with `options` (JSON array) about a call the agent names `tool`.
fn ask(id: u32, tool: &str, kind: &str, options: Value) -> String {
    json!({"jsonrpc": "2.0", "id": id, "method": "session/request_permission", "params": {"sessionId": SID, "options": options,
        "toolCall": {"toolCallId": format!("call_{id}"), "_meta": {"claudeCode": {"toolName": tool}}, "status": "pending",
            "title": tool, "kind": kind, "rawInput": {"command": "ls", "plan": "1. do it"}}}})
    .to_string()
}

fn option(id: &str, kind: &str) -> Value {
    json!({"optionId": id, "name": id, "kind": kind})
}

/// Asks, answers with `decision`, and returns the option sent (or `None` for `cancelled`),
/// the answers offered, and the events after the answer.
fn answer_with(adapter: &mut AcpAdapter, line: &str, decision: PermissionDecision, mode: Option<PermissionMode>)
    -> (Option<String>, Vec<PermissionDecision>, Vec<SessionEventKind>) {
    let asked = events(&feed(adapter, line));
    let question = asked.iter().find_map(|e| match e {
        SessionEventKind::PermissionRequested(q) => Some(q.clone()),
        _ => None,
    });
    let question = question.expect("a question");
    let reply = Reply { decision, message: None, mode };
    let (sent, after) = adapter.answer(&question.request_id, &reply, now()).expect("pending");
    let sent: Value = serde_json::from_str(&sent[0]).unwrap();
    let option = sent["result"]["outcome"]["optionId"].as_str().map(str::to_owned);
    (option, question.offered.unwrap_or_default(), after)
}

/// Option lists the real agents send (Gemini CLI 0.61.0 `toPermissionOptions`, the Claude
/// Code ACP adapter 0.100.0 `permissions/options/tools.js`), with the `allow_once` id of each.
fn real_option_lists() -> Vec<(&'static str, &'static str, Value, &'static str)> {
    vec![
        ("gemini exec", "Bash", json!([option("proceed_always", "allow_always"), option("proceed_always_and_save", "allow_always"), option("proceed_once", "allow_once"), option("cancel", "reject_once")]), "proceed_once"),
        ("gemini edit", "Edit", json!([option("proceed_always", "allow_always"), option("proceed_once", "allow_once"), option("cancel", "reject_once")]), "proceed_once"),
        ("gemini mcp", "mcp__srv__tool", json!([option("proceed_always_server", "allow_always"), option("proceed_always_tool", "allow_always"), option("proceed_always_and_save", "allow_always"), option("proceed_once", "allow_once"), option("cancel", "reject_once")]), "proceed_once"),
        ("claude bash", "Bash", json!([option("allow-once", "allow_once"), option("allow-with-updates", "allow_always"), option("reject", "reject_once")]), "allow-once"),
        ("claude skill", "Skill", json!([option("allow-once", "allow_once"), option("allow-skill-exact", "allow_always"), option("allow-skill-prefix", "allow_always"), option("reject", "reject_once")]), "allow-once"),
        ("claude plan exit", "ExitPlanMode", json!([option("exit-plan-clear-auto", "allow_always"), option("exit-plan-auto", "allow_always"), option("exit-plan-bypass", "allow_always"), option("exit-plan-default", "allow_once"), option("reject", "reject_once")]), "exit-plan-default"),
        ("claude plan exit, bypass first", "ExitPlanMode", json!([option("exit-plan-clear-bypass", "allow_always"), option("exit-plan-bypass", "allow_always"), option("exit-plan-auto", "allow_always"), option("exit-plan-default", "allow_once"), option("reject", "reject_once")]), "exit-plan-default"),
        ("claude plan exit, accept edits", "ExitPlanMode", json!([option("exit-plan-clear-accept-edits", "allow_always"), option("exit-plan-accept-edits", "allow_always"), option("exit-plan-default", "allow_once"), option("reject", "reject_once")]), "exit-plan-default"),
        ("allow_once listed last", "Bash", json!([option("a", "allow_always"), option("r", "reject_once"), option("o", "allow_once")]), "o"),
    ]
}

#[test]
fn every_allowing_answer_grants_the_agent_one_call_only() {
    use PermissionDecision::*;
    for (what, tool, options, once) in real_option_lists() {
        for decision in [AllowOnce, AllowSession, AllowAlways] {
            let mut adapter = gemini();
            adapter.prompt(TurnId(1), "go", now());
            let line = ask(7, tool, "execute", options.clone());
            let (sent, offered, after) = answer_with(&mut adapter, &line, decision, Some(PermissionMode::AcceptEdits));
            assert_eq!(sent.as_deref(), Some(once), "{what}, {decision:?}");
            assert_eq!(&offered[..3], &[AllowOnce, AllowSession, AllowAlways], "{what}: Warden keeps the wider grants itself");
            assert!(after.iter().any(|e| matches!(e, SessionEventKind::ToolCallUpdate(u) if u.status == Some(ToolCallStatus::Running))), "{what}");
        }
    }
}

#[test]
fn an_agent_offering_only_wider_grants_is_not_allowed() {
    use PermissionDecision::*;
    let cases = [
        (json!([option("always", "allow_always"), option("no", "reject_once")]), Some("no")),
        (json!([option("always", "allow_always"), option("never", "reject_always")]), Some("never")),
        (json!([option("always", "allow_always")]), None),
    ];
    for (options, want) in cases {
        for decision in [AllowOnce, AllowSession, AllowAlways] {
            let mut adapter = gemini();
            adapter.prompt(TurnId(1), "go", now());
            let line = ask(3, "Bash", "execute", options.clone());
            let (sent, offered, after) = answer_with(&mut adapter, &line, decision, None);
            assert_eq!(sent.as_deref(), want, "{options}: a rejection, never the wider grant");
            assert!(!offered.iter().any(|d| d.allows()), "{options}: nothing allowing is offered: {offered:?}");
            assert!(after.iter().any(|e| matches!(e, SessionEventKind::Notice(n) if n.text.contains("did not allow"))), "{after:?}");
            assert!(after.iter().any(|e| matches!(e, SessionEventKind::ToolCallUpdate(u) if u.status == Some(ToolCallStatus::Denied))), "{after:?}");
        }
    }
}

#[test]
fn a_plan_approval_keeps_the_agent_asking_and_its_mode_change_is_not_wardens() {
    for warden_mode in [PermissionMode::Default, PermissionMode::AcceptEdits, PermissionMode::Bypass] {
        let mut adapter = gemini();
        adapter.set_mode(PermissionMode::Plan);
        adapter.prompt(TurnId(1), "plan", now());
        let (_, _, options, _) = real_option_lists().into_iter().find(|l| l.0 == "claude plan exit").unwrap();
        let (sent, _, after) = answer_with(&mut adapter, &ask(9, "ExitPlanMode", "switch_mode", options), PermissionDecision::AllowOnce, Some(warden_mode));
        assert_eq!(sent.as_deref(), Some("exit-plan-default"), "manually approve edits: the agent keeps asking");
        assert!(!after.iter().any(|e| matches!(e, SessionEventKind::ModeChanged(_))));
        // The agent leaves its plan mode for its default one: what Warden expects, so quiet.
        let update = json!({"jsonrpc": "2.0", "method": "session/update", "params": {"sessionId": SID, "update": {"sessionUpdate": "current_mode_update", "currentModeId": "default"}}});
        assert!(feed(&mut adapter, &update.to_string()).is_empty(), "{warden_mode:?}");
    }
}

#[test]
fn the_agent_switching_its_own_mode_is_shown_undone_and_never_warden_s() {
    let switches = [
        json!({"sessionUpdate": "current_mode_update", "currentModeId": "autoEdit"}),
        json!({"sessionUpdate": "current_mode_update", "currentModeId": "yolo"}),
        json!({"sessionUpdate": "current_mode_update", "currentModeId": "acceptEdits"}),
        json!({"sessionUpdate": "current_mode_update", "currentModeId": "bypassPermissions"}),
        json!({"sessionUpdate": "current_mode_update", "currentModeId": "something-new"}),
        json!({"sessionUpdate": "config_option_update", "configOptions": [{"id": "mode", "name": "Mode", "category": "mode", "type": "select",
            "currentValue": "acceptEdits", "options": [{"value": "acceptEdits", "name": "Accept edits"}, {"value": "default", "name": "Default"}]}]}),
    ];
    for (turn, switch) in switches.iter().enumerate() {
        let mut adapter = gemini();
        // During a turn or between turns alike.
        if turn % 2 == 0 {
            adapter.prompt(TurnId(1), "go", now());
        }
        let line = json!({"jsonrpc": "2.0", "method": "session/update", "params": {"sessionId": SID, "update": switch}}).to_string();
        let out = feed(&mut adapter, &line);
        assert!(!events(&out).iter().any(|e| matches!(e, SessionEventKind::ModeChanged(_))), "{switch}: never Warden's mode");
        assert!(events(&out).iter().any(|e| matches!(e, SessionEventKind::Notice(n) if n.text.contains("only you change it"))), "{switch}");
        let sent = lines(&out);
        assert_eq!(sent.len(), 1, "{switch}: the agent is put back");
        assert_eq!((sent[0]["method"].as_str(), sent[0]["params"]["modeId"].as_str()), (Some("session/set_mode"), Some("default")), "{switch}");
    }
    // Its plan mode only asks more: shown, left as it is.
    let mut adapter = gemini();
    let line = json!({"jsonrpc": "2.0", "method": "session/update", "params": {"sessionId": SID, "update": {"sessionUpdate": "current_mode_update", "currentModeId": "plan"}}}).to_string();
    let out = feed(&mut adapter, &line);
    assert!(lines(&out).is_empty() && matches!(&events(&out)[0], SessionEventKind::Notice(_)), "{out:?}");
}

#[test]
fn an_agent_starting_in_a_mode_of_its_own_is_shown_and_its_later_return_to_it_is_quiet() {
    let mut adapter = AcpAdapter::new(PathBuf::from("/p"), None);
    adapter.start();
    feed(&mut adapter, GEMINI_INIT);
    let opened = feed(&mut adapter, &GEMINI_NEW.replace(r#""currentModeId":"default""#, r#""currentModeId":"autoEdit""#));
    assert!(events(&opened).iter().any(|e| matches!(e, SessionEventKind::Notice(n) if n.text.contains("'Auto Edit'"))), "{opened:?}");
    assert!(!events(&opened).iter().any(|e| matches!(e, SessionEventKind::ModeChanged(_))));
    // A default start says nothing.
    assert!(!events(&feed(&mut gemini_fresh(), GEMINI_NEW)).iter().any(|e| matches!(e, SessionEventKind::Notice(_))));
}

fn gemini_fresh() -> AcpAdapter {
    let mut adapter = AcpAdapter::new(PathBuf::from("/p"), None);
    adapter.start();
    feed(&mut adapter, GEMINI_INIT);
    adapter
}
