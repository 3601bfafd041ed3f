//! One engine per host: the engine runs in a background process that holds a lock on the data
//! folder and accepts connections on a Unix socket inside it; `warden serve --stdio` is a relay
//! between its own stdio and that socket, starting the engine process when none runs.
//!
//! Why a background process: the engine must outlive the connection that started it (an ssh
//! connection that drops must not end the sessions it started, nor answer their questions),
//! and every later connection, from any window, must meet the same engine. Nothing listens on
//! a network port: the socket is a file in the data folder (0700), itself 0600, so only the
//! person who owns the folder can connect, as they could run `warden` there anyway.
//!
//! # Ending when idle, without losing a client that arrives just then
//!
//! The engine decides to end under its socket: it first removes the socket file (no new
//! connection can reach it), then accepts what had already reached it; if anything had, it
//! serves it, listens again and goes on. Only then does it end, releasing the lock last. A
//! relay never trusts a connection until the engine's hello arrives on it: a connection that
//! closes before (it reached an engine in the instant it closed its socket) is tried again,
//! and an engine it starts that finds the lock still held by one that is ending is started
//! again until the lock is free. So a client either meets a live engine that counts it, or a
//! new one.

use super::terminals::ORPHAN_GRACE;
use super::Server;
use std::fs::File;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};

/// The socket's file name in the data folder.
pub const SOCKET: &str = "serve.sock";
/// The lock's file name in the data folder; it holds the engine process's id.
pub const LOCK: &str = "serve.lock";
/// Where the engine process writes what it logs.
pub const LOG: &str = "serve.log";

/// How long the relay waits for a just-started engine process to accept connections.
const START_WAIT: Duration = Duration::from_secs(30);

/// The longest hello the relay reads before relaying (a hello is about 100 bytes).
const HELLO_MAX: u64 = 64 * 1024;

/// The least time between two engine processes a relay starts.
const RESTART_PAUSE: Duration = Duration::from_millis(200);

/// The most often the engine checks whether it is idle.
const TICK: Duration = Duration::from_millis(500);

/// The socket of `data_dir`'s engine.
pub fn socket_path(data_dir: &Path) -> PathBuf {
    data_dir.join(SOCKET)
}

/// The process id the last engine process of `data_dir` wrote into the lock (it may have ended
/// since: the lock file stays). Read, never locked, so it cannot disturb an engine starting.
pub fn engine_pid(data_dir: &Path) -> Option<u32> {
    std::fs::read_to_string(data_dir.join(LOCK)).ok()?.trim().parse().ok()
}

/// Why the engine process did not serve.
#[derive(Debug, thiserror::Error)]
pub enum LocalError {
    /// A file of the data folder could not be used.
    #[error("{what} {}: {source}", path.display())]
    Io {
        /// What was being done.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The engine could not be opened.
    #[error("the engine could not be opened: {0}")]
    Engine(String),
    /// No engine process accepted connections in time.
    #[error("the engine did not start within {} s{}", START_WAIT.as_secs(), log_tail(.0))]
    NotStarted(String),
}

fn log_tail(tail: &str) -> String {
    if tail.trim().is_empty() {
        String::new()
    } else {
        format!("; its log ends with:\n{}", tail.trim_end())
    }
}

fn io<'a>(what: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> LocalError + 'a {
    move |source| LocalError::Io { what, path: path.to_owned(), source }
}

/// How the engine process ended.
#[derive(Debug, PartialEq, Eq)]
pub enum EngineEnd {
    /// It served until it was idle for the given time.
    Idle,
    /// Another process already holds the data folder's engine: nothing was started.
    AlreadyRunning,
}

/// How long an ending engine dawdles, for the tests of clients arriving just then: before it
/// looks at its socket once it found itself idle, and before it lets go of the lock once it
/// decided to end. Zero (unset) everywhere else.
pub const END_PAUSE_ENV: &str = "WARDEN_TEST_ENGINE_END_PAUSE_MS";

/// Runs the data folder's engine: takes the lock (or returns [`EngineEnd::AlreadyRunning`]),
/// opens the engine, accepts connections on the socket, and ends once no client has been
/// connected and no session has run for `idle`. `with_engine` starts what the engine needs
/// beside it (the app's webhook delivery worker); what it returns lives as long as the engine.
pub async fn run_engine<G>(data_dir: &Path, idle: Duration, with_engine: impl FnOnce(&warden_engine::Engine) -> G) -> Result<EngineEnd, LocalError> {
    let end_pause = std::env::var(END_PAUSE_ENV).ok().and_then(|ms| ms.parse().ok()).map_or(Duration::ZERO, Duration::from_millis);
    std::fs::create_dir_all(data_dir).map_err(io("cannot create", data_dir))?;
    let lock_path = data_dir.join(LOCK);
    let lock = File::options().create(true).truncate(false).read(true).write(true).open(&lock_path).map_err(io("cannot open", &lock_path))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => return Ok(EngineEnd::AlreadyRunning),
        Err(std::fs::TryLockError::Error(e)) => return Err(io("cannot lock", &lock_path)(e)),
    }
    // The lock is held for as long as `lock` lives: until this function returns.
    std::fs::write(&lock_path, std::process::id().to_string()).map_err(io("cannot write", &lock_path))?;
    let (engine, notice) = warden_engine::Engine::open(data_dir).map_err(|e| LocalError::Engine(e.to_string()))?;
    if let Some(notice) = notice {
        tracing::warn!(%notice, "opening the engine");
    }
    if let Some(notice) = engine.files().recover_rollbacks() {
        tracing::warn!(%notice, "settling interrupted rollbacks");
    }
    let companion = with_engine(&engine);
    let server = Server::new(engine, data_dir);
    let socket = socket_path(data_dir);
    let mut listener = listen(&socket)?;
    tracing::info!(socket = %socket.display(), pid = std::process::id(), "the engine accepts connections");
    let mut idle_since: Option<Instant> = None;
    // A short idle time (tests) is checked more often than the usual half second.
    let mut tick = tokio::time::interval(TICK.min(idle / 4).max(Duration::from_millis(5)));
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => serve(&server, stream),
                Err(e) => tracing::warn!(error = %e, "accepting a connection failed"),
            },
            _ = tick.tick() => {
                server.release_orphan_terminals(ORPHAN_GRACE);
                if !server.is_idle() {
                    idle_since = None;
                } else if idle_since.get_or_insert_with(Instant::now).elapsed() >= idle {
                    // Clients that connect meanwhile wait on the socket, unaccepted.
                    tokio::time::sleep(end_pause).await;
                    match settle_idle(&server, listener, &socket)? {
                        Settled::End => break,
                        Settled::GoOn(again) => {
                            listener = again;
                            idle_since = None;
                        }
                    }
                }
            }
        }
    }
    tracing::info!("idle: the engine ends");
    server.shutdown_terminals();
    server.engine().sessions().shutdown().await;
    drop(companion);
    // Relays that start an engine meanwhile find the lock held and try again.
    tokio::time::sleep(end_pause).await;
    drop(lock);
    Ok(EngineEnd::Idle)
}

/// Binds the socket (replacing a stale file: the caller holds the lock) and makes it 0600.
fn listen(socket: &Path) -> Result<UnixListener, LocalError> {
    let _ = std::fs::remove_file(socket);
    let listener = UnixListener::bind(socket).map_err(io("cannot listen on", socket))?;
    std::fs::set_permissions(socket, std::fs::Permissions::from_mode(0o600)).map_err(io("cannot restrict", socket))?;
    Ok(listener)
}

fn serve(server: &Arc<Server>, stream: UnixStream) {
    let (read, write) = stream.into_split();
    // `serve` counts the client now, before its task first runs.
    tokio::spawn(server.clone().serve(read, write));
}

/// What an idle engine decided.
enum Settled {
    /// Nobody came: end.
    End,
    /// A client had just connected: it is served, and the engine listens again on this.
    GoOn(UnixListener),
}

/// Decides, under the socket, whether the idle engine ends: removes the socket file so no new
/// connection can reach this engine, then accepts every connection that already did. Those are
/// served and the engine goes on; with none, it ends. (A connection that reaches the closing
/// socket after this is closed before any hello; its relay tries again, see the module.)
fn settle_idle(server: &Arc<Server>, listener: UnixListener, socket: &Path) -> Result<Settled, LocalError> {
    let _ = std::fs::remove_file(socket);
    // Out of tokio to ask the kernel directly: tokio's readiness may not have seen a
    // connection that is already queued.
    let listener = listener.into_std().map_err(io("cannot check", socket))?;
    let late = drain(&listener);
    if late.is_empty() {
        return Ok(Settled::End);
    }
    tracing::info!(clients = late.len(), "a client connected as the engine was about to end; it goes on");
    for stream in late {
        serve(server, stream);
    }
    let again = listen(socket)?;
    // A connection that looked the old socket up just before it was removed may have arrived
    // since: it is served too, then the old socket closes.
    for stream in drain(&listener) {
        serve(server, stream);
    }
    Ok(Settled::GoOn(again))
}

/// Every connection queued on a non-blocking listener, now.
fn drain(listener: &std::os::unix::net::UnixListener) -> Vec<UnixStream> {
    let mut queued = Vec::new();
    loop {
        match listener.accept() {
            Ok((stream, _)) => match stream.set_nonblocking(true).and_then(|()| UnixStream::from_std(stream)) {
                Ok(stream) => queued.push(stream),
                Err(e) => tracing::warn!(error = %e, "a queued connection could not be served"),
            },
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            // WouldBlock: none left.
            Err(_) => return queued,
        }
    }
}

/// Connects this process's stdio to the data folder's engine, starting it with `start` when
/// none accepts connections; returns when the engine closes the connection.
pub async fn relay_stdio(data_dir: &Path, start: impl FnMut() -> std::io::Result<std::process::Child>) -> Result<(), LocalError> {
    let (mut from_engine, mut to_engine, hello) = reach_engine(data_dir, start).await?;
    let mut stdout = tokio::io::stdout();
    let mut stdin = tokio::io::stdin();
    let upstream = async move {
        let _ = tokio::io::copy(&mut stdin, &mut to_engine).await;
        // The client is gone: the engine sees the end of this connection, and keeps running.
        let _ = to_engine.shutdown().await;
        std::future::pending::<()>().await
    };
    let downstream = async move {
        if stdout.write_all(&hello).await.is_ok() && stdout.flush().await.is_ok() {
            let _ = tokio::io::copy(&mut from_engine, &mut stdout).await;
        }
    };
    tokio::select! {
        () = upstream => {}
        () = downstream => {}
    }
    Ok(())
}

/// The engine's end of a connection, and the hello line it already sent.
pub type Reached = (BufReader<tokio::net::unix::OwnedReadHalf>, tokio::net::unix::OwnedWriteHalf, Vec<u8>);

/// Connects to the data folder's engine and reads its hello, starting the engine with `start`
/// when none accepts connections; bounded by [`START_WAIT`].
///
/// A connection closed before the hello reached an engine that was just ending: tried again.
/// An engine started here that ended at once without an error found the lock held by another
/// engine: if that one listens, it is used; if it was ending, the engine is started again once
/// the lock is free. An engine that failed ends the wait with the end of its log.
pub async fn reach_engine(data_dir: &Path, mut start: impl FnMut() -> std::io::Result<std::process::Child>) -> Result<Reached, LocalError> {
    let socket = socket_path(data_dir);
    let deadline = Instant::now() + START_WAIT;
    let mut child: Option<std::process::Child> = None;
    let mut started_at: Option<Instant> = None;
    loop {
        if let Ok(stream) = UnixStream::connect(&socket).await {
            let (read, write) = stream.into_split();
            let mut read = BufReader::new(read);
            let mut hello = Vec::new();
            let left = deadline.saturating_duration_since(Instant::now());
            match tokio::time::timeout(left, (&mut read).take(HELLO_MAX).read_until(b'\n', &mut hello)).await {
                Ok(Ok(_)) if hello.ends_with(b"\n") => return Ok((read, write, hello)),
                // Closed before its hello: that engine was ending. Again.
                Ok(_) => tracing::info!("the engine closed a connection before its hello; trying again"),
                Err(_) => return Err(LocalError::NotStarted(read_log_tail(data_dir))),
            }
        } else {
            let running = match child.as_mut().map(|c| c.try_wait()) {
                None => false,
                Some(Ok(None)) => true,
                Some(Ok(Some(status))) if status.success() => false,
                Some(Ok(Some(_)) | Err(_)) => return Err(LocalError::NotStarted(read_log_tail(data_dir))),
            };
            // Not more than a few starts a second while another engine starts up or ends.
            let paused = started_at.is_some_and(|at| at.elapsed() < RESTART_PAUSE);
            if !running && !paused {
                std::fs::create_dir_all(data_dir).map_err(io("cannot create", data_dir))?;
                child = Some(start().map_err(io("cannot start the engine from", data_dir))?);
                started_at = Some(Instant::now());
            }
        }
        if Instant::now() >= deadline {
            return Err(LocalError::NotStarted(read_log_tail(data_dir)));
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

fn read_log_tail(data_dir: &Path) -> String {
    let text = std::fs::read_to_string(data_dir.join(LOG)).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(15)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader as StdBufReader};

    fn server(data: &Path) -> Arc<Server> {
        let (engine, _) = warden_engine::Engine::open(data).unwrap();
        Server::new(engine, data)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_client_that_connected_as_the_engine_decided_to_end_is_served_and_the_engine_goes_on() {
        let data = tempfile::tempdir().unwrap();
        let server = server(data.path());
        let socket = socket_path(data.path());
        // Nobody: the socket file goes and the engine ends.
        let listener = listen(&socket).unwrap();
        assert!(matches!(settle_idle(&server, listener, &socket).unwrap(), Settled::End));
        assert!(!socket.exists(), "no client can reach an engine that is ending");
        // A client queued on the socket (connected, not yet accepted) at the decision.
        let listener = listen(&socket).unwrap();
        let client = std::os::unix::net::UnixStream::connect(&socket).unwrap();
        let Settled::GoOn(again) = settle_idle(&server, listener, &socket).unwrap() else { panic!("the engine must go on") };
        client.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut hello = String::new();
        StdBufReader::new(&client).read_line(&mut hello).unwrap();
        assert!(hello.contains("\"hello\""), "the late client is served: {hello:?}");
        assert!(!server.is_idle(), "and counted");
        // The engine listens again at the same path.
        assert!(socket.exists());
        drop(again);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_relay_that_met_an_ending_engine_tries_again_until_a_live_one_answers() {
        let data = tempfile::tempdir().unwrap();
        let socket = socket_path(data.path());
        // An engine in the instant it ends: it still holds the lock, and a connection that
        // reached it is closed before any hello.
        let lock = File::options().create(true).truncate(false).read(true).write(true).open(data.path().join(LOCK)).unwrap();
        lock.try_lock().unwrap();
        let ending = std::os::unix::net::UnixListener::bind(&socket).unwrap();
        let closer = std::thread::spawn(move || {
            let (stream, _) = ending.accept().unwrap();
            drop(stream);
            // Then its socket is gone.
            drop(ending);
        });
        let mut lock = Some(lock);
        let mut starts = 0;
        let dir = data.path().to_owned();
        let start = || {
            starts += 1;
            if starts == 1 {
                // The lock is still held: an engine started now ends at once, as `AlreadyRunning`.
                let _ = std::fs::remove_file(socket_path(&dir));
            } else if let Some(lock) = lock.take() {
                // The ending engine let go: the next start wins.
                drop(lock);
                let dir = dir.clone();
                tokio::spawn(async move { run_engine(&dir, Duration::from_secs(30), |_| ()).await });
            }
            std::process::Command::new("true").spawn()
        };
        let (_, _, hello) = tokio::time::timeout(Duration::from_secs(20), reach_engine(data.path(), start)).await.expect("bounded").expect("reached");
        assert!(String::from_utf8_lossy(&hello).contains("\"hello\""));
        closer.join().unwrap();
        assert!(starts >= 2, "started again after the first engine found the lock held ({starts})");
    }
}
