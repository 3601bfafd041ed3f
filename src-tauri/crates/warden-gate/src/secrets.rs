//! Where a webhook's signing secret is read when it is needed: an environment variable of
//! Warden's process (`secret = { env = "NAME" }`) or an entry of the operating system's
//! keychain (`secret = { keychain = "service/name" }`). The one place that resolves a
//! [`SecretRef`], for the window, `warden run` and `warden webhooks` alike; and the one that
//! stores a keychain secret (`warden webhooks secret set`).
//!
//! The keychain is the `keyring` crate's store of the platform: the login Keychain on macOS,
//! the Credential Manager on Windows, and on Linux the kernel's key retention service
//! (keyutils, no system library needed; its keys live in the person's session keyring and
//! are gone after a reboot, so a Linux person stores the secret again after one, or uses an
//! environment variable). Errors name the webhook and the entry, never the secret.

use crate::config::SecretRef;
use std::sync::Arc;
use warden_webhooks::Secret;

/// The service of a keychain entry named without one (`keychain = "review"`).
pub const DEFAULT_SERVICE: &str = "warden";

/// A keychain entry as the configuration names it: `service/name`, or `name` alone for
/// service [`DEFAULT_SERVICE`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeychainEntry {
    /// The entry's service (the keychain's "where").
    pub service: String,
    /// The entry's account name within the service.
    pub name: String,
}

impl KeychainEntry {
    /// Reads `service/name` (split at the first `/`) or `name`; `None` when a part is empty.
    pub fn parse(text: &str) -> Option<Self> {
        let (service, name) = text.split_once('/').unwrap_or((DEFAULT_SERVICE, text));
        let (service, name) = (service.trim(), name.trim());
        (!service.is_empty() && !name.is_empty()).then(|| Self { service: service.to_owned(), name: name.to_owned() })
    }
}

impl std::fmt::Display for KeychainEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.service, self.name)
    }
}

/// Why a keychain entry could not be read or written. The texts come from the platform's
/// store and never carry the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeychainError {
    /// The entry is not in the keychain.
    #[error("there is no keychain entry {0}")]
    Missing(KeychainEntry),
    /// The keychain could not be used (locked, refused, not available here).
    #[error("the keychain entry {entry} cannot be used: {reason}")]
    Unavailable {
        /// The entry.
        entry: KeychainEntry,
        /// What the platform said.
        reason: String,
    },
}

/// Builds the keyring entry for a keychain entry (the platform's store, or a test's).
pub type EntryBuilder = dyn Fn(&KeychainEntry) -> keyring::Result<keyring::Entry> + Send + Sync;

/// Looks up an environment variable (the process's, or a test's).
pub type EnvLookup = dyn Fn(&str) -> Option<String> + Send + Sync;

/// Where secrets are read: an environment and a keychain. [`Secrets::system`] is the process's
/// environment and the platform's keychain; tests pass their own.
#[derive(Clone)]
pub struct Secrets {
    env: Arc<EnvLookup>,
    keychain: Arc<EntryBuilder>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Secrets").finish_non_exhaustive()
    }
}

impl Default for Secrets {
    fn default() -> Self {
        Self::system()
    }
}

impl Secrets {
    /// The process's environment and the platform's keychain.
    pub fn system() -> Self {
        Self::new(|name| std::env::var(name).ok(), |entry| keyring::Entry::new(&entry.service, &entry.name))
    }

    /// Variables from `env`, the platform's keychain (tests of environment secrets).
    pub fn with_env(env: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        Self { env: Arc::new(env), ..Self::system() }
    }

    /// Variables from `env`, keychain entries built by `keychain` (tests: keyring's mock store).
    pub fn new(
        env: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
        keychain: impl Fn(&KeychainEntry) -> keyring::Result<keyring::Entry> + Send + Sync + 'static,
    ) -> Self {
        Self { env: Arc::new(env), keychain: Arc::new(keychain) }
    }

    /// The text of the keychain entry `entry`.
    pub fn keychain_text(&self, entry: &KeychainEntry) -> Result<String, KeychainError> {
        (self.keychain)(entry).and_then(|e| e.get_password()).map_err(|e| keychain_error(entry, e))
    }

    /// Stores `secret` as keychain entry `entry` (replacing what it held).
    pub fn store(&self, entry: &KeychainEntry, secret: &str) -> Result<(), KeychainError> {
        (self.keychain)(entry).and_then(|e| e.set_password(secret)).map_err(|e| match e {
            // keyring reports a refusal (keyutils' EACCES: no session keyring a process may
            // write, as in some containers) as "no entry", which means nothing for a write.
            keyring::Error::NoEntry => KeychainError::Unavailable {
                entry: entry.clone(),
                reason: "the keychain refused to store it (access denied, or no keyring for this login session)".to_owned(),
            },
            other => keychain_error(entry, other),
        })
    }

    /// Removes keychain entry `entry`; `false` when it was not there.
    pub fn remove(&self, entry: &KeychainEntry) -> Result<bool, KeychainError> {
        match (self.keychain)(entry).and_then(|e| e.delete_credential()) {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(keychain_error(entry, e)),
        }
    }

    /// The signing secret of webhook `id` from `source`, or why it cannot be had.
    pub fn resolve(&self, id: &str, source: &SecretRef) -> Result<Secret, SecretError> {
        let id = id.to_owned();
        let (text, from) = match source {
            SecretRef::Env(name) => {
                let from = format!("the environment variable {name}");
                match (self.env)(name).filter(|v| !v.is_empty()) {
                    Some(text) => (text, from),
                    None => return Err(SecretError::MissingVariable { id, name: name.clone() }),
                }
            }
            SecretRef::Keychain(raw) => {
                let entry = KeychainEntry::parse(raw).ok_or_else(|| SecretError::BadEntryName { id: id.clone(), entry: raw.clone() })?;
                let text = self.keychain_text(&entry).map_err(|problem| SecretError::Keychain { id: id.clone(), problem })?;
                (text, format!("the keychain entry {entry}"))
            }
        };
        Secret::parse(&text).map_err(|e| SecretError::Unusable { id, from, reason: e.to_string() })
    }
}

/// Why a webhook's secret could not be had. Every message names the webhook and where the
/// secret should be, never the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// The variable that should hold the secret is not set.
    #[error("webhook `{id}`: its secret comes from the environment variable {name}, which is not set; set it where Warden starts")]
    MissingVariable {
        /// The webhook.
        id: String,
        /// The variable.
        name: String,
    },
    /// The keychain entry is missing or the keychain cannot be used.
    #[error("webhook `{id}`: {problem}{}", hint(.problem))]
    Keychain {
        /// The webhook.
        id: String,
        /// What went wrong.
        problem: KeychainError,
    },
    /// `keychain = "…"` does not name an entry.
    #[error("webhook `{id}`: keychain = {entry:?} does not name an entry: write keychain = \"service/name\"")]
    BadEntryName {
        /// The webhook.
        id: String,
        /// What the file says.
        entry: String,
    },
    /// The secret is there but is not usable.
    #[error("webhook `{id}`: the secret in {from} is not usable: {reason}")]
    Unusable {
        /// The webhook.
        id: String,
        /// Where it was read (`the environment variable X`, `the keychain entry s/n`).
        from: String,
        /// Why.
        reason: String,
    },
}

fn hint(problem: &KeychainError) -> String {
    match problem {
        KeychainError::Missing(entry) => format!("; store it with `warden webhooks secret set {entry}` (the secret on standard input)"),
        KeychainError::Unavailable { .. } => String::new(),
    }
}

/// The platform's error as words that cannot carry the secret (keyring's `BadEncoding` holds
/// the entry's bytes).
fn keychain_error(entry: &KeychainEntry, e: keyring::Error) -> KeychainError {
    let reason = match e {
        keyring::Error::NoEntry => return KeychainError::Missing(entry.clone()),
        keyring::Error::BadEncoding(_) => "its content is not UTF-8 text".to_owned(),
        keyring::Error::PlatformFailure(e) => format!("the keychain failed: {e}"),
        keyring::Error::NoStorageAccess(e) => format!("the keychain cannot be reached: {e}"),
        keyring::Error::TooLong(what, limit) => format!("its {what} is longer than the keychain allows ({limit})"),
        keyring::Error::Invalid(what, why) => format!("its {what} is invalid: {why}"),
        keyring::Error::Ambiguous(found) => format!("{} keychain items match it", found.len()),
        other => other.to_string(),
    };
    KeychainError::Unavailable { entry: entry.clone(), reason }
}

#[cfg(test)]
#[path = "secrets_tests.rs"]
mod tests;
