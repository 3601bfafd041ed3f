//! The actor's steers and model switches: words sent into the running turn, and the model or
//! effort changed mid-session, each only where the agent's reported
//! [`SessionControls`] say it takes them, so nothing is offered that the agent would ignore.

use super::Actor;
use crate::session::SessionError;
use warden_core::session::*;

impl Actor {
    /// The agent reported what it lets change: kept to check switches by, then emitted.
    pub(super) fn on_controls(&mut self, controls: SessionControls) {
        if controls != self.controls {
            self.controls = controls.clone();
            self.emit(SessionEventKind::Controls(controls));
        }
    }

    /// Sends `text` into the running turn. It is recorded as the person's words during that
    /// turn (origin steer), so the chat shows it where the agent read it.
    pub(super) fn steer(&mut self, text: String) -> Result<(), SessionError> {
        if self.stop.is_some() || self.stdin.is_none() {
            return Err(SessionError::NotRunning);
        }
        if !self.controls.can_steer {
            return Err(ControlsError::CannotSteer.into());
        }
        let Some(turn) = self.turn else { return Err(ControlsError::NoTurn.into()) };
        let Some(lines) = self.adapter.steer(&text) else { return Err(ControlsError::CannotSteer.into()) };
        self.emit(SessionEventKind::UserMessage(UserMessage { turn, text, origin: MessageOrigin::Steer, attachments: Vec::new() }));
        for line in lines {
            self.write(line);
        }
        Ok(())
    }

    /// Switches the model and/or effort where the agent allows it now.
    pub(super) fn set_model(&mut self, model: Option<String>, effort: Option<Effort>) -> Result<(), SessionError> {
        if self.stop.is_some() || self.stdin.is_none() {
            return Err(SessionError::NotRunning);
        }
        let model = model.map(|m| m.trim().to_owned());
        self.controls.check_switch(model.as_deref(), effort.as_ref(), self.turn.is_some())?;
        let Some((lines, controls)) = self.adapter.set_model(model.as_deref(), effort.as_ref()) else {
            return Err(ControlsError::CannotSwitch.into());
        };
        for line in lines {
            self.write(line);
        }
        self.on_controls(controls);
        // A resumed session starts in the model chosen last (Claude's `--model`, Codex's
        // `thread/resume`); the effort is the agent's to keep.
        if let Some(m) = &model {
            if let Err(e) = self.store.set_model(&self.id, m) {
                tracing::warn!(session = %self.id, "could not record the model: {e}");
            }
        }
        Ok(())
    }
}
