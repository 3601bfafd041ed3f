//! Configuration that steers an agent, a tool or the shell: writing it is never allowed by a
//! mode or a broad rule.
//!
//! A repository (or a prompt-injected model) that can write `.claude/settings.json`, a git hook
//! or `.envrc` runs code on the person's machine later, outside any decision. So a write to such
//! a path is always asked unless an exact rule for that very path allows it (see
//! [`super::evaluate`]); the question lists it in `protected_paths`.
//!
//! Paths are compared component by component, ignoring case: on a case-insensitive file system
//! `.Git/hooks` is `.git/hooks`, and treating more paths as protected is the safe side.

use std::path::{Component, Path};

/// Folders whose contents configure an agent, an editor, git, CI or the shell, wherever they
/// appear in a path (so `~/.claude/…` and `sub/.git/…` count too).
pub const PROTECTED_FOLDERS: &[&str] = &[
    ".claude",       // Claude Code settings, hooks, commands, agents
    ".codex",        // Codex configuration and rules
    ".gemini",       // Gemini CLI settings and extensions
    ".cursor",       // Cursor rules and MCP servers
    ".git",          // hooks, config (aliases, pagers, fsmonitor), info/exclude
    ".husky",        // git hooks installed by npm
    ".githooks",     // a common `core.hooksPath`
    ".github",       // CI workflows and actions run with the repository's secrets
    ".gitlab",       // CI templates
    ".circleci",     // CI configuration
    ".vscode",       // tasks and launch configurations run commands
    ".idea",         // run configurations
    ".devcontainer", // container definitions with lifecycle commands
    ".direnv",       // direnv state
    ".ssh",          // keys, authorized_keys, ssh config (ProxyCommand)
];

/// Files, by name, that configure an agent, git, a package manager or the shell.
pub const PROTECTED_FILES: &[&str] = &[
    ".mcp.json",               // project MCP servers, started by the agent
    ".envrc",                  // run by direnv on entering the folder
    ".pre-commit-config.yaml", // hooks run by pre-commit
    ".gitlab-ci.yml",          // CI
    ".gitconfig",              // git aliases and pagers
    ".gitmodules",             // submodule URLs and update commands
    ".gitattributes",          // filter and diff drivers
    ".npmrc",                  // registry, tokens, lifecycle scripts settings
    ".yarnrc",
    ".yarnrc.yml",
    ".pypirc",
    ".bashrc", // shell startup files run by every new shell
    ".bash_profile",
    ".bash_login",
    ".bash_logout",
    ".profile",
    ".zshrc",
    ".zshenv",
    ".zprofile",
    ".zlogin",
    ".zlogout",
    ".inputrc",
];

/// Whether writing `path` changes protected configuration: a component is a protected folder,
/// or the file's name is a protected file. Case is ignored.
pub fn is_protected(path: &Path) -> bool {
    let names: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(name) => Some(name.to_string_lossy().to_lowercase()),
            _ => None,
        })
        .collect();
    let in_folder = names
        .iter()
        .any(|n| PROTECTED_FOLDERS.contains(&n.as_str()));
    let named = names
        .last()
        .is_some_and(|n| PROTECTED_FILES.contains(&n.as_str()));
    in_folder || named
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protected_folders_count_at_any_depth_and_in_any_case() {
        for path in [
            "/p/.claude/settings.json",
            "/p/.claude",
            "/p/sub/.git/hooks/pre-commit",
            "/p/.GIT/config",
            "/p/.Claude/settings.local.json",
            "/home/a/.codex/config.toml",
            "/p/.gemini/settings.json",
            "/p/.vscode/tasks.json",
            "/p/.github/workflows/ci.yml",
            "/p/.husky/pre-push",
            "/p/.idea/workspace.xml",
        ] {
            assert!(is_protected(Path::new(path)), "{path}");
        }
    }

    #[test]
    fn protected_files_count_by_name() {
        for path in [
            "/p/.mcp.json",
            "/p/.envrc",
            "/p/x/.ENVRC",
            "/home/a/.bashrc",
            "/p/.npmrc",
        ] {
            assert!(is_protected(Path::new(path)), "{path}");
        }
    }

    #[test]
    fn similar_names_are_not_protected() {
        for path in [
            "/p/src/claude.rs",
            "/p/.gitignore",
            "/p/.git-blame-ignore",
            "/p/x.envrc",
            "/p/.claudex/a",
            "/p/.env",
        ] {
            assert!(!is_protected(Path::new(path)), "{path}");
        }
    }
}
