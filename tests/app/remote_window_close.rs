//! What the window keeps of a host, and for how long: closing a remote project takes its
//! questions out of the window's queue while they go on waiting on the host (nothing is
//! answered by closing) and reopening brings them back; a session that ends on the host, or
//! that the host no longer knows, is no longer followed or routed. Over a real OpenSSH server
//! on 127.0.0.1 and a command transport, with the real Claude CLI on the mock model.

use crate::remote_support::*;
use crate::remote_window::{opened, queued, ssh_target, start, state_until, window};
use serde_json::json;
use std::time::{Duration, Instant};
use warden_app::remote_window::types::*;
use warden_app::remote_window::RemoteWindow;
use warden_core::session::*;
use warden_mock_models::Reply;
use warden_remote::{Connection, Request, Response};

/// Waits (bounded) until `check` holds.
async fn eventually(what: &str, check: impl Fn() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The session's record as the host stores it, read through a connection of its own.
async fn on_host(host: &Host, session: &SessionId) -> SessionRecord {
    let direct = Connection::open(&host.command_transport()).await.expect("a direct connection to the host");
    let records = direct.sessions(Some(&host.project_str())).await.unwrap();
    records.into_iter().find(|r| &r.id == session).expect("the host keeps the session")
}

fn command_target(host: &Host, destination: String) -> RemoteTarget {
    RemoteTarget { kind: RemoteKind::Command, destination, folder: host.project_str(), ssh: Default::default(), remote_warden: None, container_engine: None }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_ssh_closing_takes_the_hosts_questions_out_of_the_queue_they_stay_pending_there_and_reopening_shows_them_again() {
    let sshd = Sshd::start();
    let host = Host::new();
    let written = host.project().join("closed.txt");
    host.mock.push(Reply::tool("Write", json!({"file_path": written, "content": "after the reopen\n"})));
    host.mock.push(Reply::text("Written."));
    let (remote, channels, mut states) = window(vec![Duration::from_millis(300); 5], false);
    let target = ssh_target(&sshd, &host);
    let conn = opened(remote.open(&target).await.expect("opens over ssh")).connection;
    let Response::Started(started) = remote.call(&conn, start(&host, "Write closed.txt")).await.unwrap() else { panic!("started") };
    let id = started.session.id;
    let asked = queued(&channels, &id, &[]).await;
    assert_eq!(remote.connection_of(&id), Some(conn.clone()));

    remote.close(&conn).await.unwrap();
    assert!(matches!(state_until(&mut states, "closed", |s| matches!(s, RemoteConnectionState::Closed)).await, RemoteConnectionState::Closed));
    // Out of the window's queue at once, and nothing of the host is routed any more: an
    // answer for its session is not taken for a remote one.
    assert!(channels.waiting().is_empty(), "the closed host's question left the queue: {:?}", channels.waiting());
    assert_eq!(remote.connection_of(&id), None);
    assert!(remote.sessions().is_empty(), "{:?}", remote.sessions());
    assert!(remote.answer(&id, &asked.request.request_id, PermissionAnswer::new(PermissionDecision::AllowOnce)).await.is_none());
    // On the host it is still pending: nothing was allowed or denied by closing.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!written.exists(), "nothing is written while the question waits");
    assert_eq!(on_host(&host, &id).await.status, SessionStatus::Running, "the session goes on on the host");
    assert!(channels.waiting().is_empty(), "nothing of the closed host reached the queue meanwhile");

    // Reopened: the same connection, the question back in the queue (once), answered through it.
    let again = opened(remote.open(&target).await.expect("reopens"));
    assert_eq!(again.connection, conn);
    let back = queued(&channels, &id, &[]).await;
    assert_eq!(back.request.request_id, asked.request.request_id, "the same question, still pending");
    assert_eq!(back.project, host.project_str());
    assert_eq!(channels.waiting().len(), 1, "{:?}", channels.waiting());
    assert_eq!(remote.connection_of(&id), Some(conn.clone()), "its session routes again");
    remote.answer(&id, &back.request.request_id, PermissionAnswer::new(PermissionDecision::AllowOnce)).await.expect("a remote session").expect("answered");
    file_appears(&written).await;
    assert_eq!(std::fs::read_to_string(&written).unwrap(), "after the reopen\n");
    remote.call(&conn, Request::Stop { session: id }).await.unwrap();
    remote.close(&conn).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_that_ends_on_the_host_is_no_longer_routed_and_resuming_it_routes_it_again() {
    let host = Host::new();
    host.mock.push(Reply::text("Hello."));
    host.mock.push(Reply::text("Hello again."));
    let (remote, _channels, _states) = window(vec![Duration::from_millis(100)], false);
    let conn = opened(remote.open(&command_target(&host, format!("'{}' serve --stdio", host.warden().display()))).await.unwrap()).connection;
    let Response::Started(started) = remote.call(&conn, start(&host, "Say hello")).await.unwrap() else { panic!("started") };
    let id = started.session.id;
    assert_eq!(remote.connection_of(&id), Some(conn.clone()));
    remote.call(&conn, Request::Stop { session: id.clone() }).await.unwrap();
    eventually("the ended session is pruned", || remote.connection_of(&id).is_none()).await;
    assert!(remote.sessions().is_empty(), "{:?}", remote.sessions());
    // A listing names it again, but a finished session asks nothing: not routed.
    let Response::Sessions(listed) = remote.call(&conn, Request::Sessions { project: Some(host.project_str()) }).await.unwrap() else { panic!("sessions") };
    assert!(listed.iter().any(|r| r.id == id));
    assert_eq!(remote.connection_of(&id), None);
    // Resumed: followed and routed again.
    let resume = Request::ResumeSession { session: id.clone(), prompt: Some("Again".into()) };
    let Response::Started(resumed) = remote.call(&conn, resume).await.unwrap() else { panic!("resumed") };
    assert_eq!(resumed.session.id, id);
    assert_eq!(remote.connection_of(&id), Some(conn.clone()));
    remote.call(&conn, Request::Stop { session: id.clone() }).await.unwrap();
    eventually("the ended session is pruned again", || remote.connection_of(&id).is_none()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_the_host_no_longer_knows_after_a_reconnect_is_dropped_and_the_connection_comes_back() {
    let host = Host::new();
    let target_file = host.project().join("never.txt");
    host.mock.push(Reply::tool("Write", json!({"file_path": target_file, "content": "x\n"})));
    // The "host" is reachable while this file exists.
    let up = host.home.path().join("reachable");
    std::fs::write(&up, "").unwrap();
    let (remote, channels, mut states) = window(vec![Duration::from_millis(400); 10], false);
    let destination = format!("[ -e '{}' ] || {{ echo 'ssh: connect to host box port 22: No route to host' >&2; exit 255; }}; exec '{}' serve --stdio", up.display(), host.warden().display());
    let conn = opened(remote.open(&command_target(&host, destination)).await.unwrap()).connection;
    state_until(&mut states, "connected", |s| matches!(s, RemoteConnectionState::Connected(_))).await;
    let Response::Started(started) = remote.call(&conn, start(&host, "Write never.txt")).await.unwrap() else { panic!("started") };
    let id = started.session.id;
    queued(&channels, &id, &[]).await;
    // The host loses everything: its engine is killed outright (no session is stopped
    // cleanly) and its store is wiped before the window can reconnect.
    std::fs::remove_file(&up).unwrap();
    let pid = host.engine_pid().expect("the host's engine runs");
    assert!(std::process::Command::new("kill").args(["-9", &pid.to_string()]).status().unwrap().success());
    state_until(&mut states, "reconnecting", |s| matches!(s, RemoteConnectionState::Reconnecting { .. })).await;
    eventually("the engine is gone", || std::fs::read_to_string(format!("/proc/{pid}/stat")).map_or(true, |stat| stat.contains(") Z "))).await;
    for entry in std::fs::read_dir(host.data.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() { std::fs::remove_dir_all(&path).unwrap() } else { std::fs::remove_file(&path).unwrap() }
    }
    std::fs::write(&up, "").unwrap();
    // Before: the vanished session failed every reconnect and the host was reported gone.
    let back = state_until(&mut states, "connected again", |s| matches!(s, RemoteConnectionState::Connected(_) | RemoteConnectionState::Gone { .. })).await;
    assert!(matches!(back, RemoteConnectionState::Connected(_)), "{back:?}");
    eventually("the vanished session is forgotten", || remote.connection_of(&id).is_none()).await;
    assert!(channels.waiting().iter().all(|w| w.session_id != id), "its question left the queue: {:?}", channels.waiting());
    let Response::Pong = remote.call(&conn, Request::Ping).await.unwrap() else { panic!("pong") };
}

/// The window as the app makes it, for the attacker-minded checks below.
fn shared_window() -> RemoteWindow {
    window(vec![Duration::from_millis(10)], false).0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_cannot_take_a_session_another_connection_reaches() {
    // Two hosts; the second names the first one's session (its store is a copy of the first's).
    let first = Host::new();
    first.mock.push(Reply::tool("Write", json!({"file_path": first.project().join("mine.txt"), "content": "x\n"})));
    let remote = shared_window();
    let a = opened(remote.open(&command_target(&first, format!("'{}' serve --stdio", first.warden().display()))).await.unwrap()).connection;
    let Response::Started(started) = remote.call(&a, start(&first, "Write mine.txt")).await.unwrap() else { panic!("started") };
    let id = started.session.id;
    let second = Host::new();
    // The second host's engine opens the first's project folder and lists the same session id.
    std::process::Command::new("cp").arg("-a").arg(format!("{}/.", first.data.path().display())).arg(second.data.path()).status().unwrap();
    for stale in [warden_remote::server::local::SOCKET, warden_remote::server::local::LOCK] {
        let _ = std::fs::remove_file(second.data.path().join(stale));
    }
    let b_target = RemoteTarget { folder: first.project_str(), ..command_target(&second, format!("'{}' serve --stdio", second.warden().display())) };
    let b = opened(remote.open(&b_target).await.expect("the second host opens")).connection;
    assert_ne!(a, b);
    let Response::Sessions(listed) = remote.call(&b, Request::Sessions { project: Some(first.project_str()) }).await.unwrap() else { panic!("sessions") };
    assert!(listed.iter().any(|r| r.id == id), "the second host names the first's session: {listed:?}");
    assert_eq!(remote.connection_of(&id), Some(a.clone()), "still reached through the first connection");
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel::<SessionEvent>();
    let channel = tauri::ipc::Channel::new(move |body| {
        if let tauri::ipc::InvokeResponseBody::Json(json) = body {
            let _ = tx.send(serde_json::from_str(&json).unwrap());
        }
        Ok(())
    });
    let err = remote.subscribe(&b, &id, 0, channel).await.expect_err("not followed through the second host");
    assert!(err.message.contains("another connection"), "{}", err.message);
    remote.call(&a, Request::Stop { session: id }).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_does_not_wait_for_a_host_that_never_answers() {
    // A "host" that shakes hands, answers the opening (its project, no sessions), then reads
    // every further request and answers none.
    let frame = |f: &warden_remote::ServerFrame| serde_json::to_string(f).unwrap();
    let hello = frame(&warden_remote::ServerFrame::Hello(warden_remote::Hello::ours()));
    let view: warden_core::WorkspaceView = serde_json::from_value(json!({"revision": 1, "open": [], "active": null, "recent": [], "notices": []})).unwrap();
    let answer = |id, response| frame(&warden_remote::ServerFrame::Response { id, result: warden_remote::protocol::Reply::Ok(response) });
    let (workspace, sessions) = (answer(1, Response::Workspace(view)), answer(2, Response::Sessions(Vec::new())));
    let script = format!("printf '%s\\n' '{hello}'; read l; printf '%s\\n' '{{\"type\":\"ready\"}}'; read l; printf '%s\\n' '{workspace}'; read l; printf '%s\\n' '{sessions}'; cat >/dev/null");
    let target = RemoteTarget { kind: RemoteKind::Command, destination: script, folder: "/srv/app".into(), ssh: Default::default(), remote_warden: None, container_engine: None };
    let remote = std::sync::Arc::new(shared_window());
    let conn = opened(remote.open(&target).await.expect("opens")).connection;
    let pending = tokio::spawn({
        let (remote, conn) = (remote.clone(), conn.clone());
        async move { remote.call(&conn, Request::Ping).await }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!pending.is_finished(), "the host holds the call");
    tokio::time::timeout(Duration::from_secs(5), remote.close(&conn)).await.expect("closing does not wait for the host's answer").unwrap();
    let call = tokio::time::timeout(Duration::from_secs(5), pending).await.expect("the call ends with the connection").unwrap();
    assert!(call.is_err(), "{call:?}");
}
