//! Which webhook endpoints of a project Warden may deliver to now: the merged configuration's
//! `[[webhook]]` entries that are switched on, trusted (an entry of the project file only
//! after the person trusted that exact content; the person's own entries always) and whose
//! secret is at hand. The one place that decides it, for the command line (`warden webhooks`),
//! the session's publisher and the outbox's worker alike.

use crate::config::{self, ConfigError, Disabled, EndpointError, Entry, GateConfig, Webhook};
use crate::secrets::Secrets;
use crate::trust::{EntryTrust, TrustError, TrustStore};
use std::path::{Path, PathBuf};
use warden_webhooks::{Endpoint, EndpointSource};

/// Why the project's endpoints cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum EndpointsError {
    /// A layer of the configuration has errors: nothing of it is used.
    #[error("the checks configuration has errors:\n{}", lines(.0))]
    Config(Vec<ConfigError>),
    /// The trust record could not be read.
    #[error(transparent)]
    Trust(#[from] TrustError),
}

fn lines(errors: &[ConfigError]) -> String {
    errors.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n")
}

/// Why one configured endpoint cannot be delivered to now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unusable {
    /// The entry is switched off.
    #[error("webhook `{id}` is {reason}")]
    Disabled {
        /// The webhook.
        id: String,
        /// Why.
        reason: Disabled,
    },
    /// The entry comes from a project file the person has not trusted as it is.
    #[error("webhook `{id}` is not trusted: {reason}")]
    NotTrusted {
        /// The webhook.
        id: String,
        /// Why, and what to do.
        reason: String,
    },
    /// Its secret is missing or unusable.
    #[error(transparent)]
    Endpoint(#[from] EndpointError),
    /// The configuration has no such entry.
    #[error("no webhook `{id}` in {project}")]
    Unknown {
        /// The webhook.
        id: String,
        /// The project folder.
        project: String,
    },
}

/// One `[[webhook]]` entry and whether it can be delivered to now.
#[derive(Debug, Clone)]
pub struct Configured {
    /// The entry's id.
    pub id: String,
    /// The endpoint, or why it cannot be used.
    pub endpoint: Result<Endpoint, Unusable>,
}

/// The trust of `entry` of `config` (read from `project`'s trust record in `data_dir`).
pub fn entry_trust<T>(entry: &Entry<T>, config: &GateConfig, project: &Path, data_dir: &Path) -> Result<EntryTrust, TrustError> {
    let file = TrustStore::new(data_dir, project).file_trust(config.project_file.as_ref().map(|f| f.sha256.as_str()))?;
    Ok(EntryTrust::of(entry.source, &file))
}

/// Every webhook entry of `config` with its endpoint or why it cannot be used; secrets are
/// looked up in `secrets` (pass [`Secrets::system`]; tests pass their own).
pub fn configured_in(config: &GateConfig, project: &Path, data_dir: &Path, secrets: &Secrets) -> Result<Vec<Configured>, TrustError> {
    let mut out = Vec::with_capacity(config.webhooks.len());
    for entry in &config.webhooks {
        out.push(Configured { id: entry.id.clone(), endpoint: usable(entry, config, project, data_dir, secrets)? });
    }
    Ok(out)
}

fn usable(
    entry: &Entry<Webhook>,
    config: &GateConfig,
    project: &Path,
    data_dir: &Path,
    secrets: &Secrets,
) -> Result<Result<Endpoint, Unusable>, TrustError> {
    let id = entry.id.clone();
    if let Some(reason) = &entry.disabled {
        return Ok(Err(Unusable::Disabled { id, reason: reason.clone() }));
    }
    if let EntryTrust::NotTrusted(reason) = entry_trust(entry, config, project, data_dir)? {
        return Ok(Err(Unusable::NotTrusted { id, reason }));
    }
    Ok(config::to_endpoint(&entry.spec, secrets).map_err(Unusable::from))
}

/// Every webhook entry of `project` (its canonical folder), read now, with secrets from the
/// process's environment and the OS keychain.
pub fn configured(project: &Path, data_dir: &Path) -> Result<Vec<Configured>, EndpointsError> {
    let config = config::load(project, data_dir).map_err(EndpointsError::Config)?;
    Ok(configured_in(&config, project, data_dir, &Secrets::system())?)
}

/// The endpoints of `project` that may be delivered to now. Entries that cannot be used are
/// left out (each is logged: the CLI's `warden webhooks list` says why).
pub fn endpoints_for(project: &Path, data_dir: &Path) -> Result<Vec<Endpoint>, EndpointsError> {
    Ok(configured(project, data_dir)?
        .into_iter()
        .filter_map(|c| c.endpoint.map_err(|why| tracing::debug!(project = %project.display(), "webhook not used: {why}")).ok())
        .collect())
}

/// The endpoint `id` of `project` as it may be used now, or why not.
pub fn endpoint(project: &Path, data_dir: &Path, id: &str) -> Result<Result<Endpoint, Unusable>, EndpointsError> {
    Ok(configured(project, data_dir)?
        .into_iter()
        .find(|c| c.id == id)
        .map(|c| c.endpoint)
        .unwrap_or_else(|| Err(Unusable::Unknown { id: id.to_owned(), project: project.display().to_string() })))
}

/// The outbox worker's view of the endpoints: looked up when a delivery is due, so a secret is
/// never stored, and an endpoint switched off, untrusted or removed since the event was queued
/// is not delivered to.
#[derive(Debug, Clone)]
pub struct ConfiguredEndpoints {
    data_dir: PathBuf,
}

impl ConfiguredEndpoints {
    /// Endpoints as configured for projects, with the trust records and personal layers in
    /// `data_dir`.
    pub fn new(data_dir: &Path) -> Self {
        Self { data_dir: data_dir.to_path_buf() }
    }
}

impl EndpointSource for ConfiguredEndpoints {
    fn endpoint(&self, project: &str, id: &str) -> Option<Endpoint> {
        match endpoint(Path::new(project), &self.data_dir, id) {
            Ok(Ok(endpoint)) => Some(endpoint),
            Ok(Err(why)) => {
                tracing::warn!(project, "webhook delivery not sent: {why}");
                None
            }
            Err(e) => {
                tracing::warn!(project, "webhook delivery not sent: {e}");
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trust::{content_hash, Decision};
    use warden_webhooks::EventType;

    const FILE: &str = "version = 1\n\
        [[webhook]]\nid = \"team\"\nurl = \"http://127.0.0.1:9/team\"\nallow_private = true\nevents = [\"task.finished\"]\nsignature = \"none\"\n\
        [[webhook]]\nid = \"off\"\nurl = \"http://127.0.0.1:9/off\"\nallow_private = true\nevents = [\"*\"]\nsignature = \"none\"\ndisabled = true\n\
        [[webhook]]\nid = \"signed\"\nurl = \"http://127.0.0.1:9/signed\"\nallow_private = true\nevents = [\"*\"]\nsecret = { env = \"WARDEN_TEST_UNSET_SECRET_4\" }\n";

    fn project_with_file() -> (tempfile::TempDir, tempfile::TempDir, PathBuf) {
        let project = tempfile::tempdir().unwrap();
        let data = tempfile::tempdir().unwrap();
        let path = project.path().canonicalize().unwrap();
        std::fs::create_dir_all(path.join(".warden")).unwrap();
        std::fs::write(path.join(config::PROJECT_FILE), FILE).unwrap();
        (project, data, path)
    }

    #[test]
    fn project_endpoints_are_used_only_once_trusted_and_switched_on_with_their_secret() {
        let (_p, data, project) = project_with_file();
        let before = configured(&project, data.path()).unwrap();
        assert_eq!(before.len(), 3);
        assert!(matches!(&before[0].endpoint, Err(Unusable::NotTrusted { id, .. }) if id == "team"), "{before:?}");
        assert!(endpoints_for(&project, data.path()).unwrap().is_empty(), "nothing of an untrusted file is used");

        TrustStore::new(data.path(), &project).decide(&content_hash(FILE.as_bytes()), Decision::Trust).unwrap();
        let after = configured(&project, data.path()).unwrap();
        let team = after[0].endpoint.as_ref().unwrap();
        assert_eq!((team.id.as_str(), team.events.as_slice()), ("team", [EventType::TaskFinished].as_slice()));
        assert!(matches!(&after[1].endpoint, Err(Unusable::Disabled { .. })));
        assert!(matches!(&after[2].endpoint, Err(Unusable::Endpoint(EndpointError::Secret(crate::secrets::SecretError::MissingVariable { .. })))));
        let usable: Vec<String> = endpoints_for(&project, data.path()).unwrap().into_iter().map(|e| e.id).collect();
        assert_eq!(usable, ["team"]);

        let with_secret = configured_in(&config::load(&project, data.path()).unwrap(), &project, data.path(), &Secrets::with_env(|_| Some("s3cret".into()))).unwrap();
        assert!(with_secret[2].endpoint.as_ref().unwrap().secret.is_some());
        assert!(matches!(endpoint(&project, data.path(), "nope").unwrap(), Err(Unusable::Unknown { .. })));

        // The worker looks endpoints up by id at delivery time; a changed file is untrusted again.
        let source = ConfiguredEndpoints::new(data.path());
        assert!(source.endpoint(&project.to_string_lossy(), "team").is_some());
        std::fs::write(project.join(config::PROJECT_FILE), format!("{FILE}\n# changed\n")).unwrap();
        assert!(source.endpoint(&project.to_string_lossy(), "team").is_none());
    }

    #[test]
    fn a_broken_file_is_an_error_not_an_empty_list() {
        let (_p, data, project) = project_with_file();
        std::fs::write(project.join(config::PROJECT_FILE), "version = 1\n[[webhook]]\nid = 3\n").unwrap();
        let err = endpoints_for(&project, data.path()).unwrap_err();
        assert!(matches!(err, EndpointsError::Config(_)) && err.to_string().contains("has errors"), "{err}");
    }
}
