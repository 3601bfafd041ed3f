//! Shared test helpers: the agents under test, a collecting sink, waiting for events.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use warden_core::session::*;
use warden_engine::{AgentBinary, ChannelSink, Engine, NewSession, RunOptions, SessionHandle};

/// Longest wait for any one expected event. Real CLI turns take about 2 s on this machine.
pub const WAIT: Duration = Duration::from_secs(60);

/// The real Claude Code CLI that `make test` installed.
pub fn claude() -> AgentBinary {
    AgentBinary { agent: AgentKind::Claude, program: warden_mock_models::agents::claude_program(), version: "2.1.329".into() }
}

/// The fault-injecting fake agent.
pub fn fake_agent() -> AgentBinary {
    AgentBinary { agent: AgentKind::Claude, program: warden_mock_models::agents::fake_agent_program(), version: "9.9.9".into() }
}

/// Environment that keeps the real CLI offline, on the mock model.
pub fn claude_env(home: &Path, mock_url: &str) -> Vec<(OsString, OsString)> {
    warden_mock_models::agents::claude_env(home, mock_url).into_iter().map(|(k, v)| (k.into(), v.into())).collect()
}

/// A session under test with every event it emitted so far.
pub struct Run {
    pub handle: SessionHandle,
    pub events: Vec<SessionEvent>,
    rx: mpsc::UnboundedReceiver<SessionEvent>,
}

impl Run {
    /// Starts a session of `binary` in `project`.
    pub async fn start(engine: &Engine, project: &Path, binary: AgentBinary, env: Vec<(OsString, OsString)>) -> Run {
        Self::start_with(engine, project, binary, env, PermissionMode::Default).await
    }

    pub async fn start_with(
        engine: &Engine,
        project: &Path,
        binary: AgentBinary,
        env: Vec<(OsString, OsString)>,
        mode: PermissionMode,
    ) -> Run {
        let (tx, rx) = mpsc::unbounded_channel();
        let new = NewSession {
            project: project.to_string_lossy().into_owned(),
            model: None,
            permission_mode: mode,
            run: RunOptions { binary: Some(binary), env, ..Default::default() },
            ..Default::default()
        };
        let handle = engine.sessions().start(new, Arc::new(ChannelSink(tx))).await.expect("session starts");
        Run { handle, events: Vec::new(), rx }
    }

    /// Resumes a stored session.
    pub async fn resume(engine: &Engine, id: &SessionId, binary: AgentBinary, env: Vec<(OsString, OsString)>) -> Run {
        let (tx, rx) = mpsc::unbounded_channel();
        let run = RunOptions { binary: Some(binary), env, ..Default::default() };
        let handle = engine.sessions().resume(id, run, Arc::new(ChannelSink(tx))).await.expect("session resumes");
        Run { handle, events: Vec::new(), rx }
    }

    /// Waits for the first new event matching `pred` and returns it.
    pub async fn until(&mut self, what: &str, pred: impl Fn(&SessionEventKind) -> bool) -> SessionEventKind {
        loop {
            let event = tokio::time::timeout(WAIT, self.rx.recv())
                .await
                .unwrap_or_else(|_| panic!("timed out waiting for {what}; events so far: {:#?}", self.kinds()))
                .unwrap_or_else(|| panic!("stream ended before {what}; events: {:#?}", self.kinds()));
            self.events.push(event.clone());
            if pred(&event.kind) {
                return event.kind;
            }
        }
    }

    /// Waits for the end of the current turn.
    pub async fn turn_end(&mut self) -> TurnEnded {
        match self.until("the turn to end", |k| matches!(k, SessionEventKind::TurnEnded(_))).await {
            SessionEventKind::TurnEnded(t) => t,
            _ => unreachable!(),
        }
    }

    /// Waits for the next permission question.
    pub async fn permission(&mut self) -> PermissionRequest {
        match self.until("a permission request", |k| matches!(k, SessionEventKind::PermissionRequested(_))).await {
            SessionEventKind::PermissionRequested(r) => r,
            _ => unreachable!(),
        }
    }

    /// Waits for the agent to exit.
    pub async fn exited(&mut self) -> AgentExited {
        match self.until("the agent to exit", |k| matches!(k, SessionEventKind::AgentExited(_))).await {
            SessionEventKind::AgentExited(e) => e,
            _ => unreachable!(),
        }
    }

    /// Stops the session and collects every remaining event.
    pub async fn stop(&mut self) {
        self.handle.stop().await;
        while let Ok(event) = self.rx.try_recv() {
            self.events.push(event);
        }
    }

    pub fn kinds(&self) -> Vec<&SessionEventKind> {
        self.events.iter().map(|e| &e.kind).collect()
    }

    /// The assistant's text so far, all messages joined.
    pub fn text(&self) -> String {
        self.events
            .iter()
            .filter_map(|e| match &e.kind {
                SessionEventKind::AgentMessageChunk(c) if c.parent.is_none() => Some(c.text.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The `type` names of the events so far, for order checks.
    pub fn types(&self) -> Vec<&'static str> {
        self.events.iter().map(|e| e.kind.type_name()).collect()
    }
}

/// A temporary data folder with an engine, and a temporary project and home.
pub struct World {
    pub engine: Engine,
    pub project: tempfile::TempDir,
    pub home: tempfile::TempDir,
    _data: tempfile::TempDir,
}

impl World {
    pub fn new() -> World {
        let data = tempfile::tempdir().unwrap();
        let (engine, notice) = Engine::open(data.path()).expect("store opens");
        assert!(notice.is_none());
        World { engine, project: tempfile::tempdir().unwrap(), home: tempfile::tempdir().unwrap(), _data: data }
    }

    /// A new engine on the same data folder, as after quitting and starting Warden again.
    pub fn restart(&mut self) {
        let (engine, _) = Engine::open(self._data.path()).expect("store opens again");
        self.engine = engine;
    }

    /// The data folder the engine was opened on.
    pub fn data_dir(&self) -> &Path {
        self._data.path()
    }

    /// The project folder as Claude sees it (canonical).
    pub fn project_path(&self) -> PathBuf {
        self.project.path().canonicalize().unwrap()
    }
}

pub use warden_mock_models::agents::{alive, gone_within};

/// The real Codex CLI that `make test` installed.
pub fn codex() -> AgentBinary {
    AgentBinary { agent: AgentKind::Codex, program: warden_mock_models::agents::codex_program(), version: "0.169.0".into() }
}

/// Environment that keeps the real Codex CLI offline, on the mock Responses API at `mock_url`
/// (its config is written into `home/.codex`).
pub fn codex_env(home: &Path, mock_url: &str) -> Vec<(OsString, OsString)> {
    warden_mock_models::agents::codex_env(home, mock_url).into_iter().map(|(k, v)| (k.into(), v.into())).collect()
}

impl Run {
    /// Starts a session described in full (agent, model, sandbox, …).
    pub async fn start_session(engine: &Engine, new: NewSession) -> Run {
        let (tx, rx) = mpsc::unbounded_channel();
        let handle = engine.sessions().start(new, Arc::new(ChannelSink(tx))).await.expect("session starts");
        Run { handle, events: Vec::new(), rx }
    }
}

/// The real Gemini CLI that `make test` installed.
pub fn gemini() -> AgentBinary {
    AgentBinary { agent: AgentKind::Gemini, program: warden_mock_models::agents::gemini_program(), version: "0.61.0".into() }
}

/// Environment that keeps the real Gemini CLI offline, on the mock Gemini API at `mock_url`
/// (its settings are written into `home/.gemini`).
pub fn gemini_env(home: &Path, mock_url: &str) -> Vec<(OsString, OsString)> {
    warden_mock_models::agents::gemini_env(home, mock_url).into_iter().map(|(k, v)| (k.into(), v.into())).collect()
}

/// The real Claude Code ACP adapter that `make test` installed.
pub fn claude_acp() -> AgentBinary {
    AgentBinary {
        agent: AgentKind::ClaudeAcp,
        program: warden_mock_models::agents::claude_acp_program(),
        version: "0.100.0".into(),
    }
}

/// Environment for the Claude Code ACP adapter on the mock Anthropic API at `mock_url`, driving
/// the pinned Claude Code.
pub fn claude_acp_env(home: &Path, mock_url: &str) -> Vec<(OsString, OsString)> {
    warden_mock_models::agents::claude_acp_env(home, mock_url).into_iter().map(|(k, v)| (k.into(), v.into())).collect()
}

/// The real Codex ACP adapter that `make test` installed; it takes [`codex_env`].
pub fn codex_acp() -> AgentBinary {
    AgentBinary { agent: AgentKind::CodexAcp, program: warden_mock_models::agents::codex_acp_program(), version: "0.16.0".into() }
}
