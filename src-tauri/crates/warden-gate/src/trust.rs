//! Trust in the project file: its commands, URLs and reviewers (agents given the file's prompt
//! text) run only after the person approved that
//! exact content. The decision is pinned to the SHA-256 of the file (line endings normalised,
//! so a Windows checkout of the same commit does not ask again) and stored per project in the
//! data folder, owner-only. A changed file is untrusted again; entries of the person's own
//! layer are theirs and always trusted.

use crate::config::{self, CheckCommand, ConfigError, Source};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

/// SHA-256 (hex) of a file's content with every CRLF read as LF.
pub fn content_hash(bytes: &[u8]) -> String {
    let mut hasher = Sha256::new();
    let mut start = 0;
    for (i, pair) in bytes.windows(2).enumerate() {
        if pair == b"\r\n" {
            hasher.update(&bytes[start..i]);
            start = i + 1;
        }
    }
    hasher.update(&bytes[start..]);
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// What the person decided about one content of the project file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    /// Its commands and URLs may run, until the file changes.
    Trust,
    /// They may run once; the next run asks again.
    RunOnce,
    /// They never run; asked again when the file changes.
    DontRun,
}

/// The stored decision of a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrustRecord {
    /// The project's canonical folder.
    pub project: String,
    /// The content the decision is about ([`content_hash`]).
    pub sha256: String,
    /// The decision.
    pub decision: Decision,
    /// When it was made (Unix milliseconds).
    pub decided_at_ms: u64,
}

/// Where the project file stands now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "state")]
pub enum FileTrust {
    /// The project has no checks file.
    NoFile,
    /// Trusted as it is.
    Trusted,
    /// Allowed to run once as it is.
    RunOnce,
    /// The person chose not to run this content.
    Refused,
    /// Never approved, or approved for other content.
    NotTrusted {
        /// Whether a decision exists for an earlier content (the file changed since).
        changed: bool,
    },
}

impl FileTrust {
    /// The state of the file whose content hashes to `current`, given the stored decision.
    pub fn of(record: Option<&TrustRecord>, current: Option<&str>) -> Self {
        let Some(current) = current else { return Self::NoFile };
        match record {
            Some(r) if r.sha256 == current => match r.decision {
                Decision::Trust => Self::Trusted,
                Decision::RunOnce => Self::RunOnce,
                Decision::DontRun => Self::Refused,
            },
            Some(_) => Self::NotTrusted { changed: true },
            None => Self::NotTrusted { changed: false },
        }
    }

    /// Whether the file's commands may run now.
    pub fn allows_running(&self) -> bool {
        matches!(self, Self::Trusted | Self::RunOnce)
    }
}

/// Whether one entry may run, and why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "state", content = "reason")]
pub enum EntryTrust {
    /// From the project file, which the person trusted (or allowed once).
    Trusted,
    /// From the person's own layer.
    Personal,
    /// From the project file, not trusted: never run, always shown as such.
    NotTrusted(String),
}

impl EntryTrust {
    /// The trust of an entry from `source`, with the project file in `file` state.
    pub fn of(source: Source, file: &FileTrust) -> Self {
        match (source, file) {
            (Source::Personal, _) => Self::Personal,
            (Source::Project, FileTrust::Trusted | FileTrust::RunOnce) => Self::Trusted,
            (Source::Project, FileTrust::Refused) => Self::NotTrusted("you chose not to run the project's checks file as it is".to_owned()),
            (Source::Project, FileTrust::NotTrusted { changed: true }) => {
                Self::NotTrusted("the project's checks file changed since you trusted it: review it with `warden checks trust`".to_owned())
            }
            (Source::Project, _) => Self::NotTrusted("the project's checks file has not been approved: review it with `warden checks trust`".to_owned()),
        }
    }

    /// Whether the entry may run.
    pub fn may_run(&self) -> bool {
        !matches!(self, Self::NotTrusted(_))
    }

    /// One word for lists: trusted, personal, not trusted.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Trusted => "trusted",
            Self::Personal => "personal",
            Self::NotTrusted(_) => "not trusted",
        }
    }
}

/// Why a trust decision could not be read or stored.
#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    /// The record could not be read or written.
    #[error("trust record {path}: {reason}")]
    Io {
        /// The record's file.
        path: String,
        /// What went wrong.
        reason: String,
    },
    /// The project file has errors: nothing about it can be trusted until they are fixed.
    #[error("the checks file has errors; nothing was trusted")]
    Invalid(Vec<ConfigError>),
    /// The project has no checks file.
    #[error("{0} does not exist: there is nothing to trust")]
    NoFile(String),
}

/// The trust decisions of one project, in `<data>/checks/<project-key>.trust.json`.
#[derive(Debug, Clone)]
pub struct TrustStore {
    path: PathBuf,
    project: PathBuf,
}

impl TrustStore {
    /// The store of `project` (its canonical folder).
    pub fn new(data_dir: &Path, project: &Path) -> Self {
        let path = config::data_folder(data_dir).join(format!("{}.trust.json", config::project_key(project)));
        Self { path, project: project.to_path_buf() }
    }

    /// The record's file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn io(&self, e: impl std::fmt::Display) -> TrustError {
        TrustError::Io { path: self.path.display().to_string(), reason: e.to_string() }
    }

    /// The stored decision, if any. A record for another project (a copied data folder) or one
    /// that cannot be read counts as none: the person is asked again, which is the safe side.
    pub fn read(&self) -> Result<Option<TrustRecord>, TrustError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.io(e)),
        };
        match serde_json::from_slice::<TrustRecord>(&bytes) {
            Ok(record) if record.project == self.project.to_string_lossy() => Ok(Some(record)),
            Ok(_) => Ok(None),
            Err(e) => {
                tracing::warn!(path = %self.path.display(), "unreadable trust record, asking again: {e}");
                Ok(None)
            }
        }
    }

    /// Stores `decision` for the content hashing to `sha256`, replacing any earlier one. The
    /// file is written whole and renamed into place, owner-only.
    pub fn decide(&self, sha256: &str, decision: Decision) -> Result<TrustRecord, TrustError> {
        let record = TrustRecord {
            project: self.project.to_string_lossy().into_owned(),
            sha256: sha256.to_owned(),
            decision,
            decided_at_ms: warden_disk::now_ms(),
        };
        let folder = self.path.parent().ok_or_else(|| self.io("no folder"))?;
        warden_disk::private::create_dir(folder).map_err(|e| self.io(e))?;
        let text = serde_json::to_vec_pretty(&record).map_err(|e| self.io(e))?;
        let tmp = self.path.with_extension(format!("tmp-{}", std::process::id()));
        let _ = std::fs::remove_file(&tmp);
        let mut file = warden_disk::private::create_new(&tmp).map_err(|e| self.io(e))?;
        file.write_all(&text).and_then(|()| file.sync_all()).map_err(|e| self.io(e))?;
        drop(file);
        std::fs::rename(&tmp, &self.path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            self.io(e)
        })?;
        Ok(record)
    }

    /// Forgets the decision; returns whether there was one.
    pub fn revoke(&self) -> Result<bool, TrustError> {
        match std::fs::remove_file(&self.path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(self.io(e)),
        }
    }

    /// Uses up a run-once decision for `sha256`: `true` (and the decision is forgotten, so the
    /// next run asks again) when there was one for that content.
    pub fn take_run_once(&self, sha256: &str) -> Result<bool, TrustError> {
        match self.read()? {
            Some(r) if r.decision == Decision::RunOnce && r.sha256 == sha256 => self.revoke(),
            _ => Ok(false),
        }
    }

    /// The project file's state now, given its current hash (`None`: no file).
    pub fn file_trust(&self, current: Option<&str>) -> Result<FileTrust, TrustError> {
        Ok(FileTrust::of(self.read()?.as_ref(), current))
    }
}

/// The id under which the trust request lists `[worktree] setup` (run in each new worktree).
pub const WORKTREE_SETUP_ID: &str = "worktree.setup";

/// One command the project file would run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommandToTrust {
    /// The check's id.
    pub id: String,
    /// The command.
    pub command: CheckCommand,
    /// The folder, relative to the project.
    pub cwd: String,
    /// The names of the environment variables it sets (values are in the file).
    pub env: Vec<String>,
    /// Whether the file switches it off (it still becomes runnable by a personal override).
    pub disabled: bool,
}

/// One URL the project file would send events to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UrlToTrust {
    /// The webhook's id.
    pub id: String,
    /// The URL.
    pub url: String,
    /// The events sent there.
    pub events: Vec<String>,
    /// Whether loopback and private addresses are allowed.
    pub allow_private: bool,
}

/// One reviewer the project file would start, with the prompt text it would be given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewToTrust {
    /// The review's id.
    pub id: String,
    /// The reviewer agent, as the file names it.
    pub agent: String,
    /// Its model, when the file sets one.
    pub model: Option<String>,
    /// The instructions the file gives the reviewer (prompt text from the repository).
    pub instructions: Option<String>,
    /// Whether the file switches it off.
    pub disabled: bool,
}

impl ReviewToTrust {
    /// One line for lists: `id: agent codex, model m — "instructions"`.
    pub fn describe(&self) -> String {
        let mut line = format!("{}: agent {}", self.id, self.agent);
        if let Some(model) = &self.model {
            line.push_str(&format!(", model {model}"));
        }
        match &self.instructions {
            Some(text) => line.push_str(&format!(", instructions {:?}", text.trim())),
            None => line.push_str(", no instructions of its own"),
        }
        if self.disabled {
            line.push_str(" (disabled in the file)");
        }
        line
    }
}

/// Everything trusting the project file as it is would allow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrustRequest {
    /// The project file.
    pub file: PathBuf,
    /// The content this is about; pass it to [`TrustStore::decide`], so what is trusted is
    /// exactly what was shown even if the file changes meanwhile.
    pub sha256: String,
    /// Every command.
    pub commands: Vec<CommandToTrust>,
    /// Every webhook URL.
    pub urls: Vec<UrlToTrust>,
    /// Every reviewer, with its agent, model and instructions.
    pub reviews: Vec<ReviewToTrust>,
    /// The state of the file now.
    pub current: FileTrust,
}

/// What trusting `project`'s checks file would allow, read from the project file alone (the
/// person's layer is theirs and needs no trust). A file with errors is refused as a whole.
pub fn trust_request(project: &Path, data_dir: &Path) -> Result<TrustRequest, TrustError> {
    let file = config::project_file(project);
    let bytes = match std::fs::read(&file) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(TrustError::NoFile(file.display().to_string())),
        Err(e) => return Err(TrustError::Io { path: file.display().to_string(), reason: e.to_string() }),
    };
    let sha256 = content_hash(&bytes);
    let text = String::from_utf8(bytes).map_err(|_| TrustError::Io { path: file.display().to_string(), reason: "not UTF-8 text".to_owned() })?;
    let inspection = config::inspect_str(project, Some(&text), None);
    if !inspection.errors.is_empty() {
        return Err(TrustError::Invalid(inspection.errors));
    }
    let current = TrustStore::new(data_dir, project).file_trust(Some(&sha256))?;
    let c = inspection.config;
    let mut commands: Vec<CommandToTrust> = c
        .checks
        .iter()
        .map(|e| CommandToTrust {
            id: e.id.clone(),
            command: e.spec.command.clone(),
            cwd: e.spec.cwd.clone(),
            env: e.spec.env.keys().cloned().collect(),
            disabled: e.disabled.is_some(),
        })
        .collect();
    // Trusting the file lets its worktree setup command run too, so it is shown with the checks.
    if let Some(setup) = &c.worktree.setup {
        commands.push(CommandToTrust {
            id: WORKTREE_SETUP_ID.to_owned(),
            command: CheckCommand::Shell(setup.clone()),
            cwd: ".".to_owned(),
            env: Vec::new(),
            disabled: false,
        });
    }
    Ok(TrustRequest {
        file,
        sha256,
        commands,
        urls: c
            .webhooks
            .iter()
            .map(|e| UrlToTrust {
                id: e.id.clone(),
                url: e.spec.url.clone(),
                events: e.spec.events.iter().map(|e| e.0.clone()).collect(),
                allow_private: e.spec.allow_private,
            })
            .collect(),
        reviews: c
            .reviews
            .iter()
            .map(|e| ReviewToTrust {
                id: e.id.clone(),
                agent: e.spec.agent.label().to_owned(),
                model: e.spec.model.clone(),
                instructions: e.spec.instructions.clone(),
                disabled: e.disabled.is_some(),
            })
            .collect(),
        current,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_and_lf_hash_the_same_and_other_bytes_do_not() {
        assert_eq!(content_hash(b"a = 1\r\nb = 2\r\n"), content_hash(b"a = 1\nb = 2\n"));
        assert_ne!(content_hash(b"a = 1\n"), content_hash(b"a = 2\n"));
        assert_ne!(content_hash(b"a\rb"), content_hash(b"ab"), "a lone CR is content");
        assert_eq!(content_hash(b"").len(), 64);
    }

    #[test]
    fn a_decision_holds_for_its_content_only() {
        let record = TrustRecord { project: "/p".into(), sha256: "aa".into(), decision: Decision::Trust, decided_at_ms: 0 };
        assert_eq!(FileTrust::of(Some(&record), Some("aa")), FileTrust::Trusted);
        assert_eq!(FileTrust::of(Some(&record), Some("bb")), FileTrust::NotTrusted { changed: true });
        assert_eq!(FileTrust::of(None, Some("bb")), FileTrust::NotTrusted { changed: false });
        assert_eq!(FileTrust::of(None, None), FileTrust::NoFile);
        assert!(EntryTrust::of(Source::Personal, &FileTrust::NotTrusted { changed: false }).may_run());
        assert!(!EntryTrust::of(Source::Project, &FileTrust::Refused).may_run());
    }

    #[test]
    fn the_request_shows_each_reviewers_agent_model_and_instructions() {
        let project = tempfile::tempdir().unwrap();
        let data = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(project.path().join(".warden")).unwrap();
        let text = "version = 1\n[[review]]\nid = \"second\"\nagent = \"codex\"\nmodel = \"gpt-5\"\ninstructions = \"Ignore the tests.\"\n";
        std::fs::write(config::project_file(project.path()), text).unwrap();
        let request = trust_request(project.path(), data.path()).unwrap();
        assert_eq!(request.reviews.len(), 1);
        let line = request.reviews[0].describe();
        assert_eq!(line, "second: agent codex, model gpt-5, instructions \"Ignore the tests.\"");
        assert_eq!(request.current, FileTrust::NotTrusted { changed: false });
        assert!(!EntryTrust::of(Source::Project, &request.current).may_run(), "an untrusted file's reviews never run");
    }

    #[cfg(unix)]
    #[test]
    fn decisions_are_stored_owner_only_and_run_once_is_used_up() {
        use std::os::unix::fs::PermissionsExt;
        let data = tempfile::tempdir().unwrap();
        let store = TrustStore::new(data.path(), Path::new("/srv/app"));
        assert_eq!(store.read().unwrap(), None);
        store.decide("aa", Decision::RunOnce).unwrap();
        let mode = std::fs::metadata(store.path()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert!(!store.take_run_once("bb").unwrap(), "not for other content");
        assert!(store.take_run_once("aa").unwrap());
        assert!(!store.take_run_once("aa").unwrap(), "once");
        store.decide("aa", Decision::Trust).unwrap();
        let other = TrustStore::new(data.path(), Path::new("/srv/other"));
        assert_eq!(other.read().unwrap(), None, "per project");
        assert!(store.revoke().unwrap());
        assert_eq!(store.file_trust(Some("aa")).unwrap(), FileTrust::NotTrusted { changed: false });
    }
}
