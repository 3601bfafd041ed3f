//! Typed events the backend pushes to the window. Their names come from the type names through
//! tauri-specta; nothing here or in the UI spells an event name as a string.

use serde::{Deserialize, Serialize};
use specta::Type;
use tauri_specta::Event;
use warden_core::WorkspaceView;

/// The workspace changed (a project opened or closed, the recent list or the notices changed),
/// from whatever source: the window, the native menu or the command line.
#[derive(Debug, Clone, Serialize, Deserialize, Type, Event)]
pub struct WorkspaceChanged(pub WorkspaceView);
