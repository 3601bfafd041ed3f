//! Terminals on real PTYs with a real bash: typing, reading, resizing, killing whole process
//! groups, the bounded output tail ACP's `terminal/output` reads, and the errors people see.
#![cfg(unix)]

use std::ffi::OsString;
use std::path::Path;
use std::time::{Duration, Instant};
use warden_engine::terminal::*;
use warden_mock_models::agents::{alive, gone_within};

/// Longest wait for anything a shell prints.
const PATIENCE: Duration = Duration::from_secs(20);

/// A bash without the person's startup files, so prompts and output are predictable. Its
/// readline still switches bracketed paste on and off around each command line
/// (`\x1b[?2004l\r` before a command's output), so matches never rely on line starts.
fn bash(cwd: &Path, args: &[&str]) -> TerminalSpec {
    let mut args: Vec<OsString> = ["--norc", "--noprofile"].iter().chain(args).map(OsString::from).collect();
    if args.len() == 2 {
        args.push("-i".into());
    }
    let mut spec = TerminalSpec::command("/bin/bash", args, cwd, 80, 24);
    spec.env = vec![("PS1".into(), "$ ".into()), ("HISTFILE".into(), "/dev/null".into())];
    spec
}

/// What a subscriber has seen of a terminal, decoded.
struct Screen {
    sub: Subscription,
    decoder: Utf8Decoder,
    text: String,
    /// Where the next search starts: text already matched is not matched again.
    mark: usize,
    events: Vec<&'static str>,
    exit: Option<TerminalExit>,
}

impl Screen {
    fn follow(terminals: &Terminals, id: TerminalId) -> Self {
        let sub = terminals.subscribe(id).unwrap();
        let mut decoder = Utf8Decoder::new();
        let text = decoder.push(&sub.backlog);
        Self { sub, decoder, text, mark: 0, events: Vec::new(), exit: None }
    }

    /// Reads until `needle` appears after the last match; the text up to the end of it.
    async fn until(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(at) = self.text[self.mark..].find(needle) {
                self.mark += at + needle.len();
                return self.text[..self.mark].to_owned();
            }
            assert!(self.exit.is_none(), "ended ({:?}) before {needle:?} appeared in {:?}", self.exit, self.text);
            self.next(deadline, needle).await;
        }
    }

    /// Reads to the exit.
    async fn exit(&mut self) -> TerminalExit {
        let deadline = Instant::now() + PATIENCE;
        while self.exit.is_none() {
            self.next(deadline, "the exit").await;
        }
        self.exit.clone().unwrap()
    }

    async fn next(&mut self, deadline: Instant, waiting_for: &str) {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, self.sub.events.recv()).await {
            Ok(Some(TerminalEvent::Output(bytes))) => {
                self.events.push("output");
                self.text += &self.decoder.push(&bytes);
            }
            Ok(Some(TerminalEvent::Exited(exit))) => {
                self.events.push("exited");
                self.exit = Some(exit);
            }
            Ok(None) => panic!("the events ended without an exit, waiting for {waiting_for}; saw {:?}", self.text),
            Err(_) => panic!("no {waiting_for} within {PATIENCE:?}; saw {:?}", self.text),
        }
    }
}

/// Whether `pid` ended within a few seconds.
fn gone(pid: u32) -> bool {
    gone_within(pid, Duration::from_secs(10))
}

/// The number printed after `label=` in `text`.
fn number_after(text: &str, label: &str) -> u32 {
    let start = text.rfind(label).unwrap_or_else(|| panic!("no {label} in {text:?}")) + label.len();
    text[start..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shell_runs_what_is_typed_in_the_project_folder() {
    let dir = tempfile::tempdir().unwrap();
    let terminals = Terminals::new();
    let id = terminals.spawn(bash(dir.path(), &[])).unwrap();
    let mut screen = Screen::follow(&terminals, id);
    screen.until("$ ").await;
    // The quotes keep the typed line (which the terminal echoes) from containing the answer.
    terminals.write(id, b"echo h''i-$TERM\n").unwrap();
    screen.until("hi-xterm-256color\r\n").await;
    terminals.write(id, b"pwd\n").unwrap();
    let folder = dir.path().canonicalize().unwrap();
    screen.until(&format!("{}\r\n", folder.display())).await;
    terminals.write(id, b"exit 3\n").unwrap();
    let exit = screen.exit().await;
    assert_eq!(exit, TerminalExit { code: Some(3), signal: None });
    assert_eq!(screen.events.last(), Some(&"exited"), "the exit comes last");
    assert!(screen.sub.events.recv().await.is_none(), "and nothing follows it");
    assert!(matches!(terminals.write(id, b"more\n"), Err(TerminalError::Exited)), "an ended shell takes no input");
    assert_eq!(terminals.output(id).unwrap().exit, Some(exit), "the exit stays readable until release");
    terminals.release(id).unwrap();
    assert!(matches!(terminals.output(id), Err(TerminalError::NotFound(_))), "a released id finds nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_shell_starts_in_the_folder_with_a_colour_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let terminals = Terminals::new();
    let id = terminals.spawn(TerminalSpec::shell(dir.path(), 80, 24)).unwrap();
    let mut screen = Screen::follow(&terminals, id);
    terminals.write(id, b"echo \"[$(pwd)]-[$TERM]\"\n").unwrap();
    let folder = dir.path().canonicalize().unwrap();
    screen.until(&format!("[{}]-[xterm-256color]", folder.display())).await;
    terminals.release(id).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resize_reaches_the_program() {
    let dir = tempfile::tempdir().unwrap();
    let terminals = Terminals::new();
    let id = terminals.spawn(bash(dir.path(), &[])).unwrap();
    let mut screen = Screen::follow(&terminals, id);
    terminals.write(id, b"stty size\n").unwrap();
    screen.until("24 80\r\n").await;
    terminals.resize(id, 100, 40).unwrap();
    terminals.write(id, b"stty size\n").unwrap();
    screen.until("40 100\r\n").await;
    assert!(matches!(terminals.resize(id, 0, 40), Err(TerminalError::BadSize { cols: 0, rows: 40 })));
    terminals.release(id).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_ends_the_shell_its_foreground_job_and_its_background_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let terminals = Terminals::new();
    let id = terminals.spawn(bash(dir.path(), &[])).unwrap();
    let mut screen = Screen::follow(&terminals, id);
    let shell = terminals.pid(id).unwrap().expect("a pid");
    terminals.write(id, b"sleep 1001 & echo \"b\"\"g=$!\"\n").unwrap();
    screen.until("bg=").await;
    let background = number_after(&screen.until("\r\n").await, "bg=");
    // An interactive shell gives each job its own process group: the foreground one is not in
    // the shell's group, and the background one survives a kill of the shell's group alone.
    terminals.write(id, b"sh -c 'echo \"f\"\"g=$$\"; exec sleep 1002'\n").unwrap();
    screen.until("fg=").await;
    let text = screen.until("\r\n").await;
    let foreground = number_after(&text, "fg=");
    assert!(alive(shell) && alive(background) && alive(foreground));
    terminals.kill(id).unwrap();
    let exit = screen.exit().await;
    assert_eq!((exit.code, exit.signal.as_deref()), (None, Some("SIGHUP")), "{exit}");
    assert!(gone(foreground), "the foreground job {foreground} is killed");
    assert!(gone(background), "the background job {background} is killed");
    let output = terminals.output(id).unwrap();
    assert!(output.text.contains("fg="), "the output stays readable after a kill: {:?}", output.text);
    assert_eq!(terminals.wait_for_exit(id).await.unwrap(), exit, "waiting for an ended terminal answers at once");
    terminals.kill(id).unwrap();
    terminals.release(id).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_program_that_ignores_hangups_is_killed_after_the_grace() {
    let dir = tempfile::tempdir().unwrap();
    let terminals = Terminals::new();
    let id = terminals.spawn(bash(dir.path(), &["-c", "trap '' HUP; echo ready; while :; do sleep 1; done"])).unwrap();
    let mut screen = Screen::follow(&terminals, id);
    screen.until("ready").await;
    let started = Instant::now();
    terminals.kill(id).unwrap();
    let exit = screen.exit().await;
    assert_eq!(exit.signal.as_deref(), Some("SIGKILL"), "{exit}");
    assert!(started.elapsed() < Duration::from_secs(8), "took {:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_of_a_shell_that_passes_no_hangup_on_is_killed_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let terminals = Terminals::new();
    let id = terminals.spawn(bash(dir.path(), &[])).unwrap();
    let mut screen = Screen::follow(&terminals, id);
    // A shell that ignores SIGHUP neither exits nor hangs up its jobs: the job, in a group of
    // its own, is reached only by killing every group of the terminal's session.
    terminals.write(id, b"trap '' HUP; sleep 1004 & echo \"j\"\"ob=$!\"\n").unwrap();
    screen.until("job=").await;
    let job = number_after(&screen.until("\r\n").await, "job=");
    assert!(alive(job));
    terminals.kill(id).unwrap();
    // Closing portable-pty's writer types ^D, so this shell may leave by itself before the
    // SIGKILL; how it ended matters less than that its job ends too (it ignores SIGHUP as well).
    screen.exit().await;
    assert!(gone(job), "the job {job} outlived its terminal");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_output_limit_keeps_the_tail_from_a_character_boundary() {
    let dir = tempfile::tempdir().unwrap();
    let terminals = Terminals::new();
    let mut spec = bash(dir.path(), &["-c", "for i in $(seq 1 2000); do echo \"€ line-$i\"; done"]);
    spec.output_byte_limit = Some(100);
    let id = terminals.spawn(spec).unwrap();
    let exit = terminals.wait_for_exit(id).await.unwrap();
    assert!(exit.success(), "{exit}");
    let output = terminals.output(id).unwrap();
    assert!(output.truncated, "2000 lines do not fit in 100 bytes");
    assert!(output.text.len() <= 100, "{} bytes kept", output.text.len());
    assert!(output.text.ends_with("€ line-2000\r\n"), "the newest output is kept: {:?}", output.text);
    assert!(!output.text.starts_with('\u{FFFD}'), "the cut is at a character boundary: {:?}", output.text);
    assert_eq!(output.exit, Some(exit.clone()));
    // A subscriber that comes after the end gets the tail and the exit at once.
    let mut late = Screen::follow(&terminals, id);
    assert!(late.sub.truncated);
    assert_eq!(late.exit().await, exit);
    assert!(late.text.ends_with("€ line-2000\r\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_chunk_of_output_arrives_before_the_exit() {
    let dir = tempfile::tempdir().unwrap();
    let terminals = Terminals::new();
    let id = terminals.spawn(bash(dir.path(), &["-c", "seq 1 20000"])).unwrap();
    let mut screen = Screen::follow(&terminals, id);
    assert_eq!(screen.exit().await.code, Some(0));
    let expected: String = (1..=20000).map(|n| format!("{n}\r\n")).collect();
    assert_eq!(screen.text.len(), expected.len(), "no chunk lost or repeated between backlog and events");
    assert!(screen.text == expected, "the output arrives whole and in order");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_errors_that_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let terminals = Terminals::new();
    let missing = dir.path().join("nope");
    let err = terminals.spawn(TerminalSpec::shell(&missing, 80, 24)).unwrap_err();
    assert!(matches!(err, TerminalError::NoFolder(_)) && err.to_string().contains("nope"), "{err}");
    let err = terminals.spawn(TerminalSpec::command("warden-no-such-program", Vec::new(), dir.path(), 80, 24)).unwrap_err();
    assert!(err.to_string().contains("could not start warden-no-such-program"), "{err}");
    let err = terminals.spawn(TerminalSpec::shell(dir.path(), 0, 24)).unwrap_err();
    assert!(err.to_string().contains("at least 1 column"), "{err}");
    let err = terminals.write(TerminalId(99), b"x").unwrap_err();
    assert_eq!(err.to_string(), "there is no terminal term-99");
    assert_eq!("term-7".parse::<TerminalId>().unwrap(), TerminalId(7));
    assert!("7".parse::<TerminalId>().is_err());
    assert!(terminals.ids().is_empty(), "nothing failed half-way into the registry");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_registry_kills_every_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let terminals = Terminals::new();
    let a = terminals.spawn(bash(dir.path(), &[])).unwrap();
    let b = terminals.spawn(bash(dir.path(), &["-c", "sleep 1003"])).unwrap();
    assert_eq!(terminals.ids(), [a, b]);
    let pids = [terminals.pid(a).unwrap().unwrap(), terminals.pid(b).unwrap().unwrap()];
    drop(terminals);
    for pid in pids {
        assert!(gone(pid), "{pid} outlived the registry");
    }
}
