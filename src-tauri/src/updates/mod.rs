//! Updates through tauri-plugin-updater: look for a newer Warden in the signed update manifest,
//! download it, check its minisign signature against the public key built into the app, and
//! only then install it (replace the running AppImage, or install the .deb / .rpm, .msi or .app).
//! A download that fails or does not match its signature installs nothing.
//!
//! The window drives it (Help › Check for Updates…, and at start when the person turned that
//! on); the commands are in `commands/updates.rs`.

mod ipc;
mod settings;
mod source;

pub use ipc::{UpdateDialogRequested, UpdateInfo, UpdateProgress, UpdateSettings};
pub use settings::{check_at_start, set_check_at_start};
pub use source::{set_source, source, SourceState, UpdateSource, ENDPOINT_ENV, PUBKEY_ENV};

use crate::error::IpcError;
use std::sync::Mutex;
use std::time::Duration;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_updater::{Error, Update, UpdaterExt};

/// How long asking the server for the manifest may take.
const CHECK_TIMEOUT: Duration = Duration::from_secs(30);
/// How long downloading the update may take in all.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// The update the last check found, kept for Install, and whether an install is under way.
#[derive(Default)]
pub struct Pending(Mutex<(Option<Update>, bool)>);

/// Asks the update server whether there is a newer Warden; `None` when this is the newest.
pub async fn check<R: Runtime>(app: &AppHandle<R>) -> Result<Option<UpdateInfo>, IpcError> {
    let source = source(app);
    let mut builder = app.updater_builder().timeout(CHECK_TIMEOUT);
    if let Some(endpoints) = source.endpoints {
        builder = builder.endpoints(endpoints).map_err(describe)?;
    }
    if let Some(pubkey) = source.pubkey {
        builder = builder.pubkey(pubkey);
    }
    if let Some(appimage) = source.appimage {
        builder = builder.executable_path(appimage);
    }
    let found = builder.build().map_err(describe)?.check().await;
    let found = found.map_err(|e| {
        tracing::warn!(error = %e, "checking for updates failed");
        describe(e)
    })?;
    let info = found.as_ref().map(|update| UpdateInfo {
        current_version: update.current_version.clone(),
        version: update.version.clone(),
        notes: update.body.clone().filter(|n| !n.trim().is_empty()),
        date: update.date.and_then(|d| d.format(&time::format_description::well_known::Rfc3339).ok()),
    });
    tracing::info!(offered = info.as_ref().map(|i| i.version.as_str()).unwrap_or("none"), "checked for updates");
    pending(app).0.lock().unwrap_or_else(|p| p.into_inner()).0 = found;
    Ok(info)
}

/// Downloads the update the last check found, verifies it and installs it; `progress` gets the
/// bytes received so far and the total when known. Nothing is installed unless the download is
/// complete and its signature matches. The app keeps running the old version until restarted.
pub async fn install<R: Runtime>(app: &AppHandle<R>, mut progress: impl FnMut(u64, Option<u64>) + Send) -> Result<(), IpcError> {
    let mut update = {
        let state = pending(app);
        let mut guard = state.0.lock().unwrap_or_else(|p| p.into_inner());
        if guard.1 {
            return Err(IpcError::internal("The update is already being installed."));
        }
        let update = guard.0.clone().ok_or_else(|| IpcError::internal("There is no update to install: check for updates first."))?;
        guard.1 = true;
        update
    };
    let result = async {
        in_place_check(app)?;
        update.timeout = Some(DOWNLOAD_TIMEOUT);
        let mut received = 0u64;
        // The signature is checked before `download` returns: bytes that do not match never
        // reach `install`, which checks them once more itself.
        let bytes = update
            .download(
                |chunk, total| {
                    received += chunk as u64;
                    progress(received, total);
                },
                || {},
            )
            .await
            .map_err(describe)?;
        tracing::info!(version = %update.version, bytes = bytes.len(), "update downloaded and verified");
        tauri::async_runtime::spawn_blocking(move || update.install(bytes))
            .await
            .map_err(|e| IpcError::internal(format!("Installing the update stopped: {e}")))?
            .map_err(describe)
    }
    .await;
    pending(app).0.lock().unwrap_or_else(|p| p.into_inner()).1 = false;
    match &result {
        Ok(()) => tracing::info!("update installed; it runs after a restart"),
        Err(e) => tracing::warn!(error = %e.message, "installing the update failed"),
    }
    result
}

/// Refuses a build the updater would have to overwrite blindly: one not installed from a
/// package (a `cargo build` binary), where it would replace the executable it runs from.
fn in_place_check<R: Runtime>(app: &AppHandle<R>) -> Result<(), IpcError> {
    if tauri::utils::platform::bundle_type().is_some() || source(app).appimage.is_some() {
        return Ok(());
    }
    let exe = std::env::current_exe().map(|p| p.display().to_string()).unwrap_or_else(|_| "?".into());
    Err(IpcError::internal(format!(
        "This copy of Warden was not installed from a package (it runs from {exe}), so it cannot \
         update itself: install the new version the way this one was installed."
    )))
}

fn pending<R: Runtime>(app: &AppHandle<R>) -> tauri::State<'_, Pending> {
    if app.try_state::<Pending>().is_none() {
        app.manage(Pending::default());
    }
    app.state::<Pending>()
}

/// The updater's error in words for the person.
fn describe(error: Error) -> IpcError {
    let message = match &error {
        Error::Minisign(_)
        | Error::SignedVersionMismatch { .. }
        | Error::MissingSignedVersion
        | Error::Base64(_)
        | Error::SignatureUtf8(_) => format!(
            "The downloaded update did not pass its signature check, so nothing was installed and \
             Warden is unchanged ({error})."
        ),
        Error::Reqwest(e) if e.is_decode() => {
            format!("The update server did not answer with a valid update manifest ({error}).")
        }
        Error::Reqwest(_) | Error::Network(_) => format!("The update server could not be reached: {error}"),
        Error::ReleaseNotFound | Error::Serialization(_) => {
            format!("The update server did not answer with a valid update manifest ({error}).")
        }
        Error::TargetsNotFound(_) | Error::TargetNotFound(_) => {
            format!("The new version has no package for this system ({error}).")
        }
        Error::InvalidUpdaterFormat | Error::BinaryNotFoundInArchive => {
            format!("The downloaded file is not a package Warden can install, so nothing was changed ({error}).")
        }
        Error::EmptyEndpoints => "This build of Warden has no update server configured.".into(),
        Error::AuthenticationFailed => "Installing the update needs an administrator's password, and none was given.".into(),
        _ => format!("Updating failed: {error}"),
    };
    IpcError::internal(message)
}
