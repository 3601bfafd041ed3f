//! The "agent mode" side of the table: the agent started with Warden's own command line and
//! spoken to through Warden's own protocol adapter, by a client that does nothing else (no
//! store, journal, rules, gate, watcher or process control). `warden-bench-overhead --drive`
//! runs it as a process of its own, so it is measured like the other two sides.
//!
//! What it costs over the bare CLI is the agent's own work in the mode Warden must use to hear
//! and answer each tool call (Claude Code's stream-json with hooks, Codex's app-server, Gemini
//! CLI's ACP), plus a client that only parses lines; what `warden run` costs over it is Warden's.
//! Every tool call is let through (as the bench's rule does), and each turn-ending hook is let
//! end the turn.

use crate::scenario::Agent;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use warden_core::session::{AgentKind, PermissionDecision, PermissionMode, SessionEventKind, SessionId, SessionRecord, TurnId};
use warden_engine::adapter::{CheckAnswer, ClientAction, ClientResult, Output, Reply};
use warden_engine::agents::CustomAgentsFile;
use warden_engine::engine::protocol_parts;
use warden_engine::session::prompt_input::AgentPrompt;
use warden_engine::AgentBinary;

/// How long the agent may go without a line before the run counts as hung.
const QUIET_LIMIT: Duration = Duration::from_secs(120);
/// How long the agent may take to exit once its stdin is closed.
const EXIT_LIMIT: Duration = Duration::from_secs(30);

/// Runs one turn of `agent` in `project` with `prompt` and prints the model's text; returns once
/// the agent exited. `env` is set for the agent on top of this process's environment.
pub fn drive(agent: Agent, project: &Path, prompt: &str, env: &[(String, String)]) -> anyhow::Result<()> {
    let kind = match agent {
        Agent::Claude => AgentKind::Claude,
        Agent::Codex => AgentKind::Codex,
        Agent::Gemini => AgentKind::Gemini,
    };
    let binary = AgentBinary { agent: kind, program: agent.program(), version: String::new() };
    let mut record =
        SessionRecord::new(SessionId(uuid_v4()), project.to_string_lossy().into_owned(), kind, None, PermissionMode::Default, 0);
    // As a new session of `warden run`: Claude's session id is Warden's own.
    if kind == AgentKind::Claude {
        record.agent_session_id = Some(record.id.to_string());
    }
    // No custom agent is asked for, so the file is never read.
    let no_data = std::env::temp_dir().join("warden-bench-no-data");
    let custom = CustomAgentsFile::in_data_dir(&no_data);
    // The task gate's question, asked as `warden run` asks it (checks on by default, no
    // reviewers of the run's own; the bench's data folder holds no checks of the person's).
    let has_checks = warden_engine::gate::has_checks(true, false, project, Some(&no_data));
    let (spec, mut adapter) = protocol_parts(&custom, &record, &binary, false, &[], None, has_checks)?;
    let mut child = Command::new(&spec.program)
        .args(&spec.args)
        .current_dir(&spec.cwd)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .envs(spec.env.iter().map(|(k, v)| (k, v)))
        .env_remove_all(&spec.env_remove)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()?;
    let mut stdin = child.stdin.take();
    let stdout = child.stdout.take().ok_or_else(|| anyhow::anyhow!("no stdout"))?;
    let (lines, incoming) = mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = Vec::new();
        while reader.read_until(b'\n', &mut line).is_ok_and(|n| n > 0) {
            let _ = lines.send(std::mem::take(&mut line));
        }
    });
    let mut send = |lines: Vec<String>| -> anyhow::Result<()> {
        if let Some(pipe) = stdin.as_mut() {
            for line in lines {
                pipe.write_all(line.as_bytes())?;
                pipe.write_all(b"\n")?;
            }
            pipe.flush()?;
        }
        Ok(())
    };
    send(adapter.start())?;
    send(adapter.prompt_input(TurnId(1), &AgentPrompt::text(prompt), Instant::now()))?;
    let mut out = std::io::stdout().lock();
    'turn: loop {
        let line = incoming.recv_timeout(QUIET_LIMIT).map_err(|_| anyhow::anyhow!("the agent said nothing for {QUIET_LIMIT:?}, or ended"))?;
        let now = Instant::now();
        let line = line.strip_suffix(b"\n").unwrap_or(&line);
        for output in adapter.on_line(line, now) {
            match output {
                Output::Send(line) => send(vec![line])?,
                Output::Event(SessionEventKind::AgentMessageChunk(chunk)) => out.write_all(chunk.text.as_bytes())?,
                Output::Event(SessionEventKind::PermissionRequested(ask)) => {
                    let reply = Reply { decision: PermissionDecision::AllowOnce, message: None, mode: None };
                    if let Some((lines, _)) = adapter.answer(&ask.request_id, &reply, now) {
                        send(lines)?;
                    }
                }
                Output::Event(SessionEventKind::TurnEnded(ended)) => {
                    writeln!(out)?;
                    anyhow::ensure!(ended.error.is_none(), "the turn failed: {:?}", ended.error);
                    break 'turn;
                }
                Output::Event(_) | Output::Ready | Output::ToolWaits { .. } => {}
                Output::ToolCheck(check) => send(adapter.answer_tool_check(&check, CheckAnswer::Proceed, now).0)?,
                Output::ToolDone { id, .. } => send(adapter.answer_tool_done(&id))?,
                Output::TurnEnding { id } => send(adapter.answer_turn_ending(&id, None))?,
                Output::ClientRequest(request) => {
                    let result = match &request.action {
                        ClientAction::ReadTextFile { path, line, limit } => read_text(path, *line, *limit),
                        other => ClientResult::Refused(format!("the benchmark's client does not do {other:?}")),
                    };
                    send(adapter.answer_client_request(&request.id, result).0)?;
                }
            }
        }
    }
    out.flush()?;
    // As a session's stop does: stdin closes, the agent exits on its own.
    drop(send);
    drop(stdin);
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait()? {
            anyhow::ensure!(status.success(), "the agent exited with {status}");
            return Ok(());
        }
        if started.elapsed() > EXIT_LIMIT {
            let _ = child.kill();
            anyhow::bail!("the agent did not exit within {EXIT_LIMIT:?} of its stdin closing");
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// What ACP's `fs/read_text_file` answers: the file's text from `line` (1-based), at most
/// `limit` lines.
fn read_text(path: &Path, line: Option<u32>, limit: Option<u32>) -> ClientResult {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let skip = line.map_or(0, |l| l.saturating_sub(1) as usize);
            let take = limit.map_or(usize::MAX, |l| l as usize);
            ClientResult::Read(text.split_inclusive('\n').skip(skip).take(take).collect())
        }
        Err(e) => ClientResult::Failed(e.to_string()),
    }
}

/// A random UUID (version 4) for Claude's `--session-id`, from the kernel's random source.
fn uuid_v4() -> String {
    let mut bytes = [0u8; 16];
    // SAFETY: getrandom fills at most the buffer's length.
    let filled = unsafe { libc::getrandom(bytes.as_mut_ptr().cast(), bytes.len(), 0) };
    assert_eq!(filled, 16, "getrandom");
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// `Command::env_remove` for each of `names`.
trait EnvRemoveAll {
    fn env_remove_all(&mut self, names: &[std::ffi::OsString]) -> &mut Self;
}

impl EnvRemoveAll for Command {
    fn env_remove_all(&mut self, names: &[std::ffi::OsString]) -> &mut Self {
        for name in names {
            self.env_remove(name);
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Mock, Place, Turn};

    /// Each agent gets through a turn with a tool call in Warden's mode, with every reply the
    /// mock scripted used and the file's text sent back to the model.
    #[test]
    fn every_agent_takes_a_tool_turn_in_wardens_mode() {
        let _one = crate::ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
        crate::measure::become_subreaper();
        let root = std::env::temp_dir().join(format!("warden-bench-drive-{}", std::process::id()));
        for agent in Agent::ALL {
            let place = Place::new(&root, agent).unwrap();
            let mock = Mock::start(agent, Turn::Tool, &place.project).unwrap();
            let driven = drive(agent, &place.project, Turn::Tool.prompt(), &place.env(agent, &mock));
            let checked = mock.check(Turn::Tool);
            if driven.is_err() || checked.is_err() {
                let _ = std::fs::remove_dir_all(&root);
            }
            driven.unwrap_or_else(|e| panic!("{agent:?}: {e}"));
            checked.unwrap_or_else(|e| panic!("{agent:?}: {e}"));
        }
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn a_read_takes_the_lines_asked_for() {
        let dir = std::env::temp_dir().join(format!("warden-bench-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("f.txt");
        std::fs::write(&file, "one\ntwo\nthree\n").unwrap();
        assert_eq!(read_text(&file, None, None), ClientResult::Read("one\ntwo\nthree\n".into()));
        assert_eq!(read_text(&file, Some(2), Some(1)), ClientResult::Read("two\n".into()));
        assert!(matches!(read_text(&dir.join("missing"), None, None), ClientResult::Failed(_)));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn session_ids_are_version_4_uuids() {
        let (a, b) = (uuid_v4(), uuid_v4());
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
    }
}
