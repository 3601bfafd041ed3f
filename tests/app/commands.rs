//! The workspace commands through the IPC layer, as the window calls them.

use crate::support::TestApp;
use serde_json::json;
use warden_core::WorkspaceView;

fn canonical(path: &std::path::Path) -> String {
    std::fs::canonicalize(path).unwrap().to_string_lossy().into_owned()
}

#[test]
fn a_fresh_start_has_nothing_open_and_nothing_recent() {
    let data = tempfile::tempdir().unwrap();
    let app = TestApp::start(data.path(), None);
    let view: WorkspaceView = app.call("workspace_snapshot", json!({}));
    assert!(view.open.is_empty() && view.recent.is_empty() && view.notices.is_empty(), "{view:?}");
}

#[test]
fn opening_a_folder_puts_it_in_front_and_in_recent() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let app = TestApp::start(data.path(), None);
    let view: WorkspaceView = app.call("project_open", json!({ "path": project.path() }));
    let path = canonical(project.path());
    assert_eq!(view.open.len(), 1);
    assert_eq!(view.open[0].path, path);
    assert_eq!(view.active.as_ref().map(|id| id.as_str()), Some(path.as_str()));
    assert_eq!(view.recent[0].project.path, path);
}

#[test]
fn opening_a_missing_folder_is_a_typed_error_and_changes_nothing() {
    let data = tempfile::tempdir().unwrap();
    let app = TestApp::start(data.path(), None);
    let missing = data.path().join("nope");
    let err = app.invoke("project_open", json!({ "path": missing })).unwrap_err();
    assert_eq!(err["code"], "projectNotFound", "{err}");
    assert!(err["message"].as_str().unwrap().contains("nope"), "{err}");
    let view: WorkspaceView = app.call("workspace_snapshot", json!({}));
    assert!(view.open.is_empty() && view.recent.is_empty());
}

#[test]
fn opening_a_file_is_rejected_as_invalid() {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("notes.txt");
    std::fs::write(&file, "x").unwrap();
    let app = TestApp::start(data.path(), None);
    let err = app.invoke("project_open", json!({ "path": file })).unwrap_err();
    assert_eq!(err["code"], "projectInvalid", "{err}");
}

#[test]
fn closing_and_activating_projects() {
    let data = tempfile::tempdir().unwrap();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let app = TestApp::start(data.path(), None);
    let _: WorkspaceView = app.call("project_open", json!({ "path": a.path() }));
    let view: WorkspaceView = app.call("project_open", json!({ "path": b.path() }));
    let (id_a, id_b) = (view.open[0].id.clone(), view.open[1].id.clone());
    let view: WorkspaceView = app.call("project_activate", json!({ "id": id_a }));
    assert_eq!(view.active, Some(id_a.clone()));
    let view: WorkspaceView = app.call("project_close", json!({ "id": id_a }));
    assert_eq!(view.active, Some(id_b));
    assert_eq!(view.recent.len(), 2, "closing keeps the project in recent");
    let err = app.invoke("project_close", json!({ "id": id_a })).unwrap_err();
    assert_eq!(err["code"], "projectNotOpen");
}

#[test]
fn recent_projects_survive_a_restart_and_can_be_forgotten() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    {
        let app = TestApp::start(data.path(), Some(project.path().to_str().unwrap()));
        let view: WorkspaceView = app.call("workspace_snapshot", json!({}));
        assert_eq!(view.open.len(), 1, "the command-line project opened");
    }
    let app = TestApp::start(data.path(), None);
    let view: WorkspaceView = app.call("workspace_snapshot", json!({}));
    assert!(view.open.is_empty(), "open projects are not restored, only remembered");
    assert_eq!(view.recent[0].project.path, canonical(project.path()));
    let view: WorkspaceView = app.call("recent_forget", json!({ "path": view.recent[0].project.path }));
    assert!(view.recent.is_empty());
}

#[test]
fn a_missing_path_on_the_command_line_becomes_a_notice() {
    let data = tempfile::tempdir().unwrap();
    let missing = data.path().join("gone");
    let app = TestApp::start(data.path(), Some(missing.to_str().unwrap()));
    let view: WorkspaceView = app.call("workspace_snapshot", json!({}));
    assert_eq!(view.notices.len(), 1);
    assert!(view.notices[0].message.contains("does not exist"), "{:?}", view.notices);
    let view: WorkspaceView = app.call("notice_dismiss", json!({ "id": view.notices[0].id }));
    assert!(view.notices.is_empty());
}

#[test]
fn a_corrupt_settings_file_is_set_aside_with_a_notice() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("warden.json"), "{ not json").unwrap();
    let app = TestApp::start(data.path(), None);
    let view: WorkspaceView = app.call("workspace_snapshot", json!({}));
    assert!(view.notices[0].message.contains("could not be read"), "{:?}", view.notices);
    let aside: Vec<_> = std::fs::read_dir(data.path())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("warden.json.corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1, "the damaged file is kept for the person to inspect");
}

#[test]
fn a_malformed_recent_list_is_set_aside_too() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("warden.json"), r#"{"recentProjects": 42}"#).unwrap();
    let app = TestApp::start(data.path(), None);
    let view: WorkspaceView = app.call("workspace_snapshot", json!({}));
    assert!(view.recent.is_empty());
    assert!(view.notices[0].message.contains("malformed"), "{:?}", view.notices);
    let project = tempfile::tempdir().unwrap();
    let _: WorkspaceView = app.call("project_open", json!({ "path": project.path() }));
    drop(app);
    let app = TestApp::start(data.path(), None);
    let view: WorkspaceView = app.call("workspace_snapshot", json!({}));
    assert_eq!(view.recent.len(), 1, "a fresh store replaced the malformed one");
}
