// Release builds on Windows get no console window behind the app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use clap::Parser;
use warden_app::cli::Cli;

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    if let Some(command) = cli.command {
        return warden_app::cli::headless(command, cli.data_dir);
    }
    if let Some(message) = warden_app::cli::missing_display() {
        eprintln!("{message}");
        return std::process::ExitCode::from(2);
    }
    match warden_app::run(cli.into_launch()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("warden: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
