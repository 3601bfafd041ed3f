//! Reviews: a second agent reads what a task (a turn, a session) changed and answers in one
//! findings schema, whatever agent it is.
//!
//! - [`REVIEW_SCHEMA`] is the JSON Schema of the reviewer's answer, in one place: the same text
//!   goes to Claude's `--json-schema`, Codex's `outputSchema` and into an ACP agent's prompt.
//! - [`parse_answer`] reads an answer (a structured value, or the first JSON object in a text)
//!   into a [`ReviewAnswer`]; anything else is a [`ParseError`], never a pass.
//! - [`anchor`] ties each finding to the [`DiffHunk`] of the scope whose lines it names, or marks
//!   it outside the task's changes.
//!
//! Plain data and logic: the engine runs the reviewer and builds the scope from the journal.

mod anchor;
mod false_positive;
mod parse;
mod schema;
#[cfg(test)]
mod tests;

pub use anchor::{anchor, normalize_path};
pub use false_positive::{finding_key, FalsePositive};
pub use parse::{parse_answer, parse_value, ParseError, ReviewAnswer};
pub use schema::{schema_value, REVIEW_SCHEMA};

use crate::session::{AgentKind, SessionId, TaskId, TurnId};
use serde::{Deserialize, Serialize};
use specta::Type;

/// What the reviewer concluded about the changes as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ReviewVerdict {
    /// Nothing that needs to be fixed.
    Approve,
    /// At least one thing should be looked at.
    NeedsAttention,
}

/// How bad a finding is, worst first (Codex's `[P0]`–`[P3]` map to these in order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ReviewSeverity {
    /// Breaks something important: data loss, a security hole, a crash on the main path.
    Critical,
    /// A real bug that should be fixed before the change is kept.
    High,
    /// Worth fixing, not urgent.
    Medium,
    /// A nit or a suggestion.
    Low,
}

impl ReviewSeverity {
    /// The name the schema uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Critical => "critical",
            Self::High => "high",
            Self::Medium => "medium",
            Self::Low => "low",
        }
    }
}

/// One thing a reviewer found, with where Warden placed it in the diff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ReviewFinding {
    /// How bad.
    pub severity: ReviewSeverity,
    /// One line.
    pub title: String,
    /// The explanation.
    pub body: String,
    /// The file it is about, project-relative when it is inside the project; `None` for a
    /// finding about the change as a whole.
    pub file: Option<String>,
    /// The first line it is about (1-based, in the file as it is after the change).
    pub line_start: Option<u32>,
    /// The last line it is about (at least `line_start`).
    pub line_end: Option<u32>,
    /// How sure the reviewer is, 0 to 1.
    pub confidence: Option<f64>,
    /// What to do about it.
    pub recommendation: String,
    /// The hunk of the scope's diff it is about (`path#index`, see [`DiffHunk::id`]).
    pub hunk: Option<String>,
    /// It names a place that no change of the scope touches: kept, and shown as outside this
    /// task's changes.
    pub outside_changes: bool,
}

/// Which agent (and model) reviewed, and its own session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Reviewer {
    /// The agent.
    pub agent: AgentKind,
    /// The model, when one was asked for.
    pub model: Option<String>,
    /// The reviewer's own session (its transcript, tools and cost).
    pub session_id: Option<SessionId>,
}

/// A finished review: the reviewer's verdict and findings, anchored to the scope's hunks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ReviewResult {
    /// The verdict.
    pub verdict: ReviewVerdict,
    /// The reviewer's summary of the changes.
    pub summary: String,
    /// What it found, in the order it gave them.
    pub findings: Vec<ReviewFinding>,
    /// Who reviewed.
    pub reviewer: Reviewer,
}

/// What a review looks at, within one session: part of the journal's diff of the session, or
/// (`Base`) what git says changed in the project since a branch or commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ReviewScope {
    /// One task: the person's prompt and every feedback round of it.
    Task {
        /// The task.
        task: TaskId,
    },
    /// One turn.
    Turn {
        /// The turn.
        turn: TurnId,
    },
    /// Everything the session changed.
    Session,
    /// Everything in the project's working tree that differs from the merge base of `base` and
    /// `HEAD` — commits since, uncommitted edits and untracked files — read from git, not from
    /// the journal, so changes no session made are included and the session's prompts are not.
    Base {
        /// A branch, tag or commit git knows (`main`, `origin/main`, `v1.2`, a sha). Checked
        /// strictly before git sees it: no leading `-`, whitespace, control characters or `..`.
        base: String,
    },
}

/// One hunk of a file's diff in the scope: a run of changed lines with no context, cut and
/// numbered exactly as the Files panel cuts them (`warden_journal::hunks`, see
/// [`crate::journal::Hunk`]), so a finding's hunk is one the person can keep, revert or
/// comment on there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DiffHunk {
    /// `path#index`: the file's project-relative path and the hunk's number in its diff.
    pub id: String,
    /// The file, project-relative (for a rename, where it went).
    pub path: String,
    /// Its number, from 1 in file order (the Files panel's and `--hunks`' number).
    pub index: u32,
    /// Names the hunk by path and lines (the Files panel's fingerprint).
    pub fingerprint: String,
    /// The first line removed, in the file before (1-based); where the lines were, for an
    /// insertion; 0 when there was no file before.
    pub old_start: u32,
    /// How many lines were removed.
    pub old_lines: u32,
    /// The first line added, in the file after (1-based); where they would be, for a deletion;
    /// 0 when there is no file after (it was deleted).
    pub new_start: u32,
    /// How many lines were added.
    pub new_lines: u32,
}

impl DiffHunk {
    /// The id of hunk `index` (from 1) of `path`.
    pub fn id_for(path: &str, index: u32) -> String {
        format!("{path}#{index}")
    }
}
