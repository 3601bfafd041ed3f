//! Claude Code's tool inputs read into a [`ToolInput`]: `Bash {command}`, `Edit {file_path,
//! old_string, new_string}`, `Grep {pattern, path, glob}`, …
//!
//! The reader lives in the core, not in the Claude adapter alone, because Claude's tool names and
//! shapes are also what the Claude Code ACP adapter sends, and what every tool call Warden stored
//! before inputs were typed carries (Codex's and ACP agents' calls were then dressed in these
//! shapes): such a stored event is read back through here.

use super::event::{PlanEntry, PlanEntryStatus, SessionEvent, SessionEventKind};
use super::ids::ToolCallId;
use super::tool_input::{AskedQuestion, FileAction, FileChange, QuestionOption, TextEdit, ToolInput};
use serde_json::{Map, Value};
use std::collections::HashMap;

impl ToolInput {
    /// Reads the input of a call of Claude's tool `name`. A tool Warden does not know, or an
    /// input that is not an object, is [`ToolInput::Other`].
    pub fn from_claude(name: &str, input: &Value) -> ToolInput {
        let Some(object) = input.as_object() else { return ToolInput::other(input.clone()) };
        let text = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_owned);
        let owned = |key: &str| text(key).unwrap_or_default();
        let number = |key: &str| object.get(key).and_then(Value::as_u64);
        match name {
            "Bash" | "PowerShell" => ToolInput::Shell {
                command: owned("command"),
                cwd: text("cwd"),
                description: text("description"),
                timeout_ms: number("timeout"),
            },
            "Read" => ToolInput::Read { path: owned("file_path"), offset: number("offset"), limit: number("limit"), cwd: text("cwd") },
            "Write" => ToolInput::Write { path: owned("file_path"), content: owned("content"), cwd: text("cwd") },
            // Codex's patches were stored as an `Edit` of their files (`file_paths`).
            "Edit" if object.get("file_paths").is_some_and(Value::is_array) => ToolInput::Patch {
                files: strings(object.get("file_paths"))
                    .into_iter()
                    .map(|path| FileChange { path, action: FileAction::Update, move_to: None, diff: owned("diff") })
                    .collect(),
            },
            "Edit" | "MultiEdit" => {
                let edits = match object.get("edits").and_then(Value::as_array) {
                    Some(list) => list.iter().filter_map(Value::as_object).filter_map(text_edit).collect(),
                    None => text_edit(object).into_iter().collect(),
                };
                ToolInput::Edit { path: owned("file_path"), edits, cwd: text("cwd") }
            }
            "NotebookEdit" => ToolInput::NotebookEdit {
                path: owned("notebook_path"),
                source: owned("new_source"),
                cell_id: text("cell_id"),
                edit_mode: text("edit_mode"),
                cwd: text("cwd"),
            },
            "Grep" | "Glob" => {
                let named = ["pattern", "path", "glob", "include", "cwd"];
                // The rest are flags such as `-i`, `output_mode`, `type`: shown, not decided on.
                let options = object
                    .iter()
                    .filter(|(key, _)| !named.contains(&key.as_str()))
                    .filter_map(|(key, value)| scalar(value).map(|v| (key.clone(), v)))
                    .collect();
                ToolInput::Search {
                    pattern: owned("pattern"),
                    path: text("path"),
                    globs: ["glob", "include"].iter().filter_map(|key| text(key)).collect(),
                    options,
                    cwd: text("cwd"),
                }
            }
            "LS" => ToolInput::List { path: text("path"), cwd: text("cwd") },
            "WebFetch" => ToolInput::Fetch { url: owned("url"), prompt: text("prompt") },
            "WebSearch" => ToolInput::WebSearch { query: owned("query") },
            "Task" | "Agent" => ToolInput::Subagent {
                description: text("description"),
                agent: text("subagent_type"),
                prompt: owned("prompt"),
            },
            "TodoWrite" => ToolInput::Todos { items: todos(object.get("todos")) },
            "ExitPlanMode" => ToolInput::Plan { plan: text("plan") },
            "AskUserQuestion" => ToolInput::Question { questions: questions(object.get("questions")) },
            _ => ToolInput::other(input.clone()),
        }
    }
}

/// Gives the tool call updates of a stored session that were recorded before inputs were typed
/// their input, read from their raw input by the name of the call they update (an update does
/// not carry the name). Calls themselves are read so when they are deserialized.
pub fn type_stored_updates(events: &mut [SessionEvent]) {
    let mut names: HashMap<ToolCallId, String> = HashMap::new();
    for event in events {
        match &mut event.kind {
            SessionEventKind::ToolCall(call) => {
                names.insert(call.id.clone(), call.name.clone());
            }
            SessionEventKind::ToolCallUpdate(update) if update.input.is_none() => {
                if let (Some(raw), Some(name)) = (&update.raw_input, names.get(&update.id)) {
                    update.input = Some(ToolInput::from_claude(name, raw));
                }
            }
            _ => {}
        }
    }
}

/// `{old_string, new_string, replace_all}`, when both texts are there.
fn text_edit(object: &Map<String, Value>) -> Option<TextEdit> {
    let text = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_owned);
    Some(TextEdit {
        old_text: text("old_string")?,
        new_text: text("new_string")?,
        replace_all: object.get("replace_all").and_then(Value::as_bool).unwrap_or(false),
    })
}

/// A scalar option's value as text; objects, lists and `null` are not options.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(_) | Value::Number(_) => Some(value.to_string()),
        _ => None,
    }
}

fn strings(list: Option<&Value>) -> Vec<String> {
    list.and_then(Value::as_array).map(|l| l.iter().filter_map(Value::as_str).map(str::to_owned).collect()).unwrap_or_default()
}

/// `TodoWrite`'s list: `{content, status, activeForm}` entries.
fn todos(list: Option<&Value>) -> Vec<PlanEntry> {
    let entries = list.and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    entries
        .iter()
        .map(|todo| {
            let text = |key: &str| todo.get(key).and_then(Value::as_str);
            PlanEntry {
                id: None,
                content: text("content").or(text("subject")).unwrap_or("").to_owned(),
                status: match text("status") {
                    Some("in_progress") => PlanEntryStatus::InProgress,
                    Some("completed") => PlanEntryStatus::Completed,
                    _ => PlanEntryStatus::Pending,
                },
            }
        })
        .collect()
}

/// `AskUserQuestion`'s questions: `{question, header, options: [{label, description}], multiSelect}`.
fn questions(list: Option<&Value>) -> Vec<AskedQuestion> {
    let entries = list.and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    entries
        .iter()
        .map(|q| AskedQuestion {
            question: q.get("question").and_then(Value::as_str).unwrap_or("").to_owned(),
            header: q.get("header").and_then(Value::as_str).map(str::to_owned),
            options: q
                .get("options")
                .and_then(Value::as_array)
                .map(|o| {
                    o.iter()
                        .filter_map(|o| {
                            let label = o.get("label").and_then(Value::as_str)?.to_owned();
                            let description = o.get("description").and_then(Value::as_str).map(str::to_owned);
                            Some(QuestionOption { label, description })
                        })
                        .collect()
                })
                .unwrap_or_default(),
            multi_select: q.get("multiSelect").and_then(Value::as_bool).unwrap_or(false),
            id: None,
            // Claude Code always adds an "Other" answer of the person's own words.
            allows_other: true,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn claudes_tools_read_into_their_variants() {
        let bash = ToolInput::from_claude("Bash", &json!({"command": "npm test", "description": "Run the tests", "timeout": 60000}));
        assert_eq!(
            bash,
            ToolInput::Shell { command: "npm test".into(), cwd: None, description: Some("Run the tests".into()), timeout_ms: Some(60000) }
        );
        let edit = ToolInput::from_claude("Edit", &json!({"file_path": "/f", "old_string": "a", "new_string": "b", "replace_all": true}));
        assert_eq!(
            edit,
            ToolInput::Edit {
                path: "/f".into(),
                edits: vec![TextEdit { old_text: "a".into(), new_text: "b".into(), replace_all: true }],
                cwd: None
            }
        );
        let multi = ToolInput::from_claude(
            "MultiEdit",
            &json!({"file_path": "/f", "edits": [{"old_string": "a", "new_string": "b"}, {"bogus": 1}]}),
        );
        assert!(matches!(&multi, ToolInput::Edit { edits, .. } if edits.len() == 1), "{multi:?}");
        let grep = ToolInput::from_claude("Grep", &json!({"pattern": "fn", "path": "src", "glob": "*.rs", "-i": true}));
        assert_eq!(
            grep,
            ToolInput::Search {
                pattern: "fn".into(),
                path: Some("src".into()),
                globs: vec!["*.rs".into()],
                options: vec![("-i".into(), "true".into())],
                cwd: None
            }
        );
        assert_eq!(ToolInput::from_claude("ExitPlanMode", &json!({"plan": "1. x"})).plan(), Some("1. x"));
        let mcp = json!({"title": "Bug"});
        assert_eq!(ToolInput::from_claude("mcp__gh__issue", &mcp), ToolInput::Other { raw: mcp });
        assert_eq!(ToolInput::from_claude("Bash", &Value::Null), ToolInput::Other { raw: Value::Null });
    }

    #[test]
    fn calls_and_updates_stored_before_inputs_were_typed_are_read_in_claudes_shapes() {
        use crate::session::{SessionId, ToolCall};
        let call: ToolCall = serde_json::from_value(json!({"id": "t1", "parent": null, "name": "Edit", "kind": "edit",
            "title": "Edit a", "rawInput": null, "locations": [], "status": "pending"}))
        .unwrap();
        assert!(matches!(call.input, ToolInput::Other { .. }), "the input streams in later");
        let update = json!({"type": "toolCallUpdate", "data": {"id": "t1", "status": null, "title": null,
            "rawInput": {"file_path": "/a", "old_string": "x", "new_string": "y"}, "locations": null, "output": null,
            "durationMs": null}});
        let event = |seq, kind| SessionEvent { session_id: SessionId("s".into()), seq, at_ms: 0, kind };
        let mut events = vec![
            event(1, SessionEventKind::ToolCall(call)),
            event(2, serde_json::from_value(update).unwrap()),
        ];
        type_stored_updates(&mut events);
        let SessionEventKind::ToolCallUpdate(update) = &events[1].kind else { panic!("an update") };
        assert_eq!(update.input.as_ref().and_then(ToolInput::file_path), Some("/a"));
    }

    #[test]
    fn a_codex_patch_stored_in_claudes_shape_reads_as_a_patch() {
        let stored = json!({"file_path": "/p/src", "file_paths": ["/p/src/a", "/p/src/b"], "changes": []});
        assert_eq!(ToolInput::from_claude("Edit", &stored).patch_paths(), ["/p/src/a", "/p/src/b"]);
    }
}
