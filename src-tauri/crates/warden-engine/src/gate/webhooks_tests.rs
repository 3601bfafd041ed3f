//! The publisher: which session events become which webhook types, what their data says, and
//! a task's events delivered signed and in order to a real receiver on 127.0.0.1.

use super::*;
use std::time::Duration;
use warden_webhooks::{sign, Secret};

// The delivery crate's scripted receiver, reused as it is.
#[path = "../../../warden-webhooks/tests/support/mod.rs"]
mod support;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const SECRET_VAR: &str = "WARDEN_TEST_W4_PUBLISHER_SECRET";

fn at(seq: u64, kind: SessionEventKind) -> SessionEvent {
    SessionEvent { session_id: SessionId("s-1".into()), seq, at_ms: 1_796_641_203_412, kind }
}

fn check_finished(outcome: CheckOutcome) -> CheckFinished {
    CheckFinished {
        task: TaskId(1),
        round: 1,
        check: "tests".into(),
        gate: true,
        outcome,
        exit_code: Some(1),
        duration_ms: 12,
        counts: None,
        findings: vec![Finding {
            severity: FindingSeverity::Error,
            title: "adds".into(),
            body: "left != right".into(),
            file: Some("src/lib.rs".into()),
            line: Some(3),
        }],
        log_path: None,
        why: Vec::new(),
        side: false,
    }
}

/// One task that passed at the first round, as the gate announces it.
fn passing_task() -> Vec<SessionEventKind> {
    let (task, turn) = (TaskId(1), TurnId(1));
    vec![
        SessionEventKind::TaskStarted(TaskStarted { task, turn }),
        SessionEventKind::TaskCompleted(TaskCompleted { task, turn, round: 1 }),
        SessionEventKind::CheckStarted(CheckStarted { task, round: 1, check: "tests".into(), gate: true, why: Vec::new(), log_path: None, side: false }),
        SessionEventKind::CheckFinished(CheckFinished { findings: Vec::new(), exit_code: Some(0), ..check_finished(CheckOutcome::Passed) }),
        SessionEventKind::GateDecided(GateDecided { task, round: 1, verdict: GateVerdict::Passed, next: GateNext::TaskFinishes, reason: None }),
        SessionEventKind::TaskFinished(TaskFinished { task, outcome: TaskOutcome::Passed, rounds: 1 }),
    ]
}

#[test]
fn task_events_map_to_their_webhook_types_and_nothing_else_is_published() {
    let types: Vec<EventType> = passing_task().iter().filter_map(event_type).collect();
    assert_eq!(
        types,
        [
            EventType::TaskStarted,
            EventType::TaskCompleted,
            EventType::CheckStarted,
            EventType::CheckCompleted,
            EventType::GatePassed,
            EventType::TaskFinished
        ]
    );
    let gate = |verdict| event_type(&SessionEventKind::GateDecided(GateDecided { task: TaskId(1), round: 2, verdict, next: GateNext::WaitsForPerson, reason: None }));
    assert_eq!(gate(GateVerdict::Blocked), Some(EventType::GateBlocked));
    assert_eq!(gate(GateVerdict::Exhausted), Some(EventType::GateExhausted));
    let feedback = [
        SessionEventKind::FeedbackProposed(FeedbackProposed { task: TaskId(1), round: 1, text: "fix".into(), findings: Vec::new() }),
        SessionEventKind::FeedbackSent(FeedbackSent { task: TaskId(1), round: 2, turn: TurnId(2), text: "fix".into(), auto: true }),
        SessionEventKind::FeedbackDismissed(FeedbackDismissed { task: TaskId(1), round: 1 }),
    ];
    let types: Vec<_> = feedback.iter().filter_map(event_type).collect();
    assert_eq!(types, [EventType::FeedbackProposed, EventType::FeedbackSent, EventType::FeedbackDismissed]);
    let notice = SessionEventKind::Notice(SessionNotice { level: NoticeLevel::Info, text: "hi".into() });
    assert_eq!(event_type(&notice), None);
}

#[test]
fn the_data_names_the_project_session_and_task_and_carries_the_event_fields() {
    let origin = Origin { project: "/srv/app".into(), home: "/srv/app".into(), agent: AgentKind::Claude };
    let event = to_event(&origin, &at(7, SessionEventKind::CheckFinished(check_finished(CheckOutcome::Failed)))).unwrap();
    assert_eq!(event.id, "evt_s-1_7", "derived from the session and position: queueing twice is idempotent");
    assert_eq!(event.kind, EventType::CheckCompleted);
    assert_eq!(event.timestamp, "2026-12-07T11:00:03.412Z");
    let data = &event.raw_data;
    assert_eq!(data["project"], "/srv/app");
    assert_eq!(data["session"], "s-1");
    assert_eq!(data["agent"], "claude");
    assert_eq!(data["seq"], 7);
    assert_eq!(data["task"], 1);
    assert_eq!(data["round"], 1);
    assert_eq!(data["check"], "tests");
    assert_eq!(data["outcome"]["status"], "failed");
    assert_eq!(data["findings"][0]["file"], "src/lib.rs");
    let finished = to_event(&origin, &at(9, passing_task().remove(5))).unwrap();
    assert_eq!((finished.raw_data["outcome"].as_str(), finished.raw_data["rounds"].as_u64()), (Some("passed"), Some(1)));
    assert!(to_event(&origin, &at(1, SessionEventKind::FileChanges(serde_json::from_value(serde_json::json!({"turn": 1, "ops": []})).unwrap()))).is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tasks_events_reach_a_receiver_signed_and_in_order() {
    let receiver = support::Receiver::start(Vec::new());
    let data = tempfile::tempdir().unwrap();
    let project_dir = tempfile::tempdir().unwrap();
    let project = project_dir.path().canonicalize().unwrap();
    // The person's own layer: trusted without asking. Only some types go to `team`; `other`
    // takes the rest and is not reached.
    std::env::set_var(SECRET_VAR, SECRET);
    let personal = warden_gate::config::personal_file(data.path(), &project);
    std::fs::create_dir_all(personal.parent().unwrap()).unwrap();
    std::fs::write(
        &personal,
        format!(
            "version = 1\n\
             [[webhook]]\nid = \"team\"\nurl = \"{}\"\nallow_private = true\nsecret = {{ env = \"{SECRET_VAR}\" }}\n\
             events = [\"task.started\", \"task.completed\", \"check.started\", \"check.completed\", \"gate.passed\", \"task.finished\"]\n\
             retry = {{ schedule = [\"10ms\"], jitter = \"none\" }}\ntimeout = \"5s\"\n\
             [[webhook]]\nid = \"other\"\nurl = \"{}\"\nallow_private = true\nsignature = \"none\"\nevents = [\"feedback.sent\"]\n",
            receiver.url("/team"),
            receiver.url("/other"),
        ),
    )
    .unwrap();

    let publisher = Arc::new(Publisher::new(data.path()));
    let worker = publisher.service().unwrap().spawn();
    let origin = Origin { project: project.to_string_lossy().into_owned(), home: project.to_string_lossy().into_owned(), agent: AgentKind::Claude };
    let mut queued = Vec::new();
    for (i, kind) in passing_task().into_iter().enumerate() {
        queued.extend(publisher.publish(&origin, &at(i as u64 + 1, kind)));
    }
    assert_eq!(queued.len(), 6, "one delivery per event for `team`, none for `other`");
    assert!(publisher.drain_limit() > Duration::ZERO && publisher.drain_limit() <= DRAIN_CAP);
    let pending = publisher.drain(Duration::from_secs(15)).await;
    assert!(pending.is_empty(), "still pending: {pending:?}");
    worker.stop().await;

    let received = receiver.received();
    let types: Vec<&str> = received.iter().map(|r| r.header("x-warden-event").unwrap_or_default()).collect();
    assert_eq!(types, ["task.started", "task.completed", "check.started", "check.completed", "gate.passed", "task.finished"]);
    let key = Secret::parse(SECRET).unwrap();
    for (seq, r) in received.iter().enumerate() {
        assert_eq!(r.target, "/team");
        let id = r.header("webhook-id").unwrap();
        assert_eq!(id, format!("evt_s-1_{}", seq + 1));
        let ts: u64 = r.header("webhook-timestamp").unwrap().parse().unwrap();
        assert!(sign::verify_standard_webhooks(key.bytes(), id, ts, &r.body, r.header("webhook-signature").unwrap()));
        let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(body["data"]["project"], origin.project.as_str());
        assert_eq!(body["data"]["task"], 1);
    }

    // The same event again is the same delivery: nothing new is queued or sent.
    let again = publisher.publish(&origin, &at(6, passing_task().remove(5)));
    assert!(again.is_empty(), "{again:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drain_waits_a_bounded_time_and_returns_what_is_still_pending() {
    let receiver = support::Receiver::start(vec![support::Reply::status(503)]);
    let data = tempfile::tempdir().unwrap();
    let project_dir = tempfile::tempdir().unwrap();
    let project = project_dir.path().canonicalize().unwrap();
    let personal = warden_gate::config::personal_file(data.path(), &project);
    std::fs::create_dir_all(personal.parent().unwrap()).unwrap();
    std::fs::write(
        &personal,
        format!(
            "version = 1\n[[webhook]]\nid = \"slow\"\nurl = \"{}\"\nallow_private = true\nsignature = \"none\"\n\
             events = [\"task.finished\"]\ntimeout = \"2s\"\nretry = {{ schedule = [\"60s\"], jitter = \"none\" }}\n",
            receiver.url("/slow")
        ),
    )
    .unwrap();
    let publisher = Arc::new(Publisher::new(data.path()));
    let worker = publisher.service().unwrap().spawn();
    let origin = Origin { project: project.to_string_lossy().into_owned(), home: project.to_string_lossy().into_owned(), agent: AgentKind::Codex };
    assert_eq!(publisher.publish(&origin, &at(6, passing_task().remove(5))).len(), 1);
    assert_eq!(publisher.drain_limit(), DRAIN_CAP, "60 s of retries and two 2 s timeouts, capped");
    let started = Instant::now();
    let pending = publisher.drain(Duration::from_millis(300)).await;
    assert!(started.elapsed() < Duration::from_secs(5));
    worker.stop().await;
    assert_eq!(pending.len(), 1, "the retry is a minute away");
    assert_eq!(pending[0].endpoint, "slow");
}

#[test]
fn an_unchanged_configuration_is_read_once_and_a_changed_one_at_the_next_event() {
    let data = tempfile::tempdir().unwrap();
    let project_dir = tempfile::tempdir().unwrap();
    let project = project_dir.path().canonicalize().unwrap();
    let personal = warden_gate::config::personal_file(data.path(), &project);
    std::fs::create_dir_all(personal.parent().unwrap()).unwrap();
    let hook = |id: &str, extra: &str| {
        format!("[[webhook]]\nid = \"{id}\"\nurl = \"http://127.0.0.1:9/{id}\"\nallow_private = true\nevents = [\"task.finished\"]\n{extra}\n")
    };
    std::fs::write(&personal, format!("version = 1\n{}", hook("first", "signature = \"none\""))).unwrap();
    let publisher = Publisher::new(data.path());
    let origin = Origin { project: project.to_string_lossy().into_owned(), home: project.to_string_lossy().into_owned(), agent: AgentKind::Claude };
    let finished = |seq| at(seq, passing_task().remove(5));
    let endpoint_of = |ids: Vec<i64>| -> Vec<String> {
        ids.iter().map(|id| publisher.service().unwrap().outbox().delivery(*id).unwrap().unwrap().endpoint).collect()
    };
    assert_eq!(endpoint_of(publisher.publish(&origin, &finished(1))), ["first"]);
    assert_eq!(endpoint_of(publisher.publish(&origin, &finished(2))), ["first"]);
    assert_eq!(publisher.reads(), 1, "unchanged files: the configuration is not read again");

    // A changed layer (another endpoint, and one whose secret is not set yet) is read at the
    // next event.
    const VAR: &str = "WARDEN_TEST_W16_CACHE_SECRET";
    std::env::remove_var(VAR);
    std::fs::write(
        &personal,
        format!("version = 1\n{}{}", hook("second", "signature = \"none\""), hook("signed", &format!("secret = {{ env = \"{VAR}\" }}"))),
    )
    .unwrap();
    assert_eq!(endpoint_of(publisher.publish(&origin, &finished(3))), ["second"]);
    assert_eq!(publisher.reads(), 2);
    // A secret set since is found without a file change (it is looked up again while missing).
    std::env::set_var(VAR, SECRET);
    assert_eq!(endpoint_of(publisher.publish(&origin, &finished(4))), ["second", "signed"]);
    assert_eq!(publisher.reads(), 2, "still the same files");

    // Trusting or distrusting is a change of the trust record: read again as well.
    TrustStore::new(data.path(), &project).decide("0000", warden_gate::trust::Decision::Trust).unwrap();
    publisher.publish(&origin, &finished(5));
    assert_eq!(publisher.reads(), 3);
}

#[test]
fn the_gate_and_the_publisher_share_one_delivery_service_per_data_folder() {
    let data = tempfile::tempdir().unwrap();
    let publisher = Publisher::new(data.path());
    let mine = Arc::clone(publisher.service().unwrap());
    let (shared, _) = shared_service(data.path()).unwrap();
    assert!(Arc::ptr_eq(&mine, &shared), "a sync round uses the publisher's outbox and HTTP client");
    let other = tempfile::tempdir().unwrap();
    let (elsewhere, _) = shared_service(other.path()).unwrap();
    assert!(!Arc::ptr_eq(&mine, &elsewhere), "another data folder has its own");
    drop(elsewhere);
    let (again, _) = shared_service(other.path()).unwrap();
    assert_eq!(Arc::strong_count(&again), 1, "nobody held it: a new one, dropped after use");
}

mod sync_endpoints {
    use super::support::{Receiver, Reply};
    use super::*;
    use crate::gate::select::RoundInput;
    use crate::gate::GateOptions;
    use warden_gate::run::Cancel;

    struct World {
        data: tempfile::TempDir,
        _project: tempfile::TempDir,
        project: PathBuf,
    }

    /// A project whose person's layer has a sync review endpoint (falling back to the check
    /// `local`, which passes) at `url`.
    fn world(url: &str) -> World {
        let data = tempfile::tempdir().unwrap();
        let project_dir = tempfile::tempdir().unwrap();
        let project = project_dir.path().canonicalize().unwrap();
        let personal = warden_gate::config::personal_file(data.path(), &project);
        std::fs::create_dir_all(personal.parent().unwrap()).unwrap();
        std::fs::write(
            &personal,
            format!(
                "version = 1\n\
                 [[check]]\nid = \"local\"\non = \"tool.completed\"\nrun = [\"true\"]\n\
                 [[webhook]]\nid = \"review\"\nurl = \"{url}\"\nmode = \"sync\"\nallow_private = true\nsignature = \"none\"\n\
                 events = [\"task.completed\"]\ntimeout = \"5s\"\nretry = {{ schedule = [\"10ms\"], jitter = \"none\" }}\n\
                 on_failure = \"fallback\"\nfallback = [\"local\"]\n"
            ),
        )
        .unwrap();
        World { data, _project: project_dir, project }
    }

    fn input(w: &World) -> RoundInput {
        RoundInput {
            project: w.project.clone(),
            home: w.project.clone(),
            data_dir: w.data.path().to_path_buf(),
            session: SessionId("s-1".into()),
            task: TaskId(3),
            round: 2,
            situation: warden_gate::filters::Situation {
                changed_paths: vec!["src/a.rs".into()],
                agent: Some("claude".into()),
                round: 2,
                ..Default::default()
            },
            only: None,
            options: GateOptions::default(),
            log_stamp: 1,
        }
    }

    async fn round(w: &World) -> (Vec<CheckFinished>, Vec<SessionEventKind>) {
        let emitted = Mutex::new(Vec::new());
        let results =
            sync::review_round(&input(w), &[], &Cancel::new(), &|kind| emitted.lock().unwrap().push(kind)).await;
        (results, emitted.into_inner().unwrap())
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_review_servers_findings_count_as_a_failed_gating_check() {
        let answer = r#"{"verdict":"needsAttention","summary":"one bug","findings":[{"severity":"high","title":"off by one","body":"b","file":"src/a.rs","line":3},{"severity":"info","title":"style"}]}"#;
        let rx = Receiver::start(vec![Reply::status(200).body(answer)]);
        let w = world(&rx.url("/review"));
        let (results, emitted) = round(&w).await;
        assert_eq!(results.len(), 1, "{results:?}");
        let r = &results[0];
        assert_eq!((r.check.as_str(), r.gate, &r.outcome), ("review", true, &CheckOutcome::Failed));
        assert_eq!(r.findings.len(), 2);
        assert_eq!((r.findings[0].severity, r.findings[0].file.as_deref(), r.findings[0].line), (FindingSeverity::Error, Some("src/a.rs"), Some(3)));
        assert_eq!(r.findings[1].severity, FindingSeverity::Warning);
        assert!(matches!(&emitted[..], [SessionEventKind::CheckStarted(_), SessionEventKind::CheckFinished(_)]), "{emitted:?}");
        let got = rx.received();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].header("x-warden-event"), Some("task.completed"));
        let body: serde_json::Value = serde_json::from_slice(&got[0].body).unwrap();
        assert_eq!((body["data"]["task"].as_u64(), body["data"]["round"].as_u64()), (Some(3), Some(2)));
        assert_eq!(body["data"]["changedPaths"][0], "src/a.rs");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_unreachable_review_server_runs_its_fallback_checks_instead() {
        let rx = Receiver::start(vec![Reply::status(503), Reply::status(503)]);
        let w = world(&rx.url("/review"));
        let (results, _) = round(&w).await;
        assert_eq!(rx.received().len(), 2, "the first attempt and its one retry");
        let seen: Vec<(&str, &str)> = results.iter().map(|r| (r.check.as_str(), r.outcome.label())).collect();
        assert_eq!(seen, [("review", "skipped"), ("local", "passed")]);
        assert!(matches!(&results[0].outcome, CheckOutcome::Skipped { reason } if reason.contains("fallback")));
    }
}
