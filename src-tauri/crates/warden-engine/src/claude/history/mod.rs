//! Claude Code's own transcripts of a project: finding them, listing them, and reading one into
//! Warden's event stream.
//!
//! Claude Code writes every session to `<config>/projects/<encoded project>/<session id>.jsonl`,
//! where `<config>` is `$CLAUDE_CONFIG_DIR` or `~/.claude`, and the subagents a session ran to
//! `<session id>/subagents/agent-<agent id>.jsonl` beside it (with a `.meta.json` naming the tool
//! call that started each). The encoding, observed in Claude Code 2.1.329: the project's real path
//! with every character that is not an ASCII letter or digit (every UTF-16 unit, in fact) replaced
//! by `-`; names longer than 200 characters are cut to 200 and get `-<hash>` appended (Java's
//! string hash of the path, its absolute value in base 36).
//!
//! Nothing here writes to Claude's folder, and a damaged line or file never fails more than
//! itself: lines that cannot be read become `unrecognised` events, files that cannot be read
//! become list entries carrying an error.

mod convert;
mod held_texts;
mod lines;
mod listing;
mod time;
mod transcript;

#[cfg(test)]
mod tests;

pub use convert::{read_events, read_events_to_show, read_output};
pub use held_texts::{hold_back, page as held_text_page};
pub(crate) use transcript::subagents_dir as subagents_dir_of;
pub use listing::summarize;

use std::path::{Path, PathBuf};
use warden_core::session::ClaudeHistoryEntry;

/// Longest encoded folder name Claude uses as is.
const MAX_NAME: usize = 200;

/// A Claude Code configuration folder (`~/.claude` or `$CLAUDE_CONFIG_DIR`) and the transcripts
/// in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaudeHistory {
    config_dir: PathBuf,
}

impl ClaudeHistory {
    /// The folder the Claude CLI of this user uses: `$CLAUDE_CONFIG_DIR` when set (and not blank),
    /// else `.claude` in the home folder. `None` when neither is known.
    pub fn from_env() -> Option<Self> {
        if let Some(dir) = std::env::var_os("CLAUDE_CONFIG_DIR").filter(|d| !d.to_string_lossy().trim().is_empty()) {
            return Some(Self::at(PathBuf::from(dir)));
        }
        let home = std::env::var_os(if cfg!(windows) { "USERPROFILE" } else { "HOME" }).filter(|h| !h.is_empty())?;
        Some(Self::at(Path::new(&home).join(".claude")))
    }

    /// The transcripts under the configuration folder `config_dir`.
    pub fn at(config_dir: impl Into<PathBuf>) -> Self {
        Self { config_dir: config_dir.into() }
    }

    /// The configuration folder.
    pub fn config_dir(&self) -> &Path {
        &self.config_dir
    }

    /// The folder holding the transcripts of `project` (its canonical path), when there is one.
    pub fn dir(&self, project: &Path) -> Option<PathBuf> {
        let projects = self.config_dir.join("projects");
        let name = encode_project(project);
        let exact = projects.join(&name);
        if exact.is_dir() {
            return Some(exact);
        }
        // Long names end in a hash of the path; Claude itself also accepts any folder with the
        // same first 200 characters (its hash function changed between releases).
        if name.len() > MAX_NAME {
            let prefix = format!("{}-", &name[..MAX_NAME]);
            let found = std::fs::read_dir(&projects)
                .ok()?
                .filter_map(Result::ok)
                .find(|e| e.file_name().to_string_lossy().starts_with(&prefix) && e.path().is_dir());
            return found.map(|e| e.path());
        }
        None
    }

    /// One entry per transcript of `project`, newest first. Transcripts recorded in another
    /// folder whose name happens to encode the same way are left out.
    pub fn list(&self, project: &Path) -> Vec<ClaudeHistoryEntry> {
        let Some(dir) = self.dir(project) else { return Vec::new() };
        let Ok(read) = std::fs::read_dir(&dir) else { return Vec::new() };
        let mut entries: Vec<ClaudeHistoryEntry> = read
            .filter_map(Result::ok)
            .filter_map(|e| {
                let path = e.path();
                let id = path.file_stem()?.to_str()?.to_owned();
                let is_transcript = path.extension().is_some_and(|x| x == "jsonl") && path.is_file();
                is_transcript.then_some((id, path))
            })
            .filter_map(|(id, path)| {
                let (entry, cwd) = listing::summarize_with_cwd(&id, &path);
                let elsewhere = cwd.is_some_and(|cwd| !same_folder(Path::new(&cwd), project));
                (!elsewhere).then_some(entry)
            })
            .collect();
        entries.sort_by(|a, b| b.updated_ms.cmp(&a.updated_ms).then_with(|| a.agent_session_id.cmp(&b.agent_session_id)));
        entries
    }

    /// The transcript file of session `id` of `project`, if it exists. `id` must be a plain
    /// session id (see [`is_session_id`]); anything else is never looked up.
    pub fn transcript(&self, project: &Path, id: &str) -> Option<PathBuf> {
        if !is_session_id(id) {
            return None;
        }
        let path = self.dir(project)?.join(format!("{id}.jsonl"));
        path.is_file().then_some(path)
    }
}

/// The transcript folder of `project` in the current user's Claude configuration.
pub fn history_dir(project: &Path) -> Option<PathBuf> {
    ClaudeHistory::from_env()?.dir(project)
}

/// The transcripts of `project` in the current user's Claude configuration, newest first.
pub fn list(project: &Path) -> Vec<ClaudeHistoryEntry> {
    ClaudeHistory::from_env().map(|h| h.list(project)).unwrap_or_default()
}

/// The folder name Claude Code keeps a project's transcripts under.
pub fn encode_project(project: &Path) -> String {
    let path = project.to_string_lossy();
    // JavaScript's `replace(/[^a-zA-Z0-9]/g, "-")` works on UTF-16 units.
    let name: String =
        path.encode_utf16().map(|u| if u < 128 && (u as u8).is_ascii_alphanumeric() { u as u8 as char } else { '-' }).collect();
    if name.len() <= MAX_NAME {
        return name;
    }
    format!("{}-{}", &name[..MAX_NAME], base36(java_hash(&path).unsigned_abs() as u64))
}

/// Whether `id` is a plain session id: 1 to 128 ASCII letters, digits, `-` or `_`. Anything
/// else (a path separator, `..`, a dot) could leave the transcript folder, so it is refused.
pub fn is_session_id(id: &str) -> bool {
    (1..=128).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Java's `String.hashCode` over UTF-16 units, as Claude computes it.
fn java_hash(text: &str) -> i32 {
    text.encode_utf16().fold(0i32, |h, u| h.wrapping_mul(31).wrapping_add(u as i32))
}

fn base36(mut n: u64) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII digits")
}

fn same_folder(a: &Path, b: &Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}
