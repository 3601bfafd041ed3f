//! The commands an agent offers to run by name (Claude Code's slash commands and skills, an ACP
//! agent's available commands): what the window lists after `/`. Running one is a prompt whose
//! text starts with `/name`, which each of these agents expands itself.

use serde::{Deserialize, Serialize};
use specta::Type;

/// One command the agent runs when a prompt starts with `/name`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AgentCommand {
    /// Its name, without the slash.
    pub name: String,
    /// What it does, in the agent's words.
    pub description: String,
    /// What to type after the name (`<file>`, `[issue description]`), when it takes anything.
    pub argument_hint: Option<String>,
    /// Other names that run the same command.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// The agent's commands as it last listed them: the whole list, which replaces the previous one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type, Default)]
#[serde(rename_all = "camelCase")]
pub struct AgentCommands {
    /// The commands, in the agent's order.
    pub commands: Vec<AgentCommand>,
}
