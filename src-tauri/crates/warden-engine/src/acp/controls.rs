//! An ACP agent's model and effort mid-session, through its session config options.
//!
//! ACP v1 (schema 1.15) lets an agent advertise select options with a category; `model` and
//! `thought_level` are the model and the reasoning effort. They are switched with
//! `session/set_config_option`, whose answer is the whole new set of options. An agent that
//! advertises neither offers no switch (`session/set_model` is unstable in the schema and not
//! used). Steering is not part of the protocol, so no ACP session offers it. Switches are taken
//! between turns only: the spec does not say what a running prompt makes of one.

use super::adapter::AcpAdapter;
use crate::adapter::{notice, Output};
use agent_client_protocol::v1::schema as acp;
use warden_core::session::{Effort, ModelChoice, NoticeLevel, SessionControls, SessionEventKind};

/// The agent's model and effort options as last advertised.
#[derive(Debug, Default)]
pub(super) struct ConfigControls {
    /// The config id of the model option and of the effort option.
    model_option: Option<String>,
    effort_option: Option<String>,
    /// What the agent last confirmed (a refused switch goes back to it).
    pub(super) confirmed: SessionControls,
}

/// The values of a select option, groups flattened.
fn values(select: &acp::SessionConfigSelect) -> Vec<(String, String, Option<String>)> {
    let flat: Vec<&acp::SessionConfigSelectOption> = match &select.options {
        acp::SessionConfigSelectOptions::Ungrouped(options) => options.iter().collect(),
        acp::SessionConfigSelectOptions::Grouped(groups) => groups.iter().flat_map(|g| g.options.iter()).collect(),
        _ => Vec::new(),
    };
    flat.into_iter().map(|o| (o.value.to_string(), o.name.clone(), o.description.clone())).collect()
}

impl ConfigControls {
    /// Reads the advertised options; returns the controls when they changed.
    pub(super) fn take(&mut self, options: &[acp::SessionConfigOption]) -> Option<SessionControls> {
        let mut next = SessionControls::default();
        for option in options {
            let acp::SessionConfigKind::Select(select) = &option.kind else { continue };
            match option.category {
                Some(acp::SessionConfigOptionCategory::Model) => {
                    self.model_option = Some(option.id.to_string());
                    next.model = Some(select.current_value.to_string());
                    next.models = values(select)
                        .into_iter()
                        .map(|(id, label, description)| ModelChoice { id, label, description, efforts: Vec::new() })
                        .collect();
                }
                Some(acp::SessionConfigOptionCategory::ThoughtLevel) => {
                    self.effort_option = Some(option.id.to_string());
                    next.effort = Some(Effort(select.current_value.to_string()));
                    next.efforts = values(select).into_iter().map(|(id, _, _)| Effort(id)).collect();
                }
                _ => {}
            }
        }
        next.can_switch_model = !next.models.is_empty() || !next.efforts.is_empty();
        (next != self.confirmed).then(|| {
            self.confirmed = next.clone();
            next
        })
    }
}

impl AcpAdapter {
    /// Takes the advertised options into the controls, emitting them when they changed.
    pub(super) fn take_controls(&mut self, options: &[acp::SessionConfigOption], out: &mut Vec<Output>) {
        if let Some(controls) = self.config.take(options) {
            out.push(Output::Event(SessionEventKind::Controls(controls)));
        }
    }

    /// The `session/set_config_option` lines of a switch, and the controls expected after it.
    pub(super) fn switch_lines(&mut self, model: Option<&str>, effort: Option<&Effort>) -> Option<(Vec<String>, SessionControls)> {
        let session = self.session_id.clone()?;
        let mut lines = Vec::new();
        if let Some((m, option)) = model.zip(self.config.model_option.clone()) {
            lines.push(self.set_config_line(acp::SetSessionConfigOptionRequest::new(session.clone(), option, m)));
        }
        if let Some((e, option)) = effort.zip(self.config.effort_option.clone()) {
            lines.push(self.set_config_line(acp::SetSessionConfigOptionRequest::new(session, option, e.as_str())));
        }
        (!lines.is_empty()).then(|| (lines, self.config.confirmed.switched(model, effort)))
    }

    /// The agent answered a switch with its options (or refused it: back to what it confirmed).
    pub(super) fn switch_answered(&mut self, result: Result<serde_json::Value, String>, out: &mut Vec<Output>) {
        match result.and_then(|v| super::wire::decode::<acp::SetSessionConfigOptionResponse>("session/set_config_option response", v)) {
            Ok(response) => {
                // The actor already shows the switch as asked; the answer is what holds.
                self.config.confirmed = SessionControls::default();
                self.take_controls(&response.config_options, out);
            }
            Err(e) => {
                out.push(notice(NoticeLevel::Warning, format!("The agent did not switch: {e}")));
                out.push(Output::Event(SessionEventKind::Controls(self.config.confirmed.clone())));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(model: &str, effort: &str) -> Vec<acp::SessionConfigOption> {
        serde_json::from_value(serde_json::json!([
            {"id": "mode", "name": "Mode", "category": "mode", "type": "select", "currentValue": "default",
             "options": [{"value": "default", "name": "Default"}]},
            {"id": "model", "name": "Model", "category": "model", "type": "select", "currentValue": model,
             "options": [{"value": "default", "name": "Default"}, {"value": "opus", "name": "Opus", "description": "big"}]},
            {"id": "effort", "name": "Effort", "category": "thought_level", "type": "select", "currentValue": effort,
             "options": [{"value": "low", "name": "Low"}, {"value": "high", "name": "High"}]}
        ]))
        .unwrap()
    }

    #[test]
    fn the_model_and_thought_level_options_are_the_controls_and_only_a_change_is_news() {
        let mut c = ConfigControls::default();
        let taken = c.take(&options("default", "low")).expect("first options");
        assert_eq!((taken.model.as_deref(), taken.effort.clone()), (Some("default"), Some(Effort::from("low"))));
        assert_eq!(taken.models[1].description.as_deref(), Some("big"));
        assert!(taken.can_switch_model && !taken.can_steer && !taken.switch_while_running);
        assert_eq!(c.take(&options("default", "low")), None);
        assert!(c.take(&options("opus", "low")).is_some());
        assert_eq!(ConfigControls::default().take(&[]), None, "no options: nothing to offer, nothing new");
    }
}
