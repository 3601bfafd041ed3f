//! The walk behind a snapshot: every folder of the project is a task, and a few threads take
//! tasks from one queue (stat calls dominate, and they run in parallel in the kernel). Each
//! folder carries the .gitignore matchers of its ancestors, so a path is judged as git would,
//! and `.git/` is never entered. Within a turn the matchers come from the ignore files as they
//! were when the turn began ([`IgnoreFiles`]), not from the disk.

use super::blobs::{BlobError, BlobStore};
use super::metadata::{read_link_bytes, stat_of, Stat};
use super::rules::IgnoreFiles;
use super::snapshot::{Entry, Snapshot, SnapshotOptions};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use warden_core::journal::FileKind;

/// A file written this shortly before a snapshot may be written again within the same
/// timestamp tick (2 s on FAT) without its mtime changing, so the next snapshot does not trust
/// its hash: it reads it again.
const RACY_MTIME_NS: i64 = 2_000_000_000;

/// The same for a metadata change (`cp -p` writing and setting the mtime back); ctimes come
/// from the kernel's clock, whose tick is a few milliseconds at most.
const RACY_CTIME_NS: i64 = 100_000_000;

/// The repository's own ignore file, journaled although `.git/` is never walked.
pub const GIT_EXCLUDE: &str = ".git/info/exclude";

/// More threads than this only queue up on the same disk.
const MAX_THREADS: usize = 4;

/// Below this many entries a walk takes less time than starting its threads.
const SMALL_TREE: usize = 2_000;

/// The .gitignore matchers in force in a folder, innermost first, shared by its subfolders.
struct Ignores {
    matcher: Gitignore,
    parent: Option<Arc<Ignores>>,
}

/// Whether the innermost .gitignore with an opinion on `path` ignores it.
fn is_ignored(mut ignores: Option<&Arc<Ignores>>, path: &Path, is_dir: bool) -> bool {
    while let Some(node) = ignores {
        match node.matcher.matched(path, is_dir) {
            Match::Ignore(_) => return true,
            Match::Whitelist(_) => return false,
            Match::None => ignores = node.parent.as_ref(),
        }
    }
    false
}

fn matcher(dir: &Path, file: PathBuf) -> Option<Gitignore> {
    let mut builder = GitignoreBuilder::new(dir);
    if let Some(e) = builder.add(&file) {
        tracing::warn!(file = %file.display(), "journal snapshot: part of an ignore file is unreadable: {e}");
    }
    builder.build().map_err(|e| tracing::warn!(file = %file.display(), "ignore file unusable: {e}")).ok()
}

/// One folder to list.
struct Task {
    dir: PathBuf,
    rel: String,
    ignores: Option<Arc<Ignores>>,
    /// Inside a folder .gitignore hides: nothing can be un-ignored again, as in git.
    ignored: bool,
}

#[derive(Default)]
struct Queue {
    tasks: Vec<Task>,
    /// Tasks taken and not finished: their subfolders may still come.
    busy: usize,
    failed: Option<BlobError>,
}

/// What a walk found.
pub struct Walked {
    /// Every entry, by path.
    pub entries: HashMap<String, Entry>,
    /// How many files had to be read.
    pub read: usize,
    /// The paths kept now that neither the previous snapshot nor `kept` kept.
    pub newly_kept: Vec<String>,
}

/// Walks `root`, reusing what `previous` saw and keeping every path of `kept` whatever the
/// ignore files say. With `rules`, what is ignored is judged by those ignore files instead of
/// the ones on disk: a `.gitignore` or exclude file absent from them has no say even if it
/// exists now, and one in them applies even if it is gone.
pub fn walk(
    root: &Path,
    blobs: &BlobStore,
    options: &SnapshotOptions,
    previous: Option<&Snapshot>,
    kept: &HashSet<String>,
    rules: Option<&IgnoreFiles>,
) -> Result<Walked, BlobError> {
    // The repository's own exclude file ranks below every .gitignore, as in git.
    let exclude = match rules {
        Some(rules) => rules.matcher(root, GIT_EXCLUDE),
        None => {
            let exclude = root.join(".git").join("info").join("exclude");
            exclude.is_file().then(|| matcher(root, exclude)).flatten()
        }
    };
    let ignores = exclude.map(|m| Arc::new(Ignores { matcher: m, parent: None }));
    let queue = Mutex::new(Queue { tasks: vec![Task { dir: root.to_owned(), rel: String::new(), ignores, ignored: false }], ..Queue::default() });
    let wake = Condvar::new();
    // A tree known to be small is walked on this thread: starting threads would cost more.
    let threads = match previous {
        Some(p) if p.len() < SMALL_TREE => 1,
        _ => std::thread::available_parallelism().map_or(1, |n| n.get()).min(MAX_THREADS),
    };
    let mut workers: Vec<Worker> = (0..threads)
        .map(|_| Worker { blobs, options, previous, kept, rules, entries: HashMap::new(), read: 0, newly_kept: Vec::new() })
        .collect();
    if let [only] = workers.as_mut_slice() {
        only.run(&queue, &wake);
    } else {
        std::thread::scope(|scope| {
            for worker in &mut workers {
                let (queue, wake) = (&queue, &wake);
                scope.spawn(move || worker.run(queue, wake));
            }
        });
    }
    if let Some(e) = queue.into_inner().unwrap_or_else(|p| p.into_inner()).failed {
        return Err(e);
    }
    let mut workers = workers.into_iter();
    let mut first = workers.next().expect("at least one worker");
    let mut read = first.read;
    for mut worker in workers {
        first.entries.extend(worker.entries);
        first.newly_kept.append(&mut worker.newly_kept);
        read += worker.read;
    }
    Ok(Walked { entries: first.entries, read, newly_kept: first.newly_kept })
}

struct Worker<'a> {
    blobs: &'a BlobStore,
    options: &'a SnapshotOptions,
    previous: Option<&'a Snapshot>,
    /// Paths kept in earlier sessions of the project: kept again whatever the ignore files say.
    kept: &'a HashSet<String>,
    /// The ignore files to judge by instead of the disk's (those of the turn's beginning).
    rules: Option<&'a IgnoreFiles>,
    entries: HashMap<String, Entry>,
    read: usize,
    newly_kept: Vec<String>,
}

impl Worker<'_> {
    /// Takes folders from the queue until none is left and no other worker can add one.
    fn run(&mut self, queue: &Mutex<Queue>, wake: &Condvar) {
        let lock = || queue.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            let task = {
                let mut q = lock();
                loop {
                    if q.failed.is_some() {
                        return;
                    }
                    if let Some(task) = q.tasks.pop() {
                        q.busy += 1;
                        break task;
                    }
                    if q.busy == 0 {
                        wake.notify_all();
                        return;
                    }
                    q = wake.wait(q).unwrap_or_else(|p| p.into_inner());
                }
            };
            let mut subfolders = Vec::new();
            let result = self.dir(task, &mut subfolders);
            let mut q = lock();
            q.busy -= 1;
            q.tasks.append(&mut subfolders);
            if let Err(e) = result {
                q.failed.get_or_insert(e);
            }
            wake.notify_all();
        }
    }

    /// Lists one folder: its files become entries, its subfolders tasks.
    fn dir(&mut self, task: Task, subfolders: &mut Vec<Task>) -> Result<(), BlobError> {
        let listing = match fs::read_dir(&task.dir) {
            Ok(listing) => listing,
            Err(e) => {
                tracing::warn!(dir = %task.dir.display(), "journal snapshot skips a folder it cannot read: {e}");
                return Ok(());
            }
        };
        let children: Vec<fs::DirEntry> = listing.filter_map(Result::ok).collect();
        let mut ignores = task.ignores;
        if !task.ignored {
            let found = match self.rules {
                Some(rules) => {
                    let rel = if task.rel.is_empty() { ".gitignore".to_owned() } else { format!("{}/.gitignore", task.rel) };
                    rules.matcher(&task.dir, &rel)
                }
                None if children.iter().any(|c| c.file_name() == ".gitignore") => matcher(&task.dir, task.dir.join(".gitignore")),
                None => None,
            };
            if let Some(m) = found {
                ignores = Some(Arc::new(Ignores { matcher: m, parent: ignores }));
            }
        }
        for child in children {
            let name = child.file_name();
            let Some(name) = name.to_str() else {
                tracing::warn!(dir = %task.dir.display(), "journal snapshot skips a name that is not UTF-8: {name:?}");
                continue;
            };
            let Ok(file_type) = child.file_type() else { continue };
            let path = child.path();
            if name == ".git" {
                if task.rel.is_empty() && file_type.is_dir() {
                    self.git_exclude(&path)?;
                }
                continue;
            }
            let rel = if task.rel.is_empty() { name.to_owned() } else { format!("{}/{name}", task.rel) };
            if file_type.is_dir() {
                if !self.options.exclude.iter().any(|e| e == &path) {
                    let ignored = task.ignored || is_ignored(ignores.as_ref(), &path, true);
                    subfolders.push(Task { dir: path, rel, ignores: ignores.clone(), ignored });
                }
            } else if file_type.is_file() || file_type.is_symlink() {
                let Ok(meta) = child.metadata() else { continue };
                let kind = if file_type.is_symlink() { FileKind::Symlink } else { FileKind::File };
                // An ignore file decides what the journal keeps, so it is always kept itself:
                // one that ignores itself (`*`) must not make its own creation un-undoable.
                let ignored = name != ".gitignore" && (task.ignored || is_ignored(ignores.as_ref(), &path, false));
                if let Some(entry) = self.entry(&path, &rel, stat_of(&meta, kind), kind, ignored)? {
                    self.entries.insert(rel, entry);
                }
            }
        }
        Ok(())
    }

    /// Records `.git/info/exclude`, the one file under `.git/` that decides what the journal
    /// keeps: an agent writing `*` there is a change like any other, shown and undone. (Git's
    /// `core.excludesFile` is not read by the journal at all, so it needs no record.)
    fn git_exclude(&mut self, git: &Path) -> Result<(), BlobError> {
        let info = git.join("info");
        // Only through real folders, as a rollback would reach it.
        if !fs::symlink_metadata(&info).is_ok_and(|m| m.is_dir()) {
            return Ok(());
        }
        let path = info.join("exclude");
        let Ok(meta) = fs::symlink_metadata(&path) else { return Ok(()) };
        let kind = match meta.file_type() {
            t if t.is_symlink() => FileKind::Symlink,
            t if t.is_file() => FileKind::File,
            _ => return Ok(()),
        };
        if let Some(entry) = self.entry(&path, GIT_EXCLUDE, stat_of(&meta, kind), kind, false)? {
            self.entries.insert(GIT_EXCLUDE.to_owned(), entry);
        }
        Ok(())
    }

    /// The entry of one file: the previous snapshot's hash when its metadata is unchanged and
    /// old enough to trust, else its content read, hashed and stored.
    ///
    /// A file whose content the previous snapshot kept stays kept, whatever the ignore files say
    /// now: an agent adding `*` to an ignore file must not turn a later `rm -rf` of kept files
    /// into an "ignored" change a rollback skips. Since a recorder's snapshots chain from the
    /// first of its session, a file kept once in a session is kept for the rest of it; `kept`
    /// carries what earlier sessions of the project kept.
    fn entry(&mut self, path: &Path, rel: &str, stat: Stat, kind: FileKind, ignored: bool) -> Result<Option<Entry>, BlobError> {
        // The previous snapshot's lookup first: it is needed below anyway, and what it kept is in
        // `kept` already, so the set is only consulted for paths new to the session.
        let kept_before = self.previous.and_then(|snapshot| snapshot.entries.get(rel)).is_some_and(|old| !old.ignored) || self.kept.contains(rel);
        let ignored = ignored && !kept_before;
        if !ignored && !kept_before {
            self.newly_kept.push(rel.to_owned());
        }
        let mut entry = Entry { stat, kind, hash: None, too_large: false, ignored };
        if ignored {
            return Ok(Some(entry));
        }
        let known = self.previous.and_then(|snapshot| {
            snapshot.entries.get(rel).filter(|old| {
                !old.ignored
                    && old.kind == kind
                    && old.stat.size == stat.size
                    && old.stat.mtime_ns == stat.mtime_ns
                    && old.stat.ctime_ns == stat.ctime_ns
                    && old.stat.ino == stat.ino
                    && stat.mtime_ns < snapshot.taken_ns - RACY_MTIME_NS
                    && stat.ctime_ns < snapshot.taken_ns - RACY_CTIME_NS
            })
        });
        if let Some(old) = known {
            entry.hash = old.hash.clone();
            entry.too_large = old.too_large;
            return Ok(Some(entry));
        }
        if kind == FileKind::File && stat.size > self.options.cap {
            entry.too_large = true;
            return Ok(Some(entry));
        }
        let content = match kind {
            FileKind::File => fs::read(path),
            FileKind::Symlink => read_link_bytes(path),
        };
        let bytes = match content {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                // Kept without content: a rollback refuses to restore it rather than guess.
                tracing::warn!(path = %path.display(), "journal snapshot cannot read a file: {e}");
                return Ok(Some(entry));
            }
        };
        self.read += 1;
        // The size of what was read, which is what the hash stands for.
        entry.stat.size = bytes.len() as u64;
        if kind == FileKind::File && entry.stat.size > self.options.cap {
            entry.too_large = true;
        } else {
            entry.hash = Some(self.blobs.put(&bytes)?);
        }
        Ok(Some(entry))
    }
}
