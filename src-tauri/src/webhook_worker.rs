//! The webhook delivery worker of this process: the window starts it at start-up and stops it
//! at quit; `warden run` starts it too and, at exit, waits a bounded time for the deliveries it
//! queued. Every project's deliveries go through the one outbox of the data folder; what is
//! still pending when a process stops is sent by the next one that starts a worker. Workers of
//! several processes may run over it at once: each claims a due delivery before sending it
//! (a lease in the outbox), so none is sent twice.

use std::sync::Mutex;
use warden_engine::gate::webhooks::Publisher;
use warden_webhooks::Worker;

/// The running worker, held by the app (managed state) or by `warden run`.
#[derive(Debug)]
pub struct WebhookWorker(Mutex<Option<Worker>>);

impl WebhookWorker {
    /// Starts the worker over `publisher`'s outbox; it first resumes what earlier processes
    /// left pending. Must run inside a tokio runtime. `Err` says why there is no worker (the
    /// outbox cannot be opened): events are then not delivered, sessions run as usual.
    pub fn start(publisher: &Publisher) -> Result<Self, String> {
        let service = publisher.service()?;
        Ok(Self(Mutex::new(Some(service.spawn()))))
    }

    /// Stops the worker (an attempt in flight is abandoned and sent again at the next start,
    /// with the same `webhook-id`). Stopping twice does nothing.
    pub async fn stop(&self) {
        let worker = self.0.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(worker) = worker {
            worker.stop().await;
        }
    }

    /// `warden run`'s exit: waits for the deliveries this process queued, at most
    /// [`Publisher::drain_limit`] (their schedules, capped at 10 s), stops the worker and says on
    /// stderr what is still pending.
    pub async fn drain_and_stop(&self, publisher: &Publisher) {
        let pending = publisher.drain(publisher.drain_limit()).await;
        self.stop().await;
        if pending.is_empty() {
            return;
        }
        eprintln!(
            "warden: {} webhook deliveries are still pending; Warden sends them at its next start (`warden webhooks deliveries` lists them):",
            pending.len()
        );
        for d in pending {
            let why = d.last_error.map(|e| format!(" ({e})")).unwrap_or_default();
            eprintln!("warden:   {} {} to {}, {} attempts{why}", d.id, d.event_type, d.endpoint, d.attempts);
        }
    }
}
