//! The update dialog's IPC types: what a check found, the download's progress, the menu's
//! request to open the dialog, and the update settings.

use serde::{Deserialize, Serialize};
use specta::Type;
use tauri_specta::Event;

/// A newer Warden the update server offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UpdateInfo {
    /// The version running now.
    pub current_version: String,
    /// The version offered.
    pub version: String,
    /// The release notes, as published (Markdown).
    pub notes: Option<String>,
    /// When it was published (RFC 3339), if the manifest says.
    pub date: Option<String>,
}

/// How far the download of an update got.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct UpdateProgress {
    /// Bytes received so far.
    pub downloaded: u64,
    /// The update's size, when the server says.
    pub total: Option<u64>,
}

/// Help › Check for Updates… was chosen: the window opens the update dialog and checks.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, Type, Event)]
pub struct UpdateDialogRequested;

/// The update settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UpdateSettings {
    /// Look for an update each time Warden starts (off unless turned on).
    pub check_at_start: bool,
}

