//! ACP agents the person defines in the settings, the rules their definitions follow, and how a
//! name typed on the command line picks an agent.

use super::presets;
use crate::session::AgentKind;
use serde::{Deserialize, Serialize};
use specta::Type;

/// An ACP agent the person defined in the settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CustomAgent {
    /// Its name, unique among custom agents (what `warden run --agent` takes).
    pub name: String,
    /// The executable (a path, or a name looked up on PATH).
    pub command: String,
    /// Its arguments.
    #[serde(default)]
    pub args: Vec<String>,
    /// Extra environment variables.
    #[serde(default)]
    pub env: Vec<EnvVar>,
}

/// One environment variable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct EnvVar {
    /// Its name.
    pub name: String,
    /// Its value.
    pub value: String,
}

/// The longest name a custom agent may have; it is shown in lists and tabs.
pub const NAME_MAX: usize = 64;

/// Why a custom agent definition was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CustomAgentError {
    /// No name given.
    #[error("the agent needs a name")]
    EmptyName,
    /// The name is too long or uses characters a command line would trip over.
    #[error("'{0}' is not a usable agent name: use up to {NAME_MAX} letters, digits, spaces, '-', '_' or '.'")]
    BadName(String),
    /// The name is one of Warden's own agents.
    #[error("'{name}' is the name of the built-in agent {preset}; choose another name")]
    PresetName {
        /// The name asked for.
        name: String,
        /// The built-in agent it collides with.
        preset: String,
    },
    /// Another custom agent has this name.
    #[error("there is already a custom agent named '{0}'")]
    Duplicate(String),
    /// No custom agent has this name (edit or remove of a missing one).
    #[error("there is no custom agent named '{0}'")]
    Unknown(String),
    /// No command given.
    #[error("the agent needs a command to start it")]
    EmptyCommand,
    /// A command, argument or value spans lines, or holds a NUL byte that no process can take.
    #[error("{0} must be on one line and must not contain a NUL character")]
    BadText(String),
    /// An environment variable name that no shell or process can set.
    #[error("'{0}' is not an environment variable name (letters, digits and '_', not starting with a digit)")]
    BadEnvName(String),
    /// The same environment variable twice.
    #[error("the environment variable {0} is given twice")]
    DuplicateEnv(String),
}

impl CustomAgent {
    /// The definition tidied (surrounding spaces of the name, command and variable names
    /// removed) and checked against the others: `existing` are the custom agents kept now,
    /// `replacing` the name of the one being edited (`None` when adding).
    pub fn validated(&self, existing: &[CustomAgent], replacing: Option<&str>) -> Result<CustomAgent, CustomAgentError> {
        let name = self.name.trim().to_owned();
        if name.is_empty() {
            return Err(CustomAgentError::EmptyName);
        }
        let allowed = |c: char| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.');
        if name.chars().count() > NAME_MAX || !name.chars().all(allowed) {
            return Err(CustomAgentError::BadName(name));
        }
        if let Some(preset) = preset_named(&name) {
            return Err(CustomAgentError::PresetName { name, preset: preset.to_owned() });
        }
        if let Some(previous) = replacing {
            if !existing.iter().any(|a| a.name == previous) {
                return Err(CustomAgentError::Unknown(previous.to_owned()));
            }
        }
        let clash = existing.iter().filter(|a| Some(a.name.as_str()) != replacing).any(|a| a.name.eq_ignore_ascii_case(&name));
        if clash {
            return Err(CustomAgentError::Duplicate(name));
        }
        let command = self.command.trim().to_owned();
        if command.is_empty() {
            return Err(CustomAgentError::EmptyCommand);
        }
        one_line("the command", &command)?;
        for arg in &self.args {
            one_line("an argument", arg)?;
        }
        let mut env: Vec<EnvVar> = Vec::new();
        for var in &self.env {
            let var_name = var.name.trim().to_owned();
            let valid = var_name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && var_name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !valid {
                return Err(CustomAgentError::BadEnvName(var_name));
            }
            one_line("an environment value", &var.value)?;
            if env.iter().any(|e| e.name == var_name) {
                return Err(CustomAgentError::DuplicateEnv(var_name));
            }
            env.push(EnvVar { name: var_name, value: var.value.clone() });
        }
        Ok(CustomAgent { name, command, args: self.args.clone(), env })
    }
}

fn one_line(what: &str, text: &str) -> Result<(), CustomAgentError> {
    if text.contains(['\n', '\r', '\0']) {
        return Err(CustomAgentError::BadText(what.to_owned()));
    }
    Ok(())
}

/// The built-in agent a name stands for, compared without regard to case: its command-line
/// name (`codex`, `claude-acp`, also `custom`) or its name for people (`Gemini CLI`).
fn preset_named(name: &str) -> Option<&'static str> {
    if name.eq_ignore_ascii_case(AgentKind::Custom.as_str()) {
        return Some("custom");
    }
    presets()
        .iter()
        .find(|p| p.kind.as_str().eq_ignore_ascii_case(name) || p.name.eq_ignore_ascii_case(name))
        .map(|p| p.name)
}

/// The agent a name picks (`warden run --agent NAME`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgentChoice {
    /// A built-in agent.
    Preset(AgentKind),
    /// A custom agent from the settings.
    Custom(CustomAgent),
}

impl AgentChoice {
    /// Picks the agent `name` stands for: a built-in agent by its command-line name or its name
    /// for people (any case), else a custom agent by its exact name, else by its name in any
    /// case. The error lists every name that would have worked.
    pub fn pick(name: &str, custom: &[CustomAgent]) -> Result<AgentChoice, String> {
        let name = name.trim();
        if let Some(spec) = presets().iter().find(|p| p.kind.as_str().eq_ignore_ascii_case(name) || p.name.eq_ignore_ascii_case(name)) {
            return Ok(AgentChoice::Preset(spec.kind));
        }
        let found = custom.iter().find(|a| a.name == name).or_else(|| custom.iter().find(|a| a.name.eq_ignore_ascii_case(name)));
        if let Some(agent) = found {
            return Ok(AgentChoice::Custom(agent.clone()));
        }
        let mut known: Vec<String> = presets().iter().map(|p| p.kind.as_str().to_owned()).collect();
        known.extend(custom.iter().map(|a| a.name.clone()));
        Err(format!("unknown agent '{name}' (known: {})", known.join(", ")))
    }

    /// The agent kind a session of this choice records.
    pub fn kind(&self) -> AgentKind {
        match self {
            AgentChoice::Preset(kind) => *kind,
            AgentChoice::Custom(_) => AgentKind::Custom,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(name: &str, command: &str) -> CustomAgent {
        CustomAgent { name: name.into(), command: command.into(), args: Vec::new(), env: Vec::new() }
    }

    #[test]
    fn a_definition_is_tidied_and_checked() {
        let mut new = agent("  my agent ", " /opt/bin/agent ");
        new.env = vec![EnvVar { name: " API_KEY ".into(), value: "x y".into() }];
        let ok = new.validated(&[], None).unwrap();
        assert_eq!((ok.name.as_str(), ok.command.as_str(), ok.env[0].name.as_str()), ("my agent", "/opt/bin/agent", "API_KEY"));

        assert_eq!(agent(" ", "x").validated(&[], None), Err(CustomAgentError::EmptyName));
        assert_eq!(agent("a", "  ").validated(&[], None), Err(CustomAgentError::EmptyCommand));
        assert!(matches!(agent("a;rm", "x").validated(&[], None), Err(CustomAgentError::BadName(_))));
        assert!(matches!(agent("a", "x\ny").validated(&[], None), Err(CustomAgentError::BadText(_))));
        let mut bad_env = agent("a", "x");
        bad_env.env = vec![EnvVar { name: "1X".into(), value: String::new() }];
        assert_eq!(bad_env.validated(&[], None), Err(CustomAgentError::BadEnvName("1X".into())));
        bad_env.env = vec![EnvVar { name: "X".into(), value: "1".into() }, EnvVar { name: "X".into(), value: "2".into() }];
        assert_eq!(bad_env.validated(&[], None), Err(CustomAgentError::DuplicateEnv("X".into())));
    }

    #[test]
    fn names_of_built_in_agents_and_other_custom_agents_are_refused() {
        for taken in ["codex", "Gemini CLI", "CLAUDE-ACP", "custom"] {
            assert!(matches!(agent(taken, "x").validated(&[], None), Err(CustomAgentError::PresetName { .. })), "{taken}");
        }
        let existing = [agent("Mine", "a"), agent("Other", "b")];
        assert_eq!(agent("mine", "x").validated(&existing, None), Err(CustomAgentError::Duplicate("mine".into())));
        // Editing keeps its own name, may change its case, but may not take another's.
        assert!(agent("MINE", "x").validated(&existing, Some("Mine")).is_ok());
        assert_eq!(agent("other", "x").validated(&existing, Some("Mine")), Err(CustomAgentError::Duplicate("other".into())));
        assert_eq!(agent("new", "x").validated(&existing, Some("gone")), Err(CustomAgentError::Unknown("gone".into())));
    }

    #[test]
    fn a_name_picks_a_preset_or_a_custom_agent_or_lists_the_known_ones() {
        let custom = [agent("Local Llama", "llama-acp")];
        assert_eq!(AgentChoice::pick("codex", &custom), Ok(AgentChoice::Preset(AgentKind::Codex)));
        assert_eq!(AgentChoice::pick("Gemini CLI", &custom), Ok(AgentChoice::Preset(AgentKind::Gemini)));
        assert_eq!(AgentChoice::pick("local llama", &custom).map(|c| c.kind()), Ok(AgentKind::Custom));
        let err = AgentChoice::pick("gpt", &custom).unwrap_err();
        assert!(err.contains("unknown agent 'gpt'") && err.contains("codex, gemini") && err.contains("Local Llama"), "{err}");
    }
}
