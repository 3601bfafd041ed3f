//! The client: a [`Connection`] to a server over any pipe (a [`Transport`]'s process, or any
//! reader and writer), the handshake, calls answered by id, and event subscriptions.
//!
//! A connection that ends (the process exited, the pipe closed) fails every call in flight
//! and ends every subscription's stream, with a [`Lost`] that carries the transport's exit
//! status and the end of its stderr (where ssh says why).

use crate::protocol::{read_frame, write_frame, ClientFrame, FrameError, Hello, RemoteError, Reply, ServerFrame, TerminalChunk};
use crate::request::{Request, Response, StartSession, Started};
use crate::transport::Transport;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, BufReader};
use tokio::sync::{mpsc, oneshot, watch};
use warden_core::journal::{FileDiff, FileOp, RollbackOutcome, RollbackTarget};
use warden_core::session::{
    DecisionSource, FeedbackDecision, PermissionAnswer, PermissionRequestId, SessionEvent, SessionId, SessionRecord, TaskId, TurnId,
};

/// Matches a response against the variant a call expects.
macro_rules! expect {
    ($response:expr, $variant:ident) => {
        match $response {
            Response::$variant => Ok(()),
            other => Err(ClientError::Unexpected(format!("{other:?}"))),
        }
    };
    ($response:expr, $variant:ident(v)) => {
        match $response {
            Response::$variant(v) => Ok(v),
            other => Err(ClientError::Unexpected(format!("{other:?}"))),
        }
    };
}

/// How long the other side may take to say hello (an ssh login, starting the engine).
pub const HANDSHAKE_WAIT: Duration = Duration::from_secs(60);
/// Lines that are no frame (a shell banner) skipped before the server's hello.
const BANNER_LINES: usize = 32;
/// How much of the transport's stderr is kept for messages.
const STDERR_KEPT: usize = 8 * 1024;

/// How a connection ended.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
pub struct Lost {
    /// What happened, in words ("ssh exited with code 255").
    pub reason: String,
    /// The end of the transport's stderr.
    pub stderr: String,
}

impl std::fmt::Display for Lost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason)?;
        if !self.stderr.trim().is_empty() {
            write!(f, ": {}", self.stderr.trim())?;
        }
        Ok(())
    }
}

/// Why a call or a connection failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ClientError {
    /// The transport's command could not be started.
    #[error("cannot run {command}: {message}")]
    Spawn {
        /// The command line.
        command: String,
        /// Why.
        message: String,
    },
    /// `warden` is not on the other side (the shell said "not found").
    #[error("Warden is not installed on {place} (or not on the PATH a non-interactive session gets there): {detail}. Install the matching version there (`warden remote install`), or name its path with --remote-warden")]
    NotInstalled {
        /// Where.
        place: String,
        /// What the other side said.
        detail: String,
    },
    /// The versions differ.
    #[error("{0}")]
    Mismatch(String),
    /// The other side did not speak this protocol.
    #[error("{0}")]
    Handshake(String),
    /// The connection ended.
    #[error("the connection was lost: {0}")]
    Lost(Lost),
    /// The server refused or failed the call.
    #[error(transparent)]
    Remote(#[from] RemoteError),
    /// The server answered with another kind of response than the call has.
    #[error("the server answered {0} to a call that expects something else")]
    Unexpected(String),
}

type Pending = Arc<Mutex<HashMap<u64, oneshot::Sender<Result<Response, ClientError>>>>>;
type Subscriptions = Arc<Mutex<HashMap<u64, Route>>>;

/// Where a subscription's frames go.
enum Route {
    /// A session's events.
    Session(mpsc::UnboundedSender<SessionEvent>),
    /// A terminal's messages.
    Terminal(mpsc::UnboundedSender<TerminalChunk>),
}

fn locked<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// An open, handshaken connection to a server.
pub struct Connection {
    outbox: mpsc::UnboundedSender<ClientFrame>,
    pending: Pending,
    subscriptions: Subscriptions,
    next_id: AtomicU64,
    lost: watch::Receiver<Option<Lost>>,
    server: Hello,
    /// Ends the transport's process (dropping the connection does too).
    kill: Mutex<Option<oneshot::Sender<()>>>,
}

/// What the reader task needs to say why the connection ended.
enum Ending {
    /// A transport's process and the end of its stderr.
    Process { child: tokio::process::Child, stderr: Arc<Mutex<Vec<u8>>>, kill: oneshot::Receiver<()> },
    /// A plain pipe.
    Pipe,
}

impl Connection {
    /// Starts the transport's command and shakes hands with the server at its end.
    pub async fn open(transport: &Transport) -> Result<Connection, ClientError> {
        let mut child = transport.spawn().map_err(|e| crate::failure::spawn_error(transport, &e))?;
        let (Some(stdin), Some(stdout), Some(stderr_pipe)) = (child.stdin.take(), child.stdout.take(), child.stderr.take()) else {
            return Err(ClientError::Spawn { command: transport.command_line(), message: "its stdio could not be piped".into() });
        };
        let stderr = Arc::new(Mutex::new(Vec::new()));
        tokio::spawn(keep_stderr(stderr_pipe, stderr.clone()));
        let mut reader = BufReader::new(stdout);
        match tokio::time::timeout(HANDSHAKE_WAIT, handshake(&mut reader, stdin)).await {
            Ok(Ok((server, writer))) => {
                let (kill_tx, kill_rx) = oneshot::channel();
                Ok(Connection::running(reader, writer, server, Ending::Process { child, stderr, kill: kill_rx }, Some(kill_tx)))
            }
            Ok(Err(failure)) => Err(before_ready(transport, failure, child, &stderr).await),
            Err(_) => {
                let _ = child.start_kill();
                let tail = stderr_text(&stderr);
                Err(ClientError::Handshake(format!("{} did not answer within {} s{}", transport.describe(), HANDSHAKE_WAIT.as_secs(), with_tail(&tail))))
            }
        }
    }

    /// Shakes hands over an existing pipe (the engine in this process, a socket).
    pub async fn over<R, W>(reader: R, writer: W) -> Result<Connection, ClientError>
    where
        R: AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        let mut reader = BufReader::new(reader);
        match handshake(&mut reader, writer).await {
            Ok((server, writer)) => Ok(Connection::running(reader, writer, server, Ending::Pipe, None)),
            Err(Failure::Closed) => Err(ClientError::Handshake("the connection closed before the handshake".into())),
            Err(Failure::Error(e)) => Err(e),
        }
    }

    fn running<R, W>(reader: BufReader<R>, writer: W, server: Hello, ending: Ending, kill: Option<oneshot::Sender<()>>) -> Connection
    where
        R: AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        let (outbox, frames) = mpsc::unbounded_channel();
        tokio::spawn(write_frames(writer, frames));
        let pending: Pending = Default::default();
        let subscriptions: Subscriptions = Default::default();
        let (lost_tx, lost) = watch::channel(None);
        tokio::spawn(read_frames(reader, pending.clone(), subscriptions.clone(), ending, lost_tx));
        Connection { outbox, pending, subscriptions, next_id: AtomicU64::new(1), lost, server, kill: Mutex::new(kill) }
    }

    /// The server's hello: its Warden version and platform.
    pub fn server(&self) -> &Hello {
        &self.server
    }

    /// How the connection ended, once it has.
    pub fn lost_now(&self) -> Option<Lost> {
        self.lost.borrow().clone()
    }

    /// Waits until the connection ends, and says how.
    pub async fn lost(&self) -> Lost {
        self.on_lost().await
    }

    /// The same wait as [`Connection::lost`], owning what it needs (for `select!` loops that use
    /// the connection in their branches).
    pub fn on_lost(&self) -> impl std::future::Future<Output = Lost> + Send + 'static {
        let mut lost = self.lost.clone();
        async move {
            loop {
                if let Some(l) = lost.borrow_and_update().clone() {
                    return l;
                }
                if lost.changed().await.is_err() {
                    return Lost { reason: "the connection closed".into(), stderr: String::new() };
                }
            }
        }
    }

    /// Ends the transport's process (as a dropped network would, from this side).
    pub fn kill(&self) {
        if let Some(kill) = locked(&self.kill).take() {
            let _ = kill.send(());
        }
    }

    /// One call.
    pub async fn call(&self, request: Request) -> Result<Response, ClientError> {
        if let Some(lost) = self.lost_now() {
            return Err(ClientError::Lost(lost));
        }
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        let (tx, rx) = oneshot::channel();
        locked(&self.pending).insert(id, tx);
        // Lost between the check and the insert: the reader has drained `pending` already.
        if let Some(lost) = self.lost_now() {
            locked(&self.pending).remove(&id);
            return Err(ClientError::Lost(lost));
        }
        if self.outbox.send(ClientFrame::Request { id, request }).is_err() {
            locked(&self.pending).remove(&id);
        }
        match rx.await {
            Ok(result) => result,
            Err(_) => Err(ClientError::Lost(self.lost().await)),
        }
    }

    /// Subscribes to `session`'s events after `after_seq`: each once, in order, then the new
    /// ones as they happen; the stream ends when the connection does.
    pub async fn subscribe(&self, session: &SessionId, after_seq: u64) -> Result<Subscription, ClientError> {
        let subscription = self.next_id.fetch_add(1, Ordering::SeqCst);
        let (tx, events) = mpsc::unbounded_channel();
        // Routed before the call: events may arrive before its response.
        locked(&self.subscriptions).insert(subscription, Route::Session(tx));
        let called = self.call(Request::Subscribe { subscription, session: session.clone(), after_seq }).await;
        if let Err(e) = called {
            locked(&self.subscriptions).remove(&subscription);
            return Err(e);
        }
        Ok(Subscription { id: subscription, events })
    }

    /// Follows terminal `id`'s messages after `after_seq` (0: everything the host keeps): each
    /// once, in order, the exit last; the stream ends when the connection does.
    pub async fn terminal_subscribe(&self, id: warden_core::terminal::TerminalId, after_seq: u64) -> Result<TerminalSubscription, ClientError> {
        let subscription = self.next_id.fetch_add(1, Ordering::SeqCst);
        let (tx, events) = mpsc::unbounded_channel();
        locked(&self.subscriptions).insert(subscription, Route::Terminal(tx));
        match self.call(Request::TerminalSubscribe { subscription, id, after_seq }).await {
            Ok(Response::TerminalSubscribed(s)) => Ok(TerminalSubscription { id: subscription, first_seq: s.first_seq, events }),
            other => {
                locked(&self.subscriptions).remove(&subscription);
                Err(match other {
                    Ok(response) => ClientError::Unexpected(format!("{response:?}")),
                    Err(e) => e,
                })
            }
        }
    }

    /// [`Request::Ping`].
    pub async fn ping(&self) -> Result<(), ClientError> {
        expect!(self.call(Request::Ping).await?, Pong)
    }

    /// [`Request::OpenProject`].
    pub async fn open_project(&self, path: &str) -> Result<warden_core::WorkspaceView, ClientError> {
        expect!(self.call(Request::OpenProject { path: path.to_owned() }).await?, Workspace(v))
    }

    /// [`Request::Workspace`].
    pub async fn workspace(&self) -> Result<warden_core::WorkspaceView, ClientError> {
        expect!(self.call(Request::Workspace).await?, Workspace(v))
    }

    /// [`Request::Agents`].
    pub async fn agents(&self) -> Result<Vec<warden_core::agent::AgentView>, ClientError> {
        expect!(self.call(Request::Agents).await?, Agents(v))
    }

    /// [`Request::StartSession`].
    pub async fn start_session(&self, start: StartSession) -> Result<Started, ClientError> {
        expect!(self.call(Request::StartSession(start)).await?, Started(v))
    }

    /// [`Request::ResumeSession`].
    pub async fn resume_session(&self, session: &SessionId, prompt: Option<String>) -> Result<Started, ClientError> {
        expect!(self.call(Request::ResumeSession { session: session.clone(), prompt }).await?, Started(v))
    }

    /// [`Request::Prompt`].
    pub async fn prompt(&self, session: &SessionId, text: &str) -> Result<TurnId, ClientError> {
        expect!(self.call(Request::Prompt { session: session.clone(), text: text.to_owned() }).await?, Turn(v))
    }

    /// [`Request::Interrupt`].
    pub async fn interrupt(&self, session: &SessionId) -> Result<(), ClientError> {
        expect!(self.call(Request::Interrupt { session: session.clone() }).await?, Done)
    }

    /// [`Request::Stop`].
    pub async fn stop(&self, session: &SessionId) -> Result<(), ClientError> {
        expect!(self.call(Request::Stop { session: session.clone() }).await?, Done)
    }

    /// [`Request::Sessions`].
    pub async fn sessions(&self, project: Option<&str>) -> Result<Vec<SessionRecord>, ClientError> {
        expect!(self.call(Request::Sessions { project: project.map(str::to_owned) }).await?, Sessions(v))
    }

    /// [`Request::ResolvePermission`].
    pub async fn resolve_permission(&self, session: &SessionId, request_id: &PermissionRequestId, answer: PermissionAnswer) -> Result<(), ClientError> {
        self.resolve_permission_as(session, request_id, answer, None).await
    }

    /// [`Request::ResolvePermission`], naming who decided (for the audit log).
    pub async fn resolve_permission_as(
        &self,
        session: &SessionId,
        request_id: &PermissionRequestId,
        answer: PermissionAnswer,
        source: Option<DecisionSource>,
    ) -> Result<(), ClientError> {
        let request = Request::ResolvePermission { session: session.clone(), request_id: request_id.clone(), answer, source };
        expect!(self.call(request).await?, Done)
    }

    /// [`Request::DecideFeedback`].
    pub async fn decide_feedback(&self, session: &SessionId, task: TaskId, decision: FeedbackDecision, text: Option<String>) -> Result<(), ClientError> {
        expect!(self.call(Request::DecideFeedback { session: session.clone(), task, decision, text }).await?, Done)
    }

    /// [`Request::FileLog`].
    pub async fn file_log(&self, project: &str, session: Option<&SessionId>) -> Result<Vec<FileOp>, ClientError> {
        expect!(self.call(Request::FileLog { project: project.to_owned(), session: session.cloned() }).await?, FileOps(v))
    }

    /// [`Request::FileDiff`].
    pub async fn file_diff(&self, project: &str, target: RollbackTarget) -> Result<Vec<FileDiff>, ClientError> {
        expect!(self.call(Request::FileDiff { project: project.to_owned(), target }).await?, FileDiffs(v))
    }

    /// [`Request::Rollback`].
    pub async fn rollback(&self, project: &str, target: RollbackTarget, force: bool) -> Result<RollbackOutcome, ClientError> {
        expect!(self.call(Request::Rollback { project: project.to_owned(), target, force }).await?, Rollback(v))
    }
}

/// A terminal subscription's messages.
pub struct TerminalSubscription {
    /// The client's id for it.
    pub id: u64,
    /// The first message the host still kept (see [`crate::request::TerminalSubscribed`]).
    pub first_seq: u64,
    /// The messages; `None` once the connection has ended.
    pub events: mpsc::UnboundedReceiver<TerminalChunk>,
}

/// A subscription's events.
pub struct Subscription {
    /// The client's id for it.
    pub id: u64,
    /// The events; `None` once the connection has ended.
    pub events: mpsc::UnboundedReceiver<SessionEvent>,
}


/// Why a handshake did not reach "ready".
enum Failure {
    /// The other side closed the pipe first.
    Closed,
    /// It said something else.
    Error(ClientError),
}

/// Server hello, our hello, then ready (or refused).
async fn handshake<R: AsyncRead + Unpin, W: AsyncWrite + Unpin>(reader: &mut BufReader<R>, mut writer: W) -> Result<(Hello, W), Failure> {
    let ours = Hello::ours();
    // A login shell's rc files may print a banner before Warden starts: such lines are skipped
    // (a few), and named if no hello follows.
    let mut skipped = 0;
    let server = loop {
        match read_frame::<ServerFrame, _>(reader).await {
            Ok(Some(ServerFrame::Hello(hello))) => break hello,
            Ok(Some(other)) => return Err(Failure::Error(ClientError::Handshake(format!("the server spoke before its hello: {other:?}")))),
            Ok(None) => return Err(Failure::Closed),
            Err(FrameError::Malformed { .. }) if skipped < BANNER_LINES => skipped += 1,
            Err(e) => return Err(Failure::Error(ClientError::Handshake(format!("the other side is not `warden serve --stdio` of this version: {e}")))),
        }
    };
    if let Some(reason) = ours.mismatch(&server, "the host") {
        return Err(Failure::Error(ClientError::Mismatch(reason)));
    }
    write_frame(&mut writer, &ClientFrame::Hello(ours)).await.map_err(|_| Failure::Closed)?;
    match read_frame::<ServerFrame, _>(reader).await {
        Ok(Some(ServerFrame::Ready)) => Ok((server, writer)),
        Ok(Some(ServerFrame::Refused { reason })) => Err(Failure::Error(ClientError::Mismatch(format!("the host refused the connection: {reason}")))),
        Ok(Some(other)) => Err(Failure::Error(ClientError::Handshake(format!("the server did not say ready: {other:?}")))),
        Ok(None) => Err(Failure::Closed),
        Err(e) => Err(Failure::Error(ClientError::Handshake(e.to_string()))),
    }
}

/// Turns a failed handshake over a process into the clearest error (`failure::ended_early`):
/// not installed, an old Warden without `serve`, or the transport's own complaint.
async fn before_ready(transport: &Transport, failure: Failure, mut child: tokio::process::Child, stderr: &Arc<Mutex<Vec<u8>>>) -> ClientError {
    if let Failure::Error(e) = failure {
        let _ = child.start_kill();
        return e;
    }
    let status = tokio::time::timeout(Duration::from_secs(5), child.wait()).await;
    // The stderr reader may still be draining the pipe.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let tail = stderr_text(stderr);
    let code = match status {
        Ok(Ok(status)) => status.code(),
        _ => {
            let _ = child.start_kill();
            None
        }
    };
    crate::failure::ended_early(transport, code, &tail)
}

/// ": <stderr's tail>", or nothing when it is empty.
pub(crate) fn with_tail(tail: &str) -> String {
    if tail.trim().is_empty() {
        String::new()
    } else {
        format!(": {}", tail.trim())
    }
}

fn stderr_text(stderr: &Mutex<Vec<u8>>) -> String {
    String::from_utf8_lossy(&locked(stderr)).into_owned()
}

/// Keeps the last [`STDERR_KEPT`] bytes of the transport's stderr.
async fn keep_stderr(mut pipe: tokio::process::ChildStderr, kept: Arc<Mutex<Vec<u8>>>) {
    let mut chunk = [0u8; 4096];
    while let Ok(n) = pipe.read(&mut chunk).await {
        if n == 0 {
            break;
        }
        let mut kept = locked(&kept);
        kept.extend_from_slice(&chunk[..n]);
        let excess = kept.len().saturating_sub(STDERR_KEPT);
        kept.drain(..excess);
    }
}

async fn write_frames<W: AsyncWrite + Unpin>(mut writer: W, mut frames: mpsc::UnboundedReceiver<ClientFrame>) {
    while let Some(frame) = frames.recv().await {
        if write_frame(&mut writer, &frame).await.is_err() {
            break;
        }
    }
}

/// Routes responses and events until the pipe ends, then fails what waits.
async fn read_frames<R: AsyncRead + Unpin>(mut reader: BufReader<R>, pending: Pending, subscriptions: Subscriptions, ending: Ending, lost: watch::Sender<Option<Lost>>) {
    let (mut kill, mut child, stderr) = match ending {
        Ending::Process { child, stderr, kill } => (Some(kill), Some(child), Some(stderr)),
        Ending::Pipe => (None, None, None),
    };
    let why = loop {
        let frame = tokio::select! {
            frame = read_frame::<ServerFrame, _>(&mut reader) => frame,
            _ = async { match kill.as_mut() { Some(k) => { let _ = k.await; } None => std::future::pending().await } } => {
                if let Some(child) = child.as_mut() {
                    let _ = child.start_kill();
                }
                break "the connection was closed from this side".to_owned();
            }
        };
        match frame {
            Ok(Some(ServerFrame::Response { id, result })) => {
                if let Some(tx) = locked(&pending).remove(&id) {
                    let _ = tx.send(match result {
                        Reply::Ok(response) => Ok(response),
                        Reply::Err(e) => Err(ClientError::Remote(e)),
                    });
                }
            }
            Ok(Some(ServerFrame::Event { subscription, event })) => {
                if let Some(Route::Session(tx)) = locked(&subscriptions).get(&subscription) {
                    let _ = tx.send(event);
                }
            }
            Ok(Some(ServerFrame::Terminal { subscription, seq, event })) => {
                if let Some(Route::Terminal(tx)) = locked(&subscriptions).get(&subscription) {
                    let _ = tx.send(TerminalChunk { seq, event });
                }
            }
            // The server could not read something this side sent; when it closes the
            // connection, the end of the stream follows and names this.
            Ok(Some(ServerFrame::ProtocolError { message, closing })) => {
                tracing::warn!(%message, closing, "the server refused a line of this client");
                if closing {
                    break format!("the server closed the connection: {message}");
                }
            }
            Ok(Some(other)) => tracing::warn!(?other, "an unexpected frame from the server"),
            Ok(None) => break "the other side closed the connection".to_owned(),
            Err(e) => break e.to_string(),
        }
    };
    let reason = match child.as_mut() {
        Some(child) => match tokio::time::timeout(Duration::from_secs(5), child.wait()).await {
            Ok(Ok(status)) => format!("{why} (the transport exited: {status})"),
            _ => {
                let _ = child.start_kill();
                format!("{why} (the transport did not exit; it was ended)")
            }
        },
        None => why,
    };
    tokio::time::sleep(Duration::from_millis(20)).await;
    let stderr = stderr.map(|s| stderr_text(&s)).unwrap_or_default();
    let gone = Lost { reason, stderr };
    let _ = lost.send(Some(gone.clone()));
    for (_, tx) in locked(&pending).drain() {
        let _ = tx.send(Err(ClientError::Lost(gone.clone())));
    }
    locked(&subscriptions).clear();
}

/// Runs `script` on the other side (through [`Transport::shell`]) with `input` on its stdin,
/// written in about fifty parts with `progress(sent, total)` after each (the window's install
/// bar); the script's stdout, or why it failed (its stderr). A custom command cannot run
/// anything but `warden serve --stdio`, so it is refused.
pub async fn run_script_with_progress(transport: &Transport, script: &str, input: &[u8], mut progress: impl FnMut(u64, u64)) -> std::io::Result<String> {
    use tokio::io::AsyncWriteExt;
    let shell = transport.shell(script).ok_or_else(|| std::io::Error::other("a custom command can only run `warden serve --stdio`"))?;
    let mut child = shell.spawn().map_err(|e| std::io::Error::other(format!("cannot run {}: {e}", shell.command_line())))?;
    let mut stdin = child.stdin.take().ok_or_else(|| std::io::Error::other("the script's stdin could not be piped"))?;
    let total = input.len() as u64;
    let part = (input.len() / 50).max(64 * 1024);
    let write = async move {
        let mut sent = 0u64;
        for chunk in input.chunks(part) {
            stdin.write_all(chunk).await?;
            sent += chunk.len() as u64;
            progress(sent, total);
        }
        stdin.shutdown().await
    };
    // Written while its output is read, so a script that talks while reading never blocks.
    let (written, output) = tokio::join!(write, child.wait_with_output());
    let output = output?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(std::io::Error::other(format!("{} failed ({}): {}", shell.command_line(), output.status, stderr.trim())));
    }
    written?;
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
