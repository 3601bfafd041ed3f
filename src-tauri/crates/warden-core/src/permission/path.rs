//! Lexical path handling: where a path a tool names really points, without touching the disk.
//!
//! The engine resolves symlinks before it calls in here, if it wants to; this module only
//! collapses `.` and `..`, expands `~` and anchors relative paths, so `src/../../etc/passwd` is
//! seen for what it is.

use super::glob::Glob;
use super::policy::Context;
use std::path::{Component, Path, PathBuf};

/// Resolves `path` as a tool would see it when run in `base`: `~` and `~/…` are under `home`,
/// absolute paths stay absolute, anything else is relative to `base`; `.` and `..` are then
/// collapsed lexically (never above the root).
///
/// A path whose `~` cannot be expanded (no home known, or another user's `~name`) is returned as
/// written, still relative: [`is_inside`] then reports it outside any project, which is the safe
/// answer for a path we cannot place.
pub fn resolve(base: &Path, path: &str, home: Option<&Path>) -> PathBuf {
    if let Some(rest) = path.strip_prefix('~') {
        return match (home, rest.is_empty() || rest.starts_with('/')) {
            (Some(home), true) => normalize(&home.join(rest.trim_start_matches('/'))),
            _ => PathBuf::from(path),
        };
    }
    let path = Path::new(path);
    if path.is_absolute() {
        normalize(path)
    } else {
        normalize(&base.join(path))
    }
}

/// Whether `path` is `project` itself or lies under it, comparing whole components after
/// collapsing `.` and `..` (so `/p/app-old` is not inside `/p/app`). A relative path is never
/// inside: it could not be placed.
pub fn is_inside(project: &Path, path: &Path) -> bool {
    path.is_absolute() && normalize(path).starts_with(normalize(project))
}

/// Collapses `.` and `..` without looking at the disk. `..` at the root stays at the root, as
/// the kernel does; `..` at the start of a relative path is kept, since it cannot be collapsed.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                let at_root = out.parent().is_none() && out.has_root();
                let can_pop = matches!(out.components().next_back(), Some(Component::Normal(_)));
                if can_pop {
                    out.pop();
                } else if !at_root {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// How a path is shown to a person and written into a suggested rule: relative to the project
/// when inside it (`.` for the project itself), absolute otherwise.
pub(crate) fn display(project: &Path, path: &Path) -> String {
    match relative_to(project, path) {
        Some(rel) if rel.is_empty() => ".".to_owned(),
        Some(rel) => rel,
        None => path.to_string_lossy().into_owned(),
    }
}

/// `path` relative to `base` with `/` separators, `Some("")` for `base` itself, or `None` when
/// the path is not under `base`.
pub(crate) fn relative_to(base: &Path, path: &Path) -> Option<String> {
    if !is_inside(base, path) {
        return None;
    }
    let rel = normalize(path);
    let rel = rel.strip_prefix(normalize(base)).ok()?;
    let parts: Vec<String> =
        rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    Some(parts.join("/"))
}

/// The folder a path pattern is anchored to, from how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Base {
    /// `//abs/path`: the filesystem root.
    Root,
    /// `~/x`: the home folder.
    Home,
    /// `/x`: the project root (not the filesystem root, as in gitignore).
    Project,
    /// `x` or `./x`: the folder the agent runs in.
    Cwd,
}

/// The path pattern of a `Read`, `Edit` or `Write` rule, gitignore-style: anchored to the folder
/// its prefix names, and matched at any depth below it when it has no slash (`.env`, `*.key`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PathPattern {
    base: Base,
    /// Leading `../` steps out of the base folder.
    up: usize,
    /// Whether the pattern names a place below its base (rather than a name at any depth).
    anchored: bool,
    glob: Glob,
}

impl PathPattern {
    /// Reads a rule's path pattern; the error says what is wrong.
    pub(crate) fn parse(content: &str) -> Result<PathPattern, String> {
        let (base, rest, anchored) = if let Some(rest) = content.strip_prefix("//") {
            (Base::Root, rest, true)
        } else if content == "~" || content.starts_with("~/") {
            (Base::Home, &content[1..], true)
        } else if content.starts_with('~') {
            return Err("`~` must be followed by `/`, as in `~/.ssh/**`".to_owned());
        } else if let Some(rest) = content.strip_prefix('/') {
            (Base::Project, rest, true)
        } else if let Some(rest) = content.strip_prefix("./") {
            (Base::Cwd, rest, true)
        } else {
            // gitignore: a slash at the start or in the middle anchors the pattern.
            (Base::Cwd, content, content.trim_end_matches('/').contains('/'))
        };
        let mut up = 0;
        let mut kept = Vec::new();
        for segment in rest.split('/').filter(|s| !s.is_empty() && *s != ".") {
            match segment {
                ".." if kept.is_empty() && base == Base::Cwd => up += 1,
                ".." => return Err("`..` may only come at the start of a pattern".to_owned()),
                _ => kept.push(segment),
            }
        }
        let mut pattern = kept.join("/");
        if !anchored {
            pattern = format!("**/{pattern}");
        }
        Ok(PathPattern { base, up, anchored, glob: Glob::new(&pattern)? })
    }

    /// Whether the pattern, anchored, names `path` itself (not a folder holding it, not a name
    /// at any depth).
    pub(crate) fn names_exactly(&self, path: &Path, ctx: &Context) -> bool {
        self.anchored
            && self.relative(path, ctx).is_some_and(|rel| {
                let segments: Vec<&str> = rel.split('/').filter(|s| !s.is_empty()).collect();
                self.glob.matches_exactly(&segments)
            })
    }

    /// `path` relative to the pattern's base folder, if it lies under it.
    fn relative(&self, path: &Path, ctx: &Context) -> Option<String> {
        let base = match self.base {
            Base::Root => Path::new("/"),
            Base::Home => ctx.home?,
            Base::Project => ctx.project,
            Base::Cwd => ctx.cwd,
        };
        let mut base = normalize(base);
        for _ in 0..self.up {
            base.pop();
        }
        relative_to(&base, path)
    }

    /// Whether the pattern covers `path`, an absolute path already resolved by [`resolve`].
    pub(crate) fn matches(&self, path: &Path, ctx: &Context) -> bool {
        let base = match self.base {
            Base::Root => Path::new("/"),
            Base::Home => match ctx.home {
                Some(home) => home,
                None => return false,
            },
            Base::Project => ctx.project,
            Base::Cwd => ctx.cwd,
        };
        let mut base = normalize(base);
        for _ in 0..self.up {
            base.pop();
        }
        match relative_to(&base, path) {
            Some(rel) => {
                let segments: Vec<&str> = rel.split('/').filter(|s| !s.is_empty()).collect();
                self.glob.matches(&segments)
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn home() -> Option<&'static Path> {
        Some(Path::new("/home/ada"))
    }

    #[test]
    fn relative_paths_are_anchored_at_the_base() {
        assert_eq!(resolve(Path::new("/p"), "src/a.rs", home()), PathBuf::from("/p/src/a.rs"));
        assert_eq!(resolve(Path::new("/p"), "./src/./a.rs", home()), PathBuf::from("/p/src/a.rs"));
    }

    #[test]
    fn dot_dot_is_collapsed_and_can_leave_the_base() {
        let escaped = resolve(Path::new("/p"), "src/../../etc/passwd", home());
        assert_eq!(escaped, PathBuf::from("/etc/passwd"));
        assert_eq!(resolve(Path::new("/p"), "/../../x", home()), PathBuf::from("/x"));
    }

    #[test]
    fn tilde_is_the_home_folder() {
        assert_eq!(resolve(Path::new("/p"), "~/b", home()), PathBuf::from("/home/ada/b"));
        assert_eq!(resolve(Path::new("/p"), "~", home()), PathBuf::from("/home/ada"));
    }

    #[test]
    fn an_unexpandable_tilde_is_never_inside() {
        let unplaced = resolve(Path::new("/p"), "~/b", None);
        assert!(!is_inside(Path::new("/p"), &unplaced));
        let other_user = resolve(Path::new("/p"), "~bob/x", home());
        assert!(!is_inside(Path::new("/p"), &other_user));
    }

    #[test]
    fn inside_compares_whole_components() {
        assert!(is_inside(Path::new("/p/app"), Path::new("/p/app")));
        assert!(is_inside(Path::new("/p/app"), Path::new("/p/app/src/x")));
        assert!(!is_inside(Path::new("/p/app"), Path::new("/p/app-old/x")));
        assert!(!is_inside(Path::new("/p/app"), Path::new("/p/app/../secret")));
        assert!(!is_inside(Path::new("/p/app"), Path::new("src/x")));
    }

    #[test]
    fn display_is_relative_inside_and_absolute_outside() {
        assert_eq!(display(Path::new("/p"), Path::new("/p/src/a.rs")), "src/a.rs");
        assert_eq!(display(Path::new("/p"), Path::new("/p")), ".");
        assert_eq!(display(Path::new("/p"), Path::new("/etc/hosts")), "/etc/hosts");
    }
}
