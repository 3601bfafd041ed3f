//! The custom ACP agents, kept under `customAgents` in the settings store (`warden.json`), which
//! the window edits through tauri-plugin-store and `warden run --agent` reads directly.

use std::path::Path;
use tauri::{AppHandle, Runtime};
use tauri_plugin_store::StoreExt;
use warden_core::agent::CustomAgent;

/// The store key under which the custom agents live.
pub const CUSTOM_AGENTS_KEY: &str = "customAgents";

/// The custom agents in the store at `path`. A malformed entry is an error, not an empty list,
/// so that saving never overwrites agents the person defined by hand.
pub fn load<R: Runtime>(app: &AppHandle<R>, path: &Path) -> Result<Vec<CustomAgent>, String> {
    let store = app.store(path).map_err(|e| e.to_string())?;
    match store.get(CUSTOM_AGENTS_KEY) {
        None => Ok(Vec::new()),
        Some(value) => parse(value, path),
    }
}

/// Replaces the custom agents in the store at `path` and writes it to disk.
pub fn save<R: Runtime>(app: &AppHandle<R>, path: &Path, agents: &[CustomAgent]) -> Result<(), String> {
    let store = app.store(path).map_err(|e| e.to_string())?;
    store.set(CUSTOM_AGENTS_KEY, serde_json::to_value(agents).map_err(|e| e.to_string())?);
    store.save().map_err(|e| e.to_string())
}

/// The custom agents in a settings file read straight from disk, for the headless commands. No
/// file means none.
pub fn read_file(path: &Path) -> Result<Vec<CustomAgent>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&text).map_err(|e| format!("{} is not a JSON object: {e}", path.display()))?;
    match map.get(CUSTOM_AGENTS_KEY) {
        None => Ok(Vec::new()),
        Some(value) => parse(value.clone(), path),
    }
}

fn parse(value: serde_json::Value, path: &Path) -> Result<Vec<CustomAgent>, String> {
    serde_json::from_value(value).map_err(|e| format!("the custom agents in {} are malformed: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_read_like_the_store_writes_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("warden.json");
        assert_eq!(read_file(&path), Ok(Vec::new()), "no settings yet");
        std::fs::write(&path, r#"{"recentProjects":[],"customAgents":[{"name":"Mine","command":"my-acp","args":["--acp"],"env":[{"name":"K","value":"v"}]}]}"#).unwrap();
        let agents = read_file(&path).unwrap();
        assert_eq!((agents[0].name.as_str(), agents[0].args.as_slice(), agents[0].env[0].value.as_str()), ("Mine", &["--acp".to_owned()][..], "v"));
        std::fs::write(&path, r#"{"customAgents":[{"name":"x"}]}"#).unwrap();
        assert!(read_file(&path).unwrap_err().contains("malformed"), "a missing command is an error, not silence");
    }
}
