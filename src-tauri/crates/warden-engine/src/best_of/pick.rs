//! Picking the member of a best-of-N group whose work is kept: every live session of the group
//! is stopped, the chosen worktree's uncommitted work committed, its branch merged into the
//! base, and only then the other members' worktrees and branches removed. A merge that fails
//! (a conflict names its files) leaves everything as it was: the base clean, the chosen work
//! uncommitted again, every worktree in place. The chosen worktree is kept until the person
//! discards it.

use super::{blocking, stop_all, BestOfError};
use crate::engine::Sessions;
use crate::worktrees::{self, git, How, Worktree, WorktreeError};
use std::path::{Path, PathBuf};
pub use warden_core::best_of::BestOfPicked as Picked;
use warden_core::session::{SessionId, SessionRecord};

/// Picks `session` of `group` (see the module's header). `message` is the commit's and the
/// merge's message; by default it names the agent and the branch.
pub async fn pick(sessions: &Sessions, group: &str, session: &SessionId, how: How, message: Option<String>) -> Result<Picked, BestOfError> {
    let records = sessions.store().group(group)?;
    if records.is_empty() {
        return Err(BestOfError::UnknownGroup(group.to_owned()));
    }
    let chosen = records
        .iter()
        .find(|r| r.id == *session)
        .ok_or_else(|| BestOfError::NotInGroup { session: session.to_string(), group: group.to_owned() })?;
    let data_dir = sessions.data_dir().to_owned();
    let (main, worktree) = match (&chosen.worktree, worktrees::recorded_at(&data_dir, Path::new(&chosen.project))) {
        (Some(_), Ok(found)) => found,
        (_, Ok(_)) | (_, Err(WorktreeError::NotWarden(_))) => return Err(BestOfError::NoWorktree(session.to_string())),
        (_, Err(e)) => return Err(e.into()),
    };
    // Refused before any session is stopped (the merge checks it again, after the stops).
    let dirty = {
        let main = main.clone();
        blocking(move || Ok(git::changed_paths(&main, false)?)).await?
    };
    if !dirty.is_empty() {
        return Err(WorktreeError::MainDirty(dirty).into());
    }
    let handles: Vec<_> = records.iter().filter_map(|r| sessions.handle(&r.id)).collect();
    if let Some(id) = stop_all(&handles).await.into_iter().next() {
        return Err(BestOfError::StillRunning(id));
    }
    let others: Vec<PathBuf> =
        records.iter().filter(|r| r.id != chosen.id && r.worktree.is_some()).map(|r| PathBuf::from(&r.project)).collect();
    let message = message.filter(|m| !m.trim().is_empty()).unwrap_or_else(|| default_message(chosen, &worktree.branch));
    blocking(move || bring_back(&data_dir, &main, &worktree, how, &message, &others)).await
}

/// "Best of N: <agent> (<branch>)".
fn default_message(chosen: &SessionRecord, branch: &str) -> String {
    let agent = chosen.agent_name.clone().unwrap_or_else(|| chosen.agent.as_str().to_owned());
    format!("Best of N: {agent} ({branch})")
}

/// The git part of a pick, once the sessions are stopped: commit, merge, then discard.
fn bring_back(data_dir: &Path, main: &Path, worktree: &Worktree, how: How, message: &str, others: &[PathBuf]) -> Result<Picked, BestOfError> {
    let pending = worktree.path.is_dir() && !git::changed_paths(&worktree.path, true)?.is_empty();
    let before = if pending {
        let head = git::ok(&worktree.path, &["rev-parse", "HEAD"])?;
        worktrees::commit(data_dir, &worktree.path, message)?;
        Some(head)
    } else {
        None
    };
    let commit = match worktrees::merge(main, worktree, how, Some(message)) {
        Ok(commit) => commit,
        Err(failed) => {
            // The work goes back to being uncommitted, as it was before the pick.
            if let Some(head) = before {
                if let Err(e) = git::ok(&worktree.path, &["reset", "--quiet", "--mixed", &head]) {
                    tracing::warn!("the pick's commit in {} could not be undone: {e}", worktree.path.display());
                }
            }
            return Err(failed.into());
        }
    };
    let mut discarded = Vec::new();
    let mut failures = Vec::new();
    for folder in others {
        match worktrees::recorded_at(data_dir, folder) {
            Ok((their_main, theirs)) => match worktrees::discard(data_dir, &their_main, &theirs) {
                Ok(()) => discarded.push(theirs.branch),
                Err(e) => failures.push(format!("{}: {e}", theirs.branch)),
            },
            // Discarded already (by hand or an earlier pick).
            Err(WorktreeError::NotWarden(_)) => {}
            Err(e) => failures.push(format!("{}: {e}", folder.display())),
        }
    }
    if !failures.is_empty() {
        return Err(BestOfError::DiscardFailed { commit, failures });
    }
    Ok(Picked { commit, discarded })
}
