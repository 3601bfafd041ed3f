//! A review the person asks for (the window's "Review with…", the same call a remote project's
//! host answers): the ask as the dialog gives it, made tidy once here; the agents that can
//! review now; and the person's false-positive marks.

use super::runner::{ReviewAsk, DEFAULT_TIMEOUT};
use crate::agents::{detect_all, DetectEnv};
use crate::{RunOptions, Store, StoreError};
use warden_core::agent::{AgentView, CustomAgent};
use warden_core::review::{FalsePositive, ReviewScope};
use warden_core::session::{AgentKind, SessionId, TaskId};

impl ReviewAsk {
    /// A review of `session`'s `scope` by `agent` as the person asked for it: `agent_name` only
    /// for a custom agent, a blank model or instructions as none, the default timeout.
    pub fn on_demand(
        session: SessionId,
        scope: ReviewScope,
        agent: AgentKind,
        agent_name: Option<String>,
        model: Option<String>,
        instructions: Option<String>,
    ) -> ReviewAsk {
        ReviewAsk {
            session,
            scope,
            agent,
            agent_name: if agent == AgentKind::Custom { agent_name } else { None },
            model: model.map(|m| m.trim().to_owned()).filter(|m| !m.is_empty()),
            instructions: instructions.map(|i| i.trim().to_owned()).filter(|i| !i.is_empty()),
            run: RunOptions::default(),
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

/// The agents that can review: those of the New Session dialog that can start a session now.
pub async fn reviewers(custom: &[CustomAgent]) -> Vec<AgentView> {
    let views = detect_all(custom, &DetectEnv::current()).await;
    views.into_iter().filter(|v| v.status.usable()).collect()
}

/// Marks the finding of `file` titled `title` as a false positive in `task` (`marked`), or
/// takes the mark back; returns the task's marks as they are now.
pub fn mark_false_positive(
    store: &Store,
    session: &SessionId,
    task: TaskId,
    file: Option<&str>,
    title: &str,
    marked: bool,
) -> Result<Vec<FalsePositive>, StoreError> {
    store.mark_false_positive(session, task, file, title, marked, crate::now_ms())?;
    store.false_positives(session, task)
}
