//! Project permission rules kept with tauri-plugin-store, in the same `permissions.json` that
//! `warden run` reads and writes through the engine's `RulesFile`.

use std::path::{Path, PathBuf};
use tauri::{AppHandle, Runtime};
use tauri_plugin_store::StoreExt;
use warden_core::permission::RuleSet;
use warden_engine::permission::{ProjectRules, RulesError, RulesFile};

/// Project rules in a tauri-plugin-store file.
pub struct StoreRules<R: Runtime> {
    app: AppHandle<R>,
    path: PathBuf,
}

impl<R: Runtime> StoreRules<R> {
    /// Rules in the store file at `path`.
    pub fn new(app: AppHandle<R>, path: PathBuf) -> Self {
        Self { app, path }
    }

    fn io(&self, e: impl std::fmt::Display) -> RulesError {
        RulesError::Io { path: self.path.display().to_string(), reason: e.to_string() }
    }

    /// The store, re-read from disk: a `warden run` may have added a rule since. The file is
    /// checked first, because the plugin would drop an entry it cannot read and overwrite the
    /// file on the next save.
    fn fresh(&self) -> Result<std::sync::Arc<tauri_plugin_store::Store<R>>, RulesError> {
        RulesFile::read_all(&self.path)?;
        let store = self.app.store(&self.path).map_err(|e| self.io(e))?;
        if self.path.exists() {
            store.reload().map_err(|e| self.io(e))?;
        }
        Ok(store)
    }
}

impl<R: Runtime> ProjectRules for StoreRules<R> {
    fn rules(&self, project: &Path) -> Result<RuleSet, RulesError> {
        let store = self.fresh()?;
        let key = warden_engine::permission::rules_key(project);
        Ok(store.get(&key).and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default())
    }

    fn set_rules(&self, project: &Path, rules: &RuleSet) -> Result<(), RulesError> {
        let store = self.fresh()?;
        let key = warden_engine::permission::rules_key(project);
        if rules.is_empty() {
            store.delete(&key);
        } else {
            store.set(key, serde_json::to_value(rules).expect("rules serialise"));
        }
        store.save().map_err(|e| self.io(e))
    }
}
