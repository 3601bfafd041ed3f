//! What of each session event the full-text index holds: the words a person would look for
//! (prompts, the agent's answers and reasoning, a tool call's title and input, what it
//! returned), never the JSON around them (keys, ids, raw payloads are noise that would match
//! every search for `type` or `id`).
//!
//! An event becomes at most one change to one indexed document. A document is one text the
//! window shows as a whole: a prompt, one text block of a message (its streamed pieces arrive
//! as several events and are joined), a tool call's input, a tool call's output.

use serde_json::Value;
use warden_core::search::{SearchHitKind, SearchTarget};
use warden_core::session::{SessionEventKind, ToolInput};

/// Bytes of one document that are indexed: a tool that printed megabytes is searchable in its
/// first megabyte, and appending a piece to a message never rewrites more than this.
pub(super) const MAX_DOC_BYTES: usize = 1 << 20;

/// The markers `snippet()` puts around matched words: private-use characters, removed from
/// indexed text so that no text can fake a match.
pub(super) const MARK_OPEN: char = '\u{E000}';
/// See [`MARK_OPEN`].
pub(super) const MARK_CLOSE: char = '\u{E001}';

/// How an event changes its document.
#[derive(Debug, PartialEq)]
pub(super) enum DocChange {
    /// The document becomes this text (made when missing; its first `seq` kept when present).
    Replace(String),
    /// This text continues the document (made when missing).
    Append(String),
}

/// One event's change to the index.
#[derive(Debug, PartialEq)]
pub(super) struct DocUpdate {
    /// Names the document within its session (a message's block, a call's input or output).
    pub key: String,
    /// What matched, when this document matches.
    pub kind: SearchHitKind,
    /// Where the window finds it.
    pub target: SearchTarget,
    /// The text.
    pub change: DocChange,
}

/// The change `kind` makes to the index, if any.
pub(super) fn doc_update(seq: u64, kind: &SessionEventKind) -> Option<DocUpdate> {
    use SessionEventKind as K;
    match kind {
        K::UserMessage(m) => Some(DocUpdate {
            // Keyed by the event: a turn may carry more than one prompt (a steer).
            key: format!("p:{seq}"),
            kind: SearchHitKind::Prompt,
            target: SearchTarget::Prompt { turn: m.turn.0 },
            change: DocChange::Replace(m.text.clone()),
        }),
        K::AgentMessageChunk(c) | K::AgentThoughtChunk(c) => {
            let thought = matches!(kind, K::AgentThoughtChunk(_));
            // The window's own key for the same block (`model/transcript.ts`).
            let key = format!(
                "{}:{}:{}:{}",
                if thought { "t" } else { "m" },
                c.message_id.0,
                c.part,
                c.parent.as_ref().map(|p| p.0.as_str()).unwrap_or("")
            );
            Some(DocUpdate {
                key,
                kind: if thought { SearchHitKind::Thought } else { SearchHitKind::Answer },
                target: SearchTarget::Message { message_id: c.message_id.clone(), part: c.part, parent: c.parent.clone(), thought },
                change: DocChange::Append(c.text.clone()),
            })
        }
        K::ToolCall(call) => Some(DocUpdate {
            key: format!("in:{}", call.id.0),
            kind: SearchHitKind::ToolInput,
            target: SearchTarget::Tool { id: call.id.clone() },
            change: DocChange::Replace(join([call.title.clone(), input_text(&call.input)])),
        }),
        K::ToolCallUpdate(update) => {
            let target = SearchTarget::Tool { id: update.id.clone() };
            if let Some(output) = &update.output {
                // An update carrying an output rarely carries a new input as well; the output
                // is what is looked for then.
                return Some(DocUpdate {
                    key: format!("out:{}", update.id.0),
                    kind: SearchHitKind::ToolOutput,
                    target,
                    change: DocChange::Replace(output.text.clone()),
                });
            }
            let change = match (&update.input, &update.title) {
                (Some(input), title) => DocChange::Replace(join([title.clone().unwrap_or_default(), input_text(input)])),
                (None, Some(title)) => DocChange::Append(format!("\n{title}")),
                (None, None) => return None,
            };
            Some(DocUpdate { key: format!("in:{}", update.id.0), kind: SearchHitKind::ToolInput, target, change })
        }
        _ => None,
    }
}

/// The words of a tool's input: what it runs, reads, writes or looks for.
pub(super) fn input_text(input: &ToolInput) -> String {
    use ToolInput as I;
    match input {
        I::Shell { command, description, .. } => join([command.clone(), description.clone().unwrap_or_default()]),
        I::Read { path, .. } => path.clone(),
        I::Write { path, content, .. } => join([path.clone(), content.clone()]),
        I::Edit { path, edits, .. } => {
            join(std::iter::once(path.clone()).chain(edits.iter().flat_map(|e| [e.old_text.clone(), e.new_text.clone()])))
        }
        I::NotebookEdit { path, source, .. } => join([path.clone(), source.clone()]),
        I::Patch { files } => join(files.iter().flat_map(|f| [f.path.clone(), f.move_to.clone().unwrap_or_default(), f.diff.clone()])),
        I::List { path, .. } => path.clone().unwrap_or_default(),
        I::Search { pattern, path, globs, .. } => {
            join([pattern.clone(), path.clone().unwrap_or_default()].into_iter().chain(globs.iter().cloned()))
        }
        I::Fetch { url, prompt } => join([url.clone(), prompt.clone().unwrap_or_default()]),
        I::WebSearch { query } => query.clone(),
        I::Subagent { description, agent, prompt } => {
            join([description.clone().unwrap_or_default(), agent.clone().unwrap_or_default(), prompt.clone()])
        }
        I::Todos { items } => join(items.iter().map(|i| i.content.clone())),
        I::Plan { plan } => plan.clone().unwrap_or_default(),
        I::Question { questions } => join(questions.iter().flat_map(|q| {
            std::iter::once(q.question.clone())
                .chain(q.header.clone())
                .chain(q.options.iter().flat_map(|o| std::iter::once(o.label.clone()).chain(o.description.clone())))
        })),
        I::Other { raw } => {
            let mut out = Vec::new();
            json_strings(raw, &mut out);
            join(out)
        }
    }
}

/// The string values of a raw input, in order (keys and punctuation left out).
fn json_strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| json_strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| json_strings(v, out)),
        Value::Number(n) => out.push(n.to_string()),
        Value::Bool(_) | Value::Null => {}
    }
}

/// The non-empty texts, one per line.
fn join(parts: impl IntoIterator<Item = String>) -> String {
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect::<Vec<_>>().join("\n")
}

/// `text` as indexed: without the snippet markers, cut to fit in `room` bytes (at a character
/// boundary).
pub(super) fn indexable(text: &str, room: usize) -> String {
    let mut end = text.len().min(room);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let text = &text[..end];
    if text.contains([MARK_OPEN, MARK_CLOSE]) {
        text.replace([MARK_OPEN, MARK_CLOSE], " ")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use warden_core::session::{MessageChunk, MessageId, TextEdit, ToolCallId, ToolCallUpdate, ToolOutput};

    #[test]
    fn raw_inputs_give_their_values_not_their_keys() {
        let raw = serde_json::json!({"owner": "acme", "labels": ["bug", 7], "draft": true, "nested": {"title": "Crash on start"}});
        let text = input_text(&ToolInput::Other { raw });
        for word in ["acme", "bug", "7", "Crash on start"] {
            assert!(text.contains(word), "{word} in {text:?}");
        }
        for key in ["owner", "labels", "draft", "nested", "title", "true", "{"] {
            assert!(!text.contains(key), "{key} left out of {text:?}");
        }
    }

    #[test]
    fn an_edit_is_found_by_its_file_and_both_sides() {
        let edit = ToolInput::Edit {
            path: "src/lib.rs".into(),
            edits: vec![TextEdit { old_text: "fn old_name()".into(), new_text: "fn new_name()".into(), replace_all: false }],
            cwd: None,
        };
        assert_eq!(input_text(&edit), "src/lib.rs\nfn old_name()\nfn new_name()");
    }

    #[test]
    fn message_pieces_append_to_the_block_the_window_shows() {
        let chunk = MessageChunk { message_id: MessageId("msg_1".into()), part: 2, parent: Some(ToolCallId("task".into())), text: "Hel".into() };
        let update = doc_update(9, &SessionEventKind::AgentMessageChunk(chunk)).expect("indexed");
        assert_eq!(update.key, "m:msg_1:2:task");
        assert_eq!(update.change, DocChange::Append("Hel".into()));
        assert_eq!(update.kind, SearchHitKind::Answer);
    }

    #[test]
    fn an_output_replaces_the_calls_output_document_and_a_status_change_indexes_nothing() {
        let output = ToolCallUpdate {
            id: ToolCallId("t1".into()),
            output: Some(ToolOutput::new("3 passed".into(), Some(serde_json::json!({"stdout": "3 passed"})))),
            ..Default::default()
        };
        let update = doc_update(4, &SessionEventKind::ToolCallUpdate(output)).expect("indexed");
        assert_eq!((update.key.as_str(), update.change), ("out:t1", DocChange::Replace("3 passed".into())));
        let status = ToolCallUpdate { id: ToolCallId("t1".into()), status: Some(warden_core::session::ToolCallStatus::Completed), ..Default::default() };
        assert_eq!(doc_update(5, &SessionEventKind::ToolCallUpdate(status)), None);
    }

    #[test]
    fn indexed_text_is_cut_at_a_character_and_loses_the_markers() {
        assert_eq!(indexable("héllo", 2), "h", "never half a character");
        assert_eq!(indexable("a\u{E000}b\u{E001}c", 100), "a b c");
    }
}
