//! `warden run` and `warden sessions` as a script uses them: the built binary, the real Claude
//! CLI, the mock model, answers on stdin.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use warden_mock_models::agents::{claude_env, claude_program};
use warden_mock_models::{AnthropicMock, Reply};

pub struct Setup {
    pub project: tempfile::TempDir,
    pub home: tempfile::TempDir,
    pub data: tempfile::TempDir,
    pub mock: AnthropicMock,
}

impl Setup {
    pub fn new() -> Setup {
        Setup {
            project: tempfile::tempdir().unwrap(),
            home: tempfile::tempdir().unwrap(),
            data: tempfile::tempdir().unwrap(),
            mock: AnthropicMock::start(Vec::new()).unwrap(),
        }
    }

    /// Scripts a turn in which the model writes `file` in the project and then says `then`;
    /// returns the file's path.
    pub fn script_write(&self, file: &str, then: &str) -> PathBuf {
        let target = self.project().join(file);
        self.mock.push(Reply::tool("Write", json!({"file_path": target, "content": "written by the agent\n"})));
        self.mock.push(Reply::text(then));
        target
    }

    /// Starts `warden run --json PROMPT` in the project, with its stdout as lines.
    fn run_json(&self, prompt: &str) -> (Child, std::io::Lines<BufReader<std::process::ChildStdout>>) {
        let project = self.project();
        let mut child = self.warden(&["run", "--project", project.to_str().unwrap(), "--json", prompt]).spawn().unwrap();
        let lines = BufReader::new(child.stdout.take().unwrap()).lines();
        (child, lines)
    }

    pub fn project(&self) -> PathBuf {
        self.project.path().canonicalize().unwrap()
    }

    /// `warden <args>` with the environment a CI job would give it: the mock model's URL reaches
    /// the agent through Warden's own environment.
    pub fn warden(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_warden"));
        command
            .args(args)
            .env("WARDEN_DATA_DIR", self.data.path())
            .env("WARDEN_CLAUDE", claude_program())
            .envs(claude_env(self.home.path(), &self.mock.url()))
            .env_remove("DISPLAY")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }
}

/// Reads JSON event lines until one matches; returns it.
fn read_until(lines: &mut impl Iterator<Item = std::io::Result<String>>, seen: &mut Vec<Value>, ty: &str) -> Value {
    for line in lines.by_ref() {
        let event: Value = serde_json::from_str(&line.unwrap()).expect("every stdout line is one JSON event");
        seen.push(event.clone());
        if event["kind"]["type"] == ty {
            return event;
        }
    }
    panic!("stdout ended before a {ty} event; saw {seen:#?}");
}

fn finish(mut child: Child, lines: impl Iterator<Item = std::io::Result<String>>, seen: &mut Vec<Value>) -> (i32, String) {
    for line in lines {
        seen.push(serde_json::from_str(&line.unwrap()).expect("JSON line"));
    }
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    (status.code().unwrap_or(-1), stderr)
}

fn answer(child: &mut Child, request: &Value, decision: &str, message: Option<&str>) {
    let line = json!({"requestId": request["kind"]["data"]["requestId"], "decision": decision, "message": message});
    writeln!(child.stdin.as_mut().unwrap(), "{line}").unwrap();
}

#[test]
fn run_json_completes_an_allowed_write_answered_on_stdin() {
    let s = Setup::new();
    let target = s.script_write("hello.txt", "Created it.");
    let (mut child, mut lines) = s.run_json("Create hello.txt");
    let mut seen = Vec::new();
    let request = read_until(&mut lines, &mut seen, "permissionRequested");
    assert_eq!(request["kind"]["data"]["toolName"], "Write");
    assert!(request["sessionId"].is_string() && request["seq"].is_u64(), "the IPC envelope shape: {request}");
    answer(&mut child, &request, "allowOnce", None);
    let (code, stderr) = finish(child, lines, &mut seen);
    assert_eq!(code, 0, "a completed turn exits 0; stderr: {stderr}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "written by the agent\n");
    let types: Vec<&str> = seen.iter().map(|e| e["kind"]["type"].as_str().unwrap()).collect();
    let at = |t: &str| types.iter().position(|x| *x == t).unwrap_or_else(|| panic!("{t} missing: {types:?}"));
    assert!(at("permissionRequested") < at("permissionResolved") && at("permissionResolved") < at("turnEnded"));
    let seqs: Vec<u64> = seen.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>(), "every event, in order, no gaps");
}

#[test]
fn run_json_denied_write_leaves_no_file_and_tells_the_model() {
    let s = Setup::new();
    let target = s.script_write("nope.txt", "Fine, I won't.");
    let (mut child, mut lines) = s.run_json("Create nope.txt");
    let mut seen = Vec::new();
    let request = read_until(&mut lines, &mut seen, "permissionRequested");
    answer(&mut child, &request, "deny", Some("Not that file."));
    let (code, stderr) = finish(child, lines, &mut seen);
    assert_eq!(code, 0, "the turn itself completes; stderr: {stderr}");
    assert!(!target.exists());
    let resolved = seen.iter().find(|e| e["kind"]["type"] == "permissionResolved").unwrap();
    assert_eq!(resolved["kind"]["data"]["decision"], "deny");
    assert_eq!(resolved["kind"]["data"]["source"], "user");
    assert!(s.mock.requests().iter().any(|r| r.to_string().contains("Not that file.")), "the model was told");
}

#[test]
fn end_of_stdin_denies_what_is_pending() {
    let s = Setup::new();
    let target = s.script_write("eof.txt", "OK.");
    let (mut child, lines) = s.run_json("Create eof.txt");
    drop(child.stdin.take());
    let mut seen = Vec::new();
    let (code, _) = finish(child, lines, &mut seen);
    assert_eq!(code, 0);
    assert!(!target.exists());
    let resolved = seen.iter().find(|e| e["kind"]["type"] == "permissionResolved").expect("the request was answered");
    assert_eq!((resolved["kind"]["data"]["decision"].as_str(), resolved["kind"]["data"]["source"].as_str()), (Some("deny"), Some("shutdown")));
}

#[test]
fn approve_flag_answers_everything_and_resume_continues_the_session() {
    let s = Setup::new();
    let target = s.script_write("flag.txt", "Done with the flag.");
    s.mock.push(Reply::text("Still here."));
    let project = s.project();
    let p = project.to_str().unwrap();
    let first = s.warden(&["run", "--project", p, "--approve", "allow", "Create flag.txt"]).output().unwrap();
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let text = String::from_utf8_lossy(&first.stdout);
    assert!(text.contains("allowed once by --approve") && text.contains("Done with the flag."), "readable transcript: {text}");
    assert!(target.exists());

    let listed = s.warden(&["sessions", "--project", p, "--json"]).output().unwrap();
    let sessions: Vec<Value> =
        String::from_utf8_lossy(&listed.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(sessions.len(), 1);
    assert_eq!((sessions[0]["status"].as_str(), sessions[0]["title"].as_str()), (Some("stopped"), Some("Create flag.txt")));
    let id = sessions[0]["id"].as_str().unwrap();

    let again = s.warden(&["run", "--project", p, "--resume", id, "--json", "--approve", "deny", "Anything else?"]).output().unwrap();
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    let events: Vec<Value> =
        String::from_utf8_lossy(&again.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(events[0]["kind"]["type"], "started");
    assert_eq!(events[0]["kind"]["data"]["resumed"], true);
    assert!(events.iter().all(|e| e["sessionId"] == id), "same session");
    assert!(events[0]["seq"].as_u64().unwrap() > 1, "seq continues the stored stream");
    assert!(s.mock.requests().last().unwrap().to_string().contains("Create flag.txt"), "history went to the model");
}

#[test]
fn setup_errors_are_one_line_and_exit_2() {
    let s = Setup::new();
    let missing = s.warden(&["run", "--project", "/no/such/folder", "hi"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
    let err = String::from_utf8_lossy(&missing.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("/no/such/folder"), "{err}");

    let project = s.project();
    let mut no_cli = s.warden(&["run", "--project", project.to_str().unwrap(), "hi"]);
    no_cli.env_remove("WARDEN_CLAUDE").env("PATH", "/nonexistent").env("HOME", s.home.path());
    let out = no_cli.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("npm install -g @anthropic-ai/claude-code"), "{err}");

    let unknown = s.warden(&["run", "--project", project.to_str().unwrap(), "--resume", "nope", "hi"]).output().unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no session nope"));
}

#[test]
fn run_applies_the_project_rules_and_asks_only_what_they_leave_open() {
    let s = Setup::new();
    let project = s.project();
    let p = project.to_str().unwrap();
    // The file the window keeps through tauri-plugin-store; `warden run` reads the same one.
    let rules = json!({ p: { "allow": ["Bash(touch:*)"], "deny": ["Bash(rm:*)"] } });
    std::fs::write(s.data.path().join("permissions.json"), rules.to_string()).unwrap();
    s.mock.push(Reply::tool("Bash", json!({"command": "touch ruled.txt", "description": "touch"})));
    s.mock.push(Reply::tool("Bash", json!({"command": "rm -f ruled.txt", "description": "rm"})));
    let target = s.script_write("asked.txt", "Both done.");
    let (mut child, mut lines) = s.run_json("touch, rm, then write");
    let mut seen = Vec::new();
    let request = read_until(&mut lines, &mut seen, "permissionRequested");
    assert_eq!(request["kind"]["data"]["toolName"], "Write", "the rule-decided calls were never asked: {seen:#?}");
    answer(&mut child, &request, "allowOnce", None);
    let (code, stderr) = finish(child, lines, &mut seen);
    assert_eq!(code, 0, "{stderr}");
    assert!(project.join("ruled.txt").exists() && target.exists(), "the touch ran, the rm did not");

    let log = s.warden(&["permissions", "log", "--project", p, "--json"]).output().unwrap();
    assert!(log.status.success(), "{}", String::from_utf8_lossy(&log.stderr));
    let entries: Vec<Value> = String::from_utf8_lossy(&log.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let summary: Vec<(&str, &str, &str)> = entries
        .iter()
        .map(|e| (e["toolName"].as_str().unwrap(), e["decision"].as_str().unwrap(), e["source"].as_str().unwrap()))
        .collect();
    assert_eq!(summary, [("Bash", "allowOnce", "rule"), ("Bash", "deny", "rule"), ("Write", "allowOnce", "user")]);
    assert_eq!(entries[0]["rules"], json!(["Bash(touch:*)"]));
    let text = s.warden(&["permissions", "log", "--project", p]).output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("rule: Bash(rm:*)") && text.contains("touch ruled.txt"), "readable log: {text}");
}

#[test]
fn an_unreadable_rules_file_is_reported_kept_and_allows_nothing() {
    let s = Setup::new();
    let project = s.project();
    let p = project.to_str().unwrap();
    let file = s.data.path().join("permissions.json");
    std::fs::write(&file, "{ not json").unwrap();
    let rules = s.warden(&["permissions", "rules", "--project", p]).output().unwrap();
    assert_eq!(rules.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&rules.stderr);
    assert!(stderr.contains("permissions.json") && stderr.contains("will not overwrite"), "a clear error: {stderr}");
    let target = s.script_write("still-asked.txt", "ok");
    let (mut child, mut lines) = s.run_json("write");
    let mut seen = Vec::new();
    let request = read_until(&mut lines, &mut seen, "permissionRequested");
    answer(&mut child, &request, "allowAlways", None);
    let (code, _) = finish(child, lines, &mut seen);
    assert_eq!(code, 0);
    assert!(target.exists());
    let notices: Vec<&str> = seen.iter().filter(|e| e["kind"]["type"] == "notice").filter_map(|e| e["kind"]["data"]["text"].as_str()).collect();
    assert!(notices.iter().any(|n| n.contains("cannot be read")), "the person is told: {notices:?}");
    assert!(notices.iter().any(|n| n.contains("this session only")), "the always-rule fell back to the session: {notices:?}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "{ not json", "the damaged file is left as it was");
}
