//! ACP tool calls in Warden's vocabulary: a tool name Warden's permission rules know (`Bash`,
//! `Write`, `Edit`, `Read`, …) and a typed [`ToolInput`] (a shell command with the folder from
//! `shell_folder.rs`, a write with its content, an edit with its old and new text, …), its kind,
//! the files it touches, and what it returned as text.
//!
//! ACP describes a call by kind, title, content and locations, and only sometimes by its real
//! input (`rawInput`; Gemini CLI 0.61.0 sends none with its permission questions). The name and
//! input are therefore derived from the kind and filled in from whatever the call carries. The
//! agents' raw inputs mostly use Claude's keys (`command`, `file_path`, `old_string`: the Claude
//! Code ACP adapter sends Claude's inputs, Gemini's tools use the same names), so they are read
//! as Claude's once the gaps are filled. The ACP call itself is the tool call's raw input.

use super::terminals::Shown;
use agent_client_protocol::v1::schema as acp;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use warden_core::session::{FileAction, FileChange, ToolInput, ToolKind, ToolLocation, ToolOutput};

/// Tool names that already mean what Warden's rules expect (the Claude Code ACP adapter names
/// its calls after Claude's tools, in `_meta.claudeCode.toolName` and a non-standard `name`).
const KNOWN_TOOLS: &[&str] = &[
    "Bash", "Read", "Write", "Edit", "MultiEdit", "NotebookEdit", "Grep", "Glob", "LS", "WebFetch", "WebSearch", "Task",
    "Agent", "TodoWrite", "ExitPlanMode",
];

/// Everything known about one ACP tool call, merged from `tool_call`, `tool_call_update` and
/// the permission question that may be the first Warden hears of it.
#[derive(Debug, Clone, Default)]
pub(super) struct AcpCall {
    pub title: String,
    pub kind: acp::ToolKind,
    /// The agent's own tool name, where it says (non-standard `name` or `_meta`).
    pub name: Option<String>,
    pub raw_input: Option<Value>,
    pub raw_output: Option<Value>,
    pub content: Vec<acp::ToolCallContent>,
    pub locations: Vec<acp::ToolCallLocation>,
}

impl AcpCall {
    /// A call as `tool_call` announces it.
    pub fn from_call(call: &acp::ToolCall) -> Self {
        AcpCall {
            title: call.title.clone(),
            kind: call.kind,
            name: call.name.clone().or_else(|| meta_tool_name(call.meta.as_ref())),
            raw_input: call.raw_input.clone(),
            raw_output: call.raw_output.clone(),
            content: call.content.clone(),
            locations: call.locations.clone(),
        }
    }

    /// Takes in the fields an update carries (absent ones stay as they were).
    pub fn update(&mut self, update: &acp::ToolCallUpdate) {
        let f = &update.fields;
        if let Some(title) = &f.title {
            self.title = title.clone();
        }
        if let Some(kind) = f.kind {
            self.kind = kind;
        }
        if let Some(name) = f.name.clone().or_else(|| meta_tool_name(update.meta.as_ref())) {
            self.name = Some(name);
        }
        // Claude's adapter first announces `rawInput: {}` and sends the real input later.
        if let Some(input) = f.raw_input.as_ref().filter(|v| !is_empty_object(v)) {
            self.raw_input = Some(input.clone());
        }
        if let Some(output) = &f.raw_output {
            self.raw_output = Some(output.clone());
        }
        if let Some(content) = &f.content {
            self.content = content.clone();
        }
        if let Some(locations) = &f.locations {
            self.locations = locations.clone();
        }
    }

    /// The first diff's path, else the first location's.
    pub fn path(&self) -> Option<String> {
        self.diffs().next().map(|d| d.path.display().to_string()).or_else(|| self.locations.first().map(|l| l.path.display().to_string()))
    }

    fn diffs(&self) -> impl Iterator<Item = &acp::Diff> {
        self.content.iter().filter_map(|c| match c {
            acp::ToolCallContent::Diff(d) => Some(d),
            _ => None,
        })
    }

    /// The tool name Warden's rules know it by.
    pub fn tool_name(&self) -> String {
        if let Some(name) = self.name.as_deref().filter(|n| KNOWN_TOOLS.contains(n)) {
            return name.to_owned();
        }
        match self.kind {
            acp::ToolKind::Execute => "Bash".into(),
            acp::ToolKind::Edit => {
                // A diff from nothing creates the file.
                let creates = self.diffs().next().is_some_and(|d| d.old_text.as_deref().is_none_or(str::is_empty));
                if creates { "Write" } else { "Edit" }.into()
            }
            acp::ToolKind::Read => "Read".into(),
            acp::ToolKind::Search => "Grep".into(),
            acp::ToolKind::Fetch => "WebFetch".into(),
            acp::ToolKind::Delete => "Delete".into(),
            acp::ToolKind::Move => "Move".into(),
            acp::ToolKind::Think => "Think".into(),
            acp::ToolKind::SwitchMode => "SwitchMode".into(),
            _ => self.name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| self.title.clone()),
        }
    }

    /// What the call does: the agent's raw input with the gaps filled from the call's kind,
    /// title, diffs and locations, read as the input of the Claude tool it is named after.
    pub fn input(&self, project: &std::path::Path) -> ToolInput {
        let name = self.tool_name();
        let mut shaped = self.claude_shaped(&name, project);
        match name.as_str() {
            // No Claude tool deletes or moves: the file is a patch's.
            "Delete" | "Move" => {
                let action = if name == "Delete" { FileAction::Delete } else { FileAction::Update };
                let path = shaped.remove("file_path").and_then(|v| v.as_str().map(str::to_owned));
                let files = path.map(|path| FileChange { path, action, move_to: None, diff: String::new() });
                ToolInput::Patch { files: files.into_iter().collect() }
            }
            _ => ToolInput::from_claude(&name, &Value::Object(shaped)),
        }
    }

    /// The agent's raw input with the keys Claude's tool of that name has filled in where it
    /// lacks them.
    fn claude_shaped(&self, name: &str, project: &std::path::Path) -> Map<String, Value> {
        let mut input = match &self.raw_input {
            Some(Value::Object(map)) => map.clone(),
            Some(other) => Map::from_iter([("value".to_owned(), other.clone())]),
            None => Map::new(),
        };
        let text = |key: &str| self.raw_input.as_ref().and_then(|v| v.get(key)).and_then(Value::as_str).map(str::to_owned);
        // The Codex adapter gives the command as an argument list (`["/bin/bash", "-lc", …]`);
        // the rules read a command line.
        if let Some(Value::Array(words)) = input.get("command") {
            let words: Vec<&str> = words.iter().filter_map(Value::as_str).collect();
            input.insert("command".to_owned(), Value::String(warden_core::permission::command_line(&words)));
        }
        let mut fill = |key: &str, value: Option<String>| {
            if let (false, Some(value)) = (input.contains_key(key), value) {
                input.insert(key.to_owned(), Value::String(value));
            }
        };
        match name {
            // Gemini's shell title is the command itself.
            "Bash" => {
                fill("command", text("cmd").or_else(|| Some(self.title.clone())));
                input.insert("cwd".to_owned(), super::shell_folder::shell_cwd(self, project));
            }
            "Write" | "Edit" | "Read" | "Delete" | "Move" => {
                fill("file_path", text("path").or_else(|| self.path()));
                // The diff gives the shapes the permission dialog previews: a new file's
                // content, or an edit's old and new text.
                if let Some(diff) = self.diffs().next() {
                    match name {
                        "Write" => fill("content", Some(diff.new_text.clone())),
                        "Edit" => {
                            fill("old_string", diff.old_text.clone());
                            fill("new_string", Some(diff.new_text.clone()));
                        }
                        _ => {}
                    }
                }
            }
            "Grep" => {
                fill("pattern", text("query").or_else(|| Some(self.title.clone())));
                fill("path", self.locations.first().map(|l| l.path.display().to_string()));
            }
            "WebFetch" => fill("url", Some(self.title.clone())),
            _ => {}
        }
        input
    }

    /// Warden's kind for it.
    pub fn kind(&self) -> ToolKind {
        match self.kind {
            acp::ToolKind::Read => ToolKind::Read,
            acp::ToolKind::Edit => ToolKind::Edit,
            acp::ToolKind::Delete => ToolKind::Delete,
            acp::ToolKind::Move => ToolKind::Move,
            acp::ToolKind::Search => ToolKind::Search,
            acp::ToolKind::Execute => ToolKind::Execute,
            acp::ToolKind::Think | acp::ToolKind::SwitchMode => ToolKind::Think,
            acp::ToolKind::Fetch => ToolKind::Fetch,
            _ => ToolKind::Other,
        }
    }

    /// The files it works on.
    pub fn locations(&self) -> Vec<ToolLocation> {
        self.locations.iter().map(|l| ToolLocation { path: l.path.display().to_string(), line: l.line }).collect()
    }

    /// The title, or the tool name when the agent gave none.
    pub fn title(&self) -> String {
        if self.title.is_empty() {
            self.tool_name()
        } else {
            self.title.clone()
        }
    }
}

/// What a call returned, when its update carries content or a raw output: the text the model
/// reads (content text, diffs as unified diffs, a terminal's output as last read) and the raw
/// ACP content and output.
pub(super) fn output(fields: &acp::ToolCallUpdateFields, terminals: &HashMap<String, Shown>) -> Option<ToolOutput> {
    if fields.content.as_ref().is_none_or(Vec::is_empty) && fields.raw_output.is_none() {
        return None;
    }
    let content = fields.content.clone().unwrap_or_default();
    let mut text: Vec<String> = content.iter().map(|c| content_text(c, terminals)).filter(|t| !t.is_empty()).collect();
    if text.is_empty() {
        match &fields.raw_output {
            Some(Value::String(s)) => text.push(s.clone()),
            Some(Value::Null) | None => {}
            Some(other) => text.push(other.to_string()),
        }
    }
    let raw = json!({"content": content, "rawOutput": fields.raw_output});
    Some(ToolOutput::new(text.join("\n"), Some(raw)))
}

/// One piece of tool call content as text.
pub(super) fn content_text(content: &acp::ToolCallContent, terminals: &HashMap<String, Shown>) -> String {
    match content {
        acp::ToolCallContent::Content(c) => block_text(&c.content),
        acp::ToolCallContent::Diff(d) => {
            let path = d.path.display().to_string();
            let old = d.old_text.as_deref().unwrap_or("");
            similar::TextDiff::from_lines(old, &d.new_text).unified_diff().header(&path, &path).to_string()
        }
        acp::ToolCallContent::Terminal(t) => match terminals.get(&*t.terminal_id.0).and_then(|s| s.text.clone()) {
            Some(text) => text,
            None => format!("[terminal {}]", t.terminal_id),
        },
        _ => String::new(),
    }
}

/// A content block as text: text as it is, anything else as a short mention.
pub(super) fn block_text(block: &acp::ContentBlock) -> String {
    match block {
        acp::ContentBlock::Text(t) => t.text.clone(),
        acp::ContentBlock::ResourceLink(l) => format!("[{}]({})", l.name, l.uri),
        acp::ContentBlock::Resource(r) => match &r.resource {
            acp::EmbeddedResourceResource::TextResourceContents(t) => t.text.clone(),
            _ => "[binary resource]".into(),
        },
        acp::ContentBlock::Image(_) => "[image]".into(),
        acp::ContentBlock::Audio(_) => "[audio]".into(),
        _ => "[content]".into(),
    }
}

/// Claude's ACP adapter names the tool in `_meta.claudeCode.toolName`.
fn meta_tool_name(meta: Option<&acp::Meta>) -> Option<String> {
    meta?.get("claudeCode")?.get("toolName")?.as_str().map(str::to_owned)
}

fn is_empty_object(v: &Value) -> bool {
    v.as_object().is_some_and(Map::is_empty)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The call an ACP `tool_call` update announces, read as the adapter reads it.
    fn call(update: Value) -> AcpCall {
        let call: acp::ToolCall = serde_json::from_value(update).expect("an ACP tool call");
        AcpCall::from_call(&call)
    }

    #[test]
    fn the_claude_code_adapters_calls_read_as_claudes_tools() {
        // The Claude Code ACP adapter names the tool in `_meta` and sends Claude's input.
        let edit = call(json!({"_meta": {"claudeCode": {"toolName": "Edit"}}, "toolCallId": "toolu_1", "title": "Edit a.rs",
            "kind": "edit", "status": "pending", "rawInput": {"file_path": "/p/a.rs", "old_string": "a", "new_string": "b"},
            "content": [], "locations": [{"path": "/p/a.rs"}]}));
        assert_eq!(edit.tool_name(), "Edit");
        let typed = edit.input(Path::new("/p"));
        assert!(matches!(&typed, ToolInput::Edit { path, edits, .. } if path == "/p/a.rs" && edits[0].new_text == "b"), "{typed:?}");
        let plan = call(json!({"_meta": {"claudeCode": {"toolName": "ExitPlanMode"}}, "toolCallId": "toolu_2", "title": "Ready to code?",
            "kind": "switch_mode", "status": "pending", "rawInput": {"plan": "1. Edit"}}));
        assert_eq!(plan.input(Path::new("/p")).plan(), Some("1. Edit"), "a plan to approve, whatever its kind");
    }

    #[test]
    fn the_codex_adapters_command_list_and_folder_make_a_shell_command() {
        let exec = call(json!({"toolCallId": "call_1", "title": "touch a", "kind": "execute", "status": "pending",
            "rawInput": {"command": ["/bin/bash", "-lc", "touch a"], "cwd": "/p/sub"}}));
        let typed = exec.input(Path::new("/p"));
        assert_eq!(typed.command(), Some("touch a"), "the script inside the shell wrapper");
        assert_eq!(typed.cwd(), Some("/p/sub"));
    }

    #[test]
    fn geminis_edits_deletes_and_searches_read_from_their_diffs_and_locations() {
        let edit = call(json!({"toolCallId": "replace_1", "title": "a.txt: x => y", "kind": "edit", "status": "pending",
            "content": [{"type": "diff", "path": "/p/a.txt", "oldText": "x\n", "newText": "y\n"}], "locations": [{"path": "/p/a.txt"}]}));
        let typed = edit.input(Path::new("/p"));
        assert!(matches!(&typed, ToolInput::Edit { edits, .. } if edits[0].old_text == "x\n" && edits[0].new_text == "y\n"), "{typed:?}");
        let delete = call(json!({"toolCallId": "delete_1", "title": "Delete b.txt", "kind": "delete", "status": "pending",
            "locations": [{"path": "/p/b.txt"}]}));
        assert_eq!(delete.tool_name(), "Delete");
        assert_eq!(delete.input(Path::new("/p")).patch_paths(), ["/p/b.txt"]);
        let search = call(json!({"toolCallId": "grep_1", "title": "'TODO' in src", "kind": "search", "status": "pending",
            "rawInput": {"pattern": "TODO", "include": "*.rs"}, "locations": [{"path": "/p/src"}]}));
        let typed = search.input(Path::new("/p"));
        assert!(
            matches!(&typed, ToolInput::Search { pattern, path: Some(path), globs, .. } if pattern == "TODO" && path == "/p/src" && globs == &["*.rs"]),
            "{typed:?}"
        );
    }
}
