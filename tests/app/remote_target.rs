//! Where a remote project is, end to end: a folder named from the host user's home (`~/app`,
//! resolved by the host's engine, never by the window) over a real OpenSSH server on
//! 127.0.0.1 reached with the typed ssh options alone; another user's home and an ssh option
//! that would run a command here refused before anything runs; and the recent remote projects
//! stored in the older shape still load, while an entry that cannot be used stays in the file.

use crate::remote_support::*;
use crate::support::TestApp;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use warden_app::remote_window::types::*;
use warden_app::remote_window::RemoteWindow;
use warden_app::session_channels::SessionChannels;
use warden_remote::{Request, Response, SshExtra, SshOption};

fn window() -> RemoteWindow {
    RemoteWindow::new(Arc::new(SessionChannels::default()), Box::new(|_| false), Box::new(|_, _, _| {}), vec![Duration::from_millis(10)])
}

fn target(sshd: &Sshd, host: &Host, folder: &str) -> RemoteTarget {
    RemoteTarget {
        kind: RemoteKind::Ssh,
        destination: Sshd::ALIAS.into(),
        folder: folder.into(),
        ssh: sshd.extra(),
        remote_warden: Some(host.warden().to_string_lossy().into_owned()),
        container_engine: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_ssh_a_home_folder_is_resolved_by_the_host_and_another_users_home_is_refused() {
    let sshd = Sshd::start();
    let host = Host::new();
    // The host's user's home is the wrapper's HOME (as a login there would have it).
    let app = host.home.path().join("code/app");
    std::fs::create_dir_all(&app).unwrap();
    let remote = window();
    let RemoteOpenOutcome::Opened(opened) = remote.open(&target(&sshd, &host, "~/code/app")).await.expect("opens over ssh") else { panic!("not opened") };
    assert_eq!(opened.project, app.canonicalize().unwrap().to_string_lossy(), "the host resolved ~ against its own home");
    assert_eq!(opened.target.folder, "~/code/app", "the window sends ~ as typed");
    // `~` alone is the home itself.
    let Response::Workspace(view) = remote.call(&opened.connection, Request::OpenProject { path: "~".into() }).await.unwrap() else { panic!("workspace") };
    let home = host.home.path().canonicalize().unwrap().to_string_lossy().into_owned();
    assert!(view.open.iter().any(|p| p.path == home), "{view:?}");
    // Another user's home: the host refuses it itself …
    let err = remote.call(&opened.connection, Request::OpenProject { path: "~root/app".into() }).await.expect_err("refused by the host");
    assert!(err.message.contains("~root names another user's home"), "{}", err.message);
    // … also when a session is started there by a folder (`warden run --remote --project '~root/app'`).
    let start = Request::StartSession(warden_remote::StartSession { project: "~root/app".into(), ..Default::default() });
    let err = remote.call(&opened.connection, start).await.expect_err("refused by the host");
    assert!(err.message.contains("~root names another user's home"), "{}", err.message);
    // … and the window before connecting.
    let err = window().open(&target(&sshd, &host, "~root/app")).await.expect_err("refused by the window");
    assert!(err.message.contains("another user's home (~root)"), "{}", err.message);
    let _ = remote.close(&opened.connection).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ssh_option_that_runs_a_command_is_refused_before_ssh_starts() {
    let sshd = Sshd::start();
    let host = Host::new();
    let marker = tempfile::tempdir().unwrap();
    let touched = marker.path().join("pwned");
    let remote = window();
    for (key, value) in [("ProxyCommand", format!("sh -c 'touch {}'", touched.display())), ("LocalCommand", format!("touch {}", touched.display())), ("PermitLocalCommand", "yes".into())] {
        let mut evil = target(&sshd, &host, &host.project_str());
        evil.ssh.options.push(SshOption { key: key.into(), value });
        let err = remote.open(&evil).await.expect_err("refused");
        assert!(err.message.contains(&format!("the ssh option {key} is refused")), "{}", err.message);
        let err = remote.install(&evil, std::path::Path::new("/nonexistent"), |_| {}).await.expect_err("refused");
        assert!(err.message.contains("is refused"), "{}", err.message);
    }
    let jump = RemoteTarget { ssh: SshExtra { jump: Some(format!("-oProxyCommand=touch {}", touched.display())), ..sshd.extra() }, ..target(&sshd, &host, "/srv") };
    assert!(remote.open(&jump).await.expect_err("refused").message.contains("not a jump host"));
    assert!(!touched.exists(), "nothing ran");
    assert!(remote.connections().is_empty());
    // The allowed ones reach ssh: a ConnectTimeout beside the test's options still connects.
    let mut fine = target(&sshd, &host, &host.project_str());
    fine.ssh.options.push(SshOption { key: "connecttimeout".into(), value: "10".into() });
    let RemoteOpenOutcome::Opened(opened) = remote.open(&fine).await.expect("opens") else { panic!("not opened") };
    assert!(opened.target.ssh.options.iter().any(|o| o.key == "ConnectTimeout"), "{:?}", opened.target.ssh);
    let _ = remote.close(&opened.connection).await;
}

#[test]
fn recent_remote_projects_of_the_older_shape_load_and_an_unusable_entry_is_kept_as_it_was() {
    let data = tempfile::tempdir().unwrap();
    let evil = json!({"kind": "ssh", "destination": "box", "folder": "/srv", "label": "box:/srv", "sshArgs": ["-oProxyCommand=touch /tmp/warden-pwned"], "lastOpenedMs": 30});
    let stored = json!({
        "recentRemoteProjects": [
            {"kind": "ssh", "destination": "dev@box", "folder": "/srv/app", "label": "dev@box:/srv/app", "sshArgs": ["-p", "2222"], "remoteWarden": null, "containerEngine": null, "lastOpenedMs": 20},
            evil,
            {"kind": "container", "destination": "web", "folder": "~/w", "label": "container web:~/w", "containerEngine": "podman", "lastOpenedMs": 10}
        ]
    });
    std::fs::write(data.path().join("warden.json"), serde_json::to_vec_pretty(&stored).unwrap()).unwrap();
    let app = TestApp::start(data.path(), None);
    let recent: Vec<RecentRemoteProject> = app.call("remote_recent", json!({}));
    assert_eq!(recent.iter().map(|r| (r.target.destination.as_str(), r.target.ssh.port)).collect::<Vec<_>>(), [("dev@box", Some(2222)), ("web", None)]);
    assert_eq!(recent[1].target.container_engine.as_deref(), Some("podman"));
    // Forgetting one rewrites the list in the new shape, the unusable entry as it was.
    let left: Vec<RecentRemoteProject> = app.call("remote_recent_forget", json!({"kind": "container", "destination": "web", "folder": "~/w"}));
    assert_eq!(left.len(), 1);
    let file: Value = serde_json::from_str(&std::fs::read_to_string(data.path().join("warden.json")).unwrap()).unwrap();
    let list = file["recentRemoteProjects"].as_array().unwrap();
    assert_eq!(list.len(), 2, "{file}");
    assert_eq!(list[0]["target"]["ssh"]["port"], json!(2222), "{file}");
    assert_eq!(list[1], evil, "kept unchanged");
    assert!(!std::path::Path::new("/tmp/warden-pwned").exists());
}
