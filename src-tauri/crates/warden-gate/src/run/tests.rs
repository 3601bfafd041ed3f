//! The runner with real processes (Unix shells): pass, fail, timeout with a grandchild, not
//! found, Stop, `after`, env and folder, parser errors, the log cap. Every wait is bounded.

use super::*;
use crate::parse::Counts;
use std::path::Path;
use std::time::Instant;

/// A bound for any one test's run: far above what it needs, so a slow machine does not fail
/// it, and a hang does not hang the suite.
const BOUND: Duration = Duration::from_secs(30);

struct Project {
    dir: tempfile::TempDir,
    options: RunOptions,
}

fn project() -> Project {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("project");
    std::fs::create_dir_all(root.join("sub")).expect("mkdir");
    let options = RunOptions { project: root, log_dir: dir.path().join("logs"), log_cap: DEFAULT_LOG_CAP, log_stamp: None };
    Project { dir, options }
}

fn shell(id: &str, line: &str) -> CheckToRun {
    CheckToRun {
        id: id.to_string(),
        command: CheckCommand::Shell(line.to_string()),
        cwd: ".".to_string(),
        env: BTreeMap::new(),
        timeout: Duration::from_secs(20),
        parser: Parser::ExitCode,
        gate: true,
        after: Vec::new(),
    }
}

async fn one(check: &CheckToRun, options: &RunOptions) -> CheckResult {
    tokio::time::timeout(BOUND, run_check(check, options, &Cancel::new())).await.expect("bounded")
}

fn log_text(result: &CheckResult) -> String {
    std::fs::read_to_string(result.log.as_ref().expect("a log")).expect("read log")
}

fn reason(result: &CheckResult) -> Option<ErrorReason> {
    match &result.status {
        CheckStatus::Error { reason, .. } => Some(*reason),
        _ => None,
    }
}

#[tokio::test]
async fn a_passing_check_streams_stdout_and_stderr_in_order() {
    let p = project();
    let result = one(&shell("ok", "echo one; echo two >&2; echo three"), &p.options).await;
    assert_eq!(result.status, CheckStatus::Passed);
    assert_eq!(result.exit_code, Some(0));
    assert_eq!(log_text(&result), "one\ntwo\nthree\n");
    assert!(result.log.as_ref().is_some_and(|l| l.starts_with(p.dir.path().join("logs"))));
}

#[tokio::test]
async fn an_announced_log_is_written_while_the_check_runs() {
    let mut p = project();
    p.options.log_stamp = Some(7);
    let announced = p.options.log_path("slow one").expect("named in advance");
    assert_eq!(announced, p.dir.path().join("logs").join("slow_one-7.log"));
    let marker = p.dir.path().join("go");
    let line = format!("echo started; while [ ! -f '{}' ]; do sleep 0.05; done; echo ended", marker.display());
    let check = shell("slow one", &line);
    let run = tokio::spawn({
        let options = p.options.clone();
        async move { tokio::time::timeout(BOUND, run_check(&check, &options, &Cancel::new())).await.expect("bounded") }
    });
    let deadline = Instant::now() + BOUND;
    while std::fs::read_to_string(&announced).unwrap_or_default() != "started\n" {
        assert!(Instant::now() < deadline, "the output never reached the announced log while the check ran");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    std::fs::write(&marker, "").expect("marker");
    let result = run.await.expect("joined");
    assert_eq!(result.status, CheckStatus::Passed);
    assert_eq!(result.log.as_deref(), Some(announced.as_path()));
    assert_eq!(log_text(&result), "started\nended\n");
}

#[tokio::test]
async fn a_failing_check_fails_with_its_exit_code() {
    let p = project();
    let result = one(&shell("bad", "echo nope; exit 3"), &p.options).await;
    assert_eq!(result.status, CheckStatus::Failed);
    assert_eq!(result.exit_code, Some(3));
    assert!(result.findings.is_empty(), "exit-code gives no findings");
}

#[cfg(unix)]
fn gone(pid: i32) -> bool {
    // A zombie (reparented to an init that does not reap, as in some containers) is gone too.
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat.rsplit_once(") ").is_some_and(|(_, rest)| rest.starts_with('Z')),
        Err(_) => unsafe { libc::kill(pid, 0) != 0 },
    }
}

#[cfg(unix)]
#[tokio::test]
async fn a_timeout_kills_the_whole_group_with_its_grandchild() {
    let p = project();
    let mut check = shell("slow", "sleep 300 & echo $! > grandchild.pid; echo started; wait");
    check.timeout = Duration::from_secs(2);
    let started = Instant::now();
    let result = one(&check, &p.options).await;
    assert_eq!(reason(&result), Some(ErrorReason::TimedOut), "{result:?}");
    assert!(started.elapsed() < Duration::from_secs(15), "bounded by timeout + grace + drain");
    assert!(log_text(&result).contains("started"));
    let pid: i32 = std::fs::read_to_string(p.options.project.join("grandchild.pid"))
        .expect("pid file")
        .trim()
        .parse()
        .expect("a pid");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !gone(pid) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(gone(pid), "the grandchild {pid} survived the timeout");
}

#[tokio::test]
async fn a_missing_command_is_an_error_not_a_failure() {
    let p = project();
    let mut argv = shell("argv", "");
    argv.command = CheckCommand::Argv(vec!["warden-no-such-command-4711".to_string(), "--x".to_string()]);
    let result = one(&argv, &p.options).await;
    assert_eq!(reason(&result), Some(ErrorReason::NotFound), "{result:?}");
    let result = one(&shell("sh", "warden-no-such-command-4711 --x"), &p.options).await;
    assert_eq!(reason(&result), Some(ErrorReason::NotFound), "{result:?}");
    assert!(log_text(&result).contains("not found"), "the shell's message is in the log");
}

#[cfg(unix)]
#[tokio::test]
async fn stop_cancels_running_and_waiting_checks() {
    let p = project();
    let cancel = Cancel::new();
    let first = shell("first", "echo $$ > first.pid; sleep 300");
    let mut second = shell("second", "echo should not run");
    second.after = vec!["first".to_string()];
    let stopper = {
        let cancel = cancel.clone();
        let pid_file = p.options.project.join("first.pid");
        tokio::spawn(async move {
            let deadline = Instant::now() + BOUND;
            while !pid_file.exists() && Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            cancel.cancel();
        })
    };
    let mut seen = Vec::new();
    let results =
        tokio::time::timeout(BOUND, run_checks(vec![first, second], &p.options, &cancel, |r| seen.push(r.id.clone())))
            .await
            .expect("bounded");
    stopper.await.expect("stopper");
    assert_eq!(reason(&results[0]), Some(ErrorReason::Cancelled), "{:?}", results[0]);
    assert_eq!(reason(&results[1]), Some(ErrorReason::Cancelled), "{:?}", results[1]);
    assert_eq!(seen, ["first", "second"]);
    let pid: i32 = std::fs::read_to_string(p.options.project.join("first.pid")).expect("pid").trim().parse().expect("pid");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !gone(pid) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(gone(pid));
}

#[tokio::test]
async fn checks_run_in_parallel_unless_ordered_by_after() {
    let p = project();
    // Each waits for the other's flag: both pass only when they run at the same time.
    let wait_for = |mine: &str, other: &str| {
        format!("touch {mine}; i=0; while [ ! -f {other} ]; do i=$((i+1)); [ $i -gt 200 ] && exit 1; sleep 0.05; done")
    };
    let x = shell("x", &wait_for("x.flag", "y.flag"));
    let y = shell("y", &wait_for("y.flag", "x.flag"));
    // `late` comes after both and sees their flags; `never` comes after a failing check.
    let mut late = shell("late", "test -f x.flag && test -f y.flag && echo late >> order.txt");
    late.after = vec!["x".to_string(), "y".to_string(), "not-in-this-run".to_string()];
    let broken = shell("broken", "exit 1");
    let mut never = shell("never", "echo never >> order.txt");
    never.after = vec!["broken".to_string()];
    let mut never2 = shell("never2", "echo never2 >> order.txt");
    never2.after = vec!["never".to_string()];
    let results = tokio::time::timeout(
        BOUND,
        run_checks(vec![never2, late, x, y, never, broken], &p.options, &Cancel::new(), |_| {}),
    )
    .await
    .expect("bounded");
    let ids: Vec<_> = results.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["never2", "late", "x", "y", "never", "broken"], "results keep the given order");
    assert_eq!(results[2].status, CheckStatus::Passed, "x: {}", log_text(&results[2]));
    assert_eq!(results[3].status, CheckStatus::Passed);
    assert_eq!(results[1].status, CheckStatus::Passed, "late ran after x and y");
    assert_eq!(results[4].status, CheckStatus::Skipped { reason: "`broken` failed".to_string() });
    assert_eq!(results[0].status, CheckStatus::Skipped { reason: "`never` was skipped".to_string() });
    let order = std::fs::read_to_string(p.options.project.join("order.txt")).expect("order");
    assert_eq!(order, "late\n");
}

#[tokio::test]
async fn a_circle_of_after_is_skipped_not_waited_on() {
    let p = project();
    let mut a = shell("a", "true");
    a.after = vec!["b".to_string()];
    let mut b = shell("b", "true");
    b.after = vec!["a".to_string()];
    let results = tokio::time::timeout(BOUND, run_checks(vec![a, b], &p.options, &Cancel::new(), |_| {}))
        .await
        .expect("bounded");
    assert!(results.iter().all(|r| matches!(&r.status, CheckStatus::Skipped { reason } if reason.contains("circle"))));
}

#[tokio::test]
async fn env_and_folder_apply_and_the_folder_stays_inside_the_project() {
    let p = project();
    let mut check = shell("env", "pwd; echo \"$WARDEN_TEST_VALUE\"");
    check.cwd = "sub".to_string();
    check.env.insert("WARDEN_TEST_VALUE".to_string(), "forty two".to_string());
    let result = one(&check, &p.options).await;
    assert_eq!(result.status, CheckStatus::Passed);
    let text = log_text(&result);
    let canonical = std::fs::canonicalize(p.options.project.join("sub")).expect("canonical");
    assert_eq!(text, format!("{}\nforty two\n", canonical.display()));

    // argv form, a relative program means the check's folder.
    let script = p.options.project.join("sub/check.sh");
    std::fs::write(&script, "#!/bin/sh\necho \"script in $(pwd) with $1\"\n").expect("script");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let mut argv = check.clone();
    argv.command = CheckCommand::Argv(vec!["./check.sh".to_string(), "an arg; not a shell".to_string()]);
    let result = one(&argv, &p.options).await;
    assert_eq!(result.status, CheckStatus::Passed, "{}", log_text(&result));
    assert_eq!(log_text(&result), format!("script in {} with an arg; not a shell\n", canonical.display()));

    let mut outside = shell("outside", "true");
    outside.cwd = "../".to_string();
    let result = one(&outside, &p.options).await;
    assert_eq!(reason(&result), Some(ErrorReason::SpawnFailed), "{result:?}");
    let mut missing = shell("missing", "true");
    missing.cwd = "nope".to_string();
    assert_eq!(reason(&one(&missing, &p.options).await), Some(ErrorReason::SpawnFailed));
}

#[tokio::test]
async fn parsed_results_and_a_parser_that_cannot_read_the_output() {
    let p = project();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cargo-test-failing.txt");
    let mut check = shell("tests", &format!("cat '{}'; exit 101", fixture.display()));
    check.parser = Parser::CargoTest;
    let result = one(&check, &p.options).await;
    assert_eq!(result.status, CheckStatus::Failed);
    assert_eq!(result.counts, Some(Counts { passed: 3, failed: 3, ignored: 1 }));
    assert_eq!(result.findings.len(), 3);

    let mut wrong = shell("wrong", "echo this is not cargo test output");
    wrong.parser = Parser::CargoTest;
    let result = one(&wrong, &p.options).await;
    assert_eq!(reason(&result), Some(ErrorReason::ParserFailed), "{result:?}");
}

#[tokio::test]
async fn the_log_is_capped_keeping_both_ends() {
    let mut p = project();
    p.options.log_cap = 1000;
    let result = one(&shell("loud", "echo first; i=0; while [ $i -lt 2000 ]; do echo line $i; i=$((i+1)); done; echo last"), &p.options).await;
    assert_eq!(result.status, CheckStatus::Passed);
    let text = log_text(&result);
    assert!(text.starts_with("first\n"));
    assert!(text.ends_with("line 1999\nlast\n"));
    assert!(text.contains("bytes of output left out here]"));
    assert!(text.len() < 1100, "{}", text.len());
}

#[test]
fn results_serialize_for_json_output() {
    let result = CheckResult {
        id: "t".into(),
        gate: true,
        status: CheckStatus::Error { reason: ErrorReason::NotFound, detail: "x: command not found".into() },
        exit_code: None,
        duration: Duration::from_millis(1500),
        findings: Vec::new(),
        counts: None,
        log: None,
    };
    let json = serde_json::to_value(&result).expect("json");
    assert_eq!(json["status"], "error");
    assert_eq!(json["reason"], "not-found");
    assert_eq!(json["durationMs"], 1500);
}
