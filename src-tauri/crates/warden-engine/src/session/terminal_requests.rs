//! The agent's terminals (ACP's `terminal/*`), run by the actor: each command on a pseudo-terminal
//! of the session's own [`Terminals`], in the project folder only, and vetoed by a deny rule as
//! a `Bash` call with the same command line would be. What a command changes is recorded as a
//! change of the tool call running it, from its start until its end is seen.
//!
//! `terminal/wait_for_exit` is answered when the command ends: a task waits and hands the answer
//! back to the actor's loop ([`LateAnswer`]), so the actor never blocks on a command.

use super::client_requests::confine;
use super::Actor;
use crate::adapter::{ClientAction, ClientRequest, ClientResult};
use crate::terminal::{TerminalId, TerminalOutput, TerminalSpec, Terminals};
use std::ffi::OsString;
use std::sync::Arc;
use std::collections::HashMap;
use tokio::sync::mpsc;
use warden_core::session::ToolCallId;

/// Columns and rows of an agent's terminal: programs that ask for the size get a wide one, so
/// they do not wrap what the agent reads.
const AGENT_TERMINAL_SIZE: (u16, u16) = (160, 50);
/// How long a kill waits for the process's exit before it answers anyway.
const KILL_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// The answer to a request that had to wait (`terminal/wait_for_exit`).
#[derive(Debug)]
pub(crate) struct LateAnswer {
    /// The request's id.
    pub request: String,
    /// The terminal it was about.
    pub terminal: TerminalId,
    /// What came of it.
    pub result: ClientResult,
}

/// The session's terminals and what the actor knows about them.
pub(crate) struct AgentTerminals {
    pub registry: Arc<Terminals>,
    /// The tool call each terminal's changes are recorded for.
    pub calls: HashMap<TerminalId, ToolCallId>,
    pub late: mpsc::UnboundedSender<LateAnswer>,
}

impl AgentTerminals {
    /// A registry with no terminals, and where late answers go.
    pub(crate) fn new() -> (Self, mpsc::UnboundedReceiver<LateAnswer>) {
        let (late, answers) = mpsc::unbounded_channel();
        (Self { registry: Arc::new(Terminals::new()), calls: HashMap::new(), late }, answers)
    }
}

impl Actor {
    /// Does a terminal request. `None` when the answer comes later, as a [`LateAnswer`].
    pub(super) fn terminal_request(&mut self, request: &ClientRequest) -> Option<ClientResult> {
        let result = match &request.action {
            ClientAction::CreateTerminal { command, args, env, cwd, output_byte_limit } => {
                let command_line = command_line(command, args);
                let cwd = match cwd {
                    Some(cwd) => match confine(&request.project, cwd) {
                        Ok(cwd) => cwd,
                        Err(why) => return Some(ClientResult::Refused(why)),
                    },
                    None => request.project.clone(),
                };
                if let Some(refusal) = self.veto_command(&command_line, &cwd) {
                    return Some(ClientResult::Refused(refusal));
                }
                let (cols, rows) = AGENT_TERMINAL_SIZE;
                let mut spec = TerminalSpec::command(command, args.iter().map(OsString::from).collect(), cwd, cols, rows);
                spec.env = env.iter().map(|(k, v)| (k.into(), v.into())).collect();
                spec.output_byte_limit = output_byte_limit.map(|l| usize::try_from(l).unwrap_or(usize::MAX));
                // What changed before the command is not its doing.
                if let Some(call) = &request.tool_call_id {
                    self.record(|r| r.begin_tool_call(call));
                }
                match self.terminals.registry.spawn(spec) {
                    Ok(id) => {
                        tracing::info!(session = %self.id, terminal = %id, command = %command_line, "agent terminal started");
                        if let Some(call) = request.tool_call_id.clone() {
                            self.terminals.calls.insert(id, call);
                        }
                        ClientResult::TerminalCreated(id.to_string())
                    }
                    Err(e) => {
                        if let Some(call) = &request.tool_call_id {
                            self.record(|r| r.end_tool_call(call));
                        }
                        ClientResult::Failed(e.to_string())
                    }
                }
            }
            ClientAction::TerminalOutput { terminal } => match self.known(terminal) {
                Ok(id) => match self.terminals.registry.output(id) {
                    Ok(output) => {
                        if output.exit.is_some() {
                            self.terminal_ended(id);
                        }
                        ClientResult::TerminalOutput(output)
                    }
                    Err(e) => ClientResult::Refused(e.to_string()),
                },
                Err(refused) => refused,
            },
            ClientAction::WaitForTerminalExit { terminal } => {
                return self.later(&request.id, terminal, |registry, id| async move {
                    match registry.wait_for_exit(id).await {
                        Ok(exit) => ClientResult::TerminalExited { exit, output: registry.output(id).ok() },
                        Err(e) => ClientResult::Refused(e.to_string()),
                    }
                });
            }
            // Kill and release are answered once the process is gone (or did not go within
            // the grace), with its last output to show.
            ClientAction::KillTerminal { terminal } => {
                return self.later(&request.id, terminal, |registry, id| async move {
                    match registry.kill(id) {
                        Ok(()) => ClientResult::Done { output: last_output(&registry, id).await },
                        Err(e) => ClientResult::Refused(e.to_string()),
                    }
                });
            }
            ClientAction::ReleaseTerminal { terminal } => {
                return self.later(&request.id, terminal, |registry, id| async move {
                    let output = match registry.kill(id) {
                        Ok(()) => last_output(&registry, id).await,
                        Err(_) => None,
                    };
                    match registry.release(id) {
                        Ok(()) => ClientResult::Done { output },
                        Err(e) => ClientResult::Refused(e.to_string()),
                    }
                });
            }
            ClientAction::ReadTextFile { .. } | ClientAction::WriteTextFile { .. } => {
                unreachable!("file requests are done in client_requests.rs")
            }
        };
        Some(result)
    }

    /// Runs `work` on `terminal` in a task of its own, and answers `request` with what it
    /// returns, through the actor's loop (`None` now). An unknown terminal is refused at once.
    fn later<F, W>(&self, request: &str, terminal: &str, work: W) -> Option<ClientResult>
    where
        W: FnOnce(Arc<Terminals>, TerminalId) -> F,
        F: std::future::Future<Output = ClientResult> + Send + 'static,
    {
        let terminal = match self.known(terminal) {
            Ok(id) => id,
            Err(refused) => return Some(refused),
        };
        let work = work(self.terminals.registry.clone(), terminal);
        let late = self.terminals.late.clone();
        let request = request.to_owned();
        tokio::spawn(async move {
            let result = work.await;
            let _ = late.send(LateAnswer { request, terminal, result });
        });
        None
    }

    /// A late answer arrived: the command is over, so its changes are recorded, and the agent
    /// is answered.
    pub(super) fn late_answer(&mut self, answer: LateAnswer) {
        self.terminal_ended(answer.terminal);
        self.answer_client(&answer.request, answer.result);
    }

    /// The terminal's command is over: the changes it made are recorded as its call's.
    fn terminal_ended(&mut self, id: TerminalId) {
        if let Some(call) = self.terminals.calls.remove(&id) {
            self.record(|r| r.end_tool_call(&call));
        }
    }

    /// The id of a terminal of this session, or the refusal to send.
    fn known(&self, terminal: &str) -> Result<TerminalId, ClientResult> {
        let id: TerminalId = terminal.parse().map_err(|e: warden_core::terminal::BadTerminalId| ClientResult::Refused(e.to_string()))?;
        if self.terminals.registry.ids().contains(&id) {
            Ok(id)
        } else {
            Err(ClientResult::Refused(format!("there is no terminal {terminal} in this session (never created, or released)")))
        }
    }

    /// Why a deny rule forbids `command_line` run in `cwd`, checked as a `Bash` call with that
    /// command and folder.
    fn veto_command(&mut self, command_line: &str, cwd: &std::path::Path) -> Option<String> {
        let input = warden_core::session::ToolInput::Shell {
            command: command_line.to_owned(),
            cwd: Some(cwd.to_string_lossy().into_owned()),
            description: None,
            timeout_ms: None,
        };
        let (auto, warning) = self.policy.veto("Bash", &input);
        if let Some(warning) = warning {
            self.warn(warning);
        }
        let auto = auto?;
        let reason = auto.message.unwrap_or_else(|| "a deny rule forbids it".to_owned());
        self.warn(format!("Warden did not run the agent's command `{command_line}`: {reason}"));
        Some(format!("Warden did not run `{command_line}`: {reason}"))
    }
}

/// The output of a terminal just killed, once its exit is in (at most a few seconds).
async fn last_output(registry: &Terminals, id: TerminalId) -> Option<TerminalOutput> {
    let _ = tokio::time::timeout(KILL_WAIT, registry.wait_for_exit(id)).await;
    registry.output(id).ok()
}

/// The command line of `command` with `args`, as a `Bash` rule and a person read it.
fn command_line(command: &str, args: &[String]) -> String {
    let words: Vec<&str> = std::iter::once(command).chain(args.iter().map(String::as_str)).collect();
    warden_core::permission::command_line(&words)
}
