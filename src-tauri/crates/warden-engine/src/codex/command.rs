//! The Codex command line Warden starts: `codex app-server`, which speaks JSON-RPC on stdio.

use crate::discovery::AgentBinary;
use crate::process::{path_with, SpawnSpec};
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

