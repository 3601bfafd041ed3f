//! `warden permissions`: the audit log of permission decisions and the project's rules, and
//! changing those rules without a window (`allow`, `deny`, `remove`), checked like the window's
//! rule editor and written by the engine, the rules file's only writer.

use clap::{Args, Subcommand};
use std::path::Path;
use warden_core::permission::Rule;
use warden_core::session::{PermissionLogEntry, SessionId};
use warden_engine::permission::RuleEdit;
use warden_engine::Engine;

/// Arguments of `warden permissions`.
#[derive(Debug, Args)]
pub struct PermissionsArgs {
    /// What to show.
    #[command(subcommand)]
    pub command: PermissionsCommand,
}

/// The `warden permissions` subcommands.
#[derive(Debug, Subcommand)]
pub enum PermissionsCommand {
    /// Every permission decision (by you, a rule or a mode) with time, tool, subject and reason.
    Log {
        /// The project folder.
        #[arg(long, value_name = "DIR")]
        project: String,
        /// Only this session.
        #[arg(long, value_name = "SESSION")]
        session: Option<String>,
        /// One JSON object per decision and line.
        #[arg(long)]
        json: bool,
    },
    /// The rules Warden keeps for the project.
    Rules {
        /// The project folder.
        #[arg(long, value_name = "DIR")]
        project: String,
        /// The rules as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Adds a rule to the project's allow list: calls it covers run without asking.
    Allow(RuleArgs),
    /// Adds a rule to the project's deny list: calls it covers are refused without asking.
    Deny(RuleArgs),
    /// Takes a rule out of the project's allow and deny lists.
    Remove(RuleArgs),
}

/// One rule of a project, for `allow`, `deny` and `remove`.
#[derive(Debug, Args)]
pub struct RuleArgs {
    /// The rule, as the window's editor takes it: `Tool` or `Tool(specifier)`, e.g.
    /// `Bash(npm test:*)` or `Read(src/**)`.
    #[arg(value_name = "RULE")]
    pub rule: String,
    /// The project folder.
    #[arg(long, value_name = "DIR")]
    pub project: String,
}

/// Runs the subcommand; returns the exit code.
pub fn run(args: PermissionsArgs, data_dir: &Path) -> u8 {
    let engine = match Engine::open(data_dir) {
        Ok((engine, _)) => engine,
        Err(e) => return fail(e),
    };
    match args.command {
        PermissionsCommand::Log { project, session, json } => {
            let session = session.map(SessionId);
            let log = match engine.permissions().permission_log(&project, session.as_ref()) {
                Ok(log) => log,
                Err(e) => return fail(e),
            };
            for entry in &log {
                if json {
                    println!("{}", serde_json::to_string(entry).expect("entries serialise"));
                } else {
                    println!("{}", line(entry));
                }
            }
            if log.is_empty() && !json {
                println!("No permission decisions recorded yet.");
            }
            0
        }
        PermissionsCommand::Rules { project, json } => {
            let rules = match engine.permissions().project_rules(&project) {
                Ok(rules) => rules,
                Err(e) => return fail(e),
            };
            if json {
                println!("{}", serde_json::to_string(&rules).expect("rules serialise"));
            } else {
                for rule in &rules.allow {
                    println!("allow  {rule}");
                }
                for rule in &rules.deny {
                    println!("deny   {rule}");
                }
                if rules.is_empty() {
                    println!("No rules for this project.");
                }
            }
            0
        }
        PermissionsCommand::Allow(args) => edit(&engine, args, RuleEdit::Allow),
        PermissionsCommand::Deny(args) => edit(&engine, args, RuleEdit::Deny),
        PermissionsCommand::Remove(args) => edit(&engine, args, RuleEdit::Remove),
    }
}

/// Checks the rule (a malformed one is refused before anything is read or written) and has the
/// engine apply the change.
fn edit(engine: &Engine, args: RuleArgs, change: fn(Rule) -> RuleEdit) -> u8 {
    let rule = match Rule::parse(&args.rule) {
        Ok(rule) => rule,
        Err(e) => return fail(format!("'{}' is not a rule: {e}; nothing was changed", args.rule)),
    };
    let change = change(rule.clone());
    let changed = match engine.permissions().edit_project_rules(&args.project, &change) {
        Ok((_, changed)) => changed,
        Err(e) => return fail(e),
    };
    let done = match (&change, changed) {
        (RuleEdit::Allow(_), true) => "Allowed",
        (RuleEdit::Deny(_), true) => "Denied",
        (RuleEdit::Remove(_), true) => "Removed",
        (RuleEdit::Allow(_), false) => "Already allowed",
        (RuleEdit::Deny(_), false) => "Already denied",
        (RuleEdit::Remove(_), false) => "Not a rule of this project, nothing removed:",
    };
    println!("{done} {rule}");
    0
}

fn fail(e: impl std::fmt::Display) -> u8 {
    eprintln!("warden: {e}");
    super::run::SETUP_FAILED
}

/// One decision as a line: time, session, decision, by whom, tool, subject, rule or message.
fn line(e: &PermissionLogEntry) -> String {
    let time = time_of_day(e.at_ms);
    let session: String = e.session_id.as_str().chars().take(8).collect();
    let mut text = format!("{time}  {session}  {:<12} by {:<28} {} {}", e.decision.as_str(), e.source.describe(), e.tool_name, e.subject);
    if e.outside_project {
        text.push_str("  [outside the project]");
    }
    if !e.rules.is_empty() {
        let rules: Vec<&str> = e.rules.iter().map(|r| r.as_str()).collect();
        text.push_str(&format!("  rule: {}", rules.join(", ")));
    }
    if let Some(message) = &e.message {
        text.push_str(&format!("  \"{message}\""));
    }
    text
}

/// `YYYY-MM-DD HH:MM:SSZ` (UTC).
fn time_of_day(ms: u64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]Z");
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_else(|| ms.to_string())
}
