//! A review of the session's work, as events of the reviewed session's stream: started by a
//! `[[review]]` entry of the gate or on demand (the window's Review with…, `warden review`),
//! finished with the reviewer's anchored findings or an error. The reviewer's own session is a
//! session of its own, named by [`Reviewer::session_id`](crate::review::Reviewer).

use super::task::TaskId;
use crate::review::{ReviewResult, ReviewScope, Reviewer};
use serde::{Deserialize, Serialize};
use specta::Type;

/// A review started.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ReviewStarted {
    /// The review's id, unique within the reviewed session (`review-<n>`).
    pub review: String,
    /// What is reviewed.
    pub scope: ReviewScope,
    /// The task and round it reviews, when part of a task's gate (or asked for a task).
    pub task: Option<TaskId>,
    /// The round of that task.
    pub round: Option<u32>,
    /// Who reviews; `session_id` is set once the reviewer's session exists.
    pub reviewer: Reviewer,
    /// The `[[review]]` entry's id, for a review the gate ran; `None` on demand.
    pub entry: Option<String>,
    /// Whether its findings can block the gate (`block_on`).
    pub gate: bool,
}

/// A review ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ReviewFinished {
    /// The review's id (as in [`ReviewStarted`]).
    pub review: String,
    /// What was reviewed.
    pub scope: ReviewScope,
    /// The task, as in [`ReviewStarted`].
    pub task: Option<TaskId>,
    /// The round, as in [`ReviewStarted`].
    pub round: Option<u32>,
    /// Who reviewed, with the reviewer's session.
    pub reviewer: Reviewer,
    /// The `[[review]]` entry's id, for a review the gate ran.
    pub entry: Option<String>,
    /// Whether its findings can block the gate.
    pub gate: bool,
    /// How it ended.
    pub outcome: ReviewRunOutcome,
    /// How long it took.
    pub duration_ms: u64,
    /// What the reviewer's session cost, as its agent reports it.
    pub cost_usd: Option<f64>,
}

/// How a review ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum ReviewRunOutcome {
    /// The reviewer answered: its verdict and anchored findings.
    Completed {
        /// The verdict and findings.
        result: ReviewResult,
    },
    /// It could not review (the agent failed, timed out, or answered garbage twice): never a
    /// pass, never sent to the coding agent as its failure.
    Error {
        /// Why.
        reason: String,
    },
    /// It did not run (the diff is under `min_changed_lines`, its `after` checks failed, the
    /// project file is not trusted, a budget is spent).
    Skipped {
        /// Why.
        reason: String,
    },
}
