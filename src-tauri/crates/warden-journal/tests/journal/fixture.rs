//! The journal tests' fixture: a temporary project, a data folder and a recorder of one into
//! the other, and the project's tree as a test compares it.
//!
//! Shared with the engine's test binary (`warden-engine/tests/engine/journal/mod.rs` includes it by
//! path), where only part of it is used.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use warden_core::journal::{FileKind, FileOp, OpId, RollbackPlan};
use warden_core::session::{SessionId, TurnId};
use warden_journal::{Journal, Recorder, DEFAULT_CAP};

/// A file or symlink as a test sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    File { bytes: Vec<u8>, mode: u32 },
    Link(PathBuf),
}

/// Every file and symlink under `root`, hidden ones and `.git/` included (folders are not
/// compared: the journal does not track them).
pub fn tree(root: &Path) -> BTreeMap<String, Node> {
    fn walk(dir: &Path, rel: &str, out: &mut BTreeMap<String, Node>) {
        for entry in fs::read_dir(dir).unwrap().flatten() {
            let name = entry.file_name().into_string().unwrap();
            let rel = if rel.is_empty() { name } else { format!("{rel}/{name}") };
            let meta = fs::symlink_metadata(entry.path()).unwrap();
            if meta.file_type().is_symlink() {
                out.insert(rel, Node::Link(fs::read_link(entry.path()).unwrap()));
            } else if meta.is_dir() {
                walk(&entry.path(), &rel, out);
            } else {
                let mode = meta.permissions().mode() & 0o7777;
                out.insert(rel, Node::File { bytes: fs::read(entry.path()).unwrap(), mode });
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, "", &mut out);
    out
}

/// A project, a data folder and a recorder of one into the other.
pub struct Fixture {
    pub project: tempfile::TempDir,
    pub data: tempfile::TempDir,
    pub recorder: Recorder,
}

impl Fixture {
    pub fn new() -> Fixture {
        Self::with_cap(DEFAULT_CAP)
    }

    pub fn with_cap(cap: u64) -> Fixture {
        Self::in_dirs(tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), cap)
    }

    pub fn in_dirs(project: tempfile::TempDir, data: tempfile::TempDir, cap: u64) -> Fixture {
        let recorder = Recorder::new(project.path(), data.path(), cap).unwrap();
        Fixture { project, data, recorder }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.project.path().join(rel)
    }

    pub fn write(&self, rel: &str, bytes: &[u8]) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }

    pub fn chmod(&self, rel: &str, mode: u32) {
        fs::set_permissions(self.path(rel), fs::Permissions::from_mode(mode)).unwrap();
    }

    pub fn tree(&self) -> BTreeMap<String, Node> {
        tree(self.project.path())
    }

    pub fn journal(&self) -> &Journal {
        self.recorder.journal()
    }

    /// The project's tree as `plan` says a rollback leaves it: each step's path holds its
    /// target (its content read from the blob store) or nothing, every other path as it is now.
    pub fn predict(&self, plan: &RollbackPlan) -> BTreeMap<String, Node> {
        use std::os::unix::ffi::OsStringExt;
        let mut tree = self.tree();
        for step in &plan.steps {
            let Some(image) = &step.target else {
                tree.remove(&step.path);
                continue;
            };
            let bytes = self.journal().content(image.hash.as_ref().expect("a planned target was kept")).unwrap();
            let node = match image.kind {
                FileKind::Symlink => Node::Link(PathBuf::from(std::ffi::OsString::from_vec(bytes))),
                FileKind::File => Node::File { bytes, mode: image.mode },
            };
            tree.insert(step.path.clone(), node);
        }
        tree
    }

    /// Records turn `n` of session `s` around `work`; returns its ops.
    pub fn turn(&mut self, s: &str, n: u32, work: impl FnOnce(&Fixture)) -> Vec<FileOp> {
        self.recorder.begin_turn(SessionId::from(s), TurnId(n)).unwrap();
        work(self);
        self.recorder.end_turn().unwrap()
    }
}

pub fn ids(ops: &[FileOp]) -> Vec<OpId> {
    ops.iter().map(|op| op.id).collect()
}
