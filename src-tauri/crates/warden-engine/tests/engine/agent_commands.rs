//! The agent's own commands for the window's `/` list, and running one, with the real agents
//! against the mock models: Claude Code 2.1.329 lists its commands (with descriptions) in its
//! `initialize` answer and expands a prompt `/name args` itself; Gemini CLI 0.61.0 lists its
//! commands over ACP (`available_commands_update`).

use crate::support::*;
use warden_core::session::*;
use warden_engine::{NewSession, RunOptions};
use warden_mock_models::{AnthropicMock, GeminiMock, Reply};

/// A command of the person's own (`~/.claude/commands/greet.md`), which Claude loads from the
/// user settings source Warden keeps on.
fn write_user_command(home: &std::path::Path) {
    let dir = home.join(".claude/commands");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("greet.md"), "---\ndescription: Greets someone\nargument-hint: <name>\n---\nSay hello to $ARGUMENTS politely.\n")
        .unwrap();
}

fn last_commands(run: &Run) -> Option<Vec<AgentCommand>> {
    run.events.iter().rev().find_map(|e| match &e.kind {
        SessionEventKind::AgentCommands(c) => Some(c.commands.clone()),
        _ => None,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claudes_commands_are_listed_with_descriptions_and_a_slash_prompt_runs_one() {
    let world = World::new();
    write_user_command(world.home.path());
    let mock = AnthropicMock::start(vec![Reply::text("Hello, Alice.")]).unwrap();
    let mut run = Run::start(&world.engine, world.project.path(), claude(), claude_env(world.home.path(), &mock.url())).await;
    let SessionEventKind::AgentCommands(listed) = run.until("the agent's commands", |k| matches!(k, SessionEventKind::AgentCommands(_))).await
    else {
        unreachable!()
    };
    let greet = listed.commands.iter().find(|c| c.name == "greet").expect("the person's own command is listed");
    assert!(greet.description.contains("Greets someone"), "{greet:?}");
    assert_eq!(greet.argument_hint.as_deref(), Some("<name>"));
    assert!(listed.commands.iter().any(|c| c.name == "compact"), "Claude's own commands too");
    assert!(!listed.commands.iter().any(|c| c.name == "clear"), "/clear would leave Warden's session id behind");

    run.handle.prompt("/greet Alice").await.unwrap();
    let ended = run.turn_end().await;
    assert_eq!(ended.stop_reason, StopReason::EndTurn, "{:#?}", run.kinds());
    assert_eq!(run.text(), "Hello, Alice.");
    let request = mock.requests().first().cloned().expect("the model was asked");
    let sent = request["messages"].to_string();
    assert!(sent.contains("<command-name>/greet</command-name>"), "Claude ran the command: {sent}");
    assert!(sent.contains("Say hello to Alice politely."), "with its body and the arguments: {sent}");

    let after = last_commands(&run).expect("listed");
    assert!(!after.iter().any(|c| c.name == "doctor"), "commands bound to a terminal are hidden once Claude names them");
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_acp_agents_available_commands_reach_the_stream() {
    let world = World::new();
    let mock = GeminiMock::start(vec![Reply::text("Hi.")]).unwrap();
    let new = NewSession {
        project: world.project.path().to_string_lossy().into_owned(),
        agent: AgentKind::Gemini,
        run: RunOptions { binary: Some(gemini()), env: gemini_env(world.home.path(), &mock.url()), ..Default::default() },
        ..Default::default()
    };
    let mut run = Run::start_session(&world.engine, new).await;
    run.handle.prompt("hi").await.unwrap();
    run.turn_end().await;
    if last_commands(&run).is_none() {
        run.until("the agent's commands", |k| matches!(k, SessionEventKind::AgentCommands(_))).await;
    }
    let commands = last_commands(&run).expect("listed");
    assert!(!commands.is_empty(), "Gemini lists its commands");
    assert!(commands.iter().all(|c| !c.name.starts_with('/') && !c.description.is_empty()), "{commands:?}");
    let stored = world.engine.store().events(run.handle.id(), 0).unwrap();
    assert!(stored.iter().any(|e| matches!(e.kind, SessionEventKind::AgentCommands(_))), "kept for the window to read back");
    run.stop().await;
}
