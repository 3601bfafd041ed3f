//! Warden's data at rest is private whatever the umask (issue 14, item 15): the data folder and
//! its subfolders 0700, every file the engine writes 0600 (SQLite's -wal/-shm included), blobs
//! never wider than their source, and an older data folder tightened at start.

use super::*;
use std::os::unix::fs::PermissionsExt;
use warden_engine::Engine;

fn mode(path: &Path) -> u32 {
    fs::symlink_metadata(path).unwrap().permissions().mode() & 0o7777
}

/// Every folder and file below `dir` with its mode (links left out).
fn modes(dir: &Path) -> BTreeMap<String, (bool, u32)> {
    fn walk(dir: &Path, rel: &str, out: &mut BTreeMap<String, (bool, u32)>) {
        for entry in fs::read_dir(dir).unwrap().flatten() {
            let name = entry.file_name().into_string().unwrap();
            let rel = if rel.is_empty() { name } else { format!("{rel}/{name}") };
            let meta = fs::symlink_metadata(entry.path()).unwrap();
            if meta.is_dir() {
                out.insert(rel.clone(), (true, meta.permissions().mode() & 0o7777));
                walk(&entry.path(), &rel, out);
            } else if meta.is_file() {
                out.insert(rel, (false, meta.permissions().mode() & 0o7777));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, "", &mut out);
    out
}

#[test]
fn everything_the_engine_and_the_journal_write_is_private_under_a_0022_umask() {
    // SAFETY: umask has no memory-safety preconditions; 0022 is the usual default, set so the
    // test means the same everywhere.
    unsafe { libc::umask(0o022) };
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let (engine, _) = Engine::open(&data).unwrap();
    engine.store().sessions(None).unwrap();
    // A 0600 key in the project becomes a 0600 blob; a 0644 file too.
    let mut fx = Fixture::in_dirs(tempfile::tempdir().unwrap(), tempfile::TempDir::new_in(root.path()).unwrap(), DEFAULT_CAP);
    let data2 = fx.data.path().to_owned();
    fx.write("id_ed25519", b"-----BEGIN OPENSSH PRIVATE KEY-----\n");
    fx.chmod("id_ed25519", 0o600);
    fx.write("notes.md", b"public");
    let ops = fx.turn("s", 1, |fx| {
        fs::remove_file(fx.path("id_ed25519")).unwrap();
        fx.write("notes.md", b"edited");
    });
    let report = fx.recorder.rollback(&ids(&ops), false).unwrap();
    assert_eq!(mode(&fx.path("id_ed25519")), 0o600, "the project file keeps its own mode");
    drop(report);
    for dir in [&data, &data2] {
        let all = modes(dir);
        assert!(all.keys().any(|p| p.ends_with(".db")), "{all:?}");
        for (path, (is_dir, mode)) in &all {
            let want = if *is_dir { 0o700 } else { 0o600 };
            assert_eq!(*mode, want, "{}/{path}: {mode:o}", dir.display());
        }
    }
    let blobs = modes(&data2.join("journal/blobs"));
    assert!(blobs.values().filter(|(d, _)| !d).count() >= 3, "blobs were written: {blobs:?}");
    // The engine makes the data folder itself private; the journal alone its own folder.
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data2.join("journal")), 0o700);
    // SQLite's side files exist while the store is open, and were among those checked above.
    let all = modes(&data);
    for side in ["sessions.db-wal", "sessions.db-shm", "journal/journal.db-wal", "journal/journal.db-shm"] {
        assert_eq!(all.get(side), Some(&(false, 0o600)), "{side}: {all:?}");
    }
    drop(engine);
}

#[test]
fn an_older_wide_data_folder_is_tightened_at_start() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    for dir in ["journal/blobs/ab", "journal/staging", "logs"] {
        fs::create_dir_all(data.join(dir)).unwrap();
    }
    for file in ["warden.json", "permissions.json", "logs/warden.2026-01-01.log", "journal/blobs/ab/cdef", "journal/moving.lock"] {
        fs::write(data.join(file), b"{}").unwrap();
        fs::set_permissions(data.join(file), fs::Permissions::from_mode(0o644)).unwrap();
    }
    // A session store and journal written by an older version, world-readable.
    drop(Engine::open(&data).unwrap());
    for (path, (is_dir, _)) in modes(&data) {
        let wide = if is_dir { 0o755 } else { 0o644 };
        fs::set_permissions(data.join(path), fs::Permissions::from_mode(wide)).unwrap();
    }
    fs::set_permissions(&data, fs::Permissions::from_mode(0o755)).unwrap();
    for _ in 0..2 {
        drop(Engine::open(&data).unwrap());
        assert_eq!(mode(&data), 0o700);
        for (path, (is_dir, mode)) in modes(&data) {
            assert_eq!(mode, if is_dir { 0o700 } else { 0o600 }, "{path}: {mode:o}");
        }
    }
}
