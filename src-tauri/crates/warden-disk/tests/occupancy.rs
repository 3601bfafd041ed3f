//! When a database is checked at open: after a clean close never, after a process holding it
//! was killed always, and with several processes at once only by the first. Other processes are
//! this test binary started again on the `child` test, which opens the database the way the
//! stores do and holds it until told to close (or until it is killed).

use rusqlite::Connection;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;
use warden_disk::occupancy::{state_path, Occupancy};
use warden_disk::sqlite;

const CHILD_DB: &str = "WARDEN_DISK_TEST_CHILD_DB";
const CHILD_EXIT: &str = "WARDEN_DISK_TEST_CHILD_EXIT";
/// How long a child may take to open the database (a loaded 2-core machine).
const READY: Duration = Duration::from_secs(60);

/// A database opened as the stores open theirs; the connection is dropped before the occupancy.
struct Db {
    conn: Connection,
    occupancy: Occupancy,
}

fn open(path: &Path) -> Db {
    let mut occupancy = Occupancy::arrive(path);
    let conn = sqlite::open(path, occupancy.needs_check()).expect("opens healthy");
    sqlite::configure(&conn).unwrap();
    conn.execute_batch("CREATE TABLE IF NOT EXISTS t (x TEXT)").unwrap();
    occupancy.settled().unwrap();
    Db { conn, occupancy }
}

/// Whether opening `path` now would check it (and leaves again, cleanly).
fn would_check(path: &Path) -> bool {
    open(path).occupancy.needs_check()
}

/// Not a test of its own: the body of a child process (see the module).
#[test]
fn child() {
    let Some(path) = std::env::var_os(CHILD_DB) else { return };
    let db = open(Path::new(&path));
    db.conn.execute("INSERT INTO t VALUES ('from a child')", []).unwrap();
    println!("ready checked={}", db.occupancy.needs_check());
    std::io::stdout().flush().unwrap();
    // Bounded: a parent that never answers does not leave this process behind.
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = std::io::stdin().read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx.recv_timeout(Duration::from_secs(120)).unwrap_or_default();
    if std::env::var_os(CHILD_EXIT).is_some() {
        // As the window ends: exit() from the event loop, nothing dropped.
        std::mem::forget(db);
        println!("closed");
        std::process::exit(0);
    }
    assert_eq!(line.trim(), "close");
    drop(db);
    println!("closed");
}

/// A child process holding the database at `path` open.
struct Holder {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::Receiver<String>,
    /// Whether it checked the database when it opened it.
    checked: bool,
}

fn hold(path: &Path, exit: bool) -> Holder {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["--exact", "child", "--nocapture", "--test-threads=1"])
        .env(CHILD_DB, path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if exit {
        command.env(CHILD_EXIT, "1");
    }
    let mut child = command.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let stdin = child.stdin.take();
    let mut holder = Holder { child, stdin, lines, checked: false };
    let ready = holder.wait_for("ready checked=");
    holder.checked = ready.ends_with("true");
    holder
}

impl Holder {
    fn wait_for(&mut self, prefix: &str) -> String {
        loop {
            match self.lines.recv_timeout(READY) {
                // libtest prints "test child ... " before the child's first line.
                Ok(line) if line.contains(prefix) => return line,
                Ok(_) => {}
                Err(e) => {
                    let _ = self.child.kill();
                    panic!("the child did not print {prefix:?} ({e})");
                }
            }
        }
    }

    /// Tells it to close (or, made with `exit`, to exit without closing) and waits for the end.
    fn close(mut self) {
        writeln!(self.stdin.take().unwrap(), "close").unwrap();
        self.wait_for("closed");
        assert!(self.child.wait().unwrap().success());
    }

    /// SIGKILL: nothing of the process runs after it.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

fn fresh() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.db");
    (dir, path)
}

#[test]
fn a_clean_close_skips_the_check_at_the_next_open() {
    let (_dir, path) = fresh();
    assert!(would_check(&path), "a database without a state is checked (a new one, or one from before)");
    assert!(!would_check(&path), "closed cleanly: no check");
    let db = open(&path);
    db.conn.execute("INSERT INTO t VALUES ('a')", []).unwrap();
    drop(db);
    assert!(!would_check(&path), "written and closed cleanly: no check");
    assert!(std::fs::read_to_string(state_path(&path)).unwrap().starts_with("clean "));
}

#[test]
fn a_process_killed_while_holding_the_database_makes_the_next_open_check() {
    let (_dir, path) = fresh();
    drop(open(&path));
    let holder = hold(&path, false);
    assert!(!holder.checked, "the child found it closed cleanly");
    holder.kill();
    assert_eq!(std::fs::read_to_string(state_path(&path)).unwrap(), "in use\n");
    assert!(would_check(&path), "killed: the next open checks");
    assert!(!would_check(&path), "and once checked and closed, the one after does not");
}

#[test]
fn a_process_that_exits_without_closing_counts_as_a_clean_end() {
    let (_dir, path) = fresh();
    drop(open(&path));
    let holder = hold(&path, true);
    holder.close();
    assert!(!would_check(&path), "exit() with the database open (as the window ends) is clean");
    let rows: i64 = Connection::open(&path).unwrap().query_row("SELECT count(*) FROM t", [], |r| r.get(0)).unwrap();
    assert_eq!(rows, 1, "its row is there");
}

#[test]
fn a_damaged_page_after_a_kill_is_found_and_checked_again_until_handled() {
    let (_dir, path) = fresh();
    let db = open(&path);
    db.conn.execute_batch("CREATE TABLE big (b BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO big SELECT randomblob(200) FROM n;").unwrap();
    drop(db);
    let pages = std::fs::metadata(&path).unwrap().len() / 4096;
    assert!(pages > 100, "{pages} pages");
    let holder = hold(&path, false);
    holder.kill();
    // A page in the middle of `big` (not one the child wrote, which the WAL would replace).
    let mut bytes = std::fs::read(&path).unwrap();
    let page = (pages / 2) as usize * 4096;
    bytes[page..page + 4096].fill(0xA5);
    std::fs::write(&path, bytes).unwrap();

    let occupancy = Occupancy::arrive(&path);
    assert!(occupancy.needs_check());
    let err = sqlite::open(&path, true).expect_err("quick_check finds the damage");
    assert!(err.to_string().contains("corrupt") || err.to_string().contains("Page"), "{err}");
    drop(occupancy); // never settled: the open failed
    let again = Occupancy::arrive(&path);
    assert!(again.needs_check(), "a failed check is not forgotten: the next open checks again");
}

#[test]
fn two_processes_at_once_check_at_most_once() {
    let (_dir, path) = fresh();
    drop(open(&path));
    // Clean: neither the child nor this process checks, and each sees the other.
    let a = hold(&path, false);
    assert!(!a.checked);
    let here = open(&path);
    assert!(!here.occupancy.needs_check(), "a second process does not check");
    drop(here); // not the last: the state stays "in use"
    assert!(std::fs::read_to_string(state_path(&path)).unwrap().starts_with("in use"));
    a.close(); // the last: clean
    assert!(!would_check(&path), "both closed cleanly: no check");

    // After a kill, two starting together: exactly one checks, the other waits for it.
    hold(&path, false).kill();
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| hold(&path, false));
        let b = s.spawn(|| hold(&path, false));
        (a.join().unwrap(), b.join().unwrap())
    });
    assert_eq!([a.checked, b.checked].iter().filter(|c| **c).count(), 1, "a {} b {}", a.checked, b.checked);
    let here = open(&path);
    assert!(!here.occupancy.needs_check(), "a third one, while they run, does not check");
    drop(here);
    a.close();
    b.close();
    assert!(!would_check(&path), "all closed cleanly: no check");
}

#[test]
fn where_no_state_can_be_kept_every_open_checks_as_before() {
    let (_dir, path) = fresh();
    std::fs::create_dir(state_path(&path)).unwrap(); // a folder where the state file would go
    assert!(would_check(&path));
    assert!(would_check(&path), "nothing recorded: checked again");
}
