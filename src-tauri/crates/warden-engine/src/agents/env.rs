//! The part of the environment detection reads, so tests can give it a made-up one.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// PATH, the home folder and the environment variables, as detection sees them.
#[derive(Debug, Clone, Default)]
pub struct DetectEnv {
    /// The PATH to search.
    pub path: Option<OsString>,
    /// The home folder (credentials and the usual install folders are under it).
    pub home: Option<PathBuf>,
    /// Environment variables (API keys, `CODEX_HOME`, `WARDEN_CODEX`, …).
    pub vars: HashMap<String, String>,
}

impl DetectEnv {
    /// This process's environment.
    pub fn current() -> Self {
        let vars = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .collect();
        let home = std::env::var_os(if cfg!(windows) { "USERPROFILE" } else { "HOME" }).map(PathBuf::from);
        // The login shell's PATH on macOS (the app starts without it); this process's elsewhere.
        Self { path: warden_platform::login_path::search_path(), home, vars }
    }

    /// A variable's value, when it is set and not empty.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str).filter(|v| !v.is_empty())
    }

    /// Whether a variable is set to a true value (`1`, `true`, `yes`, any case).
    pub fn flag(&self, name: &str) -> bool {
        self.var(name).is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes"))
    }

    /// A folder from a variable, else `rel` under the home folder.
    pub fn dir(&self, var: &str, rel: &str) -> Option<PathBuf> {
        match self.var(var) {
            Some(dir) => Some(PathBuf::from(dir)),
            None => self.home.as_deref().map(|h| h.join(rel)),
        }
    }

    /// `rel` under the home folder, as the person would write it (`~/.codex/auth.json`).
    pub fn shown(&self, path: &Path) -> String {
        match self.home.as_deref().and_then(|h| path.strip_prefix(h).ok()) {
            Some(rel) => format!("~/{}", rel.display()),
            None => path.display().to_string(),
        }
    }
}
