//! The Codex command line Warden starts: `codex app-server`, which speaks JSON-RPC on stdio.

use crate::discovery::AgentBinary;
use crate::process::{path_with, SpawnSpec};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// How to start Codex for a session in `project`. Everything about the thread (model, sandbox,
/// approval policy, resuming) is said over the protocol; the only `-c` override keeps the
/// repository's own configuration off ([`project_config_off`]). The person's
/// `$CODEX_HOME/config.toml` (model provider, login, MCP servers) applies as it does for `codex`.
pub fn spawn_spec(binary: &AgentBinary, project: &Path, extra_env: &[(OsString, OsString)]) -> SpawnSpec {
    let mut env = Vec::new();
    if let Some(path) = path_with(binary.program.parent()) {
        env.push(("PATH".into(), path));
    }
    env.extend(extra_env.iter().cloned());
    let mut args: Vec<OsString> = vec!["app-server".into()];
    args.extend(project_config_off(project));
    SpawnSpec { program: binary.program.clone(), args, cwd: project.to_owned(), env, env_remove: Vec::new() }
}

/// `-c` arguments that make Codex (and the Codex ACP adapter, which loads its configuration the
/// same way) treat `project` as an untrusted project.
///
/// In a project the person trusted (`[projects."<path>"] trust_level = "trusted"` in
/// `$CODEX_HOME/config.toml`, written when they answered "trust" once in `codex`), Codex reads the
/// repository's `.codex/config.toml` as a configuration layer: its `mcp_servers` commands start
/// with no decision, `notify` and hooks run, `sandbox_mode`/`approval_policy` widen the defaults
/// and `shell_environment_policy` sets variables. Trust is looked up for the folder and for its
/// git repository's root (a worktree's main repository), so each of those and every folder
/// above them is overridden as `untrusted`; Codex merges `-c` tables into the person's, so their
/// other settings stay. Checked against Codex 0.169.0 by `tests/engine/codex_project_config.rs`.
pub fn project_config_off(project: &Path) -> Vec<OsString> {
    let entries: Vec<String> = trust_keys(project)
        .iter()
        .map(|folder| format!("{}={{trust_level=\"untrusted\"}}", toml_string(&folder.to_string_lossy())))
        .collect();
    vec!["-c".into(), format!("projects={{{}}}", entries.join(",")).into()]
}

/// Every folder whose trust setting Codex could apply to `project`: the folder as given and as
/// resolved, the main repository of a git worktree, and all folders above them.
fn trust_keys(project: &Path) -> Vec<PathBuf> {
    let mut bases = vec![project.to_owned()];
    if let Ok(real) = project.canonicalize() {
        bases.push(real);
    }
    let worktree_roots: Vec<PathBuf> = bases.iter().flat_map(|base| base.ancestors()).filter_map(worktree_main_root).collect();
    bases.extend(worktree_roots);
    let mut keys: Vec<PathBuf> = Vec::new();
    for folder in bases.iter().flat_map(|base| base.ancestors()) {
        if !keys.iter().any(|k| k == folder) {
            keys.push(folder.to_owned());
        }
    }
    keys
}

/// For a git worktree (`.git` is a file `gitdir: <main>/.git/worktrees/<name>`), the main
/// repository's folder.
fn worktree_main_root(folder: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(folder.join(".git")).ok()?;
    let gitdir = Path::new(text.trim().strip_prefix("gitdir:")?.trim());
    let gitdir = if gitdir.is_absolute() { gitdir.to_owned() } else { folder.join(gitdir) };
    // `<main>/.git/worktrees/<name>` → `<main>`.
    let common = gitdir.parent().filter(|p| p.file_name().is_some_and(|n| n == "worktrees"))?.parent()?;
    common.parent().map(Path::to_owned)
}

/// `text` as a TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_folder_above_the_project_is_overridden_as_untrusted_in_one_toml_table() {
        let args = project_config_off(Path::new("/no/such/dir \"q\" \\x"));
        assert_eq!(args[0], "-c");
        let value = args[1].to_string_lossy().into_owned();
        assert!(value.starts_with("projects={") && value.ends_with('}'), "{value}");
        for key in [r#""/no/such/dir \"q\" \\x""#, r#""/no/such""#, r#""/no""#, r#""/""#] {
            assert!(value.contains(&format!(r#"{key}={{trust_level="untrusted"}}"#)), "{key}: {value}");
        }
    }

    #[test]
    fn a_worktree_s_main_repository_is_overridden_too() {
        let main = tempfile::tempdir().unwrap();
        let tree = tempfile::tempdir().unwrap();
        std::fs::write(tree.path().join(".git"), format!("gitdir: {}/.git/worktrees/t\n", main.path().display())).unwrap();
        let keys = trust_keys(&tree.path().join("sub"));
        assert!(keys.iter().any(|k| k == main.path()), "{keys:?}");
        assert!(keys.iter().any(|k| k == tree.path()), "{keys:?}");
    }

    #[test]
    fn control_characters_and_quotes_are_escaped() {
        assert_eq!(toml_string("a\"b\\c\nd"), "\"a\\\"b\\\\c\\u000Ad\"");
    }
}
