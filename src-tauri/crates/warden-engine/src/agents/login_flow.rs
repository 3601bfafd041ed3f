//! Logging in to an agent from the window: each CLI's own login flow, run in a terminal
//! (a real PTY, so the CLI draws its menus and opens the browser as it would in a shell).
//!
//! Only what the pinned CLIs really accept: `claude auth login`, `codex login`, `opencode auth
//! login`, `goose configure`; Gemini CLI has no login command, and asks how to sign in when it
//! starts without credentials (`/auth` asks again). An ACP adapter logs in through its agent.

use crate::terminal::{TerminalError, TerminalSpec};
use std::ffi::OsString;
use std::path::Path;
use warden_core::session::AgentKind;

/// The CLI whose executable runs the login of `kind`, and its arguments; `None` for a custom
/// agent, which Warden only starts.
pub fn login_command(kind: AgentKind) -> Option<(AgentKind, &'static [&'static str])> {
    Some(match kind {
        AgentKind::Claude | AgentKind::ClaudeAcp => (AgentKind::Claude, &["auth", "login"]),
        AgentKind::Codex | AgentKind::CodexAcp => (AgentKind::Codex, &["login"]),
        AgentKind::Gemini => (AgentKind::Gemini, &[]),
        AgentKind::Opencode => (AgentKind::Opencode, &["auth", "login"]),
        AgentKind::Goose => (AgentKind::Goose, &["configure"]),
        AgentKind::Custom => return None,
    })
}

/// The terminal that runs the login of `kind` in `cwd` at `cols`×`rows`, with the agent's
/// executable found as sessions find it, and the terminal's title.
pub async fn login_spec(kind: AgentKind, cwd: &Path, cols: u16, rows: u16) -> Result<(TerminalSpec, String), TerminalError> {
    let (cli, args) = login_command(kind).ok_or_else(|| TerminalError::NoTui("A custom ACP agent".into()))?;
    let binary = crate::discovery::find_agent(cli).await?;
    let name = warden_core::agent::spec(cli).map_or(cli.as_str(), |s| s.name);
    let args = args.iter().map(OsString::from).collect();
    Ok((TerminalSpec::command(binary.program, args, cwd, cols, rows), format!("Log in to {name}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_agent_logs_in_with_its_own_cli_and_an_adapter_with_its_agent() {
        assert_eq!(login_command(AgentKind::Claude), Some((AgentKind::Claude, &["auth", "login"][..])));
        assert_eq!(login_command(AgentKind::ClaudeAcp).map(|c| c.0), Some(AgentKind::Claude));
        assert_eq!(login_command(AgentKind::CodexAcp), Some((AgentKind::Codex, &["login"][..])));
        assert_eq!(login_command(AgentKind::Gemini), Some((AgentKind::Gemini, &[][..])));
        assert_eq!(login_command(AgentKind::Custom), None);
    }
}
