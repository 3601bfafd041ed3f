//! Starting a best-of-N group from what a person asked for ([`BestOfStart`], as the window's
//! New Session dialog and a remote host's client send it): each member's agent settings are
//! checked the way a single session's are, then [`start`] runs. One function for the window's
//! command and `warden serve`, so a host checks exactly what the window does.

use super::{start, BestOfError, Group, Member, StartRequest};
use crate::engine::{RunOptions, Sessions};
use crate::sink::EventSink;
use std::sync::Arc;
use warden_core::best_of::{BestOfGroup, BestOfStart};
use warden_core::session::agent_settings;

/// Starts the group `asked` describes, each member with the discovered agent (see [`start`]).
pub async fn start_asked(sessions: &Sessions, asked: BestOfStart, sink: Arc<dyn EventSink>) -> Result<Group, BestOfError> {
    let members = asked
        .members
        .into_iter()
        .enumerate()
        .map(|(index, m)| {
            let (agent_name, sandbox) =
                agent_settings(m.agent, m.agent_name, m.sandbox).map_err(|e| BestOfError::BadMember { member: index + 1, reason: e.to_string() })?;
            Ok(Member { agent: m.agent, agent_name, model: m.model, sandbox, run: RunOptions::default() })
        })
        .collect::<Result<Vec<_>, BestOfError>>()?;
    let request = StartRequest {
        project: asked.project,
        prompt: asked.prompt,
        members,
        permission_mode: asked.permission_mode,
        base: asked.base,
        run_setup: asked.run_setup,
    };
    start(sessions, request, sink).await
}

impl From<Group> for BestOfGroup {
    fn from(group: Group) -> Self {
        BestOfGroup { id: group.id, sessions: group.sessions }
    }
}
