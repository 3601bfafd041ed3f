//! What changed between two snapshots of a tree: creates, modifies, deletes, chmods, and
//! renames (a delete and a create of the same content in the same diff).

use super::snapshot::{Entry, Snapshot};
use std::collections::HashMap;
use warden_core::journal::{BlobHash, FileImage, OpKind};

/// One change to one path, before it is recorded as an op.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The path (for a rename, the new one).
    pub path: String,
    /// What happened.
    pub kind: OpKind,
    /// The file before (for a rename, at the old path).
    pub before: Option<FileImage>,
    /// The file after.
    pub after: Option<FileImage>,
    /// Whether .gitignore hides the path (before or after).
    pub ignored: bool,
}

/// The changes from `before` to `after`, sorted by path. Each path appears at most once (a
/// rename's old path included), so the changes of one diff can be undone in any order.
pub fn diff(before: &Snapshot, after: &Snapshot) -> Vec<Change> {
    let mut changes = Vec::new();
    let mut created: Vec<(&str, &Entry)> = Vec::new();
    for (path, new) in after.entries() {
        match before.get(path) {
            None => created.push((path, new)),
            Some(old) => {
                if let Some(kind) = compare(old, new) {
                    changes.push(Change {
                        path: path.to_owned(),
                        kind,
                        before: Some(old.image()),
                        after: Some(new.image()),
                        ignored: old.ignored || new.ignored,
                    });
                }
            }
        }
    }
    let mut deleted: Vec<(&str, &Entry)> = before.entries().filter(|(path, _)| after.get(path).is_none()).collect();
    created.sort_by_key(|(path, _)| *path);
    deleted.sort_by_key(|(path, _)| *path);

    // Renames: a created file whose content a deleted one had. The same inode wins (a real
    // move), then the same file name, then the first by path.
    let mut by_hash: HashMap<&BlobHash, Vec<usize>> = HashMap::new();
    for (i, (_, old)) in deleted.iter().enumerate() {
        if let (false, Some(hash)) = (old.ignored, &old.hash) {
            by_hash.entry(hash).or_default().push(i);
        }
    }
    let mut taken = vec![false; deleted.len()];
    for (path, new) in created {
        let source = match (&new.hash, new.ignored) {
            (Some(hash), false) => by_hash.get(hash).and_then(|candidates| pick(candidates, &taken, &deleted, path, new)),
            _ => None,
        };
        match source {
            Some(i) => {
                taken[i] = true;
                let (from, old) = deleted[i];
                changes.push(Change {
                    path: path.to_owned(),
                    kind: OpKind::Rename { from: from.to_owned() },
                    before: Some(old.image()),
                    after: Some(new.image()),
                    ignored: false,
                });
            }
            None => changes.push(Change {
                path: path.to_owned(),
                kind: OpKind::Create,
                before: None,
                after: Some(new.image()),
                ignored: new.ignored,
            }),
        }
    }
    for ((path, old), taken) in deleted.into_iter().zip(taken) {
        if !taken {
            changes.push(Change {
                path: path.to_owned(),
                kind: OpKind::Delete,
                before: Some(old.image()),
                after: None,
                ignored: old.ignored,
            });
        }
    }
    changes.sort_by(|a, b| a.path.cmp(&b.path));
    changes
}

/// The deleted file `path` most likely came from, among same-content candidates.
fn pick(candidates: &[usize], taken: &[bool], deleted: &[(&str, &Entry)], path: &str, new: &Entry) -> Option<usize> {
    let free = || candidates.iter().copied().filter(|&i| !taken[i] && deleted[i].1.kind == new.kind);
    let name = |p: &str| p.rsplit('/').next().map(str::to_owned);
    free()
        .find(|&i| new.stat.ino != 0 && deleted[i].1.stat.ino == new.stat.ino)
        .or_else(|| free().find(|&i| name(deleted[i].0) == name(path)))
        .or_else(|| free().next())
}

/// What happened to a path that exists in both snapshots, if anything.
fn compare(old: &Entry, new: &Entry) -> Option<OpKind> {
    let same_content = if old.ignored || new.ignored || old.hash.is_none() || new.hash.is_none() {
        // No content to compare: the metadata says whether it was rewritten.
        old.ignored == new.ignored
            && old.kind == new.kind
            && old.too_large == new.too_large
            && old.hash == new.hash
            && old.stat.size == new.stat.size
            && old.stat.mtime_ns == new.stat.mtime_ns
            && old.stat.ino == new.stat.ino
    } else {
        old.kind == new.kind && old.hash == new.hash
    };
    if !same_content {
        Some(OpKind::Modify)
    } else if old.stat.mode != new.stat.mode {
        Some(OpKind::Chmod)
    } else {
        None
    }
}
