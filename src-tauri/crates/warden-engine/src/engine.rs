//! The engine: the session store, the file journal, and every live session of this process.

mod custom_agents;
mod files;

use crate::claude::history::{self, ClaudeHistory};
use crate::acp::{self, AcpAdapter};
use crate::adapter::AgentAdapter;
use crate::claude::{self, ClaudeAdapter};
use crate::codex::{self, CodexAdapter};
use crate::discovery::{self, AgentBinary, DiscoveryError};
use crate::journal::{Journal, JournalError, RollbackError};
use crate::process::SpawnSpec;
use crate::permission::{Policy, ProjectRules, RulesError, RulesFile};
use crate::session::{launch, Launch, Recording, SessionHandle, TurnGate};
use crate::sink::EventSink;
use crate::store::{Store, StoreError};
use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use warden_core::permission::RuleSet;
use warden_core::session::*;

/// File name of the session store inside the data folder.
pub const SESSIONS_DB: &str = "sessions.db";
/// File name of the project permission rules inside the data folder.
pub const PERMISSIONS_FILE: &str = "permissions.json";

/// Why a session could not be started or resumed.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The agent is missing or unusable.
    #[error(transparent)]
    Discovery(#[from] DiscoveryError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The project folder is not usable.
    #[error(transparent)]
    Project(#[from] warden_core::ProjectError),
    /// The process could not be started.
    #[error("could not start {program}: {source}")]
    Spawn {
        /// The executable.
        program: String,
        /// Why.
        source: std::io::Error,
    },
    /// Project rules could not be read or saved.
    #[error(transparent)]
    Rules(#[from] RulesError),
    /// No stored session has this id.
    #[error("there is no session {0}")]
    UnknownSession(SessionId),
    /// The session is already running (here or in another Warden process).
    #[error("session {0} is already running")]
    AlreadyRunning(SessionId),
    /// A Claude session id that is not a plain id (it could name a file outside Claude's
    /// transcript folder).
    #[error("'{0}' is not a Claude session id (expected letters, digits, '-' and '_' only)")]
    InvalidAgentSessionId(String),
    /// Claude Code has no transcript of this session for the project.
    #[error("Claude Code has no session {id} for {project}")]
    NoClaudeTranscript {
        /// The Claude session id.
        id: String,
        /// The project folder.
        project: String,
    },
    /// The file journal could not be opened at start (the notice said why).
    #[error("the file journal is not available, so file changes cannot be shown or rolled back")]
    JournalUnavailable,
    /// The file journal failed.
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// A rollback or redo was refused (nothing was changed).
    #[error("rollback refused: {0}")]
    Rollback(#[from] RollbackError),
    /// This build cannot drive that agent yet.
    #[error("Warden cannot run {} sessions yet", .0.as_str())]
    AgentUnsupported(AgentKind),
    /// A session of a custom agent names none the settings define.
    #[error("there is no custom agent named '{0}'; define it in the settings")]
    UnknownCustomAgent(String),
    /// A custom agent's command is not there.
    #[error("the custom agent '{name}' runs '{command}', which is neither a file nor found on PATH")]
    CustomAgentMissing {
        /// The agent's name.
        name: String,
        /// Its command as defined.
        command: String,
    },
    /// What a rollback or diff was asked for has no recorded change to act on.
    #[error("nothing to roll back: {0}")]
    NothingToRollBack(String),
}

/// What a new session runs.
#[derive(Debug, Clone, Default)]
pub struct NewSession {
    /// The project folder, as typed (it is resolved and checked).
    pub project: String,
    /// The model, when not the agent's default.
    pub model: Option<String>,
    /// How freely the agent may act.
    pub permission_mode: PermissionMode,
    /// Which agent runs it.
    pub agent: AgentKind,
    /// For [`AgentKind::Custom`]: the name of the agent defined in the settings.
    pub agent_name: Option<String>,
    /// For Codex: the sandbox its commands run in.
    pub sandbox: Option<Sandbox>,
    /// Run options shared with resume.
    pub run: RunOptions,
}

/// How to run the agent process.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Use this executable instead of discovering one.
    pub binary: Option<AgentBinary>,
    /// Extra environment for the agent.
    pub env: Vec<(OsString, OsString)>,
}

/// The session store and the live sessions of this process.
pub struct Engine {
    store: Arc<Store>,
    live: Mutex<HashMap<SessionId, SessionHandle>>,
    /// Claude's configuration folder when set explicitly; else it comes from the environment.
    claude_config: Mutex<Option<PathBuf>>,
    /// Where project permission rules are kept.
    project_rules: RwLock<Arc<dyn ProjectRules>>,
    /// The file journal every session records into; `None` when it could not be opened.
    journal: Option<Arc<Journal>>,
    /// Turns being recorded, which hold rollbacks back.
    gate: Arc<TurnGate>,
    /// The ACP agents defined in the settings (see `custom_agents.rs`).
    custom_agents: RwLock<Vec<warden_core::agent::CustomAgent>>,
}

impl Engine {
    /// Opens the store and the file journal in `data_dir` (made private, see
    /// [`crate::store::private`]). Rollbacks a crash interrupted are left alone: commands that
    /// change files call [`Engine::recover_rollbacks`]. The notice, when present, tells the
    /// person that a damaged store or journal was set aside, or that the journal is unavailable
    /// (sessions then run unrecorded).
    pub fn open(data_dir: &Path) -> Result<(Self, Option<String>), EngineError> {
        // Private (0700, files 0600), and what an older version left wider tightened.
        crate::store::private::secure_data_dir(data_dir)
            .map_err(|source| StoreError::Io { path: data_dir.to_owned(), source })?;
        let opened = Store::open(&data_dir.join(SESSIONS_DB))?;
        let rules: Arc<dyn ProjectRules> = Arc::new(RulesFile::new(data_dir.join(PERMISSIONS_FILE)));
        let (journal, journal_notice) = files::open_journal(data_dir);
        let engine = Self {
            store: Arc::new(opened.store),
            live: Mutex::new(HashMap::new()),
            claude_config: Mutex::new(None),
            project_rules: RwLock::new(rules),
            journal,
            gate: Arc::new(TurnGate::default()),
            custom_agents: RwLock::new(Vec::new()),
        };
        Ok((engine, files::join_notices(opened.notice, journal_notice)))
    }

    /// Keeps project rules somewhere else than `permissions.json` in the data folder (the
    /// desktop app keeps that same file through tauri-plugin-store). Sessions started later use
    /// it.
    pub fn set_project_rules_store(&self, rules: Arc<dyn ProjectRules>) {
        *self.project_rules.write().unwrap_or_else(|p| p.into_inner()) = rules;
    }

    fn rules_store(&self) -> Arc<dyn ProjectRules> {
        self.project_rules.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The permission rules Warden keeps for a project.
    pub fn project_rules(&self, project: &str) -> Result<RuleSet, EngineError> {
        let project = crate::resolve_project_dir(project)?;
        Ok(self.rules_store().rules(&project)?)
    }

    /// Replaces the permission rules of a project. Running sessions use them from their next
    /// question on.
    pub fn set_project_rules(&self, project: &str, rules: &RuleSet) -> Result<(), EngineError> {
        let project = crate::resolve_project_dir(project)?;
        Ok(self.rules_store().set_rules(&project, rules)?)
    }

    /// Every permission decision of a project's sessions (or of one session), oldest first.
    pub fn permission_log(&self, project: &str, session: Option<&SessionId>) -> Result<Vec<PermissionLogEntry>, EngineError> {
        let project = crate::resolve_project_dir(project)?;
        let project = project.to_string_lossy();
        if let Some(id) = session {
            let record = self.store.session(id)?.ok_or_else(|| EngineError::UnknownSession(id.clone()))?;
            if record.project != project {
                return Err(EngineError::UnknownSession(id.clone()));
            }
        }
        let events = self.store.permission_events(&project, session)?;
        let mut log = Vec::new();
        // Each session's questions and answers are read together, so answers find their question.
        for chunk in events.chunk_by(|a, b| a.session_id == b.session_id) {
            log.extend(permission_log(chunk));
        }
        log.sort_by_key(|e| e.at_ms);
        Ok(log)
    }

    /// The store, for reading sessions and transcripts.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// A live session of this process.
    pub fn handle(&self, id: &SessionId) -> Option<SessionHandle> {
        self.live().get(id).filter(|h| !h.is_finished()).cloned()
    }

    fn live(&self) -> std::sync::MutexGuard<'_, HashMap<SessionId, SessionHandle>> {
        self.live.lock().unwrap_or_else(|p| p.into_inner())
    }

    async fn binary(agent: AgentKind, run: &RunOptions) -> Result<AgentBinary, EngineError> {
        match &run.binary {
            Some(b) => Ok(b.clone()),
            None => Ok(discovery::find_agent(agent).await?),
        }
    }

    /// The executable of `agent`; a custom agent's is its command, as the settings name it
    /// (found on PATH when it is a bare name).
    async fn agent_binary(&self, agent: AgentKind, agent_name: Option<&str>, run: &RunOptions) -> Result<AgentBinary, EngineError> {
        if agent != AgentKind::Custom || run.binary.is_some() {
            return Self::binary(agent, run).await;
        }
        let name = agent_name.unwrap_or_default();
        let custom = self.custom_agent(name).ok_or_else(|| EngineError::UnknownCustomAgent(name.to_owned()))?;
        // The same resolver as the Agents screen, so an agent shown as found is the one started.
        let program = crate::agents::find_custom(&custom.command, &crate::agents::DetectEnv::current())
            .ok_or_else(|| EngineError::CustomAgentMissing { name: custom.name.clone(), command: custom.command.clone() })?;
        // Not run with `--version`: an unknown agent may take it for the start of a session.
        Ok(AgentBinary { agent, program, version: "unknown".into() })
    }

    /// Starts a new session of `new.agent` in a project.
    pub async fn start(&self, new: NewSession, sink: Arc<dyn EventSink>) -> Result<SessionHandle, EngineError> {
        let project = crate::resolve_project_dir(&new.project)?;
        let binary = self.agent_binary(new.agent, new.agent_name.as_deref(), &new.run).await?;
        let id = SessionId(uuid::Uuid::new_v4().to_string());
        let now = crate::now_ms();
        let mut record =
            SessionRecord::new(id.clone(), project.to_string_lossy().into_owned(), new.agent, new.model, new.permission_mode, now);
        record.agent_name = new.agent_name;
        record.sandbox = new.sandbox;
        // Claude is started with `--session-id=<id>`, so its id is Warden's from the start and
        // even a session that crashed before saying so can be resumed. The other agents name
        // their session themselves; the adapter reports it (`agentInfo`) and it is stored then.
        if new.agent == AgentKind::Claude {
            record.agent_session_id = Some(id.to_string());
        }
        self.store.create_session(&record)?;
        self.spawn(&record, &binary, false, &new.run.env, sink)
    }

    /// Resumes a stored session in a new agent process; its events continue the same stream.
    pub async fn resume(&self, id: &SessionId, run: RunOptions, sink: Arc<dyn EventSink>) -> Result<SessionHandle, EngineError> {
        let record = self.store.session(id)?.ok_or_else(|| EngineError::UnknownSession(id.clone()))?;
        if !record.status.is_over() {
            return Err(EngineError::AlreadyRunning(id.clone()));
        }
        // The final status is stored a moment before the actor finishes; let it finish.
        if let Some(previous) = self.handle(id) {
            previous.finished().await;
        }
        let binary = self.agent_binary(record.agent, record.agent_name.as_deref(), &run).await?;
        self.store.claim(id)?;
        self.spawn(&record, &binary, true, &run.env, sink)
    }

    /// Starts the agent process and the actor for a stored session; the stream continues after
    /// the record's last event.
    fn spawn(
        &self,
        record: &SessionRecord,
        binary: &AgentBinary,
        resume: bool,
        env: &[(OsString, OsString)],
        sink: Arc<dyn EventSink>,
    ) -> Result<SessionHandle, EngineError> {
        let project = Path::new(&record.project);
        let (spec, adapter) = self.protocol_parts(record, binary, resume, env)?;
        let started = SessionStarted {
            agent: record.agent,
            cwd: record.project.clone(),
            program: binary.program.to_string_lossy().into_owned(),
            pid: None,
            version: Some(binary.version.clone()),
            model: record.model.clone(),
            permission_mode: record.permission_mode,
            resumed: resume,
        };
        let session_rules = match self.store.last_event_of_type(&record.id, "sessionRules")? {
            Some(SessionEvent { kind: SessionEventKind::SessionRules(rules), .. }) => rules,
            _ => RuleSet::default(),
        };
        let policy = Policy::new(PathBuf::from(project), record.permission_mode, session_rules, self.rules_store());
        let launch_spec = Launch {
            id: record.id.clone(),
            spec,
            adapter,
            started,
            last_seq: record.last_seq,
            turns: record.turns,
            cost_before: record.cost_usd,
            policy,
            recording: Recording::new(record.id.clone(), project, self.journal.clone(), self.turn_gate()),
        };
        let handle = launch(self.store.clone(), sink, launch_spec)
            .map_err(|source| EngineError::Spawn { program: binary.program.display().to_string(), source })?;
        self.live().insert(record.id.clone(), handle.clone());
        Ok(handle)
    }

    /// How to start the agent of `record` and the adapter that speaks its protocol.
    fn protocol_parts(
        &self,
        record: &SessionRecord,
        binary: &AgentBinary,
        resume: bool,
        env: &[(OsString, OsString)],
    ) -> Result<(SpawnSpec, Box<dyn AgentAdapter>), EngineError> {
        let project = Path::new(&record.project);
        match record.agent.protocol() {
            AgentProtocol::ClaudeStream => {
                let agent_id = SessionId(record.agent_session_id.clone().unwrap_or_else(|| record.id.to_string()));
                let spec =
                    claude::spawn_spec(binary, project, &agent_id, resume, record.model.as_deref(), record.permission_mode, env);
                Ok((spec, Box::new(ClaudeAdapter::new(PathBuf::from(project)).continuing(record.cost_usd))))
            }
            AgentProtocol::CodexAppServer => {
                let spec = codex::spawn_spec(binary, project, env);
                let sandbox = record.sandbox.unwrap_or_default();
                // A resumed session continues the thread its first process started (stored
                // from that process's `agentInfo`).
                let thread = if resume { record.agent_session_id.clone() } else { None };
                let adapter = CodexAdapter::new(PathBuf::from(project), record.model.clone(), sandbox, record.permission_mode)
                    // Read for a resumed thread too: one Codex cannot resume is started anew.
                    .with_instructions(crate::codex::project_instructions(Path::new(project)))
                    .resuming(thread, record.cost_usd);
                Ok((spec, Box::new(adapter)))
            }
            AgentProtocol::Acp => {
                let custom = match record.agent {
                    AgentKind::Custom => {
                        let name = record.agent_name.clone().unwrap_or_default();
                        Some(self.custom_agent(&name).ok_or(EngineError::UnknownCustomAgent(name))?)
                    }
                    _ => None,
                };
                let spec = acp::spawn_spec(binary, custom.as_ref(), project, env);
                // A resumed session loads the conversation its first process started (its id
                // stored from that process's `agentInfo`), where the agent can.
                let load = if resume { record.agent_session_id.clone() } else { None };
                let meta = acp::session_meta(binary.agent, custom.is_some(), project);
                Ok((spec, Box::new(AcpAdapter::new(PathBuf::from(project), load).with_session_meta(meta).continuing(record.cost_usd))))
            }
        }
    }

    /// Reads Claude Code's transcripts from `dir` (a `~/.claude`-like folder) instead of the
    /// folder the environment names (`$CLAUDE_CONFIG_DIR`, else `~/.claude`); `None` goes back to
    /// the environment. For tests and for agents run with their own configuration folder.
    pub fn set_claude_config_dir(&self, dir: Option<PathBuf>) {
        *self.claude_config.lock().unwrap_or_else(|p| p.into_inner()) = dir;
    }

    /// Claude Code's transcripts, where this engine reads them.
    pub fn claude_history(&self) -> Option<ClaudeHistory> {
        let configured = self.claude_config.lock().unwrap_or_else(|p| p.into_inner()).clone();
        configured.map(ClaudeHistory::at).or_else(ClaudeHistory::from_env)
    }

    /// Claude Code sessions of a project that Warden does not hold (neither started nor
    /// imported), newest first.
    pub fn claude_history_list(&self, project: &str) -> Result<Vec<ClaudeHistoryEntry>, EngineError> {
        let project = crate::resolve_project_dir(project)?;
        let Some(history) = self.claude_history() else { return Ok(Vec::new()) };
        let mut entries = Vec::new();
        for entry in history.list(&project) {
            if self.store.session(&SessionId(entry.agent_session_id.clone()))?.is_none() {
                entries.push(entry);
            }
        }
        Ok(entries)
    }

    /// A Claude Code session of a project read as events (numbered from 1, with the Claude id
    /// as the session id), without storing anything.
    pub fn claude_history_events(&self, project: &str, agent_session_id: &str) -> Result<Vec<SessionEvent>, EngineError> {
        let (_, path) = self.claude_transcript(project, agent_session_id)?;
        Ok(history::read_events(&SessionId(agent_session_id.to_owned()), &path))
    }

    /// Makes a Claude Code session of a project a stored Warden session, stopped, with its
    /// conversation as events. Its id and its agent session id are Claude's id, so resuming it
    /// runs `claude --resume=<id>` and the stream continues after the imported events. A session
    /// the store already holds (imported before, or started by Warden) is returned as stored.
    pub fn import_claude(&self, project: &str, agent_session_id: &str) -> Result<SessionRecord, EngineError> {
        let id = SessionId(agent_session_id.to_owned());
        if !history::is_session_id(agent_session_id) {
            return Err(EngineError::InvalidAgentSessionId(agent_session_id.to_owned()));
        }
        if let Some(stored) = self.store.session(&id)? {
            return Ok(stored);
        }
        let (project, path) = self.claude_transcript(project, agent_session_id)?;
        let entry = history::summarize(agent_session_id, &path);
        let events = history::read_events(&id, &path);
        let mut record = SessionRecord::new(
            id.clone(),
            project.to_string_lossy().into_owned(),
            AgentKind::Claude,
            None,
            PermissionMode::Default,
            entry.created_ms,
        );
        record.agent_session_id = Some(agent_session_id.to_owned());
        record.status = SessionStatus::Stopped;
        // The name given in Claude wins; otherwise the store titles it from the first prompt.
        if entry.title != entry.first_prompt.clone().unwrap_or_default() {
            record.title = entry.title;
        }
        if let Err(e) = self.store.import_session(&record, &events) {
            // Imported at the same moment by another window or process: that copy stands.
            return self.store.session(&id)?.ok_or(EngineError::Store(e));
        }
        self.store.session(&id)?.ok_or(EngineError::UnknownSession(id))
    }

    /// The canonical project folder and the transcript of `agent_session_id` in it.
    fn claude_transcript(&self, project: &str, agent_session_id: &str) -> Result<(PathBuf, PathBuf), EngineError> {
        if !history::is_session_id(agent_session_id) {
            return Err(EngineError::InvalidAgentSessionId(agent_session_id.to_owned()));
        }
        let project = crate::resolve_project_dir(project)?;
        let path = self.claude_history().and_then(|h| h.transcript(&project, agent_session_id));
        match path {
            Some(path) => Ok((project, path)),
            None => Err(EngineError::NoClaudeTranscript {
                id: agent_session_id.to_owned(),
                project: project.display().to_string(),
            }),
        }
    }

    /// Stops every live session and waits for all of them. The stops run at the same time and
    /// each is bounded, so quitting never hangs on one agent.
    pub async fn shutdown(&self) {
        let handles: Vec<SessionHandle> = self.live().drain().map(|(_, h)| h).collect();
        for handle in &handles {
            handle.request_stop();
        }
        for handle in &handles {
            handle.finished().await;
        }
    }
}
