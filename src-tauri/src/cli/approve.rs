//! Answering permission requests in `warden run`: by flag, or from stdin.

use super::transcript::Transcript;
use serde::Deserialize;
use std::io::IsTerminal;
use tokio::sync::mpsc;
use warden_core::session::*;
use warden_engine::SessionHandle;

/// How `warden run` answers permission requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Approve {
    /// Ask: read answers from stdin.
    Ask,
    /// Allow every request (once each).
    Allow,
    /// Deny every request.
    Deny,
}

/// One answer on stdin with `--json`: the request id plus a [`PermissionAnswer`] (decision,
/// optional message, optional edited rules, optional mode after a plan approval).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Answer {
    request_id: PermissionRequestId,
    #[serde(flatten)]
    answer: PermissionAnswer,
}

/// What the agent is told when `--approve deny` refuses.
const FLAG_DENY: &str = "Denied by `warden run --approve deny`.";
/// What the agent is told when stdin ended before an answer.
const EOF_DENY: &str = "Denied: no answer came before Warden's input ended.";

/// Where an answer goes: the session in this process, or one on another host (`--remote`).
/// A failure is printed and the run goes on, as the agent then asks again or the turn ends.
#[allow(async_fn_in_trait)] // only awaited in this crate's run loops, which need no Send bound
pub trait AnswerTo {
    /// Resolves request `id` with `answer`, decided by `source`.
    async fn resolve(&self, id: PermissionRequestId, answer: PermissionAnswer, source: DecisionSource);
}

impl AnswerTo for SessionHandle {
    async fn resolve(&self, id: PermissionRequestId, answer: PermissionAnswer, source: DecisionSource) {
        if let Err(e) = SessionHandle::resolve(self, id, answer, source).await {
            eprintln!("warden: {e}");
        }
    }
}

/// Answers permission requests the way the command line asked, for a local and a remote run.
pub struct Approver {
    mode: Approve,
    json: bool,
    stdin: Option<mpsc::UnboundedReceiver<String>>,
    pending: Vec<PermissionRequest>,
    eof: bool,
}

impl Approver {
    /// `flag` as given; without it, ask when answers can come (JSON mode or a terminal).
    /// `feedback_from_stdin`: stdin is read even when permissions are not asked there, for
    /// `warden run`'s feedback decisions.
    pub fn new(flag: Option<Approve>, json: bool, feedback_from_stdin: bool) -> Self {
        let mode = flag.unwrap_or(if json || std::io::stdin().is_terminal() { Approve::Ask } else { Approve::Deny });
        let stdin = (mode == Approve::Ask || feedback_from_stdin).then(|| {
            let (tx, rx) = mpsc::unbounded_channel();
            // A plain thread: a blocked read must not keep the runtime from shutting down.
            std::thread::spawn(move || {
                for line in std::io::stdin().lines() {
                    let Ok(line) = line else { break };
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            });
            rx
        });
        Self { mode, json, stdin, pending: Vec::new(), eof: false }
    }

    /// A request arrived.
    pub async fn asked(&mut self, request: PermissionRequest, handle: &impl AnswerTo, out: &mut Transcript) {
        // A question replayed after a remote run reconnects is already known.
        if self.pending.iter().any(|p| p.request_id == request.request_id) {
            return;
        }
        let id = request.request_id.clone();
        match self.mode {
            Approve::Allow => resolve(handle, id, PermissionAnswer::new(PermissionDecision::AllowOnce), DecisionSource::ApproveFlag).await,
            Approve::Deny => resolve(handle, id, deny(FLAG_DENY), DecisionSource::ApproveFlag).await,
            Approve::Ask if self.eof => resolve(handle, id, deny(EOF_DENY), DecisionSource::Shutdown).await,
            Approve::Ask => {
                if !self.json && self.pending.is_empty() {
                    out.ask(&request);
                }
                self.pending.push(request);
            }
        }
    }

    /// A request was answered (by us or withdrawn by the agent).
    pub fn resolved(&mut self, id: &PermissionRequestId) {
        self.pending.retain(|r| &r.request_id != id);
    }

    /// The next stdin line; `None` once at the end of input, then never again.
    pub async fn next_line(&mut self) -> Option<String> {
        let Some(rx) = self.stdin.as_mut() else { return std::future::pending().await };
        let line = rx.recv().await;
        if line.is_none() {
            self.stdin = None;
        }
        line
    }

    /// Applies a stdin line, or the end of input.
    pub async fn answer(&mut self, line: Option<String>, handle: &impl AnswerTo, out: &mut Transcript) {
        let Some(line) = line else {
            self.eof = true;
            for request in std::mem::take(&mut self.pending) {
                let id = request.request_id;
                resolve(handle, id, deny(EOF_DENY), DecisionSource::Shutdown).await;
            }
            return;
        };
        if line.trim().is_empty() {
            return;
        }
        let answer = if self.json { json_answer(&line) } else { self.terminal_answer(&line) };
        match answer {
            Ok((id, answer)) => {
                resolve(handle, id, answer, DecisionSource::User).await;
                if let (false, Some(next)) = (self.json, self.pending.get(1)) {
                    out.ask(next);
                }
            }
            Err(why) => {
                eprintln!("warden: ignoring input line: {why}");
                if let (false, Some(first)) = (self.json, self.pending.first()) {
                    out.ask(first);
                }
            }
        }
    }

    fn terminal_answer(&self, line: &str) -> Result<(PermissionRequestId, PermissionAnswer), String> {
        let request = self.pending.first().ok_or("no permission request is waiting")?;
        Ok((request.request_id.clone(), terminal_answer(line)?))
    }
}

/// The answer a person typed at the terminal: a word (y, s, a, n, x) and, after it, the words
/// the agent is told.
fn terminal_answer(line: &str) -> Result<PermissionAnswer, String> {
    let (word, rest) = line.trim().split_once(' ').unwrap_or((line.trim(), ""));
    let decision = match word {
        "y" | "yes" => PermissionDecision::AllowOnce,
        "s" | "session" => PermissionDecision::AllowSession,
        "a" | "always" => PermissionDecision::AllowAlways,
        "n" | "no" => PermissionDecision::Deny,
        "x" | "stop" => PermissionDecision::DenyAndStop,
        other => return Err(format!("'{other}' is not one of y, s, a, n, x")),
    };
    let mut answer = PermissionAnswer::new(decision);
    answer.message = (!rest.trim().is_empty()).then(|| rest.trim().to_owned());
    Ok(answer)
}

/// A denial that tells the agent `message`.
fn deny(message: &str) -> PermissionAnswer {
    PermissionAnswer::new(PermissionDecision::Deny).with_message(message)
}

/// One answer on stdin with `--json`: `{"requestId": …, "decision": …}`.
fn json_answer(line: &str) -> Result<(PermissionRequestId, PermissionAnswer), String> {
    let answer: Answer = serde_json::from_str(line).map_err(|e| format!("{e}: {line}"))?;
    Ok((answer.request_id, answer.answer))
}

async fn resolve(to: &impl AnswerTo, id: PermissionRequestId, answer: PermissionAnswer, source: DecisionSource) {
    to.resolve(id, answer, source).await;
}
