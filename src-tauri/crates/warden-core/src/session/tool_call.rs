//! Tool calls in the Agent Client Protocol's vocabulary, so every agent maps onto one model.

use super::ids::ToolCallId;
use super::tool_input::ToolInput;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use specta::Type;

/// What a tool does, for its icon and for what the permission and file views show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ToolKind {
    /// Reads files or data.
    Read,
    /// Changes files.
    Edit,
    /// Removes files.
    Delete,
    /// Moves or renames files.
    Move,
    /// Searches files or the web.
    Search,
    /// Runs a command.
    Execute,
    /// Plans, keeps a to-do list or delegates to a subagent.
    Think,
    /// Fetches from the network.
    Fetch,
    /// Anything else.
    Other,
}

/// Where a tool call is in its life.
///
/// `Pending` → (`AwaitingPermission` → ) `Running` → `Completed` | `Failed`; `Denied` and
/// `Cancelled` can end it from any open state. Terminal states never change again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ToolCallStatus {
    /// Announced; the input may still be streaming.
    Pending,
    /// Waiting for the person (or a rule) to allow or deny it.
    AwaitingPermission,
    /// Executing.
    Running,
    /// Finished successfully.
    Completed,
    /// Finished with an error.
    Failed,
    /// Not run because permission was refused.
    Denied,
    /// Stopped because the turn was interrupted.
    Cancelled,
}

impl ToolCallStatus {
    /// Whether the call is over.
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Completed | Self::Failed | Self::Denied | Self::Cancelled)
    }

    /// Whether moving from `self` to `next` is allowed. Adapters use this to drop stale updates
    /// (a late "running" after a result) instead of moving a finished call backwards.
    pub fn can_become(self, next: Self) -> bool {
        use ToolCallStatus::*;
        if self.is_terminal() {
            return false;
        }
        match next {
            Pending => false,
            AwaitingPermission => matches!(self, Pending | Running),
            Running => matches!(self, Pending | AwaitingPermission),
            Completed | Failed | Denied | Cancelled => true,
        }
    }
}

/// A file a tool call works on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ToolLocation {
    /// Absolute path as the agent gave it.
    pub path: String,
    /// A line number, when the tool works on one.
    pub line: Option<u32>,
}

/// A new tool call.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ToolCall {
    /// The agent's id for the call.
    pub id: ToolCallId,
    /// The subagent call (Task/Agent) this call runs under, if any.
    pub parent: Option<ToolCallId>,
    /// The tool's name as the agent knows it (`Bash`, `Write`, `mcp__github__create_issue`).
    pub name: String,
    /// What kind of work it does.
    pub kind: ToolKind,
    /// A human title: "Edit src/main.rs", "Run npm test".
    pub title: String,
    /// What the call does, read from the agent's input: what the rules, the previews and the
    /// timeline read.
    pub input: ToolInput,
    /// The tool's input exactly as the agent sent it (raw payload, shape varies by agent and
    /// tool), for display.
    pub raw_input: Value,
    /// Files it touches.
    pub locations: Vec<ToolLocation>,
    /// Where it is in its life.
    pub status: ToolCallStatus,
}

/// A [`ToolCall`] as stored: calls stored before inputs were typed have no `input`, and their
/// raw input is in Claude's shapes (every adapter dressed its calls so), read back through
/// [`ToolInput::from_claude`].
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredToolCall {
    id: ToolCallId,
    parent: Option<ToolCallId>,
    name: String,
    kind: ToolKind,
    title: String,
    #[serde(default)]
    input: Option<ToolInput>,
    raw_input: Value,
    locations: Vec<ToolLocation>,
    status: ToolCallStatus,
}

impl<'de> Deserialize<'de> for ToolCall {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = StoredToolCall::deserialize(deserializer)?;
        let input = s.input.unwrap_or_else(|| ToolInput::from_claude(&s.name, &s.raw_input));
        Ok(ToolCall {
            id: s.id,
            parent: s.parent,
            name: s.name,
            kind: s.kind,
            title: s.title,
            input,
            raw_input: s.raw_input,
            locations: s.locations,
            status: s.status,
        })
    }
}

/// A change to an existing tool call; absent fields are unchanged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type, Default)]
#[serde(rename_all = "camelCase")]
pub struct ToolCallUpdate {
    /// Which call.
    pub id: ToolCallId,
    /// The new status.
    pub status: Option<ToolCallStatus>,
    /// A better title, once the whole input is known.
    pub title: Option<String>,
    /// What the call does, once its whole input is known (see [`ToolCall::input`]).
    #[serde(default)]
    pub input: Option<ToolInput>,
    /// The complete input, once it has streamed in (raw payload).
    pub raw_input: Option<Value>,
    /// Files it touches, once known.
    pub locations: Option<Vec<ToolLocation>>,
    /// What the tool returned.
    pub output: Option<ToolOutput>,
    /// Time from start to finish, on the final update.
    pub duration_ms: Option<u64>,
}

/// What a tool returned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ToolOutput {
    /// The result as text (what the model reads).
    pub text: String,
    /// The tool's structured result where the agent gives one (raw payload: Claude's
    /// `tool_use_result`, e.g. `{stdout, stderr, interrupted}` for Bash).
    pub raw_output: Option<Value>,
    /// Set on a copy that left the text (and raw output) out to keep a transfer small: the
    /// text's size in bytes. The stored event has it all; read it back by its `seq`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elided_bytes: Option<u64>,
}

impl ToolOutput {
    /// A tool's complete output.
    pub fn new(text: String, raw_output: Option<Value>) -> Self {
        Self { text, raw_output, elided_bytes: None }
    }

    /// Leaves the text and raw output out when the text is over `limit` bytes.
    pub fn elide_over(&mut self, limit: usize) {
        if self.text.len() > limit {
            self.elided_bytes = Some(self.text.len() as u64);
            self.text = String::new();
            self.raw_output = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ToolCallStatus::*;
    use super::ToolOutput;

    #[test]
    fn only_outputs_over_the_limit_are_elided_and_they_say_how_big_they_were() {
        let mut small = ToolOutput::new("ok".into(), Some(serde_json::json!({"stdout": "ok"})));
        small.elide_over(2);
        assert_eq!((small.text.as_str(), small.elided_bytes, small.raw_output.is_some()), ("ok", None, true));
        let mut big = ToolOutput::new("ééé".into(), Some(serde_json::json!({"stdout": "ééé"})));
        big.elide_over(5);
        assert_eq!((big.text.as_str(), big.elided_bytes, big.raw_output), ("", Some(6), None));
        let json = serde_json::to_string(&ToolOutput::new("x".into(), None)).unwrap();
        assert!(!json.contains("elided"), "a complete output does not mention elision: {json}");
        let old: ToolOutput = serde_json::from_str(r#"{"text":"x","rawOutput":null}"#).unwrap();
        assert_eq!(old.elided_bytes, None, "events stored before the field existed still read");
    }

    #[test]
    fn a_finished_call_never_changes_again() {
        for done in [Completed, Failed, Denied, Cancelled] {
            for next in [Pending, AwaitingPermission, Running, Completed, Failed, Denied, Cancelled] {
                assert!(!done.can_become(next), "{done:?} -> {next:?} must be refused");
            }
        }
    }

    #[test]
    fn the_permission_path_is_allowed_and_nothing_goes_back_to_pending() {
        assert!(Pending.can_become(AwaitingPermission));
        assert!(Running.can_become(AwaitingPermission), "Claude asks after the call looks started");
        assert!(AwaitingPermission.can_become(Running));
        assert!(AwaitingPermission.can_become(Denied));
        assert!(!Running.can_become(Pending));
        assert!(!Running.can_become(Running), "a repeated status is not a change");
    }
}
