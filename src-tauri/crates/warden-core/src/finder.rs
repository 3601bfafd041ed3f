//! What the file finder gives the window: the project's files and folders that match what the
//! person typed after `@`, best first, with the matched characters to highlight. The engine
//! (`warden_engine::finder`) fills them; they live here so the IPC layer can type them.

use crate::session::PathKind;
use serde::{Deserialize, Serialize};
use specta::Type;

/// One file or folder the finder found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FoundPath {
    /// Relative to the project, `/`-separated; a folder has no trailing `/`.
    pub path: String,
    /// File or folder.
    pub kind: PathKind,
    /// How well it matches (higher is better; only comparable within one answer).
    pub score: u32,
    /// The character positions (in `char`s of `path`) that matched, ascending, to highlight.
    pub indices: Vec<u32>,
}

/// The finder's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FoundPaths {
    /// The best matches, best first, at most the limit asked for.
    pub paths: Vec<FoundPath>,
    /// How many files and folders the index holds.
    pub indexed: u32,
    /// The index was cut short at its size limit: a path past it cannot be found.
    pub truncated: bool,
}
