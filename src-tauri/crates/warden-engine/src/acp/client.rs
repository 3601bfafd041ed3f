//! The agent's requests for the client's I/O (`fs/read_text_file`, `fs/write_text_file`, and
//! `terminal/*` in `terminals.rs`): handed to the actor, which does them inside the project (a
//! write through the file journal), and answered with what came of them.

use super::adapter::AcpAdapter;
use super::wire;
use super::terminals;
use crate::adapter::{ClientAction, ClientRequest, ClientResult, Output};
use agent_client_protocol::v1::schema as acp;
use std::path::Path;
use warden_core::session::{SessionEventKind, ToolCallId, ToolCallStatus};

/// A request the actor is working on.
#[derive(Debug)]
pub(super) struct PendingClient {
    /// The agent's id for it.
    pub id: acp::RequestId,
    /// The terminal it is about, if any.
    pub terminal: Option<String>,
}

impl AcpAdapter {
    pub(super) fn read_request(&mut self, id: acp::RequestId, request: acp::ReadTextFileRequest, out: &mut Vec<Output>) {
        let action = ClientAction::ReadTextFile { path: request.path, line: request.line, limit: request.limit };
        self.client_request(id, None, action, out);
    }

    pub(super) fn write_request(&mut self, id: acp::RequestId, request: acp::WriteTextFileRequest, out: &mut Vec<Output>) {
        let call = self.call_writing(&request.path).map(ToolCallId);
        let action = ClientAction::WriteTextFile { path: request.path, content: request.content };
        self.client_request(id, call, action, out);
    }

    /// A `terminal/*` request, run by the actor. A new terminal belongs to the call running
    /// commands, if one is.
    pub(super) fn terminal_request(&mut self, id: acp::RequestId, action: ClientAction, out: &mut Vec<Output>) {
        let call = matches!(action, ClientAction::CreateTerminal { .. }).then(|| self.call_running_commands()).flatten();
        self.client_request(id, call, action, out);
    }

    fn client_request(&mut self, id: acp::RequestId, tool_call_id: Option<ToolCallId>, action: ClientAction, out: &mut Vec<Output>) {
        let key = wire::id_text(&id);
        self.client_requests.insert(key.clone(), PendingClient { id, terminal: terminals::terminal_of(&action) });
        out.push(Output::ClientRequest(ClientRequest { id: key, project: self.project.clone(), tool_call_id, action }));
    }

    /// The running call a write belongs to: the one whose diff or location names the file, else
    /// the only running edit. The request itself does not say (Gemini CLI writes after the
    /// person allowed its `write_file` call, as that call).
    fn call_writing(&self, path: &Path) -> Option<String> {
        let running = || self.calls.iter().filter(|(_, c)| c.status == ToolCallStatus::Running);
        let named = running().find(|(_, c)| c.acp.path().is_some_and(|p| Path::new(&p) == path));
        if let Some((id, _)) = named {
            return Some(id.clone());
        }
        let mut edits = running().filter(|(_, c)| c.acp.kind == acp::ToolKind::Edit);
        match (edits.next(), edits.next()) {
            (Some((id, _)), None) => Some(id.clone()),
            _ => None,
        }
    }

    pub(super) fn answer_client(&mut self, id: &str, result: ClientResult) -> (Vec<String>, Vec<SessionEventKind>) {
        let Some(PendingClient { id: request, terminal }) = self.client_requests.remove(id) else { return (Vec::new(), Vec::new()) };
        let line = match result {
            ClientResult::Read(content) => wire::response(&request, acp::ReadTextFileResponse::new(content)),
            ClientResult::Written => wire::response(&request, acp::WriteTextFileResponse::new()),
            ClientResult::Refused(message) => wire::error_response(&request, acp::Error::new(-32602, message)),
            ClientResult::Failed(message) => wire::error_response(&request, acp::Error::new(-32603, message)),
            terminal_result => {
                let (line, events) = self.answer_terminal(&request, terminal, terminal_result);
                return (vec![line], events);
            }
        };
        (vec![line], Vec::new())
    }
}
