//! `warden serve --stdio`: this host's engine for a Warden elsewhere (over ssh, `docker exec`
//! or any command), on standard input and output. The engine itself runs in one background
//! process per data folder (`warden serve --engine`, started on demand, ending when idle), so
//! it outlives a dropped connection and is shared by every client; see
//! `warden_remote::server::local`.

use clap::Args;
use std::path::Path;

/// Arguments of `warden serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Serve the engine on standard input and output (newline-delimited JSON, after a version
    /// handshake). Warden never listens on a network port: reach it through ssh, `docker exec`
    /// or any command that gives a pipe.
    #[arg(long)]
    pub stdio: bool,
    /// Run the data folder's engine process itself (started by `--stdio` when none runs).
    #[arg(long, hide = true, conflicts_with = "stdio")]
    pub engine: bool,
    /// How long the engine process stays without clients and running sessions before it ends.
    #[arg(long, value_name = "SECONDS", default_value_t = 900, hide = true)]
    pub idle_exit: u64,
    /// The same in milliseconds, overriding `--idle-exit`: for the tests of an engine ending
    /// just as a client arrives, which need it ending within a fraction of a second.
    #[arg(long, value_name = "MS", hide = true)]
    pub idle_exit_ms: Option<u64>,
}

impl ServeArgs {
    /// How long the engine stays idle before it ends.
    fn idle(&self) -> std::time::Duration {
        self.idle_exit_ms.map_or(std::time::Duration::from_secs(self.idle_exit), std::time::Duration::from_millis)
    }
}

/// Runs the command; returns the exit code.
#[cfg(unix)]
pub async fn run(args: ServeArgs, data_dir: &Path) -> u8 {
    use warden_remote::server::local;
    let idle = args.idle();
    if args.engine {
        // Its stderr is `serve.log` in the data folder (see `start_engine`).
        let _ = tracing_subscriber::fmt().with_writer(std::io::stderr).with_ansi(false).with_max_level(tracing::Level::INFO).try_init();
        // Webhooks of the sessions run here are delivered by this process, as by `warden run`.
        let webhooks = |engine: &warden_engine::Engine| {
            crate::webhook_worker::WebhookWorker::start(engine.webhooks()).map_err(|e| tracing::warn!(error = %e, "webhooks are not delivered")).ok()
        };
        return match local::run_engine(data_dir, idle, webhooks).await {
            Ok(_) => 0,
            Err(e) => {
                eprintln!("warden: {e}");
                super::run::SETUP_FAILED
            }
        };
    }
    if !args.stdio {
        eprintln!("warden: `warden serve` serves only on --stdio (Warden never listens on a network port); reach it with ssh, docker exec or any command that gives a pipe");
        return super::run::SETUP_FAILED;
    }
    // Called again when the engine it met was just ending (see `local::reach_engine`).
    let start = || start_engine(data_dir, idle);
    let code = match local::relay_stdio(data_dir, start).await {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("warden: {e}");
            super::run::SETUP_FAILED
        }
    };
    // The engine closed the connection: done, even while a read of stdin still blocks (the
    // runtime would wait for that read to return before exiting).
    std::process::exit(i32::from(code))
}

/// Not yet on Windows: there the engine would need a named pipe in place of the Unix socket.
#[cfg(not(unix))]
pub async fn run(_args: ServeArgs, _data_dir: &Path) -> u8 {
    eprintln!("warden: `warden serve` runs on Linux and macOS hosts only for now");
    super::run::SETUP_FAILED
}

/// Starts `warden serve --engine` in the background: its own process group (so the end of an ssh
/// session's processes does not reach it), no stdio of ours (an ssh session ends only when
/// every holder of its pipes has closed them), its log appended to `serve.log`.
#[cfg(unix)]
fn start_engine(data_dir: &Path, idle: std::time::Duration) -> std::io::Result<std::process::Child> {
    use std::os::unix::process::CommandExt;
    use std::process::{Command, Stdio};
    let log = std::fs::File::options().create(true).append(true).open(data_dir.join(warden_remote::server::local::LOG))?;
    Command::new(std::env::current_exe()?)
        .args(["serve", "--engine", "--idle-exit-ms", &idle.as_millis().to_string()])
        .env("WARDEN_DATA_DIR", data_dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .process_group(0)
        .spawn()
}
