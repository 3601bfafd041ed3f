//! One list entry per transcript: title, times, number of prompts, size.
//!
//! Transcripts grow to many megabytes, mostly tool output and model answers, and a project can
//! have hundreds. Only user lines and title lines are parsed; every other line is looked at for
//! its time only.

use super::lines::{user_line, Line, UserLine};
use std::io::{BufRead, BufReader};
use std::path::Path;
use warden_core::session::ClaudeHistoryEntry;

/// How long a title or first prompt may be, in characters.
const TITLE_CHARS: usize = 100;

/// The list entry of transcript `path` of session `id`. A file that cannot be read gives an entry
/// with `error` set; unreadable lines are skipped.
pub fn summarize(id: &str, path: &Path) -> ClaudeHistoryEntry {
    summarize_with_cwd(id, path).0
}

/// [`summarize`], plus the folder the session says it ran in.
pub(super) fn summarize_with_cwd(id: &str, path: &Path) -> (ClaudeHistoryEntry, Option<String>) {
    let meta = std::fs::metadata(path);
    let bytes = meta.as_ref().map(|m| m.len()).unwrap_or(0);
    let mtime = meta.as_ref().ok().and_then(|m| m.modified().ok()).map(system_ms).unwrap_or(0);
    let mut scan = Scan::default();
    let error = match std::fs::File::open(path) {
        Ok(file) => scan.read(BufReader::new(file)).err().map(|e| format!("could not read {}: {e}", path.display())),
        Err(e) => Some(format!("could not open {}: {e}", path.display())),
    };
    let first_prompt = scan.first_prompt.as_deref().map(|p| shorten(p, TITLE_CHARS));
    let title = match (&scan.title, &first_prompt) {
        (Some((_, title)), _) => shorten(title, TITLE_CHARS),
        (None, Some(prompt)) => prompt.clone(),
        (None, None) => String::new(),
    };
    let entry = ClaudeHistoryEntry {
        agent_session_id: id.to_owned(),
        title,
        first_prompt,
        created_ms: scan.first_ms.unwrap_or(mtime),
        updated_ms: scan.last_ms.unwrap_or(mtime),
        prompts: scan.prompts,
        bytes,
        error,
    };
    (entry, scan.cwd)
}

#[derive(Default)]
struct Scan {
    first_ms: Option<u64>,
    last_ms: Option<u64>,
    prompts: u32,
    first_prompt: Option<String>,
    title: Option<(u8, String)>,
    cwd: Option<String>,
    /// A slash command waiting to see whether the model answers it (then it was a prompt).
    command: Option<String>,
}

impl Scan {
    fn read(&mut self, mut reader: impl BufRead) -> std::io::Result<()> {
        let mut buf = Vec::new();
        loop {
            buf.clear();
            if reader.read_until(b'\n', &mut buf)? == 0 {
                return Ok(());
            }
            self.line(&String::from_utf8_lossy(&buf));
        }
    }

    fn line(&mut self, text: &str) {
        if let Some(ms) = quick_timestamp(text) {
            self.first_ms = Some(self.first_ms.map_or(ms, |f| f.min(ms)));
            self.last_ms = Some(self.last_ms.map_or(ms, |l| l.max(ms)));
        }
        let user = text.contains("\"type\":\"user\"");
        let titled = ["\"type\":\"custom-title\"", "\"type\":\"ai-title\"", "\"type\":\"summary\""].iter().any(|t| text.contains(t));
        if text.contains("\"type\":\"assistant\"") && !text.contains("\"isSidechain\":true") {
            if let Some(command) = self.command.take() {
                self.prompt(command);
            }
            return;
        }
        if !user && !titled {
            return;
        }
        // Tool results are most of a long session's user lines, and most of its bytes: they are
        // neither prompts nor titles, they only end a slash command waiting for an answer (as
        // `UserLine::ToolResults` does below), so they are not parsed. A line that could be
        // anything else (meta, compaction, subagent, a title) is parsed as before.
        let plain = || ["\"isMeta\":true", "\"isCompactSummary\":true", "\"isSidechain\":true"].iter().all(|t| !text.contains(t));
        if user && !titled && self.cwd.is_some() && text.contains("\"type\":\"tool_result\"") && plain() {
            self.command = None;
            return;
        }
        let Ok(line) = serde_json::from_str::<Line>(text) else { return };
        if let Some((rank, title)) = line.title() {
            if self.title.as_ref().is_none_or(|(r, _)| rank >= *r) {
                self.title = Some((rank, title.to_owned()));
            }
            return;
        }
        if line.kind != "user" || line.sidechain() {
            return;
        }
        if self.cwd.is_none() {
            self.cwd = line.cwd.clone();
        }
        match user_line(&line) {
            UserLine::Prompt(text) => {
                self.command = None;
                self.prompt(text);
            }
            UserLine::Command(command) => self.command = Some(command),
            UserLine::Hidden => {}
            _ => self.command = None,
        }
    }

    fn prompt(&mut self, text: String) {
        self.prompts += 1;
        if self.first_prompt.is_none() {
            self.first_prompt = Some(text);
        }
    }
}

/// The `timestamp` of a line without parsing it: Claude writes it as a plain string field.
fn quick_timestamp(text: &str) -> Option<u64> {
    const KEY: &str = "\"timestamp\":\"";
    let start = text.find(KEY)? + KEY.len();
    let end = start + text[start..].find('"')?;
    super::time::parse_ms(&text[start..end])
}

/// `text` on one line (runs of white space become one space), cut to `max` characters with an
/// ellipsis.
pub(super) fn shorten(text: &str, max: usize) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= max {
        return line;
    }
    let mut out: String = line.chars().take(max - 1).collect();
    out.push('…');
    out
}

fn system_ms(t: std::time::SystemTime) -> u64 {
    t.duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}
