//! Which settings go with which agent when a session is started: a custom agent needs its
//! name, a preset takes none, and only Codex has a sandbox. The window and `warden run` check a
//! new session here, so both refuse the same things with the same words.

use super::{AgentKind, Sandbox};

/// Why a new session's agent settings do not go together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AgentSettingsError {
    /// A custom agent session without the agent's name.
    #[error("a custom agent session needs the agent's name")]
    MissingName,
    /// A custom agent's name for a session of a preset.
    #[error("'{name}' names a custom agent, but the session is for {}", .agent.as_str())]
    NameForPreset {
        /// The name given.
        name: String,
        /// The session's agent.
        agent: AgentKind,
    },
    /// A sandbox for an agent other than Codex.
    #[error("a sandbox is a Codex setting; {} has none", .0.as_str())]
    SandboxNotCodex(AgentKind),
}

/// The custom agent's name (trimmed; blank counts as none) and the sandbox of a new session of
/// `agent`, checked against it.
pub fn agent_settings(
    agent: AgentKind,
    name: Option<String>,
    sandbox: Option<Sandbox>,
) -> Result<(Option<String>, Option<Sandbox>), AgentSettingsError> {
    let name = name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
    match (agent, &name) {
        (AgentKind::Custom, None) => return Err(AgentSettingsError::MissingName),
        (AgentKind::Custom, Some(_)) | (_, None) => {}
        (_, Some(n)) => return Err(AgentSettingsError::NameForPreset { name: n.clone(), agent }),
    }
    if sandbox.is_some() && agent != AgentKind::Codex {
        return Err(AgentSettingsError::SandboxNotCodex(agent));
    }
    Ok((name, sandbox))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_custom_agent_needs_its_name_a_preset_takes_none_and_only_codex_has_a_sandbox() {
        assert_eq!(agent_settings(AgentKind::Custom, Some(" Mine ".into()), None), Ok((Some("Mine".into()), None)));
        assert_eq!(agent_settings(AgentKind::Custom, Some("  ".into()), None), Err(AgentSettingsError::MissingName));
        let err = agent_settings(AgentKind::Gemini, Some("Mine".into()), None).unwrap_err();
        assert_eq!(err.to_string(), "'Mine' names a custom agent, but the session is for gemini");
        let err = agent_settings(AgentKind::Gemini, None, Some(Sandbox::ReadOnly)).unwrap_err();
        assert_eq!(err.to_string(), "a sandbox is a Codex setting; gemini has none");
        assert_eq!(agent_settings(AgentKind::Codex, None, Some(Sandbox::ReadOnly)), Ok((None, Some(Sandbox::ReadOnly))));
    }
}
