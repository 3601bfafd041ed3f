//! Reading a transcript file and its subagents' files into lines.

use super::lines::{Line, ResultMarks};
use crate::claude::raw_output;
use crate::claude::wire::{Content, ContentBlock};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use warden_core::session::RawOutput;

/// `<dir>/<id>.jsonl` → `<dir>/<id>/subagents`.
pub(crate) fn subagents_dir(path: &Path) -> PathBuf {
    path.with_extension("").join("subagents")
}

/// One line of a transcript, read.
pub(super) enum Entry {
    Line(Box<Line>),
    Bad(RawOutput),
}

/// Below this size a transcript is read on one thread.
const PARALLEL_BYTES: usize = 4 << 20;

/// Reads the lines of a transcript; blank lines and bookkeeping lines of unknown shape are
/// dropped here, everything else is kept. The lines are independent, so a long transcript (tens
/// of megabytes for a long session, most of the time it takes to open one) is read in pieces
/// on every core and the pieces joined in order.
pub(super) fn entries(bytes: &[u8]) -> Vec<Entry> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    if threads < 2 || bytes.len() < PARALLEL_BYTES {
        return entries_of(bytes);
    }
    let pieces = pieces(bytes, threads);
    std::thread::scope(|scope| {
        let running: Vec<_> = pieces.iter().map(|piece| (piece, scope.spawn(move || entries_of(piece)))).collect();
        // A piece whose thread failed is read again here, so it fails (or not) as it would alone.
        running.into_iter().flat_map(|(piece, thread)| thread.join().unwrap_or_else(|_| entries_of(piece))).collect()
    })
}

/// `bytes` cut into `n` pieces of about the same size, each ending after a line.
fn pieces(bytes: &[u8], n: usize) -> Vec<&[u8]> {
    let mut out = Vec::with_capacity(n);
    let mut start = 0;
    for i in 1..=n {
        if start >= bytes.len() {
            break;
        }
        let target = (bytes.len() * i / n).max(start);
        let end = if i == n {
            bytes.len()
        } else {
            bytes[target..].iter().position(|b| *b == b'\n').map_or(bytes.len(), |p| target + p + 1)
        };
        out.push(&bytes[start..end]);
        start = end;
    }
    out
}

fn entries_of(bytes: &[u8]) -> Vec<Entry> {
    let mut out = Vec::new();
    for raw in bytes.split(|b| *b == b'\n') {
        let raw = raw.trim_ascii();
        if raw.is_empty() {
            continue;
        }
        match serde_json::from_slice::<Line>(raw) {
            Ok(line) if line.message.is_none() && matches!(line.kind.as_str(), "user" | "assistant") => {
                out.push(Entry::Bad(raw_output(format!("{} line without a message", line.kind), raw)));
            }
            Ok(line) => out.push(Entry::Line(Box::new(line))),
            Err(e) => match serde_json::from_slice::<Value>(raw) {
                Err(_) => {
                    let reason = if raw.first() == Some(&b'{') { format!("could not read: {e}") } else { "not JSON".into() };
                    out.push(Entry::Bad(raw_output(reason, raw)));
                }
                // Bookkeeping lines whose shape changed are nothing the conversation shows.
                Ok(value) => {
                    let kind = value.get("type").and_then(Value::as_str);
                    if matches!(kind, None | Some("user" | "assistant" | "system")) {
                        let what = kind.unwrap_or("untyped");
                        out.push(Entry::Bad(raw_output(format!("{what} line not understood: {e}"), raw)));
                    }
                }
            },
        }
    }
    out
}

/// The subagent transcripts beside a session, by the id of the tool call that started each.
/// Without a `.meta.json`, the main transcript's tool result names the agent (`agentId`).
pub(super) fn subagents(dir: &Path, main: &[Entry]) -> (HashMap<String, Vec<Entry>>, Vec<String>) {
    let mut by_tool = HashMap::new();
    let mut unmatched = Vec::new();
    let Ok(read) = std::fs::read_dir(dir) else { return (by_tool, unmatched) };
    let mut agent_calls: HashMap<String, String> = HashMap::new();
    for entry in main {
        let Entry::Line(line) = entry else { continue };
        let (Some(result), Some(message)) = (&line.tool_use_result, &line.message) else { continue };
        let marks = ResultMarks::of(Some(result));
        let Some(agent) = marks.agent_id.as_ref().and_then(Value::as_str) else { continue };
        if let Content::Blocks(blocks) = &message.content {
            if let Some(ContentBlock::ToolResult { tool_use_id, .. }) = blocks.first() {
                agent_calls.insert(agent.to_owned(), tool_use_id.clone());
            }
        }
    }
    let mut files: Vec<PathBuf> = read
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    for file in files {
        let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let meta = std::fs::read(file.with_extension("meta.json")).ok();
        let from_meta = meta
            .and_then(|m| serde_json::from_slice::<Value>(&m).ok())
            .and_then(|m| m.get("toolUseId").and_then(Value::as_str).map(str::to_owned));
        let tool = from_meta.or_else(|| agent_calls.get(stem.trim_start_matches("agent-")).cloned());
        match (tool, std::fs::read(&file)) {
            (Some(tool), Ok(bytes)) => {
                by_tool.insert(tool, entries(&bytes));
            }
            (None, _) => unmatched.push(format!("{stem}: the tool call that started it is not in the transcript")),
            (Some(_), Err(e)) => unmatched.push(format!("{stem}: {e}")),
        }
    }
    (by_tool, unmatched)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What an entry says, to compare two readings.
    fn summary(entries: &[Entry]) -> Vec<String> {
        entries
            .iter()
            .map(|e| match e {
                Entry::Line(l) => format!("{} {:?}", l.kind, l.uuid),
                Entry::Bad(raw) => format!("bad {}", raw.reason),
            })
            .collect()
    }

    #[test]
    fn a_long_transcript_read_in_pieces_is_read_as_line_by_line() {
        let mut text = String::new();
        let mut n = 0;
        while text.len() < PARALLEL_BYTES * 2 {
            n += 1;
            text.push_str(&format!(
                r#"{{"type":"user","uuid":"u{n}","message":{{"role":"user","content":"prompt {n} {}"}}}}"#,
                "x".repeat(n % 700)
            ));
            text.push('\n');
            if n % 97 == 0 {
                text.push_str("not json\n\n");
            }
        }
        let whole = entries(text.as_bytes());
        let one_by_one: Vec<Entry> = text.split_inclusive('\n').flat_map(|line| entries_of(line.as_bytes())).collect();
        assert_eq!(whole.len(), n + n / 97, "every line once");
        assert_eq!(summary(&whole), summary(&one_by_one), "in the same order");
    }

    #[test]
    fn pieces_cover_every_byte_and_end_after_a_line() {
        let text = b"a\nbb\nccc\ndddd\n\neeeee";
        for n in 1..=8 {
            let parts = pieces(text, n);
            assert_eq!(parts.concat(), text.to_vec(), "{n} pieces");
            assert!(parts[..parts.len() - 1].iter().all(|p| p.ends_with(b"\n")), "{n} pieces: {parts:?}");
        }
        assert!(pieces(b"", 3).is_empty());
    }
}
