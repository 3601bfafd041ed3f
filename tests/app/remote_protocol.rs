//! The remote protocol against what it must refuse, through the command transport (a local
//! `sh -c` under the host's HOME) and a raw pipe to `warden serve --stdio`: lines that are no
//! request (each answered with a clear protocol error, the connection going on or closing
//! cleanly), paths that lead out of the project, a terminal outside the folders the engine
//! knows, another data folder's session; and the engine ending when idle just as clients
//! arrive, none of them lost.

use crate::remote_support::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc as std_mpsc;
use std::time::Duration;
use warden_core::journal::RollbackTarget;
use warden_core::session::*;
use warden_remote::{ClientError, Connection, ErrorKind};

/// A raw `warden serve --stdio` of the host, handshaken; its lines are read on a thread so
/// every read is bounded.
struct Raw {
    child: Child,
    lines: std_mpsc::Receiver<String>,
}

impl Raw {
    fn open(host: &Host) -> Raw {
        let mut child = Command::new(host.warden()).args(["serve", "--stdio"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
        let lines = read_lines(child.stdout.take().unwrap());
        let mut raw = Raw { child, lines };
        assert_eq!(raw.next()["type"], "hello");
        raw.send(&json!({"type": "hello", "protocol": warden_remote::PROTOCOL_VERSION, "warden": warden_remote::WARDEN_VERSION, "platform": "test"}).to_string());
        assert_eq!(raw.next()["type"], "ready");
        raw
    }

    fn send(&mut self, line: &str) {
        send_line(&mut self.child, line);
    }

    /// The next frame, bounded.
    fn next(&mut self) -> Value {
        let line = self.lines.recv_timeout(WAIT).expect("a frame within the wait");
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"))
    }

    /// Whether the server closed its end (bounded).
    fn closed(&mut self) -> bool {
        matches!(self.lines.recv_timeout(WAIT), Err(std_mpsc::RecvTimeoutError::Disconnected))
    }
}

fn read_lines(stdout: ChildStdout) -> std_mpsc::Receiver<String> {
    let (tx, rx) = std_mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { return };
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    rx
}

fn refused(err: ClientError, kind: ErrorKind, words: &str) {
    match &err {
        ClientError::Remote(e) if e.kind == kind && e.message.contains(words) => {}
        other => panic!("expected a {kind:?} error saying {words:?}, got {other:?}"),
    }
}

#[test]
fn a_line_that_is_no_request_gets_a_clear_protocol_error_and_the_connection_survives_or_closes_cleanly() {
    let host = Host::new();
    let mut raw = Raw::open(&host);
    // Not JSON: said so, with the start of the line; the connection goes on.
    raw.send("rm -rf /");
    let error = raw.next();
    assert_eq!((error["type"].as_str(), error["closing"].as_bool()), (Some("protocolError"), Some(false)), "{error}");
    assert!(error["message"].as_str().unwrap().contains("rm -rf /"), "{error}");
    // JSON, but no frame of this protocol: the same.
    raw.send(r#"{"type":"shout","loud":true}"#);
    assert_eq!(raw.next()["type"], "protocolError");
    // A request of a kind the host does not know: answered under its id.
    raw.send(r#"{"type":"request","id":7,"request":{"op":"formatDisk","args":{"disk":"/dev/sda"}}}"#);
    let answer = raw.next();
    assert_eq!(answer["id"], 7);
    assert_eq!(answer["result"]["type"], "err");
    assert_eq!(answer["result"]["data"]["kind"], "badRequest");
    assert!(answer["result"]["data"]["message"].as_str().unwrap().contains("formatDisk"), "{answer}");
    // A known request with arguments of the wrong shape: the same.
    raw.send(r#"{"type":"request","id":8,"request":{"op":"terminalWrite","args":{"id":"everything"}}}"#);
    let answer = raw.next();
    assert_eq!((answer["id"].as_u64(), answer["result"]["type"].as_str()), (Some(8), Some("err")), "{answer}");
    // Still usable.
    raw.send(r#"{"type":"request","id":9,"request":{"op":"ping"}}"#);
    let pong = raw.next();
    assert_eq!((pong["id"].as_u64(), pong["result"]["data"]["type"].as_str()), (Some(9), Some("pong")), "{pong}");
    // A line longer than any message: said so, then the connection closes (the rest of such a
    // line cannot be told from the next request).
    let long = vec![b'x'; warden_remote::protocol::MAX_FRAME + 16];
    let stdin = raw.child.stdin.as_mut().unwrap();
    // The server may close while the rest is still being written: that is the clean close.
    let _ = stdin.write_all(&long).and_then(|()| stdin.write_all(b"\n")).and_then(|()| stdin.flush());
    let error = raw.next();
    assert_eq!((error["type"].as_str(), error["closing"].as_bool()), (Some("protocolError"), Some(true)), "{error}");
    assert!(error["message"].as_str().unwrap().contains("longer than"), "{error}");
    assert!(raw.closed(), "the server closed the connection");
    drop(raw.child.stdin.take());
    let status = raw.child.wait().unwrap();
    assert!(status.success(), "the relay ends cleanly: {status}");
    // The engine itself is unharmed: a new connection is served.
    let mut again = Raw::open(&host);
    again.send(r#"{"type":"request","id":1,"request":{"op":"ping"}}"#);
    assert_eq!(again.next()["id"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paths_out_of_the_project_another_folders_terminal_and_another_data_folders_session_are_refused() {
    let host = Host::new();
    let project = host.project_str();
    // A stored session of this host, for the per-hunk calls: a record in its store is what
    // they look at, written before the host's engine starts.
    let ours = SessionId("our-session".into());
    {
        let (engine, _) = warden_engine::Engine::open(host.data.path()).unwrap();
        let record = SessionRecord::new(ours.clone(), project.clone(), AgentKind::Claude, None, PermissionMode::Default, 1);
        engine.store().import_session(&record, &[]).unwrap();
    }
    let conn = Connection::open(&host.command_transport()).await.expect("handshake");
    conn.open_project(&project).await.unwrap();

    // A session of another data folder (stored there, never here).
    let elsewhere = tempfile::tempdir().unwrap();
    let theirs = SessionId("their-session".into());
    {
        let (engine, _) = warden_engine::Engine::open(elsewhere.path()).unwrap();
        let record = SessionRecord::new(theirs.clone(), project.clone(), AgentKind::Claude, None, PermissionMode::Default, 1);
        engine.store().import_session(&record, &[]).unwrap();
    }
    refused(conn.events(&theirs, 0).await.unwrap_err(), ErrorKind::NotFound, "no session their-session on this host");
    refused(conn.event(&theirs, 1).await.unwrap_err(), ErrorKind::NotFound, "no session");
    refused(conn.subscribe(&theirs, 0).await.err().expect("refused"), ErrorKind::NotFound, "no session");
    refused(conn.set_mode(&theirs, PermissionMode::Plan).await.unwrap_err(), ErrorKind::NotFound, "not running");
    refused(conn.comments(&project, &theirs, false).await.unwrap_err(), ErrorKind::NotFound, "no session");
    refused(conn.search_outputs(&theirs, vec![1], "x").await.unwrap_err(), ErrorKind::NotFound, "no session");
    refused(conn.session_image(&theirs, "a.png").await.unwrap_err(), ErrorKind::NotFound, "no session");
    // An id that reads like a path finds nothing either.
    refused(conn.events(&SessionId("../../etc".into()), 0).await.unwrap_err(), ErrorKind::NotFound, "no session");

    for path in ["../outside.txt", "/etc/passwd", "a/../../b", ""] {
        let err = conn.keep_hunk(&project, &ours, path, "f00d", true).await.expect_err(path);
        assert!(matches!(err, ClientError::Remote(ref e) if e.kind == ErrorKind::BadRequest), "{path}: {err:?}");
    }
    conn.keep_hunk(&project, &ours, "src/lib.rs", "f00d", true).await.expect("a path inside the project");
    // An image is a plain file name in the session's own image folder, nothing else.
    for file in ["../../sessions.db", "/etc/passwd"] {
        refused(conn.session_image(&ours, file).await.unwrap_err(), ErrorKind::BadRequest, "not an image of this session");
    }

    // A project that is not there, or a file: refused by the engine's own resolution.
    refused(conn.file_log("/nonexistent/project", None).await.unwrap_err(), ErrorKind::BadRequest, "/nonexistent/project");
    let file = host.project().join("notes.txt");
    std::fs::write(&file, "x").unwrap();
    let rollback = conn.rollback_plan(&file.to_string_lossy(), RollbackTarget::Session { session_id: ours.clone() }).await.unwrap_err();
    assert!(matches!(rollback, ClientError::Remote(ref e) if e.kind == ErrorKind::BadRequest), "{rollback:?}");

    // A terminal only where the engine knows the folder: not its parent, not the host's root,
    // not a link inside the project that leads out of it.
    let outside = tempfile::tempdir().unwrap();
    let link = host.project().join("escape");
    std::os::unix::fs::symlink(outside.path(), &link).unwrap();
    for folder in [host.project().parent().unwrap().to_path_buf(), "/".into(), link.clone()] {
        let err = conn.terminal_open(&folder.to_string_lossy(), 80, 24, None).await.expect_err("refused");
        refused(err, ErrorKind::BadRequest, "neither a project open on this host nor one of its worktrees");
    }
    let err = conn.terminal_open(&project, 0, 24, None).await.expect_err("no size");
    refused(err, ErrorKind::BadRequest, "at least 1 column");
    let opened = conn.terminal_open(&project, 80, 24, None).await.expect("in the open project");
    conn.terminal_close(opened.id).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_arriving_as_the_idle_engine_ends_are_never_lost() {
    // An engine that ends 150 ms after its last client and is slow about it (300 ms before it
    // looks at its socket, 300 ms more before it lets go of its lock), so clients arrive in
    // each moment of its end: while it decides (they wait on its socket), after it removed
    // the socket (their relay starts an engine that finds the lock still held), and after.
    let host = Host::ending_after_ms(150, 300);
    let mut pids = std::collections::BTreeSet::new();
    for round in 0..14u64 {
        let transport = host.command_transport();
        let clients = if round % 4 == 3 { 3 } else { 1 };
        let mut calls = Vec::new();
        for _ in 0..clients {
            let transport = transport.clone();
            calls.push(tokio::spawn(async move {
                // Well under the relay's own 30 s wait for an engine: a client left waiting
                // for an engine that is gone fails here.
                let conn = tokio::time::timeout(Duration::from_secs(15), Connection::open(&transport)).await.expect("bounded").expect("connected");
                conn.ping().await.expect("served by a live engine");
            }));
        }
        for call in calls {
            call.await.expect("the client was served");
        }
        if let Some(pid) = host.engine_pid() {
            pids.insert(pid);
        }
        tokio::time::sleep(Duration::from_millis((round % 6) * 150)).await;
    }
    assert!(pids.len() >= 3, "the engine ended and started again between clients (pids {pids:?})");
}
