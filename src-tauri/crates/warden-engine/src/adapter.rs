//! The contract between a session actor and an agent protocol.

use std::path::PathBuf;
use std::time::Instant;
use warden_core::session::{
    Effort, NoticeLevel, PermissionDecision, PermissionMode, PermissionRequestId, RawOutput, SessionControls, SessionEventKind, SessionNotice, ToolCallId,
    TurnId,
};

/// How much of an unrecognised line is kept for display.
pub const RAW_KEEP: usize = 64 * 1024;

/// A notice for the session's stream.
pub fn notice(level: NoticeLevel, text: String) -> Output {
    Output::Event(SessionEventKind::Notice(SessionNotice { level, text }))
}

/// A raw entry for `line`, cut to [`RAW_KEEP`] bytes for display.
pub fn raw_output(reason: String, line: &[u8]) -> RawOutput {
    let kept = &line[..line.len().min(RAW_KEEP)];
    RawOutput { reason, text: String::from_utf8_lossy(kept).into_owned(), bytes: line.len() as u64 }
}

/// What an adapter makes of a line of agent output.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// An event for the session's stream.
    Event(SessionEventKind),
    /// A line to write back to the agent (an answer it needs to go on).
    Send(String),
    /// The agent finished starting up and takes prompts.
    Ready,
    /// The agent is about to run a tool and waits to hear whether a deny rule forbids it
    /// (answered with [`AgentAdapter::answer_tool_check`]).
    ToolCheck(ToolCheck),
    /// A tool call finished and the agent waits for the answer (made with
    /// [`AgentAdapter::answer_tool_done`]) before it goes on, so what the call changed can be
    /// recorded before anything else runs.
    ToolDone {
        /// Answer with this id.
        id: String,
        /// The tool call.
        tool_call_id: Option<ToolCallId>,
    },
    /// The agent waits for Warden's answer to a question about this tool call before it runs
    /// it, and the call may change files (Codex's command and file-change approvals): what
    /// changed until now is not its doing, so the file journal marks the call's start here.
    /// Its final status marks its end, and what changed in between is tied to it.
    ToolWaits {
        /// The tool call.
        tool_call_id: ToolCallId,
    },
    /// The agent is about to end its turn on its own and waits for Warden's answer first
    /// (Claude's `Stop` hook): the gate may run the task's checks now and answer with
    /// [`AgentAdapter::answer_turn_ending`] — with feedback, the agent goes on inside the same
    /// turn; without, the turn ends.
    TurnEnding {
        /// Answer with this id.
        id: String,
    },
    /// The agent asks Warden to do something for it that takes I/O (ACP's `fs/*` and
    /// `terminal/*` client methods): the actor does it and answers with
    /// [`AgentAdapter::answer_client_request`].
    ClientRequest(ClientRequest),
}

/// Something the agent asks the client to do for it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientRequest {
    /// Answer with this id.
    pub id: String,
    /// The folder the agent may read, write and run commands in: the session's project.
    /// Anything outside it is refused.
    pub project: PathBuf,
    /// The tool call it belongs to, when the adapter can tell: a write is then recorded in the
    /// file journal as that call's change.
    pub tool_call_id: Option<ToolCallId>,
    /// What to do.
    pub action: ClientAction,
}

/// What the agent asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientAction {
    /// Read a text file: from `line` (1-based) on, at most `limit` lines.
    ReadTextFile {
        /// Absolute path.
        path: PathBuf,
        /// First line to read (1-based), when not the first.
        line: Option<u32>,
        /// Most lines to read.
        limit: Option<u32>,
    },
    /// Create or replace a text file.
    WriteTextFile {
        /// Absolute path.
        path: PathBuf,
        /// The whole new text.
        content: String,
    },
    /// Run a command in a new terminal (a pseudo-terminal the agent reads, not the window's).
    CreateTerminal {
        /// The program.
        command: String,
        /// Its arguments.
        args: Vec<String>,
        /// Variables to set for it.
        env: Vec<(String, String)>,
        /// The folder it runs in (absolute, inside the project); the project when `None`.
        cwd: Option<PathBuf>,
        /// The most output to keep; older output is dropped from the front.
        output_byte_limit: Option<u64>,
    },
    /// The output a terminal kept so far, and its exit once it has one.
    TerminalOutput {
        /// The terminal (`term-N`).
        terminal: String,
    },
    /// Wait until the terminal's command ends (answered then, not at once).
    WaitForTerminalExit {
        /// The terminal.
        terminal: String,
    },
    /// End the terminal's command; its output stays readable.
    KillTerminal {
        /// The terminal.
        terminal: String,
    },
    /// End the terminal's command if it still runs, and forget the terminal.
    ReleaseTerminal {
        /// The terminal.
        terminal: String,
    },
}

/// How a [`ClientRequest`] went.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientResult {
    /// The text read.
    Read(String),
    /// The file was written.
    Written,
    /// A terminal was started with this id.
    TerminalCreated(String),
    /// What a terminal printed (kept tail), whether older output was dropped, and its exit.
    TerminalOutput(crate::terminal::TerminalOutput),
    /// The terminal's command ended; `output` is everything it kept, to show the person.
    TerminalExited {
        /// How it ended.
        exit: crate::terminal::TerminalExit,
        /// Its kept output (none when the terminal was released meanwhile).
        output: Option<crate::terminal::TerminalOutput>,
    },
    /// Done, with nothing to report (a kill or a release). `output` is the terminal's kept output
    /// at that moment, to show the person, when there was a terminal.
    Done {
        /// The terminal's kept output.
        output: Option<crate::terminal::TerminalOutput>,
    },
    /// Refused as asked (a path outside the project or not absolute, an unknown terminal, a
    /// command a deny rule forbids): the agent's mistake, or the person's rule.
    Refused(String),
    /// It failed (an I/O error).
    Failed(String),
}

/// A tool call about to run, for the deny rules to veto.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolCheck {
    /// Answer with this id.
    pub id: String,
    /// The tool call.
    pub tool_call_id: Option<ToolCallId>,
    /// The tool's name.
    pub tool_name: String,
    /// What the call does.
    pub input: warden_core::session::ToolInput,
}

/// Warden's answer to a [`ToolCheck`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckAnswer<'a> {
    /// No objection: the agent goes on with its own checks (and may ask).
    Proceed,
    /// The call must be put to the person even where the agent would run it unasked: Warden
    /// cannot read it with certainty while a deny rule of its kind exists. Carries the reason.
    Ask(&'a str),
    /// A deny rule forbids the call; carries what the agent is told.
    Deny(&'a str),
}

/// What the agent is told about one permission question.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// The decision.
    pub decision: PermissionDecision,
    /// The message for the agent along with a denial.
    pub message: Option<String>,
    /// For a plan approval: the mode the agent carries on in.
    pub mode: Option<PermissionMode>,
}

/// One agent protocol spoken over stdio lines. Pure state: the actor owns the process and the
/// I/O, the adapter only translates, so every rule can be tested on recorded output.
pub trait AgentAdapter: Send {
    /// Lines to write right after the process starts.
    fn start(&mut self) -> Vec<String>;
    /// Lines that send a prompt of text only and open turn `turn`.
    fn prompt(&mut self, turn: TurnId, text: &str, now: Instant) -> Vec<String> {
        self.prompt_input(turn, &crate::session::prompt_input::AgentPrompt::text(text), now)
    }
    /// Lines that send a prompt with its mentions and images, in the agent's own shapes, and
    /// open turn `turn`. Images come only when [`accepts`](Self::accepts) says it takes them.
    fn prompt_input(&mut self, turn: TurnId, prompt: &crate::session::prompt_input::AgentPrompt, now: Instant) -> Vec<String>;
    /// What the agent takes in a prompt besides text; told to the window when it is ready.
    fn accepts(&self) -> warden_core::session::PromptAccepts {
        warden_core::session::PromptAccepts::new(false, warden_core::session::MentionDelivery::Text)
    }
    /// Lines that ask the agent to stop the current turn (none when no turn is open).
    fn interrupt(&mut self) -> Vec<String>;
    /// Translates one line of stdout (without its newline).
    fn on_line(&mut self, line: &[u8], now: Instant) -> Vec<Output>;
    /// Answers a pending permission question: the lines to write and the events that follow
    /// from the answer. `None` when no such question is pending (already answered, withdrawn).
    fn answer(&mut self, request: &PermissionRequestId, reply: &Reply, now: Instant)
        -> Option<(Vec<String>, Vec<SessionEventKind>)>;
    /// Answers a pending question with choices (a
    /// [`ToolInput::Question`](warden_core::session::ToolInput::Question)) with the person's
    /// answers, in the agent's shape: the lines to write and the events that follow. `None` when
    /// no such question is pending, and for agents that never ask one.
    fn answer_choices(&mut self, request: &PermissionRequestId, answers: &[warden_core::session::QuestionAnswer], now: Instant)
        -> Option<(Vec<String>, Vec<SessionEventKind>)> {
        let _ = (request, answers, now);
        None
    }
    /// Answers a [`ToolCheck`] (see [`CheckAnswer`]). Returns the lines to write and the events
    /// that follow.
    fn answer_tool_check(&mut self, check: &ToolCheck, answer: CheckAnswer<'_>, now: Instant) -> (Vec<String>, Vec<SessionEventKind>);
    /// Lines that answer an [`Output::ToolDone`]: the agent goes on.
    fn answer_tool_done(&mut self, id: &str) -> Vec<String>;
    /// Answers an [`Output::ClientRequest`] with what came of it: the lines to write and the
    /// events that follow (a terminal's output shown on the tool call that runs it). Protocols
    /// without client requests never get here.
    fn answer_client_request(&mut self, id: &str, result: ClientResult) -> (Vec<String>, Vec<SessionEventKind>) {
        let _ = (id, result);
        (Vec::new(), Vec::new())
    }
    /// Answers an [`Output::TurnEnding`]: `feedback` keeps the agent working in the same turn
    /// with that text as the reason; `None` lets the turn end. Protocols that never ask never
    /// get here.
    fn answer_turn_ending(&mut self, id: &str, feedback: Option<&str>) -> Vec<String> {
        let _ = (id, feedback);
        Vec::new()
    }
    /// Lines that switch the agent to another permission mode.
    fn set_mode(&mut self, mode: PermissionMode) -> Vec<String>;
    /// Lines that add `text` to the running turn (a steer, see `crate::session` `steer`);
    /// `None` when this agent cannot take one. Only asked while a turn is open and the agent's
    /// [`SessionControls`](warden_core::session::SessionControls) say it can steer.
    fn steer(&mut self, text: &str) -> Option<Vec<String>> {
        let _ = text;
        None
    }
    /// Lines that switch the model and/or the effort (`None`: unchanged), and the controls
    /// after the switch. Only asked once the switch passed
    /// [`SessionControls::check_switch`](warden_core::session::SessionControls::check_switch);
    /// `None` when this agent cannot switch.
    fn set_model(&mut self, model: Option<&str>, effort: Option<&Effort>) -> Option<(Vec<String>, SessionControls)> {
        let _ = (model, effort);
        None
    }
    /// Questions still waiting for an answer.
    fn pending_requests(&self) -> Vec<PermissionRequestId>;
    /// Whether a turn has started and not yet ended.
    fn turn_open(&self) -> bool;
}
