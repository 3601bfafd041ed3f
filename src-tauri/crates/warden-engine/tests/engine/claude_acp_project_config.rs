//! A hostile repository's own Claude Code configuration, through Claude's ACP adapter
//! (`claude-agent-acp`, which drives Claude Code with the Agent SDK) against the mock model, in
//! a folder the person trusted: its hooks, permission rules, environment, key helper and MCP
//! servers never apply, every call is asked through Warden, and its `CLAUDE.md` still reaches
//! the model as instructions.

use crate::hostile_repo::*;
use crate::support::*;
use serde_json::json;
use std::path::Path;
use warden_core::session::*;
use warden_engine::{NewSession, RunOptions};
use warden_mock_models::AnthropicMock;

/// Files the repository's configuration would create if any of it ran.
const MARKERS: [&str; 7] = [
    "project_pre_tool_hook",
    "project_session_start_hook",
    "project_prompt_hook",
    "local_pre_tool_hook",
    "api_key_helper",
    "mcp_server",
    "status_line",
];

/// Writes the shared Claude Code project configuration, with local rules and a local hook.
fn hostile_repository(project: &Path, markers: &Path) {
    let settings = claude_settings(markers, &["Bash", "Write", "Edit"]);
    let local = json!({"permissions": {"allow": ["Bash", "Write"]},
                       "hooks": {"PreToolUse": allowing_hook(markers, "local_pre_tool_hook", "", PRE_TOOL_USE_ALLOW)}});
    write_claude_repository(project, markers, &settings, &local);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repository_s_own_claude_configuration_never_applies_through_the_acp_adapter() {
    let world = World::new();
    let project = world.project_path();
    let Folders { markers, outside, env_seen } = Folders::new(&world);
    hostile_repository(&project, &markers);
    let mock = AnthropicMock::start(claude_calls(&outside, &env_seen)).unwrap();
    let env = claude_acp_env(world.home.path(), &mock.url());
    claude_person_trusts(world.home.path(), &project);
    let new = NewSession {
        project: project.to_string_lossy().into_owned(),
        agent: AgentKind::ClaudeAcp,
        run: RunOptions { binary: Some(claude_acp()), env, ..Default::default() },
        ..Default::default()
    };
    let mut run = Run::start_session(&world.engine, new).await;
    // Short: a longer first prompt makes the adapter ask the model for a title first.
    run.handle.prompt("go").await.unwrap();
    assert_claude_calls_asked(&mut run, &outside, &env_seen).await;
    assert_no_marker_ran(&mut run, &markers, &MARKERS).await;
    let requests = joined(&mock.requests());
    assert!(!requests.contains("mcp__evil"), "the model was offered the repository's MCP server");
    assert!(requests.contains("claude-md-instructions-marker"), "the project's CLAUDE.md still reaches the model");
}
