//! Webhook deliveries per second through the outbox to a local receiver (a number for the
//! issue's note, not a timed test): `cargo bench -p warden-webhooks --bench throughput`.
//! Each event is queued (one SQLite transaction), picked up by the worker, signed, POSTed over
//! a fresh connection to a receiver on 127.0.0.1 and recorded with its attempt.

#[path = "../tests/support/mod.rs"]
mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};
use warden_webhooks::{
    DeliveryStatus, Endpoint, Event, EventType, Outbox, Secret, StaticEndpoints, Webhooks,
};

fn main() {
    let count: usize = std::env::var("WARDEN_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let rx = support::Receiver::start(Vec::new());
        let dir = tempfile::tempdir().expect("temp dir");
        let mut endpoint = Endpoint::new("bench", rx.url("/"), vec![EventType::TaskFinished]);
        endpoint.secret =
            Some(Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("secret"));
        endpoint.allow_private = true;
        let (outbox, _) = Outbox::open(dir.path()).expect("outbox");
        let mut source = StaticEndpoints::default();
        source.insert("/bench", endpoint.clone());
        let hooks = Arc::new(Webhooks::new(Arc::new(outbox), Arc::new(source)).expect("client"));
        let worker = hooks.spawn();
        let start = Instant::now();
        let mut ids = Vec::with_capacity(count);
        for n in 0..count {
            let event = Event::now(EventType::TaskFinished, serde_json::json!({ "n": n }));
            ids.extend(
                hooks
                    .enqueue("/bench", std::slice::from_ref(&endpoint), &event)
                    .expect("queued")
                    .into_iter()
                    .map(|q| q.id),
            );
        }
        let last = *ids.last().expect("ids");
        let done = support::wait_until(Duration::from_secs(120), || {
            hooks
                .outbox()
                .deliveries(Some("bench"), count as u32)
                .map(|d| d.iter().all(|d| d.status == DeliveryStatus::Delivered))
                .unwrap_or(false)
                && hooks
                    .outbox()
                    .delivery(last)
                    .ok()
                    .flatten()
                    .is_some_and(|d| d.status == DeliveryStatus::Delivered)
        })
        .await;
        let elapsed = start.elapsed();
        worker.stop().await;
        assert!(done, "not every delivery was delivered within 2 minutes");
        assert_eq!(rx.received().len(), count);
        println!(
            "{count} deliveries in {:.0} ms: {:.0} deliveries/s",
            elapsed.as_secs_f64() * 1000.0,
            count as f64 / elapsed.as_secs_f64()
        );
    });
}
