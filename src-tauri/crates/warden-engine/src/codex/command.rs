//! The Codex command line Warden starts: `codex app-server`, which speaks JSON-RPC on stdio.

use crate::discovery::AgentBinary;
use crate::process::SpawnSpec;
use std::ffi::OsString;
use std::path::Path;

/// How to start Codex for a session in `project`. Everything about the thread (model, sandbox,
/// approval policy, resuming) is said over the protocol, so no `-c` overrides are needed; the
/// person's `$CODEX_HOME/config.toml` (model provider, login) applies as it does for `codex`.
pub fn spawn_spec(binary: &AgentBinary, project: &Path, extra_env: &[(OsString, OsString)]) -> SpawnSpec {
    let mut env = Vec::new();
    if let Some(path) = path_with(binary.program.parent()) {
        env.push(("PATH".into(), path));
    }
    env.extend(extra_env.iter().cloned());
    SpawnSpec {
        program: binary.program.clone(),
        args: vec!["app-server".into()],
        cwd: project.to_owned(),
        env,
        env_remove: Vec::new(),
    }
}

/// PATH with the agent's folder in front, so an npm launcher found outside PATH finds its
/// `node` (nvm installs keep both in one folder).
fn path_with(dir: Option<&Path>) -> Option<OsString> {
    let dir = dir?;
    let current = std::env::var_os("PATH").unwrap_or_default();
    let mut parts: Vec<_> = std::env::split_paths(&current).collect();
    if parts.iter().any(|p| p == dir) {
        return None;
    }
    parts.insert(0, dir.to_owned());
    std::env::join_paths(parts).ok()
}
