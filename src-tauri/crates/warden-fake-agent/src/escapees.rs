//! The `escapees` mode: commands that outlive their parent or leave the agent's process group,
//! as an agent's background and daemonised commands do.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The kinds started, each named in the pid file.
pub const KINDS: [&str; 4] = ["setsid", "double", "nohup", "bare"];

/// Starts one command of each kind and returns once every one wrote its pid (at most 10 s).
pub fn start() {
    let dir = PathBuf::from(std::env::var_os("WARDEN_FAKE_DIR").expect("WARDEN_FAKE_DIR names a folder"));
    let script = dir.join("loop.sh");
    // Records its own pid, then appends a line every 50 ms forever.
    std::fs::write(&script, "echo \"$2 $$\" >> \"$1/pids\"\nwhile :; do echo x >> \"$1/$2.log\"; sleep 0.05; done\n")
        .expect("loop script");
    let dir_arg = dir.to_string_lossy().into_owned();
    let script_arg = script.to_string_lossy().into_owned();
    // A session leader of its own, as Claude Code starts each Bash command.
    spawn(Command::new("setsid").args(["sh", &script_arg, &dir_arg, "setsid"]));
    // `(cmd &)`: the shell exits at once, its background job is orphaned.
    spawn(Command::new("sh").args(["-c", "sh \"$0\" \"$1\" double &", &script_arg, &dir_arg]));
    // `nohup cmd &` from a shell that exits.
    spawn(Command::new("sh").args(["-c", "nohup sh \"$0\" \"$1\" nohup >/dev/null 2>&1 &", &script_arg, &dir_arg]));
    // Orphaned and without the environment the agent's processes inherit.
    spawn(Command::new("env").args([
        "-i",
        "PATH=/usr/bin:/bin",
        "sh",
        "-c",
        "setsid sh \"$0\" \"$1\" bare &",
        &script_arg,
        &dir_arg,
    ]));
    let deadline = Instant::now() + Duration::from_secs(10);
    while started(&dir) < KINDS.len() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn spawn(command: &mut Command) {
    // Never waited for on purpose: each must outlive whatever started it.
    #[allow(clippy::zombie_processes)]
    let _ = command.spawn().expect("the command starts");
}

fn started(dir: &Path) -> usize {
    std::fs::read_to_string(dir.join("pids")).map(|t| t.lines().count()).unwrap_or(0)
}
