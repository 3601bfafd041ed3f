//! What Codex is granted (issue 14, item 16), what the rules read of a patch (item 10) and of a
//! command's folder (item 11).

use super::*;

fn approval(id: u64, cwd: Option<&str>, listed: Option<Value>) -> String {
    let mut params = json!({"kind": "command", "threadId": THREAD, "turnId": TURN, "itemId": "call_mock_1_2", "startedAtMs": 1,
        "environmentId": "local", "reason": null, "command": "/bin/bash -lc 'rm -rf build'",
        "proposedExecpolicyAmendment": ["rm", "-rf"]});
    if let Some(cwd) = cwd {
        params["cwd"] = json!(cwd);
    }
    if let Some(listed) = listed {
        params["availableDecisions"] = listed;
    }
    json!({"method": "item/commandExecution/requestApproval", "id": id, "params": params}).to_string()
}

/// Lists of decisions Codex may send (0.169 and the schema's variants), and none at all.
fn decision_lists() -> Vec<Option<Value>> {
    vec![
        None,
        Some(json!(["accept", "acceptForSession", "decline", "cancel"])),
        Some(json!(["accept", {"acceptWithExecpolicyAmendment": {"execpolicy_amendment": ["rm", "-rf"]}}, "cancel"])),
        Some(json!([{"acceptWithExecpolicyAmendment": {"execpolicy_amendment": ["rm"]}}, "accept", "acceptForSession",
            {"applyNetworkPolicyAmendment": {"network_policy_amendment": {"host": "example.com", "action": "allow"}}}, "decline", "cancel"])),
        Some(json!(["acceptForSession", "accept"])),
    ]
}

#[test]
fn codex_only_ever_gets_a_plain_accept_for_any_allowing_answer() {
    for listed in decision_lists() {
        for decision in [PermissionDecision::AllowOnce, PermissionDecision::AllowSession, PermissionDecision::AllowAlways] {
            let mut a = in_turn();
            let ask = question(&feed(&mut a, &approval(5, Some("/work/p1"), listed.clone())));
            assert!(ask.offered.as_ref().unwrap().contains(&decision), "{listed:?}: {decision:?} is offered (Warden keeps the grant)");
            let (lines, _) = a.answer(&ask.request_id, &reply(decision), Instant::now()).unwrap();
            assert_eq!(parse(&lines)[0], json!({"id": 5, "result": {"decision": "accept"}}), "{listed:?}, {decision:?}");
        }
    }
    // A file change, whatever the answer's reach.
    for decision in [PermissionDecision::AllowOnce, PermissionDecision::AllowSession, PermissionDecision::AllowAlways] {
        let mut a = in_turn();
        let line = format!(r#"{{"method":"item/fileChange/requestApproval","id":2,"params":{{"threadId":"{THREAD}","turnId":"{TURN}","itemId":"c","startedAtMs":1,"reason":null,"grantRoot":"/work/p1"}}}}"#);
        let ask = question(&feed(&mut a, &line));
        let (lines, _) = a.answer(&ask.request_id, &reply(decision), Instant::now()).unwrap();
        assert_eq!(parse(&lines)[0], json!({"id": 2, "result": {"decision": "accept"}}), "{decision:?}");
    }
}

#[test]
fn codex_listing_no_plain_accept_offers_nothing_allowing() {
    let mut a = in_turn();
    let ask = question(&feed(&mut a, &approval(1, None, Some(json!(["cancel"])))));
    assert_eq!(ask.offered, Some(vec![PermissionDecision::Deny, PermissionDecision::DenyAndStop]));
}

#[test]
fn the_commands_folder_is_the_requests() {
    let cases: [(Option<&str>, Option<&str>, Value); 4] = [
        (Some("/work/p1"), Some("/work/p1"), json!("/work/p1")),
        (Some("/tmp/elsewhere"), Some("/work/p1"), json!("/tmp/elsewhere")),
        (Some("/work/p1/sub"), None, json!("/work/p1/sub")),
        (None, Some("/srv/other"), json!("/srv/other")),
    ];
    for (asked_in, announced_in, want) in cases {
        let mut a = in_turn();
        if let Some(cwd) = announced_in {
            let started = command_started().replace(r#""cwd":"/work/p1""#, &format!(r#""cwd":"{cwd}""#));
            feed(&mut a, &started);
        }
        let ask = question(&feed(&mut a, &approval(3, asked_in, None)));
        assert_eq!(ask.input.cwd(), want.as_str(), "asked in {asked_in:?}, announced in {announced_in:?}");
    }
}

#[test]
fn a_patch_names_every_path_it_touches() {
    use super::super::tools::file_change;
    use super::super::wire::{FileUpdateChange, PatchKind};
    let change = |path: &str, kind: PatchKind| FileUpdateChange { path: path.into(), kind, diff: String::new() };
    let project = std::path::Path::new("/p");
    let update = || PatchKind::Update { move_path: None };
    let cases: Vec<(Vec<FileUpdateChange>, Value)> = vec![
        (vec![change("/p/.env", update()), change("/p/README.md", update())], json!(["/p/.env", "/p/README.md"])),
        (vec![change("/p/a/b.rs", PatchKind::Add), change("/p/c/d.rs", PatchKind::Delete), change("/p/e", update())], json!(["/p/a/b.rs", "/p/c/d.rs", "/p/e"])),
        (vec![change("/p/a", PatchKind::Update { move_path: Some("/etc/cron.d/a".into()) })], json!(["/p/a", "/etc/cron.d/a"])),
        (vec![change("src/x.rs", update()), change("src/.env", PatchKind::Add)], json!(["/p/src/x.rs", "/p/src/.env"])),
        (vec![change("/p/one", PatchKind::Delete)], json!(["/p/one"])),
    ];
    for (changes, want) in cases {
        let d = file_change(&changes, project, &json!([]));
        assert_eq!(json!(d.input.patch_paths()), want, "every touched path, both ends of a move, absolute");
    }
}
