//! Finding the agent: missing, too old, found outside PATH.

use std::os::unix::fs::PermissionsExt;
use warden_engine::discovery::{find_claude_in, DiscoveryError};

fn script(dir: &std::path::Path, name: &str, body: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

#[tokio::test]
async fn a_missing_cli_names_the_install_command() {
    let home = tempfile::tempdir().unwrap();
    let err = find_claude_in(None, Some("/nonexistent".into()), Some(home.path())).await.unwrap_err();
    assert!(matches!(err, DiscoveryError::NotFound { .. }));
    let text = err.to_string();
    assert!(text.contains("npm install -g @anthropic-ai/claude-code"), "{text}");
}

#[tokio::test]
async fn a_too_old_cli_says_which_version_is_needed() {
    let dir = tempfile::tempdir().unwrap();
    let old = script(dir.path(), "claude", "echo '1.0.3 (Claude Code)'");
    let err = find_claude_in(Some(old), None, None).await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("1.0.3") && text.contains("2.0.0"), "{text}");
}

#[tokio::test]
async fn a_cli_in_the_home_install_folder_is_found_without_path() {
    let home = tempfile::tempdir().unwrap();
    let bin = home.path().join(".claude/local");
    std::fs::create_dir_all(&bin).unwrap();
    let exe = script(&bin, "claude", "echo '2.1.329 (Claude Code)'");
    let found = find_claude_in(None, Some("/nonexistent".into()), Some(home.path())).await.unwrap();
    assert_eq!((found.program, found.version.as_str()), (exe, "2.1.329"));
}

#[tokio::test]
async fn a_cli_that_prints_no_version_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let odd = script(dir.path(), "claude", "echo 'hello'");
    let err = find_claude_in(Some(odd), None, None).await.unwrap_err();
    assert!(matches!(err, DiscoveryError::NoVersion { .. }), "{err}");
}

#[tokio::test]
async fn the_pinned_real_cli_is_recognised() {
    let claude = crate::support::claude();
    let found = find_claude_in(Some(claude.program), None, None).await.unwrap();
    assert_eq!(found.version, "2.1.329");
}
