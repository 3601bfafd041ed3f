//! The server: one engine shared by every client connection, each connection a handshake
//! followed by requests (handled concurrently, answered by id) and event subscriptions.
//!
//! A connection going away changes nothing in the engine: its sessions keep running, their
//! permission questions keep waiting for an answer from whichever client answers next.

mod handlers;
mod gate;
mod host;
pub mod hub;
#[cfg(unix)]
pub mod local;
pub mod terminals;
mod worktrees;

use crate::protocol::{read_frame, write_frame_unflushed, ClientFrame, FrameError, Hello, RemoteError, Reply, ServerFrame};
use hub::{Hub, HubSink};
use std::collections::HashMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use terminals::HostTerminals;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use warden_core::Workspace;
use warden_engine::finder::Finder;
use warden_engine::{Engine, SessionHandle};

/// The engine behind every connection of one host (one data folder).
pub struct Server {
    engine: Arc<Engine>,
    /// The engine's data folder (where it records worktrees, keeps images and checks logs).
    data_dir: PathBuf,
    /// Terminals clients opened on this host.
    terminals: HostTerminals,
    /// The `@` mention finder's indexes, one per project asked about.
    finder: Arc<Finder>,
    hub: Arc<Hub>,
    /// The projects clients opened (the window's workspace, kept by the host for all of them).
    workspace: Mutex<Workspace>,
    /// Sessions started or resumed here, to know when the engine is idle.
    started: Mutex<Vec<SessionHandle>>,
    /// Pipelines and reviews clients started here.
    gate: gate::GateWork,
    /// Connections open now.
    clients: AtomicUsize,
}

impl Server {
    /// A server over an engine opened on `data_dir`.
    pub fn new(engine: Engine, data_dir: &Path) -> Arc<Server> {
        Arc::new(Server {
            engine: Arc::new(engine),
            data_dir: data_dir.to_owned(),
            terminals: HostTerminals::default(),
            finder: Arc::new(Finder::new()),
            hub: Arc::new(Hub::default()),
            workspace: Mutex::new(Workspace::default()),
            started: Mutex::new(Vec::new()),
            gate: gate::GateWork::default(),
            clients: AtomicUsize::new(0),
        })
    }

    /// The engine.
    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    /// No client is connected and no session, pipeline or review started here is running. (A terminal keeps no
    /// engine alive: it is released with the engine, or earlier when nobody follows it.)
    pub fn is_idle(&self) -> bool {
        self.clients.load(Ordering::SeqCst) == 0 && self.started().iter().all(|h| h.is_finished()) && !self.gate.busy()
    }

    /// The folders of the projects clients opened on this engine.
    fn open_folders(&self) -> Vec<PathBuf> {
        self.workspace.lock().unwrap_or_else(|p| p.into_inner()).open_paths().map(PathBuf::from).collect()
    }

    /// `project` resolved on this host, if it is a project a client opened on this engine or a
    /// worktree Warden recorded here; otherwise refused. What a terminal, the Checks panel,
    /// reviews and pipelines may name.
    async fn known_folder(&self, project: &str) -> Result<PathBuf, RemoteError> {
        let folder = warden_engine::resolve_project_dir(project).map_err(RemoteError::bad)?;
        if self.open_folders().contains(&folder) {
            return Ok(folder);
        }
        let (data_dir, at) = (self.data_dir.clone(), folder.clone());
        let worktree = tokio::task::spawn_blocking(move || warden_engine::worktrees::recorded_at(&data_dir, &at).is_ok()).await.map_err(RemoteError::failed)?;
        if worktree {
            return Ok(folder);
        }
        Err(RemoteError::bad(format!("{} is neither a project open on this host nor one of its worktrees: open the project first", folder.display())))
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

    /// Releases terminals nobody followed for `grace` (the engine's housekeeping tick).
    pub fn release_orphan_terminals(&self, grace: std::time::Duration) {
        self.terminals.release_orphans(grace);
    }

    /// Ends what the server holds besides the engine's sessions: its terminals.
    pub fn shutdown_terminals(&self) {
        self.terminals.shutdown();
    }

    /// Serves one client on `reader`/`writer` until it goes away. The client counts as
    /// connected from this call on, before the returned future first runs: an engine deciding
    /// whether it is idle never misses a connection it has accepted.
    pub fn serve<R, W>(self: Arc<Self>, reader: R, writer: W) -> impl Future<Output = ()> + Send + 'static
    where
        R: AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        let connected = Connected::new(self.clone());
        async move {
            let (outbox, frames) = mpsc::unbounded_channel();
            let writing = tokio::spawn(write_all(writer, frames));
            let conn = Arc::new(Connection { server: self, outbox, subscriptions: Mutex::new(HashMap::new()) });
            conn.run(BufReader::new(reader)).await;
            conn.end_subscriptions();
            drop(conn);
            // The outbox closes with the last request still being answered; then the writer ends.
            let _ = writing.await;
            drop(connected);
        }
    }
}

/// One connected client in [`Server::is_idle`]'s count, for as long as it lives.
struct Connected(Arc<Server>);

impl Connected {
    fn new(server: Arc<Server>) -> Connected {
        server.clients.fetch_add(1, Ordering::SeqCst);
        Connected(server)
    }
}

impl Drop for Connected {
    fn drop(&mut self) {
        self.0.clients.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Frames written between two flushes at most, so a steady stream still goes out in batches.
const FRAMES_PER_FLUSH: usize = 512;

/// Writes frames in order until every sender is gone or the pipe breaks. The frames already
/// queued go out with the one at hand and one flush: a stored backlog is thousands of events,
/// and a flush per frame is a write and, over ssh, a packet per frame (a lone frame is still
/// flushed at once, so nothing waits).
async fn write_all<W: AsyncWrite + Unpin>(writer: W, mut frames: mpsc::UnboundedReceiver<ServerFrame>) {
    let mut writer = tokio::io::BufWriter::with_capacity(64 * 1024, writer);
    while let Some(first) = frames.recv().await {
        let mut next = Some(first);
        let mut written = 0;
        while let Some(frame) = next {
            if let Err(e) = write_frame_unflushed(&mut writer, &frame).await {
                return tracing::info!(error = %e, "a client's connection closed");
            }
            written += 1;
            next = if written < FRAMES_PER_FLUSH { frames.try_recv().ok() } else { None };
        }
        if let Err(e) = writer.flush().await {
            return tracing::info!(error = %e, "a client's connection closed");
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
                // A request of a kind this host does not know, or with wrong arguments: answered
                // under its id; the connection stays usable.
                Err(FrameError::Malformed { error, preview, id: Some(id) }) => {
                    tracing::warn!(%error, %preview, "refused a request");
                    let message = format!("request {id} is not one this host understands ({error}): {preview}");
                    self.send(ServerFrame::Response { id, result: Reply::Err(RemoteError::bad(message)) });
                }
                // A line that is no request at all has no id to answer: said so, and the
                // connection stays usable.
                Err(e @ FrameError::Malformed { .. }) => {
                    tracing::warn!(error = %e, "ignored a line from a client");
                    self.send(ServerFrame::ProtocolError { message: e.to_string(), closing: false });
                }
                // The rest of a line too long cannot be told from the next request: said so,
                // and the connection ends.
                Err(e @ FrameError::TooLong) => {
                    tracing::warn!(error = %e, "closing a client's connection");
                    self.send(ServerFrame::ProtocolError { message: e.to_string(), closing: true });
                    return;
                }
                Err(e @ FrameError::Io(_)) => {
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

    /// Starts forwarding terminal `id`'s messages after `after_seq` as `subscription`; the
    /// first `seq` the host still keeps.
    pub(crate) fn subscribe_terminal(
        self: &Arc<Self>,
        subscription: u64,
        id: warden_core::terminal::TerminalId,
        after_seq: u64,
    ) -> Result<u64, warden_engine::terminal::TerminalError> {
        let (first_seq, mut messages) = self.server.terminals.follow(id, after_seq)?;
        let conn = Arc::downgrade(self);
        let task = tokio::spawn(async move {
            while let Some((seq, event)) = messages.recv().await {
                let sent = conn.upgrade().is_some_and(|c| c.send(ServerFrame::Terminal { subscription, seq, event }));
                if !sent {
                    return;
                }
            }
        });
        if let Some(previous) = self.subscriptions().insert(subscription, task) {
            previous.abort();
        }
        Ok(first_seq)
    }

    /// Ends a subscription; false when there was none by that id.
    pub(crate) fn unsubscribe(&self, subscription: u64) -> bool {
        self.subscriptions().remove(&subscription).map(|task| task.abort()).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    /// A pipe end that keeps what is written and counts flushes.
    #[derive(Default)]
    struct Recorder {
        bytes: Vec<u8>,
        flushes: Arc<AtomicUsize>,
        seen: Arc<Mutex<Vec<u8>>>,
    }

    impl AsyncWrite for Recorder {
        fn poll_write(mut self: Pin<&mut Self>, _: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
            self.bytes.extend_from_slice(buf);
            Poll::Ready(Ok(buf.len()))
        }
        fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
            self.flushes.fetch_add(1, Ordering::SeqCst);
            self.seen.lock().unwrap().clone_from(&self.bytes);
            Poll::Ready(Ok(()))
        }
        fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
            Poll::Ready(Ok(()))
        }
    }

    fn refused(n: usize) -> ServerFrame {
        ServerFrame::Refused { reason: format!("frame {n}") }
    }

    #[tokio::test]
    async fn a_queued_backlog_goes_out_in_order_with_few_flushes_and_a_lone_frame_at_once() {
        let recorder = Recorder::default();
        let (flushes, seen) = (recorder.flushes.clone(), recorder.seen.clone());
        let (tx, rx) = mpsc::unbounded_channel();
        for n in 0..2000 {
            tx.send(refused(n)).unwrap();
        }
        let writing = tokio::spawn(write_all(recorder, rx));
        // A frame sent after the backlog, alone: it is flushed without waiting for more.
        let wait_for = |needle: String| {
            let seen = seen.clone();
            async move {
                tokio::time::timeout(std::time::Duration::from_secs(10), async {
                    while !String::from_utf8_lossy(&seen.lock().unwrap()).contains(&needle) {
                        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                    }
                })
                .await
                .expect("flushed in time")
            }
        };
        wait_for("frame 1999\"".into()).await;
        tx.send(refused(2000)).unwrap();
        wait_for("frame 2000\"".into()).await;
        let lines: Vec<String> = String::from_utf8_lossy(&seen.lock().unwrap()).lines().map(str::to_owned).collect();
        assert_eq!(lines.len(), 2001, "every frame once");
        for (n, line) in lines.iter().enumerate() {
            assert!(line.contains(&format!("\"frame {n}\"")), "in order: line {n} is {line}");
        }
        let flushes = flushes.load(Ordering::SeqCst);
        assert!(flushes <= 2000 / FRAMES_PER_FLUSH + 2, "a queued backlog is flushed in batches, not per frame: {flushes} flushes");
        drop(tx);
        tokio::time::timeout(std::time::Duration::from_secs(10), writing).await.expect("the writer ends with its senders").unwrap();
    }
}
