//! The typed configuration of the task gate: `.warden/checks.toml` in the project (shared
//! through the repository) and the person's own layer for the project in Warden's data folder
//! (`<data>/checks/<project-key>.toml`), merged by id.
//!
//! The personal layer can add entries, set single fields of a project entry (same id), or
//! switch one off (`disabled = true`). Every merged entry records where it comes from. Errors
//! name the file, the line and column and the field; a file with any error is not used as a
//! whole ([`load`]), so the caller keeps what it had (see [`LastGood`]).

mod cwd;
mod endpoint;
mod error;
pub mod file;
mod merge;
mod model;
pub mod pipeline;
pub mod save;
pub mod schema;
pub mod values;
mod worktree;

pub use cwd::{normalize_cwd, resolve_cwd, CwdError};
pub use endpoint::{to_endpoint, EndpointError};
pub use error::ConfigError;
pub use file::{Feedback, Jitter, Mode, OnFailure, OnInfraError, ReviewScopeName, SeverityName, Signature, Trigger};
pub use merge::check_url;
pub use model::*;
pub use worktree::normalize_copy_path;
pub use values::{CommandGlobs, DurationText, EventName, ExitCodeFilter, Globs, ParserSpec, PathGlobs, SecretRef, EVENT_TYPES};

use error::SourceText;
use std::path::{Path, PathBuf};

/// Where the project file is, relative to the project.
pub const PROJECT_FILE: &str = ".warden/checks.toml";

/// The project file of `project`.
pub fn project_file(project: &Path) -> PathBuf {
    project.join(PROJECT_FILE)
}

/// A file name for the project's own files in the data folder: the folder's name (readable
/// when someone looks) and a hash of its canonical path (unique, and the same on every start).
pub fn project_key(project: &Path) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(project.to_string_lossy().as_bytes());
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    let name: String = warden_core::project_name(project)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .take(40)
        .collect();
    format!("{name}-{hex}")
}

/// The folder of the gate's per-project files in the data folder.
pub fn data_folder(data_dir: &Path) -> PathBuf {
    data_dir.join("checks")
}

/// Whether `project` has a checks configuration at all (its file or the person's layer): two
/// `stat`s, so a project without one costs nothing at a turn's end or on a task event.
pub fn exists(project: &Path, data_dir: &Path) -> bool {
    exists_in(project, project, data_dir)
}

/// [`exists`] with the personal layer of `home` (see [`inspect_in`]).
pub fn exists_in(project: &Path, home: &Path, data_dir: &Path) -> bool {
    project_file(project).exists() || personal_file(data_dir, home).exists()
}

/// The folder every check log is written beneath: the window reads logs from here and nowhere
/// else.
pub fn logs_folder(data_dir: &Path) -> PathBuf {
    data_folder(data_dir).join("logs")
}

/// The folder of `project`'s check logs (each run writes beneath it).
pub fn project_logs(data_dir: &Path, project: &Path) -> PathBuf {
    logs_folder(data_dir).join(project_key(project))
}

/// The person's layer for `project`.
pub fn personal_file(data_dir: &Path, project: &Path) -> PathBuf {
    data_folder(data_dir).join(format!("{}.toml", project_key(project)))
}

/// Reads a layer's file; `Ok(None)` when there is none.
fn read(path: &Path, shown: String, errors: &mut Vec<ConfigError>) -> Option<(SourceText, Vec<u8>)> {
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes.clone()) {
            Ok(text) => Some((SourceText::new(shown, text), bytes)),
            Err(_) => {
                errors.push(ConfigError { file: shown, line: None, column: None, field: None, entry: None, message: "the file is not UTF-8 text".to_owned() });
                None
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            errors.push(ConfigError { file: shown, line: None, column: None, field: None, entry: None, message: format!("cannot read it: {e}") });
            None
        }
    }
}

/// Reads and merges both layers of `project` (its canonical folder), returning what could be
/// read and every error. Nothing is written.
pub fn inspect(project: &Path, data_dir: &Path) -> Inspection {
    inspect_in(project, project, data_dir)
}

/// [`inspect`] of a folder whose personal layer is another's: `home` is the project whose
/// layer applies (the main folder of one of Warden's worktrees; the engine decides which),
/// while the project file is read from `project` itself.
pub fn inspect_in(project: &Path, home: &Path, data_dir: &Path) -> Inspection {
    let project_path = project_file(project);
    let personal_path = personal_file(data_dir, home);
    let mut errors = Vec::new();
    let project_read = read(&project_path, PROJECT_FILE.to_owned(), &mut errors);
    let personal_read = read(&personal_path, personal_path.display().to_string(), &mut errors);
    let file_info = project_read.as_ref().map(|(_, bytes)| FileInfo { path: project_path.clone(), sha256: crate::trust::content_hash(bytes) });
    let mut inspection = inspect_texts(
        project,
        project_read.map(|(text, _)| text),
        personal_read.map(|(text, _)| text),
        errors,
    );
    inspection.config.project_file = file_info;
    inspection.config.personal_file = personal_path;
    inspection
}

/// [`inspect`] over texts already read (tests, and callers that hold the text).
fn inspect_texts(project: &Path, project_text: Option<SourceText>, personal_text: Option<SourceText>, mut errors: Vec<ConfigError>) -> Inspection {
    let project_layer = project_text.and_then(|t| merge::parse_layer(Source::Project, t, &mut errors));
    let personal_layer = personal_text.and_then(|t| merge::parse_layer(Source::Personal, t, &mut errors));
    let config = if errors.is_empty() { merge::merge(project, project_layer, personal_layer, &mut errors) } else { GateConfig::default() };
    Inspection { config, errors }
}

/// Parses both layers from text, for tests and previews: `project_text` as the project file,
/// `personal_text` as the person's layer.
pub fn inspect_str(project: &Path, project_text: Option<&str>, personal_text: Option<&str>) -> Inspection {
    let as_source = |shown: &str, text: &str| SourceText::new(shown.to_owned(), text.to_owned());
    inspect_texts(
        project,
        project_text.map(|t| as_source(PROJECT_FILE, t)),
        personal_text.map(|t| as_source("personal checks.toml", t)),
        Vec::new(),
    )
}

/// The merged configuration of `project`, or every error when either file has one: a file
/// with an error is never used in part.
pub fn load(project: &Path, data_dir: &Path) -> Result<GateConfig, Vec<ConfigError>> {
    load_in(project, project, data_dir)
}

/// [`load`] with the personal layer of `home` (see [`inspect_in`]).
pub fn load_in(project: &Path, home: &Path, data_dir: &Path) -> Result<GateConfig, Vec<ConfigError>> {
    let inspection = inspect_in(project, home, data_dir);
    if inspection.errors.is_empty() {
        Ok(inspection.config)
    } else {
        Err(inspection.errors)
    }
}

/// Holds the last configuration that read without errors, so a file saved half-edited (or
/// broken) changes nothing until it is fixed; the errors are kept to be shown.
#[derive(Debug, Clone, Default)]
pub struct LastGood {
    config: Option<GateConfig>,
    errors: Vec<ConfigError>,
}

impl LastGood {
    /// Takes a fresh read: a good one replaces the configuration, a bad one only the errors.
    pub fn update(&mut self, read: Result<GateConfig, Vec<ConfigError>>) -> &[ConfigError] {
        match read {
            Ok(config) => {
                self.config = Some(config);
                self.errors.clear();
            }
            Err(errors) => self.errors = errors,
        }
        &self.errors
    }

    /// The configuration in use.
    pub fn config(&self) -> Option<&GateConfig> {
        self.config.as_ref()
    }

    /// What was wrong with the last read (empty when it was good).
    pub fn errors(&self) -> &[ConfigError] {
        &self.errors
    }
}

#[cfg(test)]
mod tests;
