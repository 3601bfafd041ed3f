//! Getting the person's attention when a task waits for them, as for permission questions: when
//! the gate blocks and feedback waits for their decision, or a task runs out of rounds, while
//! the window is not in front, a desktop notification says so. Clicking it brings the window
//! forward on that session (the notification plugin reports the click; `attention` keeps
//! which session each notification was about).

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
        let Some(folder) = handle.state::<AppState>().engine.store().session(&event.session_id).ok().flatten().map(|r| r.project) else {
            // A session the store does not know cannot be shown by a click: the notification
            // would only bring the window forward, on whatever it shows.
            tracing::warn!(session = %event.session_id, "no notification for a task of an unknown session");
            return;
        };
        let project = warden_core::project_name(std::path::Path::new(&folder));
        let target = crate::attention::Target { session_id: event.session_id.clone(), project: folder };
        crate::attention::notify_about(&handle, target, format!("{project}: {what}"), body);
    }));
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
}
