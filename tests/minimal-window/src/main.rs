//! A minimal Tauri 2 app: one window showing one static page (dist/index.html). The baseline
//! `make bench-ui` (tests/e2e/bench-session.mjs) measures Warden against.

fn main() {
    // As Warden does (src-tauri/src/webview_mode.rs): WebKitGTK draws without its compositing
    // mode unless WEBKIT_DISABLE_COMPOSITING_MODE says otherwise, so both windows are measured
    // drawing the same way.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
    if let Err(e) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("minimal-window: {e}");
        std::process::exit(1);
    }
}
