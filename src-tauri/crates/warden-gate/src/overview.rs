//! Everything `warden checks list` and the settings view show about a project's checks file:
//! each entry with its kind, source, trust, why it is off, and its errors.

use crate::config::{self, ConfigError, EntryKind, Location, Source};
use crate::trust::{EntryTrust, FileTrust, TrustError, TrustStore};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The project file and its trust.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectFileState {
    /// Its path.
    pub path: PathBuf,
    /// The hash its trust is pinned to.
    pub sha256: String,
    /// Whether it is trusted as it is.
    pub trust: FileTrust,
}

/// One entry of either layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryRow {
    /// Its id.
    pub id: String,
    /// Its kind.
    pub kind: EntryKind,
    /// The layer that defines it.
    pub source: Source,
    /// Whether it may run.
    pub trust: EntryTrust,
    /// Why it is switched off, if it is.
    pub disabled: Option<String>,
    /// Fields the personal layer set on it.
    pub overridden: Vec<String>,
    /// Where it is defined.
    pub location: Location,
    /// What it runs or where it sends, in one line (empty when it has errors).
    pub summary: String,
    /// Its errors (an entry with errors never runs).
    pub errors: Vec<ConfigError>,
}

/// The whole picture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Overview {
    /// The project's folder.
    pub project: PathBuf,
    /// The project file, when there is one.
    pub project_file: Option<ProjectFileState>,
    /// The person's layer.
    pub personal_file: PathBuf,
    /// Whether the person's layer exists.
    pub personal_file_exists: bool,
    /// No errors anywhere: the configuration is usable.
    pub valid: bool,
    /// Every error, entries' included.
    pub errors: Vec<ConfigError>,
    /// Every entry, in file order.
    pub entries: Vec<EntryRow>,
}

/// Reads both layers and the trust record of `project` (its canonical folder).
pub fn overview(project: &Path, data_dir: &Path) -> Result<Overview, TrustError> {
    let inspection = config::inspect(project, data_dir);
    let c = &inspection.config;
    let sha = c.project_file.as_ref().map(|f| f.sha256.clone());
    let file_trust = TrustStore::new(data_dir, project).file_trust(sha.as_deref())?;
    let errors_of = |id: &str| -> Vec<ConfigError> { inspection.errors.iter().filter(|e| e.entry.as_deref() == Some(id)).cloned().collect() };
    let row = |id: &str, kind: EntryKind, source: Source, disabled: Option<String>, overridden: &[String], location: &Location, summary: String| EntryRow {
        id: id.to_owned(),
        kind,
        source,
        trust: EntryTrust::of(source, &file_trust),
        disabled,
        overridden: overridden.to_vec(),
        location: location.clone(),
        summary,
        errors: errors_of(id),
    };
    let mut entries = Vec::new();
    for e in &c.checks {
        let summary = format!("{}{}", e.spec.command, if e.spec.cwd == "." { String::new() } else { format!("  (in {})", e.spec.cwd) });
        entries.push(row(&e.id, EntryKind::Check, e.source, e.disabled.as_ref().map(ToString::to_string), &e.overridden, &e.location, summary));
    }
    for e in &c.webhooks {
        entries.push(row(&e.id, EntryKind::Webhook, e.source, e.disabled.as_ref().map(ToString::to_string), &e.overridden, &e.location, e.spec.url.clone()));
    }
    for e in &c.reviews {
        let r = &e.spec;
        let mut summary = format!("reviewer {}", r.agent);
        if let Some(model) = &r.model {
            summary.push_str(&format!(":{model}"));
        }
        let blocks: Vec<&str> = r.block_on.iter().map(|s| s.as_str()).collect();
        summary.push_str(&if blocks.is_empty() { ", reports only".to_owned() } else { format!(", blocks on {}", blocks.join("+")) });
        if !r.after.is_empty() {
            summary.push_str(&format!(", after {}", r.after.join(", ")));
        }
        entries.push(row(&e.id, EntryKind::Review, e.source, e.disabled.as_ref().map(ToString::to_string), &e.overridden, &e.location, summary));
    }
    for u in &c.unresolved {
        entries.push(row(&u.id, u.kind, u.source, Some("it has errors".to_owned()), &[], &u.location, String::new()));
    }
    Ok(Overview {
        project: project.to_path_buf(),
        project_file: c.project_file.as_ref().map(|f| ProjectFileState { path: f.path.clone(), sha256: f.sha256.clone(), trust: file_trust.clone() }),
        personal_file_exists: c.personal_file.is_file(),
        personal_file: c.personal_file.clone(),
        valid: inspection.errors.is_empty(),
        errors: inspection.errors.clone(),
        entries,
    })
}
