//! Projects: the folders a person opens in Warden and lets agents work in.

use serde::{Deserialize, Serialize};
use specta::Type;
use std::path::Path;

/// Identifies an open project. It is the project's canonical absolute path, so opening the same
/// folder twice (through a symlink, a trailing slash, a relative path) yields the same project.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Type)]
#[serde(transparent)]
pub struct ProjectId(String);

impl ProjectId {
    /// Makes the id of the project at a canonical path.
    pub fn from_canonical(path: &Path) -> Self {
        Self(path.to_string_lossy().into_owned())
    }

    /// The id as text, as it crosses the IPC boundary.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ProjectId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A project folder that is open in the workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Project {
    /// Stable identity: the canonical path.
    pub id: ProjectId,
    /// The name shown in the sidebar: the folder's own name.
    pub name: String,
    /// The canonical absolute path of the folder.
    pub path: String,
}

impl Project {
    /// Describes the project whose canonical folder is `path`.
    pub fn at(path: &Path) -> Self {
        Self {
            id: ProjectId::from_canonical(path),
            name: project_name(path),
            path: path.to_string_lossy().into_owned(),
        }
    }
}

/// The name a project is shown under: the last component of its path, or the whole path for a
/// root such as `/` or `C:\` that has no last component.
pub fn project_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string_lossy().into_owned())
}

/// Why a path cannot be opened as a project. Each message names the path and says what to do,
/// because it is shown to the person as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProjectError {
    /// Nothing exists at the path.
    #[error("No folder at {path}: it does not exist. Choose an existing project folder.")]
    NotFound {
        /// The path as given.
        path: String,
    },
    /// The path names a file, not a folder.
    #[error("{path} is a file, not a folder. Open the folder that contains your project.")]
    NotADirectory {
        /// The path as given.
        path: String,
    },
    /// The folder exists but cannot be read (permissions, a broken mount, …).
    #[error("Cannot open {path}: {reason}")]
    Unreadable {
        /// The path as given.
        path: String,
        /// What the operating system said.
        reason: String,
    },
    /// The path is empty or otherwise unusable as given.
    #[error("“{path}” is not a usable folder path.")]
    InvalidPath {
        /// The path as given.
        path: String,
    },
    /// The project is not open in the workspace.
    #[error("The project {id} is not open.")]
    NotOpen {
        /// The id that was asked for.
        id: ProjectId,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn name_is_the_last_path_component() {
        assert_eq!(project_name(Path::new("/home/ada/code/warden")), "warden");
    }

    #[test]
    fn a_root_is_named_by_its_whole_path() {
        // `/` has no file name; an empty sidebar entry would be unclickable.
        assert_eq!(project_name(Path::new("/")), "/");
    }

    #[test]
    fn id_and_path_come_from_the_canonical_path() {
        let project = Project::at(&PathBuf::from("/srv/app"));
        assert_eq!(project.id.as_str(), "/srv/app");
        assert_eq!(project.path, "/srv/app");
        assert_eq!(project.name, "app");
    }

    #[test]
    fn errors_name_the_path_and_the_remedy() {
        let err = ProjectError::NotADirectory { path: "/tmp/notes.txt".into() };
        let text = err.to_string();
        assert!(text.contains("/tmp/notes.txt") && text.contains("not a folder"), "{text}");
    }

    #[test]
    fn project_serialises_in_camel_case_for_the_ui() {
        let json = serde_json::to_value(Project::at(Path::new("/a/b"))).unwrap();
        assert_eq!(json, serde_json::json!({"id": "/a/b", "name": "b", "path": "/a/b"}));
    }
}
