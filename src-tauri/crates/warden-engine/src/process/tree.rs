//! Finding and ending every process an agent started, on Unix.
//!
//! Killing the agent's process group is not enough: Claude Code starts each Bash command as a
//! session leader (`setsid`), and `(cmd &)`, `nohup cmd &` or a daemon's double fork leave
//! processes whose parent is gone. Three things find them:
//!
//! - **Linux: the agent is a child subreaper** (`PR_SET_CHILD_SUBREAPER`, set between fork and
//!   exec). Orphans of its commands are re-parented to the agent instead of init, so while the
//!   agent lives every process it started is its descendant by parent id.
//! - **A mark in the environment**: every agent gets [`TAG_VAR`] with a value of its own, which
//!   its commands inherit. After the agent exited (its orphans then went to init) a process
//!   still carrying the mark is found through `/proc/<pid>/environ` (Linux).
//! - **What was collected before**: [`Tree::remember`] notes the descendants (with their start
//!   times, so a reused process id is never mistaken for one) before the agent is asked to
//!   exit; their own descendants are found from them later.
//!
//! Ending is freeze-then-kill: every process found is stopped (`SIGSTOP`), so none can start
//! another, the search repeats until it finds nothing new, then all are killed at once and the
//! search runs again until nothing is left (bounded). Each search reads every process's
//! `/proc/<pid>/stat`, which is most of what ending an agent costs (it is on the way out of every
//! `warden run`), so a search that finds nothing ends it at once, and an ended tree is not
//! searched again (the agent's process is ended once by its session and once when dropped).
//!
//! Not covered: on Linux, a process that clears its environment and leaves the agent's tree
//! after the last collection (a double fork while the agent itself is exiting). On macOS there
//! is no subreaper and no readable environment: the process group, the agent's descendants
//! while it lives and those remembered before it was asked to exit.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// The environment variable that marks an agent's processes; its value is unique per agent
/// process Warden starts.
pub const TAG_VAR: &str = "WARDEN_SESSION";

/// Rounds of freezing before giving up on a process tree that keeps growing.
const FREEZE_ROUNDS: usize = 200;
/// Rounds of checking that everything killed is gone.
const KILL_ROUNDS: usize = 40;

/// One process as a scan saw it.
#[derive(Debug, Clone)]
struct Entry {
    pid: i32,
    ppid: i32,
    /// When it started, as the system reports it: with the pid, an identity that survives the
    /// pid being reused.
    start: String,
    /// Dead but not yet reaped: nothing to kill.
    zombie: bool,
}

/// The processes of one agent: its own pid, its mark, and what was collected of its tree.
#[derive(Debug)]
pub struct Tree {
    root: i32,
    root_start: Option<String>,
    tag: String,
    remembered: Mutex<HashMap<i32, String>>,
    /// Set once [`Tree::end`] found nothing left: nothing of the tree can start again.
    ended: AtomicBool,
}

impl Tree {
    /// The tree of the agent `root`, marked with `tag` ([`TAG_VAR`]'s value in its environment).
    pub fn new(root: u32, tag: String) -> Self {
        let root = root as i32;
        let root_start = entry(root).map(|e| e.start);
        Self { root, root_start, tag, remembered: Mutex::new(HashMap::new()), ended: AtomicBool::new(false) }
    }

    /// A new, unique mark for an agent process.
    pub fn new_tag() -> String {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        format!("{}-{}-{nanos}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
    }

    /// Notes every process of the tree now, so they are still found once the agent exited and
    /// its orphans lost their parent.
    ///
    /// On Linux, while the agent lives, that is its descendants: as a child subreaper it
    /// inherits every orphan of its commands, so nothing it started (nor anything carrying its
    /// mark) is outside its tree. They are read from the kernel's lists of each thread's
    /// children, which costs what the agent's tree holds rather than what the machine runs:
    /// this happens at every stop, before the agent is asked to exit (a full scan there delayed
    /// the end of every `warden run` by one read per process of the machine). Where those lists
    /// are missing, or the agent is already gone, every process is scanned as before.
    pub fn remember(&self) {
        #[cfg(target_os = "linux")]
        if let Some(found) = self.descendants_while_alive() {
            let mut remembered = self.remembered.lock().unwrap_or_else(|p| p.into_inner());
            for e in found {
                remembered.insert(e.pid, e.start);
            }
            return;
        }
        let entries = scan();
        let found = self.members(&entries);
        let mut remembered = self.remembered.lock().unwrap_or_else(|p| p.into_inner());
        for e in entries.iter().filter(|e| found.contains(&e.pid)) {
            remembered.insert(e.pid, e.start.clone());
        }
    }

    /// Ends every process of the tree, the agent included, and returns once none is left or
    /// the bounded rounds ran out. Blocks for a few milliseconds per round. Once it found
    /// nothing left, later calls return at once: a tree with no process left cannot grow.
    pub fn end(&self) {
        if self.ended.load(Ordering::Acquire) {
            return;
        }
        // Each frozen process with its start time as the scan that found it saw it.
        let mut frozen: HashMap<i32, String> = HashMap::new();
        for _ in 0..FREEZE_ROUNDS {
            let entries = scan();
            let members = self.members(&entries);
            let new: Vec<&Entry> = entries.iter().filter(|e| members.contains(&e.pid) && !frozen.contains_key(&e.pid)).collect();
            if new.is_empty() {
                break;
            }
            for e in new {
                signal(e.pid, libc::SIGSTOP);
                frozen.insert(e.pid, e.start.clone());
            }
        }
        // SAFETY: killpg only sends a signal; a group that is already gone gives ESRCH.
        let kill_group = || unsafe {
            libc::killpg(self.root, libc::SIGKILL);
        };
        if frozen.is_empty() {
            // Nothing is left (the agent exited and left nothing behind: the common case at
            // the end of a run). The group still gets its signal, for anything in it that
            // neither descends from the agent nor carries its mark.
            kill_group();
            self.ended.store(true, Ordering::Release);
            return;
        }
        // What is frozen now is killed now; a reused pid must not be taken for it later.
        self.remembered.lock().unwrap_or_else(|p| p.into_inner()).extend(frozen.iter().map(|(pid, start)| (*pid, start.clone())));
        for &pid in frozen.keys() {
            signal(pid, libc::SIGKILL);
        }
        kill_group();
        for _ in 0..KILL_ROUNDS {
            let left: Vec<i32> = self.members(&scan()).into_iter().collect();
            if left.is_empty() {
                self.ended.store(true, Ordering::Release);
                return;
            }
            for pid in left {
                signal(pid, libc::SIGKILL);
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        tracing::warn!(root = self.root, "processes of the agent were still alive after killing them");
    }

    /// The living processes of the tree in `entries`: descendants of the agent and of every
    /// remembered process (each only while it is still the same process), and every process
    /// carrying the mark. Never Warden itself.
    fn members(&self, entries: &[Entry]) -> HashSet<i32> {
        let me = std::process::id() as i32;
        let by_pid: HashMap<i32, &Entry> = entries.iter().map(|e| (e.pid, e)).collect();
        let mut children: HashMap<i32, Vec<i32>> = HashMap::new();
        for e in entries {
            children.entry(e.ppid).or_default().push(e.pid);
        }
        let same = |pid: i32, start: &str| by_pid.get(&pid).is_some_and(|e| e.start == start);
        let mut queue: VecDeque<i32> = VecDeque::new();
        if self.root_start.as_deref().is_some_and(|s| same(self.root, s)) {
            queue.push_back(self.root);
        }
        {
            let remembered = self.remembered.lock().unwrap_or_else(|p| p.into_inner());
            queue.extend(remembered.iter().filter(|(pid, start)| same(**pid, start)).map(|(pid, _)| *pid));
        }
        queue.extend(entries.iter().filter(|e| !e.zombie && e.pid != me && self.born_since_root(e) && tagged(e.pid, &self.tag)).map(|e| e.pid));
        let mut found = HashSet::new();
        while let Some(pid) = queue.pop_front() {
            if pid == me || !found.insert(pid) {
                continue;
            }
            queue.extend(children.get(&pid).into_iter().flatten().copied());
        }
        found.retain(|pid| by_pid.get(pid).is_some_and(|e| !e.zombie));
        found
    }
}

impl Tree {
    /// The living processes of the tree while the agent itself lives (see
    /// [`remember`](Self::remember)): the agent, its descendants and those of the processes
    /// remembered before, from the per-thread child lists. `None` when the agent is gone or
    /// its pid names another process now, or the kernel keeps no child lists.
    #[cfg(target_os = "linux")]
    fn descendants_while_alive(&self) -> Option<Vec<Entry>> {
        let root = entry(self.root)?;
        if Some(&root.start) != self.root_start.as_ref() || root.zombie || !child_lists() {
            return None;
        }
        let me = std::process::id() as i32;
        // Each with the start time it must still have: a remembered process only while it is
        // the same process (its pid may have been reused), a listed child as it is.
        let mut queue: VecDeque<(i32, Option<String>)> = VecDeque::from([(self.root, None)]);
        queue.extend(self.remembered.lock().unwrap_or_else(|p| p.into_inner()).iter().map(|(pid, start)| (*pid, Some(start.clone()))));
        let mut seen = HashSet::new();
        let mut found = Vec::new();
        while let Some((pid, start)) = queue.pop_front() {
            if pid == me || seen.contains(&pid) {
                continue;
            }
            // Gone since it was listed: nothing to remember, and its children (orphans now)
            // are the agent's and listed there.
            let Some(e) = entry(pid) else { continue };
            if start.is_some_and(|start| start != e.start) {
                continue;
            }
            seen.insert(pid);
            queue.extend(children(pid).into_iter().map(|child| (child, None)));
            if !e.zombie {
                found.push(e);
            }
        }
        Some(found)
    }

    /// Whether a process may carry the agent's mark: the mark is inherited when a process is
    /// started, so only one started no earlier than the agent can have it, and the environment of
    /// every older process (most of the system) is not read on each scan. Start times that are
    /// not clock ticks (outside Linux) are always checked.
    fn born_since_root(&self, e: &Entry) -> bool {
        match (self.root_start.as_deref().and_then(|s| s.parse::<u64>().ok()), e.start.parse::<u64>().ok()) {
            (Some(root), Some(start)) => start >= root,
            _ => true,
        }
    }
}

fn signal(pid: i32, signal: i32) {
    if pid > 1 && pid != std::process::id() as i32 {
        // SAFETY: kill only sends a signal; a process that is already gone gives ESRCH.
        unsafe {
            libc::kill(pid, signal);
        }
    }
}

/// Every process's `/proc/<pid>/stat`, by pid (Linux). The terminal's kill reads it too.
#[cfg(target_os = "linux")]
pub(crate) fn proc_stats() -> Vec<(i32, String)> {
    let Ok(dir) = std::fs::read_dir("/proc") else { return Vec::new() };
    dir.filter_map(|d| d.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter_map(|pid| Some((pid, String::from_utf8(read_proc(&format!("/proc/{pid}/stat"), 512)?).ok()?)))
        .collect()
}

/// A file of `/proc`, read with a buffer of `capacity` bytes to begin with. `/proc` files
/// report a size of 0, so `fs::read` and `read_to_string` start with a 32-byte probe and grow,
/// and `read_to_end` first asks for the size and the position (a scan reads one file per
/// process of the machine, and one scan ends every run): here it is two `read`s when the file
/// fits, the second seeing its end. Not one: a file of several records (`children`) may hand
/// out fewer bytes than asked before its end.
#[cfg(target_os = "linux")]
fn read_proc(path: &str, capacity: usize) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).ok()?;
    let mut buf = vec![0; capacity.max(64)];
    let mut len = 0;
    loop {
        if len == buf.len() {
            buf.resize(buf.len() * 2, 0);
        }
        match file.read(&mut buf[len..]).ok()? {
            0 => break,
            n => len += n,
        }
    }
    buf.truncate(len);
    Some(buf)
}

/// The fields of a `/proc/<pid>/stat` line after the command name: state, ppid, pgrp, session,
/// …, starttime (the 20th). The name may hold spaces and parentheses, so the fields are
/// counted from the last `)`.
#[cfg(target_os = "linux")]
pub(crate) fn stat_fields(stat: &str) -> Option<Vec<&str>> {
    Some(stat[stat.rfind(')')? + 1..].split_whitespace().collect())
}

/// The children of every thread of `pid` (`/proc/<pid>/task/<tid>/children`: a child belongs
/// to the thread that started it).
#[cfg(target_os = "linux")]
fn children(pid: i32) -> Vec<i32> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { return Vec::new() };
    tasks
        .filter_map(|t| read_proc(&format!("/proc/{pid}/task/{}/children", t.ok()?.file_name().to_str()?), 64))
        .flat_map(|list| String::from_utf8_lossy(&list).split_whitespace().filter_map(|p| p.parse().ok()).collect::<Vec<i32>>())
        .collect()
}

/// Whether this kernel keeps per-thread child lists (`CONFIG_PROC_CHILDREN`, on in the common
/// distributions' kernels).
#[cfg(target_os = "linux")]
fn child_lists() -> bool {
    static PRESENT: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *PRESENT.get_or_init(|| {
        // SAFETY: gettid has no preconditions.
        let tid = unsafe { libc::gettid() };
        std::path::Path::new(&format!("/proc/self/task/{tid}/children")).exists()
    })
}

/// Every process: from `/proc` on Linux.
#[cfg(target_os = "linux")]
fn scan() -> Vec<Entry> {
    proc_stats().iter().filter_map(|(pid, stat)| parse_stat(*pid, stat)).collect()
}

/// One process, if it exists.
#[cfg(target_os = "linux")]
fn entry(pid: i32) -> Option<Entry> {
    parse_stat(pid, std::str::from_utf8(&read_proc(&format!("/proc/{pid}/stat"), 512)?).ok()?)
}

/// One process from its `/proc/<pid>/stat` line.
#[cfg(target_os = "linux")]
fn parse_stat(pid: i32, stat: &str) -> Option<Entry> {
    let fields = stat_fields(stat)?;
    let state = *fields.first()?;
    let ppid = fields.get(1)?.parse().ok()?;
    let start = (*fields.get(19)?).to_owned();
    Some(Entry { pid, ppid, start, zombie: state == "Z" || state == "X" })
}

/// Whether the process carries `tag` in its environment (readable for processes of the same
/// user; a zombie's is empty).
#[cfg(target_os = "linux")]
fn tagged(pid: i32, tag: &str) -> bool {
    let Some(environ) = read_proc(&format!("/proc/{pid}/environ"), 8192) else { return false };
    let wanted = format!("{TAG_VAR}={tag}");
    environ.split(|b| *b == 0).any(|var| var == wanted.as_bytes())
}

/// Every process: from `ps` elsewhere (macOS), with the start time as `ps` prints it.
#[cfg(not(target_os = "linux"))]
fn scan() -> Vec<Entry> {
    let Ok(out) = std::process::Command::new("ps").args(["-A", "-o", "pid=,ppid=,stat=,lstart="]).output() else {
        return Vec::new();
    };
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let pid = words.next()?.parse().ok()?;
            let ppid = words.next()?.parse().ok()?;
            let state = words.next()?;
            let start = words.collect::<Vec<_>>().join(" ");
            Some(Entry { pid, ppid, start, zombie: state.starts_with('Z') })
        })
        .collect()
}

/// One process, if it exists.
#[cfg(not(target_os = "linux"))]
fn entry(pid: i32) -> Option<Entry> {
    scan().into_iter().find(|e| e.pid == pid)
}

/// Other processes' environments are not readable without privileges outside Linux.
#[cfg(not(target_os = "linux"))]
fn tagged(_pid: i32, _tag: &str) -> bool {
    false
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn proc_files_are_read_whole_whatever_the_first_buffer() {
        let me = std::process::id();
        for (file, capacity) in [("stat", 8), ("stat", 512), ("environ", 16), ("mountinfo", 64), ("mountinfo", 100_000)] {
            let path = format!("/proc/{me}/{file}");
            let (ours, std) = (read_proc(&path, capacity).unwrap(), std::fs::read(&path).unwrap());
            // `stat` moves (times, sizes): the same length of fields is enough there.
            if file == "stat" {
                assert_eq!(stat_fields(&String::from_utf8_lossy(&ours)).unwrap().len(), stat_fields(&String::from_utf8_lossy(&std)).unwrap().len());
            } else {
                assert_eq!(ours, std, "{file} read with {capacity} bytes first");
            }
        }
        assert_eq!(read_proc("/proc/0/stat", 512), None);
    }

    #[test]
    fn stat_lines_with_odd_command_names_parse() {
        let line = "4242 (a) b (c) ) S 17 4242 4242 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 987654 1 1";
        let e = parse_stat(4242, line).expect("parses");
        assert_eq!((e.ppid, e.start.as_str(), e.zombie), (17, "987654", false));
        let zombie = parse_stat(7, "7 (z) Z 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 55 0 0").unwrap();
        assert!(zombie.zombie);
    }

    #[test]
    fn only_processes_started_since_the_agent_are_looked_at_for_its_mark() {
        let tree = Tree { root: 1, root_start: Some("500".into()), tag: "t".into(), remembered: Mutex::new(HashMap::new()), ended: AtomicBool::new(false) };
        let at = |start: &str| Entry { pid: 2, ppid: 1, start: start.into(), zombie: false };
        assert!(!tree.born_since_root(&at("499")), "older than the agent: it cannot have inherited the mark");
        assert!(tree.born_since_root(&at("500")) && tree.born_since_root(&at("501")));
        assert!(tree.born_since_root(&at("Mon Dec  7 14:00:00 2026")), "a start that is no tick count is always checked");
    }

    #[test]
    fn an_ended_tree_stays_ended_and_its_process_is_gone() {
        use std::os::unix::process::ExitStatusExt;
        let mut child = std::process::Command::new("sleep").arg("60").spawn().unwrap();
        let tree = Tree::new(child.id(), Tree::new_tag());
        assert!(!tree.ended.load(Ordering::Acquire));
        tree.end();
        assert!(tree.ended.load(Ordering::Acquire), "nothing was left after killing the agent");
        assert_eq!(child.wait().unwrap().signal(), Some(libc::SIGKILL));
        // Nothing of it is searched for again (the session ends it, then dropping it does).
        tree.end();
        // An agent that exited before: the first search finds nothing and ends the tree.
        let mut done = std::process::Command::new("true").spawn().unwrap();
        let tree = Tree::new(done.id(), Tree::new_tag());
        done.wait().unwrap();
        tree.end();
        assert!(tree.ended.load(Ordering::Acquire));
    }

    /// While the agent lives, what `remember` notes from the child lists is what a full scan
    /// finds: the agent, its children, their children (a process in a session of its own
    /// included), and no process outside the tree.
    #[test]
    fn the_tree_read_from_child_lists_is_the_tree_a_full_scan_finds() {
        use std::os::unix::process::CommandExt;
        assert!(child_lists(), "this kernel keeps child lists (the fallback is tested by the engine's process-tree tests)");
        let tag = Tree::new_tag();
        // sh → (setsid sleep, sh → sleep), each with the mark, as an agent's commands are (a
        // background job of a shell without job control keeps its group, so `setsid` execs).
        let mut agent = std::process::Command::new("sh")
            .args(["-c", "setsid sleep 60 & sh -c 'sleep 60 & wait' & wait"])
            .env(TAG_VAR, &tag)
            .process_group(0)
            .spawn()
            .unwrap();
        let mut outsider = std::process::Command::new("sleep").arg("60").spawn().unwrap();
        let tree = Tree::new(agent.id(), tag);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let from_lists = loop {
            let found = tree.descendants_while_alive().expect("the agent lives");
            if found.len() >= 4 || std::time::Instant::now() > deadline {
                break found;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        let mut from_lists: Vec<i32> = from_lists.iter().map(|e| e.pid).collect();
        from_lists.sort_unstable();
        let mut from_scan: Vec<i32> = tree.members(&scan()).into_iter().collect();
        from_scan.sort_unstable();
        assert_eq!(from_lists.len(), 4, "sh, setsid sleep, sh, sleep: {from_lists:?}");
        assert_eq!(from_lists, from_scan);
        assert!(!from_lists.contains(&(outsider.id() as i32)));
        tree.remember();
        assert_eq!(tree.remembered.lock().unwrap().len(), 4);
        tree.end();
        let _ = agent.wait();
        let _ = outsider.kill();
        let _ = outsider.wait();
        // The agent gone: nothing is read from its lists any more.
        assert!(tree.descendants_while_alive().is_none());
    }

    #[test]
    fn warden_itself_is_never_part_of_a_tree() {
        let me = std::process::id();
        let tree = Tree::new(me, Tree::new_tag());
        assert!(!tree.members(&scan()).contains(&(me as i32)));
    }
}
