//! Turning a path a person typed, picked or passed on the command line into a project folder.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use warden_core::ProjectError;

/// Resolves `raw` to the canonical absolute path of an existing, readable folder.
///
/// Relative paths are taken from the current directory (that is what `warden .` means), symlinks
/// are followed so a folder has one identity, and every failure is a [`ProjectError`] whose
/// message names the path as the person gave it.
pub fn resolve_project_dir(raw: &str) -> Result<PathBuf, ProjectError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() || trimmed.contains('\0') {
        return Err(ProjectError::InvalidPath { path: raw.to_owned() });
    }
    let path = Path::new(trimmed);
    let canonical = std::fs::canonicalize(path).map_err(|e| match e.kind() {
        ErrorKind::NotFound => ProjectError::NotFound { path: trimmed.to_owned() },
        // A path through a file (`notes.txt/sub`) fails with ENOTDIR before anything else.
        ErrorKind::NotADirectory => ProjectError::NotADirectory { path: trimmed.to_owned() },
        _ => ProjectError::Unreadable { path: trimmed.to_owned(), reason: e.to_string() },
    })?;
    if !canonical.is_dir() {
        return Err(ProjectError::NotADirectory { path: trimmed.to_owned() });
    }
    // Listing proves the folder can be worked in; a folder we cannot read would only fail later,
    // in the middle of an agent's turn.
    std::fs::read_dir(&canonical)
        .map_err(|e| ProjectError::Unreadable { path: trimmed.to_owned(), reason: e.to_string() })?;
    Ok(canonical)
}

/// `raw` with a leading `~` (alone or as `~/…`) replaced by `home`, the home of the user this
/// engine runs as; any other path unchanged. For a folder named from another machine (a remote
/// project's "~/app"): only the host knows its user's home, so the host resolves it. `~name/…`
/// (another user's home) is refused rather than looked up: it is rarely meant, and the person
/// can write that folder's full path.
pub fn expand_home(raw: &str, home: Option<&Path>) -> Result<String, ProjectError> {
    let trimmed = raw.trim();
    let Some(rest) = trimmed.strip_prefix('~') else {
        return Ok(raw.to_owned());
    };
    if !(rest.is_empty() || rest.starts_with('/')) {
        let user = rest.split('/').next().unwrap_or(rest);
        return Err(ProjectError::Unreadable {
            path: trimmed.to_owned(),
            reason: format!("~{user} names another user's home; only your own (~ or ~/…) can be used: write the folder's full path instead"),
        });
    }
    let home = home.filter(|h| h.is_absolute()).ok_or_else(|| ProjectError::Unreadable {
        path: trimmed.to_owned(),
        reason: "this host has no home folder (HOME) to resolve ~ against: write the folder's full path".into(),
    })?;
    Ok(format!("{}{rest}", home.to_string_lossy().trim_end_matches('/')))
}

/// The home of the user this process runs as (`HOME`), for [`expand_home`].
pub fn own_home() -> Option<PathBuf> {
    std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from)
}

/// Whether `path` is an existing folder. Used to mark recent projects that have gone missing.
pub fn folder_exists(path: &str) -> bool {
    Path::new(path).is_dir()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tilde_is_the_hosts_own_home_and_another_users_home_is_refused() {
        let home = Path::new("/home/dev");
        assert_eq!(expand_home("~", Some(home)).unwrap(), "/home/dev");
        assert_eq!(expand_home(" ~/app ", Some(home)).unwrap(), "/home/dev/app");
        assert_eq!(expand_home("~/app", Some(Path::new("/root/"))).unwrap(), "/root/app");
        assert_eq!(expand_home("/srv/~/app", Some(home)).unwrap(), "/srv/~/app", "only a leading ~ is the home");
        let other = expand_home("~bob/app", Some(home)).unwrap_err().to_string();
        assert!(other.contains("~bob names another user's home") && other.contains("full path"), "{other}");
        let homeless = expand_home("~/app", None).unwrap_err().to_string();
        assert!(homeless.contains("no home folder"), "{homeless}");
        assert!(expand_home("~/app", Some(Path::new("relative"))).is_err());
    }

    #[test]
    fn an_existing_folder_resolves_to_its_canonical_path() {
        let dir = tempfile::tempdir().unwrap();
        let messy = format!("{}/./", dir.path().display());
        let resolved = resolve_project_dir(&messy).unwrap();
        assert_eq!(resolved, std::fs::canonicalize(dir.path()).unwrap());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_resolves_to_the_folder_it_points_at() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir(&real).unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        assert_eq!(
            resolve_project_dir(link.to_str().unwrap()).unwrap(),
            std::fs::canonicalize(&real).unwrap(),
            "one folder, one identity"
        );
    }

    #[test]
    fn a_missing_path_is_not_found() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("gone");
        let err = resolve_project_dir(gone.to_str().unwrap()).unwrap_err();
        assert!(matches!(err, ProjectError::NotFound { .. }), "{err:?}");
        assert!(err.to_string().contains("gone"), "the message names the path: {err}");
    }

    #[test]
    fn a_file_is_not_a_directory() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("notes.txt");
        std::fs::write(&file, "hi").unwrap();
        let err = resolve_project_dir(file.to_str().unwrap()).unwrap_err();
        assert!(matches!(err, ProjectError::NotADirectory { .. }), "{err:?}");
        let through = file.join("sub");
        let err = resolve_project_dir(through.to_str().unwrap()).unwrap_err();
        assert!(matches!(err, ProjectError::NotADirectory { .. }), "{err:?}");
    }

    #[test]
    fn blank_paths_are_rejected_before_touching_the_disk() {
        for raw in ["", "   ", "a\0b"] {
            let err = resolve_project_dir(raw).unwrap_err();
            assert!(matches!(err, ProjectError::InvalidPath { .. }), "{raw:?}: {err:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn an_unreadable_folder_says_so() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let locked = dir.path().join("locked");
        std::fs::create_dir(&locked).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        let result = resolve_project_dir(locked.to_str().unwrap());
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
        // root reads any folder, so this only proves something for ordinary users.
        if !is_root() {
            assert!(matches!(result, Err(ProjectError::Unreadable { .. })), "{result:?}");
        }
    }

    #[cfg(unix)]
    fn is_root() -> bool {
        std::fs::metadata("/proc/self").map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0).unwrap_or(false)
    }

    #[test]
    fn folder_exists_only_for_folders() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, "").unwrap();
        assert!(folder_exists(dir.path().to_str().unwrap()));
        assert!(!folder_exists(file.to_str().unwrap()));
        assert!(!folder_exists(dir.path().join("nope").to_str().unwrap()));
    }
}
