//! The agent's terminals (`terminal/create`, `terminal/output`, `terminal/wait_for_exit`,
//! `terminal/kill`, `terminal/release`): handed to the actor, which runs the command on a
//! pseudo-terminal in the project, and answered with what came of them.
//!
//! An agent shows a terminal's output by embedding the terminal in a tool call's content. The
//! protocol leaves the output to the client, so Warden remembers which call embeds which
//! terminal and shows the latest output it read there, as the call's result.

use super::adapter::AcpAdapter;
use super::wire;
use crate::adapter::{ClientAction, ClientResult};
use crate::terminal::{TerminalExit, TerminalOutput};
use agent_client_protocol::v1::schema as acp;
use serde_json::Value;
use warden_core::session::{SessionEventKind, ToolCallId, ToolCallStatus, ToolCallUpdate, ToolOutput};

/// What Warden knows of one of the agent's terminals.
#[derive(Debug, Default)]
pub(super) struct Shown {
    /// The tool call whose content embeds the terminal.
    pub call: Option<String>,
    /// The output as last read, for people.
    pub text: Option<String>,
}

/// The action a `terminal/*` request asks for; `None` for any other method.
pub(super) fn action(method: &str, params: &Value) -> Option<Result<ClientAction, String>> {
    let names = &acp::CLIENT_METHOD_NAMES;
    let decode = |p: &Value| p.clone();
    let terminal = |id: acp::TerminalId| id.to_string();
    let action = if method == names.terminal_create {
        wire::decode::<acp::CreateTerminalRequest>(method, decode(params)).map(|r| ClientAction::CreateTerminal {
            command: r.command,
            args: r.args,
            env: r.env.into_iter().map(|v| (v.name, v.value)).collect(),
            cwd: r.cwd,
            output_byte_limit: r.output_byte_limit,
        })
    } else if method == names.terminal_output {
        wire::decode::<acp::TerminalOutputRequest>(method, decode(params))
            .map(|r| ClientAction::TerminalOutput { terminal: terminal(r.terminal_id) })
    } else if method == names.terminal_wait_for_exit {
        wire::decode::<acp::WaitForTerminalExitRequest>(method, decode(params))
            .map(|r| ClientAction::WaitForTerminalExit { terminal: terminal(r.terminal_id) })
    } else if method == names.terminal_kill {
        wire::decode::<acp::KillTerminalRequest>(method, decode(params)).map(|r| ClientAction::KillTerminal { terminal: terminal(r.terminal_id) })
    } else if method == names.terminal_release {
        wire::decode::<acp::ReleaseTerminalRequest>(method, decode(params))
            .map(|r| ClientAction::ReleaseTerminal { terminal: terminal(r.terminal_id) })
    } else {
        return None;
    };
    Some(action)
}

impl AcpAdapter {
    /// The running call a new terminal belongs to: the only running call that runs commands.
    /// Its file changes are then recorded as that call's.
    pub(super) fn call_running_commands(&self) -> Option<ToolCallId> {
        let mut running =
            self.calls.iter().filter(|(_, c)| c.status == ToolCallStatus::Running && c.acp.kind == acp::ToolKind::Execute);
        match (running.next(), running.next()) {
            (Some((id, _)), None) => Some(ToolCallId(id.clone())),
            _ => None,
        }
    }

    /// Remembers the terminals that call `id`'s `content` embeds.
    pub(super) fn note_terminals(&mut self, id: &str, content: &[acp::ToolCallContent]) {
        for content in content {
            if let acp::ToolCallContent::Terminal(t) = content {
                self.terminals.entry(t.terminal_id.to_string()).or_default().call = Some(id.to_owned());
            }
        }
    }

    /// The answer to a terminal request about `terminal`, and the call update showing its
    /// output. File results and failures are answered in `client.rs`.
    pub(super) fn answer_terminal(&mut self, request: &acp::RequestId, terminal: Option<String>, result: ClientResult) -> (String, Vec<SessionEventKind>) {
        let (line, output) = match result {
            ClientResult::TerminalCreated(id) => {
                self.terminals.entry(id.clone()).or_default();
                (wire::response(request, acp::CreateTerminalResponse::new(id)), None)
            }
            ClientResult::TerminalOutput(output) => {
                let answer = acp::TerminalOutputResponse::new(agent_text(&output.text), output.truncated)
                    .exit_status(output.exit.as_ref().map(exit_status));
                (wire::response(request, answer), Some(output))
            }
            ClientResult::TerminalExited { exit, output } => {
                (wire::response(request, acp::WaitForTerminalExitResponse::new(exit_status(&exit))), output)
            }
            // Kill and release answer with an empty object.
            ClientResult::Done { output } => (wire::response(request, serde_json::Map::new()), output),
            ClientResult::Read(_) | ClientResult::Written | ClientResult::Refused(_) | ClientResult::Failed(_) => {
                unreachable!("answered in client.rs")
            }
        };
        let events = match (terminal, output) {
            (Some(terminal), Some(output)) => self.show_output(&terminal, &output),
            _ => Vec::new(),
        };
        (line, events)
    }

    /// Keeps `output` as the terminal's latest, and shows it on the call that embeds the
    /// terminal when it changed.
    fn show_output(&mut self, terminal: &str, output: &TerminalOutput) -> Vec<SessionEventKind> {
        let text = people_text(output);
        let shown = self.terminals.entry(terminal.to_owned()).or_default();
        if shown.text.as_ref() == Some(&text) {
            return Vec::new();
        }
        shown.text = Some(text.clone());
        let Some(call) = shown.call.clone() else { return Vec::new() };
        vec![SessionEventKind::ToolCallUpdate(ToolCallUpdate {
            id: ToolCallId(call),
            output: Some(ToolOutput::new(text, None)),
            ..Default::default()
        })]
    }
}

/// A terminal's exit as ACP says it.
fn exit_status(exit: &TerminalExit) -> acp::TerminalExitStatus {
    acp::TerminalExitStatus::new().exit_code(exit.code).signal(exit.signal.clone())
}

/// Output as the agent reads it: the pseudo-terminal's line ends (`\r\n`) as plain newlines.
fn agent_text(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// Output as a person reads it on the tool call: what was dropped, the text, how it ended.
fn people_text(output: &TerminalOutput) -> String {
    let mut text = String::new();
    if output.truncated {
        text.push_str("[earlier output dropped]\n");
    }
    text.push_str(&agent_text(&output.text));
    if let Some(exit) = &output.exit {
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&format!("[{exit}]"));
    }
    text
}

/// The terminal a request is about (`None` for a new one and for file requests).
pub(super) fn terminal_of(action: &ClientAction) -> Option<String> {
    match action {
        ClientAction::TerminalOutput { terminal }
        | ClientAction::WaitForTerminalExit { terminal }
        | ClientAction::KillTerminal { terminal }
        | ClientAction::ReleaseTerminal { terminal } => Some(terminal.clone()),
        ClientAction::CreateTerminal { .. } | ClientAction::ReadTextFile { .. } | ClientAction::WriteTextFile { .. } => None,
    }
}
