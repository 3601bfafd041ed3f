//! The server: one engine shared by every client connection, each connection a handshake
//! followed by requests (handled concurrently, answered by id) and event subscriptions.
//!
//! A connection going away changes nothing in the engine: its sessions keep running, their
//! permission questions keep waiting for an answer from whichever client answers next.

mod handlers;
pub mod hub;
#[cfg(unix)]
pub mod local;

use crate::protocol::{read_frame, write_frame, ClientFrame, FrameError, Hello, Reply, ServerFrame};
use hub::{Hub, HubSink};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncRead, AsyncWrite, BufReader};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use warden_core::Workspace;
use warden_engine::{Engine, SessionHandle};

/// The engine behind every connection of one host (one data folder).
pub struct Server {
    engine: Arc<Engine>,
    hub: Arc<Hub>,
    /// The projects clients opened (the window's workspace, kept by the host for all of them).
    workspace: Mutex<Workspace>,
    /// Sessions started or resumed here, to know when the engine is idle.
    started: Mutex<Vec<SessionHandle>>,
    /// Connections open now.
    clients: AtomicUsize,
}

impl Server {
    /// A server over an opened engine.
    pub fn new(engine: Engine) -> Arc<Server> {
        Arc::new(Server {
            engine: Arc::new(engine),
            hub: Arc::new(Hub::default()),
            workspace: Mutex::new(Workspace::default()),
            started: Mutex::new(Vec::new()),
            clients: AtomicUsize::new(0),
        })
    }

    /// The engine.
    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    /// No client is connected and no session started here is running.
    pub fn is_idle(&self) -> bool {
        self.clients.load(Ordering::SeqCst) == 0 && self.started().iter().all(|h| h.is_finished())
    }

    fn started(&self) -> std::sync::MutexGuard<'_, Vec<SessionHandle>> {
        self.started.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Keeps a session started here, dropping the finished ones.
    fn keep(&self, handle: SessionHandle) {
        let mut started = self.started();
        started.retain(|h| !h.is_finished());
        started.push(handle);
    }

    /// The sink every session started here reports to.
    fn sink(&self) -> Arc<HubSink> {
        Arc::new(HubSink(self.hub.clone()))
    }

    /// Serves one client on `reader`/`writer` until it goes away.
    pub async fn serve<R, W>(self: Arc<Self>, reader: R, writer: W)
    where
        R: AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        self.clients.fetch_add(1, Ordering::SeqCst);
        let (outbox, frames) = mpsc::unbounded_channel();
        let writing = tokio::spawn(write_all(writer, frames));
        let conn = Arc::new(Connection { server: self.clone(), outbox, subscriptions: Mutex::new(HashMap::new()) });
        conn.run(BufReader::new(reader)).await;
        conn.end_subscriptions();
        drop(conn);
        // The outbox closes with the last request still being answered; then the writer ends.
        let _ = writing.await;
        self.clients.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Writes frames in order until every sender is gone or the pipe breaks.
async fn write_all<W: AsyncWrite + Unpin>(mut writer: W, mut frames: mpsc::UnboundedReceiver<ServerFrame>) {
    while let Some(frame) = frames.recv().await {
        if let Err(e) = write_frame(&mut writer, &frame).await {
            tracing::info!(error = %e, "a client's connection closed");
            break;
        }
    }
}

/// One client's connection.
pub(crate) struct Connection {
    server: Arc<Server>,
    outbox: mpsc::UnboundedSender<ServerFrame>,
    /// Its subscriptions by the client's id, each a task forwarding events.
    subscriptions: Mutex<HashMap<u64, JoinHandle<()>>>,
}

impl Connection {
    fn send(&self, frame: ServerFrame) -> bool {
        self.outbox.send(frame).is_ok()
    }

    /// The handshake, then requests until the client's end of the pipe closes.
    async fn run<R: AsyncRead + Unpin>(self: &Arc<Self>, mut reader: BufReader<R>) {
        let ours = Hello::ours();
        self.send(ServerFrame::Hello(ours.clone()));
        match read_frame::<ClientFrame, _>(&mut reader).await {
            Ok(Some(ClientFrame::Hello(theirs))) => {
                if let Some(reason) = ours.mismatch(&theirs, "the client") {
                    tracing::warn!(%reason, "refused a client");
                    self.send(ServerFrame::Refused { reason });
                    return;
                }
            }
            Ok(Some(ClientFrame::Request { .. })) => {
                self.send(ServerFrame::Refused { reason: "the client sent a request before its hello".into() });
                return;
            }
            Ok(None) => return,
            Err(e) => {
                self.send(ServerFrame::Refused { reason: e.to_string() });
                return;
            }
        }
        self.send(ServerFrame::Ready);
        loop {
            match read_frame::<ClientFrame, _>(&mut reader).await {
                Ok(Some(ClientFrame::Request { id, request })) => {
                    let conn = self.clone();
                    // Concurrently: a long call (a start, a rollback) must not hold back a
                    // permission answer.
                    tokio::spawn(async move {
                        let result = match handlers::handle(&conn, request).await {
                            Ok(response) => Reply::Ok(response),
                            Err(error) => Reply::Err(error),
                        };
                        conn.send(ServerFrame::Response { id, result });
                    });
                }
                Ok(Some(ClientFrame::Hello(_))) => tracing::warn!("a client said hello twice; ignored"),
                Ok(None) => return,
                // A line that is no message has no id to answer; the connection stays usable.
                Err(FrameError::Malformed { error, preview }) => tracing::warn!(%error, %preview, "ignored a line from a client"),
                Err(e) => {
                    tracing::info!(error = %e, "a client's connection failed");
                    return;
                }
            }
        }
    }

    fn subscriptions(&self) -> std::sync::MutexGuard<'_, HashMap<u64, JoinHandle<()>>> {
        self.subscriptions.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Stops forwarding to a client that is gone.
    fn end_subscriptions(&self) {
        for (_, task) in self.subscriptions().drain() {
            task.abort();
        }
    }

    /// For the request handlers: the server.
    pub(crate) fn server(&self) -> &Arc<Server> {
        &self.server
    }

    /// Starts forwarding `session`'s events after `after_seq` as `subscription`.
    pub(crate) fn subscribe(self: &Arc<Self>, subscription: u64, session: warden_core::session::SessionId, after_seq: u64) {
        let conn = Arc::downgrade(self);
        let (hub, engine) = (self.server.hub.clone(), self.server.engine.clone());
        let task = tokio::spawn(async move {
            let send = |event| conn.upgrade().is_some_and(|c| c.send(ServerFrame::Event { subscription, event }));
            if let Err(e) = hub::forward(hub, engine, session.clone(), after_seq, send).await {
                tracing::warn!(%session, error = %e, "a subscription ended early");
            }
        });
        if let Some(previous) = self.subscriptions().insert(subscription, task) {
            previous.abort();
        }
    }

    /// Ends a subscription; false when there was none by that id.
    pub(crate) fn unsubscribe(&self, subscription: u64) -> bool {
        self.subscriptions().remove(&subscription).map(|task| task.abort()).is_some()
    }
}
