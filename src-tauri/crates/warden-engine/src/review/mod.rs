//! Reviews: a reviewer session of any agent Warden runs reads what a task (a turn, a session)
//! changed and answers in the findings schema of [`warden_core::review`].
//!
//! - [`scope`] builds the reviewer's input from Warden's own records (the journal's diff, the
//!   prompts, the checks' results), or for a review against a git base from [`git_base`].
//! - [`prompt`] writes the reviewer's prompt and the one repair prompt.
//! - [`runner`] runs the reviewer as an ordinary Warden session (its events, cost and
//!   permissions are Warden's like any other's), read-only twice over: the agent's own
//!   read-only mode (Claude's plan mode, Codex's `read-only` sandbox) and Warden's session rules
//!   denying edits, writes, deletes, moves and commands, with every question the agent still
//!   asks answered "no". Claude answers through `--json-schema`, Codex through `outputSchema`,
//!   ACP agents in text; an answer that cannot be read gets one repair prompt, then the review
//!   is an error — never a pass.
//!
//! - [`on_demand`] is the person's own ask (the window's "Review with…", a host's answer).
//!
//! Its failures are [`ReviewError`]s.

pub mod git_base;
pub mod on_demand;
pub mod prompt;
pub mod runner;
pub mod scope;

pub use runner::{review, ReviewAsk, ReviewOutcome, ReviewRequest, DEFAULT_TIMEOUT};
pub use scope::{review_input, ReviewInput, ScopePrompt};

use warden_core::session::SessionId;

/// Why a review could not give a verdict.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// The project folder is not usable.
    #[error(transparent)]
    Project(#[from] warden_core::ProjectError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] crate::StoreError),
    /// The file journal failed.
    #[error(transparent)]
    Journal(#[from] crate::journal::JournalError),
    /// The file journal could not be opened, so there is no diff to review.
    #[error("the file journal is not available, so there are no recorded changes to review")]
    JournalUnavailable,
    /// No stored session has this id.
    #[error("there is no session {0}")]
    UnknownSession(SessionId),
    /// The session belongs to another project.
    #[error("session {session} belongs to {project}")]
    OtherProject {
        /// The session.
        session: SessionId,
        /// Its project.
        project: String,
    },
    /// The scope names a task or turn the session does not have.
    #[error("{0}")]
    UnknownScope(String),
    /// A git base was refused before git saw it.
    #[error("'{base}' is not taken as a git base: {why}")]
    BadBase {
        /// The base as given.
        base: String,
        /// Why it was refused.
        why: String,
    },
    /// Git does not know the base as a commit.
    #[error("git knows no branch or commit '{0}' in this project")]
    UnknownBase(String),
    /// A review against a git base of a project that is not in a git repository.
    #[error("{0} is not in a git repository, so there is no git base to review against")]
    NotGitRepository(String),
    /// A review against a git base, and git cannot be run.
    #[error("git is not installed (or not on PATH), so there is no git base to review against")]
    GitMissing,
    /// Git failed while reading the change since a base.
    #[error("git failed: {0}")]
    Git(String),
    /// The scope changed no file: there is nothing to review.
    #[error("{0} changed no file: there is nothing to review")]
    NothingChanged(String),
    /// The reviewer could not be started.
    #[error("the reviewer could not be started: {0}")]
    Start(#[from] crate::StartError),
    /// The reviewer session refused a request.
    #[error("the reviewer session failed: {0}")]
    Session(#[from] crate::SessionError),
    /// The diff file for a large scope could not be written.
    #[error("the diff for the reviewer could not be written to {path}: {source}")]
    DiffFile {
        /// Where.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The reviewer's turn failed, or its process ended, before it answered.
    #[error("the reviewer did not answer: {0}")]
    NoAnswer(String),
    /// The reviewer took longer than allowed.
    #[error("the reviewer did not answer within {0} seconds")]
    TimedOut(u64),
    /// The reviewer's answers (the first and the repaired one) do not follow the findings
    /// schema.
    #[error("the reviewer's answer could not be read, even after asking again: {0}")]
    Unreadable(String),
}
