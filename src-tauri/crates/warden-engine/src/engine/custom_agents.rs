//! The custom ACP agents the engine can start, as the settings define them.

use super::Engine;
use warden_core::agent::CustomAgent;

impl Engine {
    /// Replaces the custom agents (the desktop app hands them over at start and after every
    /// edit; `warden run` reads them from the same settings file). Sessions started later use
    /// them; running ones keep the definition they started with.
    pub fn set_custom_agents(&self, agents: Vec<CustomAgent>) {
        *self.custom_agents.write().unwrap_or_else(|p| p.into_inner()) = agents;
    }

    /// The custom agent named `name`, if one is defined.
    pub fn custom_agent(&self, name: &str) -> Option<CustomAgent> {
        self.custom_agents.read().unwrap_or_else(|p| p.into_inner()).iter().find(|a| a.name == name).cloned()
    }

    /// Every custom agent, in the order the settings list them.
    pub fn custom_agents(&self) -> Vec<CustomAgent> {
        self.custom_agents.read().unwrap_or_else(|p| p.into_inner()).clone()
    }
}
