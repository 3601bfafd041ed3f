//! Reading a transcript file and its subagents' files into lines.

use super::lines::Line;
use crate::claude::raw_output;
use crate::claude::wire::{Content, ContentBlock};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use warden_core::session::RawOutput;

/// `<dir>/<id>.jsonl` → `<dir>/<id>/subagents`.
pub(super) fn subagents_dir(path: &Path) -> PathBuf {
    path.with_extension("").join("subagents")
}

/// One line of a transcript, read.
pub(super) enum Entry {
    Line(Box<Line>),
    Bad(RawOutput),
}

/// Reads the lines of a transcript; blank lines and bookkeeping lines of unknown shape are
/// dropped here, everything else is kept.
pub(super) fn entries(bytes: &[u8]) -> Vec<Entry> {
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
        let Some(agent) = result.get("agentId").and_then(Value::as_str) else { continue };
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
