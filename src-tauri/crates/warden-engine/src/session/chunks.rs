//! Merging streamed text: the chunks of one message (or one thought) that arrive between two
//! flushes become one event, so a fast model does not store and send one event per token. The
//! actor decides when to flush (a timer, and before any other event, so order is kept).

use warden_core::session::SessionEventKind;

/// The streamed chunk waiting to be emitted, growing while the next ones continue it.
#[derive(Debug, Default)]
pub(crate) struct ChunkMerger {
    pending: Option<SessionEventKind>,
}

impl ChunkMerger {
    /// Adds a message or thought chunk. Returns the chunk that was waiting when `kind` does not
    /// continue it: that one is complete and is to be emitted now, before anything else.
    pub(crate) fn add(&mut self, kind: SessionEventKind) -> Option<SessionEventKind> {
        if let Some(pending) = &mut self.pending {
            if let Some(text) = continuation(pending, &kind) {
                text.push_str(chunk_text(&kind));
                return None;
            }
        }
        self.pending.replace(kind)
    }

    /// The waiting chunk, to be emitted now; nothing waits afterwards.
    pub(crate) fn take(&mut self) -> Option<SessionEventKind> {
        self.pending.take()
    }

    /// Whether a chunk is waiting.
    pub(crate) fn is_pending(&self) -> bool {
        self.pending.is_some()
    }
}

/// The pending chunk's text when `next` continues it (same kind, message, part and subagent).
fn continuation<'a>(pending: &'a mut SessionEventKind, next: &SessionEventKind) -> Option<&'a mut String> {
    use SessionEventKind::{AgentMessageChunk as Text, AgentThoughtChunk as Thought};
    match (pending, next) {
        (Text(a), Text(b)) | (Thought(a), Thought(b))
            if a.message_id == b.message_id && a.part == b.part && a.parent == b.parent =>
        {
            Some(&mut a.text)
        }
        _ => None,
    }
}

fn chunk_text(kind: &SessionEventKind) -> &str {
    match kind {
        SessionEventKind::AgentMessageChunk(c) | SessionEventKind::AgentThoughtChunk(c) => &c.text,
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use warden_core::session::{MessageChunk, MessageId, ToolCallId};

    fn chunk(message: &str, part: u32, text: &str) -> MessageChunk {
        MessageChunk { message_id: MessageId(message.into()), part, parent: None, text: text.into() }
    }

    fn text(kind: &SessionEventKind) -> &str {
        chunk_text(kind)
    }

    #[test]
    fn chunks_of_one_part_merge_into_one() {
        let mut merger = ChunkMerger::default();
        assert!(merger.add(SessionEventKind::AgentMessageChunk(chunk("m", 0, "Hel"))).is_none());
        assert!(merger.add(SessionEventKind::AgentMessageChunk(chunk("m", 0, "lo"))).is_none());
        assert!(merger.is_pending());
        let merged = merger.take().expect("one chunk waits");
        assert_eq!(text(&merged), "Hello");
        assert!(!merger.is_pending());
        assert!(merger.take().is_none());
    }

    #[test]
    fn a_chunk_that_does_not_continue_hands_back_the_waiting_one() {
        let mut merger = ChunkMerger::default();
        merger.add(SessionEventKind::AgentMessageChunk(chunk("m", 0, "a")));
        // Another part of the same message.
        let done = merger.add(SessionEventKind::AgentMessageChunk(chunk("m", 1, "b"))).expect("part 0 is complete");
        assert_eq!(text(&done), "a");
        // A thought is not a message, even with the same id and part.
        let done = merger.add(SessionEventKind::AgentThoughtChunk(chunk("m", 1, "c"))).expect("the message part is complete");
        assert!(matches!(done, SessionEventKind::AgentMessageChunk(_)));
        // A subagent's text is kept apart from the main agent's.
        let mut sub = chunk("m", 1, "d");
        sub.parent = Some(ToolCallId("task".into()));
        let done = merger.add(SessionEventKind::AgentThoughtChunk(sub)).expect("the main thought is complete");
        assert_eq!(text(&done), "c");
        assert_eq!(text(&merger.take().expect("the subagent's waits")), "d");
    }
}
