//! Pipelines: a saved sequence of roles (plan, implement, review) that hand one task from agent
//! to agent. [`PipelineSpec`] is what `[[pipeline]]` in `checks.toml` resolves to;
//! [`PipelineState`] is what a running pipeline reports after every change (the window's strip,
//! `warden run --pipeline --json`). Plain data: the engine's orchestrator drives it.

use crate::review::ReviewSeverity;
use crate::session::SessionId;
use serde::{Deserialize, Serialize};
use specta::Type;

/// What a step does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum PipelineRole {
    /// Reads the project and writes a plan, changing nothing (Claude in plan mode).
    Plan,
    /// Carries out the (approved) plan, under the task gate's checks.
    Implement,
    /// Reviews the implementer's task read-only; blocking findings go back to the implementer.
    Review,
}

impl PipelineRole {
    /// The name as in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Plan => "plan",
            Self::Implement => "implement",
            Self::Review => "review",
        }
    }
}

/// Who approves the plan before the implementer gets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum PlanApproval {
    /// The person approves, edits or rejects it.
    #[default]
    Person,
    /// It goes on as written.
    Auto,
}

/// One step of a pipeline as configured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PipelineStepSpec {
    /// What it does.
    pub role: PipelineRole,
    /// The agent's name: a built-in agent (`claude`, `codex`, `gemini`, …) or a custom agent.
    pub agent: String,
    /// The model, when not the agent's default.
    pub model: Option<String>,
    /// For a plan step: who approves the plan.
    pub approve: PlanApproval,
    /// For a review step: the severities that send the findings back to the implementer.
    pub block_on: Vec<ReviewSeverity>,
    /// Extra instructions for the step's agent (added to its prompt).
    pub instructions: Option<String>,
}

/// A pipeline as configured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PipelineSpec {
    /// Its id in the configuration (`warden run --pipeline ID`).
    pub id: String,
    /// Shown in the New Session dialog.
    pub name: String,
    /// Rounds of the implementer at most: its first task plus every round of review feedback.
    pub max_rounds: u32,
    /// The steps, in order.
    pub steps: Vec<PipelineStepSpec>,
}

/// The default severities a review step blocks on.
pub const DEFAULT_BLOCK_ON: [ReviewSeverity; 2] = [ReviewSeverity::Critical, ReviewSeverity::High];

/// Where one step is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum StepStatus {
    /// Not reached yet.
    Waiting,
    /// Its agent is working.
    Running,
    /// Its plan waits for the person's approval.
    AwaitingApproval,
    /// Done: the plan approved, the task passed its gate, the review found nothing blocking.
    Done,
    /// Blocking findings went back to the implementer (a review step that will run again).
    ChangesRequested,
    /// It ended without its result: the agent failed, the gate did not pass, the plan was
    /// rejected.
    Failed,
    /// Not run, because the pipeline ended before it.
    Skipped,
}

/// One step of a running pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PipelineStepState {
    /// What it does.
    pub role: PipelineRole,
    /// The agent's name as configured.
    pub agent: String,
    /// The model, when not the agent's default.
    pub model: Option<String>,
    /// Its session (the latest one, for a review that ran in several rounds), once started.
    pub session_id: Option<SessionId>,
    /// Where it is.
    pub status: StepStatus,
    /// Which round of the implementer it works on (1 before any feedback).
    pub round: u32,
    /// What its sessions cost so far, as their agents report it.
    pub cost_usd: Option<f64>,
}

/// How a pipeline stands as a whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum PipelineStatus {
    /// A step is working.
    Running,
    /// The plan waits for the person: approve (maybe edited) or reject.
    AwaitingApproval {
        /// The plan as the planner wrote it.
        plan: String,
    },
    /// Every step is done.
    Passed,
    /// A step's agent failed, or the pipeline was stopped.
    Failed {
        /// Why, in a sentence.
        reason: String,
    },
    /// The agents finished but the work was not accepted: the plan rejected, the gate not
    /// passed, or blocking findings left when the round limit was reached.
    NotPassed {
        /// Why, in a sentence.
        reason: String,
    },
}

impl PipelineStatus {
    /// Whether the pipeline has ended.
    pub fn is_final(&self) -> bool {
        matches!(self, Self::Passed | Self::Failed { .. } | Self::NotPassed { .. })
    }
}

/// A running (or ended) pipeline, reported whole after every change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PipelineState {
    /// This run's id (unique per start).
    pub run_id: String,
    /// The pipeline's id in the configuration.
    pub pipeline: String,
    /// Its name.
    pub name: String,
    /// The project folder.
    pub project: String,
    /// The steps.
    pub steps: Vec<PipelineStepState>,
    /// The index of the step at work (the last one once ended).
    pub current: usize,
    /// The implementer's round (1 before any feedback).
    pub round: u32,
    /// Its limit.
    pub max_rounds: u32,
    /// How it stands.
    pub status: PipelineStatus,
    /// The approved plan, once there is one.
    pub plan: Option<String>,
}

impl PipelineState {
    /// What every step cost so far, as their agents report it (`None` when none reported).
    pub fn cost_usd(&self) -> Option<f64> {
        self.steps.iter().filter_map(|s| s.cost_usd).fold(None, |sum, c| Some(sum.unwrap_or(0.0) + c))
    }
}

/// The person's decision on a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", tag = "decision")]
pub enum PlanDecision {
    /// The plan goes to the implementer; `text` replaces it when the person edited it.
    Approve {
        /// The edited plan, if edited.
        text: Option<String>,
    },
    /// The pipeline ends here.
    Reject,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cost_adds_what_steps_reported() {
        let step = |cost| PipelineStepState {
            role: PipelineRole::Plan,
            agent: "claude".into(),
            model: None,
            session_id: None,
            status: StepStatus::Done,
            round: 1,
            cost_usd: cost,
        };
        let mut state = PipelineState {
            run_id: "r".into(),
            pipeline: "p".into(),
            name: "P".into(),
            project: "/p".into(),
            steps: vec![step(None), step(None)],
            current: 0,
            round: 1,
            max_rounds: 3,
            status: PipelineStatus::Running,
            plan: None,
        };
        assert_eq!(state.cost_usd(), None);
        state.steps[1].cost_usd = Some(0.5);
        state.steps[0].cost_usd = Some(0.25);
        assert_eq!(state.cost_usd(), Some(0.75));
        assert!(!state.status.is_final());
        assert!(PipelineStatus::NotPassed { reason: "x".into() }.is_final());
    }

    #[test]
    fn decisions_read_as_the_window_and_stdin_write_them() {
        let approve: PlanDecision = serde_json::from_str(r#"{"decision":"approve","text":"1. x"}"#).unwrap();
        assert_eq!(approve, PlanDecision::Approve { text: Some("1. x".into()) });
        let reject: PlanDecision = serde_json::from_str(r#"{"decision":"reject"}"#).unwrap();
        assert_eq!(reject, PlanDecision::Reject);
    }
}
