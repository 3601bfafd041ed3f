//! Warden on another host: `warden serve --stdio` reached through a command transport (a local
//! `sh -c` under another HOME) and through a real OpenSSH server on 127.0.0.1; the real Claude
//! CLI on the mock model runs on the "remote" side, its questions are answered here.

use crate::remote_support::*;
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};
use warden_core::journal::{RollbackOutcome, RollbackTarget};
use warden_core::session::*;
use warden_mock_models::Reply;
use warden_remote::{ClientError, Connection, Remote, StartSession, Transport};

fn is_question(k: &SessionEventKind) -> bool {
    matches!(k, SessionEventKind::PermissionRequested(_))
}

fn question(event: &SessionEvent) -> PermissionRequest {
    match &event.kind {
        SessionEventKind::PermissionRequested(r) => r.clone(),
        other => panic!("not a question: {other:?}"),
    }
}

fn seqs(events: &[SessionEvent]) -> Vec<u64> {
    events.iter().map(|e| e.seq).collect()
}

/// One task through `transport`: open the project, list agents, start Claude with a prompt,
/// answer its question from here, roll back the file it wrote.
async fn a_task_with_a_question_and_a_rollback(host: &Host, transport: Transport) {
    let target = host.project().join("hello.txt");
    host.mock.push(Reply::tool("Write", json!({"file_path": target, "content": "written on the host\n"})));
    host.mock.push(Reply::text("Created it."));
    let conn = Connection::open(&transport).await.expect("handshake");
    assert_eq!(conn.server().warden, warden_remote::WARDEN_VERSION);
    let view = conn.open_project(&host.project_str()).await.unwrap();
    assert!(view.open.iter().any(|p| p.path == host.project_str()), "{view:?}");
    let agents = conn.agents().await.unwrap();
    let claude = agents.iter().find(|a| a.kind == AgentKind::Claude).expect("claude is listed");
    assert!(claude.program.is_some(), "the host's Claude is found there (WARDEN_CLAUDE of the host): {claude:?}");
    let start = StartSession { project: host.project_str(), agent: Some("claude".into()), checks: false, prompt: Some("Create hello.txt".into()), ..Default::default() };
    let started = conn.start_session(start).await.unwrap();
    let id = started.session.id.clone();
    let mut sub = conn.subscribe(&id, 0).await.unwrap();
    let mut seen = Vec::new();
    let asked = question(&until(&mut sub.events, &mut seen, "the question", is_question).await);
    assert_eq!(asked.tool_name, "Write");
    assert!(!target.exists(), "nothing is written before the answer");
    conn.resolve_permission(&id, &asked.request_id, PermissionAnswer::new(PermissionDecision::AllowOnce)).await.unwrap();
    until(&mut sub.events, &mut seen, "the end of the turn", |k| matches!(k, SessionEventKind::TurnEnded(_))).await;
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "written on the host\n");
    assert_eq!(seqs(&seen), (1..=seen.len() as u64).collect::<Vec<_>>(), "every event once, in order");
    let sessions = conn.sessions(Some(&host.project_str())).await.unwrap();
    assert_eq!(sessions.iter().map(|s| &s.id).collect::<Vec<_>>(), vec![&id]);
    let ops = conn.file_log(&host.project_str(), Some(&id)).await.unwrap();
    assert_eq!(ops.len(), 1, "{ops:?}");
    let outcome = conn.rollback(&host.project_str(), RollbackTarget::Turn { session_id: id.clone(), turn: TurnId(1) }, false).await.unwrap();
    assert!(matches!(outcome, RollbackOutcome::Done(_)), "{outcome:?}");
    assert!(!target.exists(), "the rollback removed the file on the host");
    conn.stop(&id).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_transport_runs_a_task_on_the_engine_under_another_home() {
    let host = Host::new();
    a_task_with_a_question_and_a_rollback(&host, host.command_transport()).await;
    // The engine is one background process with a private socket, not a port.
    let socket = host.data.path().join("serve.sock");
    assert_eq!(std::fs::metadata(&socket).unwrap().permissions().mode() & 0o777, 0o600);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_connection_meets_the_same_engine() {
    let host = Host::new();
    let target = host.project().join("shared.txt");
    host.mock.push(Reply::tool("Write", json!({"file_path": target, "content": "x\n"})));
    host.mock.push(Reply::text("Done."));
    let first = Connection::open(&host.command_transport()).await.unwrap();
    let pid = host.engine_pid().expect("an engine process runs");
    let start = StartSession { project: host.project_str(), checks: false, prompt: Some("Write it".into()), ..Default::default() };
    let id = first.start_session(start).await.unwrap().session.id;
    // A second `warden serve --stdio` relays to the running engine instead of opening another.
    let second = Connection::open(&host.command_transport()).await.unwrap();
    assert_eq!(host.engine_pid(), Some(pid));
    let mut sub = second.subscribe(&id, 0).await.unwrap();
    let mut seen = Vec::new();
    let asked = question(&until(&mut sub.events, &mut seen, "the question", is_question).await);
    // The first client goes away; the second answers the question the session asked.
    drop(first);
    second.resolve_permission(&id, &asked.request_id, PermissionAnswer::new(PermissionDecision::AllowOnce)).await.unwrap();
    until(&mut sub.events, &mut seen, "the end of the turn", |k| matches!(k, SessionEventKind::TurnEnded(_))).await;
    assert!(target.exists());
    second.stop(&id).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_version_is_refused_on_both_sides_naming_both() {
    // A "server" of another version: the client refuses it.
    let fake = r#"printf '%s\n' '{"type":"hello","protocol":1,"warden":"0.0.1","platform":"linux x86_64"}'; cat >/dev/null"#;
    let err = Connection::open(&Transport::command(fake).unwrap()).await.err().expect("refused");
    let message = err.to_string();
    assert!(matches!(err, ClientError::Mismatch(_)), "{err:?}");
    assert!(message.contains("Warden 0.0.1") && message.contains(&format!("Warden {}", warden_remote::WARDEN_VERSION)), "{message}");
    // A client of another version: the real server refuses it.
    let host = Host::new();
    let mut serve = Command::new(host.warden()).args(["serve", "--stdio"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    let mut lines = BufReader::new(serve.stdout.take().unwrap()).lines();
    let hello: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!((hello["type"].as_str(), hello["warden"].as_str()), (Some("hello"), Some(warden_remote::WARDEN_VERSION)));
    send_line(&mut serve, r#"{"type":"hello","protocol":1,"warden":"0.0.1","platform":"linux x86_64"}"#);
    let refused: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(refused["type"], "refused");
    let reason = refused["reason"].as_str().unwrap();
    assert!(reason.contains("Warden 0.0.1") && reason.contains(warden_remote::WARDEN_VERSION), "{reason}");
    drop(serve.stdin.take());
    assert!(serve.wait().unwrap().success());
    // A protocol-2 client of this very Warden version (a build from before protocol 3): refused
    // too, naming both protocols, so a stale peer never gets as far as an unknown request.
    let mut serve = Command::new(host.warden()).args(["serve", "--stdio"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    let mut lines = BufReader::new(serve.stdout.take().unwrap()).lines();
    let hello: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(hello["protocol"].as_u64(), Some(u64::from(warden_remote::PROTOCOL_VERSION)));
    send_line(&mut serve, &json!({"type": "hello", "protocol": 2, "warden": warden_remote::WARDEN_VERSION, "platform": "linux x86_64"}).to_string());
    let refused: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(refused["type"], "refused");
    let reason = refused["reason"].as_str().unwrap();
    assert!(reason.starts_with("version mismatch:") && reason.contains("(protocol 2)") && reason.contains("(protocol 3)"), "{reason}");
    drop(serve.stdin.take());
    assert!(serve.wait().unwrap().success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_connection_is_noticed_with_the_transports_exit_and_stderr() {
    // A "server" that shakes hands, then its pipe breaks the way a dropped ssh reports it.
    let hello = serde_json::to_string(&warden_remote::ServerFrame::Hello(warden_remote::Hello::ours())).unwrap();
    let script = format!("printf '%s\\n' '{hello}'; read line; printf '%s\\n' '{{\"type\":\"ready\"}}'; echo 'Connection to box closed by remote host.' >&2; exit 255");
    let conn = Connection::open(&Transport::command(&script).unwrap()).await.expect("handshake");
    let lost = tokio::time::timeout(WAIT, conn.lost()).await.expect("noticed, bounded");
    assert!(lost.reason.contains("255"), "{lost:?}");
    assert!(lost.stderr.contains("closed by remote host"), "{lost:?}");
    let err = conn.ping().await.expect_err("calls fail after the loss");
    assert!(matches!(err, ClientError::Lost(_)), "{err:?}");
    // Before the handshake: the transport's own complaint is named.
    let err = Connection::open(&Transport::command("echo 'Permission denied (publickey).' >&2; exit 255").unwrap()).await.err().expect("fails");
    assert!(err.to_string().contains("Permission denied (publickey)") && err.to_string().contains("255"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_warden_is_named() {
    let err = Connection::open(&Transport::command("exec /nonexistent/warden serve --stdio").unwrap()).await.err().expect("fails");
    assert!(matches!(err, ClientError::NotInstalled { .. }), "{err:?}");
    assert!(err.to_string().contains("not installed"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_ssh_a_task_runs_on_the_host_with_its_question_answered_here() {
    let sshd = Sshd::start();
    let host = Host::new();
    a_task_with_a_question_and_a_rollback(&host, sshd.transport(&host)).await;
    // Warden missing on the host, through the same ssh.
    let options = warden_remote::SshOptions { batch_mode: true, ssh_args: sshd.ssh_args(), remote_warden: "/nonexistent/warden".into(), ..Default::default() };
    let err = Connection::open(&Transport::ssh(Sshd::ALIAS, &options).unwrap()).await.err().expect("fails");
    assert!(matches!(err, ClientError::NotInstalled { .. }), "{err:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_killed_mid_turn_resumes_from_its_last_seq_with_the_question_still_pending() {
    let sshd = Sshd::start();
    let host = Host::new();
    let (first_file, second_file) = (host.project().join("a.txt"), host.project().join("b.txt"));
    host.mock.push(Reply::tool("Write", json!({"file_path": first_file, "content": "a\n"})));
    host.mock.push(Reply::tool("Write", json!({"file_path": second_file, "content": "b\n"})));
    host.mock.push(Reply::text("Both written."));
    let mut remote = Remote::connect(sshd.transport(&host)).await.expect("handshake over ssh");
    let start = StartSession { project: host.project_str(), checks: false, prompt: Some("Write a.txt and b.txt".into()), ..Default::default() };
    let id = remote.connection().start_session(start).await.unwrap().session.id;
    let mut events = remote.follow(&id, 0).await.unwrap();
    let mut seen = Vec::new();
    let first = question(&until(&mut events, &mut seen, "the first question", is_question).await);
    remote.connection().resolve_permission(&id, &first.request_id, PermissionAnswer::new(PermissionDecision::AllowOnce)).await.unwrap();
    // The connection dies mid-turn (ssh is killed on this side).
    remote.connection().kill();
    let lost = tokio::time::timeout(WAIT, remote.connection().lost()).await.expect("the loss is noticed");
    assert!(lost.reason.contains("closed from this side"), "{lost}");
    let at_loss = remote.last_seq(&id).unwrap();
    // The agent works on without us: the first file is written on the host, then it asks again.
    file_appears(&first_file).await;
    remote.reconnect().await.expect("reconnects over ssh");
    let second = question(&until(&mut events, &mut seen, "the second question", is_question).await);
    assert_ne!(second.request_id, first.request_id);
    assert_eq!(seqs(&seen), (1..=seen.len() as u64).collect::<Vec<_>>(), "no gap and no duplicate across the reconnect (lost after {at_loss})");
    // Still pending: nothing answered it while no one was connected.
    assert!(!seen.iter().any(|e| matches!(&e.kind, SessionEventKind::PermissionResolved(r) if r.request_id == second.request_id)));
    assert!(!second_file.exists());
    // A plain subscription from a given seq starts right after it (the protocol itself).
    let mut replay = remote.connection().subscribe(&id, at_loss).await.unwrap();
    let mut replayed = Vec::new();
    until(&mut replay.events, &mut replayed, "the replayed question", |k| matches!(k, SessionEventKind::PermissionRequested(r) if r.request_id == second.request_id)).await;
    assert_eq!(replayed[0].seq, at_loss + 1);
    assert_eq!(replayed, seen[at_loss as usize..].to_vec());
    remote.connection().resolve_permission(&id, &second.request_id, PermissionAnswer::new(PermissionDecision::AllowOnce)).await.unwrap();
    until(&mut events, &mut seen, "the end of the turn", |k| matches!(k, SessionEventKind::TurnEnded(_))).await;
    assert_eq!(seqs(&seen), (1..=seen.len() as u64).collect::<Vec<_>>());
    assert!(second_file.exists());
    // A rollback of the second file alone, over ssh.
    let ops = remote.connection().file_log(&host.project_str(), Some(&id)).await.unwrap();
    let op = ops.iter().find(|o| o.path.ends_with("b.txt")).expect("b.txt recorded");
    let outcome = remote.connection().rollback(&host.project_str(), RollbackTarget::Op { id: op.id.clone() }, false).await.unwrap();
    assert!(matches!(outcome, RollbackOutcome::Done(_)), "{outcome:?}");
    assert!(!second_file.exists() && first_file.exists());
    remote.connection().stop(&id).await.unwrap();
}

#[test]
fn warden_run_remote_prints_what_a_local_run_prints_and_exits_the_same() {
    let sshd = Sshd::start();
    let host = Host::new();
    let target = host.project().join("run.txt");
    host.mock.push(Reply::tool("Write", json!({"file_path": target, "content": "from a script\n"})));
    host.mock.push(Reply::text("Done."));
    let client_data = tempfile::tempdir().unwrap();
    let mut args: Vec<String> = vec!["run".into(), "--remote".into(), Sshd::ALIAS.into()];
    for a in sshd.ssh_args() {
        args.push(format!("--ssh-arg={a}"));
    }
    args.extend(["--remote-warden".into(), host.warden().to_string_lossy().into_owned(), "--project".into(), host.project_str(), "--checks".into(), "off".into()]);
    args.extend(["--json".into(), "Create run.txt".into()]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_warden"))
        .args(&args)
        .env("WARDEN_DATA_DIR", client_data.path())
        .env_remove("DISPLAY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut seen: Vec<serde_json::Value> = Vec::new();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    for line in lines.by_ref() {
        let event: serde_json::Value = serde_json::from_str(&line.unwrap()).expect("one JSON event per line");
        seen.push(event.clone());
        if event["kind"]["type"] == "permissionRequested" {
            send_line(&mut child, &json!({"requestId": event["kind"]["data"]["requestId"], "decision": "allowOnce"}).to_string());
            break;
        }
    }
    for line in lines {
        seen.push(serde_json::from_str(&line.unwrap()).unwrap());
    }
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(0), "a completed task exits 0; stderr: {stderr}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "from a script\n");
    let seqs: Vec<u64> = seen.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>(), "every event, in order, no gaps");
    let types: Vec<&str> = seen.iter().map(|e| e["kind"]["type"].as_str().unwrap()).collect();
    assert!(types.contains(&"turnEnded") && types.contains(&"permissionResolved"), "{types:?}");
    // The session and its journal stay on the host.
    assert!(!client_data.path().join("sessions.db").exists(), "no session store here");

    // Warden missing on the host: said so, exit 2 (nothing could be started).
    let mut missing = args.clone();
    let at = missing.iter().position(|a| a == "--remote-warden").unwrap();
    missing[at + 1] = "/nonexistent/warden".into();
    let out = Command::new(env!("CARGO_BIN_EXE_warden")).args(&missing).env("WARDEN_DATA_DIR", client_data.path()).stdin(Stdio::null()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not installed"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn remote_install_copies_this_warden_into_a_container_after_checking_its_platform() {
    let host = Host::new();
    // A stand-in for `docker`: `exec -i NAME CMD…` runs CMD here, under the host's HOME.
    let fake = host.home.path().join("fake-docker");
    let script = format!(
        "#!/bin/sh\n[ \"$1\" = exec ] && [ \"$2\" = -i ] || exit 64\nshift 3\nexport HOME='{}' WARDEN_DATA_DIR='{}'\nexec \"$@\"\n",
        host.home.path().display(),
        host.data.path().display()
    );
    std::fs::write(&fake, script).unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    // Another platform there: refused, nothing copied.
    let other = host.home.path().join("other-platform");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("uname"), "#!/bin/sh\necho Plan9 mips\n").unwrap();
    std::fs::set_permissions(other.join("uname"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", other.display(), std::env::var("PATH").unwrap_or_default());
    let out = Command::new(env!("CARGO_BIN_EXE_warden"))
        .args(["remote", "install", "--container", "dev", "--container-engine"])
        .arg(&fake)
        .env("PATH", &path)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("plan9 mips"), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!host.home.path().join(".local/bin/warden").exists());
    let out = Command::new(env!("CARGO_BIN_EXE_warden"))
        .args(["remote", "install", "--container", "dev", "--container-engine"])
        .arg(&fake)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "stdout: {stdout}\nstderr: {stderr}");
    assert!(stdout.contains(&format!("Installed Warden {}", warden_remote::WARDEN_VERSION)), "{stdout}");
    let installed = host.home.path().join(".local/bin/warden");
    assert_eq!(std::fs::metadata(&installed).unwrap().len(), std::fs::metadata(env!("CARGO_BIN_EXE_warden")).unwrap().len());
    // The same flags with `warden run --container` now reach it.
    let out = Command::new(env!("CARGO_BIN_EXE_warden"))
        .args(["remote", "check", "--container", "dev", "--remote-warden"])
        .arg(&installed)
        .arg("--container-engine")
        .arg(&fake)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("container dev: Warden"), "{}", String::from_utf8_lossy(&out.stdout));
}
