//! Agents' versions kept between runs: `<data>/agent-versions.json`, keyed by the executable's
//! canonical path with its size and modification time. Asking `--version` starts the agent once
//! more before every session (about 1.3 s for Gemini CLI); an executable whose path, size and
//! modification time are unchanged is the same program, so its answer is kept. An update
//! (npm replaces the file) changes the size or the time and is asked again. Shared by every
//! Warden process of the data folder (the window and `warden run`), read whole on each use.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use crate::sink::EventSink;
use std::sync::{Arc, Mutex, OnceLock};
use warden_core::session::{AgentInfo, SessionEvent, SessionEventKind};
use std::time::UNIX_EPOCH;

/// The cache's file name in the data folder.
pub const VERSION_CACHE_FILE: &str = "agent-versions.json";

/// One executable as it was when its version was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    size: u64,
    modified_ns: u128,
    version: String,
}

/// The versions file of one data folder.
#[derive(Debug)]
pub struct VersionCache {
    file: PathBuf,
    /// Writers of this process take turns (the file is replaced whole).
    write: Mutex<()>,
}

/// What identifies an executable: its canonical path, size and modification time.
fn identity(program: &Path) -> Option<(String, u64, u128)> {
    let canonical = program.canonicalize().ok()?;
    let meta = std::fs::metadata(&canonical).ok()?;
    let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?.as_nanos();
    Some((canonical.to_string_lossy().into_owned(), meta.len(), modified))
}

impl VersionCache {
    /// The cache kept in `data_dir`.
    pub fn in_data_dir(data_dir: &Path) -> Self {
        Self { file: data_dir.join(VERSION_CACHE_FILE), write: Mutex::new(()) }
    }

    fn read(&self) -> BTreeMap<String, Entry> {
        // A missing or damaged file is an empty cache: the versions are asked again.
        crate::json_file::read(&self.file).ok().flatten().and_then(|bytes| serde_json::from_slice(&bytes).ok()).unwrap_or_default()
    }

    /// The version `program` reported before, when it is still the same file.
    pub fn get(&self, program: &Path) -> Option<String> {
        let (key, size, modified_ns) = identity(program)?;
        self.read().remove(&key).filter(|e| e.size == size && e.modified_ns == modified_ns).map(|e| e.version)
    }

    /// Keeps `version` for `program` as it is now. A failure to write only costs the next
    /// run a `--version`.
    pub fn put(&self, program: &Path, version: &str) {
        let Some((key, size, modified_ns)) = identity(program) else { return };
        // A data folder that is gone (a test's, removed) is not made again for this.
        if !self.file.parent().is_some_and(Path::is_dir) {
            return;
        }
        let _one_writer = self.write.lock().unwrap_or_else(|p| p.into_inner());
        let mut entries = self.read();
        entries.insert(key, Entry { size, modified_ns, version: version.to_owned() });
        let written = serde_json::to_vec_pretty(&entries).map_err(std::io::Error::other).and_then(|text| crate::json_file::replace(&self.file, &text));
        if let Err(e) = written {
            tracing::warn!(file = %self.file.display(), "agent versions not kept: {e}");
        }
    }
}

/// Forwards every event to `inner`, and keeps the version the agent `program` reports in its
/// first message (an `AgentInfo` event) when it is not `known` already. The file is written on
/// a thread of its own: the session's actor never waits for the disk.
pub(crate) fn learning(inner: Arc<dyn EventSink>, program: &Path, known: &str) -> Arc<dyn EventSink> {
    match shared() {
        Some(cache) => Arc::new(Learning { inner, cache, program: program.to_owned(), known: Mutex::new(known.to_owned()) }),
        None => inner,
    }
}

/// The sink of [`learning`].
struct Learning {
    inner: Arc<dyn EventSink>,
    cache: &'static VersionCache,
    program: PathBuf,
    /// The version kept (or found) last; only a different one is written.
    known: Mutex<String>,
}

impl EventSink for Learning {
    fn send(&self, event: &SessionEvent) {
        if let SessionEventKind::AgentInfo(AgentInfo { version: Some(reported), .. }) = &event.kind {
            if let Some((a, b, c)) = crate::discovery::parse_version(reported) {
                let version = format!("{a}.{b}.{c}");
                let mut known = self.known.lock().unwrap_or_else(|p| p.into_inner());
                if *known != version {
                    known.clone_from(&version);
                    let (cache, program) = (self.cache, self.program.clone());
                    let _ = std::thread::Builder::new().name("version-cache".into()).spawn(move || cache.put(&program, &version));
                }
            }
        }
        self.inner.send(event);
    }
}

static SHARED: OnceLock<VersionCache> = OnceLock::new();

/// Uses the cache of `data_dir` for every version Warden reads in this process (set once, when
/// the engine opens; later calls keep the first).
pub fn use_data_dir(data_dir: &Path) {
    let _ = SHARED.set(VersionCache::in_data_dir(data_dir));
}

/// The cache of this process, once the engine opened.
pub(crate) fn shared() -> Option<&'static VersionCache> {
    SHARED.get()
}

/// The data folder of this process, once the engine opened (Warden's own agents folder is in
/// it, see `crate::agents::managed`).
pub(crate) fn shared_data_dir() -> Option<&'static Path> {
    SHARED.get().and_then(|c| c.file.parent())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_is_kept_until_the_executable_changes() {
        let dir = tempfile::tempdir().unwrap();
        let program = dir.path().join("agent");
        std::fs::write(&program, "#!/bin/sh\necho 1.2.3\n").unwrap();
        let cache = VersionCache::in_data_dir(dir.path());
        assert_eq!(cache.get(&program), None, "nothing kept yet");
        cache.put(&program, "1.2.3");
        assert_eq!(cache.get(&program), Some("1.2.3".into()));
        // Through a link (npm's .bin) it is the same executable.
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&program, &link).unwrap();
        assert_eq!(cache.get(&link), Some("1.2.3".into()));
        // An update rewrites the file: another size, asked again.
        std::fs::write(&program, "#!/bin/sh\necho 1.2.40\n").unwrap();
        assert_eq!(cache.get(&program), None, "a changed executable is asked again");
        // A damaged file is an empty cache, never an error.
        std::fs::write(dir.path().join(VERSION_CACHE_FILE), "{not json").unwrap();
        assert_eq!(cache.get(&program), None);
        cache.put(&program, "1.2.40");
        assert_eq!(cache.get(&program), Some("1.2.40".into()));
    }

    /// Collects what it is sent.
    struct Collect(Mutex<Vec<SessionEvent>>);

    impl EventSink for Collect {
        fn send(&self, event: &SessionEvent) {
            self.0.lock().unwrap().push(event.clone());
        }
    }

    #[test]
    fn the_version_an_agent_reports_in_its_first_message_is_kept_for_next_time() {
        let dir = tempfile::tempdir().unwrap();
        let program = dir.path().join("agent");
        std::fs::write(&program, "#!/bin/sh\n").unwrap();
        let cache: &'static VersionCache = Box::leak(Box::new(VersionCache::in_data_dir(dir.path())));
        let inner = Arc::new(Collect(Mutex::new(Vec::new())));
        let sink = Learning { inner: inner.clone(), cache, program: program.clone(), known: Mutex::new("unknown".into()) };
        let info = |version: &str| SessionEvent {
            session_id: warden_core::session::SessionId("s".into()),
            seq: 1,
            at_ms: 0,
            kind: SessionEventKind::AgentInfo(AgentInfo { agent_session_id: "a".into(), model: None, version: Some(version.into()), tools: Vec::new() }),
        };
        sink.send(&info("2.1.400 (Claude Code)"));
        assert_eq!(inner.0.lock().unwrap().len(), 1, "the event goes on");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while cache.get(&program).is_none() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert_eq!(cache.get(&program), Some("2.1.400".into()), "kept, written off the actor's thread");
    }
}
