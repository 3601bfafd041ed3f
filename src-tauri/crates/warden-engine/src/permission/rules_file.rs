//! Where a project's permission rules are kept: one JSON file for every project, keyed by the
//! project's folder. The desktop app keeps it through tauri-plugin-store; `warden run` and the
//! tests read and write the same file with [`RulesFile`].

use serde_json::{Map, Value};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use warden_core::permission::RuleSet;

/// Why project rules could not be read or saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RulesError {
    /// The file is there but is not what Warden wrote. It is left as it is: nothing is
    /// overwritten until the person fixes or removes it.
    #[error("the permission rules file {path} cannot be read ({reason}); fix or remove it — Warden will not overwrite it")]
    Unreadable {
        /// The file.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// Reading or writing failed.
    #[error("the permission rules file {path}: {reason}")]
    Io {
        /// The file.
        path: String,
        /// What failed.
        reason: String,
    },
}

/// Project rules, wherever they are kept.
pub trait ProjectRules: Send + Sync {
    /// The rules of `project` (empty when it has none).
    fn rules(&self, project: &Path) -> Result<RuleSet, RulesError>;
    /// Replaces the rules of `project` and saves them.
    fn set_rules(&self, project: &Path, rules: &RuleSet) -> Result<(), RulesError>;
}

/// Project rules in a JSON file: `{ "<project folder>": { "allow": [...], "deny": [...] } }`.
/// The file is read on every use, so a rule added by another Warden process (the window, a
/// `warden run`) counts at once; a write replaces the file atomically.
#[derive(Debug)]
pub struct RulesFile {
    path: PathBuf,
    write: Mutex<()>,
}

impl RulesFile {
    /// Rules kept in `path` (created on the first write).
    pub fn new(path: PathBuf) -> Self {
        Self { path, write: Mutex::new(()) }
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every project's entry, or why the file cannot be used.
    pub fn read_all(path: &Path) -> Result<Map<String, Value>, RulesError> {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Map::new()),
            Err(e) => return Err(RulesError::Io { path: path.display().to_string(), reason: e.to_string() }),
        };
        let unreadable = |reason: String| RulesError::Unreadable { path: path.display().to_string(), reason };
        let map: Map<String, Value> =
            serde_json::from_slice(&bytes).map_err(|e| unreadable(format!("not a JSON object: {e}")))?;
        for (project, rules) in &map {
            serde_json::from_value::<RuleSet>(rules.clone())
                .map_err(|e| unreadable(format!("the rules of {project}: {e}")))?;
        }
        Ok(map)
    }

    /// The rules of one project in an entry map.
    pub fn entry(map: &Map<String, Value>, project: &Path) -> RuleSet {
        map.get(&key(project)).and_then(|v| serde_json::from_value(v.clone()).ok()).unwrap_or_default()
    }
}

/// The key of a project in the file.
pub fn key(project: &Path) -> String {
    project.to_string_lossy().into_owned()
}

impl ProjectRules for RulesFile {
    fn rules(&self, project: &Path) -> Result<RuleSet, RulesError> {
        Ok(Self::entry(&Self::read_all(&self.path)?, project))
    }

    fn set_rules(&self, project: &Path, rules: &RuleSet) -> Result<(), RulesError> {
        let _one_writer = self.write.lock().unwrap_or_else(|p| p.into_inner());
        let mut map = Self::read_all(&self.path)?;
        if rules.is_empty() {
            map.remove(&key(project));
        } else {
            map.insert(key(project), serde_json::to_value(rules).expect("rules serialise"));
        }
        let io = |e: std::io::Error| RulesError::Io { path: self.path.display().to_string(), reason: e.to_string() };
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let text = serde_json::to_string_pretty(&Value::Object(map)).expect("a map serialises");
        let staged = self.path.with_extension("json.tmp");
        // Created 0600 whatever the umask (a leftover staged copy is narrowed and emptied): the
        // rules say what agents may do, so they are the person's alone, like the rest of the data.
        let mut file = crate::store::private::open_file(&staged).map_err(io)?;
        file.set_len(0).map_err(io)?;
        std::io::Write::write_all(&mut file, text.as_bytes()).map_err(io)?;
        drop(file);
        std::fs::rename(&staged, &self.path).map_err(io)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use warden_core::permission::Rule;

    fn set(allow: &[&str]) -> RuleSet {
        RuleSet { allow: allow.iter().map(|r| Rule::parse(r).unwrap()).collect(), deny: Vec::new() }
    }

    #[test]
    fn rules_are_kept_per_project_and_an_empty_set_removes_the_entry() {
        let dir = tempfile::tempdir().unwrap();
        let file = RulesFile::new(dir.path().join("permissions.json"));
        assert_eq!(file.rules(Path::new("/a")).unwrap(), RuleSet::default(), "no file: no rules");
        file.set_rules(Path::new("/a"), &set(&["Bash(npm test:*)"])).unwrap();
        file.set_rules(Path::new("/b"), &set(&["Read(src/**)"])).unwrap();
        assert_eq!(file.rules(Path::new("/a")).unwrap(), set(&["Bash(npm test:*)"]));
        assert_eq!(file.rules(Path::new("/b")).unwrap(), set(&["Read(src/**)"]));
        file.set_rules(Path::new("/a"), &RuleSet::default()).unwrap();
        let map = RulesFile::read_all(file.path()).unwrap();
        assert_eq!(map.keys().collect::<Vec<_>>(), ["/b"], "an empty set leaves no entry behind");
        assert!(!dir.path().join("permissions.json.tmp").exists(), "the staged copy was renamed into place");
    }

    #[test]
    fn a_damaged_file_is_reported_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("permissions.json");
        let file = RulesFile::new(path.clone());
        for damaged in ["{ not json", r#"{"/a": {"allow": ["Bash(npm"]}}"#, "[1, 2]"] {
            std::fs::write(&path, damaged).unwrap();
            let err = file.rules(Path::new("/a")).unwrap_err();
            assert!(matches!(err, RulesError::Unreadable { .. }), "{damaged}: {err}");
            assert!(file.set_rules(Path::new("/a"), &set(&["Bash"])).is_err(), "no write over {damaged}");
            assert_eq!(std::fs::read_to_string(&path).unwrap(), damaged, "the file is left as it was");
        }
    }
}
