//! Typed calls of [`Connection`] for a remote project's worktrees and best of N: one
//! [`WorktreesRequest`] arm each, expecting its one [`WorktreesResponse`] arm.

use crate::client::{ClientError, Connection};
use crate::request::{Request, Response};
use crate::request_worktrees::{WorktreesRequest as Ask, WorktreesResponse as Answer};
use warden_core::best_of::{BestOfEntry, BestOfGroup, BestOfPicked, BestOfStart};
use warden_core::journal::FileDiff;
use warden_core::session::SessionId;
use warden_core::worktree::{MergeHow, MergeOutcome, WorktreeChanges, WorktreeInfo, WorktreeOptions};

impl Connection {
    /// One worktree call whose answer must be the arm `pick` takes (else `pick` describes the
    /// answer).
    pub async fn worktrees<T>(&self, request: Ask, pick: impl FnOnce(Answer) -> Result<T, String>) -> Result<T, ClientError> {
        match self.call(Request::Worktrees(request)).await? {
            Response::Worktrees(answer) => pick(answer).map_err(ClientError::Unexpected),
            other => Err(ClientError::Unexpected(format!("{other:?}"))),
        }
    }

    /// [`Ask::Options`].
    pub async fn worktree_options(&self, project: &str, title: &str) -> Result<WorktreeOptions, ClientError> {
        self.worktrees(Ask::Options { project: project.to_owned(), title: title.to_owned() }, arm!(Answer::Options(v))).await
    }

    /// [`Ask::List`].
    pub async fn worktree_list(&self, project: &str) -> Result<Vec<WorktreeInfo>, ClientError> {
        self.worktrees(Ask::List { project: project.to_owned() }, arm!(Answer::List(v))).await
    }

    /// [`Ask::State`].
    pub async fn worktree_state(&self, path: &str) -> Result<WorktreeInfo, ClientError> {
        self.worktrees(Ask::State { path: path.to_owned() }, arm!(Answer::State(v))).await
    }

    /// [`Ask::Changes`].
    pub async fn worktree_changes(&self, path: &str) -> Result<WorktreeChanges, ClientError> {
        self.worktrees(Ask::Changes { path: path.to_owned() }, arm!(Answer::Changes(v))).await
    }

    /// [`Ask::Diff`].
    pub async fn worktree_diff(&self, path: &str, file: &str) -> Result<FileDiff, ClientError> {
        self.worktrees(Ask::Diff { path: path.to_owned(), file: file.to_owned() }, arm!(Answer::Diff(v))).await
    }

    /// [`Ask::Commit`].
    pub async fn worktree_commit(&self, path: &str, message: &str) -> Result<String, ClientError> {
        self.worktrees(Ask::Commit { path: path.to_owned(), message: message.to_owned() }, arm!(Answer::Committed(v))).await
    }

    /// [`Ask::Merge`].
    pub async fn worktree_merge(&self, path: &str, how: MergeHow, message: Option<String>) -> Result<MergeOutcome, ClientError> {
        self.worktrees(Ask::Merge { path: path.to_owned(), how, message }, arm!(Answer::Merged(v))).await
    }

    /// [`Ask::Pr`].
    pub async fn worktree_pr(&self, path: &str) -> Result<String, ClientError> {
        self.worktrees(Ask::Pr { path: path.to_owned() }, arm!(Answer::Pr(v))).await
    }

    /// [`Ask::Discard`].
    pub async fn worktree_discard(&self, path: &str) -> Result<(), ClientError> {
        self.worktrees(Ask::Discard { path: path.to_owned() }, arm!(Answer::Discarded)).await
    }

    /// [`Ask::BestOfStart`].
    pub async fn best_of_start(&self, asked: BestOfStart) -> Result<BestOfGroup, ClientError> {
        self.worktrees(Ask::BestOfStart(asked), arm!(Answer::BestOfStarted(v))).await
    }

    /// [`Ask::BestOfCompare`].
    pub async fn best_of_compare(&self, group: &str) -> Result<Vec<BestOfEntry>, ClientError> {
        self.worktrees(Ask::BestOfCompare { group: group.to_owned() }, arm!(Answer::BestOfCompared(v))).await
    }

    /// [`Ask::BestOfPick`].
    pub async fn best_of_pick(&self, group: &str, session: &SessionId, how: MergeHow, message: Option<String>) -> Result<BestOfPicked, ClientError> {
        self.worktrees(Ask::BestOfPick { group: group.to_owned(), session: session.clone(), how, message }, arm!(Answer::BestOfPicked(v))).await
    }
}
