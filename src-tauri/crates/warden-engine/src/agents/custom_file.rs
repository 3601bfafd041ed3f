//! Where the custom ACP agents are kept: `custom-agents.json` in the data folder, a JSON list
//! of definitions. The engine is its only reader and writer, so the window's Agents screen,
//! `warden run --agent` and `warden agents` always see the same list.
//!
//! Earlier versions kept the list under `customAgents` in the window's settings file
//! (`warden.json`). Until this file exists that list is what counts, and
//! [`CustomAgentsFile::migrate`] (the window's start) copies it over; the old entry is left in
//! the settings file, unread, so going back to an older version still finds the agents.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use warden_core::agent::{CustomAgent, CustomAgentError};

/// File name of the custom agents inside the data folder.
pub const CUSTOM_AGENTS_FILE: &str = "custom-agents.json";

/// The settings file of earlier versions, inside the data folder, and its key.
const LEGACY_SETTINGS_FILE: &str = "warden.json";
const LEGACY_KEY: &str = "customAgents";

/// Why the custom agents could not be read, changed or saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CustomAgentsError {
    /// The file is there but does not hold agent definitions. Nothing is written over it until
    /// the person fixes or removes it.
    #[error("the custom agents in {path} are malformed ({reason}); fix or remove them — Warden will not overwrite them")]
    Unreadable {
        /// The file.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// Reading or writing failed.
    #[error("the custom agents file {path}: {reason}")]
    Io {
        /// The file.
        path: String,
        /// What failed.
        reason: String,
    },
    /// A definition was refused (its name, command or variables).
    #[error(transparent)]
    Invalid(#[from] CustomAgentError),
}

/// The custom agents of a data folder.
#[derive(Debug)]
pub struct CustomAgentsFile {
    path: PathBuf,
    legacy: PathBuf,
    /// Held from a read to the write that follows it, so two edits of this process never start
    /// from the same old list.
    write: Mutex<()>,
}

impl CustomAgentsFile {
    /// The custom agents of the data folder `data_dir`.
    pub fn in_data_dir(data_dir: &Path) -> Self {
        Self { path: data_dir.join(CUSTOM_AGENTS_FILE), legacy: data_dir.join(LEGACY_SETTINGS_FILE), write: Mutex::new(()) }
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every custom agent, in the order they were added. No file: the list of the old settings
    /// file, or none.
    pub fn list(&self) -> Result<Vec<CustomAgent>, CustomAgentsError> {
        match crate::json_file::read(&self.path).map_err(|e| self.io(e))? {
            Some(bytes) => serde_json::from_slice(&bytes).map_err(|e| unreadable(&self.path, e)),
            None => self.legacy(),
        }
    }

    /// Adds `agent`, or replaces the one named `replacing`; returns the definition as kept
    /// (tidied). Refused when the definition is not valid or the name is taken.
    pub fn save(&self, replacing: Option<&str>, agent: &CustomAgent) -> Result<CustomAgent, CustomAgentsError> {
        let _one_writer = self.lock();
        let mut agents = self.list()?;
        let saved = agent.validated(&agents, replacing)?;
        match replacing.and_then(|name| agents.iter().position(|a| a.name == name)) {
            Some(i) => agents[i] = saved.clone(),
            None => agents.push(saved.clone()),
        }
        self.write(&agents)?;
        Ok(saved)
    }

    /// Removes the custom agent `name`; refused when there is none.
    pub fn remove(&self, name: &str) -> Result<(), CustomAgentsError> {
        let _one_writer = self.lock();
        let mut agents = self.list()?;
        let before = agents.len();
        agents.retain(|a| a.name != name);
        if agents.len() == before {
            return Err(CustomAgentError::Unknown(name.to_owned()).into());
        }
        self.write(&agents)
    }

    /// Replaces the whole list as given (tests and tools that define agents in bulk).
    pub fn replace_all(&self, agents: &[CustomAgent]) -> Result<(), CustomAgentsError> {
        let _one_writer = self.lock();
        self.write(agents)
    }

    /// Copies the old settings file's agents into this file when it does not exist yet; returns
    /// how many were copied. Malformed old entries are an error and nothing is written, so they
    /// stay where the person can fix them.
    pub fn migrate(&self) -> Result<usize, CustomAgentsError> {
        let _one_writer = self.lock();
        if self.path.exists() {
            return Ok(0);
        }
        let agents = self.legacy()?;
        if !agents.is_empty() {
            self.write(&agents)?;
            tracing::info!(count = agents.len(), file = %self.path.display(), "custom agents moved out of the settings file");
        }
        Ok(agents.len())
    }

    /// The list under `customAgents` in the old settings file (none when either is missing).
    fn legacy(&self) -> Result<Vec<CustomAgent>, CustomAgentsError> {
        let Some(bytes) = crate::json_file::read(&self.legacy).map_err(|e| self.io(e))? else { return Ok(Vec::new()) };
        let map: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(&bytes).map_err(|e| unreadable(&self.legacy, format!("not a JSON object: {e}")))?;
        match map.get(LEGACY_KEY) {
            None => Ok(Vec::new()),
            Some(value) => serde_json::from_value(value.clone()).map_err(|e| unreadable(&self.legacy, e)),
        }
    }

    fn write(&self, agents: &[CustomAgent]) -> Result<(), CustomAgentsError> {
        let text = serde_json::to_string_pretty(agents).map_err(|e| self.io(e))?;
        crate::json_file::replace(&self.path, text.as_bytes()).map_err(|e| self.io(e))
    }

    fn io(&self, e: impl std::fmt::Display) -> CustomAgentsError {
        CustomAgentsError::Io { path: self.path.display().to_string(), reason: e.to_string() }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ()> {
        self.write.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn unreadable(path: &Path, reason: impl std::fmt::Display) -> CustomAgentsError {
    CustomAgentsError::Unreadable { path: path.display().to_string(), reason: reason.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn mine() -> serde_json::Value {
        json!({ "name": "Mine", "command": "my-acp", "args": ["--acp"], "env": [{ "name": "K", "value": "v" }] })
    }

    #[test]
    fn agents_are_saved_replaced_and_removed_in_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = CustomAgentsFile::in_data_dir(dir.path());
        assert_eq!(file.list(), Ok(Vec::new()), "no file: no agents");
        let agent: CustomAgent = serde_json::from_value(mine()).unwrap();
        let saved = file.save(None, &CustomAgent { name: " Mine ".into(), ..agent.clone() }).unwrap();
        assert_eq!(saved.name, "Mine", "kept tidied");
        assert!(matches!(file.save(None, &agent), Err(CustomAgentsError::Invalid(CustomAgentError::Duplicate(_)))));
        file.save(Some("Mine"), &CustomAgent { name: "Renamed".into(), ..agent.clone() }).unwrap();
        let on_disk: serde_json::Value = serde_json::from_slice(&std::fs::read(file.path()).unwrap()).unwrap();
        assert_eq!(on_disk[0]["name"], "Renamed");
        assert!(matches!(file.remove("Mine"), Err(CustomAgentsError::Invalid(CustomAgentError::Unknown(_)))));
        file.remove("Renamed").unwrap();
        assert_eq!(file.list(), Ok(Vec::new()));
    }

    #[test]
    fn the_settings_files_agents_count_until_they_are_migrated_and_are_left_there() {
        let dir = tempfile::tempdir().unwrap();
        let settings = dir.path().join(LEGACY_SETTINGS_FILE);
        let text = json!({ "recentProjects": [], "customAgents": [mine()] }).to_string();
        std::fs::write(&settings, &text).unwrap();
        let file = CustomAgentsFile::in_data_dir(dir.path());
        assert_eq!(file.list().unwrap()[0].env[0].value, "v", "read from the settings before the migration");
        assert_eq!(file.migrate(), Ok(1));
        assert!(file.path().exists());
        assert_eq!(file.migrate(), Ok(0), "once only");
        file.remove("Mine").unwrap();
        assert_eq!(file.list(), Ok(Vec::new()), "after the migration the settings' list no longer counts");
        assert_eq!(std::fs::read_to_string(&settings).unwrap(), text, "the settings file is not touched");
    }

    #[test]
    fn malformed_agents_are_reported_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let settings = dir.path().join(LEGACY_SETTINGS_FILE);
        std::fs::write(&settings, r#"{"customAgents":[{"name":"no command"}]}"#).unwrap();
        let file = CustomAgentsFile::in_data_dir(dir.path());
        let agent: CustomAgent = serde_json::from_value(mine()).unwrap();
        assert!(file.migrate().unwrap_err().to_string().contains("malformed"));
        assert!(file.save(None, &agent).unwrap_err().to_string().contains("malformed"), "no save over them");
        assert!(!file.path().exists(), "nothing written while the old list cannot be read");

        std::fs::write(file.path(), "[{\"name\": 7}]").unwrap();
        let err = file.list().unwrap_err();
        assert!(matches!(err, CustomAgentsError::Unreadable { .. }), "{err}");
        assert!(file.save(None, &agent).is_err());
        assert_eq!(std::fs::read_to_string(file.path()).unwrap(), "[{\"name\": 7}]", "left as it was");
    }
}
