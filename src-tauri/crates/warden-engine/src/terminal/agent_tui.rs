//! An agent's own interactive interface, to open in a terminal ("Open in terminal"), resuming a
//! session where the CLI can.
//!
//! Only what each CLI really accepts (checked against `--help` of the pinned versions):
//! `claude --resume <id>`, `codex resume <id>` (a session UUID), `gemini --resume <id>` (a
//! session UUID, the same id its ACP mode uses). The ACP adapters have no interface of their
//! own: their agent's CLI is opened instead.

use super::spec::TerminalError;
use std::ffi::OsString;
use warden_core::session::AgentKind;

/// How to start an agent's interactive interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentTui {
    /// The agent whose executable to find and run (the CLI behind an ACP adapter).
    pub cli: AgentKind,
    /// Its arguments.
    pub args: Vec<OsString>,
    /// Whether the arguments resume the session asked for. `false` when none was asked for, or
    /// when the CLI cannot resume this agent's sessions (it then starts a new one).
    pub resumed: bool,
}

/// The interactive interface of `agent`, resuming `agent_session_id` (the agent's own id of a
/// session) where its CLI can.
pub fn agent_tui(agent: AgentKind, agent_session_id: Option<&str>) -> Result<AgentTui, TerminalError> {
    let id = agent_session_id.map(str::trim).filter(|id| !id.is_empty());
    // The CLI to run, and the arguments before a session id that resume it.
    let (cli, resume): (AgentKind, Option<&[&str]>) = match agent {
        AgentKind::Claude => (AgentKind::Claude, Some(&["--resume"])),
        // claude-agent-acp hands its session ids to Claude Code's SDK as they are (`resume:
        // params.sessionId`), so they are Claude Code's own.
        AgentKind::ClaudeAcp => (AgentKind::Claude, Some(&["--resume"])),
        // A Codex app-server thread id is the session UUID `codex resume` takes.
        AgentKind::Codex => (AgentKind::Codex, Some(&["resume"])),
        // codex-acp's session ids are not known to be Codex's: a new Codex session is opened.
        AgentKind::CodexAcp => (AgentKind::Codex, None),
        AgentKind::Gemini => (AgentKind::Gemini, Some(&["--resume"])),
        AgentKind::Goose | AgentKind::Opencode => (agent, None),
        AgentKind::Custom => return Err(TerminalError::NoTui("A custom ACP agent".into())),
    };
    let mut args = match agent {
        // `goose` alone prints its help; `goose session` is the interactive one.
        AgentKind::Goose => vec![OsString::from("session")],
        _ => Vec::new(),
    };
    let resumed = match (id, resume) {
        (Some(id), Some(flags)) => {
            args.extend(flags.iter().map(OsString::from));
            args.push(id.into());
            true
        }
        _ => false,
    };
    Ok(AgentTui { cli, args, resumed })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(tui: &AgentTui) -> Vec<&str> {
        tui.args.iter().map(|a| a.to_str().unwrap()).collect()
    }

    #[test]
    fn each_cli_resumes_in_its_own_words() {
        let claude = agent_tui(AgentKind::Claude, Some("abc")).unwrap();
        assert_eq!((claude.cli, args(&claude), claude.resumed), (AgentKind::Claude, vec!["--resume", "abc"], true));
        let codex = agent_tui(AgentKind::Codex, Some("abc")).unwrap();
        assert_eq!(args(&codex), ["resume", "abc"]);
        let gemini = agent_tui(AgentKind::Gemini, Some("abc")).unwrap();
        assert_eq!(args(&gemini), ["--resume", "abc"]);
        let acp = agent_tui(AgentKind::ClaudeAcp, Some("abc")).unwrap();
        assert_eq!((acp.cli, args(&acp)), (AgentKind::Claude, vec!["--resume", "abc"]), "the adapter's CLI opens");
    }

    #[test]
    fn without_a_resumable_id_a_new_session_opens() {
        let fresh = agent_tui(AgentKind::Claude, Some("  ")).unwrap();
        assert_eq!((args(&fresh).len(), fresh.resumed), (0, false), "a blank id is no id");
        let codex_acp = agent_tui(AgentKind::CodexAcp, Some("abc")).unwrap();
        assert_eq!((codex_acp.cli, codex_acp.args.len(), codex_acp.resumed), (AgentKind::Codex, 0, false));
        let goose = agent_tui(AgentKind::Goose, None).unwrap();
        assert_eq!(args(&goose), ["session"]);
        let err = agent_tui(AgentKind::Custom, None).unwrap_err();
        assert!(err.to_string().contains("no terminal interface"), "{err}");
    }
}
