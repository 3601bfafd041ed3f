//! The cheap, cloneable handle the rest of the app uses to talk to a session actor.

use tokio::sync::{mpsc, oneshot, watch};
use warden_core::permission::RuleSet;
use warden_core::session::{DecisionSource, PermissionAnswer, PermissionMode, PermissionRequestId, SessionId, TurnId};

/// Why a session refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    /// A turn is already running.
    #[error("the agent is still working on the previous prompt; wait for it or stop it first")]
    Busy,
    /// The agent process is gone or being stopped.
    #[error("the session is not running; resume it first")]
    NotRunning,
    /// No such question is waiting (already answered, or withdrawn by the agent).
    #[error("no permission request {0} is waiting for an answer")]
    UnknownRequest(PermissionRequestId),
}

pub(crate) enum Command {
    Prompt { text: String, reply: oneshot::Sender<Result<TurnId, SessionError>> },
    Interrupt { reply: oneshot::Sender<Result<(), SessionError>> },
    Resolve {
        request: PermissionRequestId,
        answer: PermissionAnswer,
        source: DecisionSource,
        reply: oneshot::Sender<Result<(), SessionError>>,
    },
    SetMode { mode: PermissionMode, reply: oneshot::Sender<Result<(), SessionError>> },
    SetSessionRules { rules: RuleSet, reply: oneshot::Sender<Result<(), SessionError>> },
    Stop { reply: oneshot::Sender<()> },
}

/// Talks to one session actor. Cloning is cheap; when the last handle is dropped the session
/// stops.
#[derive(Debug, Clone)]
pub struct SessionHandle {
    id: SessionId,
    tx: mpsc::UnboundedSender<Command>,
    finished: watch::Receiver<bool>,
}

impl SessionHandle {
    pub(crate) fn new(id: SessionId, tx: mpsc::UnboundedSender<Command>, finished: watch::Receiver<bool>) -> Self {
        Self { id, tx, finished }
    }

    /// The session's id.
    pub fn id(&self) -> &SessionId {
        &self.id
    }

    async fn ask<T>(&self, make: impl FnOnce(oneshot::Sender<Result<T, SessionError>>) -> Command) -> Result<T, SessionError> {
        let (reply, answer) = oneshot::channel();
        self.tx.send(make(reply)).map_err(|_| SessionError::NotRunning)?;
        answer.await.unwrap_or(Err(SessionError::NotRunning))
    }

    /// Sends a prompt, starting a turn. Returns once the prompt is recorded and written to the
    /// agent, not when the turn ends (watch for `TurnEnded`).
    pub async fn prompt(&self, text: impl Into<String>) -> Result<TurnId, SessionError> {
        let text = text.into();
        self.ask(|reply| Command::Prompt { text, reply }).await
    }

    /// Interrupts the running turn (a no-op when none is running).
    pub async fn interrupt(&self) -> Result<(), SessionError> {
        self.ask(|reply| Command::Interrupt { reply }).await
    }

    /// Answers a permission question.
    pub async fn resolve(&self, request: PermissionRequestId, answer: PermissionAnswer, source: DecisionSource) -> Result<(), SessionError> {
        self.ask(|reply| Command::Resolve { request, answer, source, reply }).await
    }

    /// Switches the session's permission mode (Warden's and the agent's).
    pub async fn set_mode(&self, mode: PermissionMode) -> Result<(), SessionError> {
        self.ask(|reply| Command::SetMode { mode, reply }).await
    }

    /// Replaces the session's own permission rules (e.g. one removed in the Permissions panel).
    pub async fn set_session_rules(&self, rules: RuleSet) -> Result<(), SessionError> {
        self.ask(|reply| Command::SetSessionRules { rules, reply }).await
    }

    /// Stops the session and waits until its process is gone.
    pub async fn stop(&self) {
        let (reply, done) = oneshot::channel();
        if self.tx.send(Command::Stop { reply }).is_ok() {
            let _ = done.await;
        }
        self.finished().await;
    }

    /// Asks the session to stop without waiting for it.
    pub fn request_stop(&self) {
        let (reply, _) = oneshot::channel();
        let _ = self.tx.send(Command::Stop { reply });
    }

    /// Waits until the actor has finished (the process exited and the last event was stored).
    pub async fn finished(&self) {
        let mut finished = self.finished.clone();
        let _ = finished.wait_for(|done| *done).await;
    }

    /// Whether the actor has finished.
    pub fn is_finished(&self) -> bool {
        *self.finished.borrow()
    }
}
