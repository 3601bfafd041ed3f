//! What Claude's tools are, in the shared vocabulary: kind, a human title, the files they touch.

use serde_json::Value;
use std::path::Path;
use warden_core::session::{PlanEntry, PlanEntryStatus, ToolInput, ToolKind, ToolLocation};

/// What a Claude tool call does, typed: Claude's tool shapes are read in the core (see
/// [`ToolInput::from_claude`]), since the Claude Code ACP adapter and stored sessions use them too.
pub fn input(name: &str, input: &Value) -> ToolInput {
    ToolInput::from_claude(name, input)
}

/// Kind, title and locations of a Claude tool call.
pub fn describe(name: &str, raw: &Value, project: &Path) -> (ToolKind, String, Vec<ToolLocation>) {
    // Before its input streams in, a call is titled as if its input were empty ("Read ").
    let empty = Value::Object(Default::default());
    let typed = input(name, if raw.is_object() { raw } else { &empty });
    let shown = |p: &str| display_path(p, project);
    let location = |p: &str| if p.is_empty() { Vec::new() } else { vec![ToolLocation { path: p.to_owned(), line: None }] };
    // Task tools are not typed: their few fields are read here.
    let text = |key: &str| raw.get(key).and_then(Value::as_str).unwrap_or("");
    match (name, &typed) {
        ("Read", ToolInput::Read { path, offset, .. }) => {
            let locations = vec![ToolLocation { path: path.clone(), line: offset.map(|l| l as u32) }];
            (ToolKind::Read, format!("Read {}", shown(path)), if path.is_empty() { Vec::new() } else { locations })
        }
        ("Write", ToolInput::Write { path, .. }) => (ToolKind::Edit, format!("Write {}", shown(path)), location(path)),
        ("Edit" | "MultiEdit" | "NotebookEdit", ToolInput::Edit { path, .. } | ToolInput::NotebookEdit { path, .. }) => {
            (ToolKind::Edit, format!("Edit {}", shown(path)), location(path))
        }
        ("Bash" | "PowerShell", ToolInput::Shell { command, .. }) => {
            (ToolKind::Execute, format!("Run {}", one_line(command, 80)), Vec::new())
        }
        ("Glob" | "Grep", ToolInput::Search { pattern, path, .. }) => {
            (ToolKind::Search, format!("Search {}", quoted(pattern)), path.as_deref().map(location).unwrap_or_default())
        }
        ("WebSearch", ToolInput::WebSearch { query }) => (ToolKind::Search, format!("Search the web for {}", quoted(query)), Vec::new()),
        ("WebFetch", ToolInput::Fetch { url, .. }) => (ToolKind::Fetch, format!("Fetch {url}"), Vec::new()),
        ("Task" | "Agent", ToolInput::Subagent { description, .. }) => {
            let title = match description.as_deref().filter(|d| !d.is_empty()) {
                Some(description) => format!("Subagent: {description}"),
                None => "Run a subagent".to_owned(),
            };
            (ToolKind::Think, title, Vec::new())
        }
        ("TodoWrite", _) => (ToolKind::Think, "Update the to-do list".to_owned(), Vec::new()),
        (_, ToolInput::Plan { .. }) => (ToolKind::Think, "Present the plan".to_owned(), Vec::new()),
        (_, ToolInput::Question { .. }) => (ToolKind::Other, "Ask a question".to_owned(), Vec::new()),
        ("TaskCreate", _) => (ToolKind::Think, format!("Add task: {}", text("subject")), Vec::new()),
        ("TaskUpdate", _) => (ToolKind::Think, format!("Update task {}", text("taskId")), Vec::new()),
        ("ToolSearch", _) => (ToolKind::Search, "Search tools".to_owned(), Vec::new()),
        (other, _) => match other.strip_prefix("mcp__").and_then(|rest| rest.split_once("__")) {
            Some((server, tool)) => (ToolKind::Other, format!("{server}: {tool}"), Vec::new()),
            None => (ToolKind::Other, other.to_owned(), Vec::new()),
        },
    }
}

/// The whole to-do list a `TodoWrite` call sets.
pub fn todo_list(raw: &Value) -> Option<Vec<PlanEntry>> {
    raw.get("todos")?.as_array()?;
    match input("TodoWrite", raw) {
        ToolInput::Todos { items } => Some(items),
        _ => None,
    }
}

/// A Claude task or to-do status as a plan entry status; `deleted` and unknown ones are `None`.
pub fn plan_status(status: Option<&str>) -> Option<PlanEntryStatus> {
    match status? {
        "pending" => Some(PlanEntryStatus::Pending),
        "in_progress" => Some(PlanEntryStatus::InProgress),
        "completed" => Some(PlanEntryStatus::Completed),
        _ => None,
    }
}

/// The id `TaskCreate` gave a new task: from its structured result, else from "Task #3 created".
pub fn created_task_id(result: Option<&Value>, text: &str) -> Option<String> {
    let structured = result.and_then(|r| r.get("task")).and_then(|t| t.get("id"));
    if let Some(id) = structured {
        return Some(match id {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        });
    }
    let after = text.split_once('#')?.1;
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    (!digits.is_empty()).then_some(digits)
}

/// A path relative to the project when it lies inside, else as given.
fn display_path(path: &str, project: &Path) -> String {
    Path::new(path)
        .strip_prefix(project)
        .ok()
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| path.to_owned())
}

fn one_line(text: &str, max: usize) -> String {
    let first = text.lines().next().unwrap_or("");
    let mut out: String = first.chars().take(max).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

fn quoted(text: &str) -> String {
    format!("\"{}\"", one_line(text, 60))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn titles_are_short_and_paths_relative_to_the_project() {
        let project = Path::new("/home/me/app");
        let (kind, title, locations) = describe("Edit", &json!({"file_path": "/home/me/app/src/main.rs"}), project);
        assert_eq!((kind, title.as_str()), (ToolKind::Edit, "Edit src/main.rs"));
        assert_eq!(locations[0].path, "/home/me/app/src/main.rs", "locations keep the absolute path");
        let (kind, title, _) = describe("Bash", &json!({"command": "npm test\nnpm run lint"}), project);
        assert_eq!((kind, title.as_str()), (ToolKind::Execute, "Run npm test…"));
        let (_, title, _) = describe("Write", &json!({"file_path": "/etc/hosts"}), project);
        assert_eq!(title, "Write /etc/hosts", "a path outside the project stays absolute");
        let (kind, title, _) = describe("mcp__github__create_issue", &json!({}), project);
        assert_eq!((kind, title.as_str()), (ToolKind::Other, "github: create_issue"));
        assert_eq!(describe("Agent", &json!({"description": "Look around"}), project).0, ToolKind::Think);
    }

    #[test]
    fn the_recorded_sessions_calls_carry_typed_inputs() {
        use crate::adapter::{AgentAdapter, Output};
        use std::collections::HashMap;
        use warden_core::session::SessionEventKind;
        let recorded = include_str!("../../tests/fixtures/claude-2.1.329-session.jsonl");
        let mut adapter = super::super::ClaudeAdapter::new("/tmp/rec/proj".into());
        let mut inputs: HashMap<String, ToolInput> = HashMap::new();
        for line in recorded.lines() {
            for out in adapter.on_line(line.as_bytes(), std::time::Instant::now()) {
                match out {
                    Output::Event(SessionEventKind::ToolCall(call)) => {
                        inputs.insert(call.id.0, call.input);
                    }
                    Output::Event(SessionEventKind::ToolCallUpdate(update)) => {
                        if let Some(input) = update.input {
                            inputs.insert(update.id.0, input);
                        }
                    }
                    _ => {}
                }
            }
        }
        let write = ToolInput::Write { path: "/tmp/rec/proj/hello.txt".into(), content: "hello from the mock model\n".into(), cwd: None };
        assert_eq!(inputs.get("toolu_mock_1_2"), Some(&write), "the streamed input, once complete");
        let bash = &inputs["toolu_mock_3_0"];
        assert_eq!(bash.command(), Some("touch bash_made.txt && ls"));
        assert!(matches!(bash, ToolInput::Shell { description: Some(d), cwd: None, .. } if d == "Create a file with touch"));
    }

    #[test]
    fn each_tool_reads_into_its_kind_of_input() {
        let read = input("Read", &json!({"file_path": "/p/a.rs", "offset": 10, "limit": 5}));
        assert_eq!(read, ToolInput::Read { path: "/p/a.rs".into(), offset: Some(10), limit: Some(5), cwd: None });
        let multi = input("MultiEdit", &json!({"file_path": "/p/a", "edits": [{"old_string": "a", "new_string": "b", "replace_all": true}]}));
        assert!(matches!(&multi, ToolInput::Edit { edits, .. } if edits[0].replace_all && edits[0].new_text == "b"));
        assert!(input("ExitPlanMode", &json!({"plan": "1. Edit"})).is_plan_approval());
        assert!(matches!(input("AskUserQuestion", &json!({"questions": [{"question": "Which?", "header": "Pick",
            "options": [{"label": "A", "description": "a"}], "multiSelect": false}]})),
            ToolInput::Question { questions } if questions[0].options[0].label == "A" && questions[0].options[0].description.as_deref() == Some("a")));
        assert!(matches!(input("TodoWrite", &json!({"todos": [{"content": "a", "status": "in_progress", "activeForm": "A"}]})),
            ToolInput::Todos { items } if items[0].status == PlanEntryStatus::InProgress));
        assert_eq!(input("mcp__gh__issue", &json!({"title": "Bug"})), ToolInput::Other { raw: json!({"title": "Bug"}) });
    }

    #[test]
    fn task_ids_come_from_the_structured_result_or_the_text() {
        assert_eq!(created_task_id(Some(&json!({"task": {"id": "7"}})), ""), Some("7".into()));
        assert_eq!(created_task_id(None, "Task #12 created successfully: Write tests"), Some("12".into()));
        assert_eq!(created_task_id(None, "No such tool available"), None);
    }

    #[test]
    fn todo_write_replaces_the_list() {
        let entries = todo_list(&json!({"todos": [
            {"content": "a", "status": "completed", "activeForm": "A"},
            {"content": "b", "status": "in_progress", "activeForm": "B"}]}))
        .expect("a list");
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].status, PlanEntryStatus::InProgress);
    }
}
