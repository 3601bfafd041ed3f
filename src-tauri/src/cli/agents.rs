//! `warden agents`: every agent Warden can run, as the Agents screen shows them.

use clap::Args;
use std::path::Path;
use warden_engine::agents::{detect_all, CustomAgentsFile, DetectEnv};

/// Arguments of `warden agents`.
#[derive(Debug, Args)]
pub struct AgentsArgs {
    /// One JSON object per agent and line.
    #[arg(long)]
    pub json: bool,
}

/// Prints every preset and custom agent with its status; returns the exit code (2 when the
/// custom agents cannot be read; the presets are listed anyway).
pub async fn list(args: AgentsArgs, data_dir: &Path) -> u8 {
    // Only the custom agents' file: listing opens neither the session store nor the journal.
    let (custom, code) = match CustomAgentsFile::in_data_dir(data_dir).list() {
        Ok(custom) => (custom, 0),
        Err(e) => {
            eprintln!("warden: {e}");
            (Vec::new(), super::run::SETUP_FAILED)
        }
    };
    for view in detect_all(&custom, &DetectEnv::current()).await {
        if args.json {
            println!("{}", serde_json::to_string(&view).expect("agent views always serialise"));
            continue;
        }
        let id = if view.custom.is_some() { view.name.clone() } else { view.kind.as_str().to_owned() };
        println!("{id:<12} {:<28} {:<10} {}", view.name, view.version.as_deref().unwrap_or("-"), view.status.words());
        if let Some(program) = &view.program {
            println!("             at {program}");
        }
        if view.program.is_some() {
            println!("             login: {}", view.login.detail);
        } else if let Some(install) = &view.install {
            // The window installs into its own folder; from a shell the pinned package goes global.
            let command = install.npm_package.as_ref().map_or_else(|| install.command.clone(), |p| format!("npm install -g {p}"));
            println!("             install: {command}");
        }
    }
    code
}
