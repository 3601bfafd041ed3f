//! The reviewer's prompt: what was asked, the checks' results, the diff (inline, or in a file
//! beside when it is large), the person's instructions and the answer's schema; and the one
//! repair prompt sent when the answer could not be read.

use super::scope::{describe, ReviewInput};
use std::fmt::Write as _;
use std::path::Path;
use warden_core::review::{ReviewScope, REVIEW_SCHEMA};
use warden_core::session::{CheckOutcome, MessageOrigin};

/// Past this many bytes the diff goes into a file the reviewer reads, not into the prompt:
/// some agents cut or refuse long prompts, and a file can be read in parts.
pub const INLINE_DIFF_LIMIT: usize = 48 * 1024;

/// The longest a prompt or a check's finding is quoted.
const QUOTE_LIMIT: usize = 4000;

/// Where the diff is for the reviewer.
pub enum DiffPlace<'a> {
    /// In the prompt.
    Inline(&'a str),
    /// In this file, of this many bytes.
    File(&'a Path, usize),
}

/// The first prompt of a review.
pub fn review_prompt(input: &ReviewInput, diff: DiffPlace<'_>, instructions: Option<&str>) -> String {
    let mut p = String::new();
    // The first line names the reviewer's session in Warden's lists and tabs.
    let asked = input.prompts.first().and_then(|first| first.text.lines().find(|l| !l.trim().is_empty())).map(|l| {
        let line: String = l.trim().chars().take(60).collect();
        format!(" — {line}")
    });
    let _ = writeln!(p, "Review: {}{}\n", scope_words(input), asked.unwrap_or_default());
    let _ = writeln!(
        p,
        "You are reviewing the changes an AI coding agent made in the project at {} ({}). You are a reviewer only: \
         read whatever you need, but do not change anything. Warden denies every edit, file write, delete, move and \
         command of this session.\n",
        input.project,
        scope_words(input)
    );
    if input.merge_base.is_some() {
        p.push_str(
            "This review is of a git base, not of one agent session: the session's prompts and checks are not included. \
             Judge the changes on their own.\n\n",
        );
    }
    if !input.prompts.is_empty() {
        p.push_str("## What the agent was asked\n\n");
        for prompt in &input.prompts {
            let who = match prompt.origin {
                MessageOrigin::Person => "The person",
                MessageOrigin::Feedback => "Warden's feedback from the checks",
                MessageOrigin::Steer => "The person, during the turn",
            };
            let _ = writeln!(p, "{who} (turn {}):\n{}\n", prompt.turn, quote(&prompt.text));
        }
    }
    if !input.checks.is_empty() {
        p.push_str("## The project's checks, after the agent's last round\n\n");
        for check in &input.checks {
            let _ = writeln!(p, "- {}: {}", check.check, outcome(&check.outcome, check.exit_code));
            for finding in check.findings.iter().take(20) {
                let place = match (&finding.file, finding.line) {
                    (Some(file), Some(line)) => format!(" ({file}:{line})"),
                    (Some(file), None) => format!(" ({file})"),
                    _ => String::new(),
                };
                let _ = writeln!(p, "  - {}{place}", quote(&finding.title));
            }
        }
        p.push('\n');
    }
    p.push_str("## The changes\n\n");
    match &input.merge_base {
        Some(_) => {
            let _ = writeln!(
                p,
                "Git gave these changes: the working tree (commits since the merge base, uncommitted edits and untracked \
                 files) against the merge base. Review exactly these changes. Changed files: {}.\n",
                input.changed_paths().join(", ")
            );
        }
        None => {
            let _ = writeln!(
                p,
                "Warden's file journal recorded every file the agent changed, commands' changes included. Review exactly \
                 these changes (not the git history, not other uncommitted files). Changed files: {}.\n",
                input.changed_paths().join(", ")
            );
        }
    }
    match diff {
        DiffPlace::Inline(text) => {
            let _ = writeln!(p, "```diff\n{}```\n", text);
        }
        DiffPlace::File(path, bytes) => {
            let _ = writeln!(
                p,
                "The diff is large ({bytes} bytes), so it is in the file {} (unified diff): read it, in parts if \
                 needed, before you answer.\n",
                path.display()
            );
        }
    }
    if let Some(text) = instructions.map(str::trim).filter(|t| !t.is_empty()) {
        let _ = writeln!(p, "## Instructions from the person\n\n{}\n", quote(text));
    }
    p.push_str(&answer_rules());
    p
}

/// What is reviewed, for the prompt's first line: the scope, and for a git base the merge
/// base it resolved to ("changes since main (merge base 1a2b…)").
fn scope_words(input: &ReviewInput) -> String {
    match (&input.scope, &input.merge_base) {
        (ReviewScope::Base { base }, Some(sha)) => format!("changes since {base} (merge base {sha})"),
        (scope, _) => describe(scope),
    }
}

/// The prompt sent once when the first answer could not be read.
pub fn repair_prompt(problem: &str) -> String {
    format!(
        "Your answer could not be read: {problem}. Answer again with only the JSON object, nothing before or after \
         it, following this JSON Schema:\n\n{REVIEW_SCHEMA}\n"
    )
}

/// How to answer: the schema and what its fields mean.
fn answer_rules() -> String {
    format!(
        "## Your answer\n\n\
         Report real problems in these changes: bugs, regressions, missing cases, security issues, code that does not \
         do what was asked. Give `file` as the path relative to the project and `line_start`/`line_end` as line numbers \
         in the file after the change (0 when a finding is about the change as a whole, with an empty `file`). Use \
         verdict \"approve\" when nothing needs to change, \"needs-attention\" otherwise. Answer with one JSON object \
         following this JSON Schema, and nothing else:\n\n{REVIEW_SCHEMA}\n"
    )
}

fn outcome(outcome: &CheckOutcome, exit_code: Option<i32>) -> String {
    let code = exit_code.map(|c| format!(" (exit code {c})")).unwrap_or_default();
    match serde_json::to_value(outcome).ok().and_then(|v| v.get("status").and_then(|s| s.as_str()).map(str::to_owned)) {
        Some(status) => format!("{status}{code}"),
        None => format!("ended{code}"),
    }
}

/// `text`, cut to [`QUOTE_LIMIT`] bytes (on a character boundary).
fn quote(text: &str) -> String {
    if text.len() <= QUOTE_LIMIT {
        return text.to_owned();
    }
    let mut end = QUOTE_LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} more bytes)", &text[..end], text.len() - end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use warden_core::journal::{DiffSide, FileDiff, OpKind};
    use warden_core::session::{SessionId, TaskId, TurnId};

    fn input() -> ReviewInput {
        let text = |t: &str| DiffSide::Text { text: t.into() };
        ReviewInput {
            project: "/p".into(),
            session: SessionId("s".into()),
            scope: ReviewScope::Task { task: TaskId(3) },
            turns: vec![TurnId(3), TurnId(4)],
            prompts: vec![
                super::super::ScopePrompt { turn: TurnId(3), origin: MessageOrigin::Person, text: "Fix it".into() },
                super::super::ScopePrompt { turn: TurnId(4), origin: MessageOrigin::Feedback, text: "tests fail".into() },
            ],
            checks: Vec::new(),
            diffs: vec![FileDiff { path: "a.rs".into(), kind: OpKind::Modify, before: text("x\n"), after: text("y\n"), ops: Vec::new() }],
            hunks: Vec::new(),
            merge_base: None,
        }
    }

    #[test]
    fn the_prompt_names_the_scope_the_prompts_the_diff_the_instructions_and_the_schema() {
        let input = input();
        let diff = input.diff_text();
        let prompt = review_prompt(&input, DiffPlace::Inline(&diff), Some("  Check a.rs  "));
        for expected in ["(task 3)", "The person (turn 3):\nFix it", "Warden's feedback from the checks (turn 4):\ntests fail", "-x\n+y\n", "Changed files: a.rs.", "## Instructions from the person\n\nCheck a.rs\n", "\"line_start\""] {
            assert!(prompt.contains(expected), "{expected:?} in {prompt}");
        }
        assert!(!prompt.contains("## The project's checks"), "no checks, no section");
        let in_file = review_prompt(&input, DiffPlace::File(Path::new("/tmp/w/changes.diff"), 90_000), None);
        assert!(in_file.contains("in the file /tmp/w/changes.diff") && !in_file.contains("-x\n+y\n"));
        assert!(!in_file.contains("Instructions from the person"));
    }

    #[test]
    fn a_base_review_names_the_base_and_its_merge_base_and_says_the_prompts_are_not_included() {
        let mut input = input();
        input.scope = ReviewScope::Base { base: "main".into() };
        input.prompts.clear();
        input.merge_base = Some("abc123".into());
        let diff = input.diff_text();
        let prompt = review_prompt(&input, DiffPlace::Inline(&diff), None);
        for expected in ["(changes since main (merge base abc123))", "the session's prompts and checks are not included", "Git gave these changes", "-x\n+y\n"] {
            assert!(prompt.contains(expected), "{expected:?} in {prompt}");
        }
        assert!(!prompt.contains("What the agent was asked") && !prompt.contains("file journal recorded"));
    }

    #[test]
    fn the_repair_prompt_says_what_was_wrong_and_repeats_the_schema() {
        let repair = repair_prompt("the reviewer's answer holds no JSON object");
        assert!(repair.starts_with("Your answer could not be read: the reviewer's answer holds no JSON object."));
        assert!(repair.contains(REVIEW_SCHEMA));
    }

    #[test]
    fn long_quotes_are_cut_on_a_character_boundary() {
        let long = "é".repeat(QUOTE_LIMIT);
        let cut = quote(&long);
        assert!(cut.len() < long.len() && cut.contains("more bytes"));
    }
}
