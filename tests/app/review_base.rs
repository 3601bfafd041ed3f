//! `warden review --scope base:REV`: a review of what changed since a git branch — a commit on
//! the branch the session never made, the session's uncommitted edit and its untracked file —
//! with findings anchored to git's diff cut into the journal's hunks; a base git does not know,
//! or one that looks like an option, is refused with exit 1 before any reviewer starts.

use crate::headless::Setup;
use crate::review::{coded, warden};
use serde_json::json;
use std::path::Path;
use std::process::Command;
use warden_mock_models::Reply;

/// `git <args>` in `dir`, which must succeed.
fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git").args(["-c", "user.name=Test", "-c", "user.email=test@example.com"]).args(args).current_dir(dir).output().unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A repository whose `main` holds `src/lib.rs` as the task finds it, on a branch `work` with one
/// more commit (`extra.txt`), then the task of [`coded`] on top, uncommitted. Its session id.
fn coded_on_a_branch(s: &Setup) -> String {
    let project = s.project();
    std::fs::create_dir_all(project.join("src")).unwrap();
    std::fs::write(project.join("src/lib.rs"), "one\ntwo\nthree\n").unwrap();
    git(&project, &["init", "-q", "-b", "main"]);
    git(&project, &["add", "src/lib.rs"]);
    git(&project, &["commit", "-q", "-m", "start"]);
    git(&project, &["switch", "-q", "-c", "work"]);
    std::fs::write(project.join("extra.txt"), "from a commit\n").unwrap();
    git(&project, &["add", "extra.txt"]);
    git(&project, &["commit", "-q", "-m", "extra"]);
    coded(s)
}

#[test]
fn a_review_against_a_git_base_reviews_what_git_says_changed_since_it() {
    let s = Setup::new();
    let session = coded_on_a_branch(&s);
    s.mock.push(Reply::tool(
        "StructuredOutput",
        json!({"verdict": "needs-attention", "summary": "Extra is extra.", "findings": [
            {"severity": "low", "title": "Why extra", "body": "", "file": "extra.txt", "line_start": 1, "line_end": 1,
             "confidence": 0.5, "recommendation": ""}]}),
    ));
    let project = s.project();
    let args = ["review", "--project", project.to_str().unwrap(), "--session", &session, "--scope", "base:main", "--agent", "claude", "--json"];
    let (code, lines, stderr) = warden(&s, &args);
    assert_eq!(code, 3, "stderr: {stderr}");
    let last = lines.last().unwrap();
    assert_eq!(last["type"], "review.completed", "{last}");
    let hunks: Vec<&str> = last["hunks"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(hunks, ["extra.txt#1", "src/lib.rs#1", "notes.txt#1"], "the branch's commit, the edit and the untracked file");
    assert_eq!(last["review"]["findings"][0]["hunk"], "extra.txt#1", "a commit the session never made is in scope");
    // The reviewer's one request (the task's came before it, on the same mock).
    let prompt = s.mock.requests().last().unwrap().to_string();
    assert!(prompt.contains("changes since main (merge base "), "the prompt names the base: {prompt:.3000}");
    assert!(prompt.contains("the session's prompts and checks are not included"), "the prompt says so");
    assert!(!prompt.contains("What the agent was asked") && !prompt.contains("Do the work\\n"), "the session's prompts are not included");
}

#[test]
fn a_base_git_does_not_know_or_that_looks_like_an_option_is_refused() {
    let s = Setup::new();
    let session = coded_on_a_branch(&s);
    let project = s.project();
    let project = project.to_str().unwrap();
    let (code, lines, stderr) = warden(&s, &["review", "--project", project, "--session", &session, "--scope", "base:nope", "--agent", "claude", "--json"]);
    assert_eq!(code, 1, "stderr: {stderr}");
    assert_eq!(lines.last().unwrap()["type"], "review.failed");
    assert!(stderr.contains("git knows no branch or commit 'nope'"), "{stderr}");
    let (code, _, stderr) = warden(&s, &["review", "--project", project, "--session", &session, "--scope", "base:--output=/tmp/x", "--agent", "claude", "--json"]);
    assert_eq!(code, 1, "stderr: {stderr}");
    assert!(stderr.contains("not taken as a git base"), "{stderr}");
    let (code, _, stderr) = warden(&s, &["review", "--project", project, "--session", &session, "--scope", "base:main", "--task", "1", "--agent", "claude", "--json"]);
    assert_eq!(code, 1, "stderr: {stderr}");
    assert!(stderr.contains("leave out --task"), "{stderr}");
}
