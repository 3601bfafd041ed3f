//! `[worktree]` of both layers merged and checked: the person's fields win over the project's
//! (as for `[gate]`), every path to copy stays inside the project, and each layer's values are
//! checked where they are written, so an error points at its own file, line and column.

use super::error::ConfigError;
use super::merge::Layer;
use super::model::{Source, WorktreeConfig};
use std::path::{Component, Path};

/// Merges `[worktree]` of `layers` (project first), reporting what is wrong in `errors`.
pub(crate) fn merge(layers: &[&Layer], errors: &mut Vec<ConfigError>) -> WorktreeConfig {
    let mut config = WorktreeConfig::default();
    for layer in layers {
        let Some(table) = &layer.file.worktree else { continue };
        if let Some(setup) = &table.setup {
            let line = setup.get_ref().trim();
            match (line.is_empty(), layer.source) {
                // The person's "" switches the project's setup off.
                (true, Source::Personal) => {
                    config.setup = None;
                    config.setup_source = Some(Source::Personal);
                }
                (true, Source::Project) => {
                    errors.push(layer.text.at(setup.span(), None, Some("worktree.setup"), "`setup` is empty: write the command, e.g. \"npm ci\", or leave the key out"));
                }
                (false, _) => {
                    config.setup = Some(setup.get_ref().clone());
                    config.setup_source = Some(layer.source);
                }
            }
        }
        if let Some(copy) = &table.copy {
            let mut paths: Vec<String> = Vec::new();
            for path in copy.get_ref() {
                match normalize_copy_path(path.get_ref()) {
                    Ok(normal) if !paths.contains(&normal) => paths.push(normal),
                    Ok(_) => {}
                    Err(message) => errors.push(layer.text.at(path.span(), None, Some("worktree.copy"), message)),
                }
            }
            config.copy = paths;
        }
        if let Some(timeout) = &table.setup_timeout {
            if timeout.get_ref().0.is_zero() {
                errors.push(layer.text.at(timeout.span(), None, Some("worktree.setup_timeout"), "`setup_timeout` is zero: give the setup time to run, e.g. \"10m\""));
            } else {
                config.setup_timeout = timeout.get_ref().0;
            }
        }
    }
    config
}

/// Checks one path of `copy` as written and returns it normalised with `/` separators: relative
/// to the project, no `..` anywhere, not the project itself and not git's own folder. The file
/// system is not looked at (the file may exist on one machine only).
pub fn normalize_copy_path(text: &str) -> Result<String, String> {
    if text.trim().is_empty() {
        return Err("an empty path: name a file or folder of the project, e.g. \".env\"".to_owned());
    }
    if text.contains('\\') {
        return Err(format!("`{text}` uses `\\`: write project paths with `/`, e.g. \"config/local.env\""));
    }
    // A drive letter reads as a plain name on Unix, so it is refused by hand.
    let drive = text.len() >= 2 && text.as_bytes()[1] == b':' && text.as_bytes()[0].is_ascii_alphabetic();
    let path = Path::new(text);
    if drive || path.has_root() || path.is_absolute() {
        return Err(format!("`{text}` is absolute: write the path relative to the project, e.g. \".env\""));
    }
    let mut parts: Vec<String> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => return Err(format!("`{text}` uses `..`: a copied path stays inside the project")),
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            Component::RootDir | Component::Prefix(_) => {
                return Err(format!("`{text}` is absolute: write the path relative to the project, e.g. \".env\""));
            }
        }
    }
    match parts.first().map(String::as_str) {
        None => Err(format!("`{text}` is the whole project: name files or folders inside it")),
        Some(".git") => Err(format!("`{text}` is inside git's own folder, which a worktree has its own of")),
        Some(_) => Ok(parts.join("/")),
    }
}
