//! Deliveries against a real HTTP receiver on 127.0.0.1: retries and their order, the constant
//! `webhook-id`, valid signatures, timeouts, `Retry-After`, 410, sync reviews, redelivery,
//! redaction, the refused loopback, and the outbox resuming after a restart.

mod support;

use std::sync::Arc;
use std::time::Duration;
use support::{wait_until, Receiver, Reply};
use warden_webhooks::retry::XorShift;
use warden_webhooks::review::Verdict as ReviewVerdict;
use warden_webhooks::{
    sign, DeliveryStatus, Endpoint, Event, EventType, ExtraHeader, Jitter, Mode, Outbox,
    RetrySchedule, Secret, SignatureStyle, StaticEndpoints, SyncOutcome, Webhooks,
};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const PROJECT: &str = "/projects/demo";
const LIMIT: Duration = Duration::from_secs(15);

fn endpoint(id: &str, url: String, delays_ms: &[u64]) -> Endpoint {
    let mut e = Endpoint::new(
        id,
        url,
        vec![EventType::TaskCompleted, EventType::TaskFinished],
    );
    e.secret = Some(Secret::parse(SECRET).unwrap());
    e.retry = RetrySchedule {
        delays: delays_ms
            .iter()
            .map(|m| Duration::from_millis(*m))
            .collect(),
        jitter: Jitter::None,
    };
    e.timeout = Duration::from_secs(5);
    e.allow_private = true;
    e
}

fn service(dir: &std::path::Path, endpoints: &[&Endpoint]) -> Arc<Webhooks> {
    let (outbox, _) = Outbox::open(dir).unwrap();
    let mut source = StaticEndpoints::default();
    for e in endpoints {
        source.insert(PROJECT, (*e).clone());
    }
    Arc::new(
        Webhooks::new(Arc::new(outbox), Arc::new(source))
            .unwrap()
            .with_random(Arc::new(XorShift::new(1))),
    )
}

fn event() -> Event {
    Event::now(
        EventType::TaskCompleted,
        serde_json::json!({"round": 1, "changedPaths": ["src/a.rs"]}),
    )
}

fn assert_signed(received: &support::Received, event_id: &str) {
    assert_eq!(received.header("webhook-id"), Some(event_id));
    let ts: u64 = received
        .header("webhook-timestamp")
        .unwrap()
        .parse()
        .unwrap();
    let sig = received.header("webhook-signature").unwrap();
    let key = Secret::parse(SECRET).unwrap();
    assert!(
        sign::verify_standard_webhooks(key.bytes(), event_id, ts, &received.body, sig),
        "bad signature {sig}"
    );
    assert_eq!(received.header("content-type"), Some("application/json"));
    assert!(received
        .header("user-agent")
        .unwrap()
        .starts_with("Warden/"));
}

fn status_of(hooks: &Webhooks, id: i64) -> DeliveryStatus {
    hooks.outbox().delivery(id).unwrap().unwrap().status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_are_retried_on_schedule_with_the_same_id_and_valid_signatures() {
    let rx = Receiver::start(vec![
        Reply::status(500),
        Reply::status(503),
        Reply::status(200),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let ep = endpoint("ci", rx.url("/hook"), &[10, 20, 40]);
    let hooks = service(dir.path(), &[&ep]);
    let worker = hooks.spawn();
    let event = event();
    let queued = hooks
        .enqueue(PROJECT, std::slice::from_ref(&ep), &event)
        .unwrap();
    assert_eq!(queued.len(), 1);
    let id = queued[0].id;
    assert!(
        wait_until(LIMIT, || status_of(&hooks, id) == DeliveryStatus::Delivered).await,
        "not delivered"
    );
    worker.stop().await;

    let got = rx.received();
    assert_eq!(got.len(), 3);
    for r in &got {
        assert_signed(r, &event.id);
        assert_eq!(r.body, event.body(), "the body is frozen");
        assert_eq!(r.header("x-warden-event"), Some("task.completed"));
    }
    let body: serde_json::Value = serde_json::from_slice(&got[0].body).unwrap();
    assert_eq!(body["type"], "task.completed");
    assert_eq!(body["id"], event.id.as_str());
    let attempts = hooks.outbox().attempts(id).unwrap();
    let seen: Vec<_> = attempts
        .iter()
        .map(|a| (a.number, a.response_status, a.outcome.as_str()))
        .collect();
    assert_eq!(
        seen,
        vec![
            (1, Some(500), "retry"),
            (2, Some(503), "retry"),
            (3, Some(200), "delivered")
        ]
    );
    // Jitter none: the gaps follow the schedule (10 ms, then 20 ms).
    assert!(got[1].at - got[0].at >= Duration::from_millis(10));
    assert!(got[2].at - got[1].at >= Duration::from_millis(20));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_the_schedule_the_delivery_is_dead_lettered() {
    let rx = Receiver::start(vec![Reply::status(500); 5]);
    let dir = tempfile::tempdir().unwrap();
    let ep = endpoint("ci", rx.url("/"), &[10, 20, 40]);
    let hooks = service(dir.path(), &[&ep]);
    let worker = hooks.spawn();
    let id = hooks
        .enqueue(PROJECT, std::slice::from_ref(&ep), &event())
        .unwrap()[0]
        .id;
    assert!(wait_until(LIMIT, || status_of(&hooks, id) == DeliveryStatus::Failed).await);
    worker.stop().await;
    let outcomes: Vec<_> = hooks
        .outbox()
        .attempts(id)
        .unwrap()
        .into_iter()
        .map(|a| a.outcome)
        .collect();
    assert_eq!(outcomes, ["retry", "retry", "retry", "failed"]);
    assert_eq!(rx.received().len(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_server_times_out_and_is_retried() {
    let rx = Receiver::start(vec![
        Reply::status(200).delay(Duration::from_secs(3)),
        Reply::status(200),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let mut ep = endpoint("slow", rx.url("/"), &[10]);
    ep.timeout = Duration::from_millis(300);
    let hooks = service(dir.path(), &[&ep]);
    let worker = hooks.spawn();
    let id = hooks
        .enqueue(PROJECT, std::slice::from_ref(&ep), &event())
        .unwrap()[0]
        .id;
    assert!(wait_until(LIMIT, || status_of(&hooks, id) == DeliveryStatus::Delivered).await);
    worker.stop().await;
    let attempts = hooks.outbox().attempts(id).unwrap();
    assert_eq!(attempts.len(), 2);
    assert!(
        attempts[0].error.as_deref().unwrap().contains("timed out"),
        "{:?}",
        attempts[0].error
    );
    assert!(
        attempts[0].duration_ms >= 300 && attempts[0].duration_ms < 3000,
        "{}",
        attempts[0].duration_ms
    );
    assert_eq!(attempts[0].response_status, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_waits_for_retry_after() {
    let rx = Receiver::start(vec![
        Reply::status(429).header("Retry-After", "1"),
        Reply::status(200),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let ep = endpoint("busy", rx.url("/"), &[10]);
    let hooks = service(dir.path(), &[&ep]);
    let worker = hooks.spawn();
    let id = hooks
        .enqueue(PROJECT, std::slice::from_ref(&ep), &event())
        .unwrap()[0]
        .id;
    assert!(wait_until(LIMIT, || status_of(&hooks, id) == DeliveryStatus::Delivered).await);
    worker.stop().await;
    let got = rx.received();
    assert_eq!(got.len(), 2);
    assert!(
        got[1].at - got[0].at >= Duration::from_millis(950),
        "waited {:?}",
        got[1].at - got[0].at
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_410_disables_the_endpoint_and_later_events_are_skipped() {
    let rx = Receiver::start(vec![Reply::status(410)]);
    let dir = tempfile::tempdir().unwrap();
    let ep = endpoint("gone", rx.url("/"), &[10, 20]);
    let hooks = service(dir.path(), &[&ep]);
    let first = hooks
        .enqueue(PROJECT, std::slice::from_ref(&ep), &event())
        .unwrap()[0]
        .id;
    hooks.run_due().await.unwrap();
    assert_eq!(status_of(&hooks, first), DeliveryStatus::Disabled);
    assert!(hooks.outbox().is_disabled(PROJECT, "gone").unwrap());
    let second = hooks
        .enqueue(PROJECT, std::slice::from_ref(&ep), &event())
        .unwrap()[0];
    assert_eq!(second.status, DeliveryStatus::Skipped);
    assert_eq!(hooks.run_due().await.unwrap(), 0);
    assert_eq!(rx.received().len(), 1, "nothing more is sent after a 410");
    // Persisted: a new outbox on the same file still knows.
    let (again, _) = Outbox::open(dir.path()).unwrap();
    assert!(again.is_disabled(PROJECT, "gone").unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_4xx_fail_at_once() {
    let rx = Receiver::start(vec![Reply::status(404)]);
    let dir = tempfile::tempdir().unwrap();
    let ep = endpoint("typo", rx.url("/"), &[10, 20]);
    let hooks = service(dir.path(), &[&ep]);
    let id = hooks
        .enqueue(PROJECT, std::slice::from_ref(&ep), &event())
        .unwrap()[0]
        .id;
    hooks.run_due().await.unwrap();
    assert_eq!(status_of(&hooks, id), DeliveryStatus::Failed);
    assert_eq!(
        hooks
            .outbox()
            .delivery(id)
            .unwrap()
            .unwrap()
            .last_error
            .as_deref(),
        Some("HTTP 404")
    );
    assert!(!hooks.outbox().is_disabled(PROJECT, "typo").unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_endpoint_answers_with_a_review() {
    let review = r#"{"verdict":"needsAttention","summary":"one bug","findings":[{"severity":"high","title":"Off by one","body":"loop ends early","file":"src/a.rs","line":12}]}"#;
    let rx = Receiver::start(vec![
        Reply::status(500),
        Reply::status(200).body(review),
        Reply::status(200).body("<html>ok</html>"),
        Reply::status(502),
        Reply::status(502),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let mut ep = endpoint("review", rx.url("/review"), &[10]);
    ep.mode = Mode::Sync;
    let hooks = service(dir.path(), &[&ep]);
    assert!(
        hooks
            .enqueue(PROJECT, std::slice::from_ref(&ep), &event())
            .unwrap()
            .is_empty(),
        "sync endpoints are not queued for the worker"
    );

    let outcome = tokio::time::timeout(LIMIT, hooks.deliver_sync(PROJECT, &ep, &event()))
        .await
        .unwrap()
        .unwrap();
    let SyncOutcome::Review { review, delivery } = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(review.verdict, ReviewVerdict::NeedsAttention);
    assert_eq!(review.findings.len(), 1);
    assert_eq!(
        (review.findings[0].file.as_deref(), review.findings[0].line),
        (Some("src/a.rs"), Some(12))
    );
    assert_eq!(hooks.outbox().attempts(delivery).unwrap().len(), 2);

    let outcome = tokio::time::timeout(LIMIT, hooks.deliver_sync(PROJECT, &ep, &event()))
        .await
        .unwrap()
        .unwrap();
    let SyncOutcome::InvalidAnswer { delivery, .. } = outcome else {
        panic!("{outcome:?}")
    };
    assert!(hooks.outbox().attempts(delivery).unwrap()[0]
        .error
        .as_deref()
        .unwrap()
        .contains("not a review"));

    let outcome = tokio::time::timeout(LIMIT, hooks.deliver_sync(PROJECT, &ep, &event()))
        .await
        .unwrap()
        .unwrap();
    assert!(
        matches!(outcome, SyncOutcome::Unreachable { .. }),
        "{outcome:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redeliver_sends_the_same_bytes_and_id_with_a_fresh_signature() {
    let rx = Receiver::start(vec![Reply::status(200), Reply::status(200)]);
    let dir = tempfile::tempdir().unwrap();
    let ep = endpoint("ci", rx.url("/"), &[10]);
    let hooks = service(dir.path(), &[&ep]);
    let event = event();
    let id = hooks
        .enqueue(PROJECT, std::slice::from_ref(&ep), &event)
        .unwrap()[0]
        .id;
    hooks.run_due().await.unwrap();
    assert_eq!(status_of(&hooks, id), DeliveryStatus::Delivered);
    let attempt = hooks.redeliver(id).await.unwrap();
    assert!(attempt.redelivery);
    assert_eq!((attempt.number, attempt.outcome.as_str()), (2, "delivered"));
    let got = rx.received();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].body, got[1].body, "identical bytes");
    assert_signed(&got[0], &event.id);
    assert_signed(&got[1], &event.id);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_outbox_resumes_after_a_restart() {
    let rx = Receiver::start(vec![Reply::status(500), Reply::status(200)]);
    let dir = tempfile::tempdir().unwrap();
    let ep = endpoint("ci", rx.url("/"), &[300]);
    let event = event();
    let id = {
        // One pass of the worker (not the spawned loop, so the retry cannot sneak in on a
        // slow machine): the first attempt fails and the retry is scheduled.
        let hooks = service(dir.path(), &[&ep]);
        let id = hooks
            .enqueue(PROJECT, std::slice::from_ref(&ep), &event)
            .unwrap()[0]
            .id;
        assert_eq!(hooks.run_due().await.unwrap(), 1);
        assert_eq!(status_of(&hooks, id), DeliveryStatus::Pending);
        id
    };
    // Warden stopped with the retry still pending; a new process opens the same file.
    let hooks = service(dir.path(), &[&ep]);
    let worker = hooks.spawn();
    assert!(
        wait_until(LIMIT, || status_of(&hooks, id) == DeliveryStatus::Delivered).await,
        "not resumed"
    );
    worker.stop().await;
    let got = rx.received();
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].header("webhook-id"), Some(event.id.as_str()));
    assert_eq!(got[0].body, got[1].body);
    let numbers: Vec<_> = hooks
        .outbox()
        .attempts(id)
        .unwrap()
        .iter()
        .map(|a| a.number)
        .collect();
    assert_eq!(numbers, [1, 2]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loopback_is_refused_unless_allowed() {
    let rx = Receiver::start(vec![]);
    let dir = tempfile::tempdir().unwrap();
    for url in [rx.url("/"), format!("http://localhost:{}/", rx.port)] {
        let mut ep = endpoint("local", url.clone(), &[10]);
        ep.allow_private = false;
        let hooks = service(dir.path(), &[&ep]);
        let (id, attempt) = hooks.send_test(PROJECT, &ep).await.unwrap();
        assert_eq!(attempt.response_status, None);
        assert!(
            attempt
                .error
                .as_deref()
                .unwrap()
                .contains("private address"),
            "{url}: {:?}",
            attempt.error
        );
        assert_eq!(status_of(&hooks, id), DeliveryStatus::Failed);
    }
    assert!(rx.received().is_empty(), "nothing reached the receiver");
    // Allowed explicitly: the test event arrives.
    let ep = endpoint("local", rx.url("/"), &[10]);
    let hooks = service(dir.path(), &[&ep]);
    let (_, attempt) = hooks.send_test(PROJECT, &ep).await.unwrap();
    assert_eq!(attempt.response_status, Some(200));
    let got = rx.received();
    let body: serde_json::Value = serde_json::from_slice(&got[0].body).unwrap();
    assert_eq!(body["type"], "ping");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_delivery_log_redacts_secrets_but_keeps_signatures() {
    let rx = Receiver::start(vec![Reply::status(201)
        .header("X-Request-Id", "r-1")
        .body("thanks")]);
    let dir = tempfile::tempdir().unwrap();
    let mut ep = endpoint(
        "chat",
        format!("{}?token=tok-123&team=core", rx.url("/hook")),
        &[10],
    );
    ep.headers = vec![
        ExtraHeader {
            name: "Authorization".into(),
            value: "Bearer auth-456".into(),
            secret: false,
        },
        ExtraHeader {
            name: "X-Api-Key".into(),
            value: "key-789".into(),
            secret: true,
        },
        ExtraHeader {
            name: "X-Team".into(),
            value: "core".into(),
            secret: false,
        },
    ];
    ep.secret_query_params = vec!["token".into()];
    let hooks = service(dir.path(), &[&ep]);
    let id = hooks
        .enqueue(PROJECT, std::slice::from_ref(&ep), &event())
        .unwrap()[0]
        .id;
    hooks.run_due().await.unwrap();
    let got = rx.received();
    assert_eq!(
        got[0].header("authorization"),
        Some("Bearer auth-456"),
        "the receiver gets the real header"
    );
    assert_eq!(got[0].target, "/hook?token=tok-123&team=core");

    let attempts = hooks.outbox().attempts(id).unwrap();
    let log = serde_json::to_string(&attempts).unwrap();
    for secret in [
        "auth-456",
        "key-789",
        "tok-123",
        "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    ] {
        assert!(!log.contains(secret), "{secret} in {log}");
    }
    let header = |n: &str| {
        attempts[0]
            .request_headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.clone())
    };
    assert_eq!(
        header("authorization").as_deref(),
        Some(warden_webhooks::REDACTED)
    );
    assert_eq!(
        header("x-api-key").as_deref(),
        Some(warden_webhooks::REDACTED)
    );
    assert_eq!(header("x-team").as_deref(), Some("core"));
    assert!(
        header("webhook-signature").unwrap().starts_with("v1,"),
        "signatures are not secrets"
    );
    assert!(attempts[0].url.contains("team=core") && !attempts[0].url.contains("tok-123"));
    assert_eq!(attempts[0].response_status, Some(201));
    assert_eq!(attempts[0].response_body, b"thanks");
    assert!(attempts[0]
        .response_headers
        .iter()
        .any(|(k, v)| k == "x-request-id" && v == "r-1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn github_style_signatures_verify_like_github() {
    let rx = Receiver::start(vec![]);
    let dir = tempfile::tempdir().unwrap();
    let mut ep = endpoint("gh", rx.url("/"), &[]);
    ep.signature = SignatureStyle::Github;
    ep.secret = Some(Secret::parse("It's a Secret to Everybody").unwrap());
    let hooks = service(dir.path(), &[&ep]);
    let event = event();
    hooks
        .enqueue(PROJECT, std::slice::from_ref(&ep), &event)
        .unwrap();
    hooks.run_due().await.unwrap();
    let got = rx.received();
    let expected = sign::github(b"It's a Secret to Everybody", &got[0].body);
    assert_eq!(
        got[0].header("x-hub-signature-256"),
        Some(expected.as_str())
    );
    assert_eq!(got[0].header("x-warden-delivery"), Some(event.id.as_str()));
    assert_eq!(got[0].header("webhook-signature"), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_endpoints_deliveries_due_together_arrive_in_the_order_they_were_queued() {
    // Each answer takes a moment, so deliveries sent side by side would arrive shuffled.
    let rx = Receiver::start(vec![Reply::status(200).delay(Duration::from_millis(15)); 8]);
    let other = Receiver::start(Vec::new());
    let dir = tempfile::tempdir().unwrap();
    let ep = endpoint("ci", rx.url("/hook"), &[]);
    let second = endpoint("chat", other.url("/chat"), &[]);
    let hooks = service(dir.path(), &[&ep, &second]);
    let events: Vec<Event> = (0..8).map(|_| event()).collect();
    for e in &events {
        hooks
            .enqueue(PROJECT, &[ep.clone(), second.clone()], e)
            .unwrap();
    }
    // One pass of the worker sends all of them: the two endpoints side by side, each in order.
    assert_eq!(hooks.run_due().await.unwrap(), 16);
    let ids: Vec<String> = rx
        .received()
        .iter()
        .map(|r| r.header("webhook-id").unwrap().to_owned())
        .collect();
    let queued: Vec<String> = events.iter().map(|e| e.id.clone()).collect();
    assert_eq!(ids, queued);
    assert_eq!(other.received().len(), 8);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endpoint_disabled_by_a_410_can_be_enabled_again_and_its_held_deliveries_go_out() {
    let rx = Receiver::start(vec![Reply::status(410)]);
    let dir = tempfile::tempdir().unwrap();
    let ep = endpoint("gone", rx.url("/"), &[10, 20]);
    let hooks = service(dir.path(), &[&ep]);
    let held = event();
    let first = hooks
        .enqueue(PROJECT, std::slice::from_ref(&ep), &held)
        .unwrap()[0]
        .id;
    hooks.run_due().await.unwrap();
    assert_eq!(status_of(&hooks, first), DeliveryStatus::Disabled);
    let gone = hooks.outbox().disabled(PROJECT, "gone").unwrap().unwrap();
    assert!(
        gone.reason.contains("410") && gone.disabled_at > 0,
        "{gone:?}"
    );
    let skipped = hooks
        .enqueue(PROJECT, std::slice::from_ref(&ep), &event())
        .unwrap()[0];
    assert_eq!(skipped.status, DeliveryStatus::Skipped);

    // The person fixed the receiver (it answers 200 from now on) and enables the endpoint.
    let enabled = hooks.enable(PROJECT, "gone").unwrap();
    assert_eq!(
        (enabled.was_disabled, enabled.requeued, enabled.skipped),
        (true, 1, 1)
    );
    assert!(hooks.outbox().disabled(PROJECT, "gone").unwrap().is_none());
    assert_eq!(status_of(&hooks, first), DeliveryStatus::Pending);
    let worker = hooks.spawn();
    let next = event();
    let queued = hooks
        .enqueue(PROJECT, std::slice::from_ref(&ep), &next)
        .unwrap()[0];
    assert_eq!(queued.status, DeliveryStatus::Pending, "no longer skipped");
    assert!(
        wait_until(LIMIT, || status_of(&hooks, queued.id)
            == DeliveryStatus::Delivered
            && status_of(&hooks, first) == DeliveryStatus::Delivered)
        .await,
        "the held and the next event were not delivered"
    );
    worker.stop().await;
    let ids: Vec<String> = rx
        .received()
        .iter()
        .map(|r| r.header("webhook-id").unwrap().to_owned())
        .collect();
    assert_eq!(
        ids,
        [held.id.clone(), held.id.clone(), next.id.clone()],
        "the 410, the held delivery again, then the next event; the skipped one stays unsent"
    );
    assert_eq!(status_of(&hooks, skipped.id), DeliveryStatus::Skipped);
    // Enabling an endpoint that is not disabled changes nothing.
    assert_eq!(
        hooks.enable(PROJECT, "gone").unwrap(),
        warden_webhooks::Enabled {
            was_disabled: false,
            requeued: 0,
            skipped: 1
        }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_workers_on_one_outbox_deliver_every_event_exactly_once() {
    // Slow answers widen the window in which both workers see the same due deliveries.
    let rx = Receiver::start(Vec::new());
    for _ in 0..40 {
        rx.push(Reply::status(200).delay(Duration::from_millis(15)));
    }
    let dir = tempfile::tempdir().unwrap();
    let endpoints: Vec<Endpoint> = (0..4)
        .map(|i| endpoint(&format!("ep{i}"), rx.url(&format!("/{i}")), &[50]))
        .collect();
    let refs: Vec<&Endpoint> = endpoints.iter().collect();
    // Two services over the same file: two processes (the window and `warden run`).
    let a = service(dir.path(), &refs);
    let b = service(dir.path(), &refs);
    let (wa, wb) = (a.spawn(), b.spawn());
    let mut ids = Vec::new();
    for n in 0..10 {
        // Queued through either handle, as two processes would.
        let hooks = if n % 2 == 0 { &a } else { &b };
        for q in hooks.enqueue(PROJECT, &endpoints, &event()).unwrap() {
            ids.push(q.id);
        }
    }
    assert_eq!(ids.len(), 40);
    let all_done = wait_until(LIMIT, || {
        ids.iter()
            .all(|id| status_of(&a, *id) == DeliveryStatus::Delivered)
    })
    .await;
    // Let a late duplicate (if any) arrive before counting.
    tokio::time::sleep(Duration::from_millis(300)).await;
    wa.stop().await;
    wb.stop().await;
    let statuses: Vec<_> = ids
        .iter()
        .map(|id| {
            (
                status_of(&a, *id),
                a.outbox().delivery(*id).unwrap().unwrap().last_error,
            )
        })
        .filter(|(s, _)| *s != DeliveryStatus::Delivered)
        .collect();
    assert!(all_done, "not every delivery was delivered: {statuses:?}");
    let mut per_event = std::collections::HashMap::<(String, String), usize>::new();
    for r in rx.received() {
        *per_event
            .entry((r.target.clone(), r.header("webhook-id").unwrap().to_owned()))
            .or_default() += 1;
    }
    assert_eq!(per_event.len(), 40, "every (endpoint, event) arrived");
    let doubled: Vec<_> = per_event.iter().filter(|(_, n)| **n != 1).collect();
    assert!(doubled.is_empty(), "sent more than once: {doubled:?}");
    for id in ids {
        assert_eq!(a.outbox().attempts(id).unwrap().len(), 1, "delivery {id}");
    }
}
