//! Making a worktree: its branch (`warden/<title-slug>` unless named, made unique), its base
//! (the current `HEAD` unless named), its folder outside the project, the files asked to be
//! copied in (such as an untracked `.env`), and the record linking it to its main project.

use super::{git, links, repository, project_folder, Worktree, WorktreeError};
use std::path::{Component, Path, PathBuf};

/// What to make.
#[derive(Debug, Clone, Default)]
pub struct CreateOptions {
    /// The branch or commit to start from; the current `HEAD` when `None`.
    pub base: Option<String>,
    /// The new branch's name; `warden/<slug of the title>` (made unique) when `None`.
    pub branch: Option<String>,
    /// What the work is about (the default branch name is made from it).
    pub title: String,
    /// Files of the main folder to copy in, relative to it (untracked ones such as `.env`).
    pub copy: Vec<String>,
}

/// The words of a branch name made from a title.
const SLUG_LIMIT: usize = 40;

/// Makes a worktree of `project` (see [`CreateOptions`]); returns it and notes to show the
/// person (a detached base, submodules left uninitialised).
pub fn create(data_dir: &Path, project: &Path, options: &CreateOptions) -> Result<(Worktree, Vec<String>), WorktreeError> {
    if let Some(base) = &options.base {
        git::check_ref(base)?;
    }
    if let Some(branch) = &options.branch {
        git::check_ref(branch)?;
    }
    let main = repository(project)?;
    let mut notes = Vec::new();
    let (base_commit, base_branch) = match &options.base {
        Some(base) => {
            let commit = git::commit_of(&main, base)?.ok_or_else(|| WorktreeError::UnknownBase(base.clone()))?;
            let branch = git::branch_exists(&main, base)?.then(|| base.clone());
            if branch.is_none() {
                notes.push(format!("the base {base} is not a branch: the worktree starts at commit {}; a merge goes into the branch checked out in the main folder", short(&commit)));
            }
            (commit, branch)
        }
        None => {
            let commit = git::commit_of(&main, "HEAD")?.ok_or(WorktreeError::NoCommits)?;
            let head = git::run(&main, &["symbolic-ref", "--quiet", "--short", "HEAD"])?;
            let branch = head.status.success().then(|| String::from_utf8_lossy(&head.stdout).trim().to_owned());
            if branch.is_none() {
                notes.push(format!("the main folder is on a detached HEAD: the worktree starts at commit {}; a merge goes into the branch checked out in the main folder then", short(&commit)));
            }
            (commit, branch)
        }
    };
    let folder = project_folder(data_dir, &main);
    std::fs::create_dir_all(&folder).map_err(|e| WorktreeError::Io(format!("{}: {e}", folder.display())))?;
    let folder = folder.canonicalize().map_err(|e| WorktreeError::Io(format!("{}: {e}", folder.display())))?;
    let branch = match &options.branch {
        Some(branch) => {
            if !git::succeeds(&main, &["check-ref-format", "--branch", branch])? {
                return Err(WorktreeError::BadRef { name: branch.clone(), why: "git does not take it as a branch name".into() });
            }
            if git::branch_exists(&main, branch)? {
                return Err(WorktreeError::BranchExists(branch.clone()));
            }
            branch.clone()
        }
        None => unique_branch(&main, &folder, &slug(&options.title))?,
    };
    let path = folder.join(branch.replace('/', "-"));
    if path.exists() {
        return Err(WorktreeError::Io(format!("{} exists already", path.display())));
    }
    let target = path.to_string_lossy().into_owned();
    git::ok(&main, &["worktree", "add", "-b", &branch, "--end-of-options", &target, &base_commit])?;
    let path = path.canonicalize().unwrap_or(path);
    let worktree = Worktree { path: path.clone(), branch, base_branch, base_commit };
    links::update(data_dir, |links| {
        links.insert(
            path.to_string_lossy().into_owned(),
            links::Link {
                project: main.to_string_lossy().into_owned(),
                branch: worktree.branch.clone(),
                base_branch: worktree.base_branch.clone(),
                base_commit: worktree.base_commit.clone(),
            },
        );
    })?;
    if path.join(".gitmodules").is_file() {
        notes.push("the repository has submodules: they are not initialised in the worktree (run `git submodule update --init` there if the work needs them)".into());
    }
    for file in &options.copy {
        if let Err(refused) = copy_in(&main, &path, file) {
            // Not left half-made: the worktree without the file asked for goes again.
            let _ = super::discard(data_dir, &main, &worktree);
            return Err(refused);
        }
    }
    Ok((worktree, notes))
}

/// The branch [`create`] would give a worktree of `project` for `title` now (what the New
/// Session dialog suggests).
pub fn suggested_branch(data_dir: &Path, project: &Path, title: &str) -> Result<String, WorktreeError> {
    let main = repository(project)?;
    unique_branch(&main, &project_folder(data_dir, &main), &slug(title))
}

fn short(commit: &str) -> &str {
    commit.get(..12).unwrap_or(commit)
}

/// A branch-name-safe slug of the first words of `title` ("session" when nothing is left).
pub fn slug(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= SLUG_LIMIT {
            break;
        }
    }
    let slug = slug.trim_matches('-');
    if slug.is_empty() { "session".to_owned() } else { slug.to_owned() }
}

/// `warden/<slug>`, or with `-2`, `-3`… when the branch or its folder is taken.
fn unique_branch(main: &Path, folder: &Path, slug: &str) -> Result<String, WorktreeError> {
    for n in 1..1000 {
        let branch = if n == 1 { format!("warden/{slug}") } else { format!("warden/{slug}-{n}") };
        if !git::branch_exists(main, &branch)? && !folder.join(branch.replace('/', "-")).exists() {
            return Ok(branch);
        }
    }
    Err(WorktreeError::BranchExists(format!("warden/{slug}")))
}

/// Copies the file `relative` of the main folder into the worktree at the same place: a
/// relative path with no `..`, no symlink along the way on either side, a regular file.
fn copy_in(main: &Path, worktree: &Path, relative: &str) -> Result<(), WorktreeError> {
    let refuse = |why: &str| WorktreeError::BadCopy { path: relative.to_owned(), why: why.to_owned() };
    let path = Path::new(relative);
    if relative.is_empty() || !path.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(refuse("name a file inside the project, by a relative path without '..'"));
    }
    let through_link = |root: &Path| -> bool {
        let mut at = root.to_path_buf();
        path.components().any(|c| {
            at.push(c);
            std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink())
        })
    };
    if through_link(main) || through_link(worktree) {
        return Err(refuse("a symbolic link is on its way (links are not followed)"));
    }
    let source = main.join(path);
    let meta = std::fs::symlink_metadata(&source).map_err(|e| refuse(&e.to_string()))?;
    if !meta.is_file() {
        return Err(refuse("it is not a file"));
    }
    let target: PathBuf = worktree.join(path);
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|e| refuse(&e.to_string()))?;
    }
    let bytes = std::fs::read(&source).map_err(|e| refuse(&e.to_string()))?;
    let mut out = std::fs::OpenOptions::new().write(true).create_new(true).open(&target).map_err(|e| refuse(&e.to_string()))?;
    std::io::Write::write_all(&mut out, &bytes).map_err(|e| refuse(&e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_becomes_a_short_branch_slug() {
        assert_eq!(slug("Fix the login bug!"), "fix-the-login-bug");
        assert_eq!(slug("  ***  "), "session");
        assert!(slug(&"word ".repeat(40)).len() <= SLUG_LIMIT);
    }
}
