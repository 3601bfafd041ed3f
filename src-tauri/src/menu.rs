//! The native menu bar: File (open, recent, close, quit), Edit, View and Help.
//!
//! The bar is built once at start; afterwards only the parts that follow the workspace (the
//! Open Recent list and which items are enabled) are updated in place. What a click does is in
//! `menu_actions.rs`, above the modules it calls, so this one depends on none of them.

use tauri::menu::{
    AboutMetadata, IsMenuItem, MenuBuilder, MenuItem, MenuItemBuilder, PredefinedMenuItem, Submenu, SubmenuBuilder,
};
use tauri::{AppHandle, Manager, Runtime};
use warden_core::WorkspaceView;

/// Every menu item Warden handles itself. Menu ids are derived from this enum in one place so no
/// handler matches on a hand-written string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuAction {
    /// File › Open Project…
    OpenProject,
    /// File › Open Remote Project…
    OpenRemoteProject,
    /// File › Open Recent › the n-th entry.
    OpenRecent(usize),
    /// File › Open Recent › Clear Recent Projects
    ClearRecent,
    /// File › Close Project
    CloseProject,
    /// Help › Open Logs Folder
    OpenLogsFolder,
    /// Help › Check for Updates…
    CheckForUpdates,
}

const RECENT_PREFIX: &str = "file.recent.";

impl MenuAction {
    /// The menu item id for this action.
    pub fn id(self) -> String {
        match self {
            Self::OpenProject => "file.open".into(),
            Self::OpenRemoteProject => "file.open-remote".into(),
            Self::OpenRecent(i) => format!("{RECENT_PREFIX}{i}"),
            Self::ClearRecent => "file.recent-clear".into(),
            Self::CloseProject => "file.close".into(),
            Self::OpenLogsFolder => "help.logs".into(),
            Self::CheckForUpdates => "help.updates".into(),
        }
    }

    /// The action for a menu item id, if it is one of ours (predefined items such as Copy are
    /// handled by the platform).
    pub fn parse(id: &str) -> Option<Self> {
        [Self::OpenProject, Self::OpenRemoteProject, Self::ClearRecent, Self::CloseProject, Self::OpenLogsFolder, Self::CheckForUpdates]
            .into_iter()
            .find(|a| a.id() == id)
            .or_else(|| id.strip_prefix(RECENT_PREFIX)?.parse().ok().map(Self::OpenRecent))
    }
}

/// The items that change with the workspace.
struct LiveItems<R: Runtime> {
    recent: Submenu<R>,
    clear_recent: MenuItem<R>,
    close_project: MenuItem<R>,
}

/// Builds the menu bar, installs it and fills in the workspace's parts.
pub fn install<R: Runtime>(app: &AppHandle<R>, view: &WorkspaceView) -> tauri::Result<()> {
    let recent = SubmenuBuilder::new(app, "Open Recent").build()?;
    let clear_recent = MenuItemBuilder::with_id(MenuAction::ClearRecent.id(), "Clear Recent Projects").build(app)?;
    let close_project = MenuItemBuilder::with_id(MenuAction::CloseProject.id(), "Close Project").build(app)?;
    let file = SubmenuBuilder::new(app, "File")
        .item(&MenuItemBuilder::with_id(MenuAction::OpenProject.id(), "Open Project…").accelerator("CmdOrCtrl+O").build(app)?)
        .item(&MenuItemBuilder::with_id(MenuAction::OpenRemoteProject.id(), "Open Remote Project…").build(app)?)
        .item(&recent)
        .separator()
        .item(&close_project)
        .separator()
        .item(&PredefinedMenuItem::quit(app, Some("Quit Warden"))?)
        .build()?;
    let edit = SubmenuBuilder::new(app, "Edit").undo().redo().separator().cut().copy().paste().select_all().build()?;
    let view_menu = SubmenuBuilder::new(app, "View").fullscreen().build()?;
    let help = SubmenuBuilder::new(app, "Help")
        .item(&MenuItemBuilder::with_id(MenuAction::CheckForUpdates.id(), "Check for Updates…").build(app)?)
        .item(&MenuItemBuilder::with_id(MenuAction::OpenLogsFolder.id(), "Open Logs Folder").build(app)?)
        .separator()
        .about(Some(AboutMetadata {
            name: Some("Warden".into()),
            version: Some(app.package_info().version.to_string()),
            comments: Some("Run AI coding agents on your projects while staying in charge.".into()),
            ..Default::default()
        }))
        .build()?;
    app.set_menu(MenuBuilder::new(app).items(&[&file, &edit, &view_menu, &help]).build()?)?;
    app.manage(LiveItems { recent, clear_recent, close_project });
    refresh(app, view)
}

/// Updates the Open Recent list and the enabled items after the workspace changed.
pub fn refresh<R: Runtime>(app: &AppHandle<R>, view: &WorkspaceView) -> tauri::Result<()> {
    let Some(live) = app.try_state::<LiveItems<R>>() else { return Ok(()) };
    for item in live.recent.items()? {
        live.recent.remove(&item)?;
    }
    for (i, entry) in view.recent.iter().enumerate() {
        let p = &entry.project;
        let label = if entry.missing {
            format!("{} — {} (missing)", p.name, p.path)
        } else {
            format!("{} — {}", p.name, p.path)
        };
        live.recent.append(&MenuItemBuilder::with_id(MenuAction::OpenRecent(i).id(), label).build(app)?)?;
    }
    if !view.recent.is_empty() {
        live.recent.append(&PredefinedMenuItem::separator(app)?)?;
    }
    live.recent.append(&live.clear_recent as &dyn IsMenuItem<R>)?;
    live.clear_recent.set_enabled(!view.recent.is_empty())?;
    live.close_project.set_enabled(view.active.is_some())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_round_trips_through_its_id() {
        let all = [
            MenuAction::OpenProject,
            MenuAction::OpenRemoteProject,
            MenuAction::OpenRecent(0),
            MenuAction::OpenRecent(17),
            MenuAction::ClearRecent,
            MenuAction::CloseProject,
            MenuAction::OpenLogsFolder,
            MenuAction::CheckForUpdates,
        ];
        for action in all {
            assert_eq!(MenuAction::parse(&action.id()), Some(action), "{action:?}");
        }
    }

    #[test]
    fn foreign_ids_are_not_ours() {
        for id in ["copy", "file.recent.", "file.recent.x", "file.recent.-1", ""] {
            assert_eq!(MenuAction::parse(id), None, "{id:?}");
        }
    }
}
