//! Codex's notifications: which ones Warden reads, and the usage they report.

use super::adapter::{raw, CodexAdapter};
use super::items::PartKind;
use super::wire::*;
use crate::adapter::{notice, Output};
use serde_json::Value;
use std::time::Instant;
use warden_core::session::*;

/// Notifications that carry nothing Warden shows: status badges, diffs it records itself,
/// account and server chatter.
const IGNORED: &[&str] = &[
    "thread/started",
    "thread/status/changed",
    "thread/readState/changed",
    "thread/name/updated",
    "thread/settings/updated",
    "thread/goal/updated",
    "thread/goal/cleared",
    "thread/queue/changed",
    "thread/prediction/updated",
    "thread/archived",
    "thread/unarchived",
    "thread/closed",
    "thread/compacted",
    "turn/diff/updated",
    "turn/moderationMetadata",
    "item/reasoning/summaryPartAdded",
    "item/mcpToolCall/progress",
    "item/commandExecution/terminalInteraction",
    "item/fileChange/patchUpdated",
    "item/autoApprovalReview/started",
    "item/autoApprovalReview/completed",
    "hook/started",
    "hook/completed",
    "rawResponseItem/completed",
    "rawResponse/completed",
    "account/updated",
    "remoteControl/status/changed",
    "mcpServer/startupStatus/updated",
    "skills/changed",
    "app/list/updated",
    "model/safetyBuffering/updated",
    "model/verification",
];

impl CodexAdapter {
    pub(super) fn notification(&mut self, method: &str, params: Value, now: Instant, out: &mut Vec<Output>) {
        fn parse<T: serde::de::DeserializeOwned>(method: &str, params: Value, out: &mut Vec<Output>) -> Option<T> {
            serde_json::from_value(params).map_err(|e| out.push(raw(format!("could not read '{method}': {e}")))).ok()
        }
        match method {
            "turn/started" => {
                if let Some(TurnHolder { turn }) = parse(method, params, out) {
                    self.turn_named(turn.id, out);
                }
            }
            "turn/completed" => {
                if let Some(TurnHolder { turn }) = parse(method, params, out) {
                    self.turn_completed(turn, now, out);
                }
            }
            "item/started" => {
                if let Some(holder) = parse::<ItemHolder>(method, params, out) {
                    self.item_started(holder, now, out);
                }
            }
            "item/completed" => {
                if let Some(holder) = parse::<ItemHolder>(method, params, out) {
                    self.item_completed(holder, now, out);
                }
            }
            "item/agentMessage/delta" | "item/plan/delta" => {
                if let Some(d) = parse::<Delta>(method, params, out) {
                    self.text(PartKind::Text, d.item_id, 0, &d.delta, out);
                }
            }
            "item/reasoning/summaryTextDelta" => {
                if let Some(d) = parse::<Delta>(method, params, out) {
                    self.text(PartKind::Thought, d.item_id, d.summary_index.unwrap_or(0), &d.delta, out);
                }
            }
            "item/reasoning/textDelta" => {
                if let Some(d) = parse::<Delta>(method, params, out) {
                    // The raw reasoning is a message of its own beside the summary.
                    let id = format!("{}:content", d.item_id);
                    self.text(PartKind::Thought, id, d.content_index.unwrap_or(0), &d.delta, out);
                }
            }
            "item/commandExecution/outputDelta" | "item/fileChange/outputDelta" => {
                if let Some(d) = parse::<Delta>(method, params, out) {
                    self.output_delta(&d.item_id, &d.delta, now, out);
                }
            }
            "turn/plan/updated" => {
                if let Some(p) = parse::<PlanUpdated>(method, params, out) {
                    let entries = p
                        .plan
                        .into_iter()
                        .map(|s| PlanEntry {
                            id: None,
                            content: s.step,
                            status: match s.status.as_str() {
                                "completed" => PlanEntryStatus::Completed,
                                "inProgress" => PlanEntryStatus::InProgress,
                                _ => PlanEntryStatus::Pending,
                            },
                        })
                        .collect();
                    out.push(Output::Event(SessionEventKind::Plan(Plan { entries })));
                }
            }
            "thread/tokenUsage/updated" => {
                if let Some(u) = parse::<TokenUsageUpdated>(method, params, out) {
                    self.usage(u);
                }
            }
            "account/rateLimits/updated" => {
                if let Some(update) = parse(method, params, out) {
                    self.rate_limits_updated(update, out);
                }
            }
            "error" => {
                if let Some(e) = parse::<ErrorNote>(method, params, out) {
                    let retry = if e.will_retry { "; Codex retries" } else { "" };
                    out.push(notice(NoticeLevel::Warning, format!("Codex: {}{retry}", e.error.text())));
                }
            }
            "warning" | "configWarning" | "deprecationNotice" | "guardianWarning" => {
                if let Some(w) = parse::<WarningNote>(method, params, out) {
                    out.push(notice(NoticeLevel::Warning, format!("Codex: {}", w.text())));
                }
            }
            "model/rerouted" => out.push(notice(NoticeLevel::Info, "Codex switched the model for this turn.".into())),
            "serverRequest/resolved" => {
                if let Some(r) = parse::<Resolved>(method, params, out) {
                    self.withdrawn(&r.request_id, now, out);
                }
            }
            m if IGNORED.contains(&m) => {}
            m if ["thread/realtime/", "fuzzyFileSearch/", "externalAgentConfig/", "process/", "windows"]
                .iter()
                .any(|p| m.starts_with(p)) => {}
            other => out.push(raw(format!("unknown Codex notification '{other}'"))),
        }
    }

    fn usage(&mut self, u: TokenUsageUpdated) {
        let total = u.token_usage.total;
        // Codex repeats the last total now and then (after a resume, with the old turn's id):
        // only a new total is a new model request.
        let fresh = self.last_total != Some(total);
        self.last_total = Some(total);
        let Some(turn) = self.turn.as_mut() else { return };
        if !fresh || u.turn_id.is_some() && u.turn_id != turn.codex {
            return;
        }
        let last = u.token_usage.last;
        // OpenAI counts cached tokens inside the input tokens; Warden's input excludes them.
        turn.usage.input_tokens += last.input_tokens.saturating_sub(last.cached_input_tokens);
        turn.usage.cache_read_tokens += last.cached_input_tokens;
        turn.usage.cache_creation_tokens += last.cache_write_input_tokens;
        turn.usage.output_tokens += last.output_tokens;
        turn.context = Some((last.input_tokens, u.token_usage.model_context_window));
    }
}
