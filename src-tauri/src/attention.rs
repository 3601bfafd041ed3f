//! Getting the person's attention when an agent waits for them: the window hears of every
//! waiting question (typed event), and a question that arrives while the window is not in
//! front raises a desktop notification; clicking it brings the window and that session's
//! question to the front.

use crate::events::{PermissionFocus, PermissionsWaiting, WaitingRequest};
use crate::state::AppState;
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;
use tauri_specta::Event;
use warden_core::session::PermissionRequestId;

/// The window's label (tauri.conf.json).
const MAIN_WINDOW: &str = "main";

/// Which notification was about which question, so a click finds it.
#[derive(Default)]
struct Shown {
    seen: HashSet<PermissionRequestId>,
    by_id: HashMap<i32, WaitingRequest>,
    next_id: i32,
}

/// Connects the session sink's waiting list to the window and to desktop notifications.
pub fn install<R: Runtime>(app: &AppHandle<R>) {
    let shown: std::sync::Arc<Mutex<Shown>> = std::sync::Arc::default();
    let handle = app.clone();
    let notes = shown.clone();
    app.state::<AppState>().channels.on_waiting(Box::new(move |waiting| {
        let _ = PermissionsWaiting(waiting.clone()).emit(&handle);
        let fresh: Vec<WaitingRequest> = {
            let mut shown = notes.lock().unwrap_or_else(|p| p.into_inner());
            let current: HashSet<_> = waiting.iter().map(|w| w.request.request_id.clone()).collect();
            shown.seen.retain(|id| current.contains(id));
            waiting.into_iter().filter(|w| shown.seen.insert(w.request.request_id.clone())).collect()
        };
        if window_focused(&handle) {
            return;
        }
        for request in fresh {
            notify(&handle, &notes, request);
        }
    }));
    let handle = app.clone();
    let _ = app.notification().on_action(move |action| {
        if action.action_id() != "tap" {
            return;
        }
        let id = action.notification().map(|n| n.id());
        let target = id.and_then(|id| shown.lock().unwrap_or_else(|p| p.into_inner()).by_id.get(&id).cloned());
        if let Some(window) = handle.get_webview_window(MAIN_WINDOW) {
            let _ = window.unminimize();
            let _ = window.show();
            let _ = window.set_focus();
        }
        if let Some(target) = target {
            let _ = PermissionFocus { session_id: target.session_id, project: target.project }.emit(&handle);
        }
    });
}

fn notify<R: Runtime>(app: &AppHandle<R>, shown: &Mutex<Shown>, request: WaitingRequest) {
    let id = {
        let mut shown = shown.lock().unwrap_or_else(|p| p.into_inner());
        shown.next_id += 1;
        let id = shown.next_id;
        shown.by_id.insert(id, request.clone());
        id
    };
    let project = warden_core::project_name(std::path::Path::new(&request.project));
    let body = match request.request.subject.as_str() {
        "" => request.request.title.clone(),
        subject => format!("{}\n{subject}", request.request.title),
    };
    show(app, id, format!("{project}: {} needs your permission", request.request.tool_name), body);
}

/// Whether the window is in front (then it shows what waits itself, and nothing is notified).
pub(crate) fn window_focused<R: Runtime>(app: &AppHandle<R>) -> bool {
    app.get_webview_window(MAIN_WINDOW).and_then(|w| w.is_focused().ok()).unwrap_or(false)
}

/// Shows desktop notification `id` and asks the window manager to mark the window; clicking
/// the notification brings the window forward (see [`install`]).
pub(crate) fn show<R: Runtime>(app: &AppHandle<R>, id: i32, title: String, body: String) {
    if let Err(e) = app.notification().builder().id(id).title(title).body(body).show() {
        tracing::warn!("could not show a desktop notification: {e}");
    }
    if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
        let _ = window.request_user_attention(Some(tauri::UserAttentionType::Informational));
    }
}
