//! Reaching paths beneath a root on a real temporary tree, with links put in the way.

use super::*;
use std::fs;
use std::os::unix::fs::symlink;

struct Setup {
    dir: tempfile::TempDir,
    root: PathBuf,
    outside: PathBuf,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("project");
    let outside = dir.path().join("outside");
    fs::create_dir_all(root.join("a/b")).unwrap();
    fs::create_dir_all(root.join("inside")).unwrap();
    fs::create_dir_all(&outside).unwrap();
    Setup { dir, root, outside }
}

fn linked(result: Result<Option<Parent<'_>>, BeneathError>) -> Option<String> {
    match result {
        Err(BeneathError::Linked { folder, .. }) => Some(folder),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_link_anywhere_among_the_folders_is_refused_for_reading_and_writing() {
    let s = setup();
    // The immediate parent, a grandparent, and a link to a folder inside the project.
    symlink(&s.outside, s.root.join("d")).unwrap();
    symlink(&s.outside, s.root.join("a/b/e")).unwrap();
    fs::rename(s.root.join("a"), s.root.join("real-a")).unwrap();
    symlink(s.root.join("real-a"), s.root.join("a")).unwrap();
    symlink("inside", s.root.join("relative")).unwrap();
    let root = Beneath::open(&s.root).unwrap();
    let cases = [("d/x.desktop", "d"), ("d/deeper/x", "d"), ("a/b/x", "a"), ("real-a/b/e/x", "real-a/b/e"), ("relative/x", "relative")];
    for (rel, folder) in cases {
        // Writing is refused; for reading, what lies beyond a link is not the project's.
        assert_eq!(linked(root.parent(rel, true)).as_deref(), Some(folder), "{rel}");
        assert!(root.parent(rel, false).unwrap().is_none(), "{rel}");
        assert_eq!(root.linked_folder(rel).unwrap().as_deref(), Some(folder), "{rel}");
    }
    assert!(fs::read_dir(&s.outside).unwrap().next().is_none(), "nothing was created outside");
    assert!(root.parent("real-a/b/x", false).unwrap().is_some(), "real folders are fine");
    assert_eq!(root.linked_folder("real-a/b/x").unwrap(), None);
    assert_eq!(root.linked_folder("missing/x").unwrap(), None);
}

#[test]
fn a_file_where_a_folder_was_means_nothing_is_there_and_cannot_be_written_through() {
    let s = setup();
    fs::write(s.root.join("f"), b"a file").unwrap();
    let root = Beneath::open(&s.root).unwrap();
    assert!(root.parent("f/x", false).unwrap().is_none());
    assert!(root.parent("missing/x", false).unwrap().is_none());
    assert_eq!(linked(root.parent("f/x", true)).as_deref(), Some("f"));
    let made = root.parent("new/deep/x", true).unwrap().unwrap();
    assert!(s.root.join("new/deep").is_dir(), "missing folders are made for writing");
    assert_eq!(made.found().unwrap(), None);
}

#[test]
fn paths_that_are_not_plainly_inside_are_refused() {
    let s = setup();
    let root = Beneath::open(&s.root).unwrap();
    for rel in ["", "/etc/passwd", "../outside/x", "a/../../x", "a/./x", "a//x", "a/"] {
        assert!(matches!(root.parent(rel, true), Err(BeneathError::NotInside(_))), "{rel:?}");
    }
}

#[test]
fn a_link_as_the_last_component_is_replaced_or_removed_never_followed() {
    let s = setup();
    let target = s.outside.join("precious");
    fs::write(&target, b"outside").unwrap();
    symlink(&target, s.root.join("a/x")).unwrap();
    let root = Beneath::open(&s.root).unwrap();
    let parent = root.parent("a/x", false).unwrap().unwrap();
    assert_eq!(parent.found().unwrap(), Some(Found::Symlink));
    assert_eq!(parent.read_link().unwrap(), target.as_os_str().as_encoded_bytes());
    assert!(parent.open_file().is_err(), "a link is not opened as the file");
    let staged = s.dir.path().join("staged");
    fs::write(&staged, b"restored").unwrap();
    parent.rename_from(&staged).unwrap();
    assert_eq!(fs::read(s.root.join("a/x")).unwrap(), b"restored");
    assert!(!fs::symlink_metadata(s.root.join("a/x")).unwrap().file_type().is_symlink());
    assert_eq!(fs::read(&target).unwrap(), b"outside");
    symlink(&target, s.root.join("a/y")).unwrap();
    assert!(root.parent("a/y", false).unwrap().unwrap().unlink().unwrap());
    assert_eq!(fs::read(&target).unwrap(), b"outside", "the link went, not its target");
}

#[test]
fn a_folder_swapped_for_a_link_after_the_walk_cannot_redirect_the_write() {
    let s = setup();
    let root = Beneath::open(&s.root).unwrap();
    let parent = root.parent("a/b/x", false).unwrap().unwrap();
    // The race: between reaching the folder and writing, `a` becomes a link to outside.
    fs::rename(s.root.join("a"), s.root.join("moved")).unwrap();
    symlink(&s.outside, s.root.join("a")).unwrap();
    let staged = s.dir.path().join("staged");
    fs::write(&staged, b"restored").unwrap();
    parent.rename_from(&staged).unwrap();
    assert!(fs::read_dir(&s.outside).unwrap().next().is_none(), "nothing written outside");
    assert_eq!(fs::read(s.root.join("moved/b/x")).unwrap(), b"restored", "it went to the real folder");
    let temp = parent.create_temp(".x.tmp").unwrap();
    drop(temp);
    parent.rename_temp(".x.tmp").unwrap();
    assert!(fs::read_dir(&s.outside).unwrap().next().is_none());
    // And the emptied folders are removed from the real chain, never through the link.
    assert!(parent.unlink().unwrap());
    parent.remove_emptied_folders();
    assert!(!s.root.join("moved/b").exists());
    assert!(s.outside.is_dir());
}
