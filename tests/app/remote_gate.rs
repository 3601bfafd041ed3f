//! The task gate of a project on another host, as the window's Checks panel, review view and
//! pipelines call it: through a real OpenSSH server on 127.0.0.1 (and the command transport),
//! the host's checks configuration is read, its file trusted on the host (the decision kept in
//! the host's data folder), a check runs there when the agent's turn ends and its result and log
//! come back; a review by the real Claude CLI on the mock model lands in the reviewed session's
//! stream with its findings; a pipeline runs there and its state is read back, and through the
//! window's own remote link its implementer's question joins the window's queue. What the client
//! names is checked on the host: a folder that is not an open project, a file that is not a
//! check's log, a run that is not the host's are refused.

use crate::remote_support::*;
use serde_json::json;
use std::time::Instant;
use warden_core::checks::{ChecksEntryKind, ChecksFileTrust, ChecksTrustDecision};
use warden_core::pipeline::PipelineStatus;
use warden_core::review::{ReviewScope, ReviewVerdict};
use warden_core::session::*;
use warden_mock_models::Reply;
use warden_remote::{ClientError, Connection, ErrorKind, GateRequest, GateResponse, Request, Response, StartSession};

/// The project's checks file: one check that says where it ran, and a one-step pipeline.
const CHECKS: &str = r#"version = 1

[[check]]
id = "tests"
run = ["sh", "-c", "echo checked-on-$(basename \"$PWD\")"]

[[pipeline]]
id = "just-do-it"
[[pipeline.step]]
role = "implement"
agent = "claude"
"#;

fn refused(err: ClientError, kind: ErrorKind, words: &str) {
    match &err {
        ClientError::Remote(e) if e.kind == kind && e.message.contains(words) => {}
        other => panic!("expected a {kind:?} error saying {words:?}, got {other:?}"),
    }
}

fn with_checks(host: &Host) {
    std::fs::create_dir_all(host.project().join(".warden")).unwrap();
    std::fs::write(host.project().join(".warden/checks.toml"), CHECKS).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_ssh_the_checks_of_a_host_project_are_read_trusted_on_the_host_and_run_there() {
    let sshd = Sshd::start();
    let host = Host::new();
    with_checks(&host);
    let project = host.project_str();
    let conn = Connection::open(&sshd.transport(&host)).await.expect("handshake over ssh");

    // Only a project open on the host: not before it is opened, never a folder elsewhere.
    let err = conn.checks_overview(&project).await.expect_err("not open yet");
    refused(err, ErrorKind::BadRequest, "open the project first");
    conn.open_project(&project).await.unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let err = conn.checks_trust(&elsewhere.path().to_string_lossy(), ChecksTrustDecision::Trust, Some("0")).await.expect_err("not a project of the host");
    refused(err, ErrorKind::BadRequest, "open the project first");
    let err = conn.checks_overview("relative/path").await.expect_err("resolved on the host");
    assert!(matches!(err, ClientError::Remote(ref e) if e.kind == ErrorKind::BadRequest), "{err:?}");

    // The Checks panel's overview: the entry, not trusted yet, and what trusting would allow.
    let overview = conn.checks_overview(&project).await.unwrap();
    assert_eq!(overview.trust, ChecksFileTrust::NotTrusted, "{overview:?}");
    let entry = overview.entries.iter().find(|e| e.id == "tests").expect("the check is listed");
    assert_eq!(entry.kind, ChecksEntryKind::Check);
    assert!(!entry.may_run && entry.not_trusted.is_some(), "{entry:?}");
    let request = overview.request.expect("what trusting would allow");
    assert!(request.commands.iter().any(|c| c.id == "tests" && c.command.contains("checked-on")), "{:?}", request.commands);

    // A decision about content that was not shown is refused; the one shown is trusted, and
    // the record is the host's.
    let err = conn.checks_trust(&project, ChecksTrustDecision::Trust, Some("not-the-hash")).await.expect_err("another content");
    refused(err, ErrorKind::BadRequest, "changed since it was shown");
    let trusted = conn.checks_trust(&project, ChecksTrustDecision::Trust, Some(&request.sha256)).await.unwrap();
    assert_eq!(trusted.trust, ChecksFileTrust::Trusted);
    assert!(trusted.entries.iter().all(|e| e.may_run), "{:?}", trusted.entries);
    let records: Vec<_> = std::fs::read_dir(host.data.path().join("checks")).unwrap().flatten().filter(|f| f.file_name().to_string_lossy().ends_with(".trust.json")).collect();
    assert_eq!(records.len(), 1, "the decision is kept in the host's data folder");

    // A turn that ends by itself: the gate runs the trusted check on the host.
    host.mock.push(Reply::text("Nothing to change."));
    let start = StartSession { project: project.clone(), checks: true, prompt: Some("Check it".into()), ..Default::default() };
    let id = conn.start_session(start).await.unwrap().session.id;
    let mut sub = conn.subscribe(&id, 0).await.unwrap();
    let mut seen = Vec::new();
    let finished = until(&mut sub.events, &mut seen, "the check's result", |k| matches!(k, SessionEventKind::CheckFinished(_))).await;
    let SessionEventKind::CheckFinished(check) = finished.kind else { unreachable!() };
    assert_eq!((check.check.as_str(), &check.outcome), ("tests", &CheckOutcome::Passed), "{check:?}");
    until(&mut sub.events, &mut seen, "the verdict", |k| matches!(k, SessionEventKind::GateDecided(_))).await;

    // Its log, read in pages from the host; nothing else of the host's is read that way.
    let log = check.log_path.expect("a log");
    let page = conn.checks_log(&log, 0).await.unwrap();
    let folder = host.project().file_name().unwrap().to_string_lossy().into_owned();
    assert!(page.text.contains(&format!("checked-on-{folder}")), "{page:?}");
    assert_eq!(page.next_offset, page.size);
    for other in ["/etc/passwd".to_owned(), format!("{log}/../../../../warden.json"), host.project().join(".warden/checks.toml").to_string_lossy().into_owned()] {
        let err = conn.checks_log(&other, 0).await.expect_err("not a check's log");
        refused(err, ErrorKind::BadRequest, "is not a check's log");
    }

    // Revoked: the next overview says so.
    let revoked = conn.checks_trust(&project, ChecksTrustDecision::Revoke, None).await.unwrap();
    assert_eq!(revoked.trust, ChecksFileTrust::NotTrusted);
    conn.stop(&id).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn through_a_command_transport_a_review_and_a_pipeline_run_on_the_host() {
    let host = Host::new();
    with_checks(&host);
    let project = host.project_str();
    let target = host.project().join("lib.txt");
    let conn = Connection::open(&host.command_transport()).await.expect("handshake");
    conn.open_project(&project).await.unwrap();

    // A task that changes a file (edits accepted, checks off: only the review matters here).
    host.mock.push(Reply::tool("Write", json!({"file_path": target, "content": "one\nTWO\n"})));
    host.mock.push(Reply::text("Written."));
    let start = StartSession {
        project: project.clone(),
        checks: false,
        permission_mode: PermissionMode::AcceptEdits,
        prompt: Some("Write lib.txt".into()),
        ..Default::default()
    };
    let id = conn.start_session(start).await.unwrap().session.id;
    let mut sub = conn.subscribe(&id, 0).await.unwrap();
    let mut seen = Vec::new();
    until(&mut sub.events, &mut seen, "the end of the turn", |k| matches!(k, SessionEventKind::TurnEnded(_))).await;
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "one\nTWO\n");

    // The reviewers offered are the host's usable agents.
    let agents = conn.review_agents().await.unwrap();
    assert!(agents.iter().any(|a| a.kind == AgentKind::Claude), "{agents:?}");

    // The review: the host's Claude answers in the findings schema; the reviewed session's
    // stream carries it, found by the client that follows that stream.
    host.mock.push(Reply::tool(
        "StructuredOutput",
        json!({"verdict": "needs-attention", "summary": "TWO is shouting.", "findings": [
            {"severity": "medium", "title": "Shouting", "body": "", "file": "lib.txt", "line_start": 2, "line_end": 2,
             "confidence": 0.8, "recommendation": "Lower case."}]}),
    ));
    let err = conn.review_start(&SessionId::from("no-such-session"), ReviewScope::Session, AgentKind::Claude, None, None).await.expect_err("not the host's");
    refused(err, ErrorKind::NotFound, "no session");
    let review = conn.review_start(&id, ReviewScope::Task { task: TaskId(1) }, AgentKind::Claude, Some(" "), Some("Look at TWO.")).await.unwrap();
    let done = until(&mut sub.events, &mut seen, "the review's result", |k| matches!(k, SessionEventKind::ReviewFinished(_))).await;
    let SessionEventKind::ReviewFinished(finished) = done.kind else { unreachable!() };
    assert_eq!(finished.review, review);
    let ReviewRunOutcome::Completed { result } = finished.outcome else { panic!("a verdict: {:?}", finished.outcome) };
    assert_eq!(result.verdict, ReviewVerdict::NeedsAttention);
    assert_eq!(result.findings.iter().map(|f| f.title.as_str()).collect::<Vec<_>>(), ["Shouting"]);
    assert_eq!(result.findings[0].hunk.as_deref(), Some("lib.txt#1"), "anchored on the host's diff");

    // Marked as a false positive on the host, per task.
    let marks = conn.mark_false_positive(&id, TaskId(1), Some("lib.txt"), "Shouting", true).await.unwrap();
    assert_eq!(marks.len(), 1);
    assert_eq!(conn.false_positives(&id, TaskId(1)).await.unwrap(), marks);
    assert!(conn.false_positives(&id, TaskId(2)).await.unwrap().is_empty());

    // A pipeline of the host's project: listed, started there, its state read back until done
    // (the implementer works under the host's gate: the file trusted there, its check passes).
    let sha = conn.checks_overview(&project).await.unwrap().request.expect("a file to trust").sha256;
    conn.checks_trust(&project, ChecksTrustDecision::Trust, Some(&sha)).await.unwrap();
    let pipelines = conn.pipeline_list(&project).await.unwrap();
    assert_eq!(pipelines.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["just-do-it"]);
    let err = conn.pipeline_start(&project, "just-do-it", "  ", PermissionMode::AcceptEdits).await.expect_err("no task");
    refused(err, ErrorKind::BadRequest, "needs a task");
    let err = conn.pipeline_decide("no-such-run", warden_core::pipeline::PlanDecision::Reject).await.expect_err("not a run of the host");
    refused(err, ErrorKind::NotFound, "no pipeline run");
    host.mock.push(Reply::text("Implemented."));
    let first = conn.pipeline_start(&project, "just-do-it", "Do the thing", PermissionMode::AcceptEdits).await.unwrap();
    assert_eq!(first.status, PipelineStatus::Running);
    let deadline = Instant::now() + WAIT;
    let last = loop {
        let runs = conn.pipeline_runs(&project).await.unwrap();
        let run = runs.iter().find(|r| r.run_id == first.run_id).expect("the run is the host's").clone();
        if run.status != PipelineStatus::Running {
            break run;
        }
        assert!(Instant::now() < deadline, "the pipeline did not end: {run:?}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert_eq!(last.status, PipelineStatus::Passed, "{last:?}");
    let step = last.steps[0].session_id.clone().expect("the implementer's session");
    assert!(conn.sessions(Some(&project)).await.unwrap().iter().any(|r| r.id == step), "its session is stored on the host");
    conn.stop(&id).await.unwrap();
}

/// Calls a host's gate through the window, as `remote_call` does, expecting a gate answer.
async fn window_gate(remote: &warden_app::remote_window::RemoteWindow, conn: &warden_app::remote_window::types::RemoteConnectionId, call: GateRequest) -> GateResponse {
    match remote.call(conn, Request::Gate(call)).await.expect("answered") {
        Response::Gate(answer) => answer,
        other => panic!("not a gate answer: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_ssh_a_host_pipelines_question_reaches_the_windows_queue_and_is_answered_there() {
    use crate::remote_window::{opened, queued, ssh_target, window};
    let sshd = Sshd::start();
    let host = Host::new();
    with_checks(&host);
    let project = host.project_str();
    let target = host.project().join("piped.txt");
    host.mock.push(Reply::tool("Write", json!({"file_path": target, "content": "through the pipeline\n"})));
    host.mock.push(Reply::text("Written."));
    let (remote, channels, _states) = window(vec![std::time::Duration::from_millis(300); 5], false);
    let conn = opened(remote.open(&ssh_target(&sshd, &host)).await.expect("opens over ssh")).connection;
    let GateResponse::Overview(overview) = window_gate(&remote, &conn, GateRequest::ChecksOverview { project: project.clone() }).await else { panic!("overview") };
    let sha256 = overview.request.expect("a file to trust").sha256;
    window_gate(&remote, &conn, GateRequest::ChecksTrust { project: project.clone(), decision: ChecksTrustDecision::Trust, sha256: Some(sha256) }).await;

    // Started through the window, in the default mode: the implementer's write is asked about.
    let start = GateRequest::PipelineStart { project: project.clone(), pipeline: "just-do-it".into(), prompt: "Write piped.txt".into(), permission_mode: PermissionMode::Default };
    let GateResponse::Pipeline(first) = window_gate(&remote, &conn, start).await else { panic!("a run") };
    // The window learns the step's session from the run's state (the pipeline strip asks for
    // it), follows it, and its question joins the window's queue like any remote session's.
    let deadline = Instant::now() + WAIT;
    let step = loop {
        let GateResponse::Runs(runs) = window_gate(&remote, &conn, GateRequest::PipelineRuns { project: project.clone() }).await else { panic!("runs") };
        let run = runs.into_iter().find(|r| r.run_id == first.run_id).expect("the host's run");
        let step = run.steps[0].session_id.clone();
        if let Some(step) = step.filter(|s| channels.waiting().iter().any(|w| &w.session_id == s)) {
            break step;
        }
        assert!(Instant::now() < deadline, "the step's question did not reach the window: {run:?}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    let asked = queued(&channels, &step, &[]).await;
    assert_eq!(asked.request.tool_name, "Write");
    assert!(!target.exists(), "nothing written before the answer");
    remote.answer(&step, &asked.request.request_id, PermissionAnswer::new(PermissionDecision::AllowOnce)).await.expect("a remote session").expect("answered");
    let deadline = Instant::now() + WAIT;
    loop {
        let GateResponse::Runs(runs) = window_gate(&remote, &conn, GateRequest::PipelineRuns { project: project.clone() }).await else { panic!("runs") };
        let run = runs.into_iter().find(|r| r.run_id == first.run_id).expect("the host's run");
        if run.status != PipelineStatus::Running {
            assert_eq!(run.status, PipelineStatus::Passed, "{run:?}");
            break;
        }
        assert!(Instant::now() < deadline, "the pipeline did not end: {run:?}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "through the pipeline\n");
    remote.close(&conn).await.unwrap();
}
