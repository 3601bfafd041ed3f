//! What a tool call does, typed: a shell command with its folder, a file written with its
//! content, an edit with its replacements, a read with its range, a fetch, a search, a plan to
//! approve, a question, … Each adapter reads its agent's protocol into this once; the permission
//! rules, the permission previews, the timeline and the journal read only this, never an agent's
//! field names. What no variant describes is [`ToolInput::Other`], with the input as sent.

use super::event::PlanEntry;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use specta::Type;

/// A tool call's input, by what it does. The tool's name (which the permission rules match,
/// `Bash`, `Edit(src/**)`) travels beside it, on the call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum ToolInput {
    /// Runs a command line in a shell.
    Shell {
        /// The command line, as the shell reads it (Codex's `bash -lc` wrapper removed).
        command: String,
        /// The folder it runs in (absolute, or relative to the project); `None`: the session's.
        cwd: Option<String>,
        /// What the agent says it does.
        description: Option<String>,
        /// How long the agent lets it run, in milliseconds.
        timeout_ms: Option<u64>,
    },
    /// Reads a file.
    Read {
        /// The file, as the agent names it.
        path: String,
        /// The first line read (1-based), when not the start.
        offset: Option<u64>,
        /// How many lines, when not all.
        limit: Option<u64>,
        /// The folder its relative paths start from, when the call names one (Codex's commands
        /// read through ACP); `None`: the session's.
        cwd: Option<String>,
    },
    /// Creates or replaces a whole file.
    Write {
        /// The file.
        path: String,
        /// Its new content.
        content: String,
        /// The folder its relative paths start from, when the call names one (Codex's commands
        /// read through ACP); `None`: the session's.
        cwd: Option<String>,
    },
    /// Replaces text in a file.
    Edit {
        /// The file.
        path: String,
        /// The replacements, in order.
        edits: Vec<TextEdit>,
        /// The folder its relative paths start from, when the call names one (Codex's commands
        /// read through ACP); `None`: the session's.
        cwd: Option<String>,
    },
    /// Changes one cell of a notebook.
    NotebookEdit {
        /// The notebook.
        path: String,
        /// The cell's new source.
        source: String,
        /// The cell, when the agent names it.
        cell_id: Option<String>,
        /// `replace`, `insert` or `delete`, when the agent says.
        edit_mode: Option<String>,
        /// The folder its relative paths start from, when the call names one (Codex's commands
        /// read through ACP); `None`: the session's.
        cwd: Option<String>,
    },
    /// Adds, deletes, changes or moves files, as a patch (Codex's `apply_patch`, an ACP agent's
    /// delete or move).
    Patch {
        /// Each file it changes.
        files: Vec<FileChange>,
    },
    /// Lists a folder.
    List {
        /// The folder; `None`: the session's.
        path: Option<String>,
        /// The folder its relative paths start from, when the call names one (Codex's commands
        /// read through ACP); `None`: the session's.
        cwd: Option<String>,
    },
    /// Searches files: by content (`Grep`) or by name (`Glob`, where the pattern is a path glob).
    Search {
        /// What it looks for.
        pattern: String,
        /// Where it looks; `None`: the session's folder.
        path: Option<String>,
        /// Filters that pick the files searched (`*.rs`).
        globs: Vec<String>,
        /// Any other option, as name and value (`-i`, `output_mode`), for display.
        options: Vec<(String, String)>,
        /// The folder its relative paths start from, when the call names one (Codex's commands
        /// read through ACP); `None`: the session's.
        cwd: Option<String>,
    },
    /// Fetches a URL.
    Fetch {
        /// The URL.
        url: String,
        /// What the agent wants to know from the page.
        prompt: Option<String>,
    },
    /// Searches the web.
    WebSearch {
        /// The query.
        query: String,
    },
    /// Hands a task to a subagent.
    Subagent {
        /// The task in a few words.
        description: Option<String>,
        /// The kind of subagent (`subagent_type`).
        agent: Option<String>,
        /// What it is told.
        prompt: String,
    },
    /// Sets the agent's to-do list (the whole list).
    Todos {
        /// The entries.
        items: Vec<PlanEntry>,
    },
    /// Asks the person to approve a plan and leave plan mode (Claude's `ExitPlanMode`).
    Plan {
        /// The plan, in Markdown, once the agent gives it.
        plan: Option<String>,
    },
    /// Asks the person questions with choices (Claude's `AskUserQuestion`).
    Question {
        /// The questions.
        questions: Vec<AskedQuestion>,
    },
    /// A tool no variant describes (an MCP tool, a tool new to Warden).
    Other {
        /// Its input as the agent sent it (raw payload).
        raw: Value,
    },
}

/// One replacement in a file: `old_text` becomes `new_text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TextEdit {
    /// The text replaced (empty for a new file).
    pub old_text: String,
    /// What replaces it.
    pub new_text: String,
    /// Whether every occurrence is replaced, not only the first.
    pub replace_all: bool,
}

/// One file a patch changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FileChange {
    /// The file (absolute where the agent's path could be placed).
    pub path: String,
    /// What happens to it.
    pub action: FileAction,
    /// Where it moves, for a move.
    pub move_to: Option<String>,
    /// The change as a diff (an added file's whole text), when the agent gives it.
    pub diff: String,
}

/// What a patch does to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum FileAction {
    /// Creates it.
    Add,
    /// Deletes it.
    Delete,
    /// Changes it (and may move it).
    Update,
}

/// One question of a [`ToolInput::Question`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AskedQuestion {
    /// The question.
    pub question: String,
    /// A short label for it.
    pub header: Option<String>,
    /// The choices offered.
    pub options: Vec<QuestionOption>,
    /// Whether several choices may be picked.
    pub multi_select: bool,
    /// The agent's id for the question, where its answer is keyed by one (Codex's); Claude keys
    /// answers by the question's text.
    #[serde(default)]
    #[specta(optional)]
    pub id: Option<String>,
    /// Whether the person may answer in words of their own instead of an option (Claude always
    /// offers that; Codex says per question). Optional in the bindings, as questions stored
    /// before answers were sent lack it.
    #[serde(default)]
    #[specta(optional)]
    pub allows_other: bool,
}

/// One choice of an [`AskedQuestion`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct QuestionOption {
    /// What the person picks, and what the agent is told.
    pub label: String,
    /// What picking it means, in the agent's words.
    pub description: Option<String>,
}

impl<'de> Deserialize<'de> for QuestionOption {
    /// Reads an option, or the bare label questions were stored with before options had
    /// descriptions.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Stored {
            Label(String),
            Full { label: String, #[serde(default)] description: Option<String> },
        }
        Ok(match Stored::deserialize(deserializer)? {
            Stored::Label(label) => QuestionOption { label, description: None },
            Stored::Full { label, description } => QuestionOption { label, description },
        })
    }
}

impl ToolInput {
    /// A tool's input that no variant describes.
    pub fn other(raw: Value) -> Self {
        Self::Other { raw }
    }

    /// Whether the call asks the person to approve a plan (and so to leave plan mode): rules and
    /// modes never answer it, and allowing it switches the session's mode.
    pub fn is_plan_approval(&self) -> bool {
        matches!(self, Self::Plan { .. })
    }

    /// Whether the call's question is the point (a plan to approve, a question to the person):
    /// no rule or mode answers it.
    pub fn always_asks(&self) -> bool {
        matches!(self, Self::Plan { .. } | Self::Question { .. })
    }

    /// The plan a plan approval carries.
    pub fn plan(&self) -> Option<&str> {
        match self {
            Self::Plan { plan } => plan.as_deref(),
            _ => None,
        }
    }

    /// The command line of a shell call.
    pub fn command(&self) -> Option<&str> {
        match self {
            Self::Shell { command, .. } => Some(command),
            _ => None,
        }
    }

    /// The folder the call runs in or its relative paths start from, when it names one.
    pub fn cwd(&self) -> Option<&str> {
        match self {
            Self::Shell { cwd, .. }
            | Self::Read { cwd, .. }
            | Self::Write { cwd, .. }
            | Self::Edit { cwd, .. }
            | Self::NotebookEdit { cwd, .. }
            | Self::List { cwd, .. }
            | Self::Search { cwd, .. } => cwd.as_deref().filter(|c| !c.trim().is_empty()),
            _ => None,
        }
    }

    /// The one file a file tool works on (read, write, edit, notebook edit).
    pub fn file_path(&self) -> Option<&str> {
        match self {
            Self::Read { path, .. } | Self::Write { path, .. } | Self::Edit { path, .. } | Self::NotebookEdit { path, .. } => {
                Some(path)
            }
            _ => None,
        }
    }

    /// The files a patch touches: each file, and where a moved one goes, in order.
    pub fn patch_paths(&self) -> Vec<&str> {
        match self {
            Self::Patch { files } => files
                .iter()
                .flat_map(|f| std::iter::once(f.path.as_str()).chain(f.move_to.as_deref()))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Every path the input names as the file or folder it works on: a file tool's file, a
    /// search's or listing's folder, a patch's files. An unknown tool's input is searched for
    /// the path keys Claude's tools use (`file_path`, `notebook_path`, `path`), so a path it
    /// names is still noticed (say, one that leaves the project through a symbolic link).
    pub fn named_paths(&self) -> Vec<&str> {
        match self {
            Self::Search { path, .. } | Self::List { path, .. } => path.as_deref().into_iter().collect(),
            Self::Patch { .. } => self.patch_paths(),
            Self::Other { raw } => {
                ["file_path", "notebook_path", "path"].iter().filter_map(|key| raw.get(*key).and_then(Value::as_str)).collect()
            }
            other => other.file_path().into_iter().collect(),
        }
    }
}

/// The one file, or the deepest folder that holds every path (`None` for no paths): what a
/// question about a patch of several files names.
pub fn common_folder(paths: &[&str]) -> Option<String> {
    use std::path::{Component, Path};
    let (first, rest) = paths.split_first()?;
    if rest.iter().all(|p| p == first) {
        return Some((*first).to_owned());
    }
    let mut common: Vec<Component> = Path::new(first).parent()?.components().collect();
    for path in rest {
        let parts: Vec<Component> = Path::new(path).parent().map(|p| p.components().collect()).unwrap_or_default();
        let same = common.iter().zip(&parts).take_while(|(a, b)| a == b).count();
        common.truncate(same);
    }
    Some(common.iter().collect::<std::path::PathBuf>().to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_variant_is_named_in_the_json_so_typescript_tells_them_apart() {
        let shell = ToolInput::Shell { command: "ls".into(), cwd: None, description: None, timeout_ms: Some(5) };
        assert_eq!(
            serde_json::to_value(&shell).unwrap(),
            json!({"type": "shell", "command": "ls", "cwd": null, "description": null, "timeoutMs": 5})
        );
        let plan = ToolInput::Plan { plan: Some("1. x".into()) };
        let stored: AskedQuestion =
            serde_json::from_value(json!({"question": "Which?", "header": null, "options": ["A"], "multiSelect": false})).unwrap();
        assert_eq!((stored.options[0].label.as_str(), stored.allows_other), ("A", false), "stored before options had descriptions");
        assert!(plan.is_plan_approval() && plan.always_asks());
        let back: ToolInput = serde_json::from_value(serde_json::to_value(&plan).unwrap()).unwrap();
        assert_eq!(back, plan);
    }

    #[test]
    fn a_patch_names_each_file_and_where_a_moved_one_goes() {
        let change = |path: &str, move_to: Option<&str>| FileChange {
            path: path.into(),
            action: FileAction::Update,
            move_to: move_to.map(Into::into),
            diff: String::new(),
        };
        let patch = ToolInput::Patch { files: vec![change("/p/src/a.rs", None), change("/p/src/x/b.rs", Some("/etc/b"))] };
        assert_eq!(patch.patch_paths(), ["/p/src/a.rs", "/p/src/x/b.rs", "/etc/b"]);
        assert_eq!(common_folder(&patch.patch_paths()).as_deref(), Some("/"));
        assert_eq!(common_folder(&["/p/src/a.rs", "/p/src/x/b.rs"]).as_deref(), Some("/p/src"));
        assert_eq!(common_folder(&["/p/a"]).as_deref(), Some("/p/a"), "one file is itself");
        assert_eq!(common_folder(&[]), None);
    }

    #[test]
    fn an_unknown_tools_path_keys_are_still_noticed() {
        let other = ToolInput::other(json!({"path": "link/x", "title": "t"}));
        assert_eq!(other.named_paths(), ["link/x"]);
    }
}
