//! Running one reviewer: a new read-only Warden session of the chosen agent on the reviewed
//! project, its prompt, its answer read (with one repair prompt), and the findings anchored to
//! the scope's hunks.

use super::prompt::{repair_prompt, review_prompt, DiffPlace, INLINE_DIFF_LIMIT};
use super::scope::{review_input, ReviewInput};
use super::ReviewError;
use crate::engine::{Engine, NewSession, RunOptions, Sessions};
use crate::sink::{ChannelSink, EventSink};
use crate::SessionHandle;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use warden_core::permission::{Rule, RuleSet};
use warden_core::review::{anchor, parse_answer, parse_value, ParseError, ReviewAnswer, ReviewResult, ReviewScope, Reviewer, REVIEW_SCHEMA};
use warden_core::session::*;

/// How long a reviewer may take, both answers together, unless the request says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// The tools a reviewer session denies whatever its mode: everything that edits, writes,
/// deletes or moves a file (an `Edit` rule meets every tool that edits), and every command
/// (Warden cannot tell a command that only reads from one that writes).
const DENIED_TOOLS: &[&str] = &["Edit", "Write", "MultiEdit", "NotebookEdit", "Delete", "Move", "Bash"];

/// Claude's tool for a `--json-schema` answer: the answer itself, never a change.
const STRUCTURED_OUTPUT_TOOL: &str = "StructuredOutput";

/// What the reviewer is told when a question is answered "no".
const DENIED_MESSAGE: &str = "This is a read-only review: Warden denies edits, writes, deletes, moves and commands. \
                              Read what you need and answer with the findings.";

/// Who reviews what: the reviewed session and scope, the reviewer agent and model, the
/// person's instructions. The one shape every asker fills (the window, `warden review`, the
/// gate's `[[review]]` entries, a pipeline's review step).
#[derive(Debug, Clone)]
pub struct ReviewAsk {
    /// The reviewed session.
    pub session: SessionId,
    /// What of it is reviewed.
    pub scope: ReviewScope,
    /// The reviewer's agent.
    pub agent: AgentKind,
    /// For [`AgentKind::Custom`]: the agent's name in the settings.
    pub agent_name: Option<String>,
    /// The reviewer's model, when not the agent's default.
    pub model: Option<String>,
    /// What the person wants the reviewer to look at.
    pub instructions: Option<String>,
    /// How to run the reviewer's process (its binary and environment; the gate is off).
    pub run: RunOptions,
    /// The longest the reviewer may take.
    pub timeout: Duration,
}

/// A review to run: the ask, with the project it is in and where a large diff goes.
#[derive(Debug, Clone)]
pub struct ReviewRequest {
    /// The project folder, as typed.
    pub project: String,
    /// Who reviews what.
    pub ask: ReviewAsk,
    /// Where a large diff's file goes: given, it is `changes.diff` in this folder and stays
    /// there; by default a new folder in the system's temporary folder, removed afterwards.
    pub diff_dir: Option<PathBuf>,
}

/// A finished review.
#[derive(Debug, Clone)]
pub struct ReviewOutcome {
    /// The verdict and the anchored findings.
    pub result: ReviewResult,
    /// What was reviewed.
    pub input: ReviewInput,
    /// What the reviewer's turns cost, as its agent reports it.
    pub cost_usd: Option<f64>,
    /// Whether the first answer could not be read and the repair prompt was sent.
    pub repaired: bool,
}

/// Runs a review: builds the scope, starts the reviewer session (every event also goes to
/// `sink`), reads its answer and anchors the findings. The reviewer session is stopped at the
/// end, whatever happened.
pub async fn review(engine: &Engine, request: ReviewRequest, sink: Arc<dyn EventSink>) -> Result<ReviewOutcome, ReviewError> {
    review_in(engine.sessions(), request, sink).await
}

/// [`review`] with the engine's sessions part alone (it holds the store and the journal too):
/// what the task gate has, inside a session, where there is no `&Engine`.
pub(crate) async fn review_in(sessions: &Sessions, request: ReviewRequest, sink: Arc<dyn EventSink>) -> Result<ReviewOutcome, ReviewError> {
    let project = crate::resolve_project_dir(&request.project)?;
    let input = review_input(sessions.store(), sessions.journal().map(|j| j.as_ref()), &project, &request.ask.session, request.ask.scope.clone())?;

    // A large diff goes into a file beside, removed when the review ends.
    let diff = input.diff_text();
    let diff_file = if diff.len() > INLINE_DIFF_LIMIT { Some(DiffFile::write(&diff, request.diff_dir.as_deref())?) } else { None };
    let place = match &diff_file {
        Some(file) => DiffPlace::File(&file.path, diff.len()),
        None => DiffPlace::Inline(&diff),
    };
    let prompt = review_prompt(&input, place, request.ask.instructions.as_deref());

    let (tx, rx) = mpsc::unbounded_channel();
    let fan: Arc<dyn EventSink> = Arc::new(Fan { own: ChannelSink(tx), caller: sink });
    let mut run = request.ask.run.clone();
    run.gate.checks = false;
    // Claude's `--json-schema` and Codex's `outputSchema` carry the same schema text.
    if matches!(request.ask.agent.protocol(), AgentProtocol::ClaudeStream | AgentProtocol::CodexAppServer) {
        run.output_schema = Some(REVIEW_SCHEMA.to_owned());
    }
    let new = NewSession {
        project: project.to_string_lossy().into_owned(),
        model: request.ask.model.clone(),
        // Claude's own read-only mode; the other agents' modes differ, Warden's rules hold for all.
        permission_mode: if request.ask.agent == AgentKind::Claude { PermissionMode::Plan } else { PermissionMode::Default },
        agent: request.ask.agent,
        agent_name: request.ask.agent_name.clone(),
        sandbox: (request.ask.agent == AgentKind::Codex).then_some(Sandbox::ReadOnly),
        run, worktree: None, group: None
    };
    let handle = sessions.start(new, fan).await?;
    let reviewer = Reviewer { agent: request.ask.agent, model: request.ask.model.clone(), session_id: Some(handle.id().clone()) };
    let mut session = ReviewerSession { handle, rx, diff_file: diff_file.as_ref().map(|f| f.path.clone()), cost: None };
    let answered = tokio::time::timeout(request.ask.timeout, session.converse(prompt)).await;
    session.handle.stop().await;
    drop(diff_file);
    let (answer, repaired) = match answered {
        Ok(answer) => answer?,
        Err(_) => return Err(ReviewError::TimedOut(request.ask.timeout.as_secs())),
    };
    let mut findings = answer.findings;
    anchor(&mut findings, &input.hunks, &input.project);
    let result = ReviewResult { verdict: answer.verdict, summary: answer.summary, findings, reviewer };
    Ok(ReviewOutcome { result, input, cost_usd: session.cost, repaired })
}

/// Sends every event to the review's own channel and to the caller's sink.
struct Fan {
    own: ChannelSink,
    caller: Arc<dyn EventSink>,
}

impl EventSink for Fan {
    fn send(&self, event: &SessionEvent) {
        self.own.send(event);
        self.caller.send(event);
    }
}

/// The file holding a large diff; removed when dropped, with its folder, unless the caller
/// chose the folder.
struct DiffFile {
    path: PathBuf,
    owned_dir: bool,
}

impl DiffFile {
    fn write(diff: &str, dir: Option<&Path>) -> Result<Self, ReviewError> {
        let (dir, owned_dir) = match dir {
            Some(dir) => (dir.to_owned(), false),
            None => (std::env::temp_dir().join(format!("warden-review-{}", uuid::Uuid::new_v4())), true),
        };
        let path = dir.join("changes.diff");
        let failed = |source| ReviewError::DiffFile { path: path.display().to_string(), source };
        std::fs::create_dir_all(&dir).map_err(failed)?;
        std::fs::write(&path, diff).map_err(failed)?;
        Ok(Self { path, owned_dir })
    }
}

impl Drop for DiffFile {
    fn drop(&mut self) {
        if let (true, Some(dir)) = (self.owned_dir, self.path.parent()) {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// The reviewer's session while it answers.
struct ReviewerSession {
    handle: SessionHandle,
    rx: mpsc::UnboundedReceiver<SessionEvent>,
    /// The large diff's file, which the reviewer may read.
    diff_file: Option<PathBuf>,
    cost: Option<f64>,
}

/// What one turn of the reviewer produced.
#[derive(Default)]
struct TurnAnswer {
    /// Claude's `StructuredOutput` input, the last one given.
    structured: Option<Value>,
    /// The turn's answer text.
    text: String,
}

impl ReviewerSession {
    /// Sets the read-only rules, sends the prompt, reads the answer; on an unreadable one, sends
    /// the repair prompt once. Whether the repair was needed comes with the answer.
    async fn converse(&mut self, prompt: String) -> Result<(ReviewAnswer, bool), ReviewError> {
        self.handle.set_session_rules(read_only_rules(self.diff_file.as_deref())).await?;
        let first = self.turn(prompt).await?;
        let problem = match read(&first) {
            Ok(answer) => return Ok((answer, false)),
            Err(e) => e,
        };
        let second = self.turn(repair_prompt(&problem.to_string())).await?;
        match read(&second) {
            Ok(answer) => Ok((answer, true)),
            Err(again) => Err(ReviewError::Unreadable(format!("first: {problem}; then: {again}"))),
        }
    }

    /// One turn: the prompt, the questions answered, the answer collected until the turn ends.
    async fn turn(&mut self, prompt: String) -> Result<TurnAnswer, ReviewError> {
        let turn = self.handle.prompt(prompt).await?;
        let mut answer = TurnAnswer::default();
        let mut structured_calls: Vec<ToolCallId> = Vec::new();
        loop {
            let Some(event) = self.rx.recv().await else {
                return Err(ReviewError::NoAnswer("the reviewer session ended".into()));
            };
            match event.kind {
                SessionEventKind::PermissionRequested(request) => self.answer(request).await?,
                SessionEventKind::AgentMessageChunk(chunk) if chunk.parent.is_none() => answer.text.push_str(&chunk.text),
                SessionEventKind::ToolCall(call) if call.name == STRUCTURED_OUTPUT_TOOL && call.parent.is_none() => {
                    structured_calls.push(call.id.clone());
                    if is_object(&call.raw_input) {
                        answer.structured = Some(call.raw_input);
                    }
                }
                SessionEventKind::ToolCallUpdate(update) if structured_calls.contains(&update.id) => {
                    if let Some(raw) = update.raw_input.filter(is_object) {
                        answer.structured = Some(raw);
                    }
                }
                SessionEventKind::TurnEnded(ended) if ended.turn == turn => {
                    if let Some(cost) = ended.cost_usd {
                        self.cost = Some(self.cost.unwrap_or(0.0) + cost);
                    }
                    // A turn that failed before any answer has nothing to read or repair.
                    if ended.stop_reason != StopReason::EndTurn && answer.structured.is_none() && answer.text.trim().is_empty() {
                        let why = ended.error.unwrap_or_else(|| format!("the turn ended with {:?}", ended.stop_reason));
                        return Err(ReviewError::NoAnswer(why));
                    }
                    return Ok(answer);
                }
                SessionEventKind::AgentExited(exited) => {
                    return Err(ReviewError::NoAnswer(format!("the reviewer's process exited (code {:?})", exited.code)));
                }
                _ => {}
            }
        }
    }

    /// Answers a question of the reviewer: its structured answer and reading the large diff's
    /// file are allowed; everything else is denied (nobody is asked: a reviewer runs unattended
    /// and is read-only whatever it asks for).
    async fn answer(&self, request: PermissionRequest) -> Result<(), ReviewError> {
        let reads_diff = request.tool_name == "Read"
            && self.diff_file.as_deref().is_some_and(|file| request.input.file_path().is_some_and(|p| Path::new(p) == file));
        let allowed = request.tool_name == STRUCTURED_OUTPUT_TOOL || reads_diff;
        let answer = if allowed {
            PermissionAnswer::new(PermissionDecision::AllowOnce)
        } else {
            PermissionAnswer::new(PermissionDecision::Deny).with_message(DENIED_MESSAGE)
        };
        match self.handle.resolve(request.request_id, answer, DecisionSource::Mode).await {
            // Withdrawn or answered by a rule meanwhile: nothing to do.
            Ok(()) | Err(crate::SessionError::UnknownRequest(_)) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}

fn is_object(value: &Value) -> bool {
    value.as_object().is_some_and(|o| !o.is_empty())
}

/// The answer of a turn: the structured one when there is one, else the text.
fn read(turn: &TurnAnswer) -> Result<ReviewAnswer, ParseError> {
    match &turn.structured {
        Some(value) => parse_value(value),
        None => parse_answer(&turn.text),
    }
}

/// The reviewer's session rules: every tool that changes files and every command denied; the
/// large diff's file readable.
fn read_only_rules(diff_file: Option<&Path>) -> RuleSet {
    let mut rules = RuleSet::default();
    rules.add_deny(DENIED_TOOLS.iter().filter_map(|tool| Rule::parse(tool).ok()));
    if let Some(file) = diff_file {
        // `//` marks an absolute path in a rule.
        let text = format!("Read(/{})", file.display());
        rules.add_allow(Rule::parse(&text).ok());
    }
    rules
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_read_only_rules_deny_every_changing_tool_and_commands() {
        let rules = read_only_rules(Some(Path::new("/tmp/w/changes.diff")));
        let denied: Vec<&str> = rules.deny.iter().map(|r| r.tool()).collect();
        assert_eq!(denied, DENIED_TOOLS);
        assert_eq!(rules.allow.len(), 1, "the diff file is readable: {:?}", rules.allow);
        assert!(read_only_rules(None).allow.is_empty());
    }

    #[test]
    fn a_structured_answer_wins_over_the_text() {
        let turn = TurnAnswer {
            structured: Some(serde_json::json!({"verdict": "approve", "summary": "ok", "findings": []})),
            text: "not json".into(),
        };
        assert!(read(&turn).is_ok());
        assert!(read(&TurnAnswer { structured: None, text: "not json".into() }).is_err());
    }
}
