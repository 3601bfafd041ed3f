//! The same call from each agent is decided the same: a shell command and a new file, asked by
//! Claude (`can_use_tool`), Codex (an approval request) and an ACP agent (Gemini's
//! `session/request_permission`), each in the line shape its CLI sends. Each adapter reads its
//! protocol into the typed input; the rules read only that.

use super::*;
use crate::acp::AcpAdapter;
use crate::adapter::{AgentAdapter, Output};
use crate::claude::ClaudeAdapter;
use crate::codex::CodexAdapter;
use serde_json::json;
use std::sync::Mutex;
use std::time::Instant;
use warden_core::session::{Sandbox, SessionEventKind};

/// No project rules.
struct NoProjectRules(Mutex<RuleSet>);

impl ProjectRules for NoProjectRules {
    fn rules(&self, _project: &Path) -> Result<RuleSet, RulesError> {
        Ok(RuleSet::default())
    }
    fn set_rules(&self, _project: &Path, rules: &RuleSet) -> Result<(), RulesError> {
        if let Ok(mut held) = self.0.lock() {
            *held = rules.clone();
        }
        Ok(())
    }
}

const PROJECT: &str = "/p";
const SID: &str = "052fb701-b106-4747-8084-ce9721b90110";
const THREAD: &str = "01a1fdd5-03ef-73e3-a17e-f0205a22ad83";
const TURN: &str = "01a1fdd5-041f-7eb2-913d-42b7d80555d2";

/// The question the adapter makes of `lines`.
fn asked(adapter: &mut dyn AgentAdapter, lines: &[String]) -> PermissionRequest {
    let mut found = None;
    for line in lines {
        for out in adapter.on_line(line.as_bytes(), Instant::now()) {
            if let Output::Event(SessionEventKind::PermissionRequested(request)) = out {
                found = Some(request);
            }
        }
    }
    found.unwrap_or_else(|| panic!("no question from {lines:?}"))
}

fn claude(tool: &str, input: serde_json::Value) -> PermissionRequest {
    let line = json!({"type": "control_request", "request_id": "q1", "request": {"subtype": "can_use_tool",
        "tool_name": tool, "input": input, "tool_use_id": "toolu_1", "permission_suggestions": []}});
    asked(&mut ClaudeAdapter::new(PROJECT.into()), &[line.to_string()])
}

fn codex_command(script: &str) -> PermissionRequest {
    let command = format!("/bin/bash -lc '{script}'");
    let line = json!({"method": "item/commandExecution/requestApproval", "id": 0, "params": {"kind": "command",
        "threadId": THREAD, "turnId": TURN, "itemId": "call_1", "startedAtMs": 1, "environmentId": "local",
        "reason": null, "command": command, "cwd": PROJECT, "commandActions": [{"type": "unknown", "command": script}],
        "availableDecisions": ["accept", "cancel"]}});
    let mut codex = CodexAdapter::new(PROJECT.into(), None, Sandbox::WorkspaceWrite, PermissionMode::Default);
    asked(&mut codex, &[line.to_string()])
}

fn codex_new_file(path: &str, content: &str) -> PermissionRequest {
    let started = json!({"method": "item/started", "params": {"item": {"type": "fileChange", "id": "call_2",
        "changes": [{"path": path, "kind": {"type": "add"}, "diff": content}], "status": "inProgress"},
        "threadId": THREAD, "turnId": TURN, "startedAtMs": 1}});
    let ask = json!({"method": "item/fileChange/requestApproval", "id": 1, "params": {"threadId": THREAD,
        "turnId": TURN, "itemId": "call_2", "startedAtMs": 1, "reason": null, "grantRoot": null}});
    let mut codex = CodexAdapter::new(PROJECT.into(), None, Sandbox::WorkspaceWrite, PermissionMode::Default);
    asked(&mut codex, &[started.to_string(), ask.to_string()])
}

/// Gemini CLI's question: its shell call carries the command as its title and the folder in its
/// text; its write carries the new file as a diff from nothing.
fn gemini(tool_call: serde_json::Value) -> PermissionRequest {
    let mut acp = AcpAdapter::new(PROJECT.into(), None);
    acp.start();
    let init = json!({"jsonrpc": "2.0", "id": 0, "result": {"protocolVersion": 1, "authMethods": [],
        "agentInfo": {"name": "gemini-cli", "title": "Gemini CLI", "version": "0.61.0"},
        "agentCapabilities": {"loadSession": true}}});
    let new = json!({"jsonrpc": "2.0", "id": 1, "result": {"sessionId": SID}});
    let ask = json!({"jsonrpc": "2.0", "id": 4, "method": "session/request_permission", "params": {"sessionId": SID,
        "options": [{"optionId": "proceed_once", "name": "Allow", "kind": "allow_once"},
            {"optionId": "cancel", "name": "Reject", "kind": "reject_once"}],
        "toolCall": tool_call}});
    asked(&mut acp, &[init.to_string(), new.to_string(), ask.to_string()])
}

/// What the rules and the mode make of a question: (answer without asking, subject, outside).
fn decide(mut request: PermissionRequest) -> (Option<bool>, String, Vec<String>) {
    let session = RuleSet {
        allow: vec![Rule::parse("Edit(src/**)").unwrap(), Rule::parse("Bash(ls:*)").unwrap()],
        deny: vec![Rule::parse("Bash(rm:*)").unwrap()],
    };
    let rules = Arc::new(NoProjectRules(Mutex::new(RuleSet::default())));
    let mut policy = Policy::new(PROJECT.into(), PermissionMode::Default, session, rules);
    let (auto, _) = policy.consider(&mut request);
    (auto.map(|a| a.decision.allows()), request.subject, request.outside_project)
}

#[test]
fn a_shell_command_is_decided_the_same_whichever_agent_asks() {
    let from_claude = claude("Bash", json!({"command": "rm -rf build", "description": "Clean"}));
    let from_codex = codex_command("rm -rf build");
    let from_gemini = gemini(json!({"toolCallId": "run_shell_command_1", "status": "pending", "title": "rm -rf build",
        "content": [{"type": "content", "content": {"type": "text", "text": "[current working directory /p] (clean)"}}],
        "locations": [], "kind": "execute"}));
    for request in [&from_claude, &from_codex, &from_gemini] {
        assert_eq!((request.tool_name.as_str(), request.input.command()), ("Bash", Some("rm -rf build")), "{request:?}");
    }
    let denied = (Some(false), "rm -rf build".to_owned(), Vec::new());
    assert_eq!(decide(from_claude), denied);
    assert_eq!(decide(from_codex), denied);
    assert_eq!(decide(from_gemini), denied);
    // A session rule may reach outside the project; the path outside is named the same.
    let outside = (Some(true), "ls /etc".to_owned(), vec!["/etc".to_owned()]);
    assert_eq!(decide(claude("Bash", json!({"command": "ls /etc"}))), outside);
    assert_eq!(decide(codex_command("ls /etc")), outside);
}

#[test]
fn a_new_file_is_decided_the_same_whichever_agent_asks() {
    let from_claude = claude("Write", json!({"file_path": "/p/src/new.txt", "content": "hello\n"}));
    let from_codex = codex_new_file("/p/src/new.txt", "hello\n");
    let from_gemini = gemini(json!({"toolCallId": "write_file_1", "status": "pending", "title": "Writing to new.txt",
        "content": [{"type": "diff", "path": "/p/src/new.txt", "oldText": "", "newText": "hello\n"}],
        "locations": [{"path": "/p/src/new.txt"}], "kind": "edit"}));
    let write = ToolInput::Write { path: "/p/src/new.txt".into(), content: "hello\n".into(), cwd: None };
    for request in [&from_claude, &from_codex, &from_gemini] {
        assert_eq!((request.tool_name.as_str(), &request.input), ("Write", &write), "{request:?}");
    }
    let allowed = (Some(true), "src/new.txt".to_owned(), Vec::new());
    assert_eq!(decide(from_claude), allowed);
    assert_eq!(decide(from_codex), allowed);
    assert_eq!(decide(from_gemini), allowed);
}
