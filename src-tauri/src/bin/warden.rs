//! `warden`, the headless executable: every command (`warden run`, `warden sessions`, `warden
//! serve`, …) without GTK or WebKitGTK linked, so each starts in a few milliseconds. With no
//! command, or with a folder to open, it hands the command line unchanged to the window's
//! executable beside it (`warden-window`, src-tauri/src/main.rs): on Unix by `exec`, so the
//! process that started `warden` still sees one process. Nothing here may reach the window's
//! code (`warden_app::run`): that is what keeps GTK out of this executable (checked by
//! tests/packages/check-packages.sh with `readelf -d`).

use clap::Parser;
use warden_app::cli::{executables, Cli};

fn main() -> std::process::ExitCode {
    // Help, the version and usage errors are printed here by clap; they need no window.
    let cli = Cli::try_parse().unwrap_or_else(|e| e.exit());
    match cli.command {
        Some(command) => warden_app::cli::headless(command, cli.data_dir),
        None => executables::open_window(std::env::args_os().skip(1).collect()),
    }
}
