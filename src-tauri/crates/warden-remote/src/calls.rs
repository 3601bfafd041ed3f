//! Typed calls of [`Connection`] for the window's operations beyond running a task: the stored
//! transcript, a running session's controls, the Files panel, search and terminals. Each is one
//! [`Request`] arm and expects its one [`Response`] arm.

use crate::client::{ClientError, Connection};
use crate::request::{Request, Response};
use warden_core::finder::FoundPaths;
use warden_core::journal::{FileHunks, HunkComment, HunkRevertPlan, NewHunkComment, OpId, RollbackId, RollbackOutcome, RollbackPlan, RollbackTarget};
use warden_core::permission::RuleSet;
use warden_core::search::{OutputMatches, SearchHit};
use warden_core::session::{Effort, PermissionMode, PermissionRequestId, PromptImage, PromptInput, QuestionAnswer, SessionEvent, SessionId, TaskId, TurnId};
use warden_core::terminal::{TerminalCommand, TerminalId, TerminalOpened};

impl Connection {
    /// One call whose answer must be the arm `pick` takes (else `pick` describes the answer).
    async fn ask<T>(&self, request: Request, pick: impl FnOnce(Response) -> Result<T, String>) -> Result<T, ClientError> {
        pick(self.call(request).await?).map_err(ClientError::Unexpected)
    }

    /// [`Request::Events`].
    pub async fn events(&self, session: &SessionId, after_seq: u64) -> Result<Vec<SessionEvent>, ClientError> {
        self.ask(Request::Events { session: session.clone(), after_seq }, arm!(Response::Events(v))).await
    }

    /// [`Request::Event`].
    pub async fn event(&self, session: &SessionId, seq: u64) -> Result<Option<SessionEvent>, ClientError> {
        self.ask(Request::Event { session: session.clone(), seq }, arm!(Response::Event(v))).await
    }

    /// [`Request::SessionImage`].
    pub async fn session_image(&self, session: &SessionId, file: &str) -> Result<PromptImage, ClientError> {
        self.ask(Request::SessionImage { session: session.clone(), file: file.to_owned() }, arm!(Response::Image(v))).await
    }

    /// [`Request::PromptInput`].
    pub async fn prompt_input(&self, session: &SessionId, prompt: PromptInput) -> Result<TurnId, ClientError> {
        self.ask(Request::PromptInput { session: session.clone(), prompt }, arm!(Response::Turn(v))).await
    }

    /// [`Request::SetMode`].
    pub async fn set_mode(&self, session: &SessionId, mode: PermissionMode) -> Result<(), ClientError> {
        self.ask(Request::SetMode { session: session.clone(), mode }, arm!(Response::Done)).await
    }

    /// [`Request::SetSessionRules`].
    pub async fn set_session_rules(&self, session: &SessionId, rules: RuleSet) -> Result<(), ClientError> {
        self.ask(Request::SetSessionRules { session: session.clone(), rules }, arm!(Response::Done)).await
    }

    /// [`Request::Steer`].
    pub async fn steer(&self, session: &SessionId, text: &str) -> Result<(), ClientError> {
        self.ask(Request::Steer { session: session.clone(), text: text.to_owned() }, arm!(Response::Done)).await
    }

    /// [`Request::SetModel`].
    pub async fn set_model(&self, session: &SessionId, model: Option<String>, effort: Option<Effort>) -> Result<(), ClientError> {
        self.ask(Request::SetModel { session: session.clone(), model, effort }, arm!(Response::Done)).await
    }

    /// [`Request::AnswerQuestion`].
    pub async fn answer_question(&self, session: &SessionId, request_id: &PermissionRequestId, answers: Vec<QuestionAnswer>) -> Result<(), ClientError> {
        self.ask(Request::AnswerQuestion { session: session.clone(), request_id: request_id.clone(), answers }, arm!(Response::Done)).await
    }

    /// [`Request::TaskRerun`].
    pub async fn task_rerun(&self, session: &SessionId, task: TaskId, only_failed: bool) -> Result<(), ClientError> {
        self.ask(Request::TaskRerun { session: session.clone(), task, only_failed }, arm!(Response::Done)).await
    }

    /// [`Request::FileRollbackPlan`].
    pub async fn rollback_plan(&self, project: &str, target: RollbackTarget) -> Result<RollbackPlan, ClientError> {
        self.ask(Request::FileRollbackPlan { project: project.to_owned(), target }, arm!(Response::RollbackPlan(v))).await
    }

    /// [`Request::Redo`].
    pub async fn redo(&self, project: &str, rollback_id: RollbackId, force: bool) -> Result<RollbackOutcome, ClientError> {
        self.ask(Request::Redo { project: project.to_owned(), rollback_id, force }, arm!(Response::Rollback(v))).await
    }

    /// [`Request::RedoPlan`].
    pub async fn redo_plan(&self, project: &str, rollback_id: RollbackId) -> Result<RollbackPlan, ClientError> {
        self.ask(Request::RedoPlan { project: project.to_owned(), rollback_id }, arm!(Response::RollbackPlan(v))).await
    }

    /// [`Request::Hunks`].
    pub async fn hunks(&self, project: &str, ops: Vec<OpId>) -> Result<FileHunks, ClientError> {
        self.ask(Request::Hunks { project: project.to_owned(), ops }, arm!(Response::Hunks(v))).await
    }

    /// [`Request::HunkRevertPlan`].
    pub async fn hunk_revert_plan(&self, project: &str, ops: Vec<OpId>, hunks: Vec<u32>) -> Result<HunkRevertPlan, ClientError> {
        self.ask(Request::HunkRevertPlan { project: project.to_owned(), ops, hunks }, arm!(Response::HunkRevertPlan(v))).await
    }

    /// [`Request::RevertHunks`].
    pub async fn revert_hunks(&self, project: &str, ops: Vec<OpId>, hunks: Vec<u32>, force: bool) -> Result<RollbackOutcome, ClientError> {
        self.ask(Request::RevertHunks { project: project.to_owned(), ops, hunks, force }, arm!(Response::Rollback(v))).await
    }

    /// [`Request::KeepHunk`].
    pub async fn keep_hunk(&self, project: &str, session: &SessionId, path: &str, fingerprint: &str, kept: bool) -> Result<(), ClientError> {
        let request = Request::KeepHunk { project: project.to_owned(), session: session.clone(), path: path.to_owned(), fingerprint: fingerprint.to_owned(), kept };
        self.ask(request, arm!(Response::Done)).await
    }

    /// [`Request::AddComment`].
    pub async fn add_comment(&self, project: &str, comment: NewHunkComment) -> Result<HunkComment, ClientError> {
        self.ask(Request::AddComment { project: project.to_owned(), comment }, arm!(Response::Comment(v))).await
    }

    /// [`Request::Comments`].
    pub async fn comments(&self, project: &str, session: &SessionId, unsent: bool) -> Result<Vec<HunkComment>, ClientError> {
        self.ask(Request::Comments { project: project.to_owned(), session: session.clone(), unsent }, arm!(Response::Comments(v))).await
    }

    /// [`Request::DeleteComment`].
    pub async fn delete_comment(&self, project: &str, id: u64) -> Result<bool, ClientError> {
        self.ask(Request::DeleteComment { project: project.to_owned(), id }, arm!(Response::Removed(v))).await
    }

    /// [`Request::MarkCommentsSent`].
    pub async fn mark_comments_sent(&self, project: &str, ids: Vec<u64>) -> Result<(), ClientError> {
        self.ask(Request::MarkCommentsSent { project: project.to_owned(), ids }, arm!(Response::Done)).await
    }

    /// [`Request::FilesFind`].
    pub async fn files_find(&self, project: &str, query: &str, limit: u32) -> Result<FoundPaths, ClientError> {
        self.ask(Request::FilesFind { project: project.to_owned(), query: query.to_owned(), limit }, arm!(Response::Found(v))).await
    }

    /// [`Request::SearchProject`].
    pub async fn search_project(&self, project: &str, query: &str, limit: u32) -> Result<Vec<SearchHit>, ClientError> {
        self.ask(Request::SearchProject { project: project.to_owned(), query: query.to_owned(), limit }, arm!(Response::SearchHits(v))).await
    }

    /// [`Request::SearchOutputs`].
    pub async fn search_outputs(&self, session: &SessionId, seqs: Vec<u64>, needle: &str) -> Result<Vec<OutputMatches>, ClientError> {
        self.ask(Request::SearchOutputs { session: session.clone(), seqs, needle: needle.to_owned() }, arm!(Response::OutputMatches(v))).await
    }

    /// [`Request::TerminalOpen`]; follow it with [`Connection::terminal_subscribe`].
    pub async fn terminal_open(&self, project: &str, cols: u16, rows: u16, command: Option<TerminalCommand>) -> Result<TerminalOpened, ClientError> {
        self.ask(Request::TerminalOpen { project: project.to_owned(), cols, rows, command }, arm!(Response::TerminalOpened(v))).await
    }

    /// [`Request::TerminalWrite`].
    pub async fn terminal_write(&self, id: TerminalId, data: &str) -> Result<(), ClientError> {
        self.ask(Request::TerminalWrite { id, data: data.to_owned() }, arm!(Response::Done)).await
    }

    /// [`Request::TerminalResize`].
    pub async fn terminal_resize(&self, id: TerminalId, cols: u16, rows: u16) -> Result<(), ClientError> {
        self.ask(Request::TerminalResize { id, cols, rows }, arm!(Response::Done)).await
    }

    /// [`Request::TerminalClose`].
    pub async fn terminal_close(&self, id: TerminalId) -> Result<(), ClientError> {
        self.ask(Request::TerminalClose { id }, arm!(Response::Done)).await
    }
}
