//! Where a session's events go after they are stored.

use warden_core::session::SessionEvent;

/// Receives every event of a session, in order, after it was persisted. Implementations must
/// not block: the session actor calls this on its own task (the window forwards to an IPC
/// channel, the headless command to a queue).
pub trait EventSink: Send + Sync {
    /// One event.
    fn send(&self, event: &SessionEvent);
}

/// A sink that forwards into a tokio channel, for the headless command and tests.
#[derive(Debug, Clone)]
pub struct ChannelSink(pub tokio::sync::mpsc::UnboundedSender<SessionEvent>);

impl EventSink for ChannelSink {
    fn send(&self, event: &SessionEvent) {
        let _ = self.0.send(event.clone());
    }
}
