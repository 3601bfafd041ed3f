//! `warden permissions`: the audit log of permission decisions and the project's rules.

use clap::{Args, Subcommand};
use std::path::Path;
use warden_core::session::{PermissionLogEntry, SessionId};
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
            let log = match engine.permission_log(&project, session.as_ref()) {
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
            let rules = match engine.project_rules(&project) {
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
    }
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
