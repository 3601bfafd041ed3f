//! Starting a best-of-N group: one worktree and session per member, on branches
//! `warden/<slug>-1`, `-2`… (numbers already taken are skipped), all with the same group id;
//! the prompt goes to each only once all have started. All or nothing: when a member cannot be
//! started or prompted, the members already started are stopped, their worktrees and branches
//! removed and their sessions forgotten, and the error names the member and why.

use super::{blocking, stop_all, BestOfError};
use crate::engine::{NewSession, RunOptions, Sessions};
use crate::session::SessionHandle;
use crate::sink::EventSink;
use crate::worktrees::{self, git, WorktreeError, WorktreeStart};
use std::path::Path;
use std::sync::Arc;
use warden_core::session::{AgentKind, PermissionMode, Sandbox, SessionRecord};

/// One agent of the group.
#[derive(Debug, Clone, Default)]
pub struct Member {
    /// Which agent.
    pub agent: AgentKind,
    /// For a custom agent: its name in the settings.
    pub agent_name: Option<String>,
    /// The model, when not the agent's default.
    pub model: Option<String>,
    /// For Codex: the sandbox its commands run in.
    pub sandbox: Option<Sandbox>,
    /// How its process runs (the discovered agent unless a binary is given).
    pub run: RunOptions,
}

/// What to start.
#[derive(Debug, Clone, Default)]
pub struct StartRequest {
    /// The project folder, as typed (a git repository with a commit).
    pub project: String,
    /// The prompt every member gets.
    pub prompt: String,
    /// The members, in order (member 1 gets the branch ending `-1`).
    pub members: Vec<Member>,
    /// The permission mode of every member.
    pub permission_mode: PermissionMode,
    /// The branch or commit the worktrees start from; the current `HEAD` when `None`.
    pub base: Option<String>,
    /// Run the configured `[worktree] setup` command in each worktree (when allowed).
    pub run_setup: bool,
}

/// A group just started.
#[derive(Debug, Clone)]
pub struct Group {
    /// The group's id (every member's `SessionRecord.group`).
    pub id: String,
    /// Its sessions, in member order.
    pub sessions: Vec<SessionRecord>,
    /// What the worktrees' making had to say (a detached base, submodules), once each.
    pub notes: Vec<String>,
}

/// Characters of the prompt's first line the worktrees' title keeps.
const TITLE_LIMIT: usize = 80;

/// Starts the group (see the module's header).
pub async fn start(sessions: &Sessions, request: StartRequest, sink: Arc<dyn EventSink>) -> Result<Group, BestOfError> {
    if request.members.is_empty() {
        return Err(BestOfError::NoMembers);
    }
    if request.prompt.trim().is_empty() {
        return Err(BestOfError::EmptyPrompt);
    }
    let project = crate::resolve_project_dir(&request.project)?;
    let title = title_of(&request.prompt);
    let branches = {
        let (data_dir, project, slug, count) = (sessions.data_dir().to_owned(), project.clone(), worktrees::slug(&title), request.members.len());
        blocking(move || branches(&data_dir, &project, &slug, count)).await?
    };
    let group = uuid::Uuid::new_v4().to_string();
    let mut started: Vec<SessionHandle> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for (index, (member, branch)) in request.members.iter().zip(&branches).enumerate() {
        let new = NewSession {
            project: project.to_string_lossy().into_owned(),
            model: member.model.clone(),
            permission_mode: request.permission_mode,
            agent: member.agent,
            agent_name: member.agent_name.clone(),
            sandbox: member.sandbox,
            run: member.run.clone(),
            worktree: None,
            group: Some(group.clone()),
        };
        let worktree = WorktreeStart {
            base: request.base.clone(),
            branch: Some(branch.clone()),
            title: title.clone(),
            copy: Vec::new(),
            run_setup: request.run_setup,
        };
        match sessions.start_in_worktree(new, worktree, sink.clone()).await {
            Ok((handle, said)) => {
                for note in said {
                    if !notes.contains(&note) {
                        notes.push(note);
                    }
                }
                started.push(handle);
            }
            Err(e) => return Err(undo(sessions, &project, &group, &started, &branches, index, member, e.to_string()).await),
        }
    }
    for (index, handle) in started.iter().enumerate() {
        if let Err(e) = handle.prompt(request.prompt.clone()).await {
            let member = &request.members[index];
            return Err(undo(sessions, &project, &group, &started, &branches, index, member, e.to_string()).await);
        }
    }
    let mut records = Vec::with_capacity(started.len());
    for handle in &started {
        records.extend(sessions.store().session(handle.id())?);
    }
    Ok(Group { id: group, sessions: records, notes })
}

/// The worktrees' title: the prompt's first line, shortened.
fn title_of(prompt: &str) -> String {
    let line = prompt.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default();
    line.chars().take(TITLE_LIMIT).collect()
}

/// `count` free branches `warden/<slug>-<n>`, n counting from 1 and skipping a number whose
/// branch or worktree folder is taken (so a second group on the same prompt gets `-3`, `-4`).
fn branches(data_dir: &Path, project: &Path, slug: &str, count: usize) -> Result<Vec<String>, BestOfError> {
    let main = worktrees::repository(project)?;
    let folder = worktrees::project_folder(data_dir, &main);
    let mut found = Vec::with_capacity(count);
    let mut n = 1;
    while found.len() < count {
        let branch = format!("warden/{slug}-{n}");
        if !git::branch_exists(&main, &branch)? && !folder.join(branch.replace('/', "-")).exists() {
            found.push(branch);
        }
        n += 1;
        if n > 1000 + count {
            return Err(WorktreeError::BranchExists(format!("warden/{slug}-{n}")).into());
        }
    }
    Ok(found)
}

/// Undoes a group that could not be completed: every member started is stopped (bounded),
/// then each worktree made for the group (the failed member's too, when its start got that
/// far) is removed with its branch, and the group's sessions are forgotten. Returns the error
/// naming the member that failed; what could not be undone is added to its reason.
#[allow(clippy::too_many_arguments)]
async fn undo(
    sessions: &Sessions,
    project: &Path,
    group: &str,
    started: &[SessionHandle],
    branches: &[String],
    failed: usize,
    member: &Member,
    reason: String,
) -> BestOfError {
    let mut left = Vec::new();
    let running = stop_all(started).await;
    for id in &running {
        left.push(format!("session {id} did not stop"));
    }
    // Every member up to the failed one had its worktree made (the failed one's perhaps); when
    // a prompt failed, all of them had.
    let made_count = started.len().max(failed + 1).min(branches.len());
    let cleanup = {
        let (data_dir, project, made) = (sessions.data_dir().to_owned(), project.to_owned(), branches[..made_count].to_vec());
        blocking(move || Ok(remove_worktrees(&data_dir, &project, &made))).await
    };
    match cleanup {
        Ok(problems) => left.extend(problems),
        Err(e) => left.push(format!("the worktrees could not be removed: {e}")),
    }
    match sessions.store().group(group) {
        Ok(records) => {
            for record in records.iter().filter(|r| !running.contains(&r.id.to_string())) {
                if let Err(e) = sessions.store().forget_session(&record.id) {
                    left.push(format!("session {} could not be forgotten: {e}", record.id));
                }
            }
        }
        Err(e) => left.push(format!("the group's sessions could not be read: {e}")),
    }
    let agent = member.agent_name.clone().unwrap_or_else(|| member.agent.as_str().to_owned());
    let reason = if left.is_empty() { reason } else { format!("{reason} (and not everything could be undone: {})", left.join("; ")) };
    BestOfError::MemberFailed { member: failed + 1, agent, reason }
}

/// Removes the worktrees of `made` that exist (a member's start may have failed before its
/// worktree was made, or removed it itself); what could not be removed, in words.
fn remove_worktrees(data_dir: &Path, project: &Path, made: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    for branch in made {
        match worktrees::find(data_dir, project, branch) {
            Ok(worktree) => {
                if let Err(e) = worktrees::discard(data_dir, project, &worktree) {
                    problems.push(format!("the worktree {branch} could not be removed: {e}"));
                }
            }
            Err(WorktreeError::NotFound(_)) => {}
            Err(e) => problems.push(format!("the worktree {branch} could not be looked up: {e}")),
        }
    }
    problems
}
