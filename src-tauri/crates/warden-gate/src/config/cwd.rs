//! A check's `cwd`: a folder inside the project, walked one component at a time without
//! following links, so neither `..` nor a symlink in the repository can take a check outside.

use std::path::{Component, Path, PathBuf};

/// Checks `cwd` as written (relative, no `..` above the project) and returns it normalised with
/// `/` separators (`.` for the project itself). The file system is not looked at: see
/// [`resolve_cwd`] for that.
pub fn normalize_cwd(cwd: &str) -> Result<String, String> {
    let path = Path::new(cwd);
    if path.has_root() || path.is_absolute() {
        return Err(format!("`{cwd}` is absolute: write the folder relative to the project, e.g. \"crates/app\""));
    }
    let mut parts: Vec<String> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if parts.pop().is_none() {
                    return Err(format!("`{cwd}` leads outside the project: a check runs inside it"));
                }
            }
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            Component::RootDir | Component::Prefix(_) => {
                return Err(format!("`{cwd}` is absolute: write the folder relative to the project"));
            }
        }
    }
    Ok(if parts.is_empty() { ".".to_owned() } else { parts.join("/") })
}

/// Why a check's folder cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CwdError {
    /// Absolute, or `..` above the project.
    #[error("{0}")]
    Outside(String),
    /// A component is a symbolic link.
    #[error("`{cwd}` goes through the link {link}: a check's folder cannot be a link")]
    Link {
        /// As written.
        cwd: String,
        /// The link.
        link: String,
    },
    /// A component is a file.
    #[error("`{cwd}`: {path} is not a folder")]
    NotAFolder {
        /// As written.
        cwd: String,
        /// The file.
        path: String,
    },
    /// A component does not exist (yet).
    #[error("`{cwd}`: {path} does not exist")]
    Missing {
        /// As written.
        cwd: String,
        /// The first missing component.
        path: String,
    },
    /// Reading a component failed.
    #[error("`{cwd}`: cannot read {path}: {reason}")]
    Unreadable {
        /// As written.
        cwd: String,
        /// The component.
        path: String,
        /// What the system said.
        reason: String,
    },
}

/// The folder a check runs in: `project` joined with `cwd`, each component checked with
/// `symlink_metadata` so a link (to anywhere) is refused rather than followed. A component
/// that does not exist is an error too: the check could not start there.
pub fn resolve_cwd(project: &Path, cwd: &str) -> Result<PathBuf, CwdError> {
    let normal = normalize_cwd(cwd).map_err(CwdError::Outside)?;
    let mut at = project.to_path_buf();
    if normal == "." {
        return Ok(at);
    }
    for part in normal.split('/') {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(CwdError::Link { cwd: cwd.to_owned(), link: at.display().to_string() });
            }
            Ok(meta) if !meta.is_dir() => return Err(CwdError::NotAFolder { cwd: cwd.to_owned(), path: at.display().to_string() }),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(CwdError::Missing { cwd: cwd.to_owned(), path: at.display().to_string() });
            }
            Err(e) => return Err(CwdError::Unreadable { cwd: cwd.to_owned(), path: at.display().to_string(), reason: e.to_string() }),
        }
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cwd_stays_inside_the_project_as_written() {
        assert_eq!(normalize_cwd(".").unwrap(), ".");
        assert_eq!(normalize_cwd("a/./b/../c").unwrap(), "a/c");
        assert!(normalize_cwd("../x").unwrap_err().contains("outside the project"));
        assert!(normalize_cwd("a/../../x").is_err());
        assert!(normalize_cwd("/etc").unwrap_err().contains("absolute"));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_on_the_way_is_refused_and_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p");
        std::fs::create_dir_all(project.join("sub/inner")).unwrap();
        std::fs::create_dir_all(dir.path().join("outside")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("outside"), project.join("out")).unwrap();
        assert_eq!(resolve_cwd(&project, "sub/inner").unwrap(), project.join("sub/inner"));
        assert!(matches!(resolve_cwd(&project, "out/x"), Err(CwdError::Link { .. })));
        assert!(matches!(resolve_cwd(&project, "missing"), Err(CwdError::Missing { .. })));
        std::fs::write(project.join("file"), b"").unwrap();
        assert!(resolve_cwd(&project, "file").unwrap_err().to_string().contains("not a folder"));
        assert!(matches!(resolve_cwd(&project, "../p"), Err(CwdError::Outside(_))));
    }
}
