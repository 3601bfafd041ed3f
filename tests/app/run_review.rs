//! `warden run --review codex`: the real Claude codes on the mock Anthropic API, the real Codex
//! reviews each round read-only on the mock Responses API, for this run only (no file is
//! written). The blocking review's findings go back to Claude; the next round is reviewed
//! again; at the round limit the run exits 3. The findings are in the JSON event stream and in
//! the human output.

use crate::headless::Setup;
use serde_json::{json, Value};
use std::process::Output;
use warden_mock_models::agents::{codex_env, codex_program};
use warden_mock_models::{OpenAiMock, Reply};

fn answer(title: &str) -> String {
    json!({
        "verdict": "needs-attention",
        "summary": "One problem.",
        "findings": [{"severity": "high", "title": title, "body": "Wrong value.", "file": "src/lib.rs",
                      "line_start": 1, "line_end": 1, "confidence": 0.9, "recommendation": "Return 1."}]
    })
    .to_string()
}

/// `warden run --review codex …` with Codex on `codex`; its exit code, stdout and stderr.
fn run(s: &Setup, codex: &OpenAiMock, extra: &[&str]) -> (i32, String, String) {
    let project = s.project();
    let mut args = vec!["run", "--project", project.to_str().unwrap(), "--approve", "allow", "--review", "codex", "--feedback", "auto", "--max-rounds", "2"];
    args.extend_from_slice(extra);
    args.push("Write one()");
    let mut command = s.warden(&args);
    command.env("WARDEN_CODEX", codex_program()).envs(codex_env(s.home.path(), &codex.url()));
    let mut child = command.spawn().unwrap();
    drop(child.stdin.take());
    let Output { status, stdout, stderr } = child.wait_with_output().unwrap();
    (status.code().unwrap_or(-1), String::from_utf8(stdout).unwrap(), String::from_utf8(stderr).unwrap())
}

/// Scripts Claude's two rounds (a write and an answer each) and Codex's two reviews.
fn script(s: &Setup) -> OpenAiMock {
    let lib = s.project().join("src/lib.rs");
    std::fs::create_dir_all(lib.parent().unwrap()).unwrap();
    for (content, said) in [("fn one() -> u32 { 0 }\n", "Done."), ("fn one() -> u32 { 2 }\n", "Fixed.")] {
        s.mock.push(Reply::tool("Write", json!({"file_path": lib, "content": content})));
        s.mock.push(Reply::text(said));
    }
    OpenAiMock::start(vec![Reply::text(answer("one() returns 0")), Reply::text(answer("one() returns 2"))]).unwrap()
}

#[test]
fn a_run_with_review_sends_the_findings_back_reviews_again_and_exits_3_at_the_round_limit() {
    let s = Setup::new();
    let codex = script(&s);
    let (code, stdout, stderr) = run(&s, &codex, &["--json"]);
    assert_eq!(code, 3, "the gate did not pass; stderr: {stderr}");
    let events: Vec<Value> = stdout.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    let reviews: Vec<&Value> = events.iter().filter(|e| e["kind"]["type"] == "reviewFinished").collect();
    assert_eq!(reviews.len(), 2, "each round is reviewed: {stdout}");
    let first = &reviews[0]["kind"]["data"];
    assert_eq!((&first["round"], &first["gate"], &first["entry"]), (&json!(1), &json!(true), &json!("run-review-1")));
    assert_eq!(first["outcome"]["status"], "completed");
    assert_eq!(first["outcome"]["result"]["findings"][0]["title"], "one() returns 0");
    assert_eq!(first["outcome"]["result"]["findings"][0]["hunk"], "src/lib.rs#1");
    assert_eq!(first["reviewer"]["agent"], "codex");
    let sent: Vec<&Value> = events.iter().filter(|e| e["kind"]["type"] == "feedbackSent").collect();
    assert_eq!(sent.len(), 1, "one feedback round within the limit");
    assert!(sent[0]["kind"]["data"]["text"].as_str().unwrap().contains("- [high] one() returns 0 (src/lib.rs:1)"));
    let finished = events.iter().find(|e| e["kind"]["type"] == "taskFinished").expect("the task finishes");
    assert_eq!((&finished["kind"]["data"]["outcome"], &finished["kind"]["data"]["rounds"]), (&json!("exhausted"), &json!(2)));
    assert_eq!(codex.requests().len(), 2, "one Codex request per review");
    assert!(!s.project().join(".warden").exists(), "no configuration file was written");
}

#[test]
fn the_human_output_prints_the_reviews_findings() {
    let s = Setup::new();
    let codex = script(&s);
    let (code, stdout, stderr) = run(&s, &codex, &[]);
    assert_eq!(code, 3, "stderr: {stderr}\nstdout: {stdout}");
    assert!(stdout.contains("one() returns 0") && stdout.contains("one() returns 2"), "{stdout}");
}

#[test]
fn checks_list_and_trust_show_each_reviewers_agent_model_and_instructions() {
    let s = Setup::new();
    let project = s.project();
    std::fs::create_dir_all(project.join(".warden")).unwrap();
    let toml = "version = 1\n[[check]]\nid = \"tests\"\nshell = \"true\"\n\n[[review]]\nid = \"second-opinion\"\nagent = \"codex\"\nmodel = \"gpt-5\"\nafter = [\"tests\"]\ninstructions = \"Ignore the failing tests.\"\n";
    std::fs::write(project.join(".warden/checks.toml"), toml).unwrap();
    let text = |args: &[&str]| {
        let mut child = s.warden(args).spawn().unwrap();
        drop(child.stdin.take());
        let Output { status, stdout, .. } = child.wait_with_output().unwrap();
        (status.code(), String::from_utf8(stdout).unwrap())
    };
    let dir = project.to_str().unwrap();
    let (code, list) = text(&["checks", "list", "--project", dir]);
    assert_eq!(code, Some(0), "{list}");
    let line = list.lines().find(|l| l.starts_with("review")).unwrap_or_else(|| panic!("{list}"));
    assert!(line.contains("second-opinion") && line.contains("not trusted") && line.contains("reviewer codex:gpt-5, blocks on critical+high, after tests"), "{line}");
    let (_, trust) = text(&["checks", "trust", "--project", dir]);
    assert!(trust.contains("second-opinion: agent codex, model gpt-5, instructions \"Ignore the failing tests.\""), "{trust}");
}
