//! One terminal: a process on a pseudo-terminal, with a thread that reads what it prints, one
//! that waits for it to end and one that types into it. portable-pty's handles block, so none
//! of this runs on the async runtime.

use super::output::OutputTail;
#[cfg(unix)]
use super::process_groups;
use super::spec::{check_folder, check_size, TerminalError, TerminalEvent, TerminalExit, TerminalSpec};
use super::{Subscription, DEFAULT_OUTPUT_LIMIT};
use portable_pty::{native_pty_system, Child, ChildKiller, CommandBuilder, MasterPty, PtySize};
use std::io::{Read, Write};
use std::sync::{mpsc as std_mpsc, Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, watch};

/// How long the exit waits for the output to be read to its end. A background job that keeps
/// the terminal open would otherwise hold the exit back for as long as it runs.
const OUTPUT_DRAIN: Duration = Duration::from_secs(2);
/// How long a killed terminal gets to end after SIGHUP before its process groups get SIGKILL.
pub(super) const KILL_GRACE: Duration = Duration::from_secs(1);
/// Chunks a subscriber may have unread before the reader waits for it. The wait reaches the
/// program as a full terminal, the way a slow real terminal slows a fast printer.
const SUBSCRIBER_BACKLOG: usize = 256;
/// The largest read from the PTY.
const READ_CHUNK: usize = 16 * 1024;

/// A running (or ended) terminal. Dropping it kills its process.
pub(super) struct Terminal {
    shared: Arc<Shared>,
    /// Input for the writer thread; `None` once killed.
    input: Mutex<Option<std_mpsc::Sender<Vec<u8>>>>,
    /// The PTY's controlling side: resizing, and the foreground job. `None` once killed.
    master: Mutex<Option<Box<dyn MasterPty + Send>>>,
    #[cfg_attr(unix, allow(dead_code))]
    killer: Mutex<Box<dyn ChildKiller + Send + Sync>>,
    pid: Option<u32>,
    /// Windows: the program and every process it starts, ended together on kill and when Warden
    /// exits (kill-on-close); `None` when Windows refused one (then only the program is killed).
    #[cfg(windows)]
    job: Option<warden_platform::job::Job>,
}

/// What the threads and the registry share.
struct Shared {
    state: Mutex<State>,
    /// Signalled when the reader finishes and when the process ends.
    changed: Condvar,
    /// The exit, for async waiters.
    exit: watch::Sender<Option<TerminalExit>>,
}

struct State {
    tail: OutputTail,
    subscribers: Vec<mpsc::Sender<TerminalEvent>>,
    reader_done: bool,
    exit: Option<TerminalExit>,
    /// The process groups a kill signalled, for the SIGKILL that may follow.
    #[cfg(unix)]
    killed_groups: Vec<libc::pid_t>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is a buffer and flags: a panic half-way leaves nothing inconsistent.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Terminal {
    /// Opens a PTY of the spec's size and starts the spec's program on it, in its own session
    /// (portable-pty makes it a session leader with the PTY as controlling terminal).
    pub(super) fn spawn(spec: &TerminalSpec, name: &str) -> Result<Self, TerminalError> {
        check_size(spec.cols, spec.rows)?;
        check_folder(&spec.cwd)?;
        let pair = native_pty_system()
            .openpty(PtySize { rows: spec.rows, cols: spec.cols, pixel_width: 0, pixel_height: 0 })
            .map_err(|e| TerminalError::Pty(e.to_string()))?;
        let mut command = CommandBuilder::new(&spec.program);
        command.args(&spec.args);
        command.cwd(&spec.cwd);
        // 256 colours and no COLORTERM=truecolor: the window's strict CSP lets xterm.js colour
        // cells by palette class but not by the inline style it uses for 24-bit colour.
        command.env("TERM", "xterm-256color");
        command.env_remove("COLORTERM");
        for (key, value) in &spec.env {
            command.env(key, value);
        }
        let program = spec.program.display().to_string();
        let spawn_error = |e: &dyn std::fmt::Display| TerminalError::Spawn { program: program.clone(), reason: e.to_string() };
        let child = pair.slave.spawn_command(command).map_err(|e| spawn_error(&e))?;
        // Our copy of the PTY's program side must close, or the reader never sees the end.
        drop(pair.slave);
        let reader = pair.master.try_clone_reader().map_err(|e| TerminalError::Pty(e.to_string()))?;
        let writer = pair.master.take_writer().map_err(|e| TerminalError::Pty(e.to_string()))?;
        let pid = child.process_id();
        #[cfg(windows)]
        let job = child.as_raw_handle().and_then(warden_platform::job::Job::containing);
        let killer = child.clone_killer();
        tracing::info!(terminal = name, program = %spec.program.display(), cwd = %spec.cwd.display(), pid, "terminal started");

        let (exit, _) = watch::channel(None);
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                tail: OutputTail::new(spec.output_byte_limit.unwrap_or(DEFAULT_OUTPUT_LIMIT)),
                subscribers: Vec::new(),
                reader_done: false,
                exit: None,
                #[cfg(unix)]
                killed_groups: Vec::new(),
            }),
            changed: Condvar::new(),
            exit,
        });
        let (input, typed) = std_mpsc::channel();
        let spawned = spawn_thread(format!("{name}-read"), {
            let shared = shared.clone();
            move || read_output(reader, &shared)
        })
        .and_then(|_| spawn_thread(format!("{name}-write"), move || type_input(writer, typed)))
        .and_then(|_| {
            let shared = shared.clone();
            let name = name.to_owned();
            spawn_thread(format!("{name}-wait"), move || wait_for_end(child, &shared, &name))
        });
        let terminal = Self {
            shared,
            input: Mutex::new(Some(input)),
            master: Mutex::new(Some(pair.master)),
            killer: Mutex::new(killer),
            pid,
            #[cfg(windows)]
            job,
        };
        // Dropping the half-built terminal kills what was started.
        spawned.map_err(|e| spawn_error(&e))?;
        Ok(terminal)
    }

    /// The process id (and process group id) of the program.
    pub(super) fn pid(&self) -> Option<u32> {
        self.pid
    }

    /// Queues `bytes` to be typed in, in order. Never blocks: a program that does not read its
    /// input stalls only the writer thread.
    pub(super) fn write(&self, bytes: &[u8]) -> Result<(), TerminalError> {
        if self.exit().is_some() {
            return Err(TerminalError::Exited);
        }
        let input = self.input.lock().unwrap_or_else(|p| p.into_inner());
        match input.as_ref() {
            Some(input) if input.send(bytes.to_vec()).is_ok() => Ok(()),
            _ => Err(TerminalError::Exited),
        }
    }

    /// Tells the PTY (and so the program, with SIGWINCH) its new size.
    pub(super) fn resize(&self, cols: u16, rows: u16) -> Result<(), TerminalError> {
        check_size(cols, rows)?;
        if self.exit().is_some() {
            return Err(TerminalError::Exited);
        }
        let master = self.master.lock().unwrap_or_else(|p| p.into_inner());
        let master = master.as_ref().ok_or(TerminalError::Exited)?;
        master
            .resize(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 })
            .map_err(|e| TerminalError::Pty(e.to_string()))
    }

    /// The kept output from a character boundary, then every later event.
    pub(super) fn subscribe(&self) -> Subscription {
        let (tx, events) = mpsc::channel(SUBSCRIBER_BACKLOG);
        let mut state = self.shared.lock();
        match &state.exit {
            // Nothing follows an exit: the subscriber hears it at once and its channel closes.
            Some(exit) => drop(tx.try_send(TerminalEvent::Exited(exit.clone()))),
            None => state.subscribers.push(tx),
        }
        Subscription { backlog: state.tail.bytes(), truncated: state.tail.truncated(), events }
    }

    /// The kept output as text, whether some was dropped, and the exit once there is one.
    pub(super) fn output(&self) -> (String, bool, Option<TerminalExit>) {
        let state = self.shared.lock();
        (state.tail.text(), state.tail.truncated(), state.exit.clone())
    }

    /// How the process ended, once it has.
    pub(super) fn exit(&self) -> Option<TerminalExit> {
        self.shared.lock().exit.clone()
    }

    /// Waits for the process to end.
    pub(super) async fn wait_for_exit(&self) -> TerminalExit {
        let mut exit = self.shared.exit.subscribe();
        // The waiter thread always sends an exit before it drops its side, and `Shared` (which
        // owns the sender) lives as long as this terminal: the wait ends.
        let seen = exit.wait_for(Option::is_some).await.ok().and_then(|exit| exit.clone());
        seen.or_else(|| self.exit()).unwrap_or(TerminalExit { code: None, signal: None })
    }

    /// Kills the program and its jobs: SIGHUP to its process group, the terminal's foreground
    /// job and (on Linux) every other group of its session, then SIGKILL to the same groups
    /// once the program ended or after [`KILL_GRACE`]. Input and the PTY are closed. The kept
    /// output stays readable. A program that already ended is left alone: its session id may
    /// name a new process by now.
    pub(super) fn kill(&self) {
        self.input.lock().unwrap_or_else(|p| p.into_inner()).take();
        let master = self.master.lock().unwrap_or_else(|p| p.into_inner()).take();
        if self.exit().is_some() {
            return;
        }
        #[cfg(unix)]
        {
            // The foreground job of an interactive shell has a process group of its own.
            let foreground = master.as_ref().and_then(|m| m.process_group_leader()).filter(|&g| g > 0);
            let groups = process_groups::terminal_groups(self.pid.map(|p| p as libc::pid_t), foreground);
            signal_groups(&groups, libc::SIGHUP);
            self.shared.lock().killed_groups = groups;
            drop(master);
            let shared = self.shared.clone();
            let finish = move || escalate(&shared, Instant::now() + KILL_GRACE);
            if let Err(e) = std::thread::Builder::new().name("terminal-kill".into()).spawn(finish) {
                tracing::warn!("no thread to escalate a terminal kill ({e}); killing at once");
                escalate_now(&self.shared);
            }
        }
        #[cfg(not(unix))]
        {
            drop(master);
            #[cfg(windows)]
            if let Some(job) = &self.job {
                job.terminate();
            }
            if let Err(e) = self.killer.lock().unwrap_or_else(|p| p.into_inner()).kill() {
                tracing::warn!("killing a terminal failed: {e}");
            }
        }
    }
}

impl Terminal {
    /// After [`Terminal::kill`]: waits until `deadline` for the process to end, then sends
    /// SIGKILL to what is left, without waiting for the escalation thread (the app quitting).
    pub(super) fn finish_kill(&self, deadline: Instant) {
        #[cfg(unix)]
        escalate(&self.shared, deadline);
        #[cfg(not(unix))]
        let _ = deadline;
    }
}

/// Waits until the program ends or `deadline`, then sends SIGKILL to the groups the hangup went
/// to: a job that ignored the hangup goes too, even when the shell itself ended. The groups were
/// listed while the program was alive, so its session id could not yet name anybody else's.
#[cfg(unix)]
fn escalate(shared: &Shared, deadline: Instant) {
    wait_until(shared, deadline.saturating_duration_since(Instant::now()), |s| s.exit.is_some());
    escalate_now(shared);
}

#[cfg(unix)]
fn escalate_now(shared: &Shared) {
    let groups = shared.lock().killed_groups.clone();
    signal_groups(&groups, libc::SIGKILL);
}

impl Drop for Terminal {
    fn drop(&mut self) {
        self.kill();
    }
}

fn spawn_thread(name: String, work: impl FnOnce() + Send + 'static) -> std::io::Result<()> {
    std::thread::Builder::new().name(name).spawn(work).map(drop)
}

/// Reads until the PTY ends (EOF, or EIO once every process holding it is gone), keeping each
/// chunk in the tail and handing it to the subscribers.
fn read_output(mut reader: Box<dyn Read + Send>, shared: &Shared) {
    let mut buf = vec![0u8; READ_CHUNK];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            // Linux reports the end of a PTY as EIO.
            Err(_) => break,
        };
        let chunk = buf[..n].to_vec();
        // Kept and listed under one lock: a subscriber gets each chunk either in its backlog
        // or as an event, never both and never neither.
        let subscribers = {
            let mut state = shared.lock();
            state.tail.push(&chunk);
            state.subscribers.retain(|s| !s.is_closed());
            state.subscribers.clone()
        };
        for subscriber in subscribers {
            let _ = subscriber.blocking_send(TerminalEvent::Output(chunk.clone()));
        }
    }
    shared.lock().reader_done = true;
    shared.changed.notify_all();
}

/// Types queued input in order until the terminal is killed or the PTY stops taking it. On
/// Unix, portable-pty's writer types a newline and EOF (^D) when it is dropped: a shell at its
/// prompt may leave by itself on a kill, before any signal reaches it.
fn type_input(mut writer: Box<dyn Write + Send>, typed: std_mpsc::Receiver<Vec<u8>>) {
    while let Ok(bytes) = typed.recv() {
        if writer.write_all(&bytes).and_then(|()| writer.flush()).is_err() {
            break;
        }
    }
}

/// Waits for the process, lets the reader finish (bounded), then records the exit and tells
/// every subscriber, last.
fn wait_for_end(child: Box<dyn Child + Send + Sync>, shared: &Shared, name: &str) {
    let exit = wait_child(child);
    wait_until(shared, OUTPUT_DRAIN, |s| s.reader_done);
    let subscribers = {
        let mut state = shared.lock();
        state.exit = Some(exit.clone());
        std::mem::take(&mut state.subscribers)
    };
    tracing::info!(terminal = name, %exit, "terminal ended");
    shared.exit.send_replace(Some(exit.clone()));
    shared.changed.notify_all();
    for subscriber in subscribers {
        let _ = subscriber.blocking_send(TerminalEvent::Exited(exit.clone()));
    }
}

/// Waits up to `limit` for `done`; whether it came true.
fn wait_until(shared: &Shared, limit: Duration, done: impl Fn(&State) -> bool) -> bool {
    let deadline = Instant::now() + limit;
    let mut state = shared.lock();
    while !done(&state) {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return false;
        }
        state = shared.changed.wait_timeout(state, left).unwrap_or_else(|p| p.into_inner()).0;
    }
    true
}

#[cfg(unix)]
fn wait_child(mut child: Box<dyn Child + Send + Sync>) -> TerminalExit {
    use std::os::unix::process::ExitStatusExt;
    // On Unix portable-pty's child is a std `Child`, whose status has the signal's number; its
    // own status only has the signal's description ("Killed").
    let child: &mut dyn Child = child.as_mut();
    if let Some(child) = child.downcast_mut::<std::process::Child>() {
        return match child.wait() {
            Ok(status) => TerminalExit { code: status.code().map(|c| c as u32), signal: status.signal().map(signal_name) },
            Err(e) => {
                tracing::warn!("waiting for a terminal's process failed: {e}");
                TerminalExit { code: None, signal: None }
            }
        };
    }
    wait_portable(child)
}

#[cfg(not(unix))]
fn wait_child(mut child: Box<dyn Child + Send + Sync>) -> TerminalExit {
    wait_portable(child.as_mut())
}

fn wait_portable(child: &mut dyn Child) -> TerminalExit {
    match child.wait() {
        Ok(status) => match status.signal() {
            Some(signal) => TerminalExit { code: None, signal: Some(signal.to_owned()) },
            None => TerminalExit { code: Some(status.exit_code()), signal: None },
        },
        Err(e) => {
            tracing::warn!("waiting for a terminal's process failed: {e}");
            TerminalExit { code: None, signal: None }
        }
    }
}

#[cfg(unix)]
fn signal_groups(groups: &[libc::pid_t], signal: libc::c_int) {
    for &group in groups {
        // SAFETY: killpg only sends a signal; a group that is already gone gives ESRCH.
        unsafe {
            libc::killpg(group, signal);
        }
    }
}

/// The usual name of a signal (`SIGKILL`), as ACP's exit status reports it.
#[cfg(unix)]
fn signal_name(signal: i32) -> String {
    let name = match signal {
        libc::SIGHUP => "SIGHUP",
        libc::SIGINT => "SIGINT",
        libc::SIGQUIT => "SIGQUIT",
        libc::SIGILL => "SIGILL",
        libc::SIGTRAP => "SIGTRAP",
        libc::SIGABRT => "SIGABRT",
        libc::SIGBUS => "SIGBUS",
        libc::SIGFPE => "SIGFPE",
        libc::SIGKILL => "SIGKILL",
        libc::SIGUSR1 => "SIGUSR1",
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGUSR2 => "SIGUSR2",
        libc::SIGPIPE => "SIGPIPE",
        libc::SIGALRM => "SIGALRM",
        libc::SIGTERM => "SIGTERM",
        _ => return format!("signal {signal}"),
    };
    name.to_owned()
}
