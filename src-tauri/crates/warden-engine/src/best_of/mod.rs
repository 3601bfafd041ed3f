//! Best of N: the same prompt given to several agents (or to one agent several times), each
//! session in its own worktree of the project on its own branch, all of them one group; then
//! the group compared side by side, and one member picked: its work merged into the base, the
//! others' worktrees and branches discarded.
//!
//! `start` makes the group all or nothing, `compare` reads what each member did, `pick`
//! brings one back. Everything a worktree needs is done by `crate::worktrees`; this module
//! only decides the order and what is undone when a step fails.

mod asked;
mod compare;
mod pick;
mod start;

pub use asked::start_asked;
pub use compare::{checks_summary, compare, ChecksSummary, Entry};
pub use pick::{pick, Picked};
pub use start::{start, Group, Member, StartRequest};

use crate::session::SessionHandle;
use crate::store::StoreError;
use crate::worktrees::WorktreeError;
use std::time::Duration;

/// The longest wait for the group's sessions to stop: an agent that will not stop does not
/// hold a pick or a failed start forever.
pub const STOP_WAIT: Duration = Duration::from_secs(30);

/// Why a best-of-N step failed.
#[derive(Debug, thiserror::Error)]
pub enum BestOfError {
    /// No member was asked for.
    #[error("best of N needs at least one agent")]
    NoMembers,
    /// The prompt is empty.
    #[error("best of N needs a prompt to give every agent")]
    EmptyPrompt,
    /// A member's agent settings are refused (a custom agent without a name, a sandbox for an
    /// agent that has none).
    #[error("member {member}: {reason}")]
    BadMember {
        /// Which member, counted from 1.
        member: usize,
        /// Why.
        reason: String,
    },
    /// The project folder is not usable.
    #[error(transparent)]
    Project(#[from] warden_core::ProjectError),
    /// One member could not be started or given the prompt; the others were stopped, their
    /// worktrees discarded and their sessions forgotten.
    #[error("member {member} ({agent}) could not start: {reason}. Nothing was kept: the members that had started were stopped and their worktrees removed")]
    MemberFailed {
        /// Which member, counted from 1.
        member: usize,
        /// Its agent, as the command line names it.
        agent: String,
        /// Why.
        reason: String,
    },
    /// No session belongs to the group.
    #[error("there is no best-of-N group {0}")]
    UnknownGroup(String),
    /// The session picked is not one of the group.
    #[error("session {session} is not one of the group {group}")]
    NotInGroup {
        /// The session asked for.
        session: String,
        /// The group.
        group: String,
    },
    /// The session picked does not run in a worktree.
    #[error("session {0} has no worktree to merge")]
    NoWorktree(String),
    /// A session of the group did not stop in time; nothing was merged or removed.
    #[error("session {0} did not stop within {secs} s: nothing was merged or removed, stop it and try again", secs = STOP_WAIT.as_secs())]
    StillRunning(String),
    /// A worktree step failed (a conflict names its files; the base is left as it was).
    #[error(transparent)]
    Worktree(#[from] WorktreeError),
    /// The chosen work was merged, but some of the other worktrees could not be removed.
    #[error("the chosen work was merged (the base is at {commit}), but these worktrees could not be removed: {}", .failures.join("; "))]
    DiscardFailed {
        /// The commit the base branch is at.
        commit: String,
        /// Each worktree not removed, with why.
        failures: Vec<String>,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Runs git work off the async threads.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T, BestOfError> + Send + 'static) -> Result<T, BestOfError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| BestOfError::Worktree(WorktreeError::Io(format!("the git work of best of N failed: {e}"))))?
}

/// Asks every handle to stop at once, then waits for them all within [`STOP_WAIT`] in total;
/// the ids of those still running then.
async fn stop_all(handles: &[SessionHandle]) -> Vec<String> {
    for handle in handles {
        handle.request_stop();
    }
    let deadline = tokio::time::Instant::now() + STOP_WAIT;
    let mut running = Vec::new();
    for handle in handles {
        if tokio::time::timeout_at(deadline, handle.finished()).await.is_err() {
            running.push(handle.id().to_string());
        }
    }
    running
}
