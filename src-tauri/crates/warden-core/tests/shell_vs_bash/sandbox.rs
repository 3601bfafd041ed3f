//! Where bash runs the generated lines: a temporary `PATH` of stub programs that record the
//! argument vector they were started with.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::STUBS;

/// Where bash runs and what it may run.
pub struct Sandbox {
    bash: PathBuf,
    stubs: tempfile::TempDir,
    pub builtins: HashSet<String>,
}

impl Sandbox {
    pub fn new() -> Option<Sandbox> {
        let bash = ["/bin/bash", "/usr/bin/bash"]
            .iter()
            .map(PathBuf::from)
            .find(|p| p.exists())?;
        let stubs = tempfile::tempdir().ok()?;
        for stub in STUBS {
            let path = stubs.path().join(stub);
            // Writes the argument vector, NUL-separated, to a file named after its process.
            std::fs::write(
                &path,
                "#!/bin/sh\nprintf '%s\\0' \"${0##*/}\" \"$@\" > \"$WLOG/$$\"\nexit \"$WSTATUS\"\n",
            )
            .ok()?;
            make_executable(&path)?;
        }
        let names = Command::new(&bash)
            .args(["-c", "compgen -b; compgen -k"])
            .output()
            .ok()?;
        let builtins = String::from_utf8_lossy(&names.stdout)
            .lines()
            .map(str::to_owned)
            .collect();
        Some(Sandbox {
            bash,
            stubs,
            builtins,
        })
    }

    /// Runs `line` under bash, every stub exiting with `status`; returns the argument vectors
    /// the stubs recorded, and whether bash reported a syntax error.
    pub fn run(&self, line: &str, status: u8) -> (Vec<Vec<String>>, bool) {
        let Ok(work) = tempfile::tempdir() else {
            return (Vec::new(), false);
        };
        let log = work.path().join("log");
        let cwd = work.path().join("cwd");
        let _ = std::fs::create_dir_all(&log);
        let _ = std::fs::create_dir_all(&cwd);
        let _ = std::fs::write(cwd.join("in"), "");
        let output = Command::new(&self.bash)
            .args(["--norc", "--noprofile", "-c", line])
            .env_clear()
            .env("PATH", self.stubs.path())
            .env("WLOG", &log)
            .env("WSTATUS", status.to_string())
            .env("HOME", work.path())
            .env("LC_ALL", "C")
            .current_dir(&cwd)
            .stdin(Stdio::null())
            .output();
        let syntax_error = output
            .as_ref()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stderr).contains("syntax error"));
        // A stub started in the background may still be writing: wait until the records stop
        // changing, bounded.
        // bash does not wait for a process substitution either.
        if has_background(line) || line.contains("<(") || line.contains(">(") {
            let deadline = Instant::now() + Duration::from_millis(300);
            let mut seen = count(&log);
            while Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(30));
                let now = count(&log);
                let partial = records(&log).iter().any(Vec::is_empty);
                if now == seen && !partial {
                    break;
                }
                seen = now;
            }
        }
        (records(&log), syntax_error)
    }
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Option<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).ok()
}

#[cfg(not(unix))]
fn make_executable(_: &Path) -> Option<()> {
    None
}

/// Whether `line` may start something in the background (an `&` that is not `&&`, `&>`, `>&`).
fn has_background(line: &str) -> bool {
    let bytes = line.as_bytes();
    (0..bytes.len()).any(|i| {
        bytes[i] == b'&'
            && !matches!(bytes.get(i + 1), Some(b'&' | b'>'))
            && !(i > 0 && matches!(bytes[i - 1], b'&' | b'>' | b'|'))
    })
}

fn count(log: &Path) -> usize {
    std::fs::read_dir(log).map(|d| d.count()).unwrap_or(0)
}

fn records(log: &Path) -> Vec<Vec<String>> {
    let Ok(dir) = std::fs::read_dir(log) else {
        return Vec::new();
    };
    dir.filter_map(Result::ok)
        .filter_map(|e| std::fs::read(e.path()).ok())
        .map(|bytes| {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let mut argv: Vec<String> = text.split('\0').map(str::to_owned).collect();
            argv.pop(); // after the last NUL
            argv
        })
        .collect()
}
