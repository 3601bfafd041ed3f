//! Links in what the agent wrote open in the system browser, never inside the window.

use crate::error::IpcError;
use tauri::{AppHandle, Runtime};
use tauri_plugin_opener::OpenerExt;

/// The schemes a link in the chat may use. Anything else (`file:`, `javascript:`, custom
/// handlers) could run or reveal something on the machine, so it is refused.
const SAFE_SCHEMES: [&str; 3] = ["https://", "http://", "mailto:"];

/// Whether `url` is a web or mail link the system browser may be given.
pub fn is_safe_link(url: &str) -> bool {
    let url = url.trim();
    url.len() <= 8192
        && !url.chars().any(char::is_control)
        && SAFE_SCHEMES.iter().any(|scheme| url.get(..scheme.len()).is_some_and(|s| s.eq_ignore_ascii_case(scheme)))
}

/// Opens a web or mail link from the chat in the system's browser or mail program.
#[tauri::command]
#[specta::specta]
pub fn link_open<R: Runtime>(app: AppHandle<R>, url: String) -> Result<(), IpcError> {
    if !is_safe_link(&url) {
        return Err(IpcError::internal(format!("Warden only opens web and mail links, not '{url}'")));
    }
    app.opener().open_url(url.trim(), None::<&str>).map_err(|e| IpcError::internal(format!("Could not open {url}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::is_safe_link;

    #[test]
    fn only_web_and_mail_links_open() {
        for ok in ["https://docs.rs/tokio", "HTTP://example.com", "mailto:dev@example.com", " https://x.y "] {
            assert!(is_safe_link(ok), "{ok}");
        }
        for bad in ["file:///etc/passwd", "javascript:alert(1)", "vscode://open", "/etc/passwd", "https://a\nb", "", "ht"] {
            assert!(!is_safe_link(bad), "{bad}");
        }
    }
}
