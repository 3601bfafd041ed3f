//! The chat texts held back from the Claude Code histories shown lately (see
//! `claude::history::hold_back`), kept so the window can read them in pages without the
//! transcript being read again, and the snapshot that says which state of the files they are of.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::UNIX_EPOCH;
use warden_core::session::HistoryText;

/// Histories whose held-back texts are kept; an older one is read again when asked for.
const KEPT: usize = 3;

/// The held-back texts of one transcript in one state.
pub(super) struct Held {
    path: PathBuf,
    snapshot: String,
    /// In `seq` order.
    pub(super) texts: Vec<HistoryText>,
}

/// The held-back texts of the last [`KEPT`] histories shown, newest last.
#[derive(Default)]
pub(super) struct HeldTexts {
    kept: Mutex<VecDeque<Arc<Held>>>,
}

impl HeldTexts {
    /// Keeps `texts` of the transcript at `path` in state `snapshot`, replacing an older copy.
    pub(super) fn keep(&self, path: &Path, snapshot: &str, texts: Vec<HistoryText>) -> Arc<Held> {
        let held = Arc::new(Held { path: path.to_owned(), snapshot: snapshot.to_owned(), texts });
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        kept.retain(|h| h.path != path);
        kept.push_back(held.clone());
        while kept.len() > KEPT {
            kept.pop_front();
        }
        held
    }

    /// The texts kept for the transcript at `path` in state `snapshot`, if any.
    pub(super) fn get(&self, path: &Path, snapshot: &str) -> Option<Arc<Held>> {
        let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        kept.iter().find(|h| h.path == path && h.snapshot == snapshot).cloned()
    }
}

/// Which state the transcript at `path` and its subagents' transcripts are in: their names,
/// sizes and modification times. Claude appends to a transcript while its session runs, and a
/// longer transcript can number its events differently, so texts are only read back from the
/// state the events were read from.
pub(super) fn snapshot(path: &Path) -> String {
    let mut parts = vec![file_state(path)];
    if let Ok(read) = std::fs::read_dir(crate::claude::history::subagents_dir_of(path)) {
        let mut files: Vec<PathBuf> = read.filter_map(Result::ok).map(|e| e.path()).collect();
        files.sort();
        for file in files {
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            parts.push(format!("{name}:{}", file_state(&file)));
        }
    }
    parts.join(";")
}

fn file_state(path: &Path) -> String {
    match std::fs::metadata(path) {
        Ok(meta) => {
            let modified = meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos());
            format!("{}@{modified}", meta.len())
        }
        Err(_) => "missing".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(seqs: &[u64]) -> Vec<HistoryText> {
        seqs.iter().map(|&seq| HistoryText { seq, text: format!("t{seq}") }).collect()
    }

    #[test]
    fn the_last_histories_are_kept_by_path_and_state() {
        let held = HeldTexts::default();
        held.keep(Path::new("/a"), "1", texts(&[1]));
        held.keep(Path::new("/a"), "2", texts(&[2]));
        assert!(held.get(Path::new("/a"), "1").is_none(), "a newer state replaces the older one");
        assert_eq!(held.get(Path::new("/a"), "2").map(|h| h.texts.len()), Some(1));
        for p in ["/b", "/c", "/d"] {
            held.keep(Path::new(p), "1", texts(&[1]));
        }
        assert!(held.get(Path::new("/a"), "2").is_none(), "at most {KEPT} kept, the oldest goes");
        assert!(held.get(Path::new("/d"), "1").is_some());
    }

    #[test]
    fn the_snapshot_changes_when_a_transcript_or_a_subagent_file_does() {
        let dir = tempfile::tempdir().unwrap();
        let main = dir.path().join("s.jsonl");
        std::fs::write(&main, "{}\n").unwrap();
        let first = snapshot(&main);
        assert_eq!(snapshot(&main), first, "stable while nothing changes");
        std::fs::write(&main, "{}\n{}\n").unwrap();
        let second = snapshot(&main);
        assert_ne!(second, first);
        let subagents = dir.path().join("s").join("subagents");
        std::fs::create_dir_all(&subagents).unwrap();
        std::fs::write(subagents.join("agent-1.jsonl"), "{}\n").unwrap();
        assert_ne!(snapshot(&main), second, "a subagent's transcript counts");
    }
}
