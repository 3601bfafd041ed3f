//! One timed run of a whole process tree: wall time from spawn to exit, and the CPU time (user
//! + system) of the process and every descendant, as the kernel accounts it to the harness.
//!
//! The harness is a child subreaper (Linux), so a descendant whose parent exits first is
//! re-parented to it rather than to init, reaped here and counted; without that a daemonised
//! helper's CPU would vanish from one side of the comparison.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What one run cost and said.
#[derive(Debug, Clone)]
pub struct Sample {
    /// Spawn to exit.
    pub wall: Duration,
    /// User + system time of the whole tree.
    pub cpu: Duration,
    /// The exit code (`None` when killed by a signal).
    pub code: Option<i32>,
    /// Everything it printed on stdout.
    pub stdout: String,
    /// Everything it printed on stderr.
    pub stderr: String,
}

/// Makes this process the reaper of its descendants' orphans (Linux; elsewhere orphans are not
/// counted).
pub fn become_subreaper() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_CHILD_SUBREAPER only sets a flag on this process.
    unsafe {
        libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    }
}

/// User + system time of every child (and their descendants) reaped so far.
fn children_cpu() -> Duration {
    // SAFETY: getrusage fills the struct it is given; RUSAGE_CHILDREN cannot fail.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    let time = |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// Reaps every child that has exited (orphans re-parented to the harness), so its time is
/// counted; running ones are left.
fn reap_exited() {
    loop {
        let mut status = 0;
        // SAFETY: waitpid with WNOHANG only reaps children that already exited.
        let pid = unsafe { libc::waitpid(-1, &mut status, libc::WNOHANG) };
        if pid <= 0 {
            return;
        }
    }
}

/// Runs `command` (stdin empty) to its end, at most `limit`, and measures it. Orphans it left
/// behind are given a moment to end and reaped; the rest are killed, so the next run starts
/// alone.
pub fn run(mut command: Command, limit: Duration) -> anyhow::Result<Sample> {
    reap_exited();
    let cpu_before = children_cpu();
    command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = command.spawn()?;
    let pid = child.id();
    // Read both pipes on threads so a chatty process never blocks on a full pipe.
    let mut out = child.stdout.take();
    let mut err = child.stderr.take();
    let read_out = std::thread::spawn(move || read_all(out.as_mut()));
    let read_err = std::thread::spawn(move || read_all(err.as_mut()));
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            anyhow::bail!("pid {pid} did not end within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let wall = started.elapsed();
    let stdout = read_out.join().unwrap_or_default();
    let stderr = read_err.join().unwrap_or_default();
    settle_orphans();
    let cpu = children_cpu().saturating_sub(cpu_before);
    Ok(Sample { wall, cpu, code: status.code(), stdout, stderr })
}

fn read_all(pipe: Option<&mut impl std::io::Read>) -> String {
    let mut bytes = Vec::new();
    if let Some(pipe) = pipe {
        let _ = pipe.read_to_end(&mut bytes);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Waits up to 2 s for orphans re-parented to the harness to end, reaping them; kills what is
/// left.
fn settle_orphans() {
    let deadline = Instant::now() + Duration::from_secs(2);
    while Instant::now() < deadline {
        reap_exited();
        if own_children().is_empty() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    for pid in own_children() {
        eprintln!("bench: process {pid} outlived its run; killed");
        // SAFETY: kill only sends a signal to a child of this process.
        unsafe {
            libc::kill(pid, libc::SIGKILL);
        }
    }
    std::thread::sleep(Duration::from_millis(20));
    reap_exited();
}

/// The living children of this process (Linux: from /proc), threads of the harness aside.
fn own_children() -> Vec<i32> {
    let me = std::process::id().to_string();
    let Ok(dir) = std::fs::read_dir("/proc") else { return Vec::new() };
    dir.filter_map(|d| d.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let fields: Vec<&str> = stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
            // state, ppid: a zombie is reaped by the next round, not killed.
            fields.get(1) == Some(&me.as_str()) && fields.first() != Some(&"Z")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cpu_of_a_whole_tree_is_counted_orphans_included() {
        let _one = crate::ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
        become_subreaper();
        // The shell starts a busy grandchild in the background and exits at once: the
        // grandchild is orphaned, re-parented to the harness and still counted.
        let mut command = Command::new("sh");
        command.args(["-c", "(i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done) & echo started"]);
        let sample = run(command, Duration::from_secs(60)).unwrap();
        assert_eq!(sample.code, Some(0));
        assert_eq!(sample.stdout.trim(), "started");
        assert!(sample.cpu > Duration::from_millis(50), "the orphan's busy loop is counted: {:?}", sample.cpu);
        assert!(own_children().is_empty(), "nothing is left running");
    }
}
