//! ACP agents against Warden's rules where they do not ask (issue 14, item 7) and what they are
//! granted when Warden allows (item 4), with the real Gemini CLI 0.61.0 on the mock Gemini API.
//!
//! - Gemini reads (before a write) and writes files through Warden (`fs/read_text_file`,
//!   `fs/write_text_file`), without asking in its own "auto edit" mode: deny rules refuse
//!   those requests, with an error the agent (and the model) sees.
//! - "Allow for this session" reaches Gemini as its `allow_once` option: Gemini asks again for
//!   the next command, and Warden's session rule answers.

use crate::support::*;
use serde_json::{json, Value};
use warden_core::permission::{Rule, RuleSet};
use warden_core::session::*;
use warden_engine::{NewSession, RunOptions};
use warden_mock_models::{GeminiMock, Reply};

async fn start_gemini(world: &World, mock: &GeminiMock, approval_mode: Option<&str>) -> Run {
    let env = gemini_env(world.home.path(), &mock.url());
    if let Some(mode) = approval_mode {
        // The person's own Gemini setting: edits without asking.
        let path = world.home.path().join(".gemini/settings.json");
        let mut settings: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        settings["general"]["defaultApprovalMode"] = json!(mode);
        std::fs::write(&path, settings.to_string()).unwrap();
    }
    let new = NewSession {
        project: world.project.path().to_string_lossy().into_owned(),
        agent: AgentKind::Gemini,
        run: RunOptions { binary: Some(gemini()), env, ..Default::default() },
        ..Default::default()
    };
    Run::start_session(&world.engine, new).await
}

fn deny(world: &World, rules: &[&str]) {
    let set = RuleSet { allow: vec![], deny: rules.iter().map(|r| Rule::parse(r).unwrap()).collect() };
    world.engine.permissions().set_project_rules(&world.project_path().to_string_lossy(), &set).unwrap();
}

fn warned(run: &Run, words: &str) -> bool {
    run.events.iter().any(|e| matches!(&e.kind, SessionEventKind::Notice(n) if n.text.contains(words)))
}

/// Gemini reads a file through Warden (`fs/read_text_file`) before it writes it; with a `Read`
/// deny rule the read is refused, and so the write fails. (Gemini's own read tools —
/// `read_file`, `grep`, `glob` — read the disk themselves and never reach Warden: the README
/// says a deny rule cannot stop them.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_deny_rule_refuses_geminis_read_through_warden() {
    // (Gemini itself refuses a path segment `.env`, `.git` or `node_modules`.)
    for (rule, file) in [("Read(.env.local)", ".env.local"), ("Read(secrets/**)", "secrets/key.pem"), ("Read(**/*.key)", "deep/er/id.key")] {
        let world = World::new();
        let path = world.project_path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "TOKEN=hunter2\n").unwrap();
        deny(&world, &[rule]);
        let mock = GeminiMock::start(vec![
            Reply::tool("write_file", json!({"file_path": path.to_string_lossy(), "content": "TOKEN=other\n"})),
            Reply::text("Could not."),
        ])
        .unwrap();
        let mut run = start_gemini(&world, &mock, Some("auto_edit")).await;
        run.handle.prompt("rewrite the file").await.unwrap();
        let end = run.turn_end().await;
        assert_eq!(end.stop_reason, StopReason::EndTurn, "{rule}: {:#?}", run.kinds());
        assert!(warned(&run, "did not let the agent read"), "{rule}: refused, and the person is told: {:#?}", run.kinds());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "TOKEN=hunter2\n", "{rule}");
        let sent = serde_json::to_string(&mock.function_responses()).unwrap();
        assert!(!sent.contains("hunter2") && sent.contains("error"), "{rule}: the agent saw an error: {sent}");
        run.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_deny_rule_refuses_geminis_unasked_write() {
    for (rule, file) in [("Edit(.env.production)", ".env.production"), ("Write(config/**)", "config/app.toml"), ("Edit(**/*.pem)", "certs/server.pem")] {
        let world = World::new();
        let path = world.project_path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "original\n").unwrap();
        deny(&world, &[rule]);
        let mock = GeminiMock::start(vec![
            Reply::tool("write_file", json!({"file_path": path.to_string_lossy(), "content": "overwritten\n"})),
            Reply::text("Tried."),
        ])
        .unwrap();
        // The person's auto edit mode would write without asking (then only the file request
        // reaches Warden); in a project, which Warden has Gemini treat as an untrusted folder,
        // Gemini asks first. The rule refuses the question, or, where it does not match the
        // question's tool (`Write` rules and Gemini's `write_file` over an existing file, shown
        // as an edit), the person allows it and Warden's veto refuses the file request.
        let mut run = start_gemini(&world, &mock, Some("auto_edit")).await;
        run.handle.prompt("write the file").await.unwrap();
        let first = run.until("a question or the turn's end", |k| {
            matches!(k, SessionEventKind::PermissionRequested(_) | SessionEventKind::TurnEnded(_))
        });
        if let SessionEventKind::PermissionRequested(ask) = first.await {
            run.handle.resolve(ask.request_id, PermissionAnswer::new(PermissionDecision::AllowOnce), DecisionSource::User).await.unwrap();
        }
        let end = match run.events.iter().rev().find_map(|e| match &e.kind {
            SessionEventKind::TurnEnded(t) => Some(t.clone()),
            _ => None,
        }) {
            Some(end) => end,
            None => run.turn_end().await,
        };
        assert_eq!(end.stop_reason, StopReason::EndTurn, "{rule}: {:#?}", run.kinds());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "original\n", "{rule}: the file is untouched");
        let by_rule = run.events.iter().any(|e| {
            matches!(&e.kind, SessionEventKind::PermissionResolved(r) if r.decision == PermissionDecision::Deny && r.source == DecisionSource::Rule)
        });
        assert!(by_rule || warned(&run, "did not let the agent write"), "{rule}: refused, and the person is told: {:#?}", run.kinds());
        // Gemini shows a refused write as "[object Object]"; the model sees that it failed.
        let sent = serde_json::to_string(&mock.function_responses()).unwrap();
        assert!(sent.contains("error"), "{rule}: the agent saw an error: {sent}");
        run.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn allow_for_the_session_grants_gemini_one_call_and_warden_decides_the_next() {
    for decision in [PermissionDecision::AllowSession, PermissionDecision::AllowAlways] {
        let world = World::new();
        let shell = |cmd: &str| Reply::tool("run_shell_command", json!({"command": cmd, "description": "say it"}));
        // Gemini runs `echo` without asking; `touch` it asks about.
        let mock = GeminiMock::start(vec![shell("touch first.txt"), shell("touch second.txt"), Reply::text("Made both.")]).unwrap();
        let mut run = start_gemini(&world, &mock, None).await;
        run.handle.prompt("make two files").await.unwrap();
        let question = run.permission().await;
        assert_eq!((question.tool_name.as_str(), question.input.command()), ("Bash", Some("touch first.txt")));
        assert_eq!(question.input.cwd(), world.project_path().to_str(), "the folder from Gemini's details");
        let mut answer = PermissionAnswer::new(decision);
        answer.rules = Some(vec![Rule::parse("Bash(touch:*)").unwrap()]);
        run.handle.resolve(question.request_id, answer, DecisionSource::User).await.unwrap();
        let end = run.turn_end().await;
        assert_eq!(end.stop_reason, StopReason::EndTurn, "{decision:?}: {:#?}", run.kinds());
        let asked_again = run.events.iter().filter(|e| matches!(e.kind, SessionEventKind::PermissionRequested(_))).count();
        assert_eq!(asked_again, 1, "{decision:?}: the person was asked once");
        let by_rule = run.events.iter().any(|e| {
            matches!(&e.kind, SessionEventKind::PermissionResolved(r)
                if r.source == DecisionSource::Rule && r.subject.as_deref() == Some("touch second.txt") && r.decision == PermissionDecision::AllowOnce)
        });
        assert!(by_rule, "{decision:?}: Gemini asked again and Warden's rule answered: {:#?}", run.kinds());
        assert!(world.project_path().join("second.txt").exists(), "{decision:?}: the second command ran");
        run.stop().await;
    }
}

/// A write through Warden never lands outside the project through a hard link inside it
/// (issue 14, item 18). (A folder that is a symbolic link is refused too, in `file_write.rs`;
/// Gemini resolves links itself before it asks Warden to write, so it cannot show that.)
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_through_a_hard_link_is_refused() {
    for name in ["notes.txt", "sub/dir/notes.md"] {
        let world = World::new();
        let project = world.project_path();
        let outside = tempfile::tempdir().unwrap();
        let secret = outside.path().join("secret.txt");
        std::fs::write(&secret, "outside\n").unwrap();
        let target = project.join(name);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::hard_link(&secret, &target).unwrap();
        let mock = GeminiMock::start(vec![
            Reply::tool("write_file", json!({"file_path": target.to_string_lossy(), "content": "changed\n"})),
            Reply::text("Tried."),
        ])
        .unwrap();
        let mut run = start_gemini(&world, &mock, None).await;
        run.handle.prompt("write the notes").await.unwrap();
        // Allowed by the person, the write still goes through Warden's file request, which
        // refuses a file linked to one outside the project.
        let ask = run.permission().await;
        run.handle.resolve(ask.request_id, PermissionAnswer::new(PermissionDecision::AllowOnce), DecisionSource::User).await.unwrap();
        let end = run.turn_end().await;
        assert_eq!(end.stop_reason, StopReason::EndTurn, "{name}: {:#?}", run.kinds());
        assert_eq!(std::fs::read_to_string(&secret).unwrap(), "outside\n", "{name}: the outside file is untouched");
        let sent = serde_json::to_string(&mock.function_responses()).unwrap();
        assert!(sent.contains("error"), "{name}: the agent saw an error: {sent}");
        run.stop().await;
    }
}
