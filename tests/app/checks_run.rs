//! `warden checks run` on a real project folder: an untrusted project file runs nothing (exit
//! 2), once trusted a check that fails until a marker file exists blocks (exit 3) and then
//! passes (exit 0), a missing command is an error (exit 4), and a changed file is untrusted
//! again. No agent is involved.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A bound on every `warden` run here (each takes well under a second).
const BOUND: Duration = Duration::from_secs(60);

struct Setup {
    project: tempfile::TempDir,
    data: tempfile::TempDir,
}

impl Setup {
    fn new() -> Setup {
        let s = Setup { project: tempfile::tempdir().unwrap(), data: tempfile::tempdir().unwrap() };
        let project = s.project();
        std::fs::create_dir_all(project.join(".warden")).unwrap();
        // Fails until `marker` exists; leaves a trace that it ran at all.
        std::fs::write(
            project.join("check.sh"),
            "touch ran\nif [ -f marker ]; then echo 'marker found'; exit 0; fi\necho 'marker missing' >&2\nexit 1\n",
        )
        .unwrap();
        std::fs::write(
            project.join(".warden/checks.toml"),
            r#"version = 1

[[check]]
id = "marker"
name = "the marker exists"
run = ["sh", "check.sh"]
timeout = "30s"

[[check]]
id = "advisory"
shell = "echo advisory says $CHECK_GREETING; exit 1"
env = { CHECK_GREETING = "hello" }
gate = false

[[check]]
id = "missing"
run = ["warden-no-such-command-4711"]
"#,
        )
        .unwrap();
        s
    }

    fn project(&self) -> PathBuf {
        self.project.path().canonicalize().unwrap()
    }

    /// `warden <args>`, waited for at most [`BOUND`].
    fn warden(&self, args: &[&str]) -> Output {
        let child = Command::new(env!("CARGO_BIN_EXE_warden"))
            .args(args)
            .env("WARDEN_DATA_DIR", self.data.path())
            .env_remove("DISPLAY")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        wait_bounded(child)
    }

    fn checks_run(&self, extra: &[&str]) -> Output {
        let project = self.project();
        let mut args = vec!["checks", "run", "--project", project.to_str().unwrap()];
        args.extend_from_slice(extra);
        self.warden(&args)
    }
}

fn wait_bounded(mut child: std::process::Child) -> Output {
    let deadline = Instant::now() + BOUND;
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!("warden did not finish in {BOUND:?}: {}", text(&out.stdout));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn json_lines(out: &Output) -> Vec<Value> {
    text(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("one JSON object a line")).collect()
}

fn trust(s: &Setup) {
    let project = s.project();
    let out = s.warden(&["checks", "trust", "--project", project.to_str().unwrap(), "--yes"]);
    assert!(out.status.success(), "trust: {}{}", text(&out.stdout), text(&out.stderr));
}

#[test]
fn an_untrusted_project_file_runs_nothing() {
    let s = Setup::new();
    let out = s.checks_run(&[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for id in ["marker", "advisory", "missing"] {
        assert!(stdout.contains(&format!("{id}  not trusted")), "{stdout}");
    }
    assert!(text(&out.stderr).contains("warden checks trust --project"), "{}", text(&out.stderr));
    assert!(!s.project().join("ran").exists(), "the check must not have run");
}

#[test]
fn a_check_that_fails_until_a_marker_exists_blocks_then_passes() {
    let s = Setup::new();
    trust(&s);
    let project = s.project();

    // Everything: the gate check fails (3), whatever the missing command and the advisory say.
    let out = s.checks_run(&[]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("marker  FAILED"), "{stdout}");
    assert!(stdout.contains("missing  ERROR (not found)"), "{stdout}");
    assert!(stdout.contains("advisory (advisory)  FAILED"), "{stdout}");
    assert!(project.join("ran").exists());
    let log = stdout
        .lines()
        .skip_while(|l| !l.starts_with("marker  FAILED"))
        .find_map(|l| l.trim().strip_prefix("log: "))
        .map(PathBuf::from)
        .expect("the marker check's log path");
    assert!(log.starts_with(s.data.path()), "logs live in the data folder: {}", log.display());
    assert_eq!(std::fs::read_to_string(&log).unwrap(), "marker missing\n");

    // The fix: the gate check passes; the advisory one fails without changing the verdict.
    std::fs::write(project.join("marker"), "").unwrap();
    let out = s.checks_run(&["--check", "marker", "--check", "advisory", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 3, "{lines:#?}");
    let marker = lines.iter().find(|l| l["id"] == "marker").expect("marker's line");
    assert_eq!((marker["type"].as_str(), marker["status"].as_str()), (Some("check.completed"), Some("passed")));
    assert_eq!((marker["exitCode"].as_i64(), marker["gate"].as_bool()), (Some(0), Some(true)));
    assert!(marker["durationMs"].is_u64());
    let advisory = lines.iter().find(|l| l["id"] == "advisory").expect("advisory's line");
    assert_eq!((advisory["status"].as_str(), advisory["gate"].as_bool()), (Some("failed"), Some(false)));
    let log = std::fs::read_to_string(advisory["log"].as_str().unwrap()).unwrap();
    assert_eq!(log, "advisory says hello\n", "the check's env reached it");
    assert_eq!(lines[2]["type"], "summary");
    assert_eq!((lines[2]["verdict"].as_str(), lines[2]["exitCode"].as_u64()), (Some("passed"), Some(0)));

    // A command that is not there is an error, not a failure: exit 4.
    let out = s.checks_run(&["--check", "missing", "--json"]);
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stdout));
    let lines = json_lines(&out);
    assert_eq!((lines[0]["status"].as_str(), lines[0]["reason"].as_str()), (Some("error"), Some("not-found")));
    assert_eq!(lines[1]["verdict"], "error");

    // An unknown id runs nothing.
    let out = s.checks_run(&["--check", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no check `nope`"), "{}", text(&out.stderr));

    // A changed project file is not trusted any more.
    let file = project.join(".warden/checks.toml");
    let changed = std::fs::read_to_string(&file).unwrap().replace("exit 1\"", "exit 0\"");
    std::fs::write(&file, changed).unwrap();
    std::fs::remove_file(project.join("ran")).unwrap();
    let out = s.checks_run(&["--check", "marker"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("marker  not trusted"), "{}", text(&out.stdout));
    assert!(!Path::new(&project.join("ran")).exists());
}
