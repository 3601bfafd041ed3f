//! Where a project's permission rules are kept: one JSON file for every project, keyed by the
//! project's folder. [`RulesFile`] is its only writer: the window's rules editor, "Always allow"
//! in a question, `warden run` and `warden permissions allow | deny | remove` all go through it
//! (the engine holds one), so two writers can never disagree about its format.

use serde_json::{Map, Value};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use warden_core::permission::{Rule, RuleSet};

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

/// Project rules, wherever they are kept (the rules file; tests keep them in memory).
pub trait ProjectRules: Send + Sync {
    /// The rules of `project` (empty when it has none).
    fn rules(&self, project: &Path) -> Result<RuleSet, RulesError>;
    /// Replaces the rules of `project` and saves them.
    fn set_rules(&self, project: &Path, rules: &RuleSet) -> Result<(), RulesError>;
    /// Applies `edit` to the rules of `project` as stored now and saves the result; returns it.
    /// The rules file holds its write lock from the read to the write, so two edits of this
    /// process never start from the same old rules.
    fn update(&self, project: &Path, edit: &mut dyn FnMut(&mut RuleSet)) -> Result<RuleSet, RulesError> {
        let mut rules = self.rules(project)?;
        edit(&mut rules);
        self.set_rules(project, &rules)?;
        Ok(rules)
    }
}

/// One change to a project's rules, as `warden permissions allow | deny | remove` asks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleEdit {
    /// Adds the rule to the allow list (nothing changes if it is there).
    Allow(Rule),
    /// Adds the rule to the deny list (nothing changes if it is there).
    Deny(Rule),
    /// Takes the rule out of both lists (every copy).
    Remove(Rule),
}

impl RuleEdit {
    /// The edit applied to `rules`; whether anything changed.
    pub fn apply(&self, rules: &mut RuleSet) -> bool {
        let before = rules.clone();
        match self {
            Self::Allow(rule) => rules.add_allow([rule.clone()]),
            Self::Deny(rule) => rules.add_deny([rule.clone()]),
            Self::Remove(rule) => {
                rules.allow.retain(|r| r != rule);
                rules.deny.retain(|r| r != rule);
            }
        }
        before != *rules
    }
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
        let bytes = match crate::json_file::read(path) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return Ok(Map::new()),
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

impl RulesFile {
    /// Writes `rules` as the entry of `project` in `map`, and `map` to the file. Callers hold
    /// the write lock.
    fn write_entry(&self, mut map: Map<String, Value>, project: &Path, rules: &RuleSet) -> Result<(), RulesError> {
        let io = |reason: String| RulesError::Io { path: self.path.display().to_string(), reason };
        if rules.is_empty() {
            map.remove(&key(project));
        } else {
            map.insert(key(project), serde_json::to_value(rules).map_err(|e| io(e.to_string()))?);
        }
        let text = serde_json::to_string_pretty(&Value::Object(map)).map_err(|e| io(e.to_string()))?;
        crate::json_file::replace(&self.path, text.as_bytes()).map_err(|e| io(e.to_string()))
    }

    /// The project whose rules `project` follows: the main folder of a Warden worktree (its
    /// rules apply to its worktrees, and a rule added in one is added to it), else `project`.
    fn owner(&self, project: &Path) -> PathBuf {
        match self.path.parent() {
            Some(data_dir) => crate::worktrees::rules_project(data_dir, project),
            None => project.to_owned(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ()> {
        self.write.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl ProjectRules for RulesFile {
    fn rules(&self, project: &Path) -> Result<RuleSet, RulesError> {
        Ok(Self::entry(&Self::read_all(&self.path)?, &self.owner(project)))
    }

    fn set_rules(&self, project: &Path, rules: &RuleSet) -> Result<(), RulesError> {
        let project = &self.owner(project);
        let _one_writer = self.lock();
        self.write_entry(Self::read_all(&self.path)?, project, rules)
    }

    fn update(&self, project: &Path, edit: &mut dyn FnMut(&mut RuleSet)) -> Result<RuleSet, RulesError> {
        let project = &self.owner(project);
        let _one_writer = self.lock();
        let map = Self::read_all(&self.path)?;
        let mut rules = Self::entry(&map, project);
        edit(&mut rules);
        self.write_entry(map, project, &rules)?;
        Ok(rules)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn an_edit_adds_once_and_remove_takes_a_rule_out_of_both_lists() {
        let dir = tempfile::tempdir().unwrap();
        let file = RulesFile::new(dir.path().join("permissions.json"));
        let rule = |r: &str| Rule::parse(r).unwrap();
        let project = Path::new("/a");
        let apply = |edit: RuleEdit| {
            let mut changed = false;
            let rules = file.update(project, &mut |rules| changed = edit.apply(rules)).unwrap();
            (rules, changed)
        };
        assert!(apply(RuleEdit::Allow(rule("Bash(npm test:*)"))).1);
        let (rules, changed) = apply(RuleEdit::Allow(rule("Bash(npm test:*)")));
        assert!(!changed, "a rule already there is not added twice");
        assert_eq!(rules.allow.len(), 1);
        apply(RuleEdit::Deny(rule("Bash(npm test:*)")));
        let (rules, changed) = apply(RuleEdit::Remove(rule("Bash(npm test:*)")));
        assert!(changed && rules.is_empty(), "removed from both lists: {rules:?}");
        assert!(!apply(RuleEdit::Remove(rule("Read"))).1, "removing a rule that is not there changes nothing");
        assert!(RulesFile::read_all(file.path()).unwrap().is_empty());
    }
}
