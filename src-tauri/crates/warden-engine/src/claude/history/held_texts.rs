//! The chat texts a transcript shown read-only sends later: after its tool outputs, the agent's
//! own words are most of what opening a long session carried (11.8 of the 16 MB a generated
//! 20,000-line transcript sent). The window opens at the end of the chat and shows a few rows,
//! so only the texts near the end go with the events; the others are held back here and read in
//! pages as their rows come into view.

use std::collections::HashMap;
use warden_core::session::{ElidedText, HistoryText, SessionEvent, SessionEventKind};

/// Texts up to this many bytes always go with the events: sending them costs less than asking.
pub const SHORT_TEXT: usize = 256;
/// The texts of this many last events always go with the events: what the chat shows first.
pub const TAIL_EVENTS: usize = 400;

/// Takes the text out of the agent message and thinking chunks of `events` that are longer than
/// [`SHORT_TEXT`] and not among the last [`TAIL_EVENTS`], leaving them empty. Returns which were
/// emptied and their texts, both in `seq` order.
///
/// Only a chunk that is the single piece of its message part is emptied: the window joins the
/// pieces of one part into one row, and a row made of several pieces could not be refilled in
/// order from separate texts.
pub fn hold_back(events: &mut [SessionEvent]) -> (Vec<ElidedText>, Vec<HistoryText>) {
    let mut pieces: HashMap<PartKey<'_>, u32> = HashMap::new();
    for key in events.iter().filter_map(part_key) {
        *pieces.entry(key).or_default() += 1;
    }
    let single: Vec<bool> = events.iter().map(|e| part_key(e).is_some_and(|key| pieces.get(&key) == Some(&1))).collect();
    drop(pieces);
    let tail = events.len().saturating_sub(TAIL_EVENTS);
    let mut elided = Vec::new();
    let mut held = Vec::new();
    for (event, single) in events[..tail].iter_mut().zip(single) {
        let seq = event.seq;
        let chunk = match &mut event.kind {
            SessionEventKind::AgentMessageChunk(c) | SessionEventKind::AgentThoughtChunk(c) => c,
            _ => continue,
        };
        if !single || chunk.text.len() <= SHORT_TEXT {
            continue;
        }
        let text = std::mem::take(&mut chunk.text);
        elided.push(ElidedText { seq, bytes: text.len() as u64 });
        held.push(HistoryText { seq, text });
    }
    (elided, held)
}

/// Which message part a chunk event belongs to: thinking or not, message, part, subagent call.
type PartKey<'a> = (bool, &'a str, u32, Option<&'a str>);

fn part_key(event: &SessionEvent) -> Option<PartKey<'_>> {
    chunk_of(&event.kind).map(|(thought, c)| (thought, c.message_id.0.as_str(), c.part, c.parent.as_ref().map(|p| p.0.as_str())))
}

fn chunk_of(kind: &SessionEventKind) -> Option<(bool, &warden_core::session::MessageChunk)> {
    match kind {
        SessionEventKind::AgentMessageChunk(c) => Some((false, c)),
        SessionEventKind::AgentThoughtChunk(c) => Some((true, c)),
        _ => None,
    }
}

/// The held-back texts of `texts` (in `seq` order) whose events are `from..=to`.
pub fn page(texts: &[HistoryText], from: u64, to: u64) -> &[HistoryText] {
    let start = texts.partition_point(|t| t.seq < from);
    let end = texts.partition_point(|t| t.seq <= to);
    texts.get(start..end.max(start)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use warden_core::session::{MessageChunk, MessageId, SessionId, ToolCallId};

    fn chunk(seq: u64, thought: bool, message: &str, part: u32, text: &str) -> SessionEvent {
        let chunk = MessageChunk { message_id: MessageId(message.into()), part, parent: None, text: text.into() };
        let kind = if thought { SessionEventKind::AgentThoughtChunk(chunk) } else { SessionEventKind::AgentMessageChunk(chunk) };
        SessionEvent { session_id: SessionId("s".into()), seq, at_ms: 0, kind }
    }

    fn text_of(event: &SessionEvent) -> &str {
        match &event.kind {
            SessionEventKind::AgentMessageChunk(c) | SessionEventKind::AgentThoughtChunk(c) => &c.text,
            _ => "",
        }
    }

    #[test]
    fn long_texts_before_the_tail_are_held_back_and_the_rest_is_sent() {
        let long = "x".repeat(SHORT_TEXT + 1);
        let mut events: Vec<SessionEvent> = (1..=TAIL_EVENTS as u64 + 6)
            .map(|seq| match seq {
                1 => chunk(seq, false, "m1", 0, &long),
                2 => chunk(seq, true, "m1", 1, &long),
                3 => chunk(seq, false, "m2", 0, "short"),
                // Two pieces of one part: sent whole.
                4 | 5 => chunk(seq, false, "m3", 0, &long),
                _ => chunk(seq, false, &format!("t{seq}"), 0, &long),
            })
            .collect();
        let whole = events.clone();
        let (elided, held) = hold_back(&mut events);
        let seqs: Vec<u64> = elided.iter().map(|e| e.seq).collect();
        assert_eq!(seqs, vec![1, 2, 6], "long single pieces outside the tail, in order");
        assert!(elided.iter().all(|e| e.bytes == long.len() as u64));
        assert_eq!(held.iter().map(|h| h.seq).collect::<Vec<_>>(), seqs);
        for (before, after) in whole.iter().zip(&events) {
            if seqs.contains(&before.seq) {
                assert_eq!(text_of(after), "");
                assert_eq!(held.iter().find(|h| h.seq == before.seq).map(|h| h.text.as_str()), Some(text_of(before)));
            } else {
                assert_eq!(before, after, "event {} is sent as it was", before.seq);
            }
        }
        let nested = MessageChunk { message_id: MessageId("m".into()), part: 0, parent: Some(ToolCallId("t".into())), text: long.clone() };
        assert_eq!(chunk_of(&SessionEventKind::AgentMessageChunk(nested)).map(|(t, _)| t), Some(false));
    }

    #[test]
    fn a_page_is_the_held_texts_of_its_range() {
        let texts: Vec<HistoryText> = [2u64, 5, 9, 10].iter().map(|&seq| HistoryText { seq, text: format!("t{seq}") }).collect();
        let seqs = |from, to| page(&texts, from, to).iter().map(|t| t.seq).collect::<Vec<_>>();
        assert_eq!(seqs(1, 9), vec![2, 5, 9]);
        assert_eq!(seqs(5, 5), vec![5]);
        assert_eq!(seqs(6, 8), Vec::<u64>::new());
        assert_eq!(seqs(10, 99), vec![10]);
        assert_eq!(seqs(9, 3), Vec::<u64>::new(), "an empty range");
    }
}
