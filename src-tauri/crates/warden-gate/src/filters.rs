//! Whether a check's `when.*` filters match a situation: pure functions, no clock, no disk.
//! Every filter that is set must match (AND); a filter about something the situation does not
//! have (a command filter when no tool call finished) does not match. The answer says which
//! filter decided, for the Checks panel's "why it ran / why it was skipped".

use crate::config::When;
use serde::Serialize;

/// What the gate knows when it decides whether a check runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Situation {
    /// Project-relative paths (with `/`) the task changed, as the file journal recorded them.
    pub changed_paths: Vec<String>,
    /// Lines the task changed, added plus removed.
    pub changed_lines: u64,
    /// The agent's kind (`claude`, `codex`, `gemini`, …).
    pub agent: Option<String>,
    /// The tool call that finished, for `tool.completed`.
    pub tool: Option<ToolCall>,
    /// Whether the tool call (or the task's turn) succeeded.
    pub success: Option<bool>,
    /// The task's round (1 is the person's own turn).
    pub round: u32,
}

/// A finished tool call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ToolCall {
    /// Its kind (`read`, `edit`, `execute`, …).
    pub kind: Option<String>,
    /// The command line, for a command.
    pub command: Option<String>,
    /// The command's exit code.
    pub exit_code: Option<i64>,
}

/// The filters' answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "outcome")]
pub enum Decision {
    /// Every filter that is set matched; `reasons` says how (empty when none is set).
    Run {
        /// One line per filter, e.g. "changed src/lib.rs (matches *.rs)".
        reasons: Vec<String>,
    },
    /// A filter did not match.
    Skip {
        /// Which one and why, e.g. "no changed path matches *.rs".
        reason: String,
    },
}

impl Decision {
    /// Whether the check runs.
    pub fn runs(&self) -> bool {
        matches!(self, Self::Run { .. })
    }
}

/// Decides whether a check with filters `when` runs in `situation`.
pub fn decide(when: &When, situation: &Situation) -> Decision {
    let mut reasons = Vec::new();
    macro_rules! skip {
        ($($arg:tt)*) => { return Decision::Skip { reason: format!($($arg)*) } };
    }
    if !when.round.is_empty() {
        if !when.round.contains(&situation.round) {
            skip!("round {} is not one of {:?}", situation.round, when.round);
        }
        reasons.push(format!("round {}", situation.round));
    }
    if !when.agent.is_empty() {
        match &situation.agent {
            Some(agent) if when.agent.iter().any(|a| a.eq_ignore_ascii_case(agent)) => reasons.push(format!("agent {agent}")),
            Some(agent) => skip!("the agent is {agent}, not {}", when.agent.join(" or ")),
            None => skip!("no agent (the check filters on {})", when.agent.join(" or ")),
        }
    }
    if let Some(globs) = &when.changed {
        let hit = situation.changed_paths.iter().find_map(|p| globs.0.first_match(p).map(|g| (p, g)));
        match hit {
            Some((path, glob)) => reasons.push(format!("changed {path} (matches {glob})")),
            None if situation.changed_paths.is_empty() => skip!("the task changed no files"),
            None => skip!("no changed path matches {}", globs.0.patterns().join(", ")),
        }
    }
    if let Some(min) = when.min_changed_lines {
        if situation.changed_lines < min {
            skip!("{} lines changed, fewer than {min}", situation.changed_lines);
        }
        reasons.push(format!("{} lines changed", situation.changed_lines));
    }
    if !when.tool_kind.is_empty() {
        match situation.tool.as_ref().and_then(|t| t.kind.as_deref()) {
            Some(kind) if when.tool_kind.iter().any(|k| k.eq_ignore_ascii_case(kind)) => reasons.push(format!("a {kind} tool call")),
            Some(kind) => skip!("the tool call is {kind}, not {}", when.tool_kind.join(" or ")),
            None => skip!("no finished tool call"),
        }
    }
    if let Some(globs) = &when.command {
        match situation.tool.as_ref().and_then(|t| t.command.as_deref()) {
            Some(command) => match globs.0.first_match(command.trim()) {
                Some(glob) => reasons.push(format!("ran `{}` (matches {glob})", command.trim())),
                None => skip!("`{}` does not match {}", command.trim(), globs.0.patterns().join(", ")),
            },
            None => skip!("no finished command"),
        }
    }
    if let Some(filter) = &when.exit_code {
        match situation.tool.as_ref().and_then(|t| t.exit_code) {
            Some(code) if filter.matches(code) => reasons.push(format!("exit code {code}")),
            Some(code) => skip!("exit code {code} does not match"),
            None => skip!("no exit code"),
        }
    }
    if let Some(wanted) = when.success {
        match situation.success {
            Some(success) if success == wanted => reasons.push(if success { "succeeded".to_owned() } else { "failed".to_owned() }),
            Some(success) => skip!("{}", if success { "it succeeded (the check runs on failure)" } else { "it failed (the check runs on success)" }),
            None => skip!("no success or failure known"),
        }
    }
    Decision::Run { reasons }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{CommandGlobs, ExitCodeFilter, Globs, PathGlobs};

    fn paths(globs: &[&str]) -> Option<PathGlobs> {
        Some(PathGlobs(Globs::paths(globs.iter().map(|g| g.to_string()).collect()).unwrap()))
    }

    fn situation(changed: &[&str]) -> Situation {
        Situation { changed_paths: changed.iter().map(|p| p.to_string()).collect(), round: 1, ..Default::default() }
    }

    #[test]
    fn no_filters_always_run() {
        assert_eq!(decide(&When::default(), &Situation::default()), Decision::Run { reasons: vec![] });
    }

    #[test]
    fn changed_paths_are_matched_with_globs_and_say_which() {
        let when = When { changed: paths(&["*.rs", "Cargo.toml"]), ..Default::default() };
        let run = decide(&when, &situation(&["README.md", "src/lib.rs"]));
        assert_eq!(run, Decision::Run { reasons: vec!["changed src/lib.rs (matches *.rs)".into()] });
        assert!(!decide(&when, &situation(&["docs/Cargo.toml.md"])).runs());
        assert!(decide(&when, &situation(&["Cargo.toml"])).runs());
        let Decision::Skip { reason } = decide(&when, &situation(&[])) else { panic!() };
        assert!(reason.contains("no files"), "{reason}");
        let rooted = When { changed: paths(&["src/*.rs"]), ..Default::default() };
        assert!(!decide(&rooted, &situation(&["src/a/b.rs"])).runs(), "a glob with / is anchored and * stays in its folder");
    }

    #[test]
    fn a_finished_command_is_matched_by_command_exit_code_and_success() {
        let when = When {
            command: Some(CommandGlobs(Globs::commands(vec!["cargo test*".into(), "npm test".into()]).unwrap())),
            exit_code: Some(ExitCodeFilter::Not(0)),
            tool_kind: vec!["execute".into()],
            ..Default::default()
        };
        let mut s = Situation {
            tool: Some(ToolCall { kind: Some("execute".into()), command: Some("cargo test -p app".into()), exit_code: Some(101) }),
            round: 1,
            ..Default::default()
        };
        assert!(decide(&when, &s).runs());
        s.tool.as_mut().unwrap().exit_code = Some(0);
        assert!(!decide(&when, &s).runs(), "only when it failed");
        s.tool.as_mut().unwrap().command = Some("cargo build".into());
        assert!(!decide(&when, &s).runs());
        assert!(!decide(&when, &situation(&[])).runs(), "no tool call, no match");
        let success = When { success: Some(false), ..Default::default() };
        assert!(decide(&success, &Situation { success: Some(false), ..Default::default() }).runs());
        assert!(!decide(&success, &Situation { success: Some(true), ..Default::default() }).runs());
        assert!(!decide(&success, &Situation::default()).runs());
    }

    #[test]
    fn agent_round_and_size_filters() {
        let when = When { agent: vec!["claude".into(), "codex".into()], round: vec![1], min_changed_lines: Some(5), ..Default::default() };
        let mut s = Situation { agent: Some("codex".into()), round: 1, changed_lines: 5, ..Default::default() };
        assert!(decide(&when, &s).runs());
        s.round = 2;
        assert!(!decide(&when, &s).runs());
        s.round = 1;
        s.changed_lines = 4;
        assert!(!decide(&when, &s).runs());
        s.changed_lines = 9;
        s.agent = Some("gemini".into());
        let Decision::Skip { reason } = decide(&when, &s) else { panic!() };
        assert!(reason.contains("gemini"), "{reason}");
    }
}
