//! The configuration once both layers are merged and every default filled in: what the gate,
//! the runner and the webhook outbox work from.

use super::error::ConfigError;
use super::file::{Feedback, Jitter, Mode, OnFailure, OnInfraError, ReviewScopeName, Signature, Trigger};
use super::values::{CommandGlobs, EventName, ExitCodeFilter, ParserSpec, PathGlobs, SecretRef};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;
use warden_core::review::ReviewSeverity;
use warden_core::session::AgentKind;

/// The default of `[gate] max_rounds`.
pub const DEFAULT_MAX_ROUNDS: u32 = 3;
/// The default of a check's `timeout`.
pub const DEFAULT_CHECK_TIMEOUT: Duration = Duration::from_secs(10 * 60);
/// The default of a webhook's `timeout`.
pub const DEFAULT_WEBHOOK_TIMEOUT: Duration = Duration::from_secs(30);
/// The default of `[worktree] setup_timeout`.
pub const DEFAULT_SETUP_TIMEOUT: Duration = Duration::from_secs(10 * 60);
/// The default retry schedule of a webhook (the seeds': 3 retries after 1 s, 2 s, 4 s).
pub const DEFAULT_RETRY_SCHEDULE: [Duration; 3] = [Duration::from_secs(1), Duration::from_secs(2), Duration::from_secs(4)];

/// Which layer an entry comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Source {
    /// `.warden/checks.toml` in the project, shared through the repository: its commands and
    /// URLs need the person's trust.
    Project,
    /// The person's own layer for the project, in Warden's data folder.
    Personal,
}

/// The kinds of entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum EntryKind {
    /// `[[check]]`.
    Check,
    /// `[[webhook]]`.
    Webhook,
    /// `[[review]]`.
    Review,
}

impl EntryKind {
    /// The name as in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Check => "check",
            Self::Webhook => "webhook",
            Self::Review => "review",
        }
    }
}

/// An entry that could not be resolved (its errors are in [`Inspection::errors`]), so lists
/// still show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Unresolved {
    /// The entry's id.
    pub id: String,
    /// Its kind.
    pub kind: EntryKind,
    /// The layer that defines it.
    pub source: Source,
    /// Where it is defined.
    pub location: Location,
}

/// Why an entry is switched off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "detail")]
pub enum Disabled {
    /// `disabled = true` in the project file.
    InProjectFile,
    /// `disabled = true` in the person's layer.
    InPersonalLayer,
    /// The entry uses something this version reads but cannot do yet.
    NotSupported(String),
}

impl std::fmt::Display for Disabled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::InProjectFile => f.write_str("disabled in the project file"),
            Self::InPersonalLayer => f.write_str("disabled in your personal layer"),
            Self::NotSupported(what) => write!(f, "not supported yet: {what}"),
        }
    }
}

/// Where in which file an entry is defined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    /// The file, as shown in messages.
    pub file: String,
    /// 1-based line of its `id`.
    pub line: usize,
}

/// One merged entry of a kind (`Check`, `Webhook`, `Review`) with where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry<T> {
    /// The entry's id.
    pub id: String,
    /// The layer that defines it; a project entry the person overrode stays `Project` (its
    /// command still needs trust) and lists the overridden fields in `overridden`.
    pub source: Source,
    /// Fields the personal layer set on a project entry.
    pub overridden: Vec<String>,
    /// Why it is switched off, if it is.
    pub disabled: Option<Disabled>,
    /// Where it is defined.
    pub location: Location,
    /// What it does.
    pub spec: T,
}

/// `[gate]` with defaults applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GateSettings {
    /// Rounds of one task at most, the person's own turn included.
    pub max_rounds: u32,
    /// The feedback of checks that do not set their own.
    pub feedback: Feedback,
    /// What a check that cannot run does to the gate.
    pub on_infra_error: OnInfraError,
    /// The cost of a task (all its turns, as the agent reports it) at which automatic feedback
    /// stops, in US dollars; `None`: no budget.
    pub budget_usd: Option<f64>,
}

impl Default for GateSettings {
    fn default() -> Self {
        Self { max_rounds: DEFAULT_MAX_ROUNDS, feedback: Feedback::Ask, on_infra_error: OnInfraError::Report, budget_usd: None }
    }
}

/// The command of a check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum CheckCommand {
    /// Program and arguments, run without a shell.
    Argv(Vec<String>),
    /// One line for the shell.
    Shell(String),
}

impl std::fmt::Display for CheckCommand {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Argv(argv) => {
                let quoted: Vec<String> = argv
                    .iter()
                    .map(|a| if a.is_empty() || a.contains(|c: char| c.is_whitespace() || "'\"\\$`".contains(c)) { format!("{a:?}") } else { a.clone() })
                    .collect();
                f.write_str(&quoted.join(" "))
            }
            Self::Shell(line) => write!(f, "sh -c {line:?}"),
        }
    }
}

/// `when.*` as compiled filters; see [`crate::filters`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct When {
    /// Globs over the task's changed paths.
    pub changed: Option<PathGlobs>,
    /// Agent kinds.
    pub agent: Vec<String>,
    /// Globs over the finished tool call's command.
    pub command: Option<CommandGlobs>,
    /// The finished tool call's exit code.
    pub exit_code: Option<ExitCodeFilter>,
    /// Whether the finished tool call (or the task's turn) succeeded.
    pub success: Option<bool>,
    /// The finished tool call's kind.
    pub tool_kind: Vec<String>,
    /// Lines the task changed, at least.
    pub min_changed_lines: Option<u64>,
    /// Rounds it runs in (empty: every round).
    pub round: Vec<u32>,
}

/// A check with every default filled in.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Check {
    /// Unique among the entries.
    pub id: String,
    /// Shown in the Checks panel.
    pub name: String,
    /// What makes it run.
    pub on: Trigger,
    /// Its filters.
    pub when: When,
    /// What runs.
    pub command: CheckCommand,
    /// Where it runs, relative to the project (`.` for the project folder), checked to stay
    /// inside it; resolve it again with [`super::resolve_cwd`] right before running.
    pub cwd: String,
    /// Extra environment variables.
    pub env: BTreeMap<String, String>,
    /// How long it may run.
    #[serde(with = "millis")]
    pub timeout: Duration,
    /// Whether the gate waits for it.
    pub mode: Mode,
    /// Whether a failure blocks "done".
    pub gate: bool,
    /// What happens to its findings.
    pub feedback: Feedback,
    /// The feedback text's template, if the check has its own.
    pub feedback_template: Option<String>,
    /// Checks that must have passed first in the same round.
    pub after: Vec<String>,
    /// How its output becomes findings.
    pub parse: ParserSpec,
}

/// A webhook endpoint with every default filled in. [`crate::config::to_endpoint`] turns it
/// into what the outbox delivers to.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Webhook {
    /// Unique among the entries.
    pub id: String,
    /// Where events are POSTed.
    pub url: String,
    /// The event types sent there ("*" for all).
    pub events: Vec<EventName>,
    /// Where the signing secret comes from (never the secret).
    pub secret: Option<SecretRef>,
    /// The signature headers.
    pub signature: Signature,
    /// How long one attempt may take.
    #[serde(with = "millis")]
    pub timeout: Duration,
    /// Delays before each retry.
    #[serde(with = "millis_list")]
    pub retry_schedule: Vec<Duration>,
    /// How retry delays are drawn.
    pub jitter: Jitter,
    /// Whether the gate waits for it.
    pub mode: Mode,
    /// What happens after the last failed attempt.
    pub on_failure: OnFailure,
    /// Checks run instead when it cannot be reached.
    pub fallback: Vec<String>,
    /// Loopback and private addresses allowed.
    pub allow_private: bool,
}

/// Which agent reviews: a preset ([`AgentKind`] other than `Custom`) or a custom ACP agent of
/// the settings by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewAgent {
    /// The agent's kind.
    pub kind: AgentKind,
    /// For [`AgentKind::Custom`]: the agent's name in the settings.
    pub name: Option<String>,
}

impl ReviewAgent {
    /// Reads `agent = "…"`: a preset's name, or any other non-empty name as a custom agent
    /// (whether the settings define it is known only when the reviewer starts).
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("`agent` is empty: name the reviewer, e.g. \"codex\" or \"claude\"".to_owned());
        }
        match text.parse::<AgentKind>() {
            Ok(AgentKind::Custom) | Err(_) => Ok(Self { kind: AgentKind::Custom, name: Some(text.to_owned()) }),
            Ok(kind) => Ok(Self { kind, name: None }),
        }
    }

    /// The name as written (a preset's name, or the custom agent's).
    pub fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(self.kind.as_str())
    }
}

impl std::fmt::Display for ReviewAgent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// The default of a review's `block_on`.
pub const DEFAULT_BLOCK_ON: [ReviewSeverity; 2] = [ReviewSeverity::Critical, ReviewSeverity::High];
/// The default of a review's `timeout`.
pub const DEFAULT_REVIEW_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// A `[[review]]` with every default filled in.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Review {
    /// Unique among the entries.
    pub id: String,
    /// Who reviews.
    pub agent: ReviewAgent,
    /// The reviewer's model, when not its agent's default.
    pub model: Option<String>,
    /// What the reviewer is asked to look at.
    pub instructions: Option<String>,
    /// What is reviewed.
    pub scope: ReviewScopeName,
    /// Checks that must have passed in the round first.
    pub after: Vec<String>,
    /// Severities that block the gate (empty: the review only reports).
    pub block_on: Vec<ReviewSeverity>,
    /// What happens to its blocking findings.
    pub feedback: Feedback,
    /// The most one review may cost (US dollars, as the reviewer's agent reports it).
    pub budget_usd: Option<f64>,
    /// Its filters; the entry's `min_changed_lines` is `when.min_changed_lines`.
    pub when: When,
    /// How long the reviewer may take.
    #[serde(with = "millis")]
    pub timeout: Duration,
}

impl Review {
    /// A review added for one run only (`warden run --review AGENT[:MODEL]`): the task's scope,
    /// blocking on critical and high findings, with `feedback`.
    pub fn on_the_fly(id: String, agent: ReviewAgent, model: Option<String>, feedback: Feedback) -> Self {
        Self {
            id,
            agent,
            model,
            instructions: None,
            scope: ReviewScopeName::Task,
            after: Vec::new(),
            block_on: DEFAULT_BLOCK_ON.to_vec(),
            feedback,
            budget_usd: None,
            when: When::default(),
            timeout: DEFAULT_REVIEW_TIMEOUT,
        }
    }

    /// Whether its findings can block the gate.
    pub fn gates(&self) -> bool {
        !self.block_on.is_empty()
    }
}

/// The project's whole configuration: both layers merged by id.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GateConfig {
    /// `[gate]` (the personal layer's fields win).
    pub gate: GateSettings,
    /// Checks, in file order (project first, then the person's additions).
    pub checks: Vec<Entry<Check>>,
    /// Webhook endpoints.
    pub webhooks: Vec<Entry<Webhook>>,
    /// Reviews, in file order.
    pub reviews: Vec<Entry<Review>>,
    /// Pipelines (`[[pipeline]]`), project first.
    pub pipelines: Vec<Entry<warden_core::pipeline::PipelineSpec>>,
    /// `[worktree]` (the personal layer's fields win).
    pub worktree: WorktreeConfig,
    /// Entries with errors, which are in none of the lists above.
    pub unresolved: Vec<Unresolved>,
    /// The project file, when there is one.
    pub project_file: Option<FileInfo>,
    /// The personal layer's path (whether or not it exists).
    pub personal_file: PathBuf,
}

/// `[worktree]` with defaults applied: how a session's own worktree is prepared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorktreeConfig {
    /// The setup command, one line for the shell (as a check's `shell`).
    pub setup: Option<String>,
    /// The layer that set `setup`: the project file's needs the person's trust to run.
    pub setup_source: Option<Source>,
    /// Project-relative paths to copy into a new worktree, normalised with `/`.
    pub copy: Vec<String>,
    /// How long the setup command may run.
    #[serde(with = "millis")]
    pub setup_timeout: Duration,
}

impl Default for WorktreeConfig {
    fn default() -> Self {
        Self { setup: None, setup_source: None, copy: Vec::new(), setup_timeout: DEFAULT_SETUP_TIMEOUT }
    }
}

/// The project file as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileInfo {
    /// Its path.
    pub path: PathBuf,
    /// The SHA-256 its trust is pinned to (see [`crate::trust::content_hash`]).
    pub sha256: String,
}

/// What reading the configuration gave: the merged entries and every error found. With any
/// error the configuration as a whole must not be used (see [`super::load`]); the entries are
/// still there for `warden checks list` and the settings view to show.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Inspection {
    /// The merged configuration, as far as it could be read.
    pub config: GateConfig,
    /// Everything wrong, file by file.
    pub errors: Vec<ConfigError>,
}

/// Durations as whole milliseconds in JSON.
mod millis {
    use serde::Serializer;
    use std::time::Duration;
    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }
}

/// Lists of durations as whole milliseconds in JSON.
mod millis_list {
    use serde::Serializer;
    use std::time::Duration;
    pub fn serialize<S: Serializer>(d: &[Duration], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(d.iter().map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)))
    }
}
