//! Remote projects in the window: connections to hosts' engines (`warden serve --stdio` over
//! ssh, `docker exec` or a command), the calls the window makes through them, and their
//! sessions' events handed to the same [`SessionChannels`] the local sessions use, so a remote
//! session's tab, its permission questions in the window's queue and its record-changed events
//! work exactly like a local one's. Tauri-free (the commands in `commands/remote.rs` are thin
//! wrappers), so tests drive it directly.
//!
//! Answers to a remote session's questions go back through the connection that session came
//! from (the window keeps session → connection); a session id a host names that is also a
//! session of this machine is refused, so a host can neither show events in a local tab nor
//! take the answers meant for a local session. Nothing here answers anything by a timeout.

mod host;
pub mod install;
mod link;
pub mod recent;
pub mod target;
pub mod types;

use crate::error::IpcError;
use crate::session_channels::SessionChannels;
use link::Link;
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tauri::ipc::Channel;
use types::*;
use warden_core::terminal::{TerminalCommand, TerminalEvent, TerminalOpened};
use warden_core::session::{PermissionAnswer, PermissionRequestId, SessionEvent, SessionId, SessionRecord, SessionStatus};
use warden_core::pipeline::{PipelineState, StepStatus};
use warden_remote::{GateResponse, Remote, Request, Response};

/// The pauses before each reconnect attempt; after the last the host is reported gone
/// (about half a minute in all: long enough for a laptop's Wi-Fi to come back).
pub const RECONNECT_PAUSES: [Duration; 5] = [Duration::from_secs(1), Duration::from_secs(2), Duration::from_secs(4), Duration::from_secs(8), Duration::from_secs(16)];

/// Called with every change of a connection's state: its id, its label, the state.
pub type StateListener = Box<dyn Fn(RemoteConnectionId, String, RemoteConnectionState) + Send + Sync>;

/// Whether a session id is one of this machine's sessions.
pub type IsLocal = Box<dyn Fn(&SessionId) -> bool + Send + Sync>;

/// What every connection shares.
struct Shared {
    /// Where remote sessions' events go: the window's session channels.
    sink: Arc<SessionChannels>,
    is_local: IsLocal,
    on_state: StateListener,
    pauses: Vec<Duration>,
    /// Every remote session the window knows, and its connection.
    sessions: Mutex<HashMap<SessionId, RemoteConnectionId>>,
}

impl Shared {
    /// Takes `session` as reached through `connection` (`label` names it). Refused for a
    /// session of this machine, and for one already reached through another connection: the
    /// host's input is untrusted, and a host that named another host's session could
    /// otherwise show its own events in that session's tab and receive what the person sends
    /// it. The first connection keeps it until it is closed or the session is pruned.
    fn claim(&self, session: &SessionId, connection: &RemoteConnectionId, label: &str) -> Result<(), IpcError> {
        if (self.is_local)(session) {
            return Err(IpcError::internal(format!("{label} names a session {session} that is also a session on this machine: it is not followed")));
        }
        let mut sessions = locked(&self.sessions);
        match sessions.get(session) {
            Some(owner) if owner != connection => {
                Err(IpcError::internal(format!("{label} names a session {session} that is reached through another connection ({owner}): it is not taken")))
            }
            _ => {
                sessions.insert(session.clone(), connection.clone());
                Ok(())
            }
        }
    }

    /// Forgets `session` when it is `connection`'s (it ended there, or the host no longer knows it).
    fn release(&self, session: &SessionId, connection: &RemoteConnectionId) {
        let mut sessions = locked(&self.sessions);
        if sessions.get(session) == Some(connection) {
            sessions.remove(session);
        }
    }

    /// Forgets every session of `connection`; the ones it had.
    fn release_all(&self, connection: &RemoteConnectionId) -> Vec<SessionId> {
        let mut sessions = locked(&self.sessions);
        let gone: Vec<SessionId> = sessions.iter().filter(|(_, c)| *c == connection).map(|(s, _)| s.clone()).collect();
        for session in &gone {
            sessions.remove(session);
        }
        gone
    }
}

fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The window's connections to hosts.
pub struct RemoteWindow {
    shared: Arc<Shared>,
    links: Mutex<Vec<Arc<Link>>>,
    next_id: AtomicU64,
}

impl RemoteWindow {
    /// Connections whose sessions' events go to `sink`; `is_local` tells this machine's
    /// sessions; `on_state` hears every state change; `pauses` are the reconnect pauses
    /// ([`RECONNECT_PAUSES`] in the app, shorter in tests).
    pub fn new(sink: Arc<SessionChannels>, is_local: IsLocal, on_state: StateListener, pauses: Vec<Duration>) -> Self {
        let shared = Arc::new(Shared { sink, is_local, on_state, pauses, sessions: Mutex::default() });
        RemoteWindow { shared, links: Mutex::default(), next_id: AtomicU64::new(1) }
    }

    fn link(&self, connection: &RemoteConnectionId) -> Result<Arc<Link>, IpcError> {
        locked(&self.links).iter().find(|l| &l.id == connection).cloned().ok_or_else(|| IpcError::internal(format!("there is no remote connection {connection}")))
    }

    /// Opens `target`'s folder on its host: connects (or reuses the connection to the same
    /// place, reconnecting it when it was gone or closed), opens the folder in the host's
    /// engine and follows the project's running sessions (their questions reach the window's
    /// queue). When Warden is missing there or of another version: what the host has, so the
    /// window can offer the install.
    pub async fn open(&self, target: &RemoteTarget) -> Result<RemoteOpenOutcome, IpcError> {
        let target = target::checked(target).map_err(IpcError::internal)?;
        let existing = locked(&self.links).iter().find(|l| target::same_place(&l.target, &target)).cloned();
        let link = match existing {
            Some(link) => {
                link.revive(&self.shared).await.map_err(|e| IpcError::internal(format!("{}: {e}", link.label)))?;
                link
            }
            None => match self.connect(&target).await? {
                Ok(link) => link,
                Err(probe) => return Ok(RemoteOpenOutcome::NeedsInstall(probe)),
            },
        };
        let workspace = match link.call(Request::OpenProject { path: target.folder.clone() }).await? {
            Response::Workspace(view) => view,
            other => return Err(unexpected(&other)),
        };
        let project = workspace
            .active
            .as_ref()
            .and_then(|id| workspace.open.iter().find(|p| &p.id == id))
            .map_or_else(|| target.folder.clone(), |p| p.path.clone());
        link.add_project(&project);
        if let Response::Sessions(sessions) = link.call(Request::Sessions { project: Some(project.clone()) }).await? {
            for record in sessions.iter().filter(|r| is_live(r.status)) {
                // Read from the start: a question asked before this window came must wait in
                // its queue too.
                if let Err(e) = link.follow(&self.shared, &record.id, 0, record.last_seq).await {
                    tracing::warn!(session = %record.id, "a running remote session is not followed: {}", e.message);
                }
            }
            self.remember(&link, &sessions);
        }
        let host = link.host().await;
        Ok(RemoteOpenOutcome::Opened(RemoteOpened { connection: link.id.clone(), label: link.label.clone(), target, host, project, workspace }))
    }

    /// A new connection to `target`; `Err(probe)` when Warden there is missing or another
    /// version. Without a named `warden`, the one on the host's PATH is tried first, then the
    /// one `remote_install` puts in `~/.local/bin` (a non-interactive login rarely has that on
    /// its PATH).
    async fn connect(&self, target: &RemoteTarget) -> Result<Result<Arc<Link>, RemoteProbe>, IpcError> {
        let label = target::label(target);
        let transport = target::transport(target).map_err(IpcError::internal)?;
        let first = match Remote::connect(transport).await {
            Ok(remote) => return Ok(Ok(self.add(target, label, remote))),
            Err(e) => e,
        };
        let Some(mut state) = install::host_state(&first) else {
            return Err(IpcError::internal(format!("cannot connect to {label}: {first}")));
        };
        if target.remote_warden.is_none() {
            if let Some(installed) = target::installed_transport(target) {
                match Remote::connect(installed).await {
                    Ok(remote) => return Ok(Ok(self.add(target, label, remote))),
                    // The installed one is what the person will see replaced.
                    Err(e) => {
                        if let Some(RemoteHostState::OtherVersion { detail } | RemoteHostState::TooOld { detail }) = install::host_state(&e) {
                            state = RemoteHostState::OtherVersion { detail };
                        }
                    }
                }
            }
        }
        Ok(Err(install::probe(target, &label, state).await))
    }

    fn add(&self, target: &RemoteTarget, label: String, remote: Remote) -> Arc<Link> {
        let id = RemoteConnectionId(format!("r{}", self.next_id.fetch_add(1, Ordering::SeqCst)));
        let link = Link::start(id, target.clone(), label, remote, &self.shared);
        locked(&self.links).push(link.clone());
        link
    }

    /// Installs `binary` (this installation's headless `warden`) on `target`'s host; see
    /// [`install::install`]. Then [`RemoteWindow::open`] again.
    pub async fn install(&self, target: &RemoteTarget, binary: &Path, progress: impl Fn(RemoteInstallProgress)) -> Result<RemoteHost, IpcError> {
        let target = target::checked(target).map_err(IpcError::internal)?;
        install::install(&target, &target::label(&target), binary, progress).await
    }

    /// One engine call through `connection`. A session started or resumed is followed (its
    /// questions reach the window's queue); sessions listed are remembered as this host's.
    pub async fn call(&self, connection: &RemoteConnectionId, request: Request) -> Result<Response, IpcError> {
        let link = self.link(connection)?;
        // The session asked about, for an answer that only makes sense with it (one the host
        // no longer has).
        let asked = match &request {
            Request::Session { session } => Some(session.clone()),
            _ => None,
        };
        let response = link.call(request).await?;
        match &response {
            Response::Started(started) => {
                let record = &started.session;
                // A new session is followed from its first event; a resumed one from the
                // start too (its old questions were cancelled, their ends are in the stream).
                if let Err(e) = link.follow(&self.shared, &record.id, 0, record.last_seq).await {
                    tracing::warn!(session = %record.id, "a started remote session is not followed: {}", e.message);
                }
            }
            Response::Sessions(records) => self.remember(&link, records),
            // A host pipeline's running steps ask the person like any session: followed.
            Response::Gate(GateResponse::Pipeline(state)) => self.follow_steps(&link, std::slice::from_ref(state)).await,
            Response::Gate(GateResponse::Runs(states)) => self.follow_steps(&link, states).await,
            // Best of N's members are started sessions too: followed from their first event.
            Response::Worktrees(warden_remote::WorktreesResponse::BestOfStarted(group)) => {
                for record in &group.sessions {
                    if let Err(e) = link.follow(&self.shared, &record.id, 0, record.last_seq).await {
                        tracing::warn!(session = %record.id, "a started best-of member is not followed: {}", e.message);
                    }
                }
            }
            Response::Session(Some(record)) => self.remember(&link, std::slice::from_ref(record)),
            Response::Session(None) => {
                // The host no longer knows it: nothing of it is followed or routed here.
                if let Some(session) = &asked {
                    link.unfollow(&self.shared, session).await;
                }
            }
            _ => {}
        }
        Ok(response)
    }

    /// Follows the running steps of `link`'s host's pipelines (known from their states), so
    /// their questions reach this window; following one already followed changes nothing.
    async fn follow_steps(&self, link: &Arc<Link>, states: &[PipelineState]) {
        for step in states.iter().flat_map(|s| &s.steps).filter(|s| s.status == StepStatus::Running) {
            if let Some(id) = &step.session_id {
                if let Err(e) = link.follow(&self.shared, id, 0, 0).await {
                    tracing::warn!(session = %id, "a remote pipeline's step is not followed: {}", e.message);
                }
            }
        }
    }

    /// Remembers the listed sessions that may still ask as `link`'s (a finished one asks
    /// nothing: the map holds what answers are routed by, and would otherwise grow with every
    /// listing for the window's whole run).
    fn remember(&self, link: &Link, records: &[SessionRecord]) {
        for record in records.iter().filter(|r| is_live(r.status)) {
            if let Err(e) = self.shared.claim(&record.id, &link.id, &link.label) {
                tracing::warn!(session = %record.id, "a listed remote session is not taken: {}", e.message);
            }
        }
    }

    /// Follows a remote session in a tab, as `session_subscribe` does a local one: `channel`
    /// gets every event from now on (across reconnects, with no gap or duplicate), and the
    /// stored events after `after_seq` are returned (large outputs left out); an event in
    /// between may come both ways and the window drops the copy by its `seq`.
    pub async fn subscribe(&self, connection: &RemoteConnectionId, session: &SessionId, after_seq: u64, channel: Channel<SessionEvent>) -> Result<Vec<SessionEvent>, IpcError> {
        let link = self.link(connection)?;
        if (self.shared.is_local)(session) {
            return Err(IpcError::internal(format!("{session} is a session of this machine, not of {}", link.label)));
        }
        if let Some(owner) = self.connection_of(session).filter(|owner| owner != connection) {
            return Err(IpcError::internal(format!("{session} is reached through another connection ({owner}), not through {}", link.label)));
        }
        let record = match link.call(Request::Session { session: session.clone() }).await? {
            Response::Session(Some(record)) if &record.id == session => record,
            Response::Session(Some(other)) => return Err(IpcError::internal(format!("{} answered with session {} when asked for {session}", link.label, other.id))),
            Response::Session(None) => {
                // Gone from the host (its store reset, the session removed): forgotten here too.
                link.unfollow(&self.shared, session).await;
                return Err(IpcError::internal(format!("there is no session {session} on {}", link.label)));
            }
            other => return Err(unexpected(&other)),
        };
        self.shared.sink.subscribe(session.clone(), channel);
        // A running session is read from its start so its waiting questions reach the queue;
        // a finished one only from now on (nothing of it waits).
        let from = if is_live(record.status) { 0 } else { record.last_seq };
        link.follow(&self.shared, session, from, record.last_seq).await?;
        match link.call(Request::Events { session: session.clone(), after_seq }).await? {
            Response::Events(events) => Ok(events.into_iter().filter(|e| &e.session_id == session).collect()),
            other => Err(unexpected(&other)),
        }
    }

    /// Opens a terminal on the host in `project` (the person's shell there, or `command`'s
    /// agent interface); its output, then its exit, go to `channel`, across reconnects.
    /// Typing, resizing and closing are `TerminalWrite`/`TerminalResize`/`TerminalClose` calls.
    pub async fn terminal_open(
        &self,
        connection: &RemoteConnectionId,
        project: String,
        cols: u16,
        rows: u16,
        command: Option<TerminalCommand>,
        channel: Channel<TerminalEvent>,
    ) -> Result<TerminalOpened, IpcError> {
        let link = self.link(connection)?;
        let opened = match link.call(Request::TerminalOpen { project, cols, rows, command }).await? {
            Response::TerminalOpened(opened) => opened,
            other => return Err(unexpected(&other)),
        };
        link.follow_terminal(opened.id, channel).await?;
        Ok(opened)
    }

    /// The connection a remote session is reached through; `None` for any other session.
    pub fn connection_of(&self, session: &SessionId) -> Option<RemoteConnectionId> {
        locked(&self.shared.sessions).get(session).cloned()
    }

    /// Answers a remote session's question on its host; `None` when the session is not a
    /// remote one (then it is answered here).
    pub async fn answer(&self, session: &SessionId, request_id: &PermissionRequestId, answer: PermissionAnswer) -> Option<Result<(), IpcError>> {
        let connection = self.connection_of(session)?;
        let request = Request::ResolvePermission { session: session.clone(), request_id: request_id.clone(), answer, source: None };
        Some(match self.call(&connection, request).await {
            Ok(Response::Done) => Ok(()),
            Ok(other) => Err(unexpected(&other)),
            Err(e) => Err(e),
        })
    }

    /// Closes a connection: the host's sessions go on there and their questions keep waiting
    /// THERE; here nothing of it is followed or routed any more and its questions leave the
    /// window's queue (nothing is answered by closing). Opening it again follows its running
    /// sessions anew, so their waiting questions come back.
    pub async fn close(&self, connection: &RemoteConnectionId) -> Result<(), IpcError> {
        self.link(connection)?.close(&self.shared).await;
        Ok(())
    }

    /// Ends a connection's transport as a dropped network would: it reconnects by itself.
    pub async fn sever(&self, connection: &RemoteConnectionId) -> Result<(), IpcError> {
        self.link(connection)?.sever().await;
        Ok(())
    }

    /// Every connection, oldest first.
    pub fn connections(&self) -> Vec<RemoteConnectionView> {
        locked(&self.links).iter().map(|l| l.view()).collect()
    }

    /// Every remote session the window knows, with its connection.
    pub fn sessions(&self) -> Vec<RemoteSessionRef> {
        let mut sessions: Vec<RemoteSessionRef> =
            locked(&self.shared.sessions).iter().map(|(session_id, connection)| RemoteSessionRef { session_id: session_id.clone(), connection: connection.clone() }).collect();
        sessions.sort_by(|a, b| a.session_id.0.cmp(&b.session_id.0));
        sessions
    }
}

/// Whether a session's agent may still ask something.
fn is_live(status: SessionStatus) -> bool {
    matches!(status, SessionStatus::Starting | SessionStatus::Ready | SessionStatus::Running | SessionStatus::Stopping)
}

fn unexpected(response: &Response) -> IpcError {
    let shown: String = format!("{response:?}").chars().take(200).collect();
    IpcError::internal(format!("the host answered something unexpected: {shown}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared(local: &'static str) -> Shared {
        let is_local: IsLocal = Box::new(move |id: &SessionId| id.0 == local);
        Shared { sink: Arc::default(), is_local, on_state: Box::new(|_, _, _| {}), pauses: Vec::new(), sessions: Mutex::default() }
    }

    fn id(s: &str) -> SessionId {
        SessionId(s.into())
    }

    #[test]
    fn a_session_stays_with_the_first_connection_that_named_it_until_that_one_lets_go() {
        let shared = shared("mine");
        let (a, b) = (RemoteConnectionId("r1".into()), RemoteConnectionId("r2".into()));
        shared.claim(&id("s1"), &a, "host a").expect("first named");
        shared.claim(&id("s1"), &a, "host a").expect("named again by the same host");
        let err = shared.claim(&id("s1"), &b, "host b").expect_err("another host cannot take it");
        assert!(err.message.contains("host b") && err.message.contains("another connection (r1)"), "{}", err.message);
        assert_eq!(locked(&shared.sessions).get(&id("s1")), Some(&a));
        let err = shared.claim(&id("mine"), &a, "host a").expect_err("a session of this machine");
        assert!(err.message.contains("also a session on this machine"), "{}", err.message);
        // Only its own connection lets it go; then another may name it.
        shared.release(&id("s1"), &b);
        assert_eq!(locked(&shared.sessions).get(&id("s1")), Some(&a));
        shared.claim(&id("s2"), &a, "host a").unwrap();
        let mut gone = shared.release_all(&a);
        gone.sort_by(|x, y| x.0.cmp(&y.0));
        assert_eq!(gone, [id("s1"), id("s2")]);
        shared.claim(&id("s1"), &b, "host b").expect("free again");
    }
}
