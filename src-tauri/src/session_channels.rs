//! The window's live view of sessions: each session's events go, after they are stored, to every
//! IPC channel the window opened for that session with `session_subscribe`. Permission
//! questions are also tracked across all sessions, so the window hears about one even from a
//! session it shows in no tab.

use crate::events::WaitingRequest;
use std::collections::HashMap;
use std::sync::Mutex;
use tauri::ipc::Channel;
use warden_core::session::{SessionEvent, SessionEventKind, SessionId};
use warden_engine::EventSink;

/// Called with every waiting question whenever that list changes.
pub type WaitingListener = Box<dyn Fn(Vec<WaitingRequest>) + Send + Sync>;

/// Per-session IPC channels; the engine's sink for sessions the window starts or resumes.
#[derive(Default)]
pub struct SessionChannels {
    channels: Mutex<HashMap<SessionId, Vec<Channel<SessionEvent>>>>,
    attention: Mutex<Attention>,
    listener: Mutex<Option<WaitingListener>>,
}

/// The questions waiting across sessions, and each session's project (from its `started`).
#[derive(Default)]
struct Attention {
    waiting: Vec<WaitingRequest>,
    projects: HashMap<SessionId, String>,
}

impl Attention {
    /// Folds one event in; whether the waiting list changed.
    fn apply(&mut self, event: &SessionEvent) -> bool {
        match &event.kind {
            SessionEventKind::Started(started) => {
                self.projects.insert(event.session_id.clone(), started.cwd.clone());
                false
            }
            SessionEventKind::PermissionRequested(request) => {
                self.waiting.push(WaitingRequest {
                    session_id: event.session_id.clone(),
                    project: self.projects.get(&event.session_id).cloned().unwrap_or_default(),
                    request: request.clone(),
                    at_ms: event.at_ms,
                });
                true
            }
            SessionEventKind::PermissionResolved(resolved) => {
                let before = self.waiting.len();
                self.waiting.retain(|w| !(w.session_id == event.session_id && w.request.request_id == resolved.request_id));
                before != self.waiting.len()
            }
            // An agent that is gone asks nothing any more (its questions were cancelled first).
            SessionEventKind::AgentExited(_) => {
                let before = self.waiting.len();
                self.waiting.retain(|w| w.session_id != event.session_id);
                before != self.waiting.len()
            }
            _ => false,
        }
    }
}

impl SessionChannels {
    /// Every question waiting for an answer, oldest first.
    pub fn waiting(&self) -> Vec<WaitingRequest> {
        self.attention.lock().unwrap_or_else(|p| p.into_inner()).waiting.clone()
    }

    /// Sets who hears about changes of the waiting list (the window's typed event).
    pub fn on_waiting(&self, listener: WaitingListener) {
        *self.listener.lock().unwrap_or_else(|p| p.into_inner()) = Some(listener);
    }

    /// Adds a channel that receives the session's events from now on.
    pub fn subscribe(&self, session: SessionId, channel: Channel<SessionEvent>) {
        self.lock().entry(session).or_default().push(channel);
    }

    /// Removes the channel with this id from the session's subscribers.
    pub fn unsubscribe(&self, session: &SessionId, channel_id: u32) {
        let mut channels = self.lock();
        if let Some(list) = channels.get_mut(session) {
            list.retain(|channel| channel.id() != channel_id);
            if list.is_empty() {
                channels.remove(session);
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SessionId, Vec<Channel<SessionEvent>>>> {
        self.channels.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl EventSink for SessionChannels {
    fn send(&self, event: &SessionEvent) {
        {
            let mut channels = self.lock();
            if let Some(list) = channels.get_mut(&event.session_id) {
                // A channel whose page went away fails to send; it is dropped, not retried.
                list.retain(|channel| channel.send(event.clone()).is_ok());
            }
        }
        let changed = {
            let mut attention = self.attention.lock().unwrap_or_else(|p| p.into_inner());
            attention.apply(event).then(|| attention.waiting.clone())
        };
        if let (Some(waiting), Some(listener)) = (changed, &*self.listener.lock().unwrap_or_else(|p| p.into_inner())) {
            listener(waiting);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex as StdMutex};
    use warden_core::session::{SessionEventKind, SessionStatus};

    #[test]
    fn events_reach_the_channels_of_their_session_only() {
        let channels = SessionChannels::default();
        let got: Arc<StdMutex<Vec<String>>> = Arc::default();
        let sink = got.clone();
        let channel = Channel::new(move |body| {
            if let tauri::ipc::InvokeResponseBody::Json(json) = body {
                sink.lock().unwrap().push(json);
            }
            Ok(())
        });
        channels.subscribe(SessionId("a".into()), channel);
        let event = |id: &str, seq| SessionEvent {
            session_id: SessionId(id.into()),
            seq,
            at_ms: 0,
            kind: SessionEventKind::Status(SessionStatus::Ready),
        };
        channels.send(&event("a", 1));
        channels.send(&event("b", 1));
        channels.send(&event("a", 2));
        {
            let got = got.lock().unwrap();
            assert_eq!(got.len(), 2, "{got:?}");
            assert!(got[1].contains("\"seq\":2"));
        }
        let id = channels.lock()[&SessionId("a".into())][0].id();
        channels.unsubscribe(&SessionId("a".into()), id);
        channels.send(&event("a", 3));
        assert_eq!(got.lock().unwrap().len(), 2, "an unsubscribed channel gets nothing more");
        assert!(channels.lock().is_empty(), "nothing is kept for a session without subscribers");
    }
}
