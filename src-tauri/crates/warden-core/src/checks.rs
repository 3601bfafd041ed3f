//! The Checks panel's view of a project's checks configuration, as the window, `warden serve`
//! and their clients carry it: the merged entries with source, trust and errors, what trusting
//! the project file would allow (pinned to its hash), the person's decision, and a page of a
//! check's log. warden-gate fills these from its own types; they are plain data here so the
//! bindings and the remote protocol share them.

use serde::{Deserialize, Serialize};
use specta::Type;

/// Where an entry is defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ChecksSource {
    /// `.warden/checks.toml` in the project (needs the person's trust).
    Project,
    /// The person's own layer in Warden's data folder.
    Personal,
}

/// What an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ChecksEntryKind {
    /// A check (a command).
    Check,
    /// A webhook endpoint.
    Webhook,
    /// A reviewer (`[[review]]`).
    Review,
}

/// Where the project file stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ChecksFileTrust {
    /// The project has no checks file.
    NoFile,
    /// Trusted as it is.
    Trusted,
    /// Allowed to run once as it is.
    RunOnce,
    /// The person chose not to run this content.
    Refused,
    /// Never approved.
    NotTrusted,
    /// Approved for other content: the file changed since.
    Changed,
}

/// One thing wrong with a configuration file, placed in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChecksConfigError {
    /// The file as shown.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// 1-based column, when known.
    pub column: Option<u32>,
    /// The field, such as `check[2].timeout`.
    pub field: Option<String>,
    /// The entry's id.
    pub entry: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// One merged entry of the configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChecksEntry {
    /// Its id.
    pub id: String,
    /// What it is.
    pub kind: ChecksEntryKind,
    /// The layer that defines it.
    pub source: ChecksSource,
    /// Whether it may run.
    pub may_run: bool,
    /// Why it may not run (not trusted), in words.
    pub not_trusted: Option<String>,
    /// Why it is switched off, if it is.
    pub disabled: Option<String>,
    /// Fields the person's layer sets on it.
    pub overridden: Vec<String>,
    /// The file it is defined in.
    pub file: String,
    /// The line of its id.
    pub line: u32,
    /// What it runs or where it sends, in one line.
    pub summary: String,
    /// Its errors (an entry with errors never runs).
    pub errors: Vec<ChecksConfigError>,
}

/// One command trusting the project file would allow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TrustCommand {
    /// The check's id.
    pub id: String,
    /// The command as one line (argv quoted, or `sh -c "…"`).
    pub command: String,
    /// Whether it runs through the shell.
    pub shell: bool,
    /// The folder, relative to the project.
    pub cwd: String,
    /// The environment variables it sets (names only).
    pub env: Vec<String>,
    /// Whether the file switches it off.
    pub disabled: bool,
}

/// One URL trusting the project file would send events to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TrustUrl {
    /// The webhook's id.
    pub id: String,
    /// The URL.
    pub url: String,
    /// The events sent there.
    pub events: Vec<String>,
    /// Whether loopback and private addresses are allowed.
    pub allow_private: bool,
}

/// Everything trusting the project file as it is would allow: what the trust dialog shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChecksTrustRequest {
    /// The project file.
    pub file: String,
    /// The content shown; `checks_trust` must get it back, and refuses when the file changed.
    pub sha256: String,
    /// Every command.
    pub commands: Vec<TrustCommand>,
    /// Every webhook URL.
    pub urls: Vec<TrustUrl>,
    /// Every reviewer of the file, one line each: its agent, model and instructions.
    pub reviews: Vec<String>,
}

/// The project's checks configuration as the window shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChecksOverview {
    /// The project's folder.
    pub project: String,
    /// The project file's path, when there is one.
    pub project_file: Option<String>,
    /// Where the project file stands.
    pub trust: ChecksFileTrust,
    /// Rounds of one task at most (`[gate] max_rounds`), the person's own turn included.
    pub max_rounds: u32,
    /// The task cost at which automatic feedback stops (`[gate] budget_usd`), in US dollars;
    /// null when no budget is set.
    pub budget_usd: Option<f64>,
    /// The person's layer.
    pub personal_file: String,
    /// Whether the person's layer exists.
    pub personal_file_exists: bool,
    /// No errors anywhere.
    pub valid: bool,
    /// Every error, entries' included.
    pub errors: Vec<ChecksConfigError>,
    /// Every entry in file order.
    pub entries: Vec<ChecksEntry>,
    /// What trusting the project file would allow; absent without a file or when it has errors
    /// (a file with errors cannot be trusted).
    pub request: Option<ChecksTrustRequest>,
}

/// The person's decision about the project file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ChecksTrustDecision {
    /// Its commands and URLs may run until it changes.
    Trust,
    /// They may run once.
    RunOnce,
    /// They never run; asked again when it changes.
    DontRun,
    /// Forget the decision.
    Revoke,
}

/// A page of a check's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChecksLogPage {
    /// The text of the page (invalid UTF-8 replaced).
    pub text: String,
    /// Where the next page starts.
    pub next_offset: u64,
    /// The file's size now (a running check's log grows).
    pub size: u64,
}
