//! The cheap, cloneable handle the rest of the app uses to talk to a session actor.

use tokio::sync::{mpsc, oneshot, watch};
use warden_core::permission::RuleSet;
use warden_core::session::{ControlsError, DecisionSource, Effort, FeedbackDecision, PermissionAnswer, PermissionMode, PermissionRequestId, SessionId, TaskId, TurnId};

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
    /// The task is not the session's open task (finished, or never existed).
    #[error("task {0} is not open in this session")]
    UnknownTask(TaskId),
    /// The task has no feedback waiting for a decision (its checks still run, or it passed).
    #[error("task {0} has no feedback waiting for a decision")]
    NoFeedback(TaskId),
    /// The task's checks are running; wait for them.
    #[error("the checks of task {0} are still running")]
    ChecksRunning(TaskId),
    /// The prompt's attachments were refused (a mention outside the project, an image too
    /// large, an image for an agent that takes none…).
    #[error(transparent)]
    Attachment(#[from] super::prompt_input::AttachmentError),
    /// Answers that do not fit the agent's question with choices (an option it does not offer,
    /// several for a single choice, a question it did not ask).
    #[error("the answers do not fit the question: {0}")]
    BadAnswer(String),
    /// A model switch or a steer the agent does not take (see [`warden_core::session::controls`]).
    #[error("{0}")]
    Controls(#[from] ControlsError),
}

pub(crate) enum Command {
    Prompt { prompt: super::prompt_input::AgentPrompt, reply: oneshot::Sender<Result<TurnId, SessionError>> },
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
    /// A review's event, stored and sent in the session's stream (see [`ReviewReport`]).
    Review { report: ReviewReport, reply: oneshot::Sender<Result<(), SessionError>> },
    /// An event from outside the actor (the project watcher's `FileChanges`), stored and sent
    /// in the session's stream like its own.
    Announce { kind: warden_core::session::SessionEventKind },
    /// Words for the running turn (a steer).
    Steer { text: String, reply: oneshot::Sender<Result<(), SessionError>> },
    /// A model and/or effort switch (`None`: unchanged).
    SetModel { model: Option<String>, effort: Option<Effort>, reply: oneshot::Sender<Result<(), SessionError>> },
    /// The gate's commands (see `crate::gate`).
    Gate { command: crate::gate::GateCommand, reply: oneshot::Sender<Result<Option<TurnId>, SessionError>> },
}

/// A review of the session's work, reported into its stream by whoever runs the review (an
/// on-demand review, see `crate::engine::reviews`): the actor numbers and stores it like its own
/// events, so a live session's stream keeps one writer.
#[derive(Debug, Clone)]
pub enum ReviewReport {
    /// The review started.
    Started(warden_core::session::ReviewStarted),
    /// The review ended.
    Finished(warden_core::session::ReviewFinished),
}

impl ReviewReport {
    /// The event it is.
    pub fn into_kind(self) -> warden_core::session::SessionEventKind {
        match self {
            Self::Started(started) => warden_core::session::SessionEventKind::ReviewStarted(started),
            Self::Finished(finished) => warden_core::session::SessionEventKind::ReviewFinished(finished),
        }
    }
}

/// Where a session's actor is in its life, as its handles watch it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Life {
    /// Taking prompts.
    Running,
    /// Told to stop (or every handle is gone): no turn runs any more, the agent is asked to exit.
    Stopping,
    /// The agent exited and the last event was stored.
    Finished,
}

/// Talks to one session actor. Cloning is cheap; when the last handle is dropped the session
/// stops.
#[derive(Debug, Clone)]
pub struct SessionHandle {
    id: SessionId,
    tx: mpsc::UnboundedSender<Command>,
    life: watch::Receiver<Life>,
    /// Where its prompts' mentions are checked and its images kept.
    place: std::sync::Arc<super::prompt_input::PromptPlace>,
}

impl SessionHandle {
    pub(crate) fn new(
        id: SessionId,
        tx: mpsc::UnboundedSender<Command>,
        life: watch::Receiver<Life>,
        place: super::prompt_input::PromptPlace,
    ) -> Self {
        Self { id, tx, life, place: std::sync::Arc::new(place) }
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
        let prompt = super::prompt_input::AgentPrompt::text(text);
        self.ask(|reply| Command::Prompt { prompt, reply }).await
    }

    /// Sends a prompt with attachments (see [`prompt`](Self::prompt)). Mentions are checked
    /// inside the session's project and images kept in the data folder first, off the actor's
    /// thread; a refused prompt keeps no image and starts no turn.
    pub async fn prompt_input(&self, input: warden_core::session::PromptInput) -> Result<TurnId, SessionError> {
        if input.attachments.is_empty() {
            return self.prompt(input.text).await;
        }
        let place = self.place.clone();
        let prompt = match tokio::task::spawn_blocking(move || super::prompt_input::resolve(&place, input)).await {
            Ok(resolved) => resolved?,
            Err(e) => return Err(super::prompt_input::AttachmentError::Keep(e.to_string()).into()),
        };
        let images = prompt.images.clone();
        let sent = self.ask(|reply| Command::Prompt { prompt, reply }).await;
        if sent.is_err() {
            super::prompt_input::forget_images(&images);
        }
        sent
    }

    /// Interrupts the running turn (a no-op when none is running).
    pub async fn interrupt(&self) -> Result<(), SessionError> {
        self.ask(|reply| Command::Interrupt { reply }).await
    }

    /// Answers a permission question.
    pub async fn resolve(&self, request: PermissionRequestId, answer: PermissionAnswer, source: DecisionSource) -> Result<(), SessionError> {
        self.ask(|reply| Command::Resolve { request, answer, source, reply }).await
    }

    /// Sends `text` into the running turn, where the agent takes it (Codex's `turn/steer`): the
    /// agent reads it before its next step, and no new turn starts. Refused when no turn runs
    /// or the agent cannot steer (then it waits for the turn's end as a prompt).
    pub async fn steer(&self, text: impl Into<String>) -> Result<(), SessionError> {
        let text = text.into();
        self.ask(|reply| Command::Steer { text, reply }).await
    }

    /// Switches the agent's model and/or reasoning effort (`None`: unchanged), where it allows
    /// it; a `Controls` event with the new state follows.
    pub async fn set_model(&self, model: Option<String>, effort: Option<Effort>) -> Result<(), SessionError> {
        self.ask(|reply| Command::SetModel { model, effort, reply }).await
    }

    /// Switches the session's permission mode (Warden's and the agent's).
    pub async fn set_mode(&self, mode: PermissionMode) -> Result<(), SessionError> {
        self.ask(|reply| Command::SetMode { mode, reply }).await
    }

    /// Replaces the session's own permission rules (e.g. one removed in the Permissions panel).
    pub async fn set_session_rules(&self, rules: RuleSet) -> Result<(), SessionError> {
        self.ask(|reply| Command::SetSessionRules { rules, reply }).await
    }

    /// Sends the feedback proposed for `task` to the agent as a new turn (origin feedback);
    /// `text` replaces the proposed text when the person edited it. Returns the new turn.
    pub async fn send_feedback(&self, task: TaskId, text: Option<String>) -> Result<TurnId, SessionError> {
        let command = crate::gate::GateCommand::SendFeedback { task, text };
        let turn = self.ask(|reply| Command::Gate { command, reply }).await?;
        turn.ok_or(SessionError::NoFeedback(task))
    }

    /// Dismisses the feedback proposed for `task`: nothing is sent, the task stays blocked
    /// (accept it, re-run its checks, or send a new prompt).
    pub async fn dismiss_feedback(&self, task: TaskId) -> Result<(), SessionError> {
        let command = crate::gate::GateCommand::Dismiss { task };
        self.ask(|reply| Command::Gate { command, reply }).await.map(drop)
    }

    /// Accepts the work of `task` as it is: it finishes as accepted with findings (or passed,
    /// when its gate passed).
    pub async fn accept_task(&self, task: TaskId) -> Result<(), SessionError> {
        let command = crate::gate::GateCommand::Accept { task };
        self.ask(|reply| Command::Gate { command, reply }).await.map(drop)
    }

    /// Runs the checks of `task`'s last round again (only those that failed or could not run,
    /// with `only_failed`); the gate decides anew and feedback follows as configured.
    pub async fn rerun_checks(&self, task: TaskId, only_failed: bool) -> Result<(), SessionError> {
        let command = crate::gate::GateCommand::Rerun { task, only_failed };
        self.ask(|reply| Command::Gate { command, reply }).await.map(drop)
    }

    /// Carries out a person's feedback decision (what the window's composer and `warden run`'s
    /// stdin send): send (with the edited text), dismiss or accept.
    pub async fn decide_feedback(&self, task: TaskId, decision: FeedbackDecision, text: Option<String>) -> Result<(), SessionError> {
        match decision {
            FeedbackDecision::Send => self.send_feedback(task, text).await.map(drop),
            FeedbackDecision::Dismiss => self.dismiss_feedback(task).await,
            FeedbackDecision::Accept => self.accept_task(task).await,
        }
    }

    /// Stores a review's event in the session's stream and sends it on, numbered by the actor.
    pub async fn report_review(&self, report: ReviewReport) -> Result<(), SessionError> {
        self.ask(|reply| Command::Review { report, reply }).await
    }

    /// Stops the session and waits until its process is gone.
    pub async fn stop(&self) {
        let (reply, done) = oneshot::channel();
        if self.tx.send(Command::Stop { reply }).is_ok() {
            let _ = done.await;
        }
        self.finished().await;
    }

    /// What puts an event from outside the actor (the project watcher's) in the session's
    /// stream. It holds the session weakly, so it never keeps one running; nobody waits.
    pub(crate) fn announcer(&self) -> impl Fn(warden_core::session::SessionEventKind) + Send + Sync + 'static {
        let tx = self.tx.downgrade();
        move |kind| {
            if let Some(tx) = tx.upgrade() {
                let _ = tx.send(Command::Announce { kind });
            }
        }
    }

    /// Resolves when the session began to stop (or has finished), holding nothing that keeps
    /// it running: from then on it runs no turn, and its agent is on its way out.
    pub(crate) fn when_stopping(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut life = self.life.clone();
        async move {
            let _ = life.wait_for(|l| *l >= Life::Stopping).await;
        }
    }

    /// Asks the session to stop without waiting for it.
    pub fn request_stop(&self) {
        let (reply, _) = oneshot::channel();
        let _ = self.tx.send(Command::Stop { reply });
    }

    /// Waits until the actor has finished (the process exited and the last event was stored).
    pub async fn finished(&self) {
        let mut life = self.life.clone();
        let _ = life.wait_for(|l| *l == Life::Finished).await;
    }

    /// Whether the actor has finished.
    pub fn is_finished(&self) -> bool {
        *self.life.borrow() == Life::Finished
    }
}
