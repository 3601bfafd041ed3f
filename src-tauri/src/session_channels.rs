//! The window's live view of sessions: each session's events go, after they are stored, to every
//! IPC channel the window opened for that session with `session_subscribe`. Every event is
//! also folded into core's [`WaitingList`], so the window hears about a permission question even
//! from a session it shows in no tab.

use std::collections::HashMap;
use std::sync::Mutex;
use tauri::ipc::Channel;
use warden_core::session::{SessionEvent, SessionId, WaitingList, WaitingRequest};
use warden_engine::EventSink;

/// Called with every waiting question whenever that list changes.
pub type WaitingListener = Box<dyn Fn(Vec<WaitingRequest>) + Send + Sync>;

/// Called with every live event of every session, after it is stored (desktop notifications).
pub type EventObserver = Box<dyn Fn(&SessionEvent) + Send + Sync>;

/// Per-session IPC channels; the engine's sink for sessions the window starts or resumes.
#[derive(Default)]
pub struct SessionChannels {
    channels: Mutex<HashMap<SessionId, Vec<Channel<SessionEvent>>>>,
    waiting: Mutex<WaitingList>,
    listener: Mutex<Option<WaitingListener>>,
    observers: Mutex<Vec<EventObserver>>,
}

impl SessionChannels {
    /// Every question waiting for an answer, oldest first.
    pub fn waiting(&self) -> Vec<WaitingRequest> {
        self.waiting.lock().unwrap_or_else(|p| p.into_inner()).waiting().to_vec()
    }

    /// A followed session's project folder (from its `started` event): how the window names a
    /// host's session, which this machine's store does not know.
    pub fn project_of(&self, session: &SessionId) -> Option<String> {
        self.waiting.lock().unwrap_or_else(|p| p.into_inner()).project(session).map(str::to_owned)
    }

    /// Sets who hears about changes of the waiting list (the window's typed event).
    pub fn on_waiting(&self, listener: WaitingListener) {
        *self.listener.lock().unwrap_or_else(|p| p.into_inner()) = Some(listener);
    }

    /// Adds an observer of every live event (a task that needs the person notifies).
    pub fn observe(&self, observer: EventObserver) {
        self.observers.lock().unwrap_or_else(|p| p.into_inner()).push(observer);
    }

    /// Adds a channel that receives the session's events from now on.
    pub fn subscribe(&self, session: SessionId, channel: Channel<SessionEvent>) {
        self.lock().entry(session).or_default().push(channel);
    }

    /// Forgets `sessions`' questions (their front end stopped following them: a remote project
    /// closed in the window; the questions go on waiting where the session runs). The window
    /// hears the new list when it changed.
    pub fn forget_questions(&self, sessions: &[SessionId]) {
        let changed = {
            let mut waiting = self.waiting.lock().unwrap_or_else(|p| p.into_inner());
            let mut changed = false;
            for session in sessions {
                changed |= waiting.forget(session);
            }
            changed.then(|| waiting.waiting().to_vec())
        };
        if let (Some(waiting), Some(listener)) = (changed, &*self.listener.lock().unwrap_or_else(|p| p.into_inner())) {
            listener(waiting);
        }
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
            let mut waiting = self.waiting.lock().unwrap_or_else(|p| p.into_inner());
            waiting.apply(event).then(|| waiting.waiting().to_vec())
        };
        if let (Some(waiting), Some(listener)) = (changed, &*self.listener.lock().unwrap_or_else(|p| p.into_inner())) {
            listener(waiting);
        }
        for observer in self.observers.lock().unwrap_or_else(|p| p.into_inner()).iter() {
            observer(event);
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

    #[test]
    fn the_waiting_list_follows_questions_across_sessions_and_empties_when_an_agent_exits() {
        use warden_core::session::*;
        let channels = SessionChannels::default();
        let heard: Arc<StdMutex<Vec<usize>>> = Arc::default();
        let log = heard.clone();
        channels.on_waiting(Box::new(move |waiting| log.lock().unwrap().push(waiting.len())));
        let started = |cwd: &str| {
            SessionEventKind::Started(SessionStarted {
                agent: AgentKind::Claude,
                cwd: cwd.into(),
                program: "claude".into(),
                pid: None,
                version: None,
                model: None,
                permission_mode: PermissionMode::Default,
                resumed: false,
            })
        };
        let ask = |id: &str| {
            SessionEventKind::PermissionRequested(PermissionRequest {
                request_id: PermissionRequestId(id.into()),
                tool_call_id: None,
                tool_name: "Bash".into(),
                title: "Run it".into(),
                input: warden_core::session::ToolInput::from_claude("Bash", &serde_json::json!({"command": "ls"})),
                raw_input: serde_json::json!({"command": "ls"}),
                blocked_path: None,
                reason: None,
                raw_suggestions: None,
                subject: "ls".into(),
                outside_project: Vec::new(),
                protected_paths: Vec::new(),
                suggested_rules: Vec::new(),
                plan: None,
                offered: None,
            })
        };
        let event = |id: &str, kind| SessionEvent { session_id: SessionId(id.into()), seq: 1, at_ms: 5, kind };
        channels.send(&event("a", started("/p/a")));
        channels.send(&event("b", started("/p/b")));
        channels.send(&event("a", ask("q1")));
        channels.send(&event("b", ask("q2")));
        let waiting = channels.waiting();
        assert_eq!(waiting.iter().map(|w| w.project.as_str()).collect::<Vec<_>>(), ["/p/a", "/p/b"], "oldest first, with projects");
        let answered = PermissionResolution::new(PermissionRequestId("q1".into()), PermissionDecision::AllowOnce, DecisionSource::User);
        channels.send(&event("a", SessionEventKind::PermissionResolved(answered)));
        let exited = AgentExited { code: Some(0), signal: None, expected: true, stderr_tail: String::new() };
        channels.send(&event("b", SessionEventKind::AgentExited(exited)));
        assert!(channels.waiting().is_empty());
        assert_eq!(*heard.lock().unwrap(), [1, 2, 1, 0], "the window hears every change, and only changes");
    }
}
