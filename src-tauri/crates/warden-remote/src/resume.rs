//! A client that survives its connection: [`Remote`] follows sessions' event streams and
//! terminals' output, remembers the last `seq` of each, and after a reconnect subscribes again
//! from there, so each stream the caller reads goes on with no gap and no duplicate.

use crate::client::{ClientError, Connection};
use crate::transport::Transport;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use crate::protocol::TerminalChunk;
use warden_core::session::{SessionEvent, SessionId};
use warden_core::terminal::TerminalId;

/// One followed stream.
struct Followed {
    /// The last `seq` handed to the caller.
    last: Arc<AtomicU64>,
    /// The caller's end stays open across reconnects.
    out: mpsc::UnboundedSender<SessionEvent>,
    /// Copies the current connection's subscription to `out`.
    pump: JoinHandle<()>,
}

/// One followed terminal.
struct FollowedTerminal {
    /// The last `seq` handed to the caller.
    last: Arc<AtomicU64>,
    /// The caller's end stays open across reconnects.
    out: mpsc::UnboundedSender<TerminalChunk>,
    /// Copies the current connection's subscription to `out`.
    pump: JoinHandle<()>,
}

/// A connection through a transport that can be made again, with the streams it follows.
pub struct Remote {
    transport: Transport,
    connection: Connection,
    followed: HashMap<SessionId, Followed>,
    terminals: HashMap<TerminalId, FollowedTerminal>,
}

impl Remote {
    /// Connects through `transport`.
    pub async fn connect(transport: Transport) -> Result<Remote, ClientError> {
        let connection = Connection::open(&transport).await?;
        Ok(Remote { transport, connection, followed: HashMap::new(), terminals: HashMap::new() })
    }

    /// The current connection, for calls.
    pub fn connection(&self) -> &Connection {
        &self.connection
    }

    /// The transport.
    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// Follows `session`'s events after `after_seq`; the receiver stays open across
    /// [`Remote::reconnect`]s.
    pub async fn follow(&mut self, session: &SessionId, after_seq: u64) -> Result<mpsc::UnboundedReceiver<SessionEvent>, ClientError> {
        let (out, events) = mpsc::unbounded_channel();
        let last = Arc::new(AtomicU64::new(after_seq));
        let pump = self.pump(session, last.clone(), out.clone()).await?;
        if let Some(previous) = self.followed.insert(session.clone(), Followed { last, out, pump }) {
            previous.pump.abort();
        }
        Ok(events)
    }

    /// Stops following `session`: its stream's receiver ends. Whether it was followed.
    pub fn unfollow(&mut self, session: &SessionId) -> bool {
        self.followed.remove(session).map(|followed| followed.pump.abort()).is_some()
    }

    /// The sessions followed now.
    pub fn followed(&self) -> Vec<SessionId> {
        self.followed.keys().cloned().collect()
    }

    /// The last `seq` handed out of `session`'s stream.
    pub fn last_seq(&self, session: &SessionId) -> Option<u64> {
        self.followed.get(session).map(|f| f.last.load(Ordering::SeqCst))
    }

    async fn pump(&self, session: &SessionId, last: Arc<AtomicU64>, out: mpsc::UnboundedSender<SessionEvent>) -> Result<JoinHandle<()>, ClientError> {
        let mut subscription = self.connection.subscribe(session, last.load(Ordering::SeqCst)).await?;
        Ok(tokio::spawn(async move {
            while let Some(event) = subscription.events.recv().await {
                // The server sends each once per subscription; this guards the seam between
                // two subscriptions all the same.
                if event.seq <= last.load(Ordering::SeqCst) {
                    continue;
                }
                last.store(event.seq, Ordering::SeqCst);
                if out.send(event).is_err() {
                    return;
                }
            }
        }))
    }

    /// Follows terminal `id`'s messages after `after_seq`; the receiver stays open across
    /// [`Remote::reconnect`]s (the host keeps the terminal while its connection is gone).
    pub async fn follow_terminal(&mut self, id: TerminalId, after_seq: u64) -> Result<mpsc::UnboundedReceiver<TerminalChunk>, ClientError> {
        let (out, messages) = mpsc::unbounded_channel();
        let last = Arc::new(AtomicU64::new(after_seq));
        let pump = self.pump_terminal(id, last.clone(), out.clone()).await?;
        if let Some(previous) = self.terminals.insert(id, FollowedTerminal { last, out, pump }) {
            previous.pump.abort();
        }
        Ok(messages)
    }

    /// Stops following terminal `id` (after closing it, say).
    pub fn unfollow_terminal(&mut self, id: TerminalId) {
        if let Some(followed) = self.terminals.remove(&id) {
            followed.pump.abort();
        }
    }

    /// The last `seq` handed out of terminal `id`'s messages.
    pub fn last_terminal_seq(&self, id: TerminalId) -> Option<u64> {
        self.terminals.get(&id).map(|f| f.last.load(Ordering::SeqCst))
    }

    async fn pump_terminal(&self, id: TerminalId, last: Arc<AtomicU64>, out: mpsc::UnboundedSender<TerminalChunk>) -> Result<JoinHandle<()>, ClientError> {
        let mut subscription = self.connection.terminal_subscribe(id, last.load(Ordering::SeqCst)).await?;
        Ok(tokio::spawn(async move {
            while let Some(chunk) = subscription.events.recv().await {
                if chunk.seq <= last.load(Ordering::SeqCst) {
                    continue;
                }
                last.store(chunk.seq, Ordering::SeqCst);
                if out.send(chunk).is_err() {
                    return;
                }
            }
        }))
    }

    /// Connects again and resumes every followed stream from its last `seq`. A session the
    /// host no longer knows (its store was reset, the session removed there meanwhile) is
    /// no longer followed, its receiver ending; it does not fail the reconnect, or one vanished
    /// session would keep the whole connection down.
    pub async fn reconnect(&mut self) -> Result<(), ClientError> {
        let connection = Connection::open(&self.transport).await?;
        self.connection = connection;
        let sessions: Vec<SessionId> = self.followed.keys().cloned().collect();
        for session in sessions {
            let Some(followed) = self.followed.get(&session) else { continue };
            let (last, out) = (followed.last.clone(), followed.out.clone());
            followed.pump.abort();
            match self.pump(&session, last.clone(), out.clone()).await {
                Ok(pump) => {
                    self.followed.insert(session, Followed { last, out, pump });
                }
                Err(ClientError::Remote(e)) if e.kind == crate::protocol::ErrorKind::NotFound => {
                    tracing::info!(%session, "the host no longer knows a followed session: {}", e.message);
                    self.followed.remove(&session);
                }
                Err(e) => return Err(e),
            }
        }
        let terminals: Vec<TerminalId> = self.terminals.keys().copied().collect();
        for id in terminals {
            let Some(followed) = self.terminals.get(&id) else { continue };
            let (last, out) = (followed.last.clone(), followed.out.clone());
            followed.pump.abort();
            let pump = self.pump_terminal(id, last.clone(), out.clone()).await?;
            self.terminals.insert(id, FollowedTerminal { last, out, pump });
        }
        Ok(())
    }

    /// [`Remote::reconnect`] with a doubling pause between attempts; gives up after `attempts`,
    /// and at once when the versions no longer match or Warden is gone from the host (trying
    /// again cannot help).
    pub async fn reconnect_with_backoff(&mut self, attempts: u32, first_pause: Duration) -> Result<(), ClientError> {
        let mut pause = first_pause;
        let mut last_error = None;
        for attempt in 1..=attempts.max(1) {
            match self.reconnect().await {
                Ok(()) => return Ok(()),
                Err(e @ (ClientError::Mismatch(_) | ClientError::NotInstalled { .. })) => return Err(e),
                Err(e) => {
                    tracing::info!(attempt, error = %e, "reconnecting failed");
                    last_error = Some(e);
                }
            }
            if attempt < attempts {
                tokio::time::sleep(pause).await;
                pause = pause.saturating_mul(2).min(Duration::from_secs(30));
            }
        }
        Err(last_error.unwrap_or_else(|| ClientError::Handshake("no attempt was made".into())))
    }
}
