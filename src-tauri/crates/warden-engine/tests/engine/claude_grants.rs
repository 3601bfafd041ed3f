//! What Warden's modes and answers grant the real Claude Code (against the mock model): Accept
//! edits lets the edit tools through and nothing else, however the mode was reached, and
//! "allow for this session" grants exactly Warden's rule, so a similar call outside it is
//! still asked.

use crate::support::*;
use serde_json::json;
use std::path::Path;
use warden_core::permission::Rule;
use warden_core::session::*;
use warden_mock_models::{AnthropicMock, Reply};

fn bash(command: &str) -> Reply {
    Reply::tool("Bash", json!({"command": command, "description": "Change the folder"}))
}

fn answer(decision: PermissionDecision) -> PermissionAnswer {
    PermissionAnswer::new(decision)
}

/// A project with `src/main.rs` and `a.txt`, as the commands below expect.
fn files(project: &Path) {
    std::fs::create_dir_all(project.join("src")).unwrap();
    std::fs::write(project.join("src/main.rs"), "fn main() {}\n").unwrap();
    std::fs::write(project.join("a.txt"), "x\n").unwrap();
}

/// Commands Claude's own `acceptEdits` runs in the folder without asking.
const FOLDER_COMMANDS: [&str; 5] = ["rm -rf src", "mv a.txt b.txt", "mkdir made", "sed -i s/x/y/ a.txt", "touch made.txt"];

/// Runs one turn per command; each must reach the person, who denies it. Returns the edits
/// the mode allowed without a question.
async fn each_command_is_asked(run: &mut Run, commands: &[&str]) {
    for command in commands {
        run.handle.prompt(*command).await.unwrap();
        let ask = run.permission().await;
        assert_eq!((ask.tool_name.as_str(), ask.raw_input["command"].as_str()), ("Bash", Some(*command)), "asked through Warden");
        run.handle.resolve(ask.request_id, answer(PermissionDecision::Deny), DecisionSource::User).await.unwrap();
        run.turn_end().await;
    }
}

fn unchanged(project: &Path) {
    assert_eq!(std::fs::read_to_string(project.join("src/main.rs")).unwrap(), "fn main() {}\n", "src is still there");
    assert_eq!(std::fs::read_to_string(project.join("a.txt")).unwrap(), "x\n", "a.txt was neither moved nor edited");
    assert!(!project.join("made").exists() && !project.join("made.txt").exists() && !project.join("b.txt").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accept_edits_lets_edits_through_and_asks_for_every_command_started_switched_or_resumed() {
    let world = World::new();
    let project = world.project_path();
    files(&project);
    let mut script = vec![Reply::tool("Write", json!({"file_path": project.join("edited.txt"), "content": "e\n"})), Reply::text("ok")];
    for command in FOLDER_COMMANDS {
        script.push(bash(command));
        script.push(Reply::text("ok"));
    }
    let mock = AnthropicMock::start(script).unwrap();
    let env = claude_env(world.home.path(), &mock.url());

    // Started in Accept edits: the edit goes ahead, the commands are asked.
    let mut run = Run::start_with(&world.engine, world.project.path(), claude(), env.clone(), PermissionMode::AcceptEdits).await;
    run.handle.prompt("edit").await.unwrap();
    run.turn_end().await;
    assert_eq!(std::fs::read_to_string(project.join("edited.txt")).unwrap(), "e\n", "Accept edits allows the edit");
    let by_mode = run.events.iter().any(|e| {
        matches!(&e.kind, SessionEventKind::PermissionResolved(r) if r.source == DecisionSource::Mode && r.tool_name.as_deref() == Some("Write"))
    });
    assert!(by_mode, "Warden's mode allowed the edit (Claude asked Warden)");
    each_command_is_asked(&mut run, &FOLDER_COMMANDS[..2]).await;
    let id = run.handle.id().clone();
    run.stop().await;

    // Resumed in Accept edits.
    let mut resumed = Run::resume(&world.engine, &id, claude(), env.clone()).await;
    each_command_is_asked(&mut resumed, &FOLDER_COMMANDS[2..4]).await;
    resumed.stop().await;

    // Switched to Accept edits in the middle of a session.
    let mut switched = Run::start(&world.engine, world.project.path(), claude(), env).await;
    switched.until("ready", |k| matches!(k, SessionEventKind::Status(SessionStatus::Ready))).await;
    switched.handle.set_mode(PermissionMode::AcceptEdits).await.unwrap();
    each_command_is_asked(&mut switched, &FOLDER_COMMANDS[4..]).await;
    switched.stop().await;
    unchanged(&project);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn allow_for_the_session_grants_warden_s_rule_only_and_claude_asks_again_outside_it() {
    let world = World::new();
    let outside = world.home.path().canonicalize().unwrap().join("elsewhere");
    std::fs::create_dir_all(&outside).unwrap();
    for name in ["one.txt", "two.txt"] {
        std::fs::write(outside.join(name), format!("{name} secret\n")).unwrap();
    }
    let read = |name: &str| Reply::tool("Read", json!({"file_path": outside.join(name)}));
    let write = |name: &str| Reply::tool("Write", json!({"file_path": outside.join(name), "content": "overwritten\n"}));
    let mock = AnthropicMock::start(vec![
        read("one.txt"),
        Reply::text("ok"),
        read("two.txt"),
        Reply::text("ok"),
        write("one.txt"),
        Reply::text("ok"),
        // A new file: Claude refuses to overwrite one it has not read before asking.
        write("new.txt"),
        Reply::text("ok"),
    ])
    .unwrap();
    let mut run = Run::start(&world.engine, world.project.path(), claude(), claude_env(world.home.path(), &mock.url())).await;
    for (decision, file) in [(PermissionDecision::AllowSession, "one.txt"), (PermissionDecision::AllowAlways, "one.txt")] {
        // The first call of a kind: granted for the session (or always) as exactly this file.
        run.handle.prompt("first").await.unwrap();
        let ask = run.permission().await;
        let tool = ask.tool_name.clone();
        assert!(ask.raw_suggestions.is_some(), "Claude offered its own, wider grant: {ask:?}");
        let mut grant = answer(decision);
        grant.rules = Some(vec![Rule::parse(&format!("{tool}(/{})", outside.join(file).display())).unwrap()]);
        run.handle.resolve(ask.request_id, grant, DecisionSource::User).await.unwrap();
        run.turn_end().await;
        // A similar call outside Warden's rule: Claude must ask Warden again.
        run.handle.prompt("second").await.unwrap();
        let again = run.permission().await;
        assert_eq!(again.tool_name, tool, "Claude asked Warden about the next {tool}: {:#?}", run.kinds());
        run.handle.resolve(again.request_id, answer(PermissionDecision::Deny), DecisionSource::User).await.unwrap();
        run.turn_end().await;
    }
    let requests = mock.requests().iter().map(|r| r.to_string()).collect::<Vec<_>>().join("\n");
    assert!(requests.contains("one.txt secret"), "the granted read ran");
    assert!(!requests.contains("two.txt secret"), "the read outside the rule did not");
    assert!(!outside.join("new.txt").exists(), "nor the write outside the rule");
    let settings = world.project_path().join(".claude/settings.local.json");
    assert!(!settings.exists(), "no grant was written into the project");
    run.stop().await;
}
