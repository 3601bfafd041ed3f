//! The wire: frames both sides send, the version handshake, and the framing (one JSON object
//! per line).
//!
//! Why newline-delimited JSON rather than length-prefixed frames: serde_json escapes every
//! newline inside strings, so a line is always exactly one message; a person can read and type
//! the protocol through `ssh host warden serve --stdio` when something goes wrong; and a pipe
//! that mangles nothing but a final newline (some `docker exec` and `kubectl exec` setups)
//! still carries it. Lengths would buy nothing here: the payloads are JSON anyway, and a line
//! is bounded by [`MAX_FRAME`] so a broken peer cannot make the other side buffer forever.

use crate::request::{Request, Response};
use serde::{Deserialize, Serialize};
use specta::Type;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use warden_core::session::SessionEvent;
use warden_core::terminal::TerminalEvent;

/// The protocol's version: raised whenever a frame, a request or a type it carries changes in
/// a way the other side could misread. Both sides must speak the same one.
pub const PROTOCOL_VERSION: u32 = 3;

/// This build's Warden version.
pub const WARDEN_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The longest line either side accepts (a file diff of a large file is the biggest message).
pub const MAX_FRAME: usize = 64 * 1024 * 1024;

/// What each side says first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Hello {
    /// [`PROTOCOL_VERSION`] of the sender.
    pub protocol: u32,
    /// The sender's Warden version.
    pub warden: String,
    /// The sender's operating system and architecture (`linux x86_64`), for the person and for
    /// installing the matching binary there.
    pub platform: String,
}

impl Hello {
    /// This build's hello.
    pub fn ours() -> Hello {
        Hello { protocol: PROTOCOL_VERSION, warden: WARDEN_VERSION.to_owned(), platform: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH) }
    }

    /// Why `theirs` cannot talk to us, as a sentence naming both versions; `None` when it can.
    /// Warden versions must match exactly, not just the protocol: the messages carry the
    /// engine's own types, which change between releases without a protocol bump being noticed.
    pub fn mismatch(&self, theirs: &Hello, their_side: &str) -> Option<String> {
        if self.protocol == theirs.protocol && self.warden == theirs.warden {
            return None;
        }
        Some(format!(
            "version mismatch: {their_side} runs Warden {} (protocol {}), this side runs Warden {} (protocol {}); install Warden {} on both",
            theirs.warden, theirs.protocol, self.warden, self.protocol, self.warden
        ))
    }
}

/// What a client sends.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum ClientFrame {
    /// The handshake: first, once.
    Hello(Hello),
    /// One call; answered by a [`ServerFrame::Response`] with the same id.
    Request {
        /// Chosen by the client, unique among its calls in flight.
        id: u64,
        /// The call.
        request: Request,
    },
}

/// What the server sends.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum ServerFrame {
    /// The handshake: first, once, before the client's hello arrives.
    Hello(Hello),
    /// The client's hello was accepted: requests may follow.
    Ready,
    /// The client's hello was refused; the server closes the connection after this.
    Refused {
        /// Why, naming both versions.
        reason: String,
    },
    /// The answer to the request `id`.
    Response {
        /// The request's id.
        id: u64,
        /// Its result.
        result: Reply,
    },
    /// One event of a subscription, in `seq` order, each exactly once.
    Event {
        /// The subscription (the client's id for it).
        subscription: u64,
        /// The event, as the session store keeps it.
        event: SessionEvent,
    },
    /// One message of a terminal subscription, in `seq` order, each exactly once; `exited` last.
    Terminal {
        /// The subscription (the client's id for it).
        subscription: u64,
        /// The message's number among the terminal's messages (from 1), to resume after.
        seq: u64,
        /// Output text, or the exit.
        event: TerminalEvent,
    },
    /// A line the server could not take as a request, and that carried no id to answer (not
    /// JSON, no frame of this protocol, too long). With `closing`, the server closes the
    /// connection after this (a line too long cannot be skipped safely); otherwise the
    /// connection goes on.
    ProtocolError {
        /// What was wrong, with the start of the line.
        message: String,
        /// The connection ends now.
        closing: bool,
    },
}

/// One message of a terminal subscription, as the client hands it on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TerminalChunk {
    /// Its number among the terminal's messages: resume after the last one received.
    pub seq: u64,
    /// Output text, or the exit.
    pub event: TerminalEvent,
}

/// A request's result.
// A message built once, sent and dropped: boxing the large arms would only add allocations.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(tag = "type", content = "data", rename_all = "camelCase")]
pub enum Reply {
    /// Done.
    Ok(Response),
    /// Refused or failed.
    Err(RemoteError),
}

/// Why a request failed on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{message}")]
pub struct RemoteError {
    /// What kind of failure, for a client that reacts differently.
    pub kind: ErrorKind,
    /// The engine's own message.
    pub message: String,
}

/// What kind of failure a [`RemoteError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    /// The arguments are wrong (an unknown agent, a project folder that is not there).
    BadRequest,
    /// No such session, or it is not running in this engine.
    NotFound,
    /// The engine could not do it.
    Failed,
}

impl RemoteError {
    /// A failure of `kind` with the engine's message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> RemoteError {
        RemoteError { kind, message: message.into() }
    }

    /// The engine failed at it.
    pub fn failed(e: impl std::fmt::Display) -> RemoteError {
        RemoteError::new(ErrorKind::Failed, e.to_string())
    }

    /// The arguments were wrong.
    pub fn bad(e: impl std::fmt::Display) -> RemoteError {
        RemoteError::new(ErrorKind::BadRequest, e.to_string())
    }
}

/// Why a frame could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    /// The pipe failed.
    #[error("reading from the connection failed: {0}")]
    Io(#[from] std::io::Error),
    /// The line is no frame of this protocol.
    #[error("the other side sent something that is not a Warden message ({error}): {preview}")]
    Malformed {
        /// The parser's complaint.
        error: String,
        /// The start of the line, for the person.
        preview: String,
        /// The line's `id`, when it is JSON with one: a request of an unknown kind or with
        /// wrong arguments is answered under it.
        id: Option<u64>,
    },
    /// The line is longer than [`MAX_FRAME`].
    #[error("the other side sent a message longer than {MAX_FRAME} bytes")]
    TooLong,
}

/// Reads the next frame; `Ok(None)` at the end of the stream. Empty lines are skipped (a person
/// typing at the prompt presses Enter).
pub async fn read_frame<T: serde::de::DeserializeOwned, R: AsyncBufRead + Unpin>(reader: &mut R) -> Result<Option<T>, FrameError> {
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = (&mut *reader).take(MAX_FRAME as u64 + 1).read_until(b'\n', &mut line).await?;
        if n == 0 {
            return Ok(None);
        }
        if line.len() > MAX_FRAME {
            return Err(FrameError::TooLong);
        }
        if line.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        return serde_json::from_slice(&line).map(Some).map_err(|e| FrameError::Malformed {
            error: e.to_string(),
            preview: preview(&line),
            id: serde_json::from_slice::<JustId>(&line).ok().and_then(|j| j.id),
        });
    }
}

/// A line's `id` and nothing else (serde skips the other fields).
#[derive(Deserialize)]
struct JustId {
    id: Option<u64>,
}

/// The start of a line, for a message: at most 200 bytes, cut at a character boundary.
fn preview(line: &[u8]) -> String {
    let text = String::from_utf8_lossy(&line[..line.len().min(200)]).into_owned();
    text.trim_end().to_owned()
}

/// Writes one frame and flushes it.
pub async fn write_frame<T: Serialize, W: AsyncWrite + Unpin>(writer: &mut W, frame: &T) -> std::io::Result<()> {
    write_frame_unflushed(writer, frame).await?;
    writer.flush().await
}

/// Writes one frame without flushing: the caller flushes once the frames at hand are written.
pub async fn write_frame_unflushed<T: Serialize, W: AsyncWrite + Unpin>(writer: &mut W, frame: &T) -> std::io::Result<()> {
    let mut line = serde_json::to_vec(frame).map_err(std::io::Error::other)?;
    line.push(b'\n');
    writer.write_all(&line).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mismatch_names_both_versions() {
        let ours = Hello::ours();
        assert_eq!(ours.mismatch(&ours.clone(), "the host"), None);
        let theirs = Hello { warden: "0.0.1".into(), ..ours.clone() };
        let why = ours.mismatch(&theirs, "the host").expect("refused");
        assert!(why.contains("Warden 0.0.1") && why.contains(&format!("Warden {WARDEN_VERSION}")), "{why}");
        let other_protocol = Hello { protocol: PROTOCOL_VERSION + 1, ..ours.clone() };
        assert!(ours.mismatch(&other_protocol, "the host").is_some());
    }

    #[test]
    fn a_protocol_2_peer_of_the_same_warden_version_is_refused() {
        // Version 3 added request arms a version-2 peer would answer with "unknown request"
        // mid-session; the handshake must refuse it up front, naming both protocols.
        assert_eq!(PROTOCOL_VERSION, 3);
        let ours = Hello::ours();
        let v2 = Hello { protocol: 2, ..ours.clone() };
        let why = ours.mismatch(&v2, "the host").expect("a v2 peer is refused");
        assert!(why.starts_with("version mismatch:") && why.contains("(protocol 2)") && why.contains("(protocol 3)"), "{why}");
    }

    #[tokio::test]
    async fn frames_are_lines_and_garbage_is_named() {
        let mut input: &[u8] = b"\n{\"type\":\"ready\"}\nnot json\n";
        let mut reader = tokio::io::BufReader::new(&mut input);
        assert!(matches!(read_frame::<ServerFrame, _>(&mut reader).await.unwrap(), Some(ServerFrame::Ready)));
        let err = read_frame::<ServerFrame, _>(&mut reader).await.unwrap_err();
        assert!(err.to_string().contains("not json"), "{err}");
        assert!(read_frame::<ServerFrame, _>(&mut reader).await.unwrap().is_none());
    }
}
