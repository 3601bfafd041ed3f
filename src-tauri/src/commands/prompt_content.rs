//! Commands for what a prompt carries besides its text: the file finder behind `@`, and the
//! images kept with sent prompts, read back for the chat's thumbnails. (The prompt itself goes
//! through `session_prompt`.)

use crate::commands::checks::ChecksData;
use crate::error::IpcError;
use std::sync::Arc;
use tauri::State;
use warden_core::finder::FoundPaths;
use warden_core::session::{PromptImage, SessionId};
use warden_engine::finder::Finder;

/// The finder's indexes, kept for the app's lifetime (one per project asked about).
#[derive(Debug, Default)]
pub struct FinderState(pub Arc<Finder>);

/// The `limit` files and folders of `project` that best match `query` (fuzzy, gitignore-aware;
/// an empty query lists those nearest the root). The first query of a project walks it; later
/// ones are answered from memory while the index refreshes itself.
#[tauri::command]
#[specta::specta]
pub async fn files_find(finder: State<'_, FinderState>, project: String, query: String, limit: u32) -> Result<FoundPaths, IpcError> {
    let project = warden_engine::resolve_project_dir(&project)?;
    let finder = finder.0.clone();
    tauri::async_runtime::spawn_blocking(move || finder.find(&project, &query, limit as usize))
        .await
        .map_err(|e| IpcError::internal(format!("the file finder failed: {e}")))
}

/// An image a prompt of session `session_id` carried (`file` from its stored `userMessage`).
#[tauri::command]
#[specta::specta]
pub async fn session_image(data: State<'_, ChecksData>, session_id: SessionId, file: String) -> Result<PromptImage, IpcError> {
    let data_dir = data.0.clone();
    tauri::async_runtime::spawn_blocking(move || warden_engine::session::prompt_input::read_image(&data_dir, &session_id, &file))
        .await
        .map_err(|e| IpcError::internal(format!("reading the image failed: {e}")))?
        .map_err(IpcError::internal)
}
