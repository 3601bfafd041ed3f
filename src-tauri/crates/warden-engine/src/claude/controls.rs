//! Claude Code's model and effort mid-session.
//!
//! The initialize response lists the models Claude offers (`models[]`: `value`, `displayName`,
//! `description`, `supportsEffort`, `supportedEffortLevels`); Claude also takes any model name
//! or alias. The model is switched with the control request `set_model` (`"default"` goes back
//! to the session's default), the effort with `apply_flag_settings` and `effortLevel` (2.1.x;
//! the next model request carries it as `output_config.effort`). Both are taken between turns:
//! a running turn keeps the model it started with.
//!
//! No steer: Claude 2.1.329 does take a user message written during a turn into that turn, but
//! only with the next tool result ("The user sent a new message while you were working"); when
//! the model calls no more tools, the message runs as a second turn after the first `result`,
//! which Warden would see as output with no turn open. Until the adapter folds that turn into
//! the open one, words typed during a Claude turn are queued, not steered.

use super::adapter::ClaudeAdapter;
use serde::Deserialize;
use serde_json::{json, Value};
use warden_core::session::{Effort, ModelChoice, SessionControls};

/// A model as the initialize response lists it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListedModel {
    value: String,
    #[serde(default)]
    resolved_model: Option<String>,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    supported_effort_levels: Vec<String>,
}

/// What Claude reported and the person chose.
#[derive(Debug, Default)]
pub(super) struct ModelSwitch {
    controls: SessionControls,
    /// Each listed model's resolved name, to find the efforts of the model Claude names.
    resolved: Vec<(String, String)>,
    /// The listed model Claude uses when none is named (`default`).
    default_efforts: Vec<Effort>,
}

impl ModelSwitch {
    /// The initialize response: the models (none when it lists none), and what can change.
    pub(super) fn initialized(&mut self, response: Option<&Value>) -> SessionControls {
        let listed: Vec<ListedModel> = response
            .and_then(|r| r.get("models"))
            .and_then(|m| serde_json::from_value(m.clone()).ok())
            .unwrap_or_default();
        self.resolved = listed.iter().filter_map(|m| Some((m.resolved_model.clone()?, m.value.clone()))).collect();
        let c = &mut self.controls;
        c.models = listed
            .into_iter()
            .map(|m| ModelChoice {
                label: m.display_name.unwrap_or_else(|| m.value.clone()),
                id: m.value,
                description: m.description,
                efforts: m.supported_effort_levels.into_iter().map(Effort).collect(),
            })
            .collect();
        self.default_efforts = c.models.iter().find(|m| m.id == "default").map(|m| m.efforts.clone()).unwrap_or_default();
        c.any_model = true;
        c.can_switch_model = true;
        c.switch_while_running = false;
        c.applies_next_turn = false;
        c.can_steer = false;
        let model = c.model.clone();
        self.controls.efforts = self.efforts_of(model.as_deref());
        self.controls.clone()
    }

    /// The efforts of `model` (a listed value or a resolved name); the default's otherwise.
    fn efforts_of(&self, model: Option<&str>) -> Vec<Effort> {
        let listed = |id: &str| self.controls.models.iter().find(|m| m.id == id).map(|m| m.efforts.clone());
        model
            .and_then(|m| listed(m).or_else(|| self.resolved.iter().find(|(r, _)| r == m).and_then(|(_, v)| listed(v))))
            .unwrap_or_else(|| self.default_efforts.clone())
    }

    /// Claude named the model it uses (its `init` message): the controls when that is news.
    pub(super) fn reported_model(&mut self, model: Option<String>) -> Option<SessionControls> {
        let model = model?;
        if self.controls.model.as_deref() == Some(model.as_str()) || !self.controls.can_switch_model {
            return None;
        }
        self.controls.efforts = self.efforts_of(Some(&model));
        self.controls.model = Some(model);
        if self.controls.effort.as_ref().is_some_and(|e| !self.controls.efforts.contains(e)) {
            self.controls.effort = None;
        }
        Some(self.controls.clone())
    }

    /// The person's switch: the controls after it.
    fn switch(&mut self, model: Option<&str>, effort: Option<&Effort>) -> SessionControls {
        let mut next = self.controls.switched(model, effort);
        if let Some(m) = model {
            next.efforts = self.efforts_of(Some(m));
            if next.effort.as_ref().is_some_and(|e| !next.efforts.contains(e)) {
                next.effort = None;
            }
        }
        self.controls = next;
        self.controls.clone()
    }
}

impl ClaudeAdapter {
    /// The lines of a switch (`set_model`, then `apply_flag_settings` for the effort) and the
    /// controls after it.
    pub(super) fn switch_model(&mut self, model: Option<&str>, effort: Option<&Effort>) -> (Vec<String>, SessionControls) {
        let mut lines = Vec::new();
        if let Some(m) = model {
            let id = self.request_id("model");
            lines.push(json!({"type": "control_request", "request_id": id, "request": {"subtype": "set_model", "model": m}}).to_string());
        }
        if let Some(e) = effort {
            let id = self.request_id("effort");
            lines.push(
                json!({"type": "control_request", "request_id": id,
                    "request": {"subtype": "apply_flag_settings", "settings": {"effortLevel": e.0}}})
                .to_string(),
            );
        }
        let controls = self.switch.switch(model, effort);
        (lines, controls)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response() -> Value {
        json!({"models": [
            {"value": "default", "resolvedModel": "claude-opus-5-5", "displayName": "Default (recommended)", "supportsEffort": true,
             "supportedEffortLevels": ["low", "medium", "high", "xhigh", "max"]},
            {"value": "haiku", "resolvedModel": "claude-haiku-4-5", "displayName": "Haiku", "supportsEffort": false}
        ]})
    }

    #[test]
    fn the_listed_models_and_their_efforts_follow_the_model_claude_names() {
        let mut s = ModelSwitch::default();
        let c = s.initialized(Some(&response()));
        assert_eq!(c.models.len(), 2);
        assert!(c.any_model && c.can_switch_model && !c.switch_while_running);
        assert_eq!(c.efforts.len(), 5, "the default's efforts until Claude names its model");
        let c = s.reported_model(Some("claude-haiku-4-5".into())).unwrap();
        assert!(c.efforts.is_empty(), "Haiku takes no effort");
        assert_eq!(s.reported_model(Some("claude-haiku-4-5".into())), None, "only a change is news");
        let c = s.switch(Some("default"), Some(&"high".into()));
        assert_eq!((c.model.as_deref(), c.effort.clone()), (Some("default"), Some(Effort::from("high"))));
        let c = s.switch(Some("haiku"), None);
        assert_eq!(c.effort, None, "an effort the new model does not take is dropped");
    }
}
