//! Who has a database open, and whether the last of them closed it cleanly: what decides if a
//! database is checked (`PRAGMA quick_check`, which reads the whole file) before it is used.
//!
//! A check after every start made start-up grow with the history. It is only needed when the
//! previous use ended badly: a process killed, the machine losing power, a check that failed.
//! Several processes share the data folder (the window, `warden run`, `warden serve`), so "the
//! previous use" is the whole group of processes that had the database open until the last one
//! left. Beside each database `<name>.state` records it, guarded by an advisory lock
//! (`flock` on Unix, `LockFileEx` on Windows) that the kernel releases when a process dies:
//!
//! - Each process holds a shared lock while it has the database open.
//! - The first to arrive (it gets the exclusive lock: nobody else has the database open) reads
//!   the state. `clean` with the database file's size and modification time as they are now
//!   means the last process left cleanly and nothing touched the file since: no check.
//!   Anything else (`in use` left by a process that died, a failed check, no state at all, a
//!   file changed since) means a check. It writes `in use`, checks while still holding the
//!   exclusive lock (others wait for the verdict), then keeps a shared lock.
//! - A process arriving while others have it open (only a shared lock is free) does not check:
//!   the first one did, and they are still running.
//! - The last to leave (it gets the exclusive lock again) writes `clean`; the others leave
//!   `in use` to it. A process that dies writes nothing, and `in use` stays for the next one.
//!
//! Leaving happens when the [`Occupancy`] is dropped, after the connection (the owner declares
//! it last), and at a normal process exit on Unix: the window's event loop ends the process with
//! `exit()`, which never drops what the app holds, so an `atexit` handler leaves for every
//! occupancy still open. Leaving then, with the connection still open, is still clean: a process
//! that ends (however it ends) cannot damage a WAL database; what the check is for is a process
//! or machine that stopped in the middle of its work.

use std::fs::{File, TryLockError};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

/// How long a process waits for another one to finish checking (or leaving) the database. A
/// check of a database of a few GB takes seconds; past this the open fails with a clear error.
const WAIT: Duration = Duration::from_secs(120);
/// Between two tries while another process holds the exclusive lock.
const RETRY: Duration = Duration::from_millis(20);
/// What the state file says while the database is open (or after its users died).
const IN_USE: &str = "in use\n";

/// This process's use of one database, from before it is opened until it is closed; see the
/// module. Keep it next to the connection, declared after it, so it is dropped last.
pub struct Occupancy {
    inner: Arc<Mutex<Inner>>,
    needs_check: bool,
}

impl std::fmt::Debug for Occupancy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Occupancy").field("db", &lock(&self.inner).db).field("needs_check", &self.needs_check).finish()
    }
}

struct Inner {
    /// The state file, locked; `None` once left.
    file: Option<File>,
    db: PathBuf,
    stage: Stage,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Holding the exclusive lock (first to arrive) or a shared one, not yet settled: leaving
    /// now (a failed check or open) must not mark the database clean.
    Arriving,
    /// Open and settled: the last to leave from here marks it clean.
    Open,
}

/// Every occupancy still open in this process, for the `atexit` handler.
static OPEN: Mutex<Vec<Weak<Mutex<Inner>>>> = Mutex::new(Vec::new());

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The state file of the database at `db`: `<name>.state` beside it.
pub fn state_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".state");
    db.with_file_name(name)
}

impl Occupancy {
    /// Joins the processes that have the database at `db` open, waiting (bounded) while another
    /// one checks it; [`needs_check`](Self::needs_check) says whether this one must check it.
    /// Call [`settled`](Self::settled) once the database is checked and open.
    ///
    /// Never fails: where the state cannot be kept (a file system without locks, a process
    /// checking for over two minutes) the database is checked at every open, as before, and
    /// this process's use is not recorded.
    pub fn arrive(db: &Path) -> Occupancy {
        Self::try_arrive(db).unwrap_or_else(|e| {
            tracing::warn!(db = %db.display(), "cannot record who has the database open ({e}); checking it at every open");
            Occupancy { inner: Arc::new(Mutex::new(Inner { file: None, db: db.to_owned(), stage: Stage::Open })), needs_check: true }
        })
    }

    fn try_arrive(db: &Path) -> io::Result<Occupancy> {
        let path = state_path(db);
        let mut file = open_state(&path)?;
        let deadline = Instant::now() + WAIT;
        loop {
            match file.try_lock() {
                Ok(()) => {
                    // Alone: the previous users are all gone; how did the last one leave?
                    let needs_check = !is_clean(&read(&mut file)?, db);
                    write(&mut file, IN_USE, Sync::Yes)?;
                    return Ok(Self::register(file, db, needs_check));
                }
                Err(TryLockError::WouldBlock) => {}
                Err(TryLockError::Error(e)) => return Err(e),
            }
            match file.try_lock_shared() {
                Ok(()) => {
                    // Others have it open, and they wrote `in use` when the first of them came.
                    // `clean` means they all left between the two tries: start over, to be
                    // the first and write `in use` (a shared holder cannot write).
                    if read(&mut file)?.starts_with("clean") {
                        file.unlock()?;
                    } else {
                        return Ok(Self::register(file, db, false));
                    }
                }
                Err(TryLockError::WouldBlock) => {}
                Err(TryLockError::Error(e)) => return Err(e),
            }
            if Instant::now() >= deadline {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("{} is being checked or closed by another Warden process for over {} s", db.display(), WAIT.as_secs()),
                ));
            }
            std::thread::sleep(RETRY);
        }
    }

    fn register(file: File, db: &Path, needs_check: bool) -> Occupancy {
        let inner = Arc::new(Mutex::new(Inner { file: Some(file), db: db.to_owned(), stage: Stage::Arriving }));
        let mut open = lock(&OPEN);
        open.retain(|w| w.strong_count() > 0);
        open.push(Arc::downgrade(&inner));
        drop(open);
        at_exit::install();
        Occupancy { inner, needs_check }
    }

    /// Whether the previous use did not end cleanly (or nothing says it did), so this process
    /// must check the database before using it. Only the first process to arrive is told so.
    pub fn needs_check(&self) -> bool {
        self.needs_check
    }

    /// The database is checked (when needed) and open: let other processes in, and from now on
    /// the last one to leave marks it clean.
    pub fn settled(&mut self) -> io::Result<()> {
        let mut inner = lock(&self.inner);
        if inner.stage == Stage::Arriving {
            if let Some(file) = &inner.file {
                downgrade(file)?;
            }
            inner.stage = Stage::Open;
        }
        Ok(())
    }

    /// Leaves now (see [`leave`]): for an owner that closes its connection before it is dropped.
    pub fn leave(&self) {
        leave(&mut lock(&self.inner));
    }
}

impl Drop for Occupancy {
    fn drop(&mut self) {
        self.leave();
    }
}

/// Leaves the database: the last process out writes `clean` with the file's size and time, the
/// others (and one that never settled, whose check or open failed) leave the state as it is.
/// Failures are logged, never raised: the worst outcome is a needless check at the next start.
fn leave(inner: &mut Inner) {
    let Some(mut file) = inner.file.take() else { return };
    if inner.stage != Stage::Open {
        return;
    }
    match upgrade(&file) {
        Ok(true) => {
            if let Err(e) = write(&mut file, &clean_line(&inner.db), Sync::No) {
                tracing::warn!(db = %inner.db.display(), "could not mark the database closed cleanly ({e}); it is checked at the next start");
            }
        }
        Ok(false) => {}
        Err(e) => tracing::warn!(db = %inner.db.display(), "could not lock {} ({e})", state_path(&inner.db).display()),
    }
    // Closing the file releases its lock.
}

/// `clean <size> <modified, ns since the epoch>` of the database file as it is now.
fn clean_line(db: &Path) -> String {
    let (len, modified) = identity(db).unwrap_or((0, 0));
    format!("clean {len} {modified}\n")
}

fn identity(db: &Path) -> Option<(u64, u128)> {
    let meta = std::fs::metadata(db).ok()?;
    let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos();
    Some((meta.len(), modified))
}

/// Whether the state says the last user left cleanly and the database file is as it left it.
fn is_clean(state: &str, db: &Path) -> bool {
    let mut words = state.split_whitespace();
    if words.next() != Some("clean") {
        return false;
    }
    let recorded = (words.next().and_then(|w| w.parse().ok()), words.next().and_then(|w| w.parse().ok()));
    match (recorded, identity(db)) {
        ((Some(len), Some(modified)), Some(now)) => (len, modified) == now,
        _ => false,
    }
}

fn open_state(path: &Path) -> io::Result<File> {
    let mut options = File::options();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(crate::private::FILE_MODE);
    }
    options.open(path)
}

fn read(file: &mut File) -> io::Result<String> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0))?;
    // Only the first line matters; a state file is a few dozen bytes.
    Read::by_ref(file).take(256).read_to_string(&mut text).or_else(|e| if e.kind() == io::ErrorKind::InvalidData { Ok(0) } else { Err(e) })?;
    Ok(text)
}

/// Whether a state is forced to the disk before going on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sync {
    /// `in use`: on the disk before the database is changed, so a machine that stops while it is
    /// in use leaves `in use` behind, whatever reached the disk of the database.
    Yes,
    /// `clean`: written when the database is closed, and not waited for (an fdatasync per
    /// database on the way out of every `warden run`). Safe because losing it can only cost a
    /// check: the state file then holds `in use` (the durable state of the open), nothing or
    /// a torn line, and each of those means a check at the next start; a `clean` line that did
    /// reach the disk names the database file's size and time, which a machine that lost the
    /// database's last writes does not match either. Nothing else is ordered after it: by then
    /// the database is closed (SQLite's last close checkpoints and syncs it), and with the
    /// connection still open (the `atexit` path) the WAL is whole after any crash of the
    /// process, which is all `clean` claims.
    No,
}

fn write(file: &mut File, text: &str, sync: Sync) -> io::Result<()> {
    file.set_len(0)?;
    file.seek(SeekFrom::Start(0))?;
    file.write_all(text.as_bytes())?;
    match sync {
        Sync::Yes => file.sync_data(),
        Sync::No => Ok(()),
    }
}

/// Exclusive → shared. On Unix `flock` converts in one step (no other process can take the
/// exclusive lock in between); elsewhere it is released and taken again, and a process that
/// arrives in that instant merely checks once more than needed.
fn downgrade(file: &File) -> io::Result<()> {
    #[cfg(not(unix))]
    file.unlock()?;
    file.lock_shared()
}

/// Shared → exclusive without waiting: `Ok(true)` when this process is the last one.
fn upgrade(file: &File) -> io::Result<bool> {
    #[cfg(not(unix))]
    file.unlock()?;
    match file.try_lock() {
        Ok(()) => Ok(true),
        Err(TryLockError::WouldBlock) => Ok(false),
        Err(TryLockError::Error(e)) => Err(e),
    }
}

/// Leaves every occupancy still open when the process exits normally (see the module).
#[cfg(unix)]
mod at_exit {
    use std::sync::Once;

    static INSTALLED: Once = Once::new();

    pub(super) fn install() {
        INSTALLED.call_once(|| {
            // SAFETY: `atexit` only stores the function pointer; `leave_all` never unwinds.
            let failed = unsafe { libc::atexit(leave_all) } != 0;
            if failed {
                tracing::warn!("no exit handler: databases are checked after every start");
            }
        });
    }

    extern "C" fn leave_all() {
        let open: Vec<_> = super::lock(&super::OPEN).drain(..).filter_map(|w| w.upgrade()).collect();
        for inner in open {
            super::leave(&mut super::lock(&inner));
        }
    }
}

/// Windows ends a process without running `atexit` handlers registered this way; there only a
/// dropped [`Occupancy`] leaves cleanly, and a window that exits is checked at its next start.
#[cfg(not(unix))]
mod at_exit {
    pub(super) fn install() {}
}
