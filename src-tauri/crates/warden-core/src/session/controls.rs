//! What a person may change about a running session besides its permission mode: the model and
//! the reasoning effort, and whether words typed during a turn can go into that turn (a steer).
//!
//! Each agent says what it takes (Claude Code's initialize response, Codex's `model/list`, an ACP
//! agent's config options); the adapter turns that into [`SessionControls`], emitted in the
//! session's stream whenever it changes, and the window offers exactly that: never a switch or a
//! steer the agent would ignore.

use serde::{Deserialize, Serialize};
use specta::Type;

/// A reasoning effort, as the agent names it (`low`, `medium`, `high`, `xhigh`, `max`…). The
/// agents do not share one list (Codex's efforts come with each model, an ACP agent's are its own
/// option values), so it is the agent's id rather than a closed set; [`SessionControls`] lists the
/// ones it takes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(transparent)]
pub struct Effort(pub String);

impl Effort {
    /// The effort's id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Effort {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

/// A model the agent offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ModelChoice {
    /// The id the agent is switched with.
    pub id: String,
    /// Its name for people.
    pub label: String,
    /// What the agent says about it.
    pub description: Option<String>,
    /// The efforts it takes (empty: no effort setting, or not known per model).
    pub efforts: Vec<Effort>,
}

/// The model, the effort and what of them the agent lets change, plus whether it takes a steer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SessionControls {
    /// The model in use as the agent names it (`None`: the agent's default, not known yet).
    pub model: Option<String>,
    /// The effort in use (`None`: the agent's default).
    pub effort: Option<Effort>,
    /// The models the agent reported (may be empty).
    pub models: Vec<ModelChoice>,
    /// The efforts offered for the current model (empty: effort cannot be set).
    pub efforts: Vec<Effort>,
    /// A model named by the person is accepted too, not only one of `models` (Claude Code takes
    /// any model name or alias).
    pub any_model: bool,
    /// Whether the model or the effort can be switched at all.
    pub can_switch_model: bool,
    /// Whether a switch is taken while a turn runs (otherwise refused until the turn ends).
    pub switch_while_running: bool,
    /// The switch takes effect with the next prompt, not at once (Codex sets model and effort
    /// per turn).
    pub applies_next_turn: bool,
    /// Whether words typed during a turn can be sent into it ([`crate::session::MessageOrigin::Steer`]).
    pub can_steer: bool,
}

/// Why a switch or a steer is refused before anything reaches the agent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ControlsError {
    /// The agent offers no model or effort switch.
    #[error("this agent cannot switch its model or effort during a session")]
    CannotSwitch,
    /// The agent takes a switch only between turns.
    #[error("the agent switches models only between turns; wait for the turn to end")]
    Running,
    /// A model the agent did not offer, and it takes only its own.
    #[error("the agent does not offer the model '{0}'")]
    UnknownModel(String),
    /// An effort the model does not take.
    #[error("the effort '{0}' is not offered for this model")]
    UnknownEffort(String),
    /// Neither a model nor an effort was given.
    #[error("name a model or an effort to switch to")]
    NothingToChange,
    /// The agent cannot take words into a running turn.
    #[error("this agent cannot take a message during a turn; queue it for when the turn ends")]
    CannotSteer,
    /// No turn is running to steer.
    #[error("no turn is running; send it as a prompt")]
    NoTurn,
}

impl SessionControls {
    /// The efforts `model` takes: its own when listed with some, else the session's.
    pub fn efforts_for(&self, model: Option<&str>) -> &[Effort] {
        model
            .and_then(|m| self.models.iter().find(|c| c.id == m))
            .filter(|c| !c.efforts.is_empty())
            .map_or(self.efforts.as_slice(), |c| c.efforts.as_slice())
    }

    /// Checks a switch to `model` and `effort` (`None`: unchanged) while a turn runs or not.
    pub fn check_switch(&self, model: Option<&str>, effort: Option<&Effort>, running: bool) -> Result<(), ControlsError> {
        if !self.can_switch_model {
            return Err(ControlsError::CannotSwitch);
        }
        if model.is_none() && effort.is_none() {
            return Err(ControlsError::NothingToChange);
        }
        if running && !self.switch_while_running {
            return Err(ControlsError::Running);
        }
        if let Some(m) = model {
            if m.trim().is_empty() || (!self.any_model && !self.models.iter().any(|c| c.id == m)) {
                return Err(ControlsError::UnknownModel(m.to_owned()));
            }
        }
        if let Some(e) = effort {
            let offered = self.efforts_for(model.or(self.model.as_deref()));
            if !offered.contains(e) {
                return Err(ControlsError::UnknownEffort(e.0.clone()));
            }
        }
        Ok(())
    }

    /// These controls after a switch to `model` and `effort` (`None`: unchanged). The efforts
    /// follow the new model; an effort it does not take is dropped.
    pub fn switched(&self, model: Option<&str>, effort: Option<&Effort>) -> Self {
        let mut next = self.clone();
        if let Some(m) = model {
            next.model = Some(m.to_owned());
            if let Some(choice) = self.models.iter().find(|c| c.id == m).filter(|c| !c.efforts.is_empty()) {
                next.efforts = choice.efforts.clone();
            }
        }
        if let Some(e) = effort {
            next.effort = Some(e.clone());
        }
        if next.effort.as_ref().is_some_and(|e| !next.efforts.is_empty() && !next.efforts.contains(e)) {
            next.effort = None;
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn controls() -> SessionControls {
        SessionControls {
            model: Some("a".into()),
            effort: None,
            models: vec![
                ModelChoice { id: "a".into(), label: "A".into(), description: None, efforts: vec!["low".into(), "high".into()] },
                ModelChoice { id: "b".into(), label: "B".into(), description: None, efforts: vec!["medium".into()] },
            ],
            efforts: vec!["low".into(), "high".into()],
            any_model: false,
            can_switch_model: true,
            switch_while_running: false,
            applies_next_turn: false,
            can_steer: false,
        }
    }

    #[test]
    fn a_switch_is_checked_against_what_the_agent_offers() {
        let c = controls();
        assert_eq!(c.check_switch(Some("b"), None, false), Ok(()));
        assert_eq!(c.check_switch(Some("z"), None, false), Err(ControlsError::UnknownModel("z".into())));
        assert_eq!(c.check_switch(None, Some(&"high".into()), false), Ok(()));
        assert_eq!(c.check_switch(Some("b"), Some(&"high".into()), false), Err(ControlsError::UnknownEffort("high".into())));
        assert_eq!(c.check_switch(Some("b"), None, true), Err(ControlsError::Running));
        assert_eq!(c.check_switch(None, None, false), Err(ControlsError::NothingToChange));
        let any = SessionControls { any_model: true, ..controls() };
        assert_eq!(any.check_switch(Some("claude-opus-9"), None, false), Ok(()));
        assert_eq!(any.check_switch(Some("  "), None, false), Err(ControlsError::UnknownModel("  ".into())));
        assert_eq!(SessionControls::default().check_switch(Some("a"), None, false), Err(ControlsError::CannotSwitch));
    }

    #[test]
    fn switching_the_model_brings_its_efforts_and_drops_an_effort_it_lacks() {
        let c = SessionControls { effort: Some("high".into()), ..controls() };
        let next = c.switched(Some("b"), None);
        assert_eq!((next.model.as_deref(), next.efforts.clone(), next.effort.clone()), (Some("b"), vec![Effort::from("medium")], None));
        let next = c.switched(None, Some(&"low".into()));
        assert_eq!((next.model.as_deref(), next.effort), (Some("a"), Some(Effort::from("low"))));
    }
}
