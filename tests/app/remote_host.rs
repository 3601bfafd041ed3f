//! The calls about a host itself from the window (`Request::Host`): an agent installed into the
//! host's own agents folder with its progress reaching the window's channel, that agent's login
//! flow run in a host terminal whose output reaches the window, and the usage the host's store
//! holds. The "host" is reached through a command transport (a local `sh -c` starting its
//! engine under its own HOME and data folder); its agent runs the real Claude CLI on the mock
//! model, and the agent installed is a local npm package (npm runs offline).

use crate::remote_support::*;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;
use tauri::ipc::{Channel, InvokeResponseBody};
use tokio::sync::mpsc;
use warden_app::remote_window::types::*;
use warden_app::remote_window::RemoteWindow;
use warden_app::session_channels::SessionChannels;
use warden_core::agent::InstallEvent;
use warden_core::session::{AgentKind, SessionEventKind};
use warden_core::terminal::TerminalEvent;
use warden_mock_models::Reply;
use warden_remote::{HostRequest, HostResponse, Request, Response, StartSession, UsageAsked};

fn window() -> RemoteWindow {
    RemoteWindow::new(Arc::new(SessionChannels::default()), Box::new(|_| false), Box::new(|_, _, _| {}), vec![Duration::from_millis(10)])
}

/// A channel whose messages land in a receiver.
fn channel<T: serde::de::DeserializeOwned + Send + 'static>() -> (Channel<T>, mpsc::UnboundedReceiver<T>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let channel = Channel::new(move |body| {
        if let InvokeResponseBody::Json(json) = body {
            let _ = tx.send(serde_json::from_str::<T>(&json).expect("a message of the channel's type"));
        }
        Ok(())
    });
    (channel, rx)
}

/// An npm package of a stand-in `codex` (its version, and a "login flow" that prints its
/// arguments), packed into a tarball as a registry would serve it.
fn codex_package(dir: &std::path::Path) -> std::path::PathBuf {
    let src = dir.join("fixture");
    std::fs::create_dir_all(src.join("bin")).unwrap();
    std::fs::write(src.join("package.json"), r#"{"name": "warden-fixture-codex", "version": "0.169.0", "bin": {"codex": "bin/codex.js"}}"#).unwrap();
    std::fs::write(
        src.join("bin/codex.js"),
        "#!/usr/bin/env node\nconst args = process.argv.slice(2);\nconsole.log(args.includes('--version') ? 'codex-cli 0.169.0' : 'fixture login flow: ' + args.join(' '));\n",
    )
    .unwrap();
    let out = Command::new("npm").args(["pack", "--silent", "--pack-destination"]).arg(dir).current_dir(&src).env("npm_config_cache", dir.join("npm-cache")).output().unwrap();
    assert!(out.status.success(), "npm pack: {}", String::from_utf8_lossy(&out.stderr));
    dir.join(String::from_utf8_lossy(&out.stdout).trim())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_is_installed_on_the_host_with_progress_and_its_login_runs_in_a_host_terminal() {
    let host = Host::new();
    let scratch = tempfile::tempdir().unwrap();
    let package = codex_package(scratch.path());
    // The host's engine starts with the package override (as a test of the local install does).
    let command = format!(
        "WARDEN_AGENT_PACKAGE_CODEX='{}' npm_config_offline=true npm_config_cache='{}' exec '{}' serve --stdio",
        package.display(),
        scratch.path().join("npm-cache").display(),
        host.warden().display()
    );
    let target = RemoteTarget { kind: RemoteKind::Command, destination: command, folder: host.project_str(), ssh: Default::default(), remote_warden: None, container_engine: None };
    let remote = window();
    let RemoteOpenOutcome::Opened(opened) = remote.open(&target).await.expect("opens") else { panic!("not opened") };
    let conn = opened.connection.clone();

    let (progress, mut events) = channel::<InstallEvent>();
    remote.agent_install(&conn, AgentKind::Codex, false, progress).await.expect("the install starts on the host");
    let mut seen = Vec::new();
    let finished = loop {
        let event = tokio::time::timeout(WAIT, events.recv()).await.unwrap_or_else(|_| panic!("no end of the install; events: {seen:?}")).expect("the channel stays");
        seen.push(event.clone());
        if let InstallEvent::Finished(done) = event {
            break done;
        }
    };
    assert!(finished.success, "{finished:?}; events: {seen:?}");
    assert!(matches!(&seen[0], InstallEvent::Started { command } if command.contains("npm install")), "{seen:?}");
    let installed = host.data.path().join("agents/codex/node_modules/.bin/codex");
    assert!(installed.exists(), "installed into the host's own agents folder: {}", installed.display());
    // A second read of the same run from the start gives the same events, once each.
    let Response::Host(HostResponse::InstallEvents { events: again, finished: true }) =
        remote.call(&conn, Request::Host(HostRequest::AgentInstallEvents { kind: AgentKind::Codex, run: 1, after: 0 })).await.unwrap()
    else {
        panic!("the kept events")
    };
    assert_eq!(again, seen);
    // A run the host does not know is refused.
    let err = remote.call(&conn, Request::Host(HostRequest::AgentInstallEvents { kind: AgentKind::Codex, run: 99, after: 0 })).await.expect_err("unknown run");
    assert!(err.message.contains("no install 99"), "{}", err.message);
    let Response::Host(HostResponse::InstallCancelled(false)) = remote.call(&conn, Request::Host(HostRequest::AgentInstallCancel { kind: AgentKind::Codex })).await.unwrap() else {
        panic!("nothing to cancel")
    };

    // Its login flow runs on the host, in a host terminal whose output reaches the window.
    let (output, mut terminal) = channel::<TerminalEvent>();
    let login = remote.agent_login(&conn, AgentKind::Codex, 80, 24, output).await.expect("a login terminal on the host");
    assert!(login.title.contains("Log in"), "{}", login.title);
    let mut text = String::new();
    while !text.contains("fixture login flow: login") {
        match tokio::time::timeout(WAIT, terminal.recv()).await {
            Ok(Some(TerminalEvent::Output(chunk))) => text.push_str(&chunk),
            Ok(Some(TerminalEvent::Exited(_))) if text.contains("fixture login flow") => break,
            Ok(other) => panic!("the login terminal ended before its output: {other:?}; output: {text}"),
            Err(_) => panic!("no login output from the host: {text}"),
        }
    }
    assert!(text.contains("fixture login flow: login"), "{text}");
    let _ = remote.call(&conn, Request::TerminalClose { id: login.id }).await;
    let _ = remote.close(&conn).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_usage_of_a_remote_project_is_the_hosts() {
    let host = Host::new();
    host.mock.push(Reply::text("Hello from the host."));
    let remote = window();
    let target = RemoteTarget {
        kind: RemoteKind::Command,
        destination: format!("'{}' serve --stdio", host.warden().display()),
        folder: host.project_str(),
        ssh: Default::default(),
        remote_warden: None,
        container_engine: None,
    };
    let RemoteOpenOutcome::Opened(opened) = remote.open(&target).await.expect("opens") else { panic!("not opened") };
    let conn = opened.connection.clone();
    let asked = |project: Option<String>| UsageAsked { project, from_ms: 0, to_ms: warden_engine::now_ms() + 3_600_000, utc_offset_minutes: 0 };
    // Nothing yet.
    let Response::Host(HostResponse::Usage(before)) = remote.call(&conn, Request::Host(HostRequest::Usage(asked(Some(host.project_str()))))).await.unwrap() else { panic!("usage") };
    assert_eq!(before.totals.turns, 0);
    let start = StartSession { project: host.project_str(), agent: Some("claude".into()), checks: false, prompt: Some("Say hello".into()), ..Default::default() };
    let Response::Started(started) = remote.call(&conn, Request::StartSession(start)).await.unwrap() else { panic!("started") };
    let id = started.session.id.clone();
    let conn_events = warden_remote::Connection::open(&host.command_transport()).await.expect("a second client");
    let mut sub = conn_events.subscribe(&id, 0).await.unwrap();
    let mut seen = Vec::new();
    until(&mut sub.events, &mut seen, "the end of the turn", |k| matches!(k, SessionEventKind::TurnEnded(_))).await;
    let Response::Host(HostResponse::Usage(report)) = remote.call(&conn, Request::Host(HostRequest::Usage(asked(Some(host.project_str()))))).await.unwrap() else { panic!("usage") };
    assert_eq!((report.totals.sessions, report.totals.turns), (1, 1), "{report:?}");
    assert_eq!(report.project.as_deref(), Some(host.project_str().as_str()));
    assert!(report.totals.output_tokens > 0, "{report:?}");
    let Response::Host(HostResponse::UsageCsv(csv)) = remote.call(&conn, Request::Host(HostRequest::UsageCsv(asked(None)))).await.unwrap() else { panic!("csv") };
    assert!(csv.lines().count() >= 2 && csv.contains("claude"), "{csv}");
    // A folder that is not there is refused by the host with its reason.
    let err = remote.call(&conn, Request::Host(HostRequest::Usage(asked(Some("/definitely/not/here".into()))))).await.expect_err("refused");
    assert!(err.message.contains("/definitely/not/here"), "{}", err.message);
    let _ = remote.call(&conn, Request::Stop { session: id }).await;
    let _ = remote.close(&conn).await;
}
