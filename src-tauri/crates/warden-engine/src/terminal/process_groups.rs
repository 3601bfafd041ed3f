//! Which process groups a terminal's kill signals. The program leads its own session on the PTY;
//! an interactive shell puts each job in a process group of its own inside that session, so
//! signalling the shell's group alone leaves background jobs running, and relying on the shell
//! to pass SIGHUP on fails when it is slow or already gone.

use std::collections::BTreeSet;

/// The groups to signal for a terminal whose program is `leader`: its own group, the PTY's
/// foreground job, and (on Linux, read from /proc) every other group of its session. Never
/// Warden's own group, init's, or 0 (which would mean "the caller's group").
pub(super) fn terminal_groups(leader: Option<libc::pid_t>, foreground: Option<libc::pid_t>) -> Vec<libc::pid_t> {
    let mut groups: BTreeSet<libc::pid_t> = leader.into_iter().chain(foreground).collect();
    #[cfg(target_os = "linux")]
    if let Some(session) = leader {
        groups.extend(session_groups(session));
    }
    // SAFETY: getpgrp has no preconditions and cannot fail.
    let own = unsafe { libc::getpgrp() };
    groups.into_iter().filter(|&g| g > 1 && g != own).collect()
}

/// The process groups of every process in session `session`. The session id stays the
/// leader's pid after the leader exits, so this still finds the jobs a dead shell left behind.
#[cfg(target_os = "linux")]
fn session_groups(session: libc::pid_t) -> BTreeSet<libc::pid_t> {
    crate::process::proc_stats()
        .iter()
        .filter_map(|(_, stat)| {
            // After the command name: state, ppid, pgrp, session.
            let fields = crate::process::stat_fields(stat)?;
            let group = fields.get(2)?.parse().ok()?;
            (fields.get(3)?.parse::<libc::pid_t>().ok()? == session).then_some(group)
        })
        .collect()
}
