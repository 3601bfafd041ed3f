//! What `warden run` prints: JSON lines, or a readable transcript.

use std::collections::HashMap;
use std::io::Write;
use warden_core::session::*;

/// Prints a session's events as they arrive.
pub struct Transcript {
    json: bool,
    titles: HashMap<ToolCallId, String>,
    /// Tool calls already shown as running (Claude reports "running" again after a permission).
    shown_running: std::collections::HashSet<ToolCallId>,
    /// Whether the cursor is in the middle of streamed text.
    mid_line: bool,
}

impl Transcript {
    /// JSON lines when `json`, readable text otherwise.
    pub fn new(json: bool) -> Self {
        Self { json, titles: HashMap::new(), shown_running: Default::default(), mid_line: false }
    }

    /// Prints one event.
    pub fn print(&mut self, event: &SessionEvent) {
        let mut out = std::io::stdout().lock();
        if self.json {
            let line = serde_json::to_string(event).expect("events always serialise");
            let _ = writeln!(out, "{line}");
            let _ = out.flush();
            return;
        }
        let text = self.readable(&event.kind);
        if let Some((text, streamed)) = text {
            if !streamed && self.mid_line {
                let _ = writeln!(out);
            }
            let _ = if streamed { write!(out, "{text}") } else { writeln!(out, "{text}") };
            self.mid_line = streamed && !text.ends_with('\n');
            let _ = out.flush();
        }
    }

    /// Asks the person on the terminal.
    pub fn ask(&mut self, request: &PermissionRequest) {
        if self.json {
            return;
        }
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "Allow {}? [y] once  [s] this session  [a] always  [n] deny (n <message>)  [x] deny and stop > ", request.tool_name);
        let _ = err.flush();
    }

    /// Ends the output cleanly.
    pub fn finish(&mut self) {
        if self.mid_line {
            println!();
            self.mid_line = false;
        }
    }

    /// The line for an event and whether it is streamed text (printed without a newline).
    fn readable(&mut self, kind: &SessionEventKind) -> Option<(String, bool)> {
        use SessionEventKind as K;
        Some(match kind {
            K::Started(s) => {
                let what = if s.resumed { "resumed" } else { "started" };
                let version = s.version.as_deref().unwrap_or("?");
                (format!("● {} {version} {what} in {}", s.agent.as_str(), s.cwd), false)
            }
            // Feedback is Warden's message, never shown as the person's words.
            K::UserMessage(m) if m.origin == MessageOrigin::Feedback => (format!("\n› [feedback from Warden's checks]\n{}\n", m.text), false),
            K::UserMessage(m) if m.origin == MessageOrigin::Steer => (format!("\n› [during the turn] {}\n", m.text), false),
            K::UserMessage(m) => (format!("\n› {}\n", m.text), false),
            K::AgentMessageChunk(c) if c.parent.is_none() => (c.text.clone(), true),
            K::AgentMessageChunk(_) | K::AgentThoughtChunk(_) | K::Status(_) | K::AgentInfo(_) | K::Controls(_) | K::AgentCommands(_) | K::RateLimits(_) | K::PromptAccepts(_) => return None,
            K::ToolCall(t) => {
                self.titles.insert(t.id.clone(), t.title.clone());
                return None;
            }
            K::ToolCallUpdate(u) => {
                if let Some(title) = &u.title {
                    self.titles.insert(u.id.clone(), title.clone());
                }
                let status = u.status.filter(|s| s.is_terminal() || *s == ToolCallStatus::Running)?;
                if status == ToolCallStatus::Running && !self.shown_running.insert(u.id.clone()) {
                    return None;
                }
                let title = self.titles.get(&u.id).cloned().unwrap_or_else(|| u.id.to_string());
                let mark = match status {
                    ToolCallStatus::Completed => "✓",
                    ToolCallStatus::Running => "⏺",
                    ToolCallStatus::Failed => "✗",
                    _ => "⊘",
                };
                let took = u.duration_ms.map(|ms| format!(" ({ms} ms)")).unwrap_or_default();
                let label = match status {
                    ToolCallStatus::Running => String::new(),
                    other => format!(" — {}", status_word(other)),
                };
                (format!("{mark} {title}{label}{took}"), false)
            }
            K::Plan(p) => {
                let lines: Vec<String> = p
                    .entries
                    .iter()
                    .map(|e| {
                        let mark = match e.status {
                            PlanEntryStatus::Completed => "[x]",
                            PlanEntryStatus::InProgress => "[~]",
                            PlanEntryStatus::Pending => "[ ]",
                        };
                        format!("  {mark} {}", e.content)
                    })
                    .collect();
                (format!("Plan:\n{}", lines.join("\n")), false)
            }
            K::PermissionRequested(r) => {
                let mut text = format!("? {} asks permission: {}", r.tool_name, r.title);
                if !r.outside_project.is_empty() {
                    text.push_str(&format!(" (outside the project: {})", r.outside_project.join(", ")));
                }
                (text, false)
            }
            K::PermissionResolved(r) => {
                let what = match r.decision {
                    PermissionDecision::AllowOnce => "allowed once",
                    PermissionDecision::AllowSession => "allowed for this session",
                    PermissionDecision::AllowAlways => "allowed always",
                    PermissionDecision::Deny => "denied",
                    PermissionDecision::DenyAndStop => "denied and the turn stopped",
                    PermissionDecision::Cancelled => "cancelled",
                };
                let subject = match (&r.tool_name, &r.subject) {
                    (Some(tool), Some(subject)) if !subject.is_empty() => format!("{tool} {subject}: "),
                    (Some(tool), _) => format!("{tool}: "),
                    _ => String::new(),
                };
                let rules: Vec<&str> = r.rules.iter().map(|rule| rule.as_str()).collect();
                let rules = if rules.is_empty() { String::new() } else { format!(" ({})", rules.join(", ")) };
                (format!("  {subject}{what} by {}{rules}", r.source.describe()), false)
            }
            K::SessionRules(rules) => {
                let allow: Vec<&str> = rules.allow.iter().map(|rule| rule.as_str()).collect();
                (format!("  session rules: allow {}", allow.join(", ")), false)
            }
            K::ModeChanged(m) => (format!("  permission mode: {m}"), false),
            K::Notice(n) => (format!("! {}", n.text), false),
            K::FileChanges(c) => {
                let files: Vec<String> = c
                    .ops
                    .iter()
                    .map(|op| match (op.lines_added, op.lines_removed) {
                        (Some(added), Some(removed)) => format!("{} {} (+{added} -{removed})", op.kind.as_str(), op.path),
                        _ => format!("{} {}", op.kind.as_str(), op.path),
                    })
                    .collect();
                (format!("  files: {}", files.join(", ")), false)
            }
            K::TurnEnded(t) => {
                let reason = match t.stop_reason {
                    StopReason::EndTurn => "done".to_owned(),
                    StopReason::Error => format!("failed: {}", t.error.as_deref().unwrap_or("error")),
                    other => format!("{other:?}").to_lowercase(),
                };
                let cost = t.cost_usd.map(|c| format!(" · ${c:.4}")).unwrap_or_default();
                let tokens = format!("{} in / {} out tokens", t.usage.input_tokens, t.usage.output_tokens);
                (format!("\n— {reason} · {:.1} s · {tokens}{cost}", t.duration_ms as f64 / 1000.0), false)
            }
            K::AgentExited(x) if !x.expected => {
                let status = x.code.map(|c| format!("code {c}")).or(x.signal.map(|s| format!("signal {s}")));
                let tail = if x.stderr_tail.is_empty() { String::new() } else { format!("\n{}", x.stderr_tail) };
                (format!("✗ the agent exited ({}){tail}", status.unwrap_or_else(|| "unknown".into())), false)
            }
            K::AgentExited(_) => return None,
            K::Unrecognised(r) => {
                let preview: String = r.text.chars().take(200).collect();
                (format!("? unrecognised output ({}, {} bytes): {preview}", r.reason, r.bytes), false)
            }
            K::TaskStarted(_) => return None,
            K::TaskCompleted(t) => (format!("  checks: round {} of task {}", t.round, t.task), false),
            K::CheckStarted(c) => (format!("  check {}: running", c.check), false),
            K::CheckFinished(c) => (check_line(c), false),
            K::GateDecided(g) => {
                let verdict = match g.verdict {
                    GateVerdict::Passed => "passed",
                    GateVerdict::Blocked => "blocked",
                    GateVerdict::Exhausted => "exhausted",
                };
                let reason = g.reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
                (format!("— gate {verdict} in round {}{reason}", g.round), false)
            }
            K::FeedbackProposed(f) => (format!("? feedback proposed for round {}:\n{}", f.round, indent(&f.text)), false),
            K::FeedbackSent(f) => {
                let how = if f.auto { "sent automatically" } else { "sent" };
                (format!("→ feedback {how} (round {})", f.round), false)
            }
            K::FeedbackDismissed(f) => (format!("  feedback of round {} dismissed", f.round), false),
            K::TaskFinished(t) => {
                let outcome = match t.outcome {
                    TaskOutcome::Passed => "passed",
                    TaskOutcome::AcceptedWithFindings => "accepted with findings",
                    TaskOutcome::Exhausted => "exhausted",
                    TaskOutcome::Stopped => "stopped",
                    TaskOutcome::Failed => "failed",
                };
                let rounds = if t.rounds == 1 { "1 round".to_owned() } else { format!("{} rounds", t.rounds) };
                (format!("— task {outcome} after {rounds}"), false)
            }
            K::ReviewStarted(r) => (format!("  review {} by {}: running", r.review, reviewer_name(&r.reviewer)), false),
            K::ReviewFinished(r) => (review_line(r), false),
        })
    }
}

fn reviewer_name(r: &warden_core::review::Reviewer) -> String {
    match &r.model {
        Some(model) => format!("{} ({model})", r.agent.as_str()),
        None => r.agent.as_str().to_owned(),
    }
}

/// A finished review: its verdict, then each finding with its severity and place.
fn review_line(r: &ReviewFinished) -> String {
    let who = reviewer_name(&r.reviewer);
    match &r.outcome {
        ReviewRunOutcome::Error { reason } => format!("  review {} by {who}: error ({reason})", r.review),
        ReviewRunOutcome::Skipped { reason } => format!("  review {} by {who}: skipped ({reason})", r.review),
        ReviewRunOutcome::Completed { result } => {
            let verdict = match result.verdict {
                warden_core::review::ReviewVerdict::Approve => "approves",
                warden_core::review::ReviewVerdict::NeedsAttention => "needs attention",
            };
            let mut line = format!("  review {} by {who}: {verdict} — {}", r.review, result.summary);
            for f in &result.findings {
                let place = match (&f.file, f.line_start, f.line_end) {
                    (Some(file), Some(a), Some(b)) if b > a => format!(" {file}:{a}-{b}"),
                    (Some(file), Some(a), _) => format!(" {file}:{a}"),
                    (Some(file), None, _) => format!(" {file}"),
                    _ => String::new(),
                };
                let outside = if f.outside_changes { " [outside this task's changes]" } else { "" };
                line.push_str(&format!("\n    - [{}] {}{place}{outside}", f.severity.as_str(), f.title));
            }
            line
        }
    }
}

/// One line per finished check, then its findings with their locations.
fn check_line(c: &CheckFinished) -> String {
    let mut line = format!("  check {}: {}", c.check, c.outcome.label());
    match &c.outcome {
        CheckOutcome::Error { reason } | CheckOutcome::Skipped { reason } | CheckOutcome::NotTrusted { reason } => line.push_str(&format!(" ({reason})")),
        CheckOutcome::Passed | CheckOutcome::Failed => {
            let counts = c.counts.map(|n| format!(", {} passed, {} failed", n.passed, n.failed)).unwrap_or_default();
            line.push_str(&format!(" ({:.1} s{counts})", c.duration_ms as f64 / 1000.0));
        }
    }
    for f in &c.findings {
        let location = match (&f.file, f.line) {
            (Some(file), Some(l)) => format!(" {file}:{l}"),
            (Some(file), None) => format!(" {file}"),
            _ => String::new(),
        };
        line.push_str(&format!("\n    - {}{location}", f.title));
    }
    line
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}")).collect::<Vec<_>>().join("\n")
}

fn status_word(status: ToolCallStatus) -> &'static str {
    match status {
        ToolCallStatus::Pending => "pending",
        ToolCallStatus::AwaitingPermission => "awaiting permission",
        ToolCallStatus::Running => "running",
        ToolCallStatus::Completed => "completed",
        ToolCallStatus::Failed => "failed",
        ToolCallStatus::Denied => "denied",
        ToolCallStatus::Cancelled => "cancelled",
    }
}
