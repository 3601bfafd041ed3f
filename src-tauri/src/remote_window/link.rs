//! One connection of the window to a host: its [`Remote`] (warden-remote's reconnecting
//! client, which resumes every followed stream from its last `seq`), its state, the sessions
//! it follows, and the supervisor that notices a lost connection, reconnects with backoff and
//! reports the host gone when it stays unreachable.

use super::types::{RemoteConnectionId, RemoteConnectionState, RemoteConnectionView, RemoteHost, RemoteTarget};
use super::Shared;
use crate::error::{IpcError, IpcErrorCode};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::RwLock;
use tokio::task::JoinHandle;
use tauri::ipc::Channel;
use warden_core::session::{SessionEvent, SessionEventKind, SessionId, SessionStatus};
use warden_core::terminal::{TerminalEvent, TerminalId};
use warden_engine::EventSink;
use warden_remote::{ClientError, Remote, Request, Response};

fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The task that hands one followed session's events to the window.
struct Follower {
    /// Which follower of the session this is (see [`Link::prune`]).
    number: u64,
    /// Set when the session's run ended: a new follow (the session resumed) replaces this one
    /// even before it has pruned itself.
    ended: Arc<AtomicBool>,
    task: JoinHandle<()>,
}

/// One connection to a host.
pub(super) struct Link {
    /// The window's name for it.
    pub id: RemoteConnectionId,
    /// How it was made.
    pub target: RemoteTarget,
    /// Where it reaches, in words.
    pub label: String,
    /// The client; written only to follow a session or to reconnect.
    remote: RwLock<Remote>,
    state: Mutex<RemoteConnectionState>,
    projects: Mutex<Vec<String>>,
    /// The task that hands each followed session's events to the window.
    followed: Mutex<HashMap<SessionId, Follower>>,
    /// Numbers the followers, so a follower that ends prunes only itself, not a newer one.
    next_follower: AtomicU64,
    /// Closed from the window: a lost connection is not made again.
    closed: AtomicBool,
    supervisor: Mutex<Option<JoinHandle<()>>>,
}

impl Link {
    /// A link over a connected `remote`, its supervisor running.
    pub fn start(id: RemoteConnectionId, target: RemoteTarget, label: String, remote: Remote, shared: &Arc<Shared>) -> Arc<Link> {
        let host = RemoteHost::from(remote.connection().server());
        let link = Arc::new(Link {
            id,
            target,
            label,
            remote: RwLock::new(remote),
            state: Mutex::new(RemoteConnectionState::Connected(host.clone())),
            projects: Mutex::default(),
            followed: Mutex::default(),
            next_follower: AtomicU64::new(1),
            closed: AtomicBool::new(false),
            supervisor: Mutex::default(),
        });
        link.set_state(shared, RemoteConnectionState::Connected(host));
        link.supervise(shared);
        link
    }

    fn supervise(self: &Arc<Self>, shared: &Arc<Shared>) {
        let task = tokio::spawn(supervise(self.clone(), shared.clone()));
        if let Some(previous) = locked(&self.supervisor).replace(task) {
            previous.abort();
        }
    }

    /// Its state now.
    pub fn state(&self) -> RemoteConnectionState {
        locked(&self.state).clone()
    }

    fn set_state(&self, shared: &Shared, state: RemoteConnectionState) {
        *locked(&self.state) = state.clone();
        (shared.on_state)(self.id.clone(), self.label.clone(), state);
    }

    /// What the window shows of it.
    pub fn view(&self) -> RemoteConnectionView {
        RemoteConnectionView {
            connection: self.id.clone(),
            label: self.label.clone(),
            target: self.target.clone(),
            projects: locked(&self.projects).clone(),
            state: self.state(),
        }
    }

    /// Remembers a project opened through it.
    pub fn add_project(&self, project: &str) {
        let mut projects = locked(&self.projects);
        if !projects.iter().any(|p| p == project) {
            projects.push(project.to_owned());
        }
    }

    /// The host's Warden, from the current connection.
    pub async fn host(&self) -> RemoteHost {
        RemoteHost::from(self.remote.read().await.connection().server())
    }

    /// Refuses at once when the connection is not up, naming why.
    fn usable(&self) -> Result<(), IpcError> {
        match self.state() {
            RemoteConnectionState::Connected(_) => Ok(()),
            RemoteConnectionState::Reconnecting { attempt, max_attempts, .. } => Err(IpcError::internal(format!(
                "the connection to {} was lost; reconnecting (attempt {attempt} of {max_attempts}): try again in a moment",
                self.label
            ))),
            RemoteConnectionState::Gone { reason } => Err(IpcError::internal(format!("{} cannot be reached: {reason}; open it again to reconnect", self.label))),
            RemoteConnectionState::Closed => Err(IpcError::internal(format!("the connection to {} was closed; open it again", self.label))),
        }
    }

    /// One call to the host's engine.
    pub async fn call(&self, request: Request) -> Result<Response, IpcError> {
        self.usable()?;
        let remote = self.remote.read().await;
        remote.connection().call(request).await.map_err(|e| call_error(&self.label, e))
    }

    /// Follows `session`'s events from `after_seq` into the window's session channels (its
    /// tabs, the permission queue, the record-changed events), once: a session already followed
    /// is left as it is, so nothing is handed over twice. Events up to `replayed_upto` are old
    /// (read back to learn which questions wait): of those only what the permission queue
    /// needs is handed on, so no old task raises a notification again; the tabs read their
    /// backlog themselves.
    pub async fn follow(self: &Arc<Self>, shared: &Arc<Shared>, session: &SessionId, after_seq: u64, replayed_upto: u64) -> Result<(), IpcError> {
        self.usable()?;
        let mut remote = self.remote.write().await;
        if locked(&self.followed).get(session).is_some_and(|f| !f.ended.load(Ordering::SeqCst)) {
            return Ok(());
        }
        // A session of this machine or of another connection is refused before anything of
        // it is followed.
        shared.claim(session, &self.id, &self.label)?;
        let mut events = match remote.follow(session, after_seq).await {
            Ok(events) => events,
            Err(e) => {
                if matches!(&e, ClientError::Remote(r) if r.kind == warden_remote::ErrorKind::NotFound) {
                    shared.release(session, &self.id);
                }
                return Err(call_error(&self.label, e));
            }
        };
        let number = self.next_follower.fetch_add(1, Ordering::SeqCst);
        let ended = Arc::new(AtomicBool::new(false));
        let (sink, id, link, shared_for_task, ended_for_task) = (shared.sink.clone(), session.clone(), self.clone(), shared.clone(), ended.clone());
        let task = tokio::spawn(async move {
            while let Some(event) = events.recv().await {
                if event.session_id != id {
                    // The host's input is untrusted: an event of another session is dropped.
                    tracing::warn!(session = %id, other = %event.session_id, "a host sent another session's event in a subscription");
                    continue;
                }
                if event.seq > replayed_upto || matters_while_waiting(&event) {
                    sink.send(&event);
                }
                // Its agent is gone and its last status is out: nothing of this run asks any
                // more. Resuming it follows it anew (`Started`).
                if event.seq > replayed_upto && matches!(event.kind, SessionEventKind::Status(SessionStatus::Stopped | SessionStatus::Crashed)) {
                    break;
                }
            }
            // Ended there, or the host no longer knows it (the stream closed on a reconnect).
            ended_for_task.store(true, Ordering::SeqCst);
            link.prune(&shared_for_task, &id, number).await;
        });
        if let Some(previous) = locked(&self.followed).insert(session.clone(), Follower { number, ended, task }) {
            previous.task.abort();
        }
        Ok(())
    }

    /// Forgets follower `number` of `session` after its session ended: no longer followed,
    /// no longer routed through this connection. A newer follower (the session resumed
    /// meanwhile) is left alone.
    async fn prune(&self, shared: &Shared, session: &SessionId, number: u64) {
        let mut remote = self.remote.write().await;
        let mine = {
            let mut followed = locked(&self.followed);
            let mine = followed.get(session).is_some_and(|f| f.number == number);
            if mine {
                followed.remove(session);
            }
            mine
        };
        if mine {
            remote.unfollow(session);
            shared.release(session, &self.id);
            // An ended run's questions left with its agent's exit; a session the host no
            // longer knows takes its own with it.
            shared.sink.forget_questions(std::slice::from_ref(session));
        }
    }

    /// Stops following `session` and forgets it (the host no longer knows it); its questions
    /// leave the window's queue.
    pub async fn unfollow(&self, shared: &Shared, session: &SessionId) {
        let mut remote = self.remote.write().await;
        if let Some(follower) = locked(&self.followed).remove(session) {
            follower.task.abort();
        }
        remote.unfollow(session);
        shared.release(session, &self.id);
        shared.sink.forget_questions(std::slice::from_ref(session));
    }

    /// Follows a host terminal's output from its start into `channel` (across reconnects, each
    /// message once). A window that no longer hears it closes it on the host, as a local
    /// terminal is released then; its exit ends the following.
    pub async fn follow_terminal(self: &Arc<Self>, id: TerminalId, channel: Channel<TerminalEvent>) -> Result<(), IpcError> {
        self.usable()?;
        let mut messages = self.remote.write().await.follow_terminal(id, 0).await.map_err(|e| call_error(&self.label, e))?;
        let link = self.clone();
        tokio::spawn(async move {
            while let Some(message) = messages.recv().await {
                let last = matches!(message.event, TerminalEvent::Exited(_));
                if channel.send(message.event).is_err() && !last {
                    tracing::info!(terminal = %id, "the window no longer hears this host terminal; closing it");
                    let _ = link.call(Request::TerminalClose { id }).await;
                    break;
                }
                if last {
                    break;
                }
            }
            link.remote.write().await.unfollow_terminal(id);
        });
        Ok(())
    }

    /// Ends the transport, as a dropped network would (the supervisor then reconnects).
    pub async fn sever(&self) {
        self.remote.read().await.connection().kill();
    }

    /// Closes it from the window: the connection ends and is not made again; the host's
    /// sessions go on (their questions wait there). Here nothing of them is followed or
    /// routed any more, and their questions leave the window's queue: an answer could not
    /// reach them, and nothing is answered by closing. [`Link::revive`] and following the
    /// project's running sessions again bring them back.
    pub async fn close(&self, shared: &Shared) {
        self.closed.store(true, Ordering::SeqCst);
        if let Some(task) = locked(&self.supervisor).take() {
            task.abort();
        }
        // The transport ends first, under a read lock: calls in flight (a host slow to answer)
        // fail now instead of holding the write lock below back.
        self.remote.read().await.connection().kill();
        let mut remote = self.remote.write().await;
        let followers: Vec<(SessionId, Follower)> = locked(&self.followed).drain().collect();
        for (session, follower) in followers {
            follower.task.abort();
            remote.unfollow(&session);
        }
        drop(remote);
        let sessions = shared.release_all(&self.id);
        shared.sink.forget_questions(&sessions);
        self.set_state(shared, RemoteConnectionState::Closed);
    }

    /// Connects again after the host was reported gone or the link closed, resuming every
    /// followed stream from its last `seq` (so the permission queue gets nothing twice).
    pub async fn revive(self: &Arc<Self>, shared: &Arc<Shared>) -> Result<(), ClientError> {
        if matches!(self.state(), RemoteConnectionState::Connected(_)) {
            return Ok(());
        }
        self.remote.write().await.reconnect().await?;
        self.closed.store(false, Ordering::SeqCst);
        let host = self.host().await;
        self.set_state(shared, RemoteConnectionState::Connected(host));
        self.supervise(shared);
        Ok(())
    }
}

/// What the permission queue is made of: a session's project, its questions and their ends.
fn matters_while_waiting(event: &SessionEvent) -> bool {
    matches!(
        event.kind,
        SessionEventKind::Started(_) | SessionEventKind::PermissionRequested(_) | SessionEventKind::PermissionResolved(_) | SessionEventKind::AgentExited(_)
    )
}

/// A failed call as the window shows it: a session the host does not run is "not running"
/// (the window offers Resume), the rest the host's or the transport's own words.
fn call_error(label: &str, e: ClientError) -> IpcError {
    match e {
        ClientError::Remote(remote) if remote.kind == warden_remote::ErrorKind::NotFound && remote.message.contains("is not running") => {
            IpcError { code: IpcErrorCode::SessionNotRunning, message: remote.message }
        }
        ClientError::Remote(remote) => IpcError::internal(remote.message),
        other => IpcError::internal(format!("{label}: {other}")),
    }
}

/// Waits for the connection to end, then reconnects with the shared pauses; reports each
/// attempt, and the host gone after the last one (at once when Warden is gone from the host
/// or changed version: trying again cannot help).
async fn supervise(link: Arc<Link>, shared: Arc<Shared>) {
    loop {
        let lost = link.remote.read().await.connection().on_lost();
        let lost = lost.await;
        if link.closed.load(Ordering::SeqCst) {
            return;
        }
        tracing::info!(connection = %link.id, %lost, "a remote connection was lost");
        let mut reason = lost.to_string();
        let max_attempts = u32::try_from(shared.pauses.len()).unwrap_or(u32::MAX);
        let mut back = false;
        for (attempt, pause) in (1..).zip(shared.pauses.iter()) {
            let next_try_ms = warden_engine::now_ms() + u64::try_from(pause.as_millis()).unwrap_or(u64::MAX);
            link.set_state(&shared, RemoteConnectionState::Reconnecting { attempt, max_attempts, next_try_ms, reason: reason.clone() });
            tokio::time::sleep(*pause).await;
            if link.closed.load(Ordering::SeqCst) {
                return;
            }
            let result = link.remote.write().await.reconnect().await;
            match result {
                Ok(()) => {
                    back = true;
                    break;
                }
                Err(e @ (ClientError::Mismatch(_) | ClientError::NotInstalled { .. })) => {
                    link.set_state(&shared, RemoteConnectionState::Gone { reason: e.to_string() });
                    return;
                }
                Err(e) => reason = e.to_string(),
            }
        }
        if !back {
            link.set_state(&shared, RemoteConnectionState::Gone { reason });
            return;
        }
        let host = link.host().await;
        link.set_state(&shared, RemoteConnectionState::Connected(host));
    }
}
