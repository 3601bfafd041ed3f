//! Getting the person's attention when a task waits for them, as for permission questions: when
//! the gate blocks and feedback waits for their decision, or a task runs out of rounds, while
//! the window is not in front, a desktop notification says so (clicking it brings the window
//! forward, see `attention`).

use crate::state::AppState;
use tauri::{AppHandle, Manager, Runtime};
use warden_core::session::{SessionEvent, SessionEventKind, TaskOutcome};

/// Notification ids of tasks start here, apart from the permission questions' (counted from 1),
/// so a click on one is never taken for a question.
const FIRST_ID: i32 = 1 << 24;

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
    let next = std::sync::atomic::AtomicI32::new(FIRST_ID);
    app.state::<AppState>().channels.observe(Box::new(move |event| {
        let Some((what, body)) = needs_person(event) else { return };
        if crate::attention::window_focused(&handle) {
            return;
        }
        let project = handle
            .state::<AppState>()
            .engine
            .store()
            .session(&event.session_id)
            .ok()
            .flatten()
            .map(|r| warden_core::project_name(std::path::Path::new(&r.project)))
            .unwrap_or_else(|| "Warden".to_owned());
        let id = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        crate::attention::show(&handle, id, format!("{project}: {what}"), body);
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
