//! The real Codex CLI (`codex app-server` 0.169.0) against the mock Responses API: what Codex is
//! granted and what it runs without asking (issue 14, items 7, 11 and 16).
//!
//! - Warden's "Always allow in this project" and "Allow for this session" reach Codex as a
//!   plain `accept`: no rule appears under `$CODEX_HOME/rules/` (Codex's user-global
//!   execpolicy, active in every project), and the next similar command is asked again and
//!   decided by Warden's own rule.
//! - Codex runs with `approvalPolicy: untrusted`, so every command is asked, inside its sandbox
//!   too and even one that only reads (0.169), as is every patch: deny rules stop them.

use crate::support::*;
use serde_json::json;
use warden_core::permission::{Rule, RuleSet};
use warden_core::session::*;
use warden_engine::{NewSession, RunOptions};
use warden_mock_models::{OpenAiMock, Reply};

async fn start(world: &World, mock: &OpenAiMock, mode: PermissionMode) -> Run {
    let new = NewSession {
        project: world.project.path().to_string_lossy().into_owned(),
        agent: AgentKind::Codex,
        sandbox: Some(Sandbox::WorkspaceWrite),
        permission_mode: mode,
        run: RunOptions { binary: Some(codex()), env: codex_env(world.home.path(), &mock.url()), ..Default::default() },
        ..Default::default()
    };
    Run::start_session(&world.engine, new).await
}

/// A command the model runs outside the sandbox (Codex asks in every approval policy).
fn escalated(cmd: &str) -> Reply {
    Reply::tool("exec_command", json!({"cmd": cmd, "sandbox_permissions": "require_escalated", "justification": "needed"}))
}

/// A command the model runs inside the sandbox.
fn sandboxed(cmd: &str) -> Reply {
    Reply::tool("exec_command", json!({"cmd": cmd}))
}

/// Files in Codex's user-global rules folder.
fn codex_rules(world: &World) -> Vec<String> {
    match std::fs::read_dir(world.home.path().join(".codex/rules")) {
        Ok(entries) => entries.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect(),
        Err(_) => Vec::new(),
    }
}

fn decided_by_rule(run: &Run, subject: &str) -> Option<PermissionResolution> {
    run.events.iter().find_map(|e| match &e.kind {
        SessionEventKind::PermissionResolved(r) if r.source == DecisionSource::Rule && r.subject.as_deref() == Some(subject) => Some(r.clone()),
        _ => None,
    })
}

fn asked_about(run: &Run, command: &str) -> bool {
    run.events.iter().any(|e| matches!(&e.kind, SessionEventKind::PermissionRequested(r) if r.input.command() == Some(command)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn always_allow_writes_no_codex_rule_and_the_next_command_is_decided_by_warden() {
    for (decision, escalate) in [(PermissionDecision::AllowAlways, true), (PermissionDecision::AllowSession, true), (PermissionDecision::AllowAlways, false)] {
        let world = World::new();
        let project = world.project_path();
        let reply = |cmd: &str| if escalate { escalated(cmd) } else { sandboxed(cmd) };
        let mock = OpenAiMock::start(vec![reply("touch first.txt"), reply("touch second.txt"), Reply::text("Both made.")]).unwrap();
        let mut run = start(&world, &mock, PermissionMode::Default).await;
        run.handle.prompt("Make two files").await.unwrap();
        let ask = run.permission().await;
        assert_eq!(ask.input.command(), Some("touch first.txt"));
        assert!(ask.offered.as_ref().unwrap().contains(&decision), "{:?}", ask.offered);
        let mut answer = PermissionAnswer::new(decision);
        answer.rules = Some(vec![Rule::parse("Bash(touch:*)").unwrap()]);
        run.handle.resolve(ask.request_id.clone(), answer, DecisionSource::User).await.unwrap();
        let ended = run.turn_end().await;
        assert_eq!(ended.stop_reason, StopReason::EndTurn, "{decision:?}: {ended:?}");
        assert!(
            project.join("first.txt").exists() && project.join("second.txt").exists(),
            "{decision:?}: first.txt {}, second.txt {}; the model was asked {} times; events: {:#?}",
            project.join("first.txt").exists(),
            project.join("second.txt").exists(),
            mock.requests().len(),
            run.kinds()
        );
        assert_eq!(codex_rules(&world), Vec::<String>::new(), "{decision:?}: no rule in $CODEX_HOME/rules");
        assert!(!asked_about(&run, "touch second.txt"), "{decision:?}: the person is not asked again");
        let second = decided_by_rule(&run, "touch second.txt");
        let second = second.unwrap_or_else(|| panic!("{decision:?}: Codex asked again and Warden's rule answered: {:#?}", run.kinds()));
        assert_eq!(second.decision, PermissionDecision::AllowOnce);
        assert_eq!(second.rules, vec![Rule::parse("Bash(touch:*)").unwrap()]);
        if decision == PermissionDecision::AllowAlways {
            let saved = world.engine.permissions().project_rules(&project.to_string_lossy()).unwrap();
            assert!(saved.allow.contains(&Rule::parse("Bash(touch:*)").unwrap()), "the grant is Warden's project rule: {saved:?}");
        }
        run.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deny_rule_stops_a_command_codex_would_run_inside_its_sandbox() {
    for (mode, cmd, victim) in [
        (PermissionMode::Default, "rm victim.txt", "victim.txt"),
        (PermissionMode::AcceptEdits, "rm -f victim.txt", "victim.txt"),
        (PermissionMode::Bypass, "echo start && rm victim.txt", "victim.txt"),
        (PermissionMode::Bypass, "cd sub && rm ../victim.txt", "victim.txt"),
    ] {
        let world = World::new();
        let project = world.project_path();
        std::fs::create_dir(project.join("sub")).unwrap();
        std::fs::write(project.join(victim), "keep").unwrap();
        let deny = RuleSet { allow: vec![], deny: vec![Rule::parse("Bash(rm:*)").unwrap()] };
        world.engine.permissions().set_project_rules(&project.to_string_lossy(), &deny).unwrap();
        let mock = OpenAiMock::start(vec![sandboxed(cmd), Reply::text("OK.")]).unwrap();
        let mut run = start(&world, &mock, mode).await;
        run.handle.prompt("Clean up").await.unwrap();
        let ended = run.turn_end().await;
        assert_eq!(ended.stop_reason, StopReason::EndTurn, "{cmd}: {ended:?}");
        assert_eq!(std::fs::read_to_string(project.join(victim)).unwrap(), "keep", "{mode:?} {cmd}: the deny rule held");
        let denied = run.events.iter().any(|e| {
            matches!(&e.kind, SessionEventKind::PermissionResolved(r) if r.decision == PermissionDecision::Deny && r.source == DecisionSource::Rule)
        });
        assert!(denied, "{mode:?} {cmd}: Codex asked and the rule denied: {:#?}", run.kinds());
        run.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_in_the_sandbox_is_asked_with_its_folder() {
    let world = World::new();
    let project = world.project_path();
    std::fs::create_dir(project.join("sub")).unwrap();
    let mock = OpenAiMock::start(vec![
        Reply::tool("exec_command", json!({"cmd": "touch here.txt", "workdir": project.join("sub")})),
        Reply::text("Done."),
    ])
    .unwrap();
    let mut run = start(&world, &mock, PermissionMode::Default).await;
    run.handle.prompt("Make it").await.unwrap();
    let ask = run.permission().await;
    assert_eq!(ask.input.command(), Some("touch here.txt"));
    assert_eq!(ask.input.cwd(), project.join("sub").to_str(), "the folder Codex runs it in");
    assert!(!project.join("sub/here.txt").exists(), "nothing runs before the answer");
    run.handle.resolve(ask.request_id, PermissionAnswer::new(PermissionDecision::AllowOnce), DecisionSource::User).await.unwrap();
    run.turn_end().await;
    assert!(project.join("sub/here.txt").exists());
    run.stop().await;
}

/// Codex 0.169 with `untrusted` asks before every command it runs through `exec_command`,
/// even one that only reads (the README says so): nothing it runs escapes Warden's rules.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_is_asked_even_one_that_only_reads() {
    let world = World::new();
    let project = world.project_path();
    std::fs::write(project.join("notes.txt"), "plain").unwrap();
    let commands = ["ls", "pwd", "git status", "cat notes.txt", "grep x notes.txt", "ls && cat notes.txt", "true"];
    let mut replies: Vec<Reply> = commands.iter().map(|c| sandboxed(c)).collect();
    replies.push(Reply::text("Done."));
    let mock = OpenAiMock::start(replies).unwrap();
    let mut run = start(&world, &mock, PermissionMode::Default).await;
    run.handle.prompt("Look around").await.unwrap();
    let mut asked = Vec::new();
    loop {
        let what = "a question or the turn's end";
        match run.until(what, |k| matches!(k, SessionEventKind::PermissionRequested(_) | SessionEventKind::TurnEnded(_))).await {
            SessionEventKind::PermissionRequested(r) => {
                asked.push(r.input.command().unwrap_or_default().to_owned());
                run.handle.resolve(r.request_id, PermissionAnswer::new(PermissionDecision::AllowOnce), DecisionSource::User).await.unwrap();
            }
            _ => break,
        }
    }
    assert_eq!(asked, commands, "every command was asked");
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_deny_rule_stops_a_command_that_reads_the_file() {
    for cmd in ["cat .env", "head -n 3 .env", "grep TOKEN .env"] {
        let world = World::new();
        let project = world.project_path();
        std::fs::write(project.join(".env"), "TOKEN=hunter2\n").unwrap();
        let deny = RuleSet { allow: vec![], deny: vec![Rule::parse("Read(.env)").unwrap()] };
        world.engine.permissions().set_project_rules(&project.to_string_lossy(), &deny).unwrap();
        let mock = OpenAiMock::start(vec![sandboxed(cmd), Reply::text("OK.")]).unwrap();
        let mut run = start(&world, &mock, PermissionMode::Bypass).await;
        run.handle.prompt("Read the settings").await.unwrap();
        let ended = run.turn_end().await;
        assert_eq!(ended.stop_reason, StopReason::EndTurn, "{cmd}: {ended:?}");
        let seen = serde_json::to_string(&mock.requests()).unwrap();
        assert!(!seen.contains("hunter2"), "{cmd}: the model never saw the file");
        let denied = run.events.iter().any(|e| {
            matches!(&e.kind, SessionEventKind::PermissionResolved(r) if r.decision == PermissionDecision::Deny && r.source == DecisionSource::Rule)
        });
        assert!(denied, "{cmd}: Codex asked and the rule denied: {:#?}", run.kinds());
        run.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_patch_touching_a_denied_file_is_denied_whole_even_inside_the_sandbox() {
    let world = World::new();
    let project = world.project_path();
    std::fs::write(project.join(".env"), "A=1\n").unwrap();
    std::fs::write(project.join("README.md"), "readme\n").unwrap();
    let deny = RuleSet { allow: vec![], deny: vec![Rule::parse("Edit(.env)").unwrap()] };
    world.engine.permissions().set_project_rules(&project.to_string_lossy(), &deny).unwrap();
    let patch = "*** Begin Patch\n*** Update File: README.md\n@@\n-readme\n+changed\n*** Update File: .env\n@@\n-A=1\n+A=2\n*** End Patch\n";
    let mock = OpenAiMock::start(vec![Reply::custom_tool("apply_patch", patch), Reply::text("Patched.")]).unwrap();
    let new = NewSession {
        project: world.project.path().to_string_lossy().into_owned(),
        agent: AgentKind::Codex,
        model: Some("gpt-5.5".into()),
        sandbox: Some(Sandbox::WorkspaceWrite),
        permission_mode: PermissionMode::AcceptEdits,
        run: RunOptions { binary: Some(codex()), env: codex_env(world.home.path(), &mock.url()), ..Default::default() },
        ..Default::default()
    };
    let mut run = Run::start_session(&world.engine, new).await;
    run.handle.prompt("Patch both").await.unwrap();
    run.turn_end().await;
    assert_eq!(std::fs::read_to_string(project.join(".env")).unwrap(), "A=1\n", "{:#?}", run.kinds());
    assert_eq!(std::fs::read_to_string(project.join("README.md")).unwrap(), "readme\n", "the whole patch was denied");
    let denied = run.events.iter().any(|e| {
        matches!(&e.kind, SessionEventKind::PermissionResolved(r) if r.decision == PermissionDecision::Deny && r.source == DecisionSource::Rule)
    });
    assert!(denied, "{:#?}", run.kinds());
    run.stop().await;
}
