//! The login PATH read from real shells: bash with a profile that talks, shells that hang, fail,
//! or linger after answering.

use super::shell::{ask, ShellError};
use super::Capture;
use std::ffi::{OsStr, OsString};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// An executable script standing in for a shell (it ignores the `-l -i -c …` it is given).
fn fake_shell(dir: &Path, body: &str) -> PathBuf {
    let path = dir.join("fake-shell");
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("write the fake shell");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("make it executable");
    path
}

fn home(dir: &Path) -> [(&'static str, &OsStr); 1] {
    [("HOME", dir.as_os_str())]
}

/// Whether `pid` is still running, waiting up to two seconds for it to go.
fn still_running_after_a_while(pid: i32) -> bool {
    let until = Instant::now() + Duration::from_secs(2);
    while Instant::now() < until {
        // SAFETY: signal 0 only checks that the process exists.
        if unsafe { libc::kill(pid, 0) } != 0 {
            return false;
        }
        let zombie = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .is_ok_and(|stat| stat.rsplit_once(')').is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')));
        if zombie {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    true
}

#[test]
fn a_real_login_shell_answers_with_the_path_its_profile_sets_up_through_its_noise() {
    let bash = Path::new("/bin/bash");
    if !bash.exists() {
        eprintln!("no /bin/bash here; skipped");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join(".profile"),
        "echo 'Welcome! Last login: today'\nexport PATH=\"/opt/fake-homebrew/bin:$PATH\"\necho 'nvm: using node v22'\n",
    )
    .expect("write the profile");
    let path = ask(bash, Duration::from_secs(10), &home(dir.path())).expect("bash answers");
    let path = path.to_string_lossy().into_owned();
    assert!(path.starts_with("/opt/fake-homebrew/bin:"), "PATH from the login shell: {path}");
    assert!(!path.contains("Welcome") && !path.contains("nvm"), "noise kept: {path}");
}

#[test]
fn a_shell_that_hangs_is_killed_with_what_it_started_once_the_timeout_passes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shell = fake_shell(dir.path(), "sleep 30 &\necho $! > \"$HOME/child.pid\"\necho 'loading plugins…'\nwait");
    let started = Instant::now();
    let answer = ask(&shell, Duration::from_millis(400), &home(dir.path()));
    assert!(matches!(answer, Err(ShellError::TimedOut(_))), "{answer:?}");
    assert!(started.elapsed() < Duration::from_secs(3), "took {:?}", started.elapsed());
    let child: i32 = std::fs::read_to_string(dir.path().join("child.pid")).expect("the shell wrote its child").trim().parse().expect("a pid");
    assert!(!still_running_after_a_while(child), "the shell's child {child} outlived it");
}

#[test]
fn a_shell_that_fails_gives_no_path_and_the_apps_own_stays_in_use() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shell = fake_shell(dir.path(), "echo 'zsh: bad option: -i' >&2\nexit 3");
    let answer = ask(&shell, Duration::from_secs(5), &home(dir.path()));
    assert!(matches!(answer, Err(ShellError::NoPath { code: Some(3) })), "{answer:?}");
    let capture = Capture::start(shell, Duration::from_secs(5), Vec::new());
    assert_eq!(capture.merged(Some(OsStr::new("/usr/bin:/bin"))), Some(OsString::from("/usr/bin:/bin")));
}

#[test]
fn a_missing_shell_and_a_hanging_one_leave_the_apps_own_path_within_the_timeout() {
    let missing = Capture::start(PathBuf::from("/nonexistent/shell"), Duration::from_secs(5), Vec::new());
    assert_eq!(missing.merged(Some(OsStr::new("/usr/bin"))), Some(OsString::from("/usr/bin")));
    let dir = tempfile::tempdir().expect("temp dir");
    let shell = fake_shell(dir.path(), "exec sleep 30");
    let started = Instant::now();
    let hanging = Capture::start(shell, Duration::from_millis(300), Vec::new());
    assert_eq!(hanging.merged(Some(OsStr::new("/usr/bin"))), Some(OsString::from("/usr/bin")));
    assert!(started.elapsed() < Duration::from_secs(3), "waited {:?}", started.elapsed());
}

#[test]
fn the_answer_counts_as_soon_as_it_is_printed_even_if_the_shell_lingers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shell = fake_shell(
        dir.path(),
        "printf '%s' \"$WARDEN_PATH_MARK\"; echo /opt/homebrew/bin:/usr/bin; printf '%s' \"$WARDEN_PATH_MARK\"; exec sleep 30",
    );
    let started = Instant::now();
    let capture = Capture::start(shell, Duration::from_secs(10), vec![("HOME".to_owned(), dir.path().into())]);
    let merged = capture.merged(Some(OsStr::new("/usr/bin:/usr/sbin")));
    assert_eq!(merged, Some(OsString::from("/opt/homebrew/bin:/usr/bin:/usr/sbin")));
    assert!(started.elapsed() < Duration::from_secs(3), "waited {:?}", started.elapsed());
}
