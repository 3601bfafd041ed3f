//! The worktree settings — the setup command trusted exactly like the checks (project file
//! trusted or allowed once, the person's layer always) — and the setup runner with real
//! processes (Unix shells): success, failure with the log's last lines, timeout killing the
//! whole group, a missing program, Stop. Every wait is bounded.

use super::*;
use crate::trust::Decision;
use std::time::Instant;

/// A bound for any one run: far above what it needs, so a slow machine does not fail it, and a
/// hang does not hang the suite.
const BOUND: Duration = Duration::from_secs(30);

struct Setup {
    _dir: tempfile::TempDir,
    project: PathBuf,
    worktree: PathBuf,
    data: PathBuf,
}

/// A project (canonical, as the engine passes it), a worktree folder and a data folder.
fn setup() -> Setup {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = std::fs::canonicalize(dir.path()).expect("canonical");
    let (project, worktree, data) = (root.join("project"), root.join("worktree"), root.join("data"));
    for folder in [&project, &worktree, &data] {
        std::fs::create_dir_all(folder).expect("mkdir");
    }
    Setup { _dir: dir, project, worktree, data }
}

impl Setup {
    fn write_project(&self, text: &str) {
        let file = config::project_file(&self.project);
        std::fs::create_dir_all(file.parent().expect("folder")).expect("mkdir");
        std::fs::write(file, text).expect("write");
    }

    fn write_personal(&self, text: &str) {
        let file = config::personal_file(&self.data, &self.project);
        std::fs::create_dir_all(file.parent().expect("folder")).expect("mkdir");
        std::fs::write(file, text).expect("write");
    }

    fn decide(&self, decision: Decision) {
        let bytes = std::fs::read(config::project_file(&self.project)).expect("read");
        TrustStore::new(&self.data, &self.project).decide(&crate::trust::content_hash(&bytes), decision).expect("decide");
    }

    fn log(&self, name: &str) -> PathBuf {
        self.data.join("logs").join(format!("{name}.log"))
    }

    /// Runs the configured setup (bounded) and says whether it made `ran` in the worktree.
    async fn configured(&self, name: &str) -> (Result<SetupOutcome, SetupError>, bool) {
        let marker = self.worktree.join("ran");
        let _ = std::fs::remove_file(&marker);
        let outcome = tokio::time::timeout(BOUND, run_configured_setup(&self.project, &self.data, &self.worktree, &self.log(name), &Cancel::new()))
            .await
            .expect("bounded");
        (outcome, marker.exists())
    }
}

const PROJECT_SETUP: &str = "version = 1\n[worktree]\nsetup = \"echo from the project > ran\"\ncopy = [\".env\"]\n";

#[tokio::test]
async fn an_untrusted_project_setup_never_runs_and_the_note_says_how_to_trust_it() {
    let s = setup();
    s.write_project(PROJECT_SETUP);
    let settings = settings_of(&s);
    assert_eq!(settings.setup.as_deref(), Some("echo from the project > ran"));
    assert_eq!(settings.copy, vec![".env".to_owned()]);
    assert_eq!(settings.setup_timeout, config::DEFAULT_SETUP_TIMEOUT);
    assert!(!settings.trusted);
    let note = settings.note.expect("a note");
    assert!(note.contains("will not run") && note.contains("warden checks trust") && note.contains("personal layer"), "{note}");
    let (outcome, ran) = s.configured("untrusted").await;
    assert!(matches!(outcome, Ok(SetupOutcome::NotTrusted(ref n)) if *n == note), "{outcome:?}");
    assert!(!ran, "an untrusted project file's setup must not run");

    s.decide(Decision::DontRun);
    let settings = settings_of(&s);
    assert!(!settings.trusted && settings.note.as_deref().is_some_and(|n| n.contains("chose not to run")), "{settings:?}");
    assert!(!s.configured("refused").await.1);
}

#[tokio::test]
async fn a_trusted_project_setup_runs_until_the_file_changes() {
    let s = setup();
    s.write_project(PROJECT_SETUP);
    s.decide(Decision::Trust);
    let settings = settings_of(&s);
    assert!(settings.trusted && settings.note.is_none(), "{settings:?}");
    let (outcome, ran) = s.configured("trusted").await;
    assert!(matches!(outcome, Ok(SetupOutcome::Ran(_))), "{outcome:?}");
    assert!(ran);
    assert!(s.configured("trusted-again").await.1, "trusted for good, not once");

    s.write_project(&format!("{PROJECT_SETUP}# a new line\n"));
    let settings = settings_of(&s);
    assert!(!settings.trusted, "a changed file is untrusted again");
    assert!(settings.note.as_deref().is_some_and(|n| n.contains("changed since you trusted it")), "{settings:?}");
    let (outcome, ran) = s.configured("changed").await;
    assert!(matches!(outcome, Ok(SetupOutcome::NotTrusted(_))), "{outcome:?}");
    assert!(!ran);
}

#[tokio::test]
async fn run_once_lets_the_setup_run_once() {
    let s = setup();
    s.write_project(PROJECT_SETUP);
    s.decide(Decision::RunOnce);
    let settings = settings_of(&s);
    assert!(settings.trusted, "{settings:?}");
    assert!(settings.note.as_deref().is_some_and(|n| n.contains("one run")), "{settings:?}");
    let (outcome, ran) = s.configured("once").await;
    assert!(matches!(outcome, Ok(SetupOutcome::Ran(_))) && ran, "{outcome:?}");
    assert!(!settings_of(&s).trusted, "the one run is used up");
    let (outcome, ran) = s.configured("twice").await;
    assert!(matches!(outcome, Ok(SetupOutcome::NotTrusted(_))) && !ran, "{outcome:?}");
}

fn settings_of(s: &Setup) -> WorktreeSettings {
    settings(&s.project, &s.data).expect("settings")
}

#[tokio::test]
async fn the_persons_own_setup_always_runs_and_can_switch_the_projects_off() {
    let s = setup();
    s.write_project(PROJECT_SETUP);
    s.write_personal("[worktree]\nsetup = \"echo mine > ran\"\nsetup_timeout = \"2m\"\n");
    let settings = settings_of(&s);
    assert_eq!(settings.setup.as_deref(), Some("echo mine > ran"));
    assert!(settings.trusted && settings.note.is_none(), "the project file is not trusted, the person's command is theirs: {settings:?}");
    assert_eq!((settings.copy.len(), settings.setup_timeout), (1, Duration::from_secs(120)));
    let (outcome, ran) = s.configured("personal").await;
    assert!(matches!(outcome, Ok(SetupOutcome::Ran(_))) && ran, "{outcome:?}");
    assert_eq!(std::fs::read_to_string(s.worktree.join("ran")).expect("read"), "mine\n", "ran in the worktree");

    s.write_personal("[worktree]\nsetup = \"\"\n");
    let settings = settings_of(&s);
    assert_eq!((settings.setup, settings.trusted, settings.note), (None, false, None));
    let (outcome, ran) = s.configured("off").await;
    assert!(matches!(outcome, Ok(SetupOutcome::NoCommand)) && !ran, "{outcome:?}");
}

#[tokio::test]
async fn a_configuration_with_errors_gives_no_settings() {
    let s = setup();
    s.write_project("version = 1\n[worktree]\ncopy = [\"../up\"]\n");
    let err = settings(&s.project, &s.data).expect_err("an error");
    assert_eq!(err.0.len(), 1);
    let text = err.to_string();
    assert!(text.contains(".warden/checks.toml:3:9") && text.contains("`..`") && text.contains("not used"), "{text}");
    let (outcome, ran) = s.configured("broken").await;
    assert!(matches!(outcome, Err(SetupError::Settings(_))) && !ran, "{outcome:?}");
    let none = setup();
    assert_eq!(settings_of(&none), WorktreeSettings::default(), "no file at all: nothing to copy, nothing to run");
}

#[test]
fn the_trust_request_shows_the_setup_command() {
    let s = setup();
    s.write_project(PROJECT_SETUP);
    let request = crate::trust::trust_request(&s.project, &s.data).expect("request");
    let setup = request.commands.iter().find(|c| c.id == crate::trust::WORKTREE_SETUP_ID).expect("listed");
    assert_eq!(setup.command, CheckCommand::Shell("echo from the project > ran".to_owned()));
}

#[test]
fn a_setup_log_sits_beside_the_check_logs() {
    let s = setup();
    let log = setup_log_path(&s.data, &s.project);
    assert!(log.starts_with(config::project_logs(&s.data, &s.project)), "{}", log.display());
    assert!(log.file_name().is_some_and(|n| n.to_string_lossy().starts_with("worktree-setup-")));
}

async fn run(s: &Setup, command: &str, timeout: Duration, name: &str) -> Result<SetupRun, SetupError> {
    tokio::time::timeout(BOUND, run_setup(command, &s.worktree, timeout, &s.log(name))).await.expect("bounded")
}

#[cfg(unix)]
#[tokio::test]
async fn a_setup_that_succeeds_runs_in_the_worktree_and_logs_both_streams() {
    let s = setup();
    let done = run(&s, "echo one; echo two >&2; pwd > where", Duration::from_secs(20), "ok").await.expect("success");
    assert_eq!(done.log, s.log("ok"));
    assert_eq!(std::fs::read_to_string(&done.log).expect("log"), "one\ntwo\n");
    assert_eq!(std::fs::read_to_string(s.worktree.join("where")).expect("where").trim(), s.worktree.to_string_lossy());
}

#[cfg(unix)]
#[tokio::test]
async fn a_failing_setup_says_its_exit_code_log_and_last_lines() {
    let s = setup();
    let err = run(&s, "for i in $(seq 1 30); do echo line $i; done; exit 3", Duration::from_secs(20), "fail").await.expect_err("fails");
    let expected: Vec<String> = (11..=30).map(|i| format!("line {i}")).collect();
    assert!(matches!(&err, SetupError::Failed { code: Some(3), last_lines, .. } if *last_lines == expected), "{err:?}");
    assert_eq!(err.log(), Some(s.log("fail").as_path()));
    let text = err.to_string();
    assert!(text.contains("failed with exit code 3") && text.contains(&s.log("fail").display().to_string()), "{text}");
    assert!(text.ends_with("line 29\nline 30") && !text.contains("line 10\n"), "{text}");
}

#[cfg(unix)]
#[tokio::test]
async fn a_missing_program_or_folder_cannot_start() {
    let s = setup();
    let err = run(&s, "warden-no-such-program-here --version", Duration::from_secs(20), "missing").await.expect_err("not found");
    assert!(matches!(&err, SetupError::CouldNotStart { detail, .. } if detail.contains("could not find")), "{err:?}");
    assert!(err.last_lines().iter().any(|l| l.contains("warden-no-such-program-here")), "the shell's own message is quoted: {err:?}");
    let gone = s.worktree.join("gone");
    let err = tokio::time::timeout(BOUND, run_setup("true", &gone, Duration::from_secs(5), &s.log("gone"))).await.expect("bounded").expect_err("no folder");
    assert!(matches!(&err, SetupError::CouldNotStart { detail, .. } if detail.contains("does not exist")), "{err:?}");
}

#[cfg(unix)]
#[tokio::test]
async fn a_setup_past_its_timeout_is_killed_with_its_whole_group() {
    let s = setup();
    let started = Instant::now();
    let err = run(&s, "sleep 60 & echo $! > child.pid; echo waiting; wait", Duration::from_millis(500), "slow").await.expect_err("times out");
    assert!(started.elapsed() < Duration::from_secs(15), "killed soon after the timeout: {:?}", started.elapsed());
    assert!(matches!(&err, SetupError::TimedOut { timeout, last_lines, .. } if *timeout == Duration::from_millis(500) && last_lines == &["waiting".to_owned()]), "{err:?}");
    assert!(err.to_string().contains("ran longer than its 500ms"), "{err}");
    let pid: i32 = std::fs::read_to_string(s.worktree.join("child.pid")).expect("pid").trim().parse().expect("a pid");
    assert!(gone_within(pid, Duration::from_secs(5)), "the grandchild {pid} was killed with the group");
}

#[cfg(unix)]
#[tokio::test]
async fn stop_ends_a_running_setup() {
    let s = setup();
    let cancel = Cancel::new();
    let stopper = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        stopper.cancel();
    });
    let started = Instant::now();
    let err = tokio::time::timeout(BOUND, run_setup_with_cancel("sleep 60", &s.worktree, Duration::from_secs(60), &s.log("stop"), &cancel))
        .await
        .expect("bounded")
        .expect_err("stopped");
    assert!(matches!(err, SetupError::Cancelled { .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(15));
}

/// Whether process `pid` is gone (or a zombie nobody reaped yet: it no longer runs) within `bound`.
#[cfg(unix)]
fn gone_within(pid: i32, bound: Duration) -> bool {
    let deadline = Instant::now() + bound;
    loop {
        // SAFETY: signal 0 only asks whether the process exists; nothing is sent.
        let exists = unsafe { libc::kill(pid, 0) } == 0;
        let zombie = std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| stat.rsplit(')').next().is_some_and(|rest| rest.trim_start().starts_with('Z')));
        if !exists || zombie {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
