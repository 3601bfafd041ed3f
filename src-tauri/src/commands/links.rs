//! Links in what the agent wrote open in the system browser, never inside the window. This
//! command is the one place a link leaves the window: web links open as they are, mail links
//! with their address only (see `safe`), anything else is refused.

mod safe;

use crate::error::IpcError;
use tauri::{AppHandle, Runtime};
use tauri_plugin_opener::OpenerExt;

pub use safe::openable_link;

/// Opens a web or mail link from the chat in the system's browser or mail program. A mail link
/// opens with its address only: its subject, body, copies and attachments are left out.
#[tauri::command]
#[specta::specta]
pub fn link_open<R: Runtime>(app: AppHandle<R>, url: String) -> Result<(), IpcError> {
    let Some(target) = openable_link(&url) else {
        return Err(IpcError::internal(format!("Warden only opens web links and mail addresses, not '{url}'")));
    };
    app.opener().open_url(target.as_str(), None::<&str>).map_err(|e| IpcError::internal(format!("Could not open {target}: {e}")))
}
