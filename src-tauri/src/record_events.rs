//! Telling the window that a session's record probably changed, for every session of this
//! window and not only those a tab follows: a best-of group's members run in the background
//! while the compare view is in front, and the session list (with each worktree's state) must
//! still show where they stand. The window re-reads; the event carries no state of its own.

use crate::events::SessionRecordChanged;
use crate::state::AppState;
use tauri::{AppHandle, Manager, Runtime};
use tauri_specta::Event;
use warden_core::session::{SessionEvent, SessionEventKind};

/// Whether `event` changes what a list of sessions shows: status, title, turns, cost — or the
/// files of a worktree session outside any turn (its state in the list).
pub fn changes_record(event: &SessionEvent) -> bool {
    match &event.kind {
        SessionEventKind::Status(_) | SessionEventKind::UserMessage(_) | SessionEventKind::TurnEnded(_) | SessionEventKind::AgentExited(_) => true,
        SessionEventKind::FileChanges(changes) => changes.outside_turn,
        _ => false,
    }
}

/// Sends [`SessionRecordChanged`] for each such event of any session.
pub fn install<R: Runtime>(app: &AppHandle<R>) {
    let handle = app.clone();
    app.state::<AppState>().channels.observe(Box::new(move |event| {
        if changes_record(event) {
            let _ = SessionRecordChanged { session_id: event.session_id.clone() }.emit(&handle);
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use warden_core::session::{FileChanges, NoticeLevel, SessionId, SessionNotice, SessionStatus, TurnId};

    fn event(kind: SessionEventKind) -> SessionEvent {
        SessionEvent { session_id: SessionId("s".into()), seq: 1, at_ms: 1, kind }
    }

    #[test]
    fn status_and_outside_edits_count_and_other_events_do_not() {
        assert!(changes_record(&event(SessionEventKind::Status(SessionStatus::Ready))));
        assert!(!changes_record(&event(SessionEventKind::Notice(SessionNotice { level: NoticeLevel::Info, text: "x".into() }))));
        let changes = |outside_turn| FileChanges { turn: TurnId(0), tool_call_id: None, ops: Vec::new(), outside_turn };
        assert!(changes_record(&event(SessionEventKind::FileChanges(changes(true)))), "an edit outside any turn changes a worktree's state");
        assert!(!changes_record(&event(SessionEventKind::FileChanges(changes(false)))), "the turn's own edits show at its end");
    }
}
