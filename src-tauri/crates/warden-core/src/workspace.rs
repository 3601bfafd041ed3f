//! The workspace: which projects are open, which one is in front, what was opened recently and
//! which notices are waiting to be read.
//!
//! The workspace is owned by the backend so that every way in — the native menu, the command
//! line, the window — changes the same state, and the window only ever renders a
//! [`WorkspaceView`] of it.

use crate::{Project, ProjectError, ProjectId, RecentProject, RecentProjects};
use serde::{Deserialize, Serialize};
use specta::Type;

/// How many unread notices are kept; the oldest go first.
pub const NOTICE_LIMIT: usize = 5;

/// Identifies a notice so the window can dismiss it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(transparent)]
pub struct NoticeId(pub u32);

/// Something the person should read that no dialog asked for, such as a project given on the
/// command line that could not be opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Notice {
    /// Used to dismiss it.
    pub id: NoticeId,
    /// The message, written for the person.
    pub message: String,
}

/// A recent project as the start screen and the menu show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RecentEntry {
    /// The remembered project.
    pub project: RecentProject,
    /// The folder no longer exists (moved, deleted, an unmounted drive).
    pub missing: bool,
}

/// Everything the window needs to draw the workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceView {
    /// Grows with every change, so the window can tell a newer view from an older one that
    /// arrived late (a command's reply racing the change event).
    pub revision: u32,
    /// Open projects in the order they were opened (the sidebar's order).
    pub open: Vec<Project>,
    /// The project in front, if any is open.
    pub active: Option<ProjectId>,
    /// Recently opened projects, most recent first.
    pub recent: Vec<RecentEntry>,
    /// Unread notices, oldest first.
    pub notices: Vec<Notice>,
}

/// The workspace state. All methods are pure; checking folders on disk is the caller's job.
#[derive(Debug, Default)]
pub struct Workspace {
    open: Vec<Project>,
    active: Option<ProjectId>,
    recent: RecentProjects,
    notices: Vec<Notice>,
    next_notice: u32,
    revision: u32,
}

impl Workspace {
    /// A workspace with nothing open that remembers `recent`.
    pub fn with_recent(recent: RecentProjects) -> Self {
        Self { recent, ..Self::default() }
    }

    /// Opens a project (or brings it to the front if it is open already) and records it as the
    /// most recent at `now_ms`.
    pub fn open(&mut self, project: Project, now_ms: u64) {
        self.changed();
        self.recent.touch(&project.path, &project.name, now_ms);
        self.active = Some(project.id.clone());
        if !self.open.iter().any(|p| p.id == project.id) {
            self.open.push(project);
        }
    }

    /// Brings an open project to the front.
    pub fn activate(&mut self, id: &ProjectId) -> Result<(), ProjectError> {
        self.find(id)?;
        self.changed();
        self.active = Some(id.clone());
        Ok(())
    }

    /// Closes an open project. If it was in front, its neighbour comes to the front (the next one
    /// in the sidebar, or the previous one when it was last), as tabs behave in editors.
    pub fn close(&mut self, id: &ProjectId) -> Result<(), ProjectError> {
        let index = self.find(id)?;
        self.changed();
        self.open.remove(index);
        if self.active.as_ref() == Some(id) {
            let neighbour = self.open.get(index).or_else(|| self.open.last());
            self.active = neighbour.map(|p| p.id.clone());
        }
        Ok(())
    }

    /// Forgets a recent project. Returns whether it was remembered.
    pub fn forget_recent(&mut self, path: &str) -> bool {
        self.changed();
        self.recent.remove(path)
    }

    /// Forgets every recent project.
    pub fn clear_recent(&mut self) {
        self.changed();
        self.recent.clear();
    }

    /// The open project with this id, if it is open.
    pub fn project(&self, id: &ProjectId) -> Option<&Project> {
        self.open.iter().find(|p| &p.id == id)
    }

    /// The project in front, if any.
    pub fn active(&self) -> Option<&ProjectId> {
        self.active.as_ref()
    }

    /// The recent projects, most recent first.
    pub fn recent(&self) -> &RecentProjects {
        &self.recent
    }

    /// Adds a notice for the person to read, dropping the oldest past [`NOTICE_LIMIT`].
    pub fn notify(&mut self, message: impl Into<String>) -> NoticeId {
        self.changed();
        self.next_notice = self.next_notice.wrapping_add(1);
        let id = NoticeId(self.next_notice);
        self.notices.push(Notice { id, message: message.into() });
        if self.notices.len() > NOTICE_LIMIT {
            self.notices.remove(0);
        }
        id
    }

    /// Removes a notice once read. Dismissing one that is gone already is not an error: the
    /// window may have raced with the limit.
    pub fn dismiss(&mut self, id: NoticeId) {
        self.changed();
        self.notices.retain(|n| n.id != id);
    }

    /// The folders of the open projects (no I/O, unlike [`Workspace::view`]).
    pub fn open_paths(&self) -> impl Iterator<Item = &str> {
        self.open.iter().map(|p| p.path.as_str())
    }

    /// The view the window draws. `folder_exists` tells which recent folders are still there.
    pub fn view(&self, folder_exists: impl Fn(&str) -> bool) -> WorkspaceView {
        WorkspaceView {
            revision: self.revision,
            open: self.open.clone(),
            active: self.active.clone(),
            recent: self
                .recent
                .entries()
                .iter()
                .map(|p| RecentEntry { missing: !folder_exists(&p.path), project: p.clone() })
                .collect(),
            notices: self.notices.clone(),
        }
    }

    fn changed(&mut self) {
        self.revision = self.revision.wrapping_add(1);
    }

    fn find(&self, id: &ProjectId) -> Result<usize, ProjectError> {
        self.open
            .iter()
            .position(|p| &p.id == id)
            .ok_or_else(|| ProjectError::NotOpen { id: id.clone() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn project(path: &str) -> Project {
        Project::at(Path::new(path))
    }

    fn open_ids(ws: &Workspace) -> Vec<String> {
        ws.view(|_| true).open.iter().map(|p| p.id.to_string()).collect()
    }

    #[test]
    fn opening_twice_keeps_one_entry_and_brings_it_to_the_front() {
        let mut ws = Workspace::default();
        ws.open(project("/a"), 1);
        ws.open(project("/b"), 2);
        ws.open(project("/a"), 3);
        assert_eq!(open_ids(&ws), ["/a", "/b"], "sidebar order is the order of first opening");
        assert_eq!(ws.view(|_| true).active, Some(project("/a").id));
        assert_eq!(ws.recent().entries()[0].path, "/a", "reopening counts as recent use");
    }

    #[test]
    fn closing_the_front_project_brings_its_neighbour_forward() {
        let mut ws = Workspace::default();
        for (i, p) in ["/a", "/b", "/c"].into_iter().enumerate() {
            ws.open(project(p), i as u64);
        }
        ws.activate(&project("/b").id).unwrap();
        ws.close(&project("/b").id).unwrap();
        assert_eq!(ws.view(|_| true).active, Some(project("/c").id), "the next one in line");
        ws.close(&project("/c").id).unwrap();
        assert_eq!(ws.view(|_| true).active, Some(project("/a").id), "the previous when last");
        ws.close(&project("/a").id).unwrap();
        assert_eq!(ws.view(|_| true).active, None);
    }

    #[test]
    fn closing_a_background_project_keeps_the_front_one() {
        let mut ws = Workspace::default();
        ws.open(project("/a"), 1);
        ws.open(project("/b"), 2);
        ws.close(&project("/a").id).unwrap();
        assert_eq!(ws.view(|_| true).active, Some(project("/b").id));
    }

    #[test]
    fn acting_on_a_project_that_is_not_open_is_an_error() {
        let mut ws = Workspace::default();
        let id = project("/nope").id;
        assert_eq!(ws.close(&id), Err(ProjectError::NotOpen { id: id.clone() }));
        assert_eq!(ws.activate(&id), Err(ProjectError::NotOpen { id }));
    }

    #[test]
    fn the_view_marks_recent_folders_that_are_gone() {
        let mut ws = Workspace::default();
        ws.open(project("/here"), 1);
        ws.open(project("/gone"), 2);
        let view = ws.view(|path| path == "/here");
        let missing: Vec<_> = view.recent.iter().map(|r| (r.project.path.as_str(), r.missing)).collect();
        assert_eq!(missing, [("/gone", true), ("/here", false)]);
    }

    #[test]
    fn every_change_raises_the_revision() {
        let mut ws = Workspace::default();
        let mut last = ws.view(|_| true).revision;
        let mut step = |ws: &Workspace, what: &str| {
            let now = ws.view(|_| true).revision;
            assert!(now > last, "{what} must raise the revision");
            last = now;
        };
        ws.open(project("/a"), 1);
        step(&ws, "open");
        ws.activate(&project("/a").id).unwrap();
        step(&ws, "activate");
        let notice = ws.notify("n");
        step(&ws, "notify");
        ws.dismiss(notice);
        step(&ws, "dismiss");
        ws.close(&project("/a").id).unwrap();
        step(&ws, "close");
        ws.forget_recent("/a");
        step(&ws, "forget");
        ws.clear_recent();
        step(&ws, "clear");
    }

    #[test]
    fn notices_are_capped_and_dismissable() {
        let mut ws = Workspace::default();
        let first = ws.notify("first");
        for i in 0..NOTICE_LIMIT {
            ws.notify(format!("n{i}"));
        }
        let view = ws.view(|_| true);
        assert_eq!(view.notices.len(), NOTICE_LIMIT);
        assert!(view.notices.iter().all(|n| n.id != first), "the oldest notice was dropped");
        let last = view.notices.last().unwrap().id;
        ws.dismiss(last);
        ws.dismiss(last);
        assert_eq!(ws.view(|_| true).notices.len(), NOTICE_LIMIT - 1);
    }
}
