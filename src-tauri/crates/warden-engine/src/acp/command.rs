//! The command line of an ACP agent: a preset's program and arguments, or a custom agent's.

use crate::discovery::AgentBinary;
use crate::process::{path_with, SpawnSpec};
use std::ffi::OsString;
use std::path::Path;
use warden_core::agent::CustomAgent;
use warden_core::session::AgentKind;

/// How to start an ACP agent in `project`: `binary` with the preset's arguments (`gemini
/// --acp`) or, for a custom agent, its own arguments and variables; `extra_env` after those, so
/// it wins over them (only the switches that keep a repository's configuration off come later).
pub fn spawn_spec(binary: &AgentBinary, custom: Option<&CustomAgent>, project: &Path, extra_env: &[(OsString, OsString)]) -> SpawnSpec {
    let mut args: Vec<OsString> = match custom {
        Some(agent) => agent.args.iter().map(OsString::from).collect(),
        None => warden_core::agent::spec(binary.agent).map_or(&[][..], |s| s.args).iter().map(OsString::from).collect(),
    };
    if custom.is_none() && binary.agent == AgentKind::CodexAcp {
        // The adapter loads Codex's configuration like Codex does, a trusted repository's
        // `.codex/config.toml` included; it takes the same `-c` overrides.
        args.extend(crate::codex::project_config_off(project));
    }
    let mut env: Vec<(OsString, OsString)> = Vec::new();
    if let Some(path) = path_with(binary.program.parent()) {
        env.push(("PATH".into(), path));
    }
    if binary.agent == AgentKind::ClaudeAcp && running_as_root() {
        // As root Claude's adapter refuses to open a session ("--dangerously-skip-permissions
        // cannot be used with root/sudo privileges") unless told it runs in a sandbox. Warden
        // never uses Claude's own bypass mode: its questions still come to Warden.
        env.push(("IS_SANDBOX".into(), "1".into()));
    }
    if let Some(agent) = custom {
        env.extend(agent.env.iter().map(|v| (OsString::from(&v.name), OsString::from(&v.value))));
    }
    env.extend(extra_env.iter().cloned());
    env.extend(project_config_off(binary.agent));
    SpawnSpec {
        program: binary.program.clone(),
        args,
        cwd: project.to_owned(),
        env,
        // Set inside Claude Code's own shells; inherited, it makes Claude's adapter act nested.
        env_remove: vec!["CLAUDECODE".into()],
    }
}

/// Variables that keep a repository's own agent configuration from applying, set after every
/// other variable so that nothing passed down can turn it back on.
///
/// Gemini CLI reads `.gemini/settings.json` of the folder it works in, and in a folder it trusts
/// that file starts programs with no decision: `mcpServers` commands, `hooks` (a `BeforeTool`
/// hook can answer for a call), `tools.discoveryCommand` (run at start-up); it also loads
/// `.gemini/.env`, `.gemini/policies/*.toml` (allow rules) and skills. A person who switched
/// folder trust off (`security.folderTrust.enabled: false`) or trusted the folder makes every
/// cloned repository trusted. `GEMINI_CLI_TRUST_WORKSPACE=false` is Gemini's own switch: the
/// folder counts as untrusted whatever the settings say, so none of that is read. The person's
/// own `~/.gemini/settings.json` and login still apply, but in an untrusted folder Gemini also
/// starts no MCP server and runs no hook of the person's own, keeps its default approval mode and
/// skips the project's `GEMINI.md` (checked against Gemini CLI 0.61.0 by
/// `tests/engine/gemini_project_config.rs`).
///
/// For Claude's ACP adapter see [`session_meta`]; the variable here makes Claude read the
/// project's `CLAUDE.md` from the folder named there as an added directory.
fn project_config_off(agent: AgentKind) -> Vec<(OsString, OsString)> {
    match agent {
        AgentKind::Gemini => vec![("GEMINI_CLI_TRUST_WORKSPACE".into(), "false".into())],
        AgentKind::ClaudeAcp => vec![("CLAUDE_CODE_ADDITIONAL_DIRECTORIES_CLAUDE_MD".into(), "1".into())],
        _ => Vec::new(),
    }
}

/// The `_meta` Warden sends with `session/new` and `session/load` to a preset agent, if any.
///
/// Claude's ACP adapter starts Claude Code (through the Agent SDK) with the setting sources
/// `user`, `project` and `local` unless the client passes its own in
/// `_meta.claudeCode.options`: a repository's `.claude/settings.json` and
/// `settings.local.json` would run hooks with no decision (a `PreToolUse` hook answering "allow"
/// skips Warden), set `env` or an `apiKeyHelper`, and bring `.mcp.json` servers, agents, skills
/// and commands. Only the person's own settings are loaded, as for Claude Code itself; the
/// project folder is named as an added directory so its `CLAUDE.md` still reaches the model
/// (checked against the adapter 0.100.0 by `tests/engine/claude_acp_project_config.rs`).
pub fn session_meta(agent: AgentKind, custom: bool, project: &Path) -> Option<serde_json::Map<String, serde_json::Value>> {
    if custom || agent != AgentKind::ClaudeAcp {
        return None;
    }
    let options = serde_json::json!({"settingSources": ["user"], "additionalDirectories": [project]});
    let mut meta = serde_json::Map::new();
    meta.insert("claudeCode".into(), serde_json::json!({ "options": options }));
    Some(meta)
}


#[cfg(unix)]
fn running_as_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

#[cfg(not(unix))]
fn running_as_root() -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binary(agent: AgentKind) -> AgentBinary {
        AgentBinary { agent, program: "/opt/agents/bin/agent".into(), version: "1.0.0".into() }
    }

    fn last(spec: &SpawnSpec, name: &str) -> Option<OsString> {
        spec.env.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    #[test]
    fn gemini_always_treats_the_project_as_untrusted_whatever_is_passed_down() {
        let passed = [(OsString::from("GEMINI_CLI_TRUST_WORKSPACE"), OsString::from("true"))];
        let spec = spawn_spec(&binary(AgentKind::Gemini), None, Path::new("/p"), &passed);
        assert_eq!(last(&spec, "GEMINI_CLI_TRUST_WORKSPACE").as_deref(), Some("false".as_ref()));
        assert_eq!(spec.args, ["--acp"]);
    }

    #[test]
    fn the_codex_adapter_is_told_the_project_is_untrusted_and_a_custom_agent_is_left_alone() {
        let spec = spawn_spec(&binary(AgentKind::CodexAcp), None, Path::new("/p"), &[]);
        assert_eq!(spec.args[0], "-c");
        assert!(spec.args[1].to_string_lossy().starts_with(r#"projects={"/p"={trust_level="untrusted"}"#), "{:?}", spec.args);
        let custom = CustomAgent { name: "mine".into(), command: "gemini".into(), args: Vec::new(), env: Vec::new() };
        let spec = spawn_spec(&binary(AgentKind::Custom), Some(&custom), Path::new("/p"), &[]);
        assert!(spec.args.is_empty() && last(&spec, "GEMINI_CLI_TRUST_WORKSPACE").is_none(), "{spec:?}");
    }

    #[test]
    fn only_claude_s_adapter_is_sent_user_settings_only_with_the_project_as_an_added_directory() {
        let meta = session_meta(AgentKind::ClaudeAcp, false, Path::new("/p")).unwrap();
        assert_eq!(meta["claudeCode"]["options"], serde_json::json!({"settingSources": ["user"], "additionalDirectories": ["/p"]}));
        let spec = spawn_spec(&binary(AgentKind::ClaudeAcp), None, Path::new("/p"), &[]);
        assert_eq!(last(&spec, "CLAUDE_CODE_ADDITIONAL_DIRECTORIES_CLAUDE_MD").as_deref(), Some("1".as_ref()));
        for agent in [AgentKind::Gemini, AgentKind::CodexAcp, AgentKind::Goose, AgentKind::Opencode] {
            assert!(session_meta(agent, false, Path::new("/p")).is_none(), "{agent:?}");
        }
        assert!(session_meta(AgentKind::ClaudeAcp, true, Path::new("/p")).is_none(), "a custom agent is the person's own");
    }
}
