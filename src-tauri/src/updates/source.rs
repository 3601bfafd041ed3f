//! Where updates come from and where one is installed: the endpoints and public key of
//! tauri.conf.json (`plugins.updater`) and, on Linux, the running AppImage (`APPIMAGE`).
//!
//! Tests point them elsewhere: through [`set_source`] (Rust tests), or in debug builds only
//! through `WARDEN_UPDATE_ENDPOINT` and `WARDEN_UPDATE_PUBKEY` (the end-to-end tests; release
//! builds never read them, so nothing in a user's environment can swap the key or the server).

use std::path::PathBuf;
use std::sync::Mutex;
use tauri::{AppHandle, Manager, Runtime, Url};

/// Debug builds: the update manifest's address, instead of the configured endpoints.
pub const ENDPOINT_ENV: &str = "WARDEN_UPDATE_ENDPOINT";
/// Debug builds: the public key (as `tauri signer generate` prints it), instead of the configured one.
pub const PUBKEY_ENV: &str = "WARDEN_UPDATE_PUBKEY";

/// Overrides of the configured update source; `None` keeps what the configuration says.
#[derive(Debug, Clone, Default)]
pub struct UpdateSource {
    /// The manifest addresses.
    pub endpoints: Option<Vec<Url>>,
    /// The minisign public key, base64 as in tauri.conf.json.
    pub pubkey: Option<String>,
    /// The AppImage to replace (Linux); by default the running one, from `APPIMAGE`.
    pub appimage: Option<PathBuf>,
}

/// The source in use, managed by `init`.
#[derive(Default)]
pub struct SourceState(Mutex<UpdateSource>);

impl UpdateSource {
    /// The source for this run: the configuration, the running AppImage, and in debug builds the
    /// test overrides from the environment.
    pub fn for_run<R: Runtime>(app: &AppHandle<R>) -> Self {
        let mut source = Self { appimage: app.env().appimage.map(PathBuf::from), ..Self::default() };
        if cfg!(debug_assertions) {
            if let Some(url) = std::env::var(ENDPOINT_ENV).ok().filter(|s| !s.is_empty()) {
                match url.parse::<Url>() {
                    Ok(url) => source.endpoints = Some(vec![url]),
                    Err(e) => tracing::warn!(%url, "{ENDPOINT_ENV} is not a URL: {e}"),
                }
            }
            source.pubkey = std::env::var(PUBKEY_ENV).ok().filter(|s| !s.is_empty());
        }
        source
    }
}

/// Replaces the update source (tests: a local server, a throwaway key, a scratch AppImage).
pub fn set_source<R: Runtime>(app: &AppHandle<R>, source: UpdateSource) {
    if let Some(state) = app.try_state::<SourceState>() {
        *state.0.lock().unwrap_or_else(|p| p.into_inner()) = source;
    } else {
        app.manage(SourceState(Mutex::new(source)));
    }
}

/// The update source in use.
pub fn source<R: Runtime>(app: &AppHandle<R>) -> UpdateSource {
    app.try_state::<SourceState>().map(|s| s.0.lock().unwrap_or_else(|p| p.into_inner()).clone()).unwrap_or_default()
}
