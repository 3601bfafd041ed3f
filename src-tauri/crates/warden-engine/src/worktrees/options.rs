//! What the New Session dialog offers for a project: whether a worktree can be made (and why
//! not), its branches for the base, the branch a title would get, and the configured files to
//! copy and setup command with whether it may run.

use super::{create, git, project_folder, repository, setup, WorktreeError, WorktreeOptions};
use std::path::Path;

/// The worktree options of `project` for a session titled `title`. A folder that cannot have
/// a worktree is no error: `usable` is false and `problem` says why.
pub fn options(data_dir: &Path, project: &Path, title: &str) -> WorktreeOptions {
    let settings = setup::settings(project, data_dir);
    let mut options = WorktreeOptions {
        usable: false,
        problem: None,
        current_branch: None,
        head: None,
        branches: Vec::new(),
        suggested_branch: format!("warden/{}", create::slug(title)),
        copy: settings.copy,
        setup_trusted: settings.setup.is_some() && settings.trusted,
        setup: settings.setup,
        setup_note: settings.note,
        folder: project_folder(data_dir, project).to_string_lossy().into_owned(),
    };
    if let Err(problem) = fill(data_dir, project, title, &mut options) {
        options.problem = Some(problem.to_string());
    }
    options
}

/// The parts that need a repository with a commit.
fn fill(data_dir: &Path, project: &Path, title: &str, options: &mut WorktreeOptions) -> Result<(), WorktreeError> {
    let main = repository(project)?;
    options.folder = project_folder(data_dir, &main).to_string_lossy().into_owned();
    let head = git::run(&main, &["symbolic-ref", "--quiet", "--short", "HEAD"])?;
    options.current_branch = head.status.success().then(|| String::from_utf8_lossy(&head.stdout).trim().to_owned());
    options.head = Some(git::ok(&main, &["rev-parse", "--short", "HEAD"])?);
    let branches = git::ok(&main, &["for-each-ref", "--format=%(refname:short)", "refs/heads/"])?;
    options.branches = branches.lines().map(str::to_owned).collect();
    options.suggested_branch = create::suggested_branch(data_dir, &main, title)?;
    options.usable = true;
    Ok(())
}
