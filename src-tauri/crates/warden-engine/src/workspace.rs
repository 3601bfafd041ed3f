//! Opening projects into the [`Workspace`](warden_core::Workspace) from paths on disk.

use crate::project_dir::resolve_project_dir;
use warden_core::{Project, ProjectError, Workspace};

/// Resolves `raw` to a project folder and opens it in `ws` at `now_ms`. On error the workspace is
/// unchanged.
pub fn open_project(ws: &mut Workspace, raw: &str, now_ms: u64) -> Result<Project, ProjectError> {
    let dir = resolve_project_dir(raw)?;
    let project = Project::at(&dir);
    ws.open(project.clone(), now_ms);
    Ok(project)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::folder_exists;

    #[test]
    fn opening_a_folder_adds_it_to_the_workspace_and_to_recent() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::default();
        let project = open_project(&mut ws, dir.path().to_str().unwrap(), 42).unwrap();
        let view = ws.view(folder_exists);
        assert_eq!(view.open, vec![project.clone()]);
        assert_eq!(view.active, Some(project.id));
        assert_eq!(view.recent[0].project.last_opened_ms, 42);
        assert!(!view.recent[0].missing);
    }

    #[test]
    fn a_failed_open_changes_nothing() {
        let mut ws = Workspace::default();
        assert!(open_project(&mut ws, "/definitely/not/here", 1).is_err());
        let view = ws.view(folder_exists);
        assert!(view.open.is_empty() && view.recent.is_empty() && view.active.is_none());
    }

    #[test]
    fn a_recent_folder_deleted_later_shows_as_missing() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("proj");
        std::fs::create_dir(&sub).unwrap();
        let mut ws = Workspace::default();
        let project = open_project(&mut ws, sub.to_str().unwrap(), 1).unwrap();
        ws.close(&project.id).unwrap();
        std::fs::remove_dir(&sub).unwrap();
        assert!(ws.view(folder_exists).recent[0].missing);
    }
}
