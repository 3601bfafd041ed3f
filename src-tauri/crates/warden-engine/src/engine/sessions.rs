//! The engine's sessions part: starting and resuming agent sessions, the live ones of this
//! process, and stopping them all at the end. Why a start or resume failed is a
//! [`StartError`]; what a running session refuses is a [`crate::SessionError`].

use crate::acp::{self, AcpAdapter};
use crate::adapter::AgentAdapter;
use crate::agents::{CustomAgentsError, CustomAgentsFile};
use crate::claude::{self, ClaudeAdapter};
use crate::codex::{self, CodexAdapter};
use crate::discovery::{self, AgentBinary, DiscoveryError};
use crate::gate::{GateOptions, Reviewers, SessionGate};
use crate::journal::Journal;
use crate::permission::{Policy, ProjectRules};
use crate::process::{AgentProcess, Pipes, SpawnSpec};
use crate::session::{launch, Launch, Recording, SessionHandle, TurnGate};
use crate::sink::EventSink;
use crate::store::{Store, StoreError};
use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use warden_core::agent::CustomAgent;
use warden_core::permission::RuleSet;
use warden_core::session::*;

/// Why a session could not be started or resumed.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
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
    /// No stored session has this id.
    #[error("there is no session {0}")]
    UnknownSession(SessionId),
    /// The session is already running (here or in another Warden process).
    #[error("session {0} is already running")]
    AlreadyRunning(SessionId),
    /// The custom agents could not be read.
    #[error(transparent)]
    CustomAgents(#[from] CustomAgentsError),
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
    /// The session's worktree could not be made or set up (nothing of it is left behind).
    #[error(transparent)]
    Worktree(#[from] crate::worktrees::WorktreeError),
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
    /// The worktree `project` is, when the session runs in one of Warden's worktrees.
    pub worktree: Option<warden_core::session::SessionWorktree>,
    /// The best-of-N group the session belongs to.
    pub group: Option<String>,
}

/// How to run the agent process.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Use this executable instead of discovering one.
    pub binary: Option<AgentBinary>,
    /// Extra environment for the agent.
    pub env: Vec<(OsString, OsString)>,
    /// How the task gate runs (checks on, the configuration's feedback and round limit by
    /// default).
    pub gate: GateOptions,
    /// For a reviewer (`crate::review`): the JSON Schema its answers follow, given to Claude as
    /// `--json-schema` and to Codex as every turn's `outputSchema` (Codex then runs with
    /// `approvalPolicy: never`: a reviewer is asked nothing, its `read-only` sandbox keeps it
    /// from writing). Other agents get it in the prompt.
    pub output_schema: Option<String>,
    /// Reviews of this session's gate beyond its configuration (`warden run --review`) and how
    /// its reviewers are started.
    pub reviews: crate::gate::GateReviews,
}

/// Starts and resumes sessions, and knows the live ones of this process.
pub struct Sessions {
    store: Arc<Store>,
    live: Mutex<HashMap<SessionId, SessionHandle>>,
    /// Where project permission rules are kept; each session's policy reads them.
    project_rules: Arc<dyn ProjectRules>,
    /// The file journal every session records into; `None` when it could not be opened.
    journal: Option<Arc<Journal>>,
    /// Turns being recorded, which hold rollbacks back.
    gate: Arc<TurnGate>,
    /// The custom ACP agents, read when one is started.
    custom_agents: Arc<CustomAgentsFile>,
    /// Warden's data folder: the task gate's personal checks layer, trust and logs.
    data_dir: PathBuf,
    /// Where every session's task events are also published (webhooks), once set.
    publisher: std::sync::OnceLock<Arc<crate::gate::webhooks::Publisher>>,
    /// The project watchers of the roots with a live session (none without a journal).
    watchers: Option<Arc<crate::watch::Watchers>>,
    /// This part itself, weakly, for the gates of its sessions to start reviewers with (see
    /// `crate::gate::reviews`); set with the publisher.
    me: std::sync::OnceLock<std::sync::Weak<Sessions>>,
}

impl Sessions {
    pub(super) fn new(
        store: Arc<Store>,
        project_rules: Arc<dyn ProjectRules>,
        journal: Option<Arc<Journal>>,
        gate: Arc<TurnGate>,
        custom_agents: Arc<CustomAgentsFile>,
        data_dir: PathBuf,
    ) -> Self {
        let watchers = journal.clone().map(|j| Arc::new(crate::watch::Watchers::new(j, gate.clone()).with_store(store.clone())));
        Self {
            store,
            live: Mutex::new(HashMap::new()),
            project_rules,
            watchers,
            journal,
            gate,
            custom_agents,
            data_dir,
            publisher: Default::default(),
            me: Default::default(),
        }
    }

    /// Publishes the task events of every session started from now on through `publisher`
    /// (set once, by [`crate::Engine::open`]); from then on their gates can start reviewers
    /// through this part too (it is known as an `Arc` here).
    pub(super) fn publish_to(self: &Arc<Self>, publisher: Arc<crate::gate::webhooks::Publisher>) {
        let _ = self.publisher.set(publisher);
        let _ = self.me.set(Arc::downgrade(self));
    }

    /// The store.
    pub(crate) fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// Warden's data folder.
    pub(crate) fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The file journal, when it could be opened.
    pub(crate) fn journal(&self) -> Option<&Arc<Journal>> {
        self.journal.as_ref()
    }

    /// A live session of this process.
    pub fn handle(&self, id: &SessionId) -> Option<SessionHandle> {
        self.live().get(id).filter(|h| !h.is_finished()).cloned()
    }

    fn live(&self) -> std::sync::MutexGuard<'_, HashMap<SessionId, SessionHandle>> {
        self.live.lock().unwrap_or_else(|p| p.into_inner())
    }

    async fn binary(agent: AgentKind, run: &RunOptions) -> Result<AgentBinary, StartError> {
        match &run.binary {
            Some(b) => Ok(b.clone()),
            None => Ok(discovery::find_agent(agent).await?),
        }
    }

    /// The executable of `agent`; a custom agent's is its command, as the settings name it
    /// (found on PATH when it is a bare name).
    pub(super) async fn agent_binary(&self, agent: AgentKind, agent_name: Option<&str>, run: &RunOptions) -> Result<AgentBinary, StartError> {
        agent_binary(&self.custom_agents, agent, agent_name, run).await
    }

    /// Starts a new session of `new.agent` in a project.
    pub async fn start(&self, new: NewSession, sink: Arc<dyn EventSink>) -> Result<SessionHandle, StartError> {
        let project = crate::resolve_project_dir(&new.project)?;
        let binary = self.agent_binary(new.agent, new.agent_name.as_deref(), &new.run).await?;
        let record = new_record(&new, &project);
        self.store.create_session(&record)?;
        self.spawn(&record, &binary, false, &new.run, sink)
    }

    /// Continues a new session whose agent [`EarlyStart`] started before this engine was
    /// open: the record is stored now, and the actor takes over the running process (what the
    /// agent wrote meanwhile waits in its pipe, a permission question included).
    pub fn start_early(&self, early: EarlyStart, sink: Arc<dyn EventSink>) -> Result<SessionHandle, StartError> {
        let EarlyStart { record, binary, run, spawned } = early;
        // Dropping `spawned` on an error ends the agent's whole tree.
        self.store.create_session(&record)?;
        self.attach(&record, &binary, false, &run, sink, spawned)
    }

    /// Resumes a stored session in a new agent process; its events continue the same stream.
    pub async fn resume(&self, id: &SessionId, run: RunOptions, sink: Arc<dyn EventSink>) -> Result<SessionHandle, StartError> {
        let record = self.store.session(id)?.ok_or_else(|| StartError::UnknownSession(id.clone()))?;
        if !record.status.is_over() {
            return Err(StartError::AlreadyRunning(id.clone()));
        }
        // The final status is stored a moment before the actor finishes; let it finish.
        if let Some(previous) = self.handle(id) {
            previous.finished().await;
        }
        let binary = self.agent_binary(record.agent, record.agent_name.as_deref(), &run).await?;
        self.store.claim(id)?;
        self.spawn(&record, &binary, true, &run, sink)
    }

    /// Starts the agent process and the actor for a stored session; the stream continues after
    /// the record's last event.
    fn spawn(
        &self,
        record: &SessionRecord,
        binary: &AgentBinary,
        resume: bool,
        run: &RunOptions,
        sink: Arc<dyn EventSink>,
    ) -> Result<SessionHandle, StartError> {
        let spawned = Spawned::start(&self.custom_agents, &self.data_dir, record, binary, resume, run)?;
        self.attach(record, binary, resume, run, sink, spawned)
    }

    /// Gives a started agent process its actor: the session's policy, recording, gate and
    /// sink, and registers it as live.
    fn attach(
        &self,
        record: &SessionRecord,
        binary: &AgentBinary,
        resume: bool,
        run: &RunOptions,
        sink: Arc<dyn EventSink>,
        spawned: Spawned,
    ) -> Result<SessionHandle, StartError> {
        let project = Path::new(&record.project);
        let Spawned { spec, adapter, process } = spawned;
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
        let policy = Policy::new(PathBuf::from(project), record.permission_mode, session_rules, self.project_rules.clone());
        let launch_spec = Launch {
            id: record.id.clone(),
            spec,
            adapter,
            started,
            last_seq: record.last_seq,
            turns: record.turns,
            cost_before: record.cost_usd,
            policy,
            recording: Recording::new(record.id.clone(), project, self.journal.clone(), self.gate.clone()),
            gate: SessionGate::new(record.id.clone(), PathBuf::from(project), Some(self.data_dir.clone()), run.gate, record.agent)
                .with_reviews(Reviewers::new(self.me.get().cloned().unwrap_or_default(), run.reviews.clone())),
            prompt_place: crate::session::prompt_input::PromptPlace::new(&self.data_dir, project, &record.id),
        };
        let sink = match self.publisher.get() {
            Some(publisher) => {
                publisher.wrap(sink, crate::gate::webhooks::Origin {
                    project: record.project.clone(),
                    home: crate::gate::home_of(Some(&self.data_dir), Path::new(&record.project)).to_string_lossy().into_owned(),
                    agent: record.agent,
                })
            }
            None => sink,
        };
        // The version the agent reports in its first message is kept for the next start.
        let sink = crate::version_cache::learning(sink, &binary.program, &binary.version);
        let handle = launch(self.store.clone(), sink, launch_spec, process);
        self.live().insert(record.id.clone(), handle.clone());
        self.watch(project, &handle);
        Ok(handle)
    }

    /// Watches the session's project until it begins to stop (see `crate::watch`).
    ///
    /// Not until it finished: once stopping it runs no turn, and its agent takes tens of
    /// milliseconds to exit. Letting go then lets the system watcher's teardown, which waits
    /// for the kernel (closing an inotify instance waits out an RCU grace period, up to ~16 ms
    /// here), overlap that exit instead of delaying the end of every `warden run` after it. A
    /// change in that moment is what a change after the session is: the window's own watch
    /// records it, and `warden run`'s next turn starts from the disk as it finds it.
    fn watch(&self, project: &Path, handle: &SessionHandle) {
        let (Some(watchers), Ok(runtime)) = (&self.watchers, tokio::runtime::Handle::try_current()) else { return };
        watchers.join(project, handle.id().clone(), Arc::new(handle.announcer()));
        let (watchers, root, id, stopping) = (watchers.clone(), project.to_owned(), handle.id().clone(), handle.when_stopping());
        runtime.spawn(async move {
            stopping.await;
            watchers.leave(&root, &id);
        });
    }

    /// The project watchers, when there is a journal.
    pub fn watchers(&self) -> Option<&Arc<crate::watch::Watchers>> {
        self.watchers.as_ref()
    }

}

/// How to start the agent of `record` and the adapter that speaks its protocol (a custom
/// agent's definition read from `custom_agents`). `has_checks`: the task gate has checks to run
/// when a turn ends ([`crate::gate::has_checks`]). Every session starts from this; the overhead
/// benchmark (`warden-bench-overhead`) drives an agent with the same parts and nothing else of
/// the engine, to tell what the agent's protocol mode costs from what Warden adds.
pub fn protocol_parts(
    custom_agents: &CustomAgentsFile,
    record: &SessionRecord,
    binary: &AgentBinary,
    resume: bool,
    env: &[(OsString, OsString)],
    output_schema: Option<&str>,
    has_checks: bool,
) -> Result<(SpawnSpec, Box<dyn AgentAdapter>), StartError> {
    let project = Path::new(&record.project);
    match record.agent.protocol() {
        AgentProtocol::ClaudeStream => {
            let agent_id = SessionId(record.agent_session_id.clone().unwrap_or_else(|| record.id.to_string()));
            let spec =
                claude::spawn_spec(binary, project, &agent_id, resume, record.model.as_deref(), record.permission_mode, env);
            let adapter = ClaudeAdapter::new(PathBuf::from(project)).continuing(record.cost_usd).holding_turn_ends(has_checks);
            Ok((spec, Box::new(adapter)))
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
                .resuming(thread, record.cost_usd)
                .answering_in(output_schema.and_then(|s| serde_json::from_str(s).ok()));
            Ok((spec, Box::new(adapter)))
        }
        AgentProtocol::Acp => {
            let custom = match record.agent {
                AgentKind::Custom => {
                    let name = record.agent_name.clone().unwrap_or_default();
                    Some(custom_agent(custom_agents, &name)?)
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

impl Sessions {
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

/// The record of a new session (not stored yet).
fn new_record(new: &NewSession, project: &Path) -> SessionRecord {
    let id = SessionId(uuid::Uuid::new_v4().to_string());
    let mut record = SessionRecord::new(
        id.clone(),
        project.to_string_lossy().into_owned(),
        new.agent,
        new.model.clone(),
        new.permission_mode,
        crate::now_ms(),
    );
    record.agent_name = new.agent_name.clone();
    record.sandbox = new.sandbox;
    record.worktree = new.worktree.clone();
    record.group = new.group.clone();
    // Claude is started with `--session-id=<id>`, so its id is Warden's from the start and
    // even a session that crashed before saying so can be resumed. The other agents name
    // their session themselves; the adapter reports it (`agentInfo`) and it is stored then.
    if new.agent == AgentKind::Claude {
        record.agent_session_id = Some(id.to_string());
    }
    record
}

/// The custom agent named `name`, as defined now.
fn custom_agent(custom_agents: &CustomAgentsFile, name: &str) -> Result<CustomAgent, StartError> {
    custom_agents.list()?.into_iter().find(|a| a.name == name).ok_or_else(|| StartError::UnknownCustomAgent(name.to_owned()))
}

/// The executable of `agent`; a custom agent's is its command, as the settings name it (found
/// on PATH when it is a bare name).
async fn agent_binary(
    custom_agents: &CustomAgentsFile,
    agent: AgentKind,
    agent_name: Option<&str>,
    run: &RunOptions,
) -> Result<AgentBinary, StartError> {
    if agent != AgentKind::Custom || run.binary.is_some() {
        return Sessions::binary(agent, run).await;
    }
    let custom = custom_agent(custom_agents, agent_name.unwrap_or_default())?;
    // The same resolver as the Agents screen, so an agent shown as found is the one started.
    let program = crate::agents::find_custom(&custom.command, &crate::agents::DetectEnv::current())
        .ok_or_else(|| StartError::CustomAgentMissing { name: custom.name.clone(), command: custom.command.clone() })?;
    // Not run with `--version`: an unknown agent may take it for the start of a session.
    Ok(AgentBinary { agent, program, version: "unknown".into() })
}

/// An agent process just started, with the adapter that speaks its protocol; dropping it ends
/// the process and everything it started.
pub(super) struct Spawned {
    spec: SpawnSpec,
    adapter: Box<dyn AgentAdapter>,
    process: (AgentProcess, Pipes),
}

impl Spawned {
    /// Starts the agent of `record`.
    fn start(
        custom_agents: &CustomAgentsFile,
        data_dir: &Path,
        record: &SessionRecord,
        binary: &AgentBinary,
        resume: bool,
        run: &RunOptions,
    ) -> Result<Spawned, StartError> {
        let has_checks = crate::gate::has_checks(run.gate.checks, !run.reviews.extra.is_empty(), Path::new(&record.project), Some(data_dir));
        let (mut spec, adapter) = protocol_parts(custom_agents, record, binary, resume, &run.env, run.output_schema.as_deref(), has_checks)?;
        if let (Some(schema), AgentProtocol::ClaudeStream) = (&run.output_schema, record.agent.protocol()) {
            spec.args.push("--json-schema".into());
            spec.args.push(schema.into());
        }
        let process = AgentProcess::spawn(&spec)
            .map_err(|source| StartError::Spawn { program: binary.program.display().to_string(), source })?;
        Ok(Spawned { spec, adapter, process })
    }
}

/// The agent of a new session, started before the engine's stores are opened (see
/// [`EarlyStart::spawn`]): `warden run` opens its databases, checks them when needed and
/// settles interrupted rollbacks while the agent boots, which takes the agent far longer.
/// Hand it to [`Sessions::start_early`]; dropping it instead ends the agent's whole tree.
pub struct EarlyStart {
    record: SessionRecord,
    binary: AgentBinary,
    run: RunOptions,
    spawned: Spawned,
}

impl EarlyStart {
    /// Starts the agent of `new` now, without the engine: what it needs before its first byte
    /// is the project, the executable (the version cache, the custom agents' file) and the
    /// session's id, none of which is in a database. `Ok(None)` when this session must start
    /// the usual way: in a worktree (made by the engine first), or when a rollback may have
    /// been interrupted (its recovery, at the engine's open, may put back files the agent
    /// reads when it starts, such as its instructions).
    ///
    /// Nothing the agent does before its first prompt is missed: the prompt is sent once the
    /// session is attached, and until then whatever the agent writes (a permission question
    /// included) waits in its pipe, to be read by the session's actor in order.
    pub async fn spawn(data_dir: &Path, new: &NewSession) -> Result<Option<EarlyStart>, StartError> {
        if new.worktree.is_some() || warden_journal::rollback_may_be_interrupted(data_dir) {
            return Ok(None);
        }
        let project = crate::resolve_project_dir(&new.project)?;
        // The version cache is kept in the data folder, which must exist (private) for it; the
        // engine's open, a moment later, makes what is already there private too.
        crate::store::private::create_dir(data_dir).map_err(|source| StoreError::Io { path: data_dir.to_owned(), source })?;
        crate::version_cache::use_data_dir(data_dir);
        let custom_agents = CustomAgentsFile::in_data_dir(data_dir);
        let binary = agent_binary(&custom_agents, new.agent, new.agent_name.as_deref(), &new.run).await?;
        let record = new_record(new, &project);
        let spawned = Spawned::start(&custom_agents, data_dir, &record, &binary, false, &new.run)?;
        Ok(Some(EarlyStart { record, binary, run: new.run.clone(), spawned }))
    }

    /// The id the session will have.
    pub fn id(&self) -> &SessionId {
        &self.record.id
    }
}
