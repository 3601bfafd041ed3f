//! Warden's two executables and how each finds the other. `warden` is the headless one: every
//! command, and no GTK or WebKitGTK linked, so a command starts in a few milliseconds instead of
//! spending ~60 ms of CPU in the dynamic loader on ~170 libraries it never uses. `warden-window`
//! is the window (Tauri). Both are installed side by side (/usr/bin in the .deb and .rpm, the
//! AppImage's usr/bin, the .app's Contents/MacOS, the Windows install folder), and `warden` with
//! no command (or with a folder to open) hands the whole command line to `warden-window`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// File name (without the platform's `.exe`) of the headless executable.
pub const HEADLESS_NAME: &str = "warden";
/// File name (without the platform's `.exe`) of the window's executable.
pub const WINDOW_NAME: &str = "warden-window";

/// Why an executable of Warden's could not be found.
#[derive(Debug, thiserror::Error)]
pub enum ExecutableError {
    /// The system did not say where the running executable is.
    #[error("cannot tell where this Warden's executable is: {0}")]
    CurrentExe(std::io::Error),
    /// The sibling executable is not where the installation puts it.
    #[error("{path} is missing (Warden installs {name} beside {beside}): reinstall Warden, or from a source checkout build both with `cargo build --bins`")]
    Missing {
        /// The executable's file name.
        name: String,
        /// Where it was looked for.
        path: PathBuf,
        /// The executable that looked for it.
        beside: PathBuf,
    },
}

/// The headless `warden` executable of this installation: the running executable when it is
/// the headless one, else (the window) the `warden` beside it. `warden remote install` copies this
/// one to another host: it needs no GTK there.
pub fn headless_executable() -> Result<PathBuf, ExecutableError> {
    let exe = std::env::current_exe().map_err(ExecutableError::CurrentExe)?;
    if is_named(&exe, WINDOW_NAME) {
        return sibling(&exe, HEADLESS_NAME);
    }
    Ok(exe)
}

/// The window's executable beside the running one.
pub fn window_executable() -> Result<PathBuf, ExecutableError> {
    let exe = std::env::current_exe().map_err(ExecutableError::CurrentExe)?;
    sibling(&exe, WINDOW_NAME)
}

/// `exe`'s sibling called `name` (plus `.exe` on Windows), if it is a file.
fn sibling(exe: &Path, name: &str) -> Result<PathBuf, ExecutableError> {
    let path = exe.with_file_name(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if path.is_file() {
        Ok(path)
    } else {
        Err(ExecutableError::Missing { name: name.to_owned(), path, beside: exe.to_owned() })
    }
}

/// Whether `exe`'s file name is `name` (plus `.exe` on Windows).
fn is_named(exe: &Path, name: &str) -> bool {
    exe.file_name().is_some_and(|f| f.to_string_lossy() == format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

/// Opens the window with these arguments (the command line after the program name, unchanged).
/// On Unix the window's executable replaces this process (`exec`): the same process id, standard
/// streams and environment, so whatever started `warden` (a desktop entry, a shell, WebKit's
/// WebDriver, the single-instance hand-over) sees one process, as before the split. Windows has
/// no `exec`: the window is started and this console program returns at once, as a shell does
/// not wait for a window either. Returns only on failure (Unix), with the exit code to use.
pub fn open_window(args: Vec<OsString>) -> ExitCode {
    let window = match window_executable() {
        Ok(path) => path,
        Err(e) => {
            eprintln!("warden: cannot open the window: {e}");
            return ExitCode::from(2);
        }
    };
    let mut command = std::process::Command::new(&window);
    command.args(args);
    match hand_over(command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("warden: cannot start {}: {e}", window.display());
            ExitCode::from(2)
        }
    }
}

/// Unix: becomes the window (returns only when `exec` failed).
#[cfg(unix)]
fn hand_over(mut command: std::process::Command) -> std::io::Result<()> {
    use std::os::unix::process::CommandExt;
    Err(command.exec())
}

/// Windows: starts the window and leaves it running.
#[cfg(not(unix))]
fn hand_over(mut command: std::process::Command) -> std::io::Result<()> {
    command.spawn().map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sibling_is_found_only_when_it_is_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let exe = dir.path().join(format!("{HEADLESS_NAME}{}", std::env::consts::EXE_SUFFIX));
        let window = dir.path().join(format!("{WINDOW_NAME}{}", std::env::consts::EXE_SUFFIX));
        let missing = sibling(&exe, WINDOW_NAME).unwrap_err();
        assert!(matches!(&missing, ExecutableError::Missing { path, .. } if *path == window));
        assert!(missing.to_string().contains("reinstall Warden"), "{missing}");
        std::fs::create_dir(&window).unwrap();
        assert!(sibling(&exe, WINDOW_NAME).is_err(), "a folder of that name is not the executable");
        std::fs::remove_dir(&window).unwrap();
        std::fs::write(&window, b"").unwrap();
        assert_eq!(sibling(&exe, WINDOW_NAME).unwrap(), window);
    }

    #[test]
    fn only_the_exact_file_name_counts() {
        let suffix = std::env::consts::EXE_SUFFIX;
        assert!(is_named(Path::new(&format!("/usr/bin/warden-window{suffix}")), WINDOW_NAME));
        assert!(!is_named(Path::new(&format!("/usr/bin/warden{suffix}")), WINDOW_NAME));
        assert!(!is_named(Path::new(&format!("/opt/warden-window-old{suffix}")), WINDOW_NAME));
    }
}
