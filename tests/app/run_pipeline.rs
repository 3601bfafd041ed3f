//! `warden run --pipeline NAME PROMPT` with the real Claude CLI on the mock model in every role:
//! the plan approved from stdin, the implementer under a check, the reviewer's verdict; exit 0
//! when it passes, 3 when the plan is rejected (no one to approve it), 1 when a step fails (a
//! reviewer answering garbage), 2 when the pipeline does not exist.

use crate::headless::Setup;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use warden_gate::trust::{content_hash, Decision, TrustStore};
use warden_mock_models::Reply;

const CONFIG: &str = r#"version = 1
[[check]]
id = "done"
shell = "test -f done.txt"

[[pipeline]]
id = "pir"
name = "Plan, implement, review"
[[pipeline.step]]
role = "plan"
[[pipeline.step]]
role = "implement"
[[pipeline.step]]
role = "review"

[[pipeline]]
id = "ir"
[[pipeline.step]]
role = "implement"
[[pipeline.step]]
role = "review"
"#;

fn setup() -> Setup {
    let s = Setup::new();
    let root = s.project();
    std::fs::create_dir_all(root.join(".warden")).unwrap();
    std::fs::write(root.join(".warden/checks.toml"), CONFIG).unwrap();
    TrustStore::new(s.data.path(), &root).decide(&content_hash(CONFIG.as_bytes()), Decision::Trust).unwrap();
    s
}

fn plan(s: &Setup) {
    s.mock.push(Reply::tool("Write", json!({"file_path": "{{planFile}}", "content": "# Plan\n1. Write done.txt\n"})));
    s.mock.push(Reply::tool("ExitPlanMode", json!({})));
}

fn pipeline_states(lines: &[Value]) -> Vec<&Value> {
    lines.iter().filter_map(|l| l.get("pipelineState")).collect()
}

/// Runs the command with stdin closed at once.
fn run_closed(s: &Setup, name: &str) -> (i32, Vec<Value>, String) {
    let project = s.project();
    let args = ["run", "--project", project.to_str().unwrap(), "--json", "--approve", "allow", "--pipeline", name, "Write done.txt"];
    let mut child = s.warden(&args).spawn().unwrap();
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    let lines = String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    (out.status.code().unwrap_or(-1), lines, String::from_utf8(out.stderr).unwrap())
}

#[test]
fn a_pipeline_passes_with_the_plan_approved_on_stdin_and_exits_0() {
    let s = setup();
    plan(&s);
    s.script_write("done.txt", "Done.");
    s.mock.push(Reply::tool("StructuredOutput", json!({"verdict": "approve", "summary": "Fine.", "findings": []})));
    let project = s.project();
    let args = ["run", "--project", project.to_str().unwrap(), "--json", "--approve", "allow", "--pipeline", "pir", "Write done.txt"];
    let mut child = s.warden(&args).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen: Vec<Value> = Vec::new();
    // Bounded by the mock's scripted replies: stdout ends when the process does.
    for line in lines.by_ref() {
        let value: Value = serde_json::from_str(&line.unwrap()).expect("every stdout line is JSON");
        let waiting = value["pipelineState"]["status"]["kind"] == "awaitingApproval";
        if waiting {
            assert_eq!(value["pipelineState"]["status"]["plan"], "# Plan\n1. Write done.txt\n");
            writeln!(stdin, "{}", json!({"plan": "approve", "text": "1. Write done.txt, nothing else"})).unwrap();
        }
        seen.push(value);
        if waiting {
            break;
        }
    }
    for line in lines {
        seen.push(serde_json::from_str(&line.unwrap()).expect("every stdout line is JSON"));
    }
    drop(stdin);
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert_eq!(status.code(), Some(0), "stderr: {stderr}");
    let states = pipeline_states(&seen);
    let last = states.last().expect("the pipeline's state is printed");
    assert_eq!(last["status"]["kind"], "passed");
    assert_eq!(last["plan"], "1. Write done.txt, nothing else");
    let steps: Vec<(&str, &str)> = last["steps"].as_array().unwrap().iter().map(|s| (s["role"].as_str().unwrap(), s["status"].as_str().unwrap())).collect();
    assert_eq!(steps, [("plan", "done"), ("implement", "done"), ("review", "done")]);
    assert!(s.project().join("done.txt").exists());
    let implementer = last["steps"][1]["sessionId"].clone();
    assert!(
        seen.iter().any(|e| e["sessionId"] == implementer && e["kind"]["type"] == "checkFinished"),
        "the implementer's check ran and its events were printed"
    );
    assert!(serde_json::to_string(&s.mock.requests()).unwrap().contains("nothing else"), "the edited plan reached the implementer");
}

#[test]
fn a_plan_no_one_approves_is_rejected_and_exits_3() {
    let s = setup();
    plan(&s);
    let (code, lines, stderr) = run_closed(&s, "pir");
    assert_eq!(code, 3, "stderr: {stderr}");
    assert!(stderr.contains("the person rejected the plan"), "{stderr}");
    let states = pipeline_states(&lines);
    let last = states.last().unwrap();
    assert_eq!(last["steps"][1]["status"], "skipped");
    assert!(!s.project().join("done.txt").exists());
}

#[test]
fn a_reviewer_answering_garbage_fails_the_pipeline_with_exit_1() {
    let s = setup();
    s.script_write("done.txt", "Done.");
    s.mock.push(Reply::text("Looks fine to me."));
    s.mock.push(Reply::text("Still fine."));
    let (code, lines, stderr) = run_closed(&s, "ir");
    assert_eq!(code, 1, "stderr: {stderr}");
    assert!(stderr.contains("the review by claude failed"), "{stderr}");
    assert_eq!(pipeline_states(&lines).last().unwrap()["status"]["kind"], "failed");
}

#[test]
fn an_unknown_pipeline_runs_nothing_and_exits_2() {
    let s = setup();
    let (code, lines, stderr) = run_closed(&s, "nope");
    assert_eq!(code, 2);
    assert!(stderr.contains("no pipeline `nope` (known: pir, ir)"), "{stderr}");
    assert!(lines.is_empty());
}
