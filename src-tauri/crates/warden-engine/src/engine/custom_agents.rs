//! The custom ACP agents the engine can start. The engine owns them: they live in the data
//! folder's `custom-agents.json` ([`CustomAgentsFile`]), read on every use, so the window and
//! `warden run` see the same list and nothing keeps a second copy in step.

use super::Engine;
use crate::agents::{CustomAgentsError, CustomAgentsFile};
use warden_core::agent::CustomAgent;

impl Engine {
    /// Where the custom agents are kept.
    pub fn custom_agents_file(&self) -> &CustomAgentsFile {
        &self.custom_agents
    }

    /// Every custom agent, in the order they were added.
    pub fn custom_agents(&self) -> Result<Vec<CustomAgent>, CustomAgentsError> {
        self.custom_agents.list()
    }

    /// The custom agent named `name`, if one is defined.
    pub fn custom_agent(&self, name: &str) -> Result<Option<CustomAgent>, CustomAgentsError> {
        Ok(self.custom_agents()?.into_iter().find(|a| a.name == name))
    }

    /// Adds a custom agent, or replaces the one named `replacing`; returns the definition as
    /// kept. Sessions started later use it; running ones keep the definition they started with.
    pub fn save_custom_agent(&self, replacing: Option<&str>, agent: &CustomAgent) -> Result<CustomAgent, CustomAgentsError> {
        self.custom_agents.save(replacing, agent)
    }

    /// Removes the custom agent `name`. Its past sessions stay, under its name.
    pub fn remove_custom_agent(&self, name: &str) -> Result<(), CustomAgentsError> {
        self.custom_agents.remove(name)
    }

    /// Replaces every custom agent with `agents`, as given.
    pub fn set_custom_agents(&self, agents: &[CustomAgent]) -> Result<(), CustomAgentsError> {
        self.custom_agents.replace_all(agents)
    }

    /// Moves the custom agents an earlier version kept in the settings file into the engine's
    /// file, the first time. Returns what the person should be told when that failed (the old
    /// entries are malformed); they are left where they are, and no save writes over them
    /// until they are fixed.
    pub fn migrate_custom_agents(&self) -> Option<String> {
        match self.custom_agents.migrate() {
            Ok(_) => None,
            Err(e) => Some(format!("Custom agents could not be read: {e}")),
        }
    }
}
