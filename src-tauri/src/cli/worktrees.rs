//! `warden worktrees`: Warden's git worktrees of a project without a window — list them, bring
//! one's work back into its base (merge, squash, rebase), offer it as a pull request, or
//! discard it. `warden run --worktree` makes them.
//!
//! Exit codes: 0 done, 1 it failed (a conflict, uncommitted changes, git refused), 2 a usage or
//! setup problem (not a repository, no such worktree, a refused name, `gh` missing).

use clap::{Args, Subcommand};
use std::path::Path;
use warden_engine::worktrees::{self, How, WorktreeError};

/// Arguments of `warden worktrees`.
#[derive(Debug, Args)]
pub struct WorktreesArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: WorktreesCommand,
}

/// Which worktree of which project.
#[derive(Debug, Args)]
pub struct Target {
    /// The project folder (the main one, not a worktree).
    #[arg(long, value_name = "DIR")]
    pub project: String,
    /// The worktree, by its branch (or its folder).
    #[arg(long, value_name = "BRANCH")]
    pub worktree: String,
    /// One JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// The `warden worktrees` subcommands.
#[derive(Debug, Subcommand)]
pub enum WorktreesCommand {
    /// Warden's worktrees of the project: branch, base, commits ahead/behind, uncommitted
    /// changes, and whether the folder was deleted by hand.
    List {
        /// The project folder.
        #[arg(long, value_name = "DIR")]
        project: String,
        /// One JSON array on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Brings the worktree's work into its base branch in the project folder. A conflict is
    /// listed by file and nothing is merged.
    Merge {
        /// Which worktree.
        #[command(flatten)]
        target: Target,
        /// merge (a merge commit, the default), squash (one commit) or rebase (the commits
        /// rebased onto the base, then fast-forwarded).
        #[arg(long, value_enum, default_value = "merge")]
        how: HowFlag,
        /// The commit message; also commits the worktree's uncommitted changes first (without
        /// it, they are refused).
        #[arg(long, value_name = "M")]
        message: Option<String>,
    },
    /// Pushes the worktree's branch to origin and opens a pull request with GitHub's `gh`.
    Pr {
        /// Which worktree.
        #[command(flatten)]
        target: Target,
    },
    /// Removes the worktree's folder and its branch (also when the folder is already gone).
    Discard {
        /// Which worktree.
        #[command(flatten)]
        target: Target,
    },
}

/// `--how`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HowFlag {
    /// A merge commit.
    Merge,
    /// One squashed commit.
    Squash,
    /// Rebased, then fast-forwarded.
    Rebase,
}

/// Exit code: done.
const OK: u8 = 0;
/// Exit code: it failed (a conflict, uncommitted changes, git refused).
const FAILED: u8 = 1;
/// Exit code: a usage or setup problem.
const SETUP: u8 = 2;

/// Runs the subcommand; returns the exit code.
pub fn run(args: WorktreesArgs, data_dir: &Path) -> u8 {
    match run_command(args.command, data_dir) {
        Ok(code) => code,
        Err((code, message, json)) => {
            if json {
                println!("{}", serde_json::json!({ "ok": false, "error": message }));
            }
            eprintln!("warden: {message}");
            code
        }
    }
}

type Failure = (u8, String, bool);

fn run_command(command: WorktreesCommand, data_dir: &Path) -> Result<u8, Failure> {
    match command {
        WorktreesCommand::List { project, json } => {
            let project = resolve(&project, json)?;
            let listed = worktrees::list(data_dir, &project).map_err(|e| failure(e, json))?;
            if json {
                println!("{}", serde_json::to_string(&listed).map_err(|e| (FAILED, e.to_string(), json))?);
            } else if listed.is_empty() {
                println!("No Warden worktrees in {}.", project.display());
            } else {
                for w in &listed {
                    let base = w.worktree.base_branch.clone().unwrap_or_else(|| w.worktree.base_commit.chars().take(12).collect());
                    let state = if w.missing {
                        "missing (folder deleted; discard cleans up)".to_owned()
                    } else if w.uncommitted.is_empty() {
                        "clean".to_owned()
                    } else {
                        format!("{} uncommitted", w.uncommitted.len())
                    };
                    println!("{}  from {base}  +{} -{}  {state}  {}", w.worktree.branch, w.ahead, w.behind, w.worktree.path.display());
                }
            }
            Ok(OK)
        }
        WorktreesCommand::Merge { target, how, message } => {
            let (project, worktree) = find(&target, data_dir)?;
            let how = match how {
                HowFlag::Merge => How::Merge,
                HowFlag::Squash => How::Squash,
                HowFlag::Rebase => How::Rebase,
            };
            let json = target.json;
            match worktrees::merge(&project, &worktree, how, message.as_deref()) {
                Ok(commit) => {
                    if json {
                        println!("{}", serde_json::json!({ "ok": true, "branch": worktree.branch, "commit": commit }));
                    } else {
                        println!("Merged {} into {} (now at {}).", worktree.branch, worktree.base_branch.as_deref().unwrap_or("the checked-out branch"), &commit[..commit.len().min(12)]);
                    }
                    Ok(OK)
                }
                Err(WorktreeError::Conflict { files }) if json => {
                    println!("{}", serde_json::json!({ "ok": false, "conflicts": files }));
                    eprintln!("warden: {}", WorktreeError::Conflict { files });
                    Ok(FAILED)
                }
                Err(e) => Err(failure(e, json)),
            }
        }
        WorktreesCommand::Pr { target } => {
            let (project, worktree) = find(&target, data_dir)?;
            let said = worktrees::pr(&project, &worktree, None).map_err(|e| failure(e, target.json))?;
            if target.json {
                println!("{}", serde_json::json!({ "ok": true, "branch": worktree.branch, "gh": said }));
            } else {
                println!("{said}");
            }
            Ok(OK)
        }
        WorktreesCommand::Discard { target } => {
            let (project, worktree) = find(&target, data_dir)?;
            worktrees::discard(data_dir, &project, &worktree).map_err(|e| failure(e, target.json))?;
            if target.json {
                println!("{}", serde_json::json!({ "ok": true, "branch": worktree.branch }));
            } else {
                println!("Discarded {} ({}).", worktree.branch, worktree.path.display());
            }
            Ok(OK)
        }
    }
}

fn resolve(project: &str, json: bool) -> Result<std::path::PathBuf, Failure> {
    warden_engine::resolve_project_dir(project).map_err(|e| (SETUP, e.to_string(), json))
}

fn find(target: &Target, data_dir: &Path) -> Result<(std::path::PathBuf, worktrees::Worktree), Failure> {
    let project = resolve(&target.project, target.json)?;
    let worktree = worktrees::find(data_dir, &project, &target.worktree).map_err(|e| failure(e, target.json))?;
    Ok((project, worktree))
}

/// An error with its exit code: setup problems 2, the rest 1.
fn failure(e: WorktreeError, json: bool) -> Failure {
    let code = match e {
        WorktreeError::GitMissing
        | WorktreeError::NotGitRepository(_)
        | WorktreeError::NoCommits
        | WorktreeError::BadRef { .. }
        | WorktreeError::UnknownBase(_)
        | WorktreeError::BranchExists(_)
        | WorktreeError::NotFound(_)
        | WorktreeError::BadCopy { .. }
        | WorktreeError::BadPath(_)
        | WorktreeError::NotWarden(_)
        | WorktreeError::Gh(_) => SETUP,
        WorktreeError::MainDirty(_)
        | WorktreeError::WorktreeDirty(_)
        | WorktreeError::WrongBranch(_)
        | WorktreeError::Conflict { .. }
        | WorktreeError::Git(_)
        | WorktreeError::Setup(_)
        | WorktreeError::Io(_) => FAILED,
    };
    (code, e.to_string(), json)
}
