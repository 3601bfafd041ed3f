//! One engine per host: the engine runs in a background process that holds a lock on the data
//! folder and accepts connections on a Unix socket inside it; `warden serve --stdio` is a relay
//! between its own stdio and that socket, starting the engine process when none runs.
//!
//! Why a background process: the engine must outlive the connection that started it (an ssh
//! connection that drops must not end the sessions it started, nor answer their questions),
//! and every later connection, from any window, must meet the same engine. Nothing listens on
//! a network port: the socket is a file in the data folder (0700), itself 0600, so only the
//! person who owns the folder can connect, as they could run `warden` there anyway.

use super::Server;
use std::fs::File;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tokio::net::{UnixListener, UnixStream};

/// The socket's file name in the data folder.
pub const SOCKET: &str = "serve.sock";
/// The lock's file name in the data folder; it holds the engine process's id.
pub const LOCK: &str = "serve.lock";
/// Where the engine process writes what it logs.
pub const LOG: &str = "serve.log";

/// How long the relay waits for a just-started engine process to accept connections.
const START_WAIT: Duration = Duration::from_secs(30);

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

/// Runs the data folder's engine: takes the lock (or returns [`EngineEnd::AlreadyRunning`]),
/// opens the engine, accepts connections on the socket, and ends once no client has been
/// connected and no session has run for `idle`. `with_engine` starts what the engine needs
/// beside it (the app's webhook delivery worker); what it returns lives as long as the engine.
pub async fn run_engine<G>(data_dir: &Path, idle: Duration, with_engine: impl FnOnce(&warden_engine::Engine) -> G) -> Result<EngineEnd, LocalError> {
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
    let server = Server::new(engine);
    let socket = socket_path(data_dir);
    // A socket file left by an engine process that died: we hold the lock, so it is stale.
    let _ = std::fs::remove_file(&socket);
    let listener = UnixListener::bind(&socket).map_err(io("cannot listen on", &socket))?;
    std::fs::set_permissions(&socket, std::fs::Permissions::from_mode(0o600)).map_err(io("cannot restrict", &socket))?;
    tracing::info!(socket = %socket.display(), pid = std::process::id(), "the engine accepts connections");
    let mut idle_since: Option<Instant> = None;
    let mut tick = tokio::time::interval(Duration::from_millis(500));
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let (read, write) = stream.into_split();
                    tokio::spawn(server.clone().serve(read, write));
                }
                Err(e) => tracing::warn!(error = %e, "accepting a connection failed"),
            },
            _ = tick.tick() => {
                if !server.is_idle() {
                    idle_since = None;
                } else if idle_since.get_or_insert_with(Instant::now).elapsed() >= idle {
                    break;
                }
            }
        }
    }
    tracing::info!("idle: the engine ends");
    let _ = std::fs::remove_file(&socket);
    server.engine().sessions().shutdown().await;
    drop(companion);
    drop(lock);
    Ok(EngineEnd::Idle)
}

/// Connects this process's stdio to the data folder's engine, starting it with `start` when
/// none accepts connections; returns when the engine closes the connection.
pub async fn relay_stdio(data_dir: &Path, start: impl FnOnce() -> std::io::Result<std::process::Child>) -> Result<(), LocalError> {
    let socket = socket_path(data_dir);
    let stream = match UnixStream::connect(&socket).await {
        Ok(stream) => stream,
        Err(_) => {
            std::fs::create_dir_all(data_dir).map_err(io("cannot create", data_dir))?;
            let mut child = start().map_err(io("cannot start the engine from", data_dir))?;
            wait_for_engine(data_dir, &socket, &mut child).await?
        }
    };
    let (mut from_engine, mut to_engine) = stream.into_split();
    let mut stdin = tokio::io::stdin();
    let mut stdout = tokio::io::stdout();
    let upstream = async move {
        let _ = tokio::io::copy(&mut stdin, &mut to_engine).await;
        // The client is gone: the engine sees the end of this connection, and keeps running.
        let _ = tokio::io::AsyncWriteExt::shutdown(&mut to_engine).await;
        std::future::pending::<()>().await
    };
    let downstream = async move {
        let _ = tokio::io::copy(&mut from_engine, &mut stdout).await;
    };
    tokio::select! {
        () = upstream => {}
        () = downstream => {}
    }
    Ok(())
}

/// Waits, bounded, for a just-started engine process to accept connections.
async fn wait_for_engine(data_dir: &Path, socket: &Path, child: &mut std::process::Child) -> Result<UnixStream, LocalError> {
    let deadline = Instant::now() + START_WAIT;
    let mut exited = false;
    loop {
        if let Ok(stream) = UnixStream::connect(socket).await {
            return Ok(stream);
        }
        // Another relay's engine process may have won the lock; ours then ends at once and
        // theirs binds the socket soon.
        if !exited {
            if let Ok(Some(status)) = child.try_wait() {
                exited = true;
                if !status.success() {
                    return Err(LocalError::NotStarted(read_log_tail(data_dir)));
                }
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
