//! Getting the person's attention when a task waits for them, as for permission questions: when
//! the gate blocks and feedback waits for their decision, or a task runs out of rounds, while
//! the window is not in front, a desktop notification says so. Clicking it brings the window
//! forward on that session (the notification plugin reports the click; `attention` keeps
//! which session each notification was about) — a host's session in its remote project.

use crate::state::AppState;
use tauri::{AppHandle, Manager, Runtime};
use warden_core::session::{SessionEvent, SessionEventKind, TaskOutcome};

/// What a task event asks of the person, if anything: the notification's title and body.
pub fn needs_person(event: &SessionEvent) -> Option<(&'static str, String)> {
    match &event.kind {
        SessionEventKind::FeedbackProposed(p) => Some(("a task needs you", format!("Checks failed in round {}: review the feedback for the agent.", p.round))),
        SessionEventKind::TaskFinished(f) if f.outcome == TaskOutcome::Exhausted => {
            Some(("a task is exhausted", format!("The checks still fail after {} rounds: no more automatic rounds.", f.rounds)))
        }
        _ => None,
    }
}

/// Notifies of tasks that wait for the person while the window is not in front.
pub fn install<R: Runtime>(app: &AppHandle<R>) {
    let handle = app.clone();
    app.state::<AppState>().channels.observe(Box::new(move |event| {
        let Some((what, body)) = needs_person(event) else { return };
        if crate::attention::window_focused(&handle) {
            return;
        }
        let state = handle.state::<AppState>();
        let local = state.engine.store().session(&event.session_id).ok().flatten().map(|r| r.project);
        let remote = match local {
            Some(_) => None,
            None => crate::attention::remote_connection(&handle, &event.session_id).map(|c| (c, state.channels.project_of(&event.session_id))),
        };
        let Some(target) = target_of(&event.session_id, local, remote) else {
            // A session the window cannot place cannot be shown by a click: the notification
            // would only bring the window forward, on whatever it shows.
            tracing::warn!(session = %event.session_id, "no notification for a task of an unknown session");
            return;
        };
        let project = warden_core::project_name(std::path::Path::new(&target.project));
        crate::attention::notify_about(&handle, target, format!("{project}: {what}"), body);
    }));
}

/// What a click on a task's notification shows: a session of this machine's store in its
/// folder; a host's session (its connection, and its folder from its `started` event) in its
/// remote project; `None` for a session the window cannot place.
fn target_of(
    session: &warden_core::session::SessionId,
    local_folder: Option<String>,
    remote: Option<(crate::remote_window::types::RemoteConnectionId, Option<String>)>,
) -> Option<crate::attention::Target> {
    let (project, connection) = match (local_folder, remote) {
        (Some(folder), _) => (folder, None),
        (None, Some((connection, Some(folder)))) => (folder, Some(connection)),
        _ => return None,
    };
    Some(crate::attention::Target { session_id: session.clone(), project, connection })
}

#[cfg(test)]
mod tests {
    use super::*;
    use warden_core::session::{FeedbackProposed, SessionId, TaskFinished, TaskId};

    fn event(kind: SessionEventKind) -> SessionEvent {
        SessionEvent { session_id: SessionId::from("s1"), seq: 1, at_ms: 0, kind }
    }

    #[test]
    fn proposed_feedback_and_an_exhausted_task_notify_and_nothing_else_does() {
        let proposed = event(SessionEventKind::FeedbackProposed(FeedbackProposed { task: TaskId(1), round: 2, text: "fix".into(), findings: vec![] }));
        assert_eq!(needs_person(&proposed).map(|n| n.0), Some("a task needs you"));
        let exhausted = event(SessionEventKind::TaskFinished(TaskFinished { task: TaskId(1), outcome: TaskOutcome::Exhausted, rounds: 3 }));
        assert!(needs_person(&exhausted).is_some_and(|(_, body)| body.contains("3 rounds")));
        let passed = event(SessionEventKind::TaskFinished(TaskFinished { task: TaskId(1), outcome: TaskOutcome::Passed, rounds: 1 }));
        assert_eq!(needs_person(&passed), None);
    }

    #[test]
    fn a_hosts_task_is_notified_with_its_connection_and_an_unplaced_one_not_at_all() {
        use crate::remote_window::types::RemoteConnectionId;
        let id = SessionId::from("s1");
        let local = target_of(&id, Some("/p/app".into()), None).expect("a local session");
        assert_eq!((local.project.as_str(), local.connection), ("/p/app", None));
        let r1 = RemoteConnectionId("r1".into());
        let remote = target_of(&id, None, Some((r1.clone(), Some("/srv/app".into())))).expect("a host's session");
        assert_eq!((remote.project.as_str(), remote.connection), ("/srv/app", Some(r1.clone())));
        assert_eq!(target_of(&id, None, Some((r1, None))), None, "a host's session of unknown folder");
        assert_eq!(target_of(&id, None, None), None);
    }
}
