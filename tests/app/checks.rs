//! `warden checks list | trust` as a person and a script use them: the project's checks file
//! and the person's layer listed with source, trust and errors; trust asked on stdin, pinned to
//! the content, asked again after a change; a file with errors changes nothing.

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const CHECKS: &str = r#"version = 1

[[check]]
id = "tests"
run = ["cargo", "test", "--quiet"]
env = { RUST_BACKTRACE = "1" }
timeout = "15m"
parse = "cargo-test"

[[check]]
id = "lint"
shell = "cargo clippy -- -D warnings"
cwd = "crates"
gate = false

[[webhook]]
id = "chat"
url = "https://hooks.example.com/warden"
events = ["task.finished"]
secret = { env = "CHAT_SECRET" }
"#;

/// `warden <args>` with its data folder, `stdin` as its input: exit code, stdout, stderr.
fn warden(data: &Path, args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_warden"))
        .args(args)
        .env("WARDEN_DATA_DIR", data)
        .env_remove("DISPLAY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

struct Setup {
    data: tempfile::TempDir,
    _project: tempfile::TempDir,
    project: PathBuf,
}

impl Setup {
    fn with(checks: &str) -> Setup {
        let data = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(project.join(".warden")).unwrap();
        std::fs::write(project.join(".warden/checks.toml"), checks).unwrap();
        Setup { data, _project: dir, project }
    }

    fn run(&self, args: &[&str], stdin: &str) -> (i32, String, String) {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--project", self.project.to_str().unwrap()]);
        warden(self.data.path(), &all, stdin)
    }

    fn list(&self) -> Value {
        let (_, stdout, stderr) = self.run(&["checks", "list", "--json"], "");
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout} {stderr}"))
    }

    fn trust_states(&self) -> Vec<(String, String)> {
        let list = self.list();
        list["entries"].as_array().unwrap().iter().map(|e| (e["id"].as_str().unwrap().to_owned(), e["trust"]["state"].as_str().unwrap().to_owned())).collect()
    }

    fn record(&self) -> Option<Vec<u8>> {
        let folder = self.data.path().join("checks");
        let entry = std::fs::read_dir(folder).ok()?.filter_map(Result::ok).find(|e| e.file_name().to_string_lossy().ends_with(".trust.json"))?;
        std::fs::read(entry.path()).ok()
    }
}

#[test]
fn a_project_file_is_listed_as_not_trusted_until_the_person_trusts_it() {
    let s = Setup::with(CHECKS);
    let (code, stdout, stderr) = s.run(&["checks", "list"], "");
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("not trusted: never approved"), "{stdout}");
    assert!(stdout.contains("check    tests") && stdout.contains("webhook  chat"), "{stdout}");
    assert!(stdout.contains("not trusted: the project's checks file has not been approved"), "never skipped silently: {stdout}");
    let list = s.list();
    assert_eq!(list["valid"], Value::Bool(true));
    let tests = &list["entries"][0];
    assert_eq!((tests["kind"].as_str(), tests["source"].as_str(), tests["trust"]["state"].as_str()), (Some("check"), Some("project"), Some("notTrusted")));
    assert!(tests["summary"].as_str().unwrap().contains("cargo test --quiet"));

    // Without an answer nothing is decided.
    let (code, stdout, _) = s.run(&["checks", "trust"], "");
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("Nothing decided"), "{stdout}");
    assert!(s.record().is_none());

    // The question shows every command (with folder and environment names) and every URL.
    let (code, stdout, stderr) = s.run(&["checks", "trust"], "t\n");
    assert_eq!(code, 0, "{stdout}{stderr}");
    for shown in ["tests: cargo test --quiet", "in .", "sets RUST_BACKTRACE", "lint: sh -c \"cargo clippy -- -D warnings\"", "in crates", "chat: https://hooks.example.com/warden", "task.finished", "Trusted"] {
        assert!(stdout.contains(shown), "{shown:?} missing from:\n{stdout}");
    }
    assert!(s.trust_states().iter().all(|(_, state)| state == "trusted"), "{:?}", s.trust_states());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let folder = s.data.path().join("checks");
        assert_eq!(std::fs::metadata(&folder).unwrap().permissions().mode() & 0o777, 0o700);
    }

    // The same content with Windows line endings is the same content.
    std::fs::write(s.project.join(".warden/checks.toml"), CHECKS.replace('\n', "\r\n")).unwrap();
    assert!(s.trust_states().iter().all(|(_, state)| state == "trusted"));

    // A change asks again.
    std::fs::write(s.project.join(".warden/checks.toml"), CHECKS.replace("--quiet", "--all")).unwrap();
    let (_, stdout, _) = s.run(&["checks", "list"], "");
    assert!(stdout.contains("changed since you trusted it"), "{stdout}");
    assert!(s.trust_states().iter().all(|(_, state)| state == "notTrusted"));
    let (code, stdout, _) = s.run(&["checks", "trust", "--yes"], "");
    assert_eq!(code, 0);
    assert!(stdout.contains("tests: cargo test --all") && stdout.contains("The file changed since you last decided"), "{stdout}");
    assert!(s.trust_states().iter().all(|(_, state)| state == "trusted"));

    // Revoked: not trusted any more.
    let (code, stdout, _) = s.run(&["checks", "trust", "--revoke"], "");
    assert_eq!(code, 0);
    assert!(stdout.contains("Trust revoked"), "{stdout}");
    assert!(s.record().is_none());
    assert!(s.trust_states().iter().all(|(_, state)| state == "notTrusted"));

    // "Don't run" is remembered for this content.
    let (code, _, _) = s.run(&["checks", "trust"], "d\n");
    assert_eq!(code, 0);
    let (_, stdout, _) = s.run(&["checks", "list"], "");
    assert!(stdout.contains("you chose not to run it"), "{stdout}");
}

#[test]
fn a_bad_file_is_reported_with_its_line_and_field_and_changes_nothing() {
    let s = Setup::with(CHECKS);
    let (code, _, _) = s.run(&["checks", "trust", "--yes"], "");
    assert_eq!(code, 0);
    let before = s.record().unwrap();
    std::fs::write(s.project.join(".warden/checks.toml"), CHECKS.replace("timeout = \"15m\"", "timeout = \"15\"")).unwrap();
    let (code, stdout, stderr) = s.run(&["checks", "trust", "--yes"], "");
    assert_eq!(code, 1, "{stdout}");
    assert!(stderr.contains(".warden/checks.toml:7:11: field `check[1].timeout`: `15` is not a duration"), "{stderr}");
    assert!(stderr.contains("nothing was trusted and the previous decision is kept"), "{stderr}");
    assert_eq!(s.record().unwrap(), before, "the trust record is untouched");
    let (code, stdout, _) = s.run(&["checks", "list"], "");
    assert_eq!(code, 1);
    assert!(stdout.contains("Errors") && stdout.contains(":7:11"), "{stdout}");
    let list = s.list();
    assert_eq!(list["valid"], Value::Bool(false));
    assert_eq!(list["errors"][0]["line"], 7);
    assert_eq!(list["errors"][0]["field"], "check[1].timeout");

    // An error inside one entry is listed with that entry.
    std::fs::write(s.project.join(".warden/checks.toml"), CHECKS.replace("cwd = \"crates\"", "cwd = \"../outside\"")).unwrap();
    let list = s.list();
    let lint = list["entries"].as_array().unwrap().iter().find(|e| e["id"] == "lint").unwrap().clone();
    assert!(lint["errors"][0]["message"].as_str().unwrap().contains("outside the project"), "{lint}");
    assert_eq!(lint["disabled"], "it has errors");
}

#[test]
fn the_personal_layer_is_trusted_and_can_switch_a_project_check_off() {
    let s = Setup::with(CHECKS);
    let list = s.list();
    let personal = PathBuf::from(list["personalFile"].as_str().unwrap());
    assert!(personal.starts_with(s.data.path()), "{}", personal.display());
    std::fs::create_dir_all(personal.parent().unwrap()).unwrap();
    std::fs::write(&personal, "[[check]]\nid = \"lint\"\ndisabled = true\n\n[[check]]\nid = \"mine\"\nrun = [\"make\", \"quick\"]\n").unwrap();
    let (code, stdout, stderr) = s.run(&["checks", "list"], "");
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("off: disabled in your personal layer"), "{stdout}");
    let states = s.trust_states();
    assert!(states.contains(&("mine".to_owned(), "personal".to_owned())), "{states:?}");
    assert!(states.contains(&("tests".to_owned(), "notTrusted".to_owned())), "{states:?}");
}

#[test]
fn a_project_without_a_checks_file_has_nothing_to_trust() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let p = project.path().to_str().unwrap();
    let (code, stdout, _) = warden(data.path(), &["checks", "list", "--project", p], "");
    assert_eq!(code, 0);
    assert!(stdout.contains("Project file: none") && stdout.contains("No checks"), "{stdout}");
    let (code, _, stderr) = warden(data.path(), &["checks", "trust", "--project", p, "--yes"], "");
    assert_eq!(code, 2);
    assert!(stderr.contains("there is nothing to trust"), "{stderr}");
}
