//! Snapshots and their diffs on real temporary trees.

use super::*;
use std::fs;
use crate::diff::diff;
use std::time::{Duration, SystemTime};
use warden_core::journal::OpKind;

struct Tree {
    root: tempfile::TempDir,
    _data: tempfile::TempDir,
    blobs: BlobStore,
}

impl Tree {
    fn new() -> Tree {
        let data = tempfile::tempdir().unwrap();
        let blobs = BlobStore::open(&data.path().join("blobs")).unwrap();
        Tree { root: tempfile::tempdir().unwrap(), _data: data, blobs }
    }

    fn write(&self, rel: &str, bytes: &[u8]) {
        let path = self.root.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }

    fn snap(&self, previous: Option<&Snapshot>) -> Snapshot {
        self.snap_with(&SnapshotOptions::default(), previous)
    }

    fn snap_with(&self, options: &SnapshotOptions, previous: Option<&Snapshot>) -> Snapshot {
        Snapshot::take(self.root.path(), &self.blobs, options, previous).unwrap()
    }

    /// Dates every file back, so a snapshot trusts what it saw.
    fn age(&self, rel: &str) {
        let file = fs::File::options().write(true).open(self.root.path().join(rel)).unwrap();
        file.set_modified(SystemTime::now() - Duration::from_secs(60)).unwrap();
    }
}

fn kinds(changes: &[crate::diff::Change]) -> Vec<(String, OpKind)> {
    changes.iter().map(|c| (c.path.clone(), c.kind.clone())).collect()
}

#[test]
fn gitignored_paths_are_listed_without_content_and_git_is_never_walked() {
    let t = Tree::new();
    t.write(".gitignore", b"target/\n*.log\n!keep.log\n");
    t.write("src/main.rs", b"fn main() {}");
    t.write("target/debug/app", b"binary");
    t.write("run.log", b"noise");
    t.write("keep.log", b"kept");
    t.write("sub/.gitignore", b"local.txt\n");
    t.write("sub/local.txt", b"mine");
    t.write(".git/HEAD", b"ref: refs/heads/main");
    t.write(".git/info/exclude", b"secret.txt\n");
    t.write("secret.txt", b"excluded by the repository");
    let s = t.snap(None);
    let mut paths: Vec<&str> = s.entries().map(|(p, _)| p).collect();
    paths.sort();
    assert_eq!(
        paths,
        [".git/info/exclude", ".gitignore", "keep.log", "run.log", "secret.txt", "src/main.rs", "sub/.gitignore", "sub/local.txt", "target/debug/app"]
    );
    for ignored in ["run.log", "secret.txt", "sub/local.txt", "target/debug/app"] {
        let e = s.get(ignored).unwrap();
        assert!(e.ignored && e.hash.is_none(), "{ignored} is ignored and not copied");
    }
    for kept in ["keep.log", "src/main.rs", ".gitignore", ".git/info/exclude"] {
        let e = s.get(kept).unwrap();
        assert!(!e.ignored && t.blobs.contains(e.hash.as_ref().unwrap()), "{kept} is copied");
    }
    assert!(!t.blobs.contains(&crate::blobs::hash_bytes(b"binary")));
}

#[test]
fn only_files_whose_metadata_changed_are_read_again() {
    let t = Tree::new();
    for i in 0..20 {
        t.write(&format!("f{i}"), format!("file {i}").as_bytes());
        t.age(&format!("f{i}"));
    }
    // Past the ctime's racy window too.
    std::thread::sleep(Duration::from_millis(150));
    let first = t.snap(None);
    assert_eq!(first.files_read(), 20);
    let second = t.snap(Some(&first));
    assert_eq!(second.files_read(), 0, "nothing changed, nothing read");
    // Same size, mtime put back: the ctime still gives it away.
    let mtime = fs::metadata(t.root.path().join("f3")).unwrap().modified().unwrap();
    t.write("f3", b"FILE 3");
    fs::File::options().write(true).open(t.root.path().join("f3")).unwrap().set_modified(mtime).unwrap();
    let third = t.snap(Some(&second));
    assert_eq!(third.files_read(), 1);
    assert_eq!(kinds(&diff(&second, &third)), [("f3".to_string(), OpKind::Modify)]);
}

#[test]
fn recently_changed_files_are_not_trusted() {
    let t = Tree::new();
    t.write("hot", b"aaaa");
    let first = t.snap(None);
    // Rewritten within the same instant as the snapshot saw it: must not be missed.
    t.write("hot", b"bbbb");
    let second = t.snap(Some(&first));
    assert_eq!(second.files_read(), 1);
    assert_eq!(kinds(&diff(&first, &second)), [("hot".to_string(), OpKind::Modify)]);
}

#[test]
fn files_over_the_cap_are_marked_not_copied() {
    let t = Tree::new();
    t.write("big.bin", &[7u8; 2048]);
    t.write("small.txt", b"ok");
    let options = SnapshotOptions { cap: 1024, exclude: Vec::new() };
    let s = t.snap_with(&options, None);
    let big = s.get("big.bin").unwrap().image();
    assert!(big.too_large && big.hash.is_none() && big.size == 2048);
    assert!(!t.blobs.contains(&crate::blobs::hash_bytes(&[7u8; 2048])));
    assert!(s.get("small.txt").unwrap().hash.is_some());
}

#[test]
fn diff_sees_creates_modifies_deletes_chmods_and_renames() {
    use std::os::unix::fs::PermissionsExt;
    let t = Tree::new();
    t.write("keep", b"same");
    t.write("edit", b"one");
    t.write("gone", b"bye");
    t.write("mode", b"x");
    t.write("dir/old", b"moving content");
    let before = t.snap(None);
    t.write("edit", b"two");
    fs::remove_file(t.root.path().join("gone")).unwrap();
    fs::set_permissions(t.root.path().join("mode"), fs::Permissions::from_mode(0o755)).unwrap();
    fs::create_dir_all(t.root.path().join("else")).unwrap();
    fs::rename(t.root.path().join("dir/old"), t.root.path().join("else/new")).unwrap();
    t.write("fresh", b"");
    std::os::unix::fs::symlink("keep", t.root.path().join("link")).unwrap();
    let after = t.snap(Some(&before));
    let changes = diff(&before, &after);
    assert_eq!(
        kinds(&changes),
        [
            ("edit".to_string(), OpKind::Modify),
            ("else/new".to_string(), OpKind::Rename { from: "dir/old".into() }),
            ("fresh".to_string(), OpKind::Create),
            ("gone".to_string(), OpKind::Delete),
            ("link".to_string(), OpKind::Create),
            ("mode".to_string(), OpKind::Chmod),
        ]
    );
    let link = changes.iter().find(|c| c.path == "link").unwrap().after.clone().unwrap();
    assert_eq!(link.kind, warden_core::journal::FileKind::Symlink);
    assert_eq!(t.blobs.get(link.hash.as_ref().unwrap()).unwrap(), b"keep");
    let chmod = changes.iter().find(|c| c.path == "mode").unwrap();
    assert_eq!(chmod.after.as_ref().unwrap().mode, 0o755);
    assert_ne!(chmod.before.as_ref().unwrap().mode, 0o755);
}

#[test]
fn a_rename_prefers_the_same_inode_among_equal_contents() {
    let t = Tree::new();
    t.write("a/one", b"twin");
    t.write("b/two", b"twin");
    let before = t.snap(None);
    fs::rename(t.root.path().join("b/two"), t.root.path().join("moved")).unwrap();
    fs::remove_file(t.root.path().join("a/one")).unwrap();
    let after = t.snap(Some(&before));
    assert_eq!(
        kinds(&diff(&before, &after)),
        [("a/one".to_string(), OpKind::Delete), ("moved".to_string(), OpKind::Rename { from: "b/two".into() })]
    );
}

#[test]
fn the_data_folder_inside_the_project_is_never_walked() {
    let t = Tree::new();
    t.write("code.rs", b"x");
    t.write(".warden-data/journal/journal.db", b"ours");
    let options = SnapshotOptions { cap: DEFAULT_CAP, exclude: vec![t.root.path().join(".warden-data")] };
    let s = t.snap_with(&options, None);
    assert_eq!(s.entries().map(|(p, _)| p).collect::<Vec<_>>(), ["code.rs"]);
}
