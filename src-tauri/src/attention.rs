//! Getting the person's attention when an agent waits for them: the window hears of every
//! waiting question (typed event), and a question that arrives while the window is not in
//! front raises a desktop notification; clicking it brings the window and that session's
//! question to the front. Task notifications (`task_attention`) go through the same registry,
//! so clicking one shows its session too.

use crate::events::{PermissionFocus, PermissionsWaiting, WaitingRequest};
use crate::state::AppState;
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;
use tauri_specta::Event;
use warden_core::session::{PermissionRequestId, SessionId};

/// The window's label (tauri.conf.json).
const MAIN_WINDOW: &str = "main";

/// The session a notification is about: what a click on it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    /// The session.
    pub session_id: SessionId,
    /// Its project folder.
    pub project: String,
    /// The remote connection of a host's session (as the window knew it when notifying).
    pub connection: Option<crate::remote_window::types::RemoteConnectionId>,
}

/// Which notification was about which session, so a click finds it, and which questions were
/// already notified. One for every kind of notification, so their ids never collide.
#[derive(Default)]
pub(crate) struct Notices {
    seen: Mutex<HashSet<PermissionRequestId>>,
    by_id: Mutex<HashMap<i32, Target>>,
}

impl Notices {
    /// Remembers a notification about `target`; returns its id.
    pub(crate) fn remember(&self, target: Target) -> i32 {
        let mut by_id = self.by_id.lock().unwrap_or_else(|p| p.into_inner());
        let id = i32::try_from(by_id.len()).map_or(i32::MAX, |n| n.saturating_add(1));
        by_id.insert(id, target);
        id
    }

    /// The session notification `id` was about.
    pub(crate) fn target(&self, id: i32) -> Option<Target> {
        self.by_id.lock().unwrap_or_else(|p| p.into_inner()).get(&id).cloned()
    }
}

/// Connects the session sink's waiting list to the window and to desktop notifications.
pub fn install<R: Runtime>(app: &AppHandle<R>) {
    app.manage(Notices::default());
    let handle = app.clone();
    app.state::<AppState>().channels.on_waiting(Box::new(move |waiting| {
        let _ = PermissionsWaiting(waiting.clone()).emit(&handle);
        let fresh: Vec<WaitingRequest> = {
            let notices = handle.state::<Notices>();
            let mut seen = notices.seen.lock().unwrap_or_else(|p| p.into_inner());
            let current: HashSet<_> = waiting.iter().map(|w| w.request.request_id.clone()).collect();
            seen.retain(|id| current.contains(id));
            waiting.into_iter().filter(|w| seen.insert(w.request.request_id.clone())).collect()
        };
        if window_focused(&handle) {
            return;
        }
        for request in fresh {
            notify(&handle, request);
        }
    }));
    let handle = app.clone();
    let _ = app.notification().on_action(move |action| {
        if action.action_id() != "tap" {
            return;
        }
        let id = action.notification().map(|n| n.id());
        let target = id.and_then(|id| handle.state::<Notices>().target(id));
        if let Some(window) = handle.get_webview_window(MAIN_WINDOW) {
            let _ = window.unminimize();
            let _ = window.show();
            let _ = window.set_focus();
        }
        if let Some(target) = target {
            let _ = PermissionFocus { session_id: target.session_id, project: target.project, connection: target.connection }.emit(&handle);
        }
    });
}

fn notify<R: Runtime>(app: &AppHandle<R>, request: WaitingRequest) {
    let target = Target { session_id: request.session_id.clone(), project: request.project.clone(), connection: remote_connection(app, &request.session_id) };
    let project = warden_core::project_name(std::path::Path::new(&request.project));
    let body = match request.request.subject.as_str() {
        "" => request.request.title.clone(),
        subject => format!("{}\n{subject}", request.request.title),
    };
    notify_about(app, target, format!("{project}: {} needs your permission", request.request.tool_name), body);
}

/// The remote connection `session` is reached through, when it is a host's session: a click on
/// its notification must bring that remote project forward, not open its host's folder here.
pub(crate) fn remote_connection<R: Runtime>(app: &AppHandle<R>, session: &SessionId) -> Option<crate::remote_window::types::RemoteConnectionId> {
    app.try_state::<crate::remote_window::RemoteWindow>().and_then(|remote| remote.connection_of(session))
}

/// Shows a desktop notification about a session; clicking it brings the window forward on that
/// session (see [`install`]).
pub(crate) fn notify_about<R: Runtime>(app: &AppHandle<R>, target: Target, title: String, body: String) {
    let id = app.state::<Notices>().remember(target);
    show(app, id, title, body);
}

/// Whether the window is in front (then it shows what waits itself, and nothing is notified).
pub(crate) fn window_focused<R: Runtime>(app: &AppHandle<R>) -> bool {
    app.get_webview_window(MAIN_WINDOW).and_then(|w| w.is_focused().ok()).unwrap_or(false)
}

/// Shows desktop notification `id` and asks the window manager to mark the window.
fn show<R: Runtime>(app: &AppHandle<R>, id: i32, title: String, body: String) {
    if let Err(e) = app.notification().builder().id(id).title(title).body(body).show() {
        tracing::warn!("could not show a desktop notification: {e}");
    }
    if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
        let _ = window.request_user_attention(Some(tauri::UserAttentionType::Informational));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(session: &str) -> Target {
        Target { session_id: SessionId::from(session), project: format!("/p/{session}"), connection: None }
    }

    #[test]
    fn every_notification_gets_its_own_id_and_a_click_finds_its_session() {
        let notices = Notices::default();
        let question = notices.remember(target("s1"));
        let task = notices.remember(target("s2"));
        let remote = Target { connection: Some(crate::remote_window::types::RemoteConnectionId("r1".into())), ..target("h1") };
        let on_host = notices.remember(remote.clone());
        assert_ne!(question, task);
        assert_eq!(notices.target(question), Some(target("s1")));
        assert_eq!(notices.target(task), Some(target("s2")));
        assert_eq!(notices.target(on_host), Some(remote), "a host's session keeps its connection for the click");
        assert_eq!(notices.target(on_host + 1), None, "an id never shown finds nothing");
    }
}
