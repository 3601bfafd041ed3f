//! Claude Code's commands (slash commands and skills) as the window's list: the `initialize`
//! answer lists them with descriptions, `system/init` names those bound to a terminal, and
//! `system/commands_changed` replaces the list mid-session. Running one needs nothing here: a
//! prompt whose text starts with `/name` is expanded by Claude itself (checked against Claude Code
//! 2.1.329 by `tests/engine/agent_commands.rs`).

use super::adapter::ClaudeAdapter;
use crate::adapter::Output;
use serde::Deserialize;
use serde_json::Value;
use warden_core::session::{AgentCommand, AgentCommands, SessionEventKind};

/// Commands Warden never offers: `/clear` (and its aliases) starts Claude on a new conversation
/// under a new session id, which Warden's resume would not follow; Warden's own "New session"
/// is in the same list.
const NOT_OFFERED: &[&str] = &["clear"];

/// One command as Claude lists it (`SlashCommand` of the Agent SDK).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ClaudeCommand {
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    argument_hint: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
}

/// What Warden keeps of Claude's commands between frames.
#[derive(Debug, Default)]
pub(super) struct ClaudeCommands {
    /// Every command Claude listed last, in its order.
    listed: Vec<AgentCommand>,
    /// Those whose use is bound to a terminal (`terminal_slash_commands`), hidden.
    terminal: Vec<String>,
    /// The list last sent to the window, so only a change is news.
    sent: Option<Vec<AgentCommand>>,
}

impl ClaudeCommands {
    /// The commands the window offers: Claude's, less those bound to a terminal, internal ones
    /// (`__name`) and [`NOT_OFFERED`].
    fn offered(&self) -> Vec<AgentCommand> {
        self.listed
            .iter()
            .filter(|c| !c.name.starts_with("__") && !self.terminal.contains(&c.name) && !NOT_OFFERED.contains(&c.name.as_str()))
            .cloned()
            .collect()
    }

    /// The event for the window when the offered list changed.
    fn changed(&mut self) -> Option<Output> {
        let offered = self.offered();
        if self.sent.as_ref() == Some(&offered) {
            return None;
        }
        self.sent = Some(offered.clone());
        Some(Output::Event(SessionEventKind::AgentCommands(AgentCommands { commands: offered })))
    }
}

/// Reads a list of Claude's commands; entries that do not read are left out.
fn read_commands(list: &Value) -> Option<Vec<AgentCommand>> {
    let list = list.as_array()?;
    Some(
        list.iter()
            .filter_map(|c| serde_json::from_value::<ClaudeCommand>(c.clone()).ok())
            .map(|c| AgentCommand {
                name: c.name,
                description: c.description,
                argument_hint: c.argument_hint.filter(|h| !h.trim().is_empty()),
                aliases: c.aliases,
            })
            .collect(),
    )
}

impl ClaudeAdapter {
    /// Claude started a new conversation (`/clear` typed as a prompt): Warden's session goes on
    /// holding the earlier one, which a resume would bring back, so the person is told.
    pub(super) fn conversation_reset(&mut self, reset: super::wire::ConversationReset, out: &mut Vec<Output>) {
        let how = reset.trigger.map(|t| format!(" (/{t})")).unwrap_or_default();
        out.push(crate::adapter::notice(
            warden_core::session::NoticeLevel::Warning,
            format!(
                "Claude cleared its conversation{how} and goes on without what was said before. Warden keeps the \
                 earlier conversation: resuming this session later brings that one back. Start a new session for a fresh start."
            ),
        ));
    }

    /// The `initialize` answer's `commands`, or a `commands_changed` frame's: the whole list.
    pub(super) fn commands_listed(&mut self, list: Option<&Value>, out: &mut Vec<Output>) {
        if let Some(commands) = list.and_then(read_commands) {
            self.commands.listed = commands;
            out.extend(self.commands.changed());
        }
    }

    /// `system/init`'s `terminal_slash_commands`: those are hidden from now on.
    pub(super) fn terminal_commands(&mut self, names: Option<Vec<String>>, out: &mut Vec<Output>) {
        let Some(names) = names else { return };
        self.commands.terminal = names;
        if self.commands.sent.is_some() {
            out.extend(self.commands.changed());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapter::AgentAdapter;
    use std::path::PathBuf;

    fn feed(adapter: &mut ClaudeAdapter, line: &str) -> Vec<crate::adapter::Output> {
        adapter.on_line(line.as_bytes(), std::time::Instant::now())
    }

    fn listed(out: &[Output]) -> Vec<Vec<String>> {
        out.iter()
            .filter_map(|o| match o {
                Output::Event(SessionEventKind::AgentCommands(c)) => Some(c.commands.iter().map(|c| c.name.clone()).collect()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_initialize_answer_lists_the_commands_and_init_hides_the_terminals() {
        let mut a = ClaudeAdapter::new(PathBuf::from("/p"));
        let init = r#"{"type":"control_response","response":{"subtype":"success","request_id":"warden_1_init","response":{"commands":[
            {"name":"greet","description":"Greets someone (user)","argumentHint":"<name>"},
            {"name":"code-review","description":"Review the diff","argumentHint":"","aliases":["review"],"builtin":true},
            {"name":"clear","description":"Clear","argumentHint":"","aliases":["reset","new"]},
            {"name":"doctor","description":"Health","argumentHint":""},
            {"name":"__remote-workflow","description":"internal","argumentHint":""},
            {"bogus":true}]}}}"#;
        let out = feed(&mut a, init);
        assert!(out.contains(&Output::Ready), "still ready: {out:?}");
        assert_eq!(listed(&out), [vec!["greet", "code-review", "doctor"]]);
        let Some(Output::Event(SessionEventKind::AgentCommands(c))) = out.iter().find(|o| matches!(o, Output::Event(SessionEventKind::AgentCommands(_)))) else {
            panic!("{out:?}")
        };
        assert_eq!(c.commands[0].argument_hint.as_deref(), Some("<name>"));
        assert_eq!((c.commands[1].argument_hint.as_deref(), c.commands[1].aliases.as_slice()), (None, &["review".to_owned()][..]));

        let sys = r#"{"type":"system","subtype":"init","session_id":"s","slash_commands":["greet"],"terminal_slash_commands":["doctor"]}"#;
        assert_eq!(listed(&feed(&mut a, sys)), [vec!["greet", "code-review"]], "terminal commands leave the list");
        assert!(listed(&feed(&mut a, sys)).is_empty(), "only a change is news");

        let changed = r#"{"type":"system","subtype":"commands_changed","commands":[{"name":"greet","description":"d","argumentHint":""},{"name":"doctor","description":"d","argumentHint":""}]}"#;
        assert_eq!(listed(&feed(&mut a, changed)), [vec!["greet"]], "the new list replaces the old");

        let reset = feed(&mut a, r#"{"type":"conversation_reset","new_conversation_id":"n","trigger":"clear","session_id":"s"}"#);
        assert!(
            matches!(&reset[..], [Output::Event(SessionEventKind::Notice(n))] if n.text.contains("(/clear)")),
            "a /clear typed by hand is told, not shown as unknown output: {reset:?}"
        );
    }
}
