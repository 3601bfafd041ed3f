//! `checks.toml` as written: every field of an entry optional, because the personal layer may
//! override a single field of a project entry by id. [`super::resolve`] fills in the defaults
//! and checks what must be there. The JSON Schema shipped for editors is derived from these
//! types ([`super::schema`]).

use super::values::{CommandGlobs, DurationText, EventName, ExitCodeFilter, ParserSpec, PathGlobs, RoundList, SecretRef, StringList};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use toml::Spanned;

/// A whole `checks.toml`: the project's `.warden/checks.toml` or the person's layer.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Warden checks (.warden/checks.toml)")]
pub struct ChecksFile {
    /// The format's version: 1. Required in the project file.
    #[serde(default)]
    #[schemars(with = "Option<u32>")]
    pub version: Option<Spanned<u32>>,
    /// How the gate behaves for every check.
    #[serde(default)]
    pub gate: Option<GateFile>,
    /// Commands that run when a task completes (or on another trigger).
    #[serde(default, rename = "check")]
    #[schemars(with = "Vec<CheckFile>")]
    pub checks: Vec<Spanned<CheckFile>>,
    /// Endpoints told about events of the session stream.
    #[serde(default, rename = "webhook")]
    #[schemars(with = "Vec<WebhookFile>")]
    pub webhooks: Vec<Spanned<WebhookFile>>,
    /// Reviewer agents that read what the task changed after its checks.
    #[serde(default, rename = "review")]
    #[schemars(with = "Vec<ReviewFile>")]
    pub reviews: Vec<Spanned<ReviewFile>>,
    /// Saved sequences of roles: plan → implement → review.
    #[serde(default, rename = "pipeline")]
    #[schemars(with = "Vec<super::pipeline::PipelineFile>")]
    pub pipelines: Vec<Spanned<super::pipeline::PipelineFile>>,
    /// How a session's own git worktree is prepared: files copied in, a setup command.
    #[serde(default)]
    pub worktree: Option<WorktreeFile>,
}

/// `[worktree]`: how a new worktree is prepared before its session starts. The person's layer
/// sets single fields over the project's, as for `[gate]`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorktreeFile {
    /// A command run in the new worktree before the session starts, one line for the shell
    /// like a check's `shell` (`sh -c` on Unix), e.g. "npm ci". The project file's runs only
    /// once the person trusted the file, as its checks do; "" in the personal layer switches
    /// the project's off.
    #[schemars(with = "Option<String>")]
    pub setup: Option<Spanned<String>>,
    /// Files or folders the repository does not track (e.g. ".env") copied from the project
    /// into a new worktree: paths relative to the project, never `..` or absolute.
    #[schemars(with = "Option<Vec<String>>")]
    pub copy: Option<Spanned<Vec<Spanned<String>>>>,
    /// How long the setup command may run before it is killed with everything it started
    /// (default "10m").
    #[schemars(with = "Option<DurationText>")]
    pub setup_timeout: Option<Spanned<DurationText>>,
}

/// `[gate]`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GateFile {
    /// Rounds of one task at most, the person's own turn included (default 3).
    #[schemars(with = "Option<u32>")]
    pub max_rounds: Option<Spanned<u32>>,
    /// The feedback default of checks that do not set their own (default "ask").
    pub feedback: Option<Feedback>,
    /// What a check that cannot run (not found, timed out) does to the gate (default "report").
    pub on_infra_error: Option<OnInfraError>,
    /// A cost budget per task in US dollars, over all its rounds as the agent reports them:
    /// once reached, automatic feedback stops (default: none). An agent that reports no cost
    /// is never stopped by it.
    #[schemars(with = "Option<f64>")]
    pub budget_usd: Option<Spanned<f64>>,
}

/// `[[check]]`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckFile {
    /// Unique in the file; the personal layer overrides or disables the entry by it.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// Shown in the Checks panel (default: the id).
    pub name: Option<String>,
    /// `true` switches the entry off (the personal layer can switch off a project entry).
    pub disabled: Option<bool>,
    /// When it runs (default "task.completed").
    pub on: Option<Trigger>,
    /// Filters, all optional and all required to match.
    pub when: Option<WhenFile>,
    /// The command as a list of arguments, run without a shell.
    #[schemars(with = "Option<Vec<String>>")]
    pub run: Option<Spanned<Vec<String>>>,
    /// The command as one line for the shell (`sh -c` on Unix).
    #[schemars(with = "Option<String>")]
    pub shell: Option<Spanned<String>>,
    /// The folder it runs in, relative to the project (default "."); never outside it.
    #[schemars(with = "Option<String>")]
    pub cwd: Option<Spanned<String>>,
    /// Extra environment variables.
    pub env: Option<BTreeMap<String, String>>,
    /// How long it may run before it is killed (default "10m").
    pub timeout: Option<DurationText>,
    /// "sync": part of the gate; "async": reported, never waited for (default "sync").
    pub mode: Option<Mode>,
    /// Whether a failure blocks "done" (default true).
    pub gate: Option<bool>,
    /// What happens to its findings: ask, auto or never (default: `[gate] feedback`).
    pub feedback: Option<Feedback>,
    /// The text sent to the agent, with {{placeholders}} (default: Warden's).
    pub feedback_template: Option<String>,
    /// Ids of checks that must have passed first in the same round.
    #[schemars(with = "Option<Vec<String>>")]
    pub after: Option<Spanned<Vec<String>>>,
    /// How the output becomes findings (default "exit-code").
    pub parse: Option<ParserSpec>,
}

/// `when.*`: filters of a check, all optional; a check runs when every one that is set matches.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WhenFile {
    /// Globs over the project-relative paths the task changed (a glob without `/` matches a
    /// file name in any folder).
    pub changed: Option<PathGlobs>,
    /// The agent kinds it runs for (e.g. "claude", "codex", "gemini").
    pub agent: Option<StringList>,
    /// Globs over the command of the finished tool call (`on = "tool.completed"`).
    pub command: Option<CommandGlobs>,
    /// The exit code of the finished tool call: 0, "!=0" or a list.
    pub exit_code: Option<ExitCodeFilter>,
    /// Whether the finished tool call succeeded.
    pub success: Option<bool>,
    /// The kind of the finished tool call (read, edit, execute, …).
    pub tool_kind: Option<StringList>,
    /// The task changed at least this many lines (added plus removed).
    pub min_changed_lines: Option<u64>,
    /// Only in these rounds (1 is the person's own turn).
    pub round: Option<RoundList>,
}

/// `[[webhook]]`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookFile {
    /// Unique in the file.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// `true` switches the endpoint off.
    pub disabled: Option<bool>,
    /// Where events are POSTed (http or https).
    #[schemars(with = "Option<String>")]
    pub url: Option<Spanned<String>>,
    /// The event types sent there ("*" for all).
    pub events: Option<Vec<EventName>>,
    /// Where the signing secret comes from: { env = "NAME" }. Never the secret itself.
    pub secret: Option<SecretRef>,
    /// The signature headers (default "standard-webhooks").
    pub signature: Option<Signature>,
    /// How long one attempt may take (default "30s").
    pub timeout: Option<DurationText>,
    /// Retries after a failed attempt (default 1s, 2s, 4s with full jitter).
    pub retry: Option<RetryFile>,
    /// "sync": part of the gate, its answer may carry findings; "async": delivered in the
    /// background (default "async").
    pub mode: Option<Mode>,
    /// What happens after the last failed attempt (default "report").
    pub on_failure: Option<OnFailure>,
    /// Checks run instead when a sync endpoint cannot be reached (`on_failure = "fallback"`).
    #[schemars(with = "Option<Vec<String>>")]
    pub fallback: Option<Spanned<Vec<String>>>,
    /// Allows loopback and private addresses (refused unless set, so a shared file cannot aim
    /// Warden at services on your machine or network by accident).
    pub allow_private: Option<bool>,
}

/// `retry = { schedule = [...], jitter = "full" }`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RetryFile {
    /// The delay before each retry.
    pub schedule: Option<Vec<DurationText>>,
    /// "full": each delay is drawn between 0 and the scheduled one; "none": as scheduled.
    pub jitter: Option<Jitter>,
}

/// `[[review]]`: a reviewer agent that reads what the task changed after the round's checks
/// and answers with findings; findings at a `block_on` severity block the gate like a failing
/// check.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewFile {
    /// Unique in the file; the personal layer overrides or disables the entry by it.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// `true` switches the entry off (the personal layer can switch off a project entry).
    pub disabled: Option<bool>,
    /// The reviewer: "claude", "codex", "gemini", another agent Warden runs ("claude-acp",
    /// "codex-acp", "goose", "opencode"), or the name of a custom ACP agent of the settings.
    #[schemars(with = "Option<String>")]
    pub agent: Option<Spanned<String>>,
    /// The reviewer's model (default: the agent's own default).
    pub model: Option<String>,
    /// What the reviewer is asked to look at, besides the task's prompt and diff.
    pub instructions: Option<String>,
    /// What is reviewed: "task" (everything the task changed, default) or "round" (what the
    /// last round changed).
    pub scope: Option<ReviewScopeName>,
    /// Ids of checks that must have passed in the round before the review runs.
    #[schemars(with = "Option<Vec<String>>")]
    pub after: Option<Spanned<Vec<String>>>,
    /// Severities that block the gate (default ["critical", "high"]; empty: report only).
    pub block_on: Option<Vec<SeverityName>>,
    /// What happens to its blocking findings: ask, auto or never (default: `[gate] feedback`).
    pub feedback: Option<Feedback>,
    /// The most one review may cost in US dollars, as the reviewer's agent reports it: once
    /// reached the reviewer is stopped and the review is an error.
    #[schemars(with = "Option<f64>")]
    pub budget_usd: Option<Spanned<f64>>,
    /// Skip the review when the task changed fewer lines (added plus removed).
    pub min_changed_lines: Option<u64>,
    /// Filters, as for checks, all required to match.
    pub when: Option<WhenFile>,
    /// How long the reviewer may take (default "15m").
    pub timeout: Option<DurationText>,
}

/// What a `[[review]]` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReviewScopeName {
    /// Everything the task changed, all its rounds.
    #[default]
    Task,
    /// What the task's last round changed.
    Round,
}

/// A finding's severity, as `block_on` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SeverityName {
    /// Breaks something important.
    Critical,
    /// A real bug.
    High,
    /// Worth fixing, not urgent.
    Medium,
    /// A nit.
    Low,
}

/// What makes a check run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub enum Trigger {
    /// The agent ended its turn by itself: the task is a candidate for done.
    #[default]
    #[serde(rename = "task.completed")]
    TaskCompleted,
    /// The person's prompt starts a task.
    #[serde(rename = "task.started")]
    TaskStarted,
    /// A tool call finished (e.g. the agent ran `npm test` itself).
    #[serde(rename = "tool.completed")]
    ToolCompleted,
    /// The file journal recorded changes.
    #[serde(rename = "files.changed")]
    FilesChanged,
}

/// Whether the gate waits for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Part of the gate.
    Sync,
    /// Reported, never waited for.
    Async,
}

/// What happens to findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Feedback {
    /// Warden proposes the message; the person sends, edits or dismisses it.
    #[default]
    Ask,
    /// Sent without asking, within `max_rounds` and never the same failures twice in a row.
    Auto,
    /// Shown, never sent.
    Never,
}

/// What a check that cannot run does to the gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OnInfraError {
    /// Reported as an error; the gate is decided by the other checks.
    #[default]
    Report,
    /// The gate does not pass.
    Block,
}

/// Which signature headers a webhook request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Signature {
    /// `webhook-id`, `webhook-timestamp`, `webhook-signature` (standardwebhooks.com).
    #[default]
    StandardWebhooks,
    /// GitHub's `X-Hub-Signature-256`.
    Github,
    /// Unsigned.
    None,
}

/// How retry delays are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Jitter {
    /// Between 0 and the scheduled delay.
    #[default]
    Full,
    /// Exactly as scheduled.
    None,
}

/// What happens when a webhook's last attempt failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OnFailure {
    /// Shown as failed in the delivery log.
    #[default]
    Report,
    /// The `fallback` checks run instead.
    Fallback,
}
