//! `warden sessions`: the stored sessions of a project.

use clap::Args;
use std::path::Path;
use warden_engine::Engine;

/// Arguments of `warden sessions`.
#[derive(Debug, Args)]
pub struct SessionsArgs {
    /// The project folder.
    #[arg(long, value_name = "DIR")]
    pub project: String,
    /// One JSON object per session and line.
    #[arg(long)]
    pub json: bool,
}

/// Prints the sessions, newest first; returns the exit code.
pub fn list(args: SessionsArgs, data_dir: &Path) -> u8 {
    let project = match warden_engine::resolve_project_dir(&args.project) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("warden: {e}");
            return super::run::SETUP_FAILED;
        }
    };
    let sessions = Engine::open(data_dir).and_then(|(engine, _)| Ok(engine.store().sessions(Some(&project.to_string_lossy()))?));
    let sessions = match sessions {
        Ok(s) => s,
        Err(e) => {
            eprintln!("warden: {e}");
            return super::run::SETUP_FAILED;
        }
    };
    for s in &sessions {
        if args.json {
            println!("{}", serde_json::to_string(s).expect("records always serialise"));
        } else {
            let title = if s.title.is_empty() { "(no prompt yet)" } else { &s.title };
            println!("{}  {:<8}  {:>3} turns  ${:.4}  {}", s.id, s.status.as_str(), s.turns, s.cost_usd, title);
        }
    }
    if sessions.is_empty() && !args.json {
        println!("No sessions in {} yet.", project.display());
    }
    0
}
