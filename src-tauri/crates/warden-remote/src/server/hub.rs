//! The sessions' live events fanned out to every subscribed client, and the subscription that
//! joins a session's stored events to its live ones without a gap or a duplicate.
//!
//! Every session the server starts reports to one [`HubSink`]. A subscription registers for the
//! live events first, then reads the store after the client's `seq`, then forwards the live
//! ones it has not sent yet. The engine stores an event before it hands it to the sink, so an
//! event is either in that store read or arrives live afterwards (or both: it is then skipped
//! by its `seq`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;
use warden_core::session::{SessionEvent, SessionId};
use warden_engine::{Engine, EventSink};

/// Live listeners per session.
#[derive(Default)]
pub struct Hub {
    listeners: Mutex<HashMap<SessionId, Vec<mpsc::UnboundedSender<SessionEvent>>>>,
}

impl Hub {
    fn listeners(&self) -> std::sync::MutexGuard<'_, HashMap<SessionId, Vec<mpsc::UnboundedSender<SessionEvent>>>> {
        self.listeners.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Listens to `session`'s live events from now on; the listener is dropped when its receiver
    /// is.
    pub fn listen(&self, session: &SessionId) -> mpsc::UnboundedReceiver<SessionEvent> {
        let (tx, rx) = mpsc::unbounded_channel();
        self.listeners().entry(session.clone()).or_default().push(tx);
        rx
    }

    fn publish(&self, event: &SessionEvent) {
        let mut listeners = self.listeners();
        if let Some(list) = listeners.get_mut(&event.session_id) {
            list.retain(|tx| tx.send(event.clone()).is_ok());
            if list.is_empty() {
                listeners.remove(&event.session_id);
            }
        }
    }
}

/// The sink of every session the server starts: its events go to the hub.
pub struct HubSink(pub Arc<Hub>);

impl EventSink for HubSink {
    fn send(&self, event: &SessionEvent) {
        self.0.publish(event);
    }
}

/// Sends `session`'s events after `after_seq` to `out`, then its live ones, each once and in
/// order, until `out` closes. Ends early (with the store's complaint) when the store cannot
/// be read.
pub async fn forward(hub: Arc<Hub>, engine: Arc<Engine>, session: SessionId, after_seq: u64, out: impl Fn(SessionEvent) -> bool) -> Result<(), String> {
    // Listen before reading the store: see the module's comment.
    let mut live = hub.listen(&session);
    let stored = {
        let session = session.clone();
        tokio::task::spawn_blocking(move || engine.store().events(&session, after_seq)).await.map_err(|e| e.to_string())?.map_err(|e| e.to_string())?
    };
    let mut last = after_seq;
    for event in stored {
        if event.seq <= last {
            continue;
        }
        last = event.seq;
        if !out(event) {
            return Ok(());
        }
    }
    while let Some(event) = live.recv().await {
        if event.seq <= last {
            continue;
        }
        last = event.seq;
        if !out(event) {
            return Ok(());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use warden_core::session::{AgentKind, PermissionMode, SessionEventKind, SessionRecord};

    fn event(session: &SessionId, seq: u64) -> SessionEvent {
        SessionEvent { session_id: session.clone(), seq, at_ms: seq, kind: SessionEventKind::ModeChanged(PermissionMode::Plan) }
    }

    #[tokio::test]
    async fn stored_then_live_events_come_once_each_in_order() {
        let data = tempfile::tempdir().unwrap();
        let (engine, _) = Engine::open(data.path()).unwrap();
        let engine = Arc::new(engine);
        let id = SessionId("s1".into());
        let record = SessionRecord::new(id.clone(), "/p".into(), AgentKind::Claude, None, PermissionMode::Default, 1);
        let stored: Vec<SessionEvent> = (1..=5).map(|seq| event(&id, seq)).collect();
        engine.store().import_session(&record, &stored).unwrap();
        let hub = Arc::new(Hub::default());
        let (tx, mut rx) = mpsc::unbounded_channel();
        let forwarding = tokio::spawn(forward(hub.clone(), engine.clone(), id.clone(), 2, move |e| tx.send(e).is_ok()));
        // Wait until the subscription listens, then publish what the store also has (4, 5) and
        // what is new (6, 7), as the engine does around the moment a client subscribes.
        while hub.listeners().get(&id).is_none_or(|l| l.is_empty()) {
            tokio::task::yield_now().await;
        }
        let sink = HubSink(hub.clone());
        for seq in 4..=7 {
            sink.send(&event(&id, seq));
        }
        let mut seqs = Vec::new();
        while seqs.len() < 5 {
            let e = tokio::time::timeout(std::time::Duration::from_secs(10), rx.recv()).await.expect("bounded").expect("open");
            seqs.push(e.seq);
        }
        assert_eq!(seqs, vec![3, 4, 5, 6, 7], "after seq 2: no gap, no duplicate");
        forwarding.abort();
    }
}
