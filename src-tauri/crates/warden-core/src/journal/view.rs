//! The journal as the person sees it: short summaries of ops for the session stream, the
//! before and after of changed files for a diff viewer, and which ops a rollback is asked for.

use super::{Conflict, FileKind, OpId, OpKind, RollbackReport};
use crate::session::{SessionId, ToolCallId, TurnId};
use serde::{Deserialize, Serialize};
use specta::Type;

/// One recorded op, small enough for every session event that announces it: no contents, no
/// hashes, only what a timeline shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FileOpSummary {
    /// The op, for a diff or a rollback.
    pub id: OpId,
    /// The path, project-relative (for a rename, where the file went).
    pub path: String,
    /// What happened (a rename names where the file came from).
    pub kind: OpKind,
    /// Size in bytes before; `None` when the file did not exist.
    pub size_before: Option<u64>,
    /// Size in bytes after; `None` when the file no longer exists.
    pub size_after: Option<u64>,
    /// Lines added, for a text file whose contents before and after were kept; `None` for a
    /// binary file, a symlink or content that was not kept.
    pub lines_added: Option<u32>,
    /// Lines removed, under the same conditions.
    pub lines_removed: Option<u32>,
    /// .gitignore hides the path: the change is counted, its content never kept.
    pub ignored: bool,
    /// The content before or after was over the size cap, so it was not kept.
    pub too_large: bool,
}

/// One side of a [`FileDiff`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum DiffSide {
    /// No file at the path.
    Absent,
    /// A text file (UTF-8, no NUL byte), whole.
    Text {
        /// Its content.
        text: String,
    },
    /// A symbolic link.
    Symlink {
        /// What it points to.
        target: String,
    },
    /// A file that is not text; only its size is shown.
    Binary {
        /// Size in bytes.
        size: u64,
    },
    /// Over the size cap: its content was never kept.
    TooLarge {
        /// Size in bytes.
        size: u64,
    },
    /// Its content was not kept because .gitignore hides the path.
    NotKept {
        /// Size in bytes.
        size: u64,
    },
}

/// A file before and after a change (or the changes of a turn, a tool call or a session taken
/// together), for a diff viewer and `warden diff`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FileDiff {
    /// The path, project-relative (for a rename, where the file went).
    pub path: String,
    /// What happened to it overall.
    pub kind: OpKind,
    /// The file before (for a rename, at its old path).
    pub before: DiffSide,
    /// The file after.
    pub after: DiffSide,
    /// The ops it sums up, oldest first.
    pub ops: Vec<OpId>,
}

/// A set of recorded ops named the way the person picks them: what a rollback undoes, or what
/// a diff shows. Rollbacks' own ops are never part of a set named by tool call, turn or
/// session, and ops an earlier rollback already undid are left out of a rollback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum RollbackTarget {
    /// One op.
    Op {
        /// The op.
        id: OpId,
    },
    /// Several ops, undone together or not at all (say, every change to one file in a turn).
    Ops {
        /// The ops.
        ids: Vec<OpId>,
    },
    /// Every op tied to one tool call of a session.
    ToolCall {
        /// The session.
        session_id: SessionId,
        /// The tool call.
        tool_call_id: ToolCallId,
    },
    /// Every op of one turn of a session.
    Turn {
        /// The session.
        session_id: SessionId,
        /// The turn.
        turn: TurnId,
    },
    /// Every op of a session.
    Session {
        /// The session.
        session_id: SessionId,
    },
}

/// How a rollback asked for from the window ended: done, or refused because files changed
/// since (the window shows them and may ask again with `force`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(tag = "type", content = "data", rename_all = "camelCase")]
pub enum RollbackOutcome {
    /// Every file is back.
    Done(RollbackReport),
    /// Nothing changed: these paths are not as the journal left them.
    Conflicts(Vec<Conflict>),
}

impl DiffSide {
    /// The side for a file whose kind and bytes are known.
    pub fn of_bytes(kind: FileKind, bytes: Vec<u8>) -> DiffSide {
        let size = bytes.len() as u64;
        match (kind, String::from_utf8(bytes)) {
            (FileKind::Symlink, Ok(target)) => DiffSide::Symlink { target },
            (FileKind::File, Ok(text)) if !text.contains('\0') => DiffSide::Text { text },
            _ => DiffSide::Binary { size },
        }
    }

    /// The text, when this side is a text file.
    pub fn text(&self) -> Option<&str> {
        match self {
            DiffSide::Text { text } => Some(text),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_reads_as_the_window_writes_it() {
        let turn: RollbackTarget = serde_json::from_str(r#"{"type":"turn","sessionId":"s1","turn":2}"#).unwrap();
        assert_eq!(turn, RollbackTarget::Turn { session_id: "s1".into(), turn: TurnId(2) });
        let call = serde_json::to_value(RollbackTarget::ToolCall { session_id: "s".into(), tool_call_id: ToolCallId("t".into()) });
        assert_eq!(call.unwrap(), serde_json::json!({"type": "toolCall", "sessionId": "s", "toolCallId": "t"}));
    }

    #[test]
    fn text_binary_and_symlink_sides_are_told_apart() {
        assert_eq!(DiffSide::of_bytes(FileKind::File, b"hi\n".to_vec()).text(), Some("hi\n"));
        assert_eq!(DiffSide::of_bytes(FileKind::File, vec![0, 1, 0xff]), DiffSide::Binary { size: 3 });
        assert_eq!(DiffSide::of_bytes(FileKind::File, b"a\0b".to_vec()), DiffSide::Binary { size: 3 });
        assert_eq!(DiffSide::of_bytes(FileKind::Symlink, b"t".to_vec()), DiffSide::Symlink { target: "t".into() });
    }
}
