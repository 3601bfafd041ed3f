//! Warden's own agents folder, `<data>/agents`: one npm prefix per agent
//! (`<data>/agents/codex/node_modules/.bin/codex`), installed from the window and found by
//! discovery like any installed agent.
//!
//! An install never leaves half a package behind: npm writes into `.<agent>.partial`, and only
//! a finished install that has the agent's command is renamed into place (the old one, if any,
//! moved aside first and removed after). A failed or cancelled install removes the partial
//! folder; one a crash left behind is removed by the next install.

use std::path::{Path, PathBuf};

/// The folder's name in the data folder.
pub const AGENTS_FOLDER: &str = "agents";

/// Warden's agents folder of this process's data folder, once the engine opened.
pub fn root() -> Option<PathBuf> {
    crate::version_cache::shared_data_dir().map(|d| d.join(AGENTS_FOLDER))
}

/// Every installed agent's `node_modules/.bin` in `root`, in name order. Hidden folders
/// (installs under way, old ones being removed) are skipped.
pub fn bin_dirs(root: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(root) else { return Vec::new() };
    let mut dirs: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path().join("node_modules").join(".bin"))
        .filter(|bin| bin.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// An install into a partial folder, to be renamed into place when it succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staged {
    /// Where npm installs (`<root>/.codex.partial`).
    pub partial: PathBuf,
    /// Where the agent lives once installed (`<root>/codex`).
    pub target: PathBuf,
    /// The command the package must bring (`codex`).
    pub program: String,
}

impl Staged {
    /// Prepares `<root>/.<name>.partial` (empty) for the install of `program` as `name`.
    pub fn prepare(root: &Path, name: &str, program: &str) -> std::io::Result<Self> {
        std::fs::create_dir_all(root)?;
        let staged = Self { partial: root.join(format!(".{name}.partial")), target: root.join(name), program: program.to_owned() };
        // What a crashed install left is not reused: npm would mix it with the new one.
        remove_dir(&staged.partial)?;
        std::fs::create_dir_all(&staged.partial)?;
        Ok(staged)
    }

    /// The command in the partial folder, where npm links it.
    fn partial_program(&self) -> PathBuf {
        self.partial.join("node_modules").join(".bin").join(exe_name(&self.program))
    }

    /// Moves a finished install into place and returns the agent's command there. An install
    /// without the command is discarded and refused: discovery would not find the agent.
    pub fn commit(&self) -> Result<PathBuf, String> {
        if !crate::discovery::is_executable(&self.partial_program()) {
            self.discard();
            return Err(format!("the package installed, but it has no `{}` command; nothing was kept", self.program));
        }
        let old = self.target.with_file_name(format!(".{}.old", self.target.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned())));
        let moved = (|| {
            remove_dir(&old)?;
            if self.target.exists() {
                std::fs::rename(&self.target, &old)?;
            }
            if let Err(e) = std::fs::rename(&self.partial, &self.target) {
                // Put the previous install back rather than leave none.
                if old.exists() {
                    let _ = std::fs::rename(&old, &self.target);
                }
                return Err(e);
            }
            remove_dir(&old)
        })();
        match moved {
            // npm's links in .bin are relative, so they hold after the rename.
            Ok(()) => Ok(self.target.join("node_modules").join(".bin").join(exe_name(&self.program))),
            Err(e) => {
                self.discard();
                Err(format!("could not move the install into {}: {e}", self.target.display()))
            }
        }
    }

    /// Removes the partial folder (a failed or cancelled install).
    pub fn discard(&self) {
        if let Err(e) = remove_dir(&self.partial) {
            tracing::warn!(folder = %self.partial.display(), "a failed install's folder was not removed: {e}");
        }
    }
}

fn exe_name(program: &str) -> String {
    // npm writes `.cmd` shims on Windows; discovery looks for the native name there.
    if cfg!(windows) {
        format!("{program}.cmd")
    } else {
        program.to_owned()
    }
}

/// Removes a folder and everything in it; one that is not there is fine.
fn remove_dir(dir: &Path) -> std::io::Result<()> {
    match std::fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn fake_install(staged: &Staged, body: &str) {
        let bin = staged.partial.join("node_modules/.bin");
        std::fs::create_dir_all(&bin).unwrap();
        let program = bin.join(&staged.program);
        std::fs::write(&program, body).unwrap();
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    #[test]
    fn an_install_is_moved_into_place_whole_and_replaces_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("agents");
        let first = Staged::prepare(&root, "codex", "codex").unwrap();
        assert!(bin_dirs(&root).is_empty(), "an install under way is not an installed agent");
        fake_install(&first, "#!/bin/sh\necho 1\n");
        let program = first.commit().unwrap();
        assert_eq!(program, root.join("codex/node_modules/.bin/codex"));
        assert_eq!(bin_dirs(&root), [root.join("codex/node_modules/.bin")]);

        let second = Staged::prepare(&root, "codex", "codex").unwrap();
        fake_install(&second, "#!/bin/sh\necho 2\n");
        second.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&program).unwrap(), "#!/bin/sh\necho 2\n");
        let names: Vec<String> = std::fs::read_dir(&root).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["codex"], "nothing left beside it");
    }

    #[test]
    fn a_package_without_the_command_and_a_failed_install_leave_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("agents");
        let staged = Staged::prepare(&root, "gemini", "gemini").unwrap();
        std::fs::write(staged.partial.join("package.json"), "{}").unwrap();
        let err = staged.commit().unwrap_err();
        assert!(err.contains("no `gemini` command"), "{err}");
        assert!(!staged.partial.exists() && !staged.target.exists());

        let failed = Staged::prepare(&root, "gemini", "gemini").unwrap();
        fake_install(&failed, "#!/bin/sh\n");
        failed.discard();
        assert_eq!(std::fs::read_dir(&root).unwrap().count(), 0);
        // A partial folder a crash left is emptied by the next install.
        let crashed = Staged::prepare(&root, "gemini", "gemini").unwrap();
        std::fs::write(crashed.partial.join("half"), "x").unwrap();
        let next = Staged::prepare(&root, "gemini", "gemini").unwrap();
        assert_eq!(std::fs::read_dir(&next.partial).unwrap().count(), 0);
    }
}
