//! The two executables: `warden` (headless) hands `warden PATH` and `warden` to `warden-window`
//! beside it by replacing itself (same process, arguments unchanged), and says clearly when that
//! executable is missing. Unix: the hand-over is an `exec`.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const HEADLESS: &str = env!("CARGO_BIN_EXE_warden");
const WINDOW: &str = env!("CARGO_BIN_EXE_warden-window");

/// A folder beside the build's executables (so a hard link works: no 80 MB copy) holding a
/// `warden` of its own, and the `warden` in it.
fn lone_warden() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::Builder::new().prefix("executables-").tempdir_in(Path::new(HEADLESS).parent().unwrap()).unwrap();
    let warden = dir.path().join("warden");
    std::fs::hard_link(HEADLESS, &warden).or_else(|_| std::fs::copy(HEADLESS, &warden).map(|_| ())).unwrap();
    (dir, warden)
}

/// `warden args…` with no display at all.
fn headless(program: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(program);
    command.args(args).env_remove("DISPLAY").env_remove("WAYLAND_DISPLAY").env_remove("WARDEN_DATA_DIR").stdin(Stdio::null());
    command
}

#[test]
fn warden_path_reaches_the_window_executable() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let out = headless(Path::new(HEADLESS), &["--data-dir", data.path().to_str().unwrap(), project.path().to_str().unwrap()]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Only the window's executable looks for a display; the headless one never does.
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no display found"), "the window's own message: {stderr}");
    let direct = headless(Path::new(WINDOW), &["--data-dir", data.path().to_str().unwrap()]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&direct.stderr), stderr, "the same message as warden-window's own");
}

#[test]
fn the_window_replaces_the_headless_process_with_the_same_arguments() {
    let (dir, warden) = lone_warden();
    // A stand-in window executable that says which process it runs in and what it was given.
    let window = dir.path().join("warden-window");
    std::fs::write(&window, "#!/bin/sh\necho \"$$\"\nfor a in \"$@\"; do echo \"[$a]\"; done\n").unwrap();
    std::fs::set_permissions(&window, std::fs::Permissions::from_mode(0o755)).unwrap();
    for args in [vec![], vec!["--data-dir", "/tmp/a dir", "/srv/my project"], vec!["--automation"]] {
        let child = headless(&warden, &args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let pid = child.id();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let stdout = String::from_utf8(out.stdout).unwrap();
        let mut lines = stdout.lines();
        assert_eq!(lines.next(), Some(pid.to_string().as_str()), "the same process: {stdout}");
        let given: Vec<String> = lines.map(str::to_owned).collect();
        assert_eq!(given, args.iter().map(|a| format!("[{a}]")).collect::<Vec<_>>(), "arguments unchanged");
    }
    // A command stays in the headless executable: the stand-in is not started.
    let data = tempfile::tempdir().unwrap();
    let data = data.path().to_str().unwrap();
    let out = headless(&warden, &["sessions", "--project", data, "--data-dir", data]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && stdout.starts_with("No sessions in"), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    let out = headless(&warden, &["--version"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), format!("warden {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn a_missing_window_executable_is_a_clear_error() {
    let (dir, warden) = lone_warden();
    let out = headless(&warden, &["/srv/project"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let missing = dir.path().join("warden-window");
    assert!(stderr.contains(&format!("{} is missing", missing.display())), "names what is missing: {stderr}");
    assert!(stderr.contains("reinstall Warden"), "says what to do: {stderr}");
    // Commands do not need it.
    let out = headless(&warden, &["--version"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}
