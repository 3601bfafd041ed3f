//! How the window's web view draws on Linux.
//!
//! WebKitGTK composites every frame of the page on the GPU when it can, and in OpenGL drawn by
//! the processor when there is no GPU (a virtual display, a remote desktop, many VMs). There
//! every change, down to the text caret blinking twice a second in the prompt box, recomposited
//! the whole window: 3.6 % of a core in a minimal Tauri window with a focused text box, 4–6 % in
//! Warden, and ~50 MB more memory than drawing without compositing (`make bench-ui`). Warden's
//! pages are text and lists, which WebKit draws just as well without it, redrawing only what
//! changed (the caret: 0.9 %).

/// Turns WebKitGTK's compositing mode off for this process and the web processes it starts,
/// unless `WEBKIT_DISABLE_COMPOSITING_MODE` is already set (`=0` keeps compositing on, e.g. on a
/// machine where its GPU makes scrolling smoother). Call it before the window is created, while
/// no other thread reads the environment.
pub fn prefer_drawing_without_compositing() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
}
