//! `warden run` with the task gate: exit 3 when the agent finished but the checks did not
//! pass, 0 when they pass; `--checks off`; `--feedback ask` decisions read from stdin.

use crate::headless::Setup;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::process::Output;
use warden_gate::trust::{content_hash, Decision, TrustStore};
use warden_mock_models::Reply;

fn checks(s: &Setup, toml: &str) {
    let root = s.project();
    std::fs::create_dir_all(root.join(".warden")).unwrap();
    std::fs::write(root.join(".warden/checks.toml"), toml).unwrap();
    TrustStore::new(s.data.path(), &root).decide(&content_hash(toml.as_bytes()), Decision::Trust).unwrap();
}

fn run(s: &Setup, extra: &[&str]) -> (i32, Vec<Value>, String) {
    let project = s.project();
    let mut args = vec!["run", "--project", project.to_str().unwrap(), "--json"];
    args.extend_from_slice(extra);
    args.push("Do the work");
    let mut child = s.warden(&args).spawn().unwrap();
    drop(child.stdin.take());
    let Output { status, stdout, stderr } = child.wait_with_output().unwrap();
    let events = String::from_utf8(stdout).unwrap().lines().map(|l| serde_json::from_str(l).expect("a JSON event")).collect();
    (status.code().unwrap_or(-1), events, String::from_utf8(stderr).unwrap())
}

fn finished(events: &[Value]) -> &Value {
    events.iter().find(|e| e["kind"]["type"] == "taskFinished").expect("a taskFinished event")
}

const ALWAYS_FAILS: &str = "version = 1\n[[check]]\nid = \"always\"\nshell = \"echo broken; exit 1\"\n";

#[test]
fn the_run_exits_3_when_the_gate_does_not_pass() {
    let s = Setup::new();
    checks(&s, ALWAYS_FAILS);
    s.mock.push(Reply::text("Done."));
    s.mock.push(Reply::text("Still done."));
    let (code, events, stderr) = run(&s, &["--feedback", "auto", "--max-rounds", "2"]);
    assert_eq!(code, 3, "stderr: {stderr}");
    assert_eq!(finished(&events)["kind"]["data"], json!({"task": 1, "outcome": "exhausted", "rounds": 2}));
    assert!(events.iter().any(|e| e["kind"]["type"] == "feedbackSent"), "one feedback round went out");
    let checks: Vec<&Value> = events.iter().filter(|e| e["kind"]["type"] == "checkFinished").collect();
    assert_eq!(checks.len(), 2);
    assert_eq!(checks[0]["kind"]["data"]["outcome"]["status"], "failed");
}

#[test]
fn the_run_exits_0_when_the_gate_passes_or_checks_are_off() {
    let s = Setup::new();
    checks(&s, "version = 1\n[[check]]\nid = \"fine\"\nrun = [\"true\"]\n");
    s.mock.push(Reply::text("Done."));
    let (code, events, stderr) = run(&s, &[]);
    assert_eq!(code, 0, "stderr: {stderr}");
    assert_eq!(finished(&events)["kind"]["data"]["outcome"], "passed");

    let s = Setup::new();
    checks(&s, ALWAYS_FAILS);
    s.mock.push(Reply::text("Done."));
    let (code, events, stderr) = run(&s, &["--checks", "off"]);
    assert_eq!(code, 0, "stderr: {stderr}");
    assert!(!events.iter().any(|e| e["kind"]["type"] == "checkStarted"), "no check ran");
}

#[test]
fn feedback_ask_reads_the_decision_from_stdin() {
    let s = Setup::new();
    checks(&s, "version = 1\n[[check]]\nid = \"marker\"\nshell = \"test -f fixed.txt\"\n");
    s.mock.push(Reply::text("Done."));
    let target = s.script_write("fixed.txt", "Fixed.");
    let project = s.project();
    let args = ["run", "--project", project.to_str().unwrap(), "--json", "--approve", "allow", "--feedback", "ask", "Do the work"];
    let mut child = s.warden(&args).spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = Vec::new();
    let proposed = loop {
        let line = lines.next().expect("stdout ended before feedback was proposed").unwrap();
        let event: Value = serde_json::from_str(&line).unwrap();
        seen.push(event.clone());
        if event["kind"]["type"] == "feedbackProposed" {
            break event;
        }
    };
    let decision = json!({"task": proposed["kind"]["data"]["task"], "feedback": "send", "text": "Create fixed.txt, please."});
    writeln!(child.stdin.as_mut().unwrap(), "{decision}").unwrap();
    for line in lines {
        seen.push(serde_json::from_str(&line.unwrap()).unwrap());
    }
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{seen:#?}");
    assert!(target.exists());
    assert_eq!(finished(&seen)["kind"]["data"], json!({"task": 1, "outcome": "passed", "rounds": 2}));
    let feedback_turn = seen.iter().find(|e| e["kind"]["type"] == "userMessage" && e["kind"]["data"]["origin"] == "feedback");
    assert_eq!(feedback_turn.map(|e| e["kind"]["data"]["text"].clone()), Some(json!("Create fixed.txt, please.")));
}

#[test]
fn budget_must_be_a_positive_finite_amount() {
    let s = Setup::new();
    let project = s.project();
    for bad in ["0", "-1", "inf", "NaN", "lots"] {
        let out = s.warden(&["run", "--project", project.to_str().unwrap(), "--budget", bad, "Do the work"]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "--budget {bad}: {stderr}");
        assert!(stderr.contains("--budget") && stderr.contains("US dollars"), "--budget {bad} says why: {stderr}");
        assert!(s.mock.requests().is_empty(), "--budget {bad}: no agent was started");
    }
}

#[test]
fn budget_stops_automatic_feedback_and_the_summary_names_the_cost() {
    let s = Setup::new();
    checks(&s, ALWAYS_FAILS);
    s.mock.push(Reply::text("Done."));
    s.mock.push(Reply::text("Still done."));
    // The mock's first turn costs more than a hundredth of a cent: the budget is spent at once.
    let (code, events, stderr) = run(&s, &["--feedback", "auto", "--max-rounds", "5", "--budget", "0.00001"]);
    assert_eq!(code, 3, "stderr: {stderr}");
    assert_eq!(finished(&events)["kind"]["data"], json!({"task": 1, "outcome": "exhausted", "rounds": 1}));
    assert!(!events.iter().any(|e| e["kind"]["type"] == "feedbackSent"), "no feedback round went out");
    let gate = events.iter().find(|e| e["kind"]["type"] == "gateDecided").expect("a gate decision");
    assert!(gate["kind"]["data"]["reason"].as_str().is_some_and(|r| r.contains("budget")), "{gate}");
    assert!(stderr.contains("the task cost $"), "the summary names the cost: {stderr}");
}
