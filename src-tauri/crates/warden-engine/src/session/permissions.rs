//! The actor's permission handling: a question the agent asks is answered by the rules and the
//! mode when they can, else put to the person; the answer goes to the agent, is recorded, and
//! may bring rules (for the session or saved for the project) or a mode switch (a plan
//! approved). A call about to run is checked once more, so a deny rule added meanwhile still
//! forbids it. Stopping answers every open question "cancelled".

use super::Actor;
use crate::adapter::{CheckAnswer, Reply, ToolCheck};
use crate::permission::{Auto, PreCheck};
use crate::session::SessionError;
use warden_core::permission::{Rule, RuleSet};
use warden_core::session::*;

impl Actor {
    /// The agent withdrew a question: it is no longer waiting.
    pub(super) fn on_withdrawn(&mut self, resolution: PermissionResolution) {
        self.asked.remove(&resolution.request_id);
        self.emit(SessionEventKind::PermissionResolved(resolution));
    }

    /// Replaces the session's own rules (the person removed one), and records the new set.
    pub(super) fn set_session_rules(&mut self, rules: RuleSet) -> Result<(), SessionError> {
        if self.policy.set_session_rules(rules.clone()) {
            self.emit(SessionEventKind::SessionRules(rules));
        }
        Ok(())
    }

    /// A question from the agent: the rules and the mode answer it when they can, else it is
    /// put to the person.
    pub(super) fn on_question(&mut self, mut request: PermissionRequest) {
        let (auto, warning) = self.policy.consider(&mut request);
        if let Some(warning) = warning {
            self.warn(warning);
        }
        let id = request.request_id.clone();
        self.asked.insert(id.clone(), request.clone());
        match auto {
            Some(Auto { decision, source, rules, message }) => {
                let answer = PermissionAnswer { decision, message, rules: None, mode: None, answers: None };
                // The adapter holds the question it just emitted, so this cannot fail.
                let _ = self.settle(&id, answer, source, rules);
            }
            None => self.emit(SessionEventKind::PermissionRequested(request)),
        }
    }

    /// A call about to run: a deny rule may still forbid it.
    pub(super) fn check_tool(&mut self, check: ToolCheck) {
        let (pre, warning) = self.policy.check(&check.tool_name, &check.input);
        if let Some(warning) = warning {
            self.warn(warning);
        }
        let (auto, ask) = match pre {
            PreCheck::Proceed => (None, None),
            PreCheck::Deny(auto) => (Some(auto), None),
            PreCheck::Ask(reason) => (None, Some(reason)),
        };
        let message = auto.as_ref().and_then(|a| a.message.clone());
        if let (None, Some(call)) = (&auto, &check.tool_call_id) {
            // The call will run once answered: what changed before it is not its doing. A call
            // that can only read changes nothing, so it costs no snapshot.
            if !warden_core::journal::tool_only_reads(&check.tool_name, &check.input) {
                self.record(|r| r.begin_tool_call(call));
            }
        }
        let answer = match (&message, &ask) {
            (Some(message), _) => CheckAnswer::Deny(message),
            (None, Some(reason)) => CheckAnswer::Ask(reason),
            (None, None) => CheckAnswer::Proceed,
        };
        let (lines, events) = self.adapter.answer_tool_check(&check, answer, std::time::Instant::now());
        if let Some(auto) = auto {
            let mut resolution = PermissionResolution::new(PermissionRequestId(check.id.clone()), auto.decision, auto.source);
            resolution.tool_call_id = check.tool_call_id.clone();
            resolution.tool_name = Some(check.tool_name.clone());
            resolution.subject = Some(self.policy.subject(&check.tool_name, &check.input));
            resolution.rules = auto.rules;
            resolution.message = auto.message;
            self.emit(SessionEventKind::PermissionResolved(resolution));
        }
        for event in events {
            self.emit(event);
        }
        for line in lines {
            self.write(line);
        }
    }

    /// Answers a question: tells the agent, records the decision (before the agent hears it,
    /// so the audit log never misses one), adds the rules an "allow for the session / always"
    /// answer brings, and switches mode after a plan approval. `decided_by` names the rules that
    /// made an automatic decision.
    pub(super) fn settle(
        &mut self,
        request: &PermissionRequestId,
        answer: PermissionAnswer,
        source: DecisionSource,
        decided_by: Vec<Rule>,
    ) -> Result<(), SessionError> {
        let decision = answer.decision;
        let asked = self.asked.get(request).cloned();
        let plan_approval = asked.as_ref().is_some_and(|a| a.input.is_plan_approval()) && decision.allows();
        let mode = plan_approval.then(|| answer.mode.unwrap_or_default());
        let reply = Reply { decision, message: answer.message.clone(), mode };
        let now = std::time::Instant::now();
        let answered = match (asked.as_ref().map(|a| &a.input), &answer.answers) {
            // Answers to a question with choices go back in the agent's shape for them.
            (Some(ToolInput::Question { questions }), Some(answers)) if decision.allows() => {
                check_answers(questions, answers).map_err(|e| SessionError::BadAnswer(e.to_string()))?;
                self.adapter.answer_choices(request, answers, now)
            }
            _ => self.adapter.answer(request, &reply, now),
        };
        let Some((lines, events)) = answered else {
            return Err(SessionError::UnknownRequest(request.clone()));
        };
        self.asked.remove(request);
        let mut rules = decided_by;
        let mut notice = None;
        if matches!(decision, PermissionDecision::AllowSession | PermissionDecision::AllowAlways) {
            rules = answer.rules.clone().unwrap_or_else(|| asked.as_ref().map(|a| a.suggested_rules.clone()).unwrap_or_default());
            let saved = decision == PermissionDecision::AllowAlways
                && match self.policy.allow_in_project(rules.clone()) {
                    Ok(()) => true,
                    Err(e) => {
                        notice = Some(format!(
                            "The rule could not be saved for the project, so it holds for this session only: {e}"
                        ));
                        false
                    }
                };
            if !saved && self.policy.allow_in_session(rules.clone()) {
                let set = self.policy.session_rules().clone();
                self.emit(SessionEventKind::SessionRules(set));
            }
        }
        let mut resolution = PermissionResolution::new(request.clone(), decision, source);
        resolution.message = answer.message;
        resolution.rules = rules;
        resolution.mode = mode;
        if let Some(asked) = &asked {
            resolution.tool_call_id = asked.tool_call_id.clone();
            resolution.tool_name = Some(asked.tool_name.clone());
            resolution.subject = Some(asked.subject.clone());
        }
        self.emit(SessionEventKind::PermissionResolved(resolution));
        if let Some(text) = notice {
            self.warn(text);
        }
        for event in events {
            self.emit(event);
        }
        if self.stdin.is_some() {
            for line in lines {
                self.write(line);
            }
        }
        if let Some(mode) = mode {
            self.policy.set_mode(mode);
            self.emit(SessionEventKind::ModeChanged(mode));
        }
        Ok(())
    }

    /// Switches the session's permission mode, for Warden and for the agent.
    pub(super) fn set_mode(&mut self, mode: PermissionMode) -> Result<(), SessionError> {
        if self.stop.is_some() || self.stdin.is_none() {
            return Err(SessionError::NotRunning);
        }
        if mode == self.policy.mode() {
            return Ok(());
        }
        let claude_changes = mode.claude_mode() != self.policy.mode().claude_mode();
        self.policy.set_mode(mode);
        self.emit(SessionEventKind::ModeChanged(mode));
        if claude_changes {
            for line in self.adapter.set_mode(mode) {
                self.write(line);
            }
        }
        Ok(())
    }

    /// Answers every open permission question "cancelled" (nobody will answer them now): the
    /// agent reads it as a denial, so nothing runs that nobody allowed.
    pub(super) fn cancel_questions(&mut self) {
        for request in self.adapter.pending_requests() {
            let cancelled = PermissionAnswer::new(PermissionDecision::Cancelled);
            let _ = self.settle(&request, cancelled, DecisionSource::Shutdown, Vec::new());
        }
    }
}
