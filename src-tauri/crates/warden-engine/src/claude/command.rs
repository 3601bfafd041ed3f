//! The Claude Code command line Warden starts.

use crate::discovery::AgentBinary;
use crate::process::{path_with, SpawnSpec};
use std::ffi::OsString;
use std::path::Path;
use warden_core::session::{PermissionMode, SessionId};

/// How to start Claude for a session: a new conversation with Warden's session id as Claude's,
/// or a resumed one.
pub fn spawn_spec(
    binary: &AgentBinary,
    project: &Path,
    session: &SessionId,
    resume: bool,
    model: Option<&str>,
    mode: PermissionMode,
    extra_env: &[(OsString, OsString)],
) -> SpawnSpec {
    let mut args: Vec<OsString> = [
        "--output-format",
        "stream-json",
        "--input-format",
        "stream-json",
        "--verbose",
        // Without it Claude silently denies everything that would ask.
        "--permission-prompt-tool",
        "stdio",
        "--include-partial-messages",
        "--permission-mode",
        mode.claude_mode(),
        // Only the person's own settings (`~/.claude/settings.json`). A repository's
        // `.claude/settings.json` and `settings.local.json` could otherwise run hooks with no
        // decision (a `PreToolUse` hook answering "allow" skips Warden), grant itself rules, set
        // `env` or an `apiKeyHelper`; with the project source off, Claude also loads none of the
        // project's `.mcp.json` servers, `.claude/agents`, `.claude/commands`, skills or output
        // styles (checked against Claude Code 2.1.329 by `tests/engine/claude_project_config.rs`).
        "--setting-sources",
        "user",
    ]
    .into_iter()
    .map(OsString::from)
    .collect();
    // The project's instructions (`CLAUDE.md`, `.claude/CLAUDE.md`) are only text for the model:
    // the project source being off drops them too, so the folder is named as an added directory
    // whose `CLAUDE.md` Claude reads (it already works in it, so this grants no access).
    args.push("--add-dir".into());
    args.push(project.as_os_str().to_owned());
    if let Some(model) = model {
        args.push("--model".into());
        args.push(model.into());
    }
    // The `=` form keeps an id from ever being read as a flag.
    args.push(if resume { format!("--resume={session}") } else { format!("--session-id={session}") }.into());
    let mut env = vec![
        (OsString::from("CLAUDE_AGENT_SDK_CLIENT_APP"), OsString::from(concat!("warden/", env!("CARGO_PKG_VERSION")))),
        (OsString::from("CLAUDE_CODE_ADDITIONAL_DIRECTORIES_CLAUDE_MD"), OsString::from("1")),
    ];
    if let Some(path) = path_with(binary.program.parent()) {
        env.push(("PATH".into(), path));
    }
    env.extend(extra_env.iter().cloned());
    SpawnSpec {
        program: binary.program.clone(),
        args,
        cwd: project.to_owned(),
        env,
        // Set inside Claude Code's own shells; inherited, it makes the child act as a nested one.
        env_remove: vec!["CLAUDECODE".into()],
    }
}

