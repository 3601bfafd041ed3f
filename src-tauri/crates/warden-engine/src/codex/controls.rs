//! Codex's model and reasoning effort mid-session, and its steer.
//!
//! Codex sets both per turn: `turn/start` takes `model` and `effort`, and they stick for the
//! turns after (0.169's generated schema: "Override the model for this turn and subsequent
//! turns"). A switch is therefore taken at any time and goes out with the next prompt. The
//! models come from `model/list`, each with the efforts it takes; Codex passes any model name
//! on to its provider, so a typed one is accepted too. `turn/steer` adds the person's words to
//! the running turn.

use super::adapter::CodexAdapter;
use crate::adapter::Output;
use serde::Deserialize;
use serde_json::{json, Value};
use warden_core::session::{Effort, ModelChoice, SessionControls, SessionEventKind};

/// Efforts offered when Codex lists none for the model in use (a custom provider's model):
/// the levels every Codex model of 0.169's catalog takes.
const FALLBACK_EFFORTS: [&str; 3] = ["low", "medium", "high"];

/// `model/list`'s result.
#[derive(Debug, Deserialize)]
pub(super) struct ModelList {
    #[serde(default)]
    data: Vec<ListedModel>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListedModel {
    id: String,
    /// The slug `turn/start` takes (the id, in 0.169's catalog).
    model: Option<String>,
    display_name: Option<String>,
    description: Option<String>,
    #[serde(default)]
    supported_reasoning_efforts: Vec<EffortOption>,
    #[serde(default)]
    is_default: bool,
    #[serde(default)]
    hidden: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct EffortOption {
    reasoning_effort: String,
}

/// The model and effort the person chose, and what Codex reported.
#[derive(Debug, Default)]
pub(super) struct ModelSwitch {
    pub(super) controls: SessionControls,
    /// The person's choices, sent with every `turn/start` from the next on.
    model: Option<String>,
    effort: Option<Effort>,
}

impl ModelSwitch {
    /// The thread is open, in `model` at `effort` as Codex says.
    pub(super) fn thread_ready(&mut self, model: Option<String>, effort: Option<String>) -> SessionControls {
        let c = &mut self.controls;
        c.model = self.model.clone().or(model);
        c.effort = self.effort.clone().or(effort.map(Effort));
        c.any_model = true;
        c.can_switch_model = true;
        c.switch_while_running = true;
        c.applies_next_turn = true;
        c.can_steer = true;
        if c.efforts.is_empty() {
            c.efforts = FALLBACK_EFFORTS.into_iter().map(Effort::from).collect();
        }
        c.clone()
    }

    /// `model/list` answered: the models it lists, and the efforts of the one in use (or of the
    /// default model, for a model it does not list).
    pub(super) fn listed(&mut self, list: ModelList) -> SessionControls {
        let c = &mut self.controls;
        let mut default = None;
        c.models = list
            .data
            .into_iter()
            .filter(|m| !m.hidden)
            .map(|m| {
                let id = m.model.unwrap_or(m.id);
                if m.is_default {
                    default = Some(id.clone());
                }
                let efforts = m.supported_reasoning_efforts.into_iter().map(|e| Effort(e.reasoning_effort)).collect();
                ModelChoice { label: m.display_name.unwrap_or_else(|| id.clone()), id, description: m.description, efforts }
            })
            .collect();
        // Codex named no model: it uses its default.
        if c.model.is_none() {
            c.model = default;
        }
        let current = c.model.as_deref().and_then(|m| c.models.iter().find(|x| x.id == m));
        if let Some(efforts) = current.map(|m| m.efforts.clone()).filter(|e| !e.is_empty()) {
            c.efforts = efforts;
        }
        c.clone()
    }

    /// The person's switch, for the next `turn/start`.
    pub(super) fn switch(&mut self, model: Option<&str>, effort: Option<&Effort>) -> SessionControls {
        if let Some(m) = model {
            self.model = Some(m.to_owned());
        }
        if let Some(e) = effort {
            self.effort = Some(e.clone());
        }
        self.controls = self.controls.switched(model, effort);
        // An effort the new model does not take is not sent either.
        if self.controls.effort.is_none() {
            self.effort = None;
        }
        self.controls.clone()
    }

    /// Adds the person's model and effort to `turn/start`'s params.
    pub(super) fn apply(&self, params: &mut Value) {
        if let Some(model) = &self.model {
            params["model"] = json!(model);
        }
        if let Some(effort) = &self.effort {
            params["effort"] = json!(effort.0);
        }
    }
}

impl CodexAdapter {
    /// Reads `model/list`'s answer into the controls.
    pub(super) fn model_list(&mut self, result: Value, out: &mut Vec<Output>) {
        if let Ok(list) = serde_json::from_value::<ModelList>(result) {
            let controls = self.switch.listed(list);
            out.push(Output::Event(SessionEventKind::Controls(controls)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listed_models_bring_their_efforts_and_a_switch_goes_out_with_the_next_turn() {
        let mut s = ModelSwitch::default();
        let ready = s.thread_ready(Some("gpt-5.5".into()), None);
        assert!(ready.can_steer && ready.any_model && ready.applies_next_turn);
        let list = json!({"data": [
            {"id": "gpt-5.5", "model": "gpt-5.5", "displayName": "GPT-5.5", "description": "d", "hidden": false, "isDefault": true,
             "defaultReasoningEffort": "medium",
             "supportedReasoningEfforts": [{"reasoningEffort": "low", "description": ""}, {"reasoningEffort": "xhigh", "description": ""}]},
            {"id": "secret", "model": "secret", "displayName": "S", "description": "", "hidden": true, "isDefault": false,
             "defaultReasoningEffort": "low", "supportedReasoningEfforts": []}
        ]});
        let listed = s.listed(serde_json::from_value(list).unwrap());
        assert_eq!(listed.models.len(), 1, "hidden models are not offered");
        assert_eq!(listed.efforts, vec![Effort::from("low"), Effort::from("xhigh")]);
        let mut params = json!({});
        s.apply(&mut params);
        assert_eq!(params, json!({}), "nothing the person did not choose");
        let switched = s.switch(Some("mock-other"), Some(&"xhigh".into()));
        assert_eq!(switched.model.as_deref(), Some("mock-other"));
        s.apply(&mut params);
        assert_eq!(params, json!({"model": "mock-other", "effort": "xhigh"}));
    }
}
