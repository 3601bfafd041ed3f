//! Codex's thread items in the shared tool vocabulary. Commands are named `Bash` calls with a
//! [`ToolInput::Shell`], file changes `Write`/`Edit` calls with a [`ToolInput::Write`] or
//! [`ToolInput::Patch`], so `Bash(npm test:*)` or `Edit(src/**)` decide Codex's questions exactly
//! as they decide Claude's. Codex's own payload is the call's raw input.

use super::wire::{FileUpdateChange, PatchKind};
use serde_json::Value;
use std::path::Path;
use warden_core::session::{FileAction, FileChange, ToolInput, ToolKind, ToolLocation};

/// A tool call as the timeline and the permission rules see it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Described {
    pub name: String,
    pub kind: ToolKind,
    pub title: String,
    /// What it does.
    pub input: ToolInput,
    /// Codex's payload, as Codex sent it.
    pub raw: Value,
    pub locations: Vec<ToolLocation>,
}

/// A shell command: the script inside Codex's `/bin/bash -lc '…'` wrapper is what the rules
/// and the person read, and `cwd` the folder Codex runs it in (its `workdir`, absolute, or
/// `null` when Codex did not say: the project).
pub(super) fn command(command: &str, cwd: Option<&str>, raw: &Value) -> Described {
    let script = unwrap_shell(command);
    let cwd = cwd.filter(|c| !c.is_empty());
    Described {
        name: "Bash".into(),
        kind: ToolKind::Execute,
        title: format!("Run {}", one_line(&script, 80)),
        input: ToolInput::Shell { command: script, cwd: cwd.map(str::to_owned), description: None, timeout_ms: None },
        raw: raw.clone(),
        locations: Vec::new(),
    }
}

/// The script of `bash -lc SCRIPT` (or `sh -c`, `zsh -lc`, …); any other command as it is.
pub(super) fn unwrap_shell(command: &str) -> String {
    let Ok(parts) = warden_core::permission::split(command) else { return command.to_owned() };
    match parts.as_slice() {
        [only] => warden_core::permission::shell_script(&only.words).unwrap_or_else(|| command.to_owned()),
        _ => command.to_owned(),
    }
}

/// An `apply_patch`: one added file is a `Write` of its content, anything else an `Edit` with a
/// [`ToolInput::Patch`]. The rules decide every touched path (each file, both ends of a move,
/// absolute), so a patch is allowed only when every path is and denied when any one is.
pub(super) fn file_change(changes: &[FileUpdateChange], project: &Path, raw_changes: &Value) -> Described {
    let absolute = |p: &str| {
        let path = Path::new(p);
        if path.is_absolute() { path.to_owned() } else { project.join(path) }
    };
    let text = |p: &str| absolute(p).to_string_lossy().into_owned();
    let files: Vec<FileChange> = changes
        .iter()
        .map(|change| {
            let (action, move_to) = match &change.kind {
                PatchKind::Add => (FileAction::Add, None),
                PatchKind::Delete => (FileAction::Delete, None),
                PatchKind::Update { move_path } => (FileAction::Update, move_path.as_deref().map(text)),
            };
            FileChange { path: text(&change.path), action, move_to, diff: change.diff.clone() }
        })
        .collect();
    let patch = ToolInput::Patch { files };
    let locations = patch.patch_paths().into_iter().map(|p| ToolLocation { path: p.to_owned(), line: None }).collect();
    let shown = |p: &str| display_path(&absolute(p), project);
    let (name, kind, title) = match changes {
        [one] => match &one.kind {
            PatchKind::Add => ("Write", ToolKind::Edit, format!("Write {}", shown(&one.path))),
            PatchKind::Delete => ("Edit", ToolKind::Delete, format!("Delete {}", shown(&one.path))),
            PatchKind::Update { move_path: Some(to) } => {
                ("Edit", ToolKind::Move, format!("Move {} to {}", shown(&one.path), shown(to)))
            }
            PatchKind::Update { move_path: None } => ("Edit", ToolKind::Edit, format!("Edit {}", shown(&one.path))),
        },
        [] => ("Edit", ToolKind::Edit, "Edit files".to_owned()),
        many => ("Edit", ToolKind::Edit, format!("Edit {} files", many.len())),
    };
    let input = match changes {
        // An added file's "diff" is its whole content.
        [one] if matches!(one.kind, PatchKind::Add) => ToolInput::Write { path: text(&one.path), content: one.diff.clone(), cwd: None },
        _ => patch,
    };
    Described { name: name.into(), kind, title, input, raw: raw_changes.clone(), locations }
}

/// What an `apply_patch` did, for the tool's output when Codex sent none: `A path`, `M path`,
/// `D path`, one per line, like `git status --short`.
pub(super) fn patch_summary(changes: &[FileUpdateChange]) -> String {
    changes
        .iter()
        .map(|c| match &c.kind {
            PatchKind::Add => format!("A {}", c.path),
            PatchKind::Delete => format!("D {}", c.path),
            PatchKind::Update { move_path: Some(to) } => format!("R {} -> {to}", c.path),
            PatchKind::Update { move_path: None } => format!("M {}", c.path),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A path relative to the project when it lies inside, else as given.
pub(super) fn display_path(path: &Path, project: &Path) -> String {
    path.strip_prefix(project)
        .ok()
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| path.to_string_lossy().into_owned())
}

pub(super) fn one_line(text: &str, max: usize) -> String {
    let first = text.lines().next().unwrap_or("");
    let mut out: String = first.chars().take(max).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn change(path: &str, kind: PatchKind, diff: &str) -> FileUpdateChange {
        FileUpdateChange { path: path.into(), kind, diff: diff.into() }
    }

    #[test]
    fn the_script_inside_codexs_shell_wrapper_is_the_command() {
        assert_eq!(unwrap_shell("/bin/bash -lc 'touch a.txt && ls'"), "touch a.txt && ls");
        assert_eq!(unwrap_shell("bash -c \"echo 'hi'\""), "echo 'hi'");
        assert_eq!(unwrap_shell("ls -la"), "ls -la", "a plain command stays");
        assert_eq!(unwrap_shell("/bin/bash -lc 'a' && rm x"), "/bin/bash -lc 'a' && rm x", "more than the wrapper stays whole");
    }

    #[test]
    fn one_added_file_is_a_write_and_a_patch_of_several_is_an_edit_of_each_file() {
        let project = Path::new("/p");
        let add = [change("/p/hello.txt", PatchKind::Add, "hello\n")];
        let d = file_change(&add, project, &json!([]));
        assert_eq!((d.name.as_str(), d.title.as_str()), ("Write", "Write hello.txt"));
        assert_eq!(d.input, ToolInput::Write { path: "/p/hello.txt".into(), content: "hello\n".into(), cwd: None }, "the added file's text is its content");
        let many = [change("src/a.rs", PatchKind::Update { move_path: None }, "@@"), change("/p/src/x/b.rs", PatchKind::Add, "b")];
        let d = file_change(&many, project, &json!([]));
        assert_eq!((d.name.as_str(), d.title.as_str()), ("Edit", "Edit 2 files"));
        assert_eq!(d.input.patch_paths(), ["/p/src/a.rs", "/p/src/x/b.rs"], "relative paths are placed in the project");
        assert_eq!(d.locations.len(), 2);
        let out = [change("/p/a", PatchKind::Update { move_path: Some("/etc/a".into()) }, "")];
        let d = file_change(&out, project, &json!([]));
        assert_eq!(d.kind, ToolKind::Move);
        assert_eq!(d.input.patch_paths(), ["/p/a", "/etc/a"], "both ends of a move");
    }
}
