//! What Claude's tools are, in the shared vocabulary: kind, a human title, the files they touch.

use serde_json::Value;
use std::path::Path;
use warden_core::session::{PlanEntry, PlanEntryStatus, ToolKind, ToolLocation};

/// Kind, title and locations of a Claude tool call.
pub fn describe(name: &str, input: &Value, project: &Path) -> (ToolKind, String, Vec<ToolLocation>) {
    let text = |key: &str| input.get(key).and_then(Value::as_str).unwrap_or("");
    let path_of = |key: &str| input.get(key).and_then(Value::as_str).map(str::to_owned);
    let shown = |p: &str| display_path(p, project);
    let location = |p: Option<String>| p.map(|path| vec![ToolLocation { path, line: None }]).unwrap_or_default();
    match name {
        "Read" => {
            let line = input.get("offset").and_then(Value::as_u64).map(|l| l as u32);
            let locations = path_of("file_path").map(|path| vec![ToolLocation { path, line }]).unwrap_or_default();
            (ToolKind::Read, format!("Read {}", shown(text("file_path"))), locations)
        }
        "Write" => (ToolKind::Edit, format!("Write {}", shown(text("file_path"))), location(path_of("file_path"))),
        "Edit" | "MultiEdit" => (ToolKind::Edit, format!("Edit {}", shown(text("file_path"))), location(path_of("file_path"))),
        "NotebookEdit" => {
            (ToolKind::Edit, format!("Edit {}", shown(text("notebook_path"))), location(path_of("notebook_path")))
        }
        "Bash" | "PowerShell" => {
            let command = one_line(text("command"), 80);
            (ToolKind::Execute, format!("Run {command}"), Vec::new())
        }
        "Glob" | "Grep" => {
            let title = format!("Search {}", quoted(text("pattern")));
            (ToolKind::Search, title, location(path_of("path")))
        }
        "WebSearch" => (ToolKind::Search, format!("Search the web for {}", quoted(text("query"))), Vec::new()),
        "ToolSearch" => (ToolKind::Search, "Search tools".to_owned(), Vec::new()),
        "WebFetch" => (ToolKind::Fetch, format!("Fetch {}", text("url")), Vec::new()),
        "Task" | "Agent" => {
            let description = text("description");
            let title = if description.is_empty() { "Run a subagent".to_owned() } else { format!("Subagent: {description}") };
            (ToolKind::Think, title, Vec::new())
        }
        "TodoWrite" => (ToolKind::Think, "Update the to-do list".to_owned(), Vec::new()),
        "TaskCreate" => (ToolKind::Think, format!("Add task: {}", text("subject")), Vec::new()),
        "TaskUpdate" => (ToolKind::Think, format!("Update task {}", text("taskId")), Vec::new()),
        "ExitPlanMode" => (ToolKind::Think, "Present the plan".to_owned(), Vec::new()),
        "AskUserQuestion" => (ToolKind::Other, "Ask a question".to_owned(), Vec::new()),
        other => match other.strip_prefix("mcp__").and_then(|rest| rest.split_once("__")) {
            Some((server, tool)) => (ToolKind::Other, format!("{server}: {tool}"), Vec::new()),
            None => (ToolKind::Other, other.to_owned(), Vec::new()),
        },
    }
}

/// The whole to-do list a `TodoWrite` call sets.
pub fn todo_list(input: &Value) -> Option<Vec<PlanEntry>> {
    let todos = input.get("todos")?.as_array()?;
    Some(
        todos
            .iter()
            .map(|todo| PlanEntry {
                id: None,
                content: todo.get("content").and_then(Value::as_str).unwrap_or("").to_owned(),
                status: plan_status(todo.get("status").and_then(Value::as_str)).unwrap_or(PlanEntryStatus::Pending),
            })
            .collect(),
    )
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
