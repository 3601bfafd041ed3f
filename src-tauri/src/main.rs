//! `warden-window`, the window's executable (Tauri, GTK/WebKitGTK on Linux). The headless
//! `warden` (src-tauri/src/bin/warden.rs) execs it for `warden` and `warden PATH`; the desktop
//! entry, the AppImage, the .app and the Windows shortcuts start it directly. It still runs every
//! headless command itself too: `Warden.AppImage run …` reaches it, and so do scripts written
//! before the split.

// Release builds on Windows get no console window behind the app; a headless command attaches
// to the console it was started from instead (`warden_platform::console`).
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use clap::Parser;
use warden_app::cli::Cli;
use warden_platform::console::{attach_parent_console, Launch};

/// Whether this build is a GUI-subsystem program (the attribute above).
const GUI_SUBSYSTEM: bool = cfg!(all(windows, not(debug_assertions)));

fn main() -> std::process::ExitCode {
    let parsed = Cli::try_parse();
    let subcommand = parsed.as_ref().is_ok_and(|cli| cli.command.is_some());
    attach_parent_console(Launch::from_command_line(parsed.is_ok(), subcommand), GUI_SUBSYSTEM);
    // Help, the version and usage errors: printed (to the console attached above) by clap.
    let cli = parsed.unwrap_or_else(|e| e.exit());
    if let Some(command) = cli.command {
        return warden_app::cli::headless(command, cli.data_dir);
    }
    if let Some(message) = warden_app::cli::missing_display() {
        eprintln!("{message}");
        return std::process::ExitCode::from(2);
    }
    // macOS: the login shell's PATH is read while the window opens, before agents are looked for.
    warden_platform::login_path::capture_in_background();
    match warden_app::run(cli.into_launch()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("warden: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
