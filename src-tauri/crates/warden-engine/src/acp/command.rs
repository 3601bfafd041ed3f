//! The command line of an ACP agent: a preset's program and arguments, or a custom agent's.

use crate::discovery::AgentBinary;
use crate::process::{path_with, SpawnSpec};
use std::ffi::OsString;
use std::path::Path;
use warden_core::agent::CustomAgent;
use warden_core::session::AgentKind;

/// How to start an ACP agent in `project`: `binary` with the preset's arguments (`gemini
/// --acp`) or, for a custom agent, its own arguments and variables; `extra_env` last, so it
/// wins.
pub fn spawn_spec(binary: &AgentBinary, custom: Option<&CustomAgent>, project: &Path, extra_env: &[(OsString, OsString)]) -> SpawnSpec {
    let args: Vec<OsString> = match custom {
        Some(agent) => agent.args.iter().map(OsString::from).collect(),
        None => warden_core::agent::spec(binary.agent).map_or(&[][..], |s| s.args).iter().map(OsString::from).collect(),
    };
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
    SpawnSpec {
        program: binary.program.clone(),
        args,
        cwd: project.to_owned(),
        env,
        // Set inside Claude Code's own shells; inherited, it makes Claude's adapter act nested.
        env_remove: vec!["CLAUDECODE".into()],
    }
}

/// A custom agent's executable: its command as a path, or found on PATH.
pub fn custom_program(agent: &CustomAgent) -> Option<std::path::PathBuf> {
    let command = Path::new(&agent.command);
    if command.components().count() > 1 {
        return command.exists().then(|| command.to_owned());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(command)).find(|p| p.is_file())
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
