//! The values of the terminal API: what to start, its id, what it sends, how it ended and why
//! an operation failed.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
/// A terminal's id and how its process ended are core's values, the ones the window sees.
pub use warden_core::terminal::{TerminalExit, TerminalId};

/// What to run in a new terminal.
#[derive(Debug, Clone)]
pub struct TerminalSpec {
    /// The executable: a path, or a name looked up on PATH.
    pub program: PathBuf,
    /// Its arguments.
    pub args: Vec<OsString>,
    /// The folder it starts in; it must exist.
    pub cwd: PathBuf,
    /// Variables set on top of Warden's own environment (and `TERM`, which is always set).
    pub env: Vec<(OsString, OsString)>,
    /// Width in character cells (at least 1).
    pub cols: u16,
    /// Height in character cells (at least 1).
    pub rows: u16,
    /// The most output kept for [`super::Terminals::output`]; older output is dropped from the
    /// front (ACP's `outputByteLimit`). `None`: [`super::DEFAULT_OUTPUT_LIMIT`].
    pub output_byte_limit: Option<usize>,
}

impl TerminalSpec {
    /// The person's shell ([`default_shell`]) in `cwd`.
    pub fn shell(cwd: impl Into<PathBuf>, cols: u16, rows: u16) -> Self {
        Self::command(default_shell(), Vec::new(), cwd, cols, rows)
    }

    /// `program` with `args` in `cwd`, no extra variables, the default output limit.
    pub fn command(program: impl Into<PathBuf>, args: Vec<OsString>, cwd: impl Into<PathBuf>, cols: u16, rows: u16) -> Self {
        Self { program: program.into(), args, cwd: cwd.into(), env: Vec::new(), cols, rows, output_byte_limit: None }
    }
}

/// The shell a terminal runs when nothing else is asked for: `$SHELL`, else `/bin/bash` (on
/// Windows `%COMSPEC%`, else `powershell.exe`).
pub fn default_shell() -> PathBuf {
    #[cfg(windows)]
    let (var, fallback) = ("COMSPEC", "powershell.exe");
    #[cfg(not(windows))]
    let (var, fallback) = ("SHELL", "/bin/bash");
    std::env::var_os(var).filter(|v| !v.is_empty()).map_or_else(|| PathBuf::from(fallback), PathBuf::from)
}

/// What a subscriber of a terminal receives, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TerminalEvent {
    /// Bytes the terminal printed, exactly as read from the PTY: a chunk may end inside a
    /// UTF-8 character (decode with [`super::Utf8Decoder`]).
    Output(Vec<u8>),
    /// The process ended; nothing follows. Sent after the output read up to its end, or after a
    /// bounded wait when a leftover background process still holds the terminal open.
    Exited(TerminalExit),
}

/// What a new subscriber starts from: the output kept so far, and the events after it.
#[derive(Debug)]
pub struct Subscription {
    /// The output printed before the subscription, from a character boundary (it may still end
    /// inside a character that the first [`TerminalEvent::Output`] completes).
    pub backlog: Vec<u8>,
    /// Whether older output than the backlog was dropped.
    pub truncated: bool,
    /// Everything after the backlog. It ends after [`TerminalEvent::Exited`]; a terminal that has
    /// already ended delivers that at once.
    pub events: tokio::sync::mpsc::Receiver<TerminalEvent>,
}

/// A terminal's kept output (ACP's `terminal/output` answer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerminalOutput {
    /// The kept tail as text, starting at a character boundary.
    pub text: String,
    /// Whether older output was dropped to stay within the output limit.
    pub truncated: bool,
    /// How the process ended, once it has.
    pub exit: Option<TerminalExit>,
}

/// Why a terminal operation failed.
#[derive(Debug, thiserror::Error)]
pub enum TerminalError {
    /// No terminal with this id (never opened, or released).
    #[error("there is no terminal {0}")]
    NotFound(TerminalId),
    /// A string that is not a terminal id.
    #[error(transparent)]
    BadId(#[from] warden_core::terminal::BadTerminalId),
    /// The folder to start in is missing or not a folder.
    #[error("cannot start a terminal in {}: it is not a folder", .0.display())]
    NoFolder(PathBuf),
    /// A size of zero columns or rows.
    #[error("a terminal needs at least 1 column and 1 row (got {cols}×{rows})")]
    BadSize {
        /// Columns asked for.
        cols: u16,
        /// Rows asked for.
        rows: u16,
    },
    /// The operating system could not open a pseudo-terminal.
    #[error("could not open a pseudo-terminal: {0}")]
    Pty(String),
    /// The program could not be started.
    #[error("could not start {program}: {reason}")]
    Spawn {
        /// The program.
        program: String,
        /// What the operating system said.
        reason: String,
    },
    /// The process has ended, so it takes no input or size any more.
    #[error("the terminal's process has ended")]
    Exited,
    /// This agent has no interactive terminal interface Warden knows how to start.
    #[error("{0} has no terminal interface Warden can open")]
    NoTui(String),
    /// A session to resume in an agent's interface is another agent's.
    #[error("session {session} is a {} session, not {}", .is.as_str(), .asked.as_str())]
    OtherAgent {
        /// The session.
        session: String,
        /// Its agent.
        is: warden_core::session::AgentKind,
        /// The agent whose interface was asked for.
        asked: warden_core::session::AgentKind,
    },
    /// The agent whose interface was asked for is missing or unusable.
    #[error(transparent)]
    AgentUnavailable(#[from] crate::discovery::DiscoveryError),
}

pub(crate) fn check_size(cols: u16, rows: u16) -> Result<(), TerminalError> {
    if cols == 0 || rows == 0 {
        return Err(TerminalError::BadSize { cols, rows });
    }
    Ok(())
}

pub(crate) fn check_folder(cwd: &Path) -> Result<(), TerminalError> {
    if !cwd.is_dir() {
        return Err(TerminalError::NoFolder(cwd.to_owned()));
    }
    Ok(())
}
