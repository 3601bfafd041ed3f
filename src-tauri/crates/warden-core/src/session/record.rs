//! A session as stored and listed: which agent, where, in what state.

use super::ids::SessionId;
use serde::{Deserialize, Serialize};
use specta::Type;
use std::fmt;
use std::str::FromStr;

/// Which agent runs a session. Each speaks one [`AgentProtocol`]; [`crate::agent::spec`] says
/// how to find, start and install it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type, Default)]
#[serde(rename_all = "camelCase")]
pub enum AgentKind {
    /// Anthropic's Claude Code CLI, over its stream-json control protocol.
    #[default]
    Claude,
    /// OpenAI's Codex CLI, over `codex app-server`.
    Codex,
    /// Google's Gemini CLI, over ACP (`gemini --acp`).
    Gemini,
    /// Claude Code through its ACP adapter (`claude-agent-acp`).
    ClaudeAcp,
    /// Codex through its ACP adapter (`codex-acp`).
    CodexAcp,
    /// Block's goose, over ACP (`goose acp`).
    Goose,
    /// opencode, over ACP (`opencode acp`).
    Opencode,
    /// An ACP agent the person defined in the settings (the session record names which).
    Custom,
}

/// The wire protocol an agent speaks on its stdio.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum AgentProtocol {
    /// Claude Code's stream-json with the control protocol.
    ClaudeStream,
    /// Codex's app-server JSON-RPC.
    CodexAppServer,
    /// The Agent Client Protocol.
    Acp,
}

impl AgentKind {
    /// Every agent, in the order the window lists them.
    pub const ALL: [AgentKind; 8] = [
        Self::Claude,
        Self::Codex,
        Self::Gemini,
        Self::ClaudeAcp,
        Self::CodexAcp,
        Self::Goose,
        Self::Opencode,
        Self::Custom,
    ];

    /// The name used on the command line and in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Claude => "claude",
            Self::Codex => "codex",
            Self::Gemini => "gemini",
            Self::ClaudeAcp => "claude-acp",
            Self::CodexAcp => "codex-acp",
            Self::Goose => "goose",
            Self::Opencode => "opencode",
            Self::Custom => "custom",
        }
    }

    /// The protocol it speaks.
    pub fn protocol(self) -> AgentProtocol {
        match self {
            Self::Claude => AgentProtocol::ClaudeStream,
            Self::Codex => AgentProtocol::CodexAppServer,
            _ => AgentProtocol::Acp,
        }
    }
}

impl FromStr for AgentKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            let known: Vec<&str> = Self::ALL.iter().map(|k| k.as_str()).collect();
            format!("unknown agent '{s}' (known: {})", known.join(", "))
        })
    }
}

/// How freely the agent may act without asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type, Default)]
#[serde(rename_all = "camelCase")]
pub enum PermissionMode {
    /// Ask before anything that changes something.
    #[default]
    Default,
    /// File edits in the project go ahead; other changes still ask.
    AcceptEdits,
    /// Read only until a plan is approved.
    Plan,
    /// Every tool call goes ahead without asking, except what a deny rule forbids. Only after
    /// an explicit warning, and marked on screen while it is on.
    Bypass,
}

impl PermissionMode {
    /// The mode's stored name (Claude's `--permission-mode` spelling for the modes it shares).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Default => "default",
            Self::AcceptEdits => "acceptEdits",
            Self::Plan => "plan",
            Self::Bypass => "bypass",
        }
    }

    /// The mode Claude itself runs in. Only plan mode is Claude's own; in every other mode
    /// Claude asks as in its default mode and Warden's policy answers. Claude's `acceptEdits`
    /// also runs `rm`, `mv`, `mkdir`, `sed -i` in the folder without asking, and its
    /// `bypassPermissions` never asks: either would let calls run that Warden never decided.
    /// Warden's Accept edits allows only the edit tools inside the project, and its Bypass
    /// answers yes itself, so deny rules still hold (and it works as root, where Claude refuses
    /// its own bypass mode).
    pub fn claude_mode(self) -> &'static str {
        match self {
            Self::Plan => "plan",
            Self::Default | Self::AcceptEdits | Self::Bypass => "default",
        }
    }
}

impl FromStr for PermissionMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "default" => Ok(Self::Default),
            "acceptEdits" => Ok(Self::AcceptEdits),
            "plan" => Ok(Self::Plan),
            "bypass" | "bypassPermissions" => Ok(Self::Bypass),
            other => Err(format!("unknown permission mode '{other}' (known: default, acceptEdits, plan, bypass)")),
        }
    }
}

impl fmt::Display for PermissionMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a session is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum SessionStatus {
    /// The agent process is starting.
    Starting,
    /// Waiting for a prompt.
    Ready,
    /// A turn is running.
    Running,
    /// Being stopped.
    Stopping,
    /// Stopped on request; can be resumed.
    Stopped,
    /// The agent exited on its own or was killed; can be resumed.
    Crashed,
}

impl SessionStatus {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Starting => "starting",
            Self::Ready => "ready",
            Self::Running => "running",
            Self::Stopping => "stopping",
            Self::Stopped => "stopped",
            Self::Crashed => "crashed",
        }
    }

    /// Whether the agent process is gone.
    pub fn is_over(self) -> bool {
        matches!(self, Self::Stopped | Self::Crashed)
    }
}

impl FromStr for SessionStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "starting" => Self::Starting,
            "ready" => Self::Ready,
            "running" => Self::Running,
            "stopping" => Self::Stopping,
            "stopped" => Self::Stopped,
            "crashed" => Self::Crashed,
            other => return Err(format!("unknown session status '{other}'")),
        })
    }
}

/// A stored session, as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SessionRecord {
    /// Warden's id.
    pub id: SessionId,
    /// The project folder (canonical path).
    pub project: String,
    /// Which agent.
    pub agent: AgentKind,
    /// The agent's own session id, used to resume (`--resume=<id>` for Claude).
    pub agent_session_id: Option<String>,
    /// From the first prompt.
    pub title: String,
    /// The model asked for, if any.
    pub model: Option<String>,
    /// The permission mode it started in.
    pub permission_mode: PermissionMode,
    /// Milliseconds since the Unix epoch.
    pub created_ms: u64,
    /// Milliseconds since the Unix epoch of the last event.
    pub updated_ms: u64,
    /// Last known status. A session the app did not stop cleanly reads as running until it is
    /// reopened, which marks it crashed.
    pub status: SessionStatus,
    /// Turns started.
    pub turns: u32,
    /// `seq` of the last stored event.
    pub last_seq: u64,
    /// Cost reported by the agent over all turns, in US dollars.
    pub cost_usd: f64,
    /// For [`AgentKind::Custom`]: the name of the ACP agent defined in the settings.
    #[serde(default)]
    pub agent_name: Option<String>,
    /// For Codex: the sandbox its commands run in (`None`: workspace-write).
    #[serde(default)]
    pub sandbox: Option<Sandbox>,
    /// For a reviewer's session: the session whose work it reviews (the window links the two).
    #[serde(default)]
    pub reviews: Option<SessionId>,
    /// For a session in its own git worktree: the worktree (its folder is `project`) and the
    /// main folder it belongs to (the window lists the session under that project).
    #[serde(default)]
    pub worktree: Option<SessionWorktree>,
    /// For a session started with others on the same prompt (best of N): the group's id.
    #[serde(default)]
    pub group: Option<String>,
}

/// Where a session in its own worktree works and what it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SessionWorktree {
    /// The main project folder (canonical) whose repository the worktree belongs to.
    pub main: String,
    /// The worktree's branch.
    pub branch: String,
    /// The branch it was made from, when the base was a branch (its work goes back there).
    pub base_branch: Option<String>,
    /// The commit it was made from.
    pub base_commit: String,
}

/// Where Codex lets commands write without asking (its `sandbox` setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type, Default)]
#[serde(rename_all = "camelCase")]
pub enum Sandbox {
    /// Nothing may be written; every change is asked about.
    ReadOnly,
    /// The project folder may be written; anything beyond it is asked about.
    #[default]
    WorkspaceWrite,
    /// No sandbox at all (only after a warning).
    FullAccess,
}

impl Sandbox {
    /// Codex's own name for it (`thread/start`'s `sandbox`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ReadOnly => "read-only",
            Self::WorkspaceWrite => "workspace-write",
            Self::FullAccess => "danger-full-access",
        }
    }
}

impl FromStr for Sandbox {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "read-only" => Ok(Self::ReadOnly),
            "workspace-write" => Ok(Self::WorkspaceWrite),
            "danger-full-access" | "full-access" => Ok(Self::FullAccess),
            other => Err(format!("unknown sandbox '{other}' (known: read-only, workspace-write, danger-full-access)")),
        }
    }
}

impl SessionRecord {
    /// A session that has just been created: no turns, no events, status `starting`.
    pub fn new(
        id: SessionId,
        project: String,
        agent: AgentKind,
        model: Option<String>,
        permission_mode: PermissionMode,
        now_ms: u64,
    ) -> Self {
        Self {
            id,
            project,
            agent,
            agent_session_id: None,
            title: String::new(),
            model,
            permission_mode,
            created_ms: now_ms,
            updated_ms: now_ms,
            status: SessionStatus::Starting,
            turns: 0,
            last_seq: 0,
            cost_usd: 0.0,
            agent_name: None,
            sandbox: None,
            reviews: None,
            worktree: None,
            group: None,
        }
    }
}
