//! A rollback's steps carried out when a folder became a link between the plan and the move:
//! every kind of step is refused there, and nothing lands outside.

use super::*;
use std::os::unix::fs::{symlink, PermissionsExt};
use warden_core::session::{SessionId, TurnId};

struct Setup {
    dir: tempfile::TempDir,
    project: PathBuf,
    outside: PathBuf,
    blobs: BlobStore,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    let outside = dir.path().join("outside");
    fs::create_dir_all(project.join("d")).unwrap();
    fs::create_dir_all(&outside).unwrap();
    let blobs = BlobStore::open(&dir.path().join("blobs")).unwrap();
    Setup { dir, project, outside, blobs }
}

fn image(blobs: &BlobStore, bytes: &[u8], mode: u32) -> FileImage {
    FileImage { hash: Some(blobs.put(bytes).unwrap()), size: bytes.len() as u64, mode, kind: FileKind::File, too_large: false }
}

fn step(path: &str, target: Option<FileImage>, backup: Option<FileImage>) -> Step {
    Step { seq: 0, path: path.to_owned(), target, backup, session_id: SessionId::from("s"), turn: TurnId(1) }
}

/// Stages `steps`, swaps `d` for a link to the outside folder, then applies.
fn swap_then_apply(s: &Setup, steps: &[Step]) -> Result<(), JournalError> {
    let root = Beneath::open(&s.project).unwrap();
    let work = Apply::new(&root, &s.dir.path().join("staging"), &s.blobs, RollbackId(1));
    work.stage(steps).unwrap();
    fs::rename(s.project.join("d"), s.dir.path().join("d-moved")).unwrap();
    symlink(&s.outside, s.project.join("d")).unwrap();
    let result = work.apply(steps);
    work.cleanup(steps);
    result
}

fn refused(result: Result<(), JournalError>) {
    assert!(matches!(result, Err(JournalError::Beneath(BeneathError::Linked { .. }))), "{result:?}");
}

#[test]
fn restoring_a_deleted_file_is_refused_through_a_swapped_folder() {
    let s = setup();
    let target = image(&s.blobs, b"[Desktop Entry]\nExec=evil\n", 0o644);
    refused(swap_then_apply(&s, &[step("d/x.desktop", Some(target), None)]));
    assert!(fs::read_dir(&s.outside).unwrap().next().is_none(), "nothing written outside");
}

#[test]
fn removing_a_created_file_never_deletes_through_a_swapped_folder() {
    let s = setup();
    fs::write(s.outside.join("new.txt"), b"the person's file outside").unwrap();
    let created = image(&s.blobs, b"made by the agent", 0o644);
    // Beyond the link there is no file of the project: nothing to remove.
    swap_then_apply(&s, &[step("d/new.txt", None, Some(created))]).unwrap();
    assert_eq!(fs::read(s.outside.join("new.txt")).unwrap(), b"the person's file outside");
}

#[test]
fn modify_and_chmod_steps_are_refused_through_a_swapped_folder() {
    let s = setup();
    for (before, after, mode) in [(&b"old"[..], &b"new"[..], 0o644), (b"same", b"same", 0o755)] {
        let outside_file = s.outside.join("f");
        fs::write(&outside_file, after).unwrap();
        fs::set_permissions(&outside_file, fs::Permissions::from_mode(0o600)).unwrap();
        let target = image(&s.blobs, before, mode);
        let backup = image(&s.blobs, after, 0o600);
        refused(swap_then_apply(&s, &[step("d/f", Some(target), Some(backup))]));
        assert_eq!(fs::read(&outside_file).unwrap(), after);
        assert_eq!(fs::metadata(&outside_file).unwrap().permissions().mode() & 0o777, 0o600);
        fs::remove_file(s.project.join("d")).unwrap();
        fs::rename(s.dir.path().join("d-moved"), s.project.join("d")).unwrap();
        fs::remove_file(&outside_file).unwrap();
    }
}

#[test]
fn nothing_is_read_through_a_linked_folder_and_a_final_link_is_read_as_a_link() {
    let s = setup();
    fs::write(s.outside.join("secret"), b"outside").unwrap();
    symlink(&s.outside, s.project.join("link")).unwrap();
    symlink(s.outside.join("secret"), s.project.join("d/final")).unwrap();
    let root = Beneath::open(&s.project).unwrap();
    assert_eq!(read_image(&root, "link/secret", None).unwrap(), None, "beyond a link is not the project's");
    let image = read_image(&root, "d/final", None).unwrap().unwrap();
    assert_eq!(image.kind, FileKind::Symlink);
    assert_eq!(image.hash, Some(hash_bytes(s.outside.join("secret").as_os_str().as_encoded_bytes())));
}
