//! What the window's Terminal panel opens: the person's shell, or an agent's own interface
//! ("Open in terminal"), found where discovery finds the agent, and the title of its tab.

use super::agent_tui::agent_tui;
use super::spec::{TerminalError, TerminalSpec};
use std::path::Path;
use warden_core::session::{AgentKind, SessionRecord};

/// The program the panel runs in `cwd` at `cols`×`rows`, and its tab's title: the shell when
/// `agent` is `None`; else the agent's interface, resuming `resume` (a stored session of that
/// agent) where its CLI can.
pub async fn panel_spec(
    cwd: &Path,
    cols: u16,
    rows: u16,
    agent: Option<AgentKind>,
    resume: Option<&SessionRecord>,
) -> Result<(TerminalSpec, String), TerminalError> {
    let Some(agent) = agent else {
        let spec = TerminalSpec::shell(cwd, cols, rows);
        let title = spec.program.file_stem().map_or_else(|| "Shell".to_owned(), |s| s.to_string_lossy().into_owned());
        return Ok((spec, title));
    };
    if let Some(record) = resume {
        if record.agent != agent {
            return Err(TerminalError::OtherAgent { session: record.id.to_string(), is: record.agent, asked: agent });
        }
    }
    let tui = agent_tui(agent, resume.and_then(|r| r.agent_session_id.as_deref()))?;
    let binary = crate::discovery::find_agent(tui.cli).await?;
    let name = warden_core::agent::spec(tui.cli).map_or(tui.cli.as_str(), |s| s.name);
    let title = if tui.resumed { format!("{name} (resumed)") } else { name.to_owned() };
    Ok((TerminalSpec::command(binary.program, tui.args, cwd, cols, rows), title))
}

#[cfg(test)]
mod tests {
    use super::*;
    use warden_core::session::{PermissionMode, SessionId};

    #[tokio::test]
    async fn the_shell_is_titled_by_its_name_and_a_session_of_another_agent_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (spec, title) = panel_spec(dir.path(), 80, 24, None, None).await.unwrap();
        assert_eq!(Some(title.as_str()), spec.program.file_stem().and_then(|s| s.to_str()));
        let record = SessionRecord::new(SessionId("w-1".into()), "/p".into(), AgentKind::Codex, None, PermissionMode::Default, 0);
        let err = panel_spec(dir.path(), 80, 24, Some(AgentKind::Claude), Some(&record)).await.unwrap_err();
        assert_eq!(err.to_string(), "session w-1 is a codex session, not claude");
        let err = panel_spec(dir.path(), 80, 24, Some(AgentKind::Custom), None).await.unwrap_err();
        assert!(matches!(err, TerminalError::NoTui(_)), "{err}");
    }
}
