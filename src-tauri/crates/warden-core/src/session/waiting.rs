//! The permission questions waiting for the person across sessions, derived from the sessions'
//! events: a question joins the list when it is asked and leaves when it is answered or its
//! agent exits. The window folds every event of its sessions in to notify and mark sessions;
//! anything else that follows session events (a headless run) can fold them the same way.

use super::{PermissionRequest, SessionEvent, SessionEventKind, SessionId};
use serde::{Deserialize, Serialize};
use specta::Type;
use std::collections::HashMap;

/// A permission question waiting for the person, wherever it was asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct WaitingRequest {
    /// The session that asks.
    pub session_id: SessionId,
    /// Its project folder.
    pub project: String,
    /// The question.
    pub request: PermissionRequest,
    /// When it was asked (Unix milliseconds).
    pub at_ms: u64,
}

/// The questions waiting across sessions, oldest first, and each session's project (from its
/// `started` event, which comes before any question).
#[derive(Debug, Clone, Default)]
pub struct WaitingList {
    waiting: Vec<WaitingRequest>,
    projects: HashMap<SessionId, String>,
}

impl WaitingList {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every question waiting, oldest first.
    pub fn waiting(&self) -> &[WaitingRequest] {
        &self.waiting
    }

    /// Folds one event in; whether the list changed.
    pub fn apply(&mut self, event: &SessionEvent) -> bool {
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
                self.remove(|w| w.session_id == event.session_id && w.request.request_id == resolved.request_id)
            }
            // An agent that is gone asks nothing any more (its questions were cancelled first).
            SessionEventKind::AgentExited(_) => self.remove(|w| w.session_id == event.session_id),
            _ => false,
        }
    }

    /// `session`'s project folder, from its `started` event, while it is known.
    pub fn project(&self, session: &SessionId) -> Option<&str> {
        self.projects.get(session).map(String::as_str)
    }

    /// Forgets `session`: its questions leave the list and its project is dropped. For a
    /// front end that stops following a session while it may still be asking (a remote
    /// project closed in the window: the questions wait on their host, not here); whether
    /// questions left.
    pub fn forget(&mut self, session: &SessionId) -> bool {
        self.projects.remove(session);
        self.remove(|w| &w.session_id == session)
    }

    /// Drops the questions `gone` picks; whether there were any.
    fn remove(&mut self, gone: impl Fn(&WaitingRequest) -> bool) -> bool {
        let before = self.waiting.len();
        self.waiting.retain(|w| !gone(w));
        before != self.waiting.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::*;

    fn started(cwd: &str) -> SessionEventKind {
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
    }

    fn ask(id: &str) -> SessionEventKind {
        let request: PermissionRequest = serde_json::from_value(serde_json::json!({
            "requestId": id, "toolCallId": null, "toolName": "Bash", "title": "Run it",
            "rawInput": {"command": "ls"}, "subject": "ls",
        }))
        .expect("a minimal question");
        SessionEventKind::PermissionRequested(request)
    }

    fn event(id: &str, at_ms: u64, kind: SessionEventKind) -> SessionEvent {
        SessionEvent { session_id: SessionId(id.into()), seq: 1, at_ms, kind }
    }

    #[test]
    fn questions_join_with_their_project_and_leave_when_answered_or_the_agent_exits() {
        let mut list = WaitingList::new();
        assert!(!list.apply(&event("a", 1, started("/p/a"))), "a start is no question");
        assert!(!list.apply(&event("b", 2, started("/p/b"))));
        assert!(list.apply(&event("a", 3, ask("q1"))));
        assert!(list.apply(&event("b", 4, ask("q2"))));
        assert!(list.apply(&event("b", 5, ask("q3"))));
        let projects: Vec<(&str, u64)> = list.waiting().iter().map(|w| (w.project.as_str(), w.at_ms)).collect();
        assert_eq!(projects, [("/p/a", 3), ("/p/b", 4), ("/p/b", 5)], "oldest first, with projects");

        let answer = |id: &str| {
            let resolution = PermissionResolution::new(PermissionRequestId(id.into()), PermissionDecision::AllowOnce, DecisionSource::User);
            SessionEventKind::PermissionResolved(resolution)
        };
        assert!(!list.apply(&event("b", 6, answer("q1"))), "an answer in another session removes nothing");
        assert!(list.apply(&event("a", 6, answer("q1"))));
        let exited = AgentExited { code: Some(0), signal: None, expected: true, stderr_tail: String::new() };
        assert!(list.apply(&event("b", 7, SessionEventKind::AgentExited(exited.clone()))), "both of b's questions go");
        assert!(list.waiting().is_empty());
        assert!(!list.apply(&event("b", 8, SessionEventKind::AgentExited(exited))), "nothing left to drop");
    }

    #[test]
    fn a_forgotten_session_leaves_with_its_questions_and_its_project() {
        let mut list = WaitingList::new();
        list.apply(&event("a", 1, started("/p/a")));
        list.apply(&event("b", 2, started("/p/b")));
        list.apply(&event("a", 3, ask("q1")));
        list.apply(&event("b", 4, ask("q2")));
        assert_eq!(list.project(&SessionId("a".into())), Some("/p/a"));
        assert!(list.forget(&SessionId("a".into())));
        assert_eq!(list.project(&SessionId("a".into())), None);
        assert_eq!(list.waiting().iter().map(|w| w.request.request_id.0.as_str()).collect::<Vec<_>>(), ["q2"]);
        assert!(!list.forget(&SessionId("a".into())), "nothing left of it");
        // Asked again later (followed anew) without a new start: its old project is not reused.
        list.apply(&event("a", 5, ask("q1")));
        assert_eq!(list.waiting()[1].project, "");
    }

    #[test]
    fn a_question_of_a_session_never_seen_starting_has_no_project() {
        let mut list = WaitingList::new();
        list.apply(&event("x", 1, ask("q")));
        assert_eq!(list.waiting()[0].project, "");
    }
}
