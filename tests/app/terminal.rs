//! The Terminal panel's commands through the app: a real shell in the project folder that takes
//! what the window types and its size, closes, and dies with the app. The mock runtime drops
//! what goes over the output channel, so the shell reports back through files.
#![cfg(unix)]

use crate::support::TestApp;
use serde_json::{json, Value};
use std::path::Path;
use std::time::{Duration, Instant};
use tauri::Manager;
use warden_app::state::AppState;
use warden_core::session::{AgentKind, PermissionMode, SessionId, SessionRecord};
use warden_mock_models::agents::{alive, gone_within};

/// Waits for the shell to write `file` completely (it ends with a newline), and reads it.
fn read_when_written(file: &Path) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(text) = std::fs::read_to_string(file) {
            if text.ends_with('\n') {
                return text;
            }
        }
        assert!(Instant::now() < deadline, "the shell never wrote {}", file.display());
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn open_shell(app: &TestApp, project: &Path) -> Value {
    app.call("terminal_open", json!({ "project": project, "cols": 90, "rows": 30, "command": null, "channel": "__CHANNEL__:7" }))
}

/// Types `line` and Enter into terminal `id`.
fn type_line(app: &TestApp, id: &Value, line: &str) {
    app.call::<Value>("terminal_write", json!({ "id": id, "data": format!("{line}\r") }));
}

#[test]
fn the_window_types_into_a_shell_in_the_project_resizes_it_and_closes_it() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let app = TestApp::start(data.path(), None);
    let opened = open_shell(&app, project.path());
    let id = opened["id"].clone();
    assert!(id.is_u64(), "{opened}");
    let shell = warden_engine::terminal::default_shell();
    assert_eq!(opened["title"].as_str(), shell.file_stem().and_then(|s| s.to_str()), "the tab is named for the shell");

    // Relative paths: the shell started in the project folder.
    type_line(&app, &id, "echo $$ > pid.txt; stty size > size.txt; echo $TERM > term.txt");
    let pid: u32 = read_when_written(&project.path().join("pid.txt")).trim().parse().unwrap();
    assert_eq!(read_when_written(&project.path().join("size.txt")), "30 90\n");
    assert_eq!(read_when_written(&project.path().join("term.txt")), "xterm-256color\n");

    app.call::<Value>("terminal_resize", json!({ "id": id, "cols": 120, "rows": 40 }));
    type_line(&app, &id, "stty size > resized.txt");
    assert_eq!(read_when_written(&project.path().join("resized.txt")), "40 120\n");

    app.call::<Value>("terminal_close", json!({ "id": id }));
    assert!(gone_within(pid, Duration::from_secs(5)), "closing the tab kills the shell");
    app.call::<Value>("terminal_close", json!({ "id": id }));
    let err = app.invoke("terminal_write", json!({ "id": id, "data": "x" })).unwrap_err();
    assert_eq!((err["code"].as_str(), err["message"].as_str()), (Some("internal"), Some(format!("there is no terminal term-{id}").as_str())));
}

#[test]
fn quitting_kills_every_terminal() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let app = TestApp::start(data.path(), None);
    let mut pids = Vec::new();
    for n in 0..2 {
        let id = open_shell(&app, project.path())["id"].clone();
        // A background job in a process group of its own, which must die too.
        type_line(&app, &id, &format!("sleep 1000 & echo $! > job{n}.txt"));
        pids.push(read_when_written(&project.path().join(format!("job{n}.txt"))).trim().parse::<u32>().unwrap());
    }
    assert!(pids.iter().all(|&p| alive(p)));
    warden_app::on_exit(app.window.app_handle());
    for pid in pids {
        assert!(gone_within(pid, Duration::from_secs(5)), "job {pid} outlived the app");
    }
}

#[test]
fn opening_fails_with_a_reason_the_window_can_show() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let app = TestApp::start(data.path(), None);
    let open = |project: &Path, command: Value, cols: u16| {
        app.invoke("terminal_open", json!({ "project": project, "cols": cols, "rows": 24, "command": command, "channel": "__CHANNEL__:8" }))
            .unwrap_err()
    };
    let missing = open(&project.path().join("gone"), Value::Null, 80);
    assert_eq!(missing["code"], "projectNotFound");
    let zero = open(project.path(), Value::Null, 0);
    assert!(zero["message"].as_str().unwrap().contains("at least 1 column"), "{zero}");
    let custom = open(project.path(), json!({ "agent": "custom", "resume": null }), 80);
    assert_eq!(custom["message"], "A custom ACP agent has no terminal interface Warden can open");
    let unknown = open(project.path(), json!({ "agent": "claude", "resume": "no-such-session" }), 80);
    assert_eq!(unknown["message"], "there is no session no-such-session");
}

#[test]
fn open_in_terminal_runs_the_agents_own_cli_resuming_its_session() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    // A stand-in for `codex` that answers discovery's `--version` and records how the terminal
    // started it. Only this test names Codex's executable, so the variable is safe to set here.
    let codex = data.path().join("codex");
    std::fs::write(
        &codex,
        "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'codex-cli 0.169.0'; exit 0; fi\necho \"$*\" > started.txt\nexec sleep 1000\n",
    )
    .unwrap();
    std::fs::set_permissions(&codex, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    std::env::set_var("WARDEN_CODEX", &codex);
    let app = TestApp::start(data.path(), None);
    let folder = std::fs::canonicalize(project.path()).unwrap().to_string_lossy().into_owned();
    let mut record = SessionRecord::new(SessionId("w-1".into()), folder, AgentKind::Codex, None, PermissionMode::Default, 1);
    record.agent_session_id = Some("0199-thread".into());
    app.window.app_handle().state::<AppState>().engine.store().create_session(&record).unwrap();

    let open = |command: Value| {
        app.call::<Value>("terminal_open", json!({ "project": project.path(), "cols": 80, "rows": 24, "command": command, "channel": "__CHANNEL__:9" }))
    };
    let opened = open(json!({ "agent": "codex", "resume": "w-1" }));
    assert_eq!(opened["title"], "Codex (resumed)");
    assert_eq!(read_when_written(&project.path().join("started.txt")), "resume 0199-thread\n", "`codex resume <thread id>` in the project");
    app.call::<Value>("terminal_close", json!({ "id": opened["id"] }));

    std::fs::remove_file(project.path().join("started.txt")).unwrap();
    let fresh = open(json!({ "agent": "codex", "resume": null }));
    assert_eq!(fresh["title"], "Codex");
    assert_eq!(read_when_written(&project.path().join("started.txt")), "\n", "a new session: no arguments");

    let err = app
        .invoke("terminal_open", json!({ "project": project.path(), "cols": 80, "rows": 24, "command": { "agent": "claude", "resume": "w-1" }, "channel": "__CHANNEL__:9" }))
        .unwrap_err();
    assert_eq!(err["message"], "session w-1 is a codex session, not claude");
    warden_app::on_exit(app.window.app_handle());
}
