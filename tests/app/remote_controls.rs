//! What the window does with a project on another host, through a real OpenSSH server on
//! 127.0.0.1: a terminal on the host (typed into, read, resumed after the transport was
//! killed), a session's controls (a question with choices answered, a mode switch that changes
//! what the agent may do there, a steer the agent refuses), the Files panel's plan, rollback
//! and redo, and search over the host's sessions — the real Claude CLI on the mock model.

use crate::remote_support::*;
use serde_json::json;
use std::time::{Duration, Instant};
use warden_core::journal::{RollbackOutcome, RollbackTarget};
use warden_core::session::*;
use warden_core::terminal::TerminalEvent;
use warden_mock_models::Reply;
use warden_remote::{ClientError, Connection, ErrorKind, Remote, StartSession, TerminalChunk};

/// Reads terminal messages until their text holds `needle`; every message read is kept.
async fn output_until(rx: &mut tokio::sync::mpsc::UnboundedReceiver<TerminalChunk>, seen: &mut Vec<TerminalChunk>, needle: &str) {
    let deadline = Instant::now() + WAIT;
    loop {
        let text: String = seen.iter().filter_map(|c| if let TerminalEvent::Output(t) = &c.event { Some(t.as_str()) } else { None }).collect();
        if text.contains(needle) {
            return;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        let chunk = tokio::time::timeout(left, rx.recv())
            .await
            .unwrap_or_else(|_| panic!("timed out waiting for {needle:?}; the terminal printed {text:?}"))
            .unwrap_or_else(|| panic!("the terminal stream ended before {needle:?}; it printed {text:?}"));
        seen.push(chunk);
    }
}

fn refused(err: ClientError, kind: ErrorKind, words: &str) {
    match &err {
        ClientError::Remote(e) if e.kind == kind && e.message.contains(words) => {}
        other => panic!("expected a {kind:?} error saying {words:?}, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_ssh_a_terminal_on_the_host_is_typed_into_read_and_resumed_after_the_transport_is_killed() {
    let sshd = Sshd::start();
    let host = Host::new();
    let mut remote = Remote::connect(sshd.transport(&host)).await.expect("handshake over ssh");
    // Only in a folder the engine knows: not before the project is open there.
    let err = remote.connection().terminal_open(&host.project_str(), 80, 24, None).await.expect_err("not open yet");
    refused(err, ErrorKind::BadRequest, "open the project first");
    remote.connection().open_project(&host.project_str()).await.unwrap();
    let opened = remote.connection().terminal_open(&host.project_str(), 80, 24, None).await.expect("a shell in the project");
    let id = opened.id;
    let mut messages = remote.follow_terminal(id, 0).await.unwrap();
    let mut seen = Vec::new();
    // Computed by the shell, so the typed line's echo cannot pass for the output.
    remote.connection().terminal_write(id, "echo hi-$((6*7)) in $PWD\n").await.unwrap();
    output_until(&mut messages, &mut seen, &format!("hi-42 in {}", host.project_str())).await;
    remote.connection().terminal_resize(id, 100, 30).await.unwrap();
    // Output that comes while no connection is there: printed on the host after the kill.
    remote.connection().terminal_write(id, "sleep 1; echo after-$((2*3))\n").await.unwrap();
    remote.connection().kill();
    let lost = tokio::time::timeout(WAIT, remote.connection().lost()).await.expect("the loss is noticed");
    assert!(lost.reason.contains("closed from this side"), "{lost}");
    let at_loss = remote.last_terminal_seq(id).unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    remote.reconnect().await.expect("reconnects over ssh");
    output_until(&mut messages, &mut seen, "after-6").await;
    let seqs: Vec<u64> = seen.iter().map(|c| c.seq).collect();
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>(), "no gap and no duplicate across the reconnect (lost after {at_loss})");
    // A plain subscription after a seq starts right after it (the protocol itself).
    let mut replay = remote.connection().terminal_subscribe(id, at_loss).await.unwrap();
    assert_eq!(replay.first_seq, 1, "everything is still kept");
    let first = tokio::time::timeout(WAIT, replay.events.recv()).await.expect("bounded").expect("open");
    assert_eq!(first.seq, at_loss + 1);
    // Closing ends the shell: its exit is the last message. (How it ends depends on when the
    // hang-up reaches it, killed or exiting 0 on it: the exit arriving is what the protocol owes.)
    remote.connection().terminal_close(id).await.unwrap();
    tokio::time::timeout(WAIT, async {
        while let Some(chunk) = messages.recv().await {
            if let TerminalEvent::Exited(exit) = chunk.event {
                return exit;
            }
        }
        panic!("the stream ended without the exit");
    })
    .await
    .expect("the exit arrives");
    let err = remote.connection().terminal_write(id, "ls\n").await.expect_err("gone");
    refused(err, ErrorKind::NotFound, "no terminal");
}

fn ask() -> Reply {
    Reply::tool(
        "AskUserQuestion",
        json!({"questions": [{"question": "Which colour?", "header": "Colour", "multiSelect": false,
            "options": [{"label": "Red", "description": "warm"}, {"label": "Blue", "description": "cool"}]}]}),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_ssh_a_question_is_answered_the_mode_switched_and_a_change_rolled_back_and_redone() {
    let sshd = Sshd::start();
    let host = Host::new();
    let target = host.project().join("colour.txt");
    host.mock.push(ask());
    host.mock.push(Reply::text("Blue it is."));
    host.mock.push(Reply::tool("Write", json!({"file_path": target, "content": "blue\n"})));
    host.mock.push(Reply::text("Written."));
    let conn = Connection::open(&sshd.transport(&host)).await.expect("handshake over ssh");
    let project = host.project_str();
    conn.open_project(&project).await.unwrap();
    let start = StartSession { project: project.clone(), checks: false, prompt: Some("Pick a colour with me".into()), ..Default::default() };
    let id = conn.start_session(start).await.unwrap().session.id;
    let mut sub = conn.subscribe(&id, 0).await.unwrap();
    let mut seen = Vec::new();

    // The question with choices: a wrong answer is refused with the engine's reason, the right
    // one goes through.
    let asked = until(&mut sub.events, &mut seen, "the question", |k| matches!(k, SessionEventKind::PermissionRequested(_))).await;
    let SessionEventKind::PermissionRequested(asked) = asked.kind else { unreachable!() };
    assert!(matches!(asked.input, ToolInput::Question { .. }), "{:?}", asked.input);
    let wrong = vec![QuestionAnswer { index: 0, picked: vec!["Green".into()], other: None }];
    let err = conn.answer_question(&id, &asked.request_id, wrong).await.expect_err("not an option");
    refused(err, ErrorKind::BadRequest, "do not fit");
    let answers = vec![QuestionAnswer { index: 0, picked: vec!["Blue".into()], other: None }];
    conn.answer_question(&id, &asked.request_id, answers).await.unwrap();
    until(&mut sub.events, &mut seen, "the end of the first turn", |k| matches!(k, SessionEventKind::TurnEnded(_))).await;
    assert!(host.mock.requests().get(1).expect("asked again").to_string().contains("Blue"), "the answer reached the model");

    // Claude takes no steer: refused with the reason, nothing else changes.
    let err = conn.steer(&id, "faster").await.expect_err("Claude cannot steer");
    assert!(matches!(err, ClientError::Remote(ref e) if e.kind == ErrorKind::BadRequest), "{err:?}");

    // The mode switch reaches the host's session: its edits are no longer asked about.
    conn.set_mode(&id, PermissionMode::AcceptEdits).await.unwrap();
    until(&mut sub.events, &mut seen, "the mode change", |k| matches!(k, SessionEventKind::ModeChanged(PermissionMode::AcceptEdits))).await;
    let turn = conn.prompt(&id, "Write colour.txt").await.unwrap();
    let from = seen.len();
    until(&mut sub.events, &mut seen, "the end of the second turn", |k| matches!(k, SessionEventKind::TurnEnded(_))).await;
    assert!(!seen[from..].iter().any(|e| matches!(e.kind, SessionEventKind::PermissionRequested(_))), "accept-edits: no question");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "blue\n");

    // The stored transcript, as the window reads it.
    let events = conn.events(&id, 0).await.unwrap();
    assert_eq!(events.iter().map(|e| e.seq).collect::<Vec<_>>(), (1..=events.len() as u64).collect::<Vec<_>>());
    assert_eq!(conn.event(&id, 1).await.unwrap().map(|e| e.seq), Some(1));

    // The Files panel: the plan, the rollback, the redo's plan and the redo.
    let by_turn = RollbackTarget::Turn { session_id: id.clone(), turn };
    let plan = conn.rollback_plan(&project, by_turn.clone()).await.unwrap();
    assert_eq!(plan.steps.iter().map(|s| s.path.as_str()).collect::<Vec<_>>(), vec!["colour.txt"], "{plan:?}");
    let RollbackOutcome::Done(report) = conn.rollback(&project, by_turn, false).await.unwrap() else { panic!("rolled back") };
    assert!(!target.exists(), "removed on the host");
    let redo = conn.redo_plan(&project, report.id.clone()).await.unwrap();
    assert_eq!(redo.steps.len(), 1, "{redo:?}");
    assert!(matches!(conn.redo(&project, report.id, false).await.unwrap(), RollbackOutcome::Done(_)));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "blue\n", "back again");
    let ops = conn.file_log(&project, Some(&id)).await.unwrap();
    let write = ops.iter().find(|o| o.path.ends_with("colour.txt")).expect("recorded");
    let hunks = conn.hunks(&project, vec![write.id.clone()]).await.unwrap();
    assert_eq!(hunks.path, "colour.txt");

    // Search over the host's sessions finds the model's words (the index may lag a little).
    let deadline = Instant::now() + WAIT;
    loop {
        let hits = conn.search_project(&project, "Blue", 10).await.unwrap();
        if hits.iter().any(|h| h.session_id == id) {
            break;
        }
        assert!(Instant::now() < deadline, "no hit for a word the session holds: {hits:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    conn.stop(&id).await.unwrap();
}
