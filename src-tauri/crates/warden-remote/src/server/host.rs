//! The handlers of [`HostRequest`]: agent installs into this host's agents folder (each run's
//! events kept, for clients that read them in pieces and for one that reconnects in the middle),
//! agent logins in a host terminal, and the usage in this host's store. The engine's own
//! functions decide everything (`warden_engine::agents::start_install`, `login_terminal`,
//! `UsageQuery::new`), as they do for the window's commands.

use super::Server;
use crate::protocol::{ErrorKind, RemoteError};
use crate::request_host::{HostRequest, HostResponse, UsageAsked, INSTALL_EVENTS_WAIT_MS};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tokio::sync::Notify;
use warden_core::agent::InstallEvent;
use warden_core::session::AgentKind;
use warden_core::terminal::TerminalOpened;
use warden_core::usage::PriceTable;
use warden_engine::agents::{InstallError, Installs};
use warden_engine::store::UsageQuery;

/// One install run's events so far.
#[derive(Default)]
struct Run {
    id: u64,
    events: Vec<InstallEvent>,
    finished: bool,
}

/// The installs of this process: the agents folder they go into is the process's data folder's
/// (`managed::root`), so they are kept per process too, whichever connection started them.
#[derive(Default)]
struct HostInstalls {
    installs: Installs,
    runs: Mutex<HashMap<AgentKind, Run>>,
    changed: Notify,
    next_run: Mutex<u64>,
}

fn host_installs() -> &'static HostInstalls {
    static INSTALLS: OnceLock<HostInstalls> = OnceLock::new();
    INSTALLS.get_or_init(HostInstalls::default)
}

fn locked<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Answers one host call.
pub(super) async fn handle(server: &Arc<Server>, call: HostRequest) -> Result<HostResponse, RemoteError> {
    match call {
        HostRequest::AgentInstall { kind, confirmed } => install(kind, confirmed).map(|run| HostResponse::InstallStarted { run }),
        HostRequest::AgentInstallEvents { kind, run, after } => install_events(kind, run, after).await,
        HostRequest::AgentInstallCancel { kind } => Ok(HostResponse::InstallCancelled(host_installs().installs.cancel(kind))),
        HostRequest::AgentLogin { kind, cols, rows } => login(server, kind, cols, rows).await.map(HostResponse::LoginOpened),
        HostRequest::Usage(asked) => {
            let query = query(&asked)?;
            blocking(server, move |s| s.engine.store().usage_report(&query, &prices()?).map_err(RemoteError::failed)).await.map(HostResponse::Usage)
        }
        HostRequest::UsageCsv(asked) => {
            let query = query(&asked)?;
            blocking(server, move |s| s.engine.store().usage_csv(&query, &prices()?).map_err(RemoteError::failed)).await.map(HostResponse::UsageCsv)
        }
    }
}

/// Starts the install and keeps its events as they come; the run's id.
fn install(kind: AgentKind, confirmed: bool) -> Result<u64, RemoteError> {
    let host = host_installs();
    let mut events = warden_engine::agents::start_install(&host.installs, kind, confirmed).map_err(|e| match e {
        InstallError::NoPlan(_) | InstallError::NeedsConfirmation(_) | InstallError::AlreadyRunning(_) => RemoteError::bad(e),
        other => RemoteError::failed(other),
    })?;
    let id = {
        let mut next = locked(&host.next_run);
        *next += 1;
        *next
    };
    locked(&host.runs).insert(kind, Run { id, ..Run::default() });
    tracing::info!(agent = kind.as_str(), run = id, "installing for a remote window");
    tokio::spawn(async move {
        while let Some(event) = events.recv().await {
            let last = matches!(event, InstallEvent::Finished(_));
            if let Some(run) = locked(&host.runs).get_mut(&kind).filter(|r| r.id == id) {
                run.events.push(event);
                run.finished |= last;
            }
            host.changed.notify_waiters();
        }
    });
    Ok(id)
}

/// The run's events after `after`, waiting (bounded) for one when there is none yet.
async fn install_events(kind: AgentKind, run: u64, after: u64) -> Result<HostResponse, RemoteError> {
    let host = host_installs();
    let deadline = tokio::time::Instant::now() + Duration::from_millis(INSTALL_EVENTS_WAIT_MS);
    loop {
        // Registered before looking, so an event that lands in between still wakes this call.
        let changed = host.changed.notified();
        {
            let runs = locked(&host.runs);
            let Some(current) = runs.get(&kind).filter(|r| r.id == run) else {
                return Err(RemoteError::new(ErrorKind::NotFound, format!("there is no install {run} of {} on this host", kind.as_str())));
            };
            let start = usize::try_from(after).unwrap_or(usize::MAX).min(current.events.len());
            if start < current.events.len() || current.finished {
                let events = current.events[start..].to_vec();
                return Ok(HostResponse::InstallEvents { events, finished: current.finished });
            }
        }
        if tokio::time::timeout_at(deadline, changed).await.is_err() {
            return Ok(HostResponse::InstallEvents { events: Vec::new(), finished: false });
        }
    }
}

/// Opens the login terminal in this host's terminals, like any terminal a client opened here.
async fn login(server: &Arc<Server>, kind: AgentKind, cols: u16, rows: u16) -> Result<TerminalOpened, RemoteError> {
    let (spec, title) = warden_engine::agents::login_terminal(kind, cols, rows).await.map_err(RemoteError::bad)?;
    tracing::info!(agent = kind.as_str(), program = %spec.program.display(), "opening a login terminal for a remote window");
    let id = server.terminals.open(spec).map_err(RemoteError::failed)?;
    Ok(TerminalOpened { id, title })
}

fn query(asked: &UsageAsked) -> Result<UsageQuery, RemoteError> {
    UsageQuery::new(asked.project.as_deref(), asked.from_ms, asked.to_ms, asked.utc_offset_minutes).map_err(RemoteError::bad)
}

fn prices() -> Result<PriceTable, RemoteError> {
    PriceTable::shipped().map_err(RemoteError::failed)
}

async fn blocking<T: Send + 'static>(server: &Arc<Server>, work: impl FnOnce(&Server) -> Result<T, RemoteError> + Send + 'static) -> Result<T, RemoteError> {
    let server = server.clone();
    tokio::task::spawn_blocking(move || work(&server)).await.map_err(RemoteError::failed)?
}
