//! Remote projects in the window, driven through the window's own Rust functions (the
//! `RemoteWindow` the commands wrap, and the commands themselves on the mock runtime): a real
//! OpenSSH server on 127.0.0.1, the real Claude CLI on the mock model on the "host" side, its
//! questions in the window's permission queue and answered through the window's path, the ssh
//! process killed mid-turn, a host that is gone, the install into a container-like host, and
//! bad input.

use crate::remote_support::*;
use crate::support::TestApp;
use serde_json::{json, Value};
use std::os::unix::fs::PermissionsExt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tauri::ipc::{Channel, InvokeResponseBody};
use tokio::sync::mpsc;
use warden_app::remote_window::types::*;
use warden_app::remote_window::RemoteWindow;
use warden_app::session_channels::SessionChannels;
use warden_core::session::*;
use warden_mock_models::Reply;
use warden_remote::{Request, Response, StartSession};

pub(crate) type States = mpsc::UnboundedReceiver<(RemoteConnectionId, RemoteConnectionState)>;

/// A `RemoteWindow` over fresh session channels, its state changes in a channel.
pub(crate) fn window(pauses: Vec<Duration>, local: bool) -> (RemoteWindow, Arc<SessionChannels>, States) {
    let channels = Arc::new(SessionChannels::default());
    let (tx, states) = mpsc::unbounded_channel();
    let on_state = Box::new(move |id, _label, state| drop(tx.send((id, state))));
    let window = RemoteWindow::new(channels.clone(), Box::new(move |_| local), on_state, pauses);
    (window, channels, states)
}

pub(crate) fn ssh_target(sshd: &Sshd, host: &Host) -> RemoteTarget {
    RemoteTarget {
        kind: RemoteKind::Ssh,
        destination: Sshd::ALIAS.into(),
        folder: host.project_str(),
        ssh: sshd.extra(),
        remote_warden: Some(host.warden().to_string_lossy().into_owned()),
        container_engine: None,
    }
}

pub(crate) fn opened(outcome: RemoteOpenOutcome) -> RemoteOpened {
    match outcome {
        RemoteOpenOutcome::Opened(opened) => opened,
        RemoteOpenOutcome::NeedsInstall(probe) => panic!("not opened: {probe:?}"),
    }
}

/// A tab's channel: every event it gets, in order of arrival.
fn tab() -> (Channel<SessionEvent>, mpsc::UnboundedReceiver<SessionEvent>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let channel = Channel::new(move |body| {
        if let InvokeResponseBody::Json(json) = body {
            let _ = tx.send(serde_json::from_str::<SessionEvent>(&json).expect("a session event"));
        }
        Ok(())
    });
    (channel, rx)
}

/// Waits (bounded) until the window's permission queue holds a question of `session` other than
/// those in `except`; returns it.
pub(crate) async fn queued(channels: &SessionChannels, session: &SessionId, except: &[PermissionRequestId]) -> WaitingRequest {
    let deadline = Instant::now() + WAIT;
    loop {
        let waiting = channels.waiting();
        let mut ids: Vec<&PermissionRequestId> = waiting.iter().map(|w| &w.request.request_id).collect();
        ids.sort_by(|a, b| a.0.cmp(&b.0));
        ids.dedup();
        assert_eq!(ids.len(), waiting.len(), "a question is in the queue once: {waiting:?}");
        if let Some(w) = waiting.into_iter().find(|w| &w.session_id == session && !except.contains(&w.request.request_id)) {
            return w;
        }
        assert!(Instant::now() < deadline, "no question of {session} reached the window's queue: {:?}", channels.waiting());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits (bounded) for the next state change of a connection that matches.
pub(crate) async fn state_until(states: &mut States, what: &str, pred: impl Fn(&RemoteConnectionState) -> bool) -> RemoteConnectionState {
    let mut seen = Vec::new();
    loop {
        let (_, state) = tokio::time::timeout(WAIT, states.recv())
            .await
            .unwrap_or_else(|_| panic!("timed out waiting for {what}; states so far: {seen:?}"))
            .expect("the state listener stays");
        if pred(&state) {
            return state;
        }
        seen.push(state);
    }
}

pub(crate) fn start(host: &Host, prompt: &str) -> Request {
    Request::StartSession(StartSession { project: host.project_str(), agent: Some("claude".into()), checks: false, prompt: Some(prompt.into()), ..Default::default() })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_ssh_a_remote_session_asks_in_the_windows_queue_and_its_stream_survives_a_killed_ssh() {
    let sshd = Sshd::start();
    let host = Host::new();
    let (first_file, second_file) = (host.project().join("a.txt"), host.project().join("b.txt"));
    host.mock.push(Reply::tool("Write", json!({"file_path": first_file, "content": "a\n"})));
    host.mock.push(Reply::tool("Write", json!({"file_path": second_file, "content": "b\n"})));
    host.mock.push(Reply::text("Both written."));
    let (remote, channels, mut states) = window(vec![Duration::from_millis(300); 5], false);
    let opened = opened(remote.open(&ssh_target(&sshd, &host)).await.expect("opens over ssh"));
    assert_eq!(opened.project, host.project_str());
    assert_eq!(opened.label, format!("{}:{}", Sshd::ALIAS, host.project_str()));
    assert_eq!(opened.host.warden, warden_remote::WARDEN_VERSION);
    assert!(matches!(state_until(&mut states, "connected", |_| true).await, RemoteConnectionState::Connected(_)));
    let conn = opened.connection.clone();
    let Response::Agents(agents) = remote.call(&conn, Request::Agents).await.unwrap() else { panic!("agents") };
    assert!(agents.iter().any(|a| a.kind == AgentKind::Claude && a.program.is_some()), "the host's Claude is found: {agents:?}");

    let Response::Started(started) = remote.call(&conn, start(&host, "Write a.txt and b.txt")).await.unwrap() else { panic!("started") };
    let id = started.session.id.clone();
    assert_eq!(remote.connection_of(&id), Some(conn.clone()), "the window knows the session is the host's");
    let (channel, mut live) = tab();
    let backlog = remote.subscribe(&conn, &id, 0, channel).await.expect("a tab follows it");
    let from_backlog = backlog.len();
    let mut seen: Vec<SessionEvent> = backlog;
    // The question reaches the window's permission queue, with the host's project.
    let first = queued(&channels, &id, &[]).await;
    assert_eq!((first.project.as_str(), first.request.tool_name.as_str()), (host.project_str().as_str(), "Write"));
    assert!(!first_file.exists(), "nothing is written before the answer");
    remote.answer(&id, &first.request.request_id, PermissionAnswer::new(PermissionDecision::AllowOnce)).await.expect("a remote session").expect("answered");

    // The ssh process dies mid-turn: the window reconnects by itself.
    remote.sever(&conn).await.unwrap();
    let reconnecting = state_until(&mut states, "reconnecting", |s| matches!(s, RemoteConnectionState::Reconnecting { .. })).await;
    let RemoteConnectionState::Reconnecting { attempt, max_attempts, reason, .. } = reconnecting else { unreachable!() };
    assert_eq!((attempt, max_attempts), (1, 5));
    assert!(reason.contains("closed from this side"), "{reason}");
    assert!(matches!(state_until(&mut states, "connected again", |_| true).await, RemoteConnectionState::Connected(_)));
    // The agent went on on the host: the first file, then the second question, still pending.
    file_appears(&first_file).await;
    let second = queued(&channels, &id, &[first.request.request_id.clone()]).await;
    assert!(!channels.waiting().iter().any(|w| w.request.request_id == first.request.request_id), "the answered one left the queue");
    until(&mut live, &mut seen, "the second question in the tab", |k| matches!(k, SessionEventKind::PermissionRequested(r) if r.request_id == second.request.request_id)).await;
    assert!(!second_file.exists());
    remote.answer(&id, &second.request.request_id, PermissionAnswer::new(PermissionDecision::AllowOnce)).await.unwrap().unwrap();
    until(&mut live, &mut seen, "the end of the turn", |k| matches!(k, SessionEventKind::TurnEnded(_))).await;
    assert!(second_file.exists());
    // What came live came once each, in order, across the reconnect.
    let live_seqs: Vec<u64> = seen[from_backlog..].iter().map(|e| e.seq).collect();
    assert!(live_seqs.windows(2).all(|w| w[0] < w[1]), "no duplicate live: {live_seqs:?}");
    // The tab saw every event once (backlog and live together, copies dropped by seq as the
    // window does), with no gap across the reconnect.
    seen.sort_by_key(|e| e.seq);
    seen.dedup_by_key(|e| e.seq);
    let seqs: Vec<u64> = seen.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>(), "no gap: {:?}", kinds(&seen));
    tokio::time::timeout(WAIT, async {
        while !channels.waiting().is_empty() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the queue empties once both are answered");
    remote.call(&conn, Request::Stop { session: id.clone() }).await.unwrap();
    remote.close(&conn).await.unwrap();
    assert!(matches!(state_until(&mut states, "closed", |_| true).await, RemoteConnectionState::Closed));
    let err = remote.call(&conn, Request::Ping).await.unwrap_err();
    assert!(err.message.contains("was closed"), "{}", err.message);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_that_is_gone_is_reported_after_a_bounded_number_of_attempts() {
    let sshd = Sshd::start();
    let host = Host::new();
    let pauses = vec![Duration::from_millis(100), Duration::from_millis(200), Duration::from_millis(300)];
    let (remote, _channels, mut states) = window(pauses, false);
    let conn = opened(remote.open(&ssh_target(&sshd, &host)).await.unwrap()).connection;
    state_until(&mut states, "connected", |s| matches!(s, RemoteConnectionState::Connected(_))).await;
    // The server goes away (its process only: the client's config stays, as a person's
    // ~/.ssh/config would), then the connection drops.
    let config = std::path::PathBuf::from(&sshd.ssh_args()[1]);
    let pid = std::fs::read_to_string(config.with_file_name("sshd.pid")).expect("sshd's pid file");
    assert!(std::process::Command::new("kill").arg(pid.trim()).status().unwrap().success());
    // Only once sshd has really gone: a dying sshd can still accept the first attempt and reset it,
    // which is another failure than the refused connection this test is about.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    // (sshd is the test's child: once it has exited it stays a zombie until the test reaps it.)
    let alive = || std::fs::read_to_string(format!("/proc/{}/stat", pid.trim())).is_ok_and(|stat| !stat.contains(") Z "));
    while alive() {
        assert!(std::time::Instant::now() < deadline, "sshd did not exit within 10 s");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    remote.sever(&conn).await.unwrap();
    // Each attempt is reported with its number, then the host is reported gone.
    let mut attempts = Vec::new();
    let reason = loop {
        match state_until(&mut states, "an attempt or gone", |_| true).await {
            RemoteConnectionState::Reconnecting { attempt, max_attempts, .. } => attempts.push((attempt, max_attempts)),
            RemoteConnectionState::Gone { reason } => break reason,
            other => panic!("unexpected state {other:?} after {attempts:?}"),
        }
    };
    assert_eq!(attempts, [(1, 3), (2, 3), (3, 3)]);
    assert!(reason.contains("Connection refused"), "ssh's own words: {reason}");
    // Not retried forever: nothing more happens.
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(states.try_recv().is_err(), "no attempt after the host was reported gone");
    assert!(matches!(remote.connections()[0].state, RemoteConnectionState::Gone { .. }));
    let err = remote.call(&conn, Request::Ping).await.unwrap_err();
    assert!(err.message.contains("cannot be reached"), "{}", err.message);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_clearly_and_nothing_is_run() {
    let (remote, _channels, _states) = window(vec![Duration::from_millis(10)], false);
    let marker = tempfile::tempdir().unwrap();
    let touched = marker.path().join("x");
    let target = |kind, destination: &str, folder: &str| RemoteTarget {
        kind,
        destination: destination.into(),
        folder: folder.into(),
        ssh: Default::default(),
        remote_warden: None,
        container_engine: None,
    };
    let cases = [
        (target(RemoteKind::Ssh, &format!("-oProxyCommand=touch {}", touched.display()), "/srv"), "must not start with '-'"),
        (target(RemoteKind::Container, "--privileged", "/srv"), "must not start with '-'"),
        (target(RemoteKind::Ssh, "box", ""), "folder on the host is empty"),
        (target(RemoteKind::Ssh, "box", "src/app"), "not an absolute path"),
        (target(RemoteKind::Command, "  ", "/srv"), "empty"),
    ];
    for (bad, why) in cases {
        let err = remote.open(&bad).await.expect_err("refused");
        assert!(err.message.contains(why), "{bad:?}: {}", err.message);
        let err = remote.install(&bad, std::path::Path::new("/nonexistent"), |_| {}).await.expect_err("refused");
        assert!(err.message.contains(why), "{bad:?}: {}", err.message);
    }
    assert!(!touched.exists(), "no option was passed to ssh");
    assert!(remote.connections().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_ssh_a_missing_warden_is_reported_with_the_hosts_platform() {
    let sshd = Sshd::start();
    let host = Host::new();
    let (remote, _channels, _states) = window(vec![Duration::from_millis(10)], false);
    let target = RemoteTarget { remote_warden: Some("/nonexistent/warden".into()), ..ssh_target(&sshd, &host) };
    let RemoteOpenOutcome::NeedsInstall(probe) = remote.open(&target).await.unwrap() else { panic!("opened without Warden") };
    assert!(matches!(probe.state, RemoteHostState::Missing { .. }), "{probe:?}");
    let here = format!("{} {}", std::env::consts::OS, std::env::consts::ARCH);
    assert_eq!((probe.platform.as_deref(), probe.local_platform.as_str(), probe.installable), (Some(here.as_str()), here.as_str(), true));
    assert!(probe.message.contains("not installed") && probe.message.contains("Install Warden"), "{}", probe.message);
    assert!(remote.connections().is_empty(), "no connection is kept");
}

/// A stand-in for `docker` on the "host": `exec -i NAME CMD…` runs CMD here under the host's
/// HOME and data folder, with a PATH that has no `warden` (and `path_first` before it).
fn fake_docker(host: &Host, name: &str, path_first: Option<&std::path::Path>) -> std::path::PathBuf {
    let fake = host.home.path().join(name);
    let path = match path_first {
        Some(dir) => format!("{}:/usr/bin:/bin", dir.display()),
        None => "/usr/bin:/bin".into(),
    };
    let script = format!(
        "#!/bin/sh\n[ \"$1\" = exec ] && [ \"$2\" = -i ] || exit 64\nshift 3\nexport HOME='{}' WARDEN_DATA_DIR='{}' PATH='{path}'\nexec \"$@\"\n",
        host.home.path().display(),
        host.data.path().display()
    );
    std::fs::write(&fake, script).unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    fake
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_warden_is_installed_with_progress_then_the_project_opens() {
    let host = Host::new();
    let (remote, _channels, _states) = window(vec![Duration::from_millis(10)], false);
    let container = |engine: std::path::PathBuf| RemoteTarget {
        kind: RemoteKind::Container,
        destination: "dev".into(),
        folder: host.project_str(),
        ssh: Default::default(),
        remote_warden: None,
        container_engine: Some(engine.to_string_lossy().into_owned()),
    };
    // Another platform there: refused, naming both, nothing copied.
    let other = host.home.path().join("other-platform");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("uname"), "#!/bin/sh\necho Plan9 mips\n").unwrap();
    std::fs::set_permissions(other.join("uname"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let elsewhere = container(fake_docker(&host, "docker-plan9", Some(&other)));
    let RemoteOpenOutcome::NeedsInstall(probe) = remote.open(&elsewhere).await.unwrap() else { panic!("opened") };
    assert_eq!((probe.platform.as_deref(), probe.installable), (Some("plan9 mips"), false), "{probe:?}");
    assert!(probe.message.contains("install Warden") && probe.message.contains("plan9 mips"), "{}", probe.message);
    let binary = std::path::PathBuf::from(env!("CARGO_BIN_EXE_warden"));
    let err = remote.install(&elsewhere, &binary, |_| {}).await.expect_err("another platform is refused");
    assert!(err.message.contains("plan9 mips") && err.message.contains(std::env::consts::ARCH), "{}", err.message);
    let installed = host.home.path().join(".local/bin/warden");
    assert!(!installed.exists());

    // The same platform: missing, installable; installed with its progress; then it opens.
    let target = container(fake_docker(&host, "docker", None));
    let RemoteOpenOutcome::NeedsInstall(probe) = remote.open(&target).await.unwrap() else { panic!("opened without Warden") };
    assert!(matches!(probe.state, RemoteHostState::Missing { .. }) && probe.installable, "{probe:?}");
    let steps = Arc::new(Mutex::new(Vec::new()));
    let log = steps.clone();
    let host_warden = remote.install(&target, &binary, move |step| log.lock().unwrap().push(step)).await.expect("installed");
    assert_eq!(host_warden.warden, warden_remote::WARDEN_VERSION);
    let steps = steps.lock().unwrap().clone();
    assert_eq!(steps.first(), Some(&RemoteInstallProgress::Checking));
    assert_eq!(steps.last(), Some(&RemoteInstallProgress::Done(host_warden.clone())));
    let copied: Vec<(u64, u64)> = steps.iter().filter_map(|s| if let RemoteInstallProgress::Copying { sent, total } = s { Some((*sent, *total)) } else { None }).collect();
    let size = std::fs::metadata(&binary).unwrap().len();
    assert!(copied.len() > 1 && copied.windows(2).all(|w| w[0].0 < w[1].0), "progress goes up in steps: {copied:?}");
    assert_eq!(copied.last(), Some(&(size, size)));
    assert_eq!(std::fs::metadata(&installed).unwrap().len(), size);
    let opened = opened(remote.open(&target).await.expect("opens after the install"));
    assert_eq!(opened.project, host.project_str());
    assert_eq!(opened.label, format!("container dev:{}", host.project_str()));
    let Response::Pong = remote.call(&opened.connection, Request::Ping).await.unwrap() else { panic!("pong") };
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_cannot_pass_its_session_off_as_one_of_this_machine() {
    let host = Host::new();
    host.mock.push(Reply::text("Hello."));
    // Every id counts as local here: a host naming one is not followed, its tab refused.
    let (remote, channels, _states) = window(vec![Duration::from_millis(10)], true);
    let target = RemoteTarget {
        kind: RemoteKind::Command,
        destination: format!("'{}' serve --stdio", host.warden().display()),
        folder: host.project_str(),
        ssh: Default::default(),
        remote_warden: None,
        container_engine: None,
    };
    let conn = opened(remote.open(&target).await.unwrap()).connection;
    let Response::Started(started) = remote.call(&conn, start(&host, "Say hello")).await.unwrap() else { panic!("started") };
    let id = started.session.id;
    assert_eq!(remote.connection_of(&id), None, "not taken as the host's");
    let (channel, _rx) = tab();
    let err = remote.subscribe(&conn, &id, 0, channel).await.expect_err("refused");
    assert!(err.message.contains("session of this machine"), "{}", err.message);
    assert!(remote.answer(&id, &PermissionRequestId("q".into()), PermissionAnswer::new(PermissionDecision::AllowOnce)).await.is_none());
    assert!(channels.waiting().is_empty());
    remote.call(&conn, Request::Stop { session: id }).await.unwrap();
}

/// Polls `permissions_waiting` (bounded) until a question of `session` is there.
fn waiting_question(app: &TestApp, session: &str) -> Value {
    let deadline = Instant::now() + WAIT;
    loop {
        let waiting: Vec<Value> = app.call("permissions_waiting", json!({}));
        if let Some(w) = waiting.into_iter().find(|w| w["sessionId"] == session) {
            return w;
        }
        assert!(Instant::now() < deadline, "the remote question did not reach permissions_waiting");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn through_the_commands_a_remote_question_is_answered_like_a_local_one_and_the_project_is_recent() {
    let sshd = Sshd::start();
    let host = Host::new();
    let target_file = host.project().join("ipc.txt");
    host.mock.push(Reply::tool("Write", json!({"file_path": target_file, "content": "via the window\n"})));
    host.mock.push(Reply::text("Done."));
    let data = tempfile::tempdir().unwrap();
    let app = TestApp::start(data.path(), None);
    // Bad input through the command: a clear error.
    let bad = app.invoke("remote_open", json!({"target": {"kind": "ssh", "destination": "-oProxyCommand=sh", "folder": "/srv"}})).unwrap_err();
    assert!(bad["message"].as_str().unwrap().contains("must not start with '-'"), "{bad}");
    let target = serde_json::to_value(ssh_target(&sshd, &host)).unwrap();
    let outcome: Value = app.call("remote_open", json!({ "target": target }));
    assert_eq!(outcome["type"], "opened", "{outcome}");
    let conn = outcome["data"]["connection"].clone();
    let started: Value = app.call(
        "remote_call",
        json!({"connection": conn, "request": {"op": "startSession", "args": {"project": host.project_str(), "agent": "claude", "checks": false, "prompt": "Create ipc.txt"}}}),
    );
    assert_eq!(started["type"], "started", "{started}");
    let session = started["data"]["session"]["id"].as_str().unwrap().to_owned();
    let refs: Vec<Value> = app.call("remote_sessions", json!({}));
    assert!(refs.iter().any(|r| r["sessionId"] == session.as_str() && r["connection"] == conn), "{refs:?}");
    // The question is in the same queue as local ones, and answered with the same command.
    let question = waiting_question(&app, &session);
    assert_eq!(question["project"], host.project_str());
    let _: Value = app.call("permission_resolve", json!({"sessionId": session, "requestId": question["request"]["requestId"], "answer": {"decision": "allowOnce"}}));
    file_appears_blocking(&target_file);
    assert_eq!(std::fs::read_to_string(&target_file).unwrap(), "via the window\n");
    // A session the window does not know is neither local nor remote: not running.
    let err = app.invoke("permission_resolve", json!({"sessionId": "nope", "requestId": "q", "answer": {"decision": "allowOnce"}})).unwrap_err();
    assert_eq!(err["code"], "sessionNotRunning", "{err}");
    // Remembered among the recent remote projects, in the settings file; and forgotten.
    let recent: Vec<Value> = app.call("remote_recent", json!({}));
    assert_eq!(recent.len(), 1, "{recent:?}");
    assert_eq!((recent[0]["target"]["kind"].as_str(), recent[0]["target"]["destination"].as_str()), (Some("ssh"), Some(Sshd::ALIAS)));
    assert_eq!(recent[0]["target"]["folder"], host.project_str());
    let stored: Value = serde_json::from_str(&std::fs::read_to_string(data.path().join("warden.json")).unwrap()).unwrap();
    assert_eq!(stored["recentRemoteProjects"][0]["target"]["folder"], host.project_str(), "{stored}");
    let views: Vec<Value> = app.call("remote_connections", json!({}));
    assert_eq!(views[0]["state"]["type"], "connected", "{views:?}");
    let _: Value = app.call("remote_call", json!({"connection": conn, "request": {"op": "stop", "args": {"session": session}}}));
    let left: Vec<Value> = app.call("remote_recent_forget", json!({"kind": "ssh", "destination": Sshd::ALIAS, "folder": host.project_str()}));
    assert!(left.is_empty());
    let _: Value = app.call("remote_close", json!({ "connection": conn }));
}

fn file_appears_blocking(path: &std::path::Path) {
    let deadline = Instant::now() + WAIT;
    while !path.exists() {
        assert!(Instant::now() < deadline, "{} did not appear", path.display());
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Waits (bounded) until the terminal's output so far contains `text`.
async fn output_until(rx: &mut mpsc::UnboundedReceiver<warden_core::terminal::TerminalEvent>, out: &mut String, text: &str) {
    let deadline = Instant::now() + WAIT;
    while !out.contains(text) {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, rx.recv()).await {
            Ok(Some(warden_core::terminal::TerminalEvent::Output(chunk))) => out.push_str(&chunk),
            Ok(Some(other)) => panic!("the terminal ended before {text:?}: {other:?}; output: {out}"),
            Ok(None) | Err(_) => panic!("no {text:?} in the terminal's output: {out}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_terminal_streams_to_the_window_and_goes_on_after_a_reconnect_without_repeats() {
    let host = Host::new();
    let (remote, _channels, mut states) = window(vec![Duration::from_millis(200); 3], false);
    let target = RemoteTarget {
        kind: RemoteKind::Command,
        destination: format!("'{}' serve --stdio", host.warden().display()),
        folder: host.project_str(),
        ssh: Default::default(),
        remote_warden: None,
        container_engine: None,
    };
    let opened = opened(remote.open(&target).await.unwrap());
    state_until(&mut states, "connected", |s| matches!(s, RemoteConnectionState::Connected(_))).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let channel = Channel::new(move |body| {
        if let InvokeResponseBody::Json(json) = body {
            let _ = tx.send(serde_json::from_str::<warden_core::terminal::TerminalEvent>(&json).expect("a terminal event"));
        }
        Ok(())
    });
    let terminal = remote.terminal_open(&opened.connection, opened.project.clone(), 80, 24, None, channel).await.expect("a terminal on the host");
    let write = |data: &str| Request::TerminalWrite { id: terminal.id, data: data.into() };
    let mut out = String::new();
    remote.call(&opened.connection, write("echo remote-$((6*7))\n")).await.unwrap();
    output_until(&mut rx, &mut out, "remote-42").await;
    remote.sever(&opened.connection).await.unwrap();
    state_until(&mut states, "connected again", |s| matches!(s, RemoteConnectionState::Connected(_))).await;
    remote.call(&opened.connection, write("echo after-$((6*7))\n")).await.unwrap();
    output_until(&mut rx, &mut out, "after-42").await;
    assert_eq!(out.matches("remote-42").count(), 1, "nothing repeated after the reconnect: {out}");
    remote.call(&opened.connection, Request::TerminalClose { id: terminal.id }).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gone_host_keeps_its_question_waiting_and_reopening_revives_the_same_connection() {
    let host = Host::new();
    let written = host.project().join("later.txt");
    host.mock.push(Reply::tool("Write", json!({"file_path": written, "content": "later\n"})));
    host.mock.push(Reply::text("Done."));
    // The "host" is reachable while this file exists.
    let up = host.home.path().join("reachable");
    std::fs::write(&up, "").unwrap();
    let (remote, channels, mut states) = window(vec![Duration::from_millis(100), Duration::from_millis(100)], false);
    let target = RemoteTarget {
        kind: RemoteKind::Command,
        destination: format!("[ -e '{}' ] || {{ echo 'ssh: connect to host box port 22: No route to host' >&2; exit 255; }}; exec '{}' serve --stdio", up.display(), host.warden().display()),
        folder: host.project_str(),
        ssh: Default::default(),
        remote_warden: None,
        container_engine: None,
    };
    let conn = opened(remote.open(&target).await.unwrap()).connection;
    let Response::Started(started) = remote.call(&conn, start(&host, "Write later.txt")).await.unwrap() else { panic!("started") };
    let id = started.session.id;
    let asked = queued(&channels, &id, &[]).await;
    std::fs::remove_file(&up).unwrap();
    remote.sever(&conn).await.unwrap();
    let RemoteConnectionState::Gone { reason } = state_until(&mut states, "gone", |s| matches!(s, RemoteConnectionState::Gone { .. })).await else { unreachable!() };
    assert!(reason.contains("No route to host"), "the transport's own words: {reason}");
    // Nothing is allowed meanwhile: the question still waits, and answering it says why not.
    assert_eq!(channels.waiting().len(), 1);
    let err = remote.answer(&id, &asked.request.request_id, PermissionAnswer::new(PermissionDecision::AllowOnce)).await.unwrap().unwrap_err();
    assert!(err.message.contains("cannot be reached"), "{}", err.message);
    assert!(!written.exists());
    // Reachable again: opening it again revives the same connection, the stream goes on from
    // where it was (the question is not queued twice), and the answer goes through.
    std::fs::write(&up, "").unwrap();
    let again = opened(remote.open(&target).await.expect("reopens"));
    assert_eq!(again.connection, conn);
    assert!(matches!(remote.connections()[0].state, RemoteConnectionState::Connected(_)));
    assert_eq!(queued(&channels, &id, &[]).await.request.request_id, asked.request.request_id);
    remote.answer(&id, &asked.request.request_id, PermissionAnswer::new(PermissionDecision::AllowOnce)).await.unwrap().expect("answered after the reconnect");
    file_appears(&written).await;
    remote.call(&conn, Request::Stop { session: id }).await.unwrap();
}
