//! One Warden window per data folder: `warden PATH` while Warden runs on the same data folder
//! hands PATH to the running window (tauri-plugin-single-instance), which opens it the way
//! File › Open Project… does and comes to the front; the second process exits at once.
//!
//! Only the window is ever routed: `main.rs` runs the headless subcommands (`warden run`, …)
//! before Tauri starts, so they never reach the plugin, and a forwarded command line that names
//! one anyway (another Warden version) is ignored here.
//!
//! Identity: on Linux the plugin claims a D-Bus name on the session bus. That name is the app
//! identifier for the default data folder and the identifier plus a hash of the folder for any
//! other (`--data-dir`, `WARDEN_DATA_DIR`), so two instances on different data folders (the
//! end-to-end tests give every app its own) are never merged. macOS and Windows name their lock
//! after the identifier alone, so there a non-default data folder runs without the plugin.
//! Without a session bus (a bare `xvfb-run`, a container) the plugin launches normally: every
//! `warden PATH` opens its own window, and a warning in the log says why.

use crate::cli::Launch;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Manager, Runtime};

/// The plugin for this launch, or `None` where it must not run (see the module comment).
pub fn plugin<R: Runtime>(launch: &Launch) -> Option<TauriPlugin<R>> {
    let id = instance_id(launch.data_dir.as_deref(), crate::cli::default_data_dir().as_deref());
    if !cfg!(target_os = "linux") && id != crate::IDENTIFIER {
        return None;
    }
    Some(
        tauri_plugin_single_instance::Builder::new()
            .dbus_id(id)
            .callback(|app, argv, cwd| forwarded(app, argv, &cwd))
            .build(),
    )
}

/// The command lines that arrived before the window finished starting, and whether it has.
/// Managed by `run`; absent on the mock runtime, where nothing is ever forwarded.
#[derive(Default)]
pub struct Forwarded(Mutex<(bool, Vec<String>)>);

/// Start-up is done: the paths that arrived meanwhile are opened now, later ones at once. Also
/// says in the log when there is no session bus to be the single instance on.
pub fn ready<R: Runtime>(app: &AppHandle<R>) {
    let Some(forwarded) = app.try_state::<Forwarded>() else { return };
    let waiting = {
        let mut guard = forwarded.0.lock().unwrap_or_else(|p| p.into_inner());
        guard.0 = true;
        std::mem::take(&mut guard.1)
    };
    for path in waiting {
        open(app, path);
    }
    #[cfg(target_os = "linux")]
    std::thread::spawn(|| {
        // The plugin's own warning is given before the log exists, so the bus is asked again.
        if let Err(e) = zbus::blocking::Connection::session() {
            tracing::warn!(
                "no D-Bus session bus ({e}): this window is not the single instance, so `warden PATH` \
                 opens another window instead of this one"
            );
        }
    });
}

/// Another `warden [PATH]` started on this data folder: the window comes to the front and opens
/// PATH (relative to where that command ran).
fn forwarded<R: Runtime>(app: &AppHandle<R>, argv: Vec<String>, cwd: &str) {
    let path = match requested_path(&argv, Path::new(cwd)) {
        Ok(path) => path,
        Err(why) => {
            tracing::warn!(?argv, "a second launch was not for the window: {why}");
            None
        }
    };
    tracing::info!(path = path.as_deref().unwrap_or("-"), "second launch handed to this window");
    let handle = app.clone();
    // The plugin calls from its D-Bus thread; windows and menus are the main thread's.
    let run = app.run_on_main_thread(move || {
        front(&handle);
        let Some(path) = path else { return };
        let Some(forwarded) = handle.try_state::<Forwarded>() else { return };
        {
            let mut guard = forwarded.0.lock().unwrap_or_else(|p| p.into_inner());
            if !guard.0 {
                guard.1.push(path);
                return;
            }
        }
        open(&handle, path);
    });
    if let Err(e) = run {
        tracing::warn!(error = %e, "cannot hand the second launch to the window");
    }
}

/// Opens `path` as File › Open Project… does; a failure is a notice in the window.
fn open<R: Runtime>(app: &AppHandle<R>, path: String) {
    let _ = crate::publish::open_or_notify(app, &path);
}

/// Unminimizes, shows and focuses the main window.
fn front<R: Runtime>(app: &AppHandle<R>) {
    let Some(window) = app.get_webview_window("main") else { return };
    let steps = [window.unminimize(), window.show(), window.set_focus()];
    for e in steps.into_iter().filter_map(Result::err) {
        tracing::warn!(error = %e, "bringing the window to the front failed");
    }
}

/// The project a forwarded command line asks to open, made absolute against `cwd`. An error
/// for a command line that is not for the window (a headless command, unparsable arguments).
pub fn requested_path(argv: &[String], cwd: &Path) -> Result<Option<String>, String> {
    use clap::Parser;
    let cli = crate::cli::Cli::try_parse_from(argv).map_err(|e| e.kind().to_string())?;
    if cli.command.is_some() {
        return Err("headless commands run on their own".into());
    }
    Ok(cli.path.map(|p| {
        let path = PathBuf::from(&p);
        if path.is_absolute() || p.is_empty() {
            p
        } else {
            cwd.join(path).to_string_lossy().into_owned()
        }
    }))
}

/// The name this data folder's instance is known by: the app identifier for the default folder
/// (or none given), the identifier and a hash of the folder's canonical path for any other.
pub fn instance_id(data_dir: Option<&Path>, default_dir: Option<&Path>) -> String {
    let Some(dir) = data_dir else { return crate::IDENTIFIER.into() };
    let dir = canonical(dir);
    if default_dir.map(canonical).as_ref() == Some(&dir) {
        return crate::IDENTIFIER.into();
    }
    // A D-Bus name element: letters, digits and `_`, not starting with a digit.
    format!("{}.data{:016x}", crate::IDENTIFIER, fnv1a(dir.as_os_str().as_encoded_bytes()))
}

/// The folder's canonical path, or (not made yet) its absolute one.
fn canonical(dir: &Path) -> PathBuf {
    std::fs::canonicalize(dir).unwrap_or_else(|_| std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf()))
}

/// 64-bit FNV-1a: stable across Rust versions and builds (std's hasher is not promised to be),
/// so two Warden builds agree on a folder's name.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_default_folder_is_the_plain_identifier() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(instance_id(None, Some(dir.path())), crate::IDENTIFIER);
        assert_eq!(instance_id(Some(dir.path()), Some(dir.path())), crate::IDENTIFIER);
        // Spelled differently, the same folder.
        let dotted = dir.path().join(".");
        assert_eq!(instance_id(Some(&dotted), Some(dir.path())), crate::IDENTIFIER);
    }

    #[test]
    fn other_folders_are_other_instances() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let id_a = instance_id(Some(a.path()), None);
        let id_b = instance_id(Some(b.path()), None);
        assert_ne!(id_a, id_b);
        assert_ne!(id_a, crate::IDENTIFIER);
        std::fs::create_dir(a.path().join("x")).unwrap();
        assert_eq!(id_a, instance_id(Some(&a.path().join("x").join("..")), None), "the same folder, however spelled");
        // A valid D-Bus name: elements of [A-Za-z0-9_], none starting with a digit.
        for element in id_a.split('.') {
            assert!(!element.is_empty() && !element.starts_with(|c: char| c.is_ascii_digit()), "{id_a}");
            assert!(element.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'), "{id_a}");
        }
    }

    #[test]
    fn a_relative_path_is_taken_from_where_the_second_command_ran() {
        let cwd = Path::new("/home/me/src");
        assert_eq!(requested_path(&args(&["warden", "proj"]), cwd), Ok(Some("/home/me/src/proj".into())));
        assert_eq!(requested_path(&args(&["warden", "/abs/p", "--data-dir", "/d"]), cwd), Ok(Some("/abs/p".into())));
        assert_eq!(requested_path(&args(&["warden"]), cwd), Ok(None));
    }

    #[test]
    fn headless_commands_are_never_opened_in_the_window() {
        let cwd = Path::new("/");
        assert!(requested_path(&args(&["warden", "sessions", "/p"]), cwd).is_err());
        assert!(requested_path(&args(&["warden", "--no-such-flag"]), cwd).is_err());
    }
}
