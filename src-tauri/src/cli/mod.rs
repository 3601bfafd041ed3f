//! The `warden` command line: `warden [PATH]` opens the window, with PATH as a project;
//! `warden run`, `warden sessions`, `warden permissions` and the file journal's `warden log`,
//! `warden rollback` and `warden diff` drive the same engine without a window; `warden agents`
//! lists the agents it can run; `warden review` has another agent review a session's changes.

mod agents;
mod approve;
mod checks;
mod checks_run;
pub mod executables;
mod files;
mod files_hunks;
mod permissions;
pub(crate) mod remote;
mod remote_run;
mod review;
mod run;
mod run_pipeline;
mod run_progress;
mod serve;
mod sessions;
mod transcript;
mod webhooks;
mod worktrees;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

pub use agents::AgentsArgs;
pub use checks::ChecksArgs;
pub use files::{DiffArgs, LogArgs, RollbackArgs};
pub use permissions::PermissionsArgs;
pub use remote::{RemoteArgs, RemoteFlags};
pub use review::ReviewArgs;
pub use serve::ServeArgs;
pub use run::RunArgs;
pub use sessions::SessionsArgs;
pub use webhooks::WebhooksArgs;
pub use worktrees::WorktreesArgs;

/// Run AI coding agents on your projects while staying in charge.
#[derive(Debug, Parser)]
#[command(name = "warden", version, about, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// Headless commands; without one, the window opens.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A project folder to open in the window.
    pub path: Option<String>,
    /// Where Warden keeps its settings and session history (default: the platform's app data
    /// folder). Also settable with WARDEN_DATA_DIR.
    #[arg(long, value_name = "DIR", env = "WARDEN_DATA_DIR", hide = true, global = true)]
    pub data_dir: Option<PathBuf>,
    /// Accepted and ignored: WebKitWebDriver passes it when it launches the app for end-to-end
    /// tests; automation itself is switched on by TAURI_WEBVIEW_AUTOMATION.
    #[arg(long, hide = true)]
    pub automation: bool,
}

/// Commands that run without a window.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run one task of an agent in a project (its turn, then the project's checks and any
    /// feedback rounds) and exit when it ends.
    ///
    /// Exit codes: 0 the task passed (or there are no checks), 1 the turn failed, was
    /// interrupted or the agent crashed, 2 nothing could be started, 3 the agent finished but
    /// the checks did not pass (blocked, exhausted, feedback dismissed or accepted as is).
    Run(RunArgs),
    /// List the stored sessions of a project.
    Sessions(SessionsArgs),
    /// The permission audit log and the project's permission rules, and changing those rules.
    Permissions(PermissionsArgs),
    /// Every file change agents made in a project, as the file journal recorded it.
    Log(LogArgs),
    /// Put files back as they were before recorded changes (exit 1 when refused over files
    /// changed since).
    Rollback(RollbackArgs),
    /// Recorded changes as a unified diff.
    Diff(DiffArgs),
    /// Every agent Warden can run: where it is installed, its version, whether it is logged in.
    Agents(AgentsArgs),
    /// The task gate's checks: list them, trust the project's checks file.
    Checks(ChecksArgs),
    /// Webhook endpoints, the delivery log, redelivery and test events.
    Webhooks(WebhooksArgs),
    /// A read-only review of a session's task (a turn, the whole session) by any agent: its
    /// findings, anchored to the journal's diff.
    ///
    /// Exit codes: 0 the reviewer approves, 3 it found something that needs attention, 1 no
    /// verdict (bad arguments, nothing changed, the reviewer failed or answered garbage twice).
    Review(ReviewArgs),
    /// Warden's git worktrees of a project (`warden run --worktree` makes them): list, merge,
    /// pr, discard.
    ///
    /// Exit codes: 0 done, 1 failed (a conflict, uncommitted changes), 2 usage or setup.
    Worktrees(WorktreesArgs),
    /// This host's engine for a Warden elsewhere, on standard input and output
    /// (`warden serve --stdio`, what `warden run --remote` and remote projects start over ssh).
    ///
    /// Exit codes: 0 the client went away, 2 the engine could not be started.
    Serve(ServeArgs),
    /// Another host or container: check which Warden runs there, install this one there.
    ///
    /// Exit codes: 0 done, 2 unreachable, another version, or another platform.
    Remote(RemoteArgs),
}

/// Runs a headless command and returns the process exit code.
pub fn headless(command: Command, data_dir: Option<PathBuf>) -> std::process::ExitCode {
    let data_dir = data_dir.or_else(default_data_dir);
    let Some(data_dir) = data_dir else {
        eprintln!("warden: no data folder: set WARDEN_DATA_DIR");
        return std::process::ExitCode::from(2);
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("warden: cannot start: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    // Agents' versions are read once per executable and kept in the data folder, for every
    // command (the window's engine does the same).
    warden_engine::version_cache::use_data_dir(&data_dir);
    let code = runtime.block_on(async move {
        match command {
            Command::Run(args) => run::run(args, &data_dir).await,
            Command::Sessions(args) => sessions::list(args, &data_dir),
            Command::Permissions(args) => permissions::run(args, &data_dir),
            Command::Log(args) => files::log(args, &data_dir),
            Command::Rollback(args) => files::rollback(args, &data_dir),
            Command::Diff(args) => files::diff(args, &data_dir),
            Command::Agents(args) => agents::list(args, &data_dir).await,
            Command::Checks(args) => checks::run(args, &data_dir).await,
            Command::Webhooks(args) => webhooks::run(args, &data_dir).await,
            Command::Review(args) => review::run(args, &data_dir).await,
            Command::Worktrees(args) => worktrees::run(args, &data_dir),
            Command::Serve(args) => serve::run(args, &data_dir).await,
            Command::Remote(args) => remote::run(args).await,
        }
    });
    std::process::ExitCode::from(code)
}

/// The folder the window uses too (Tauri's app data folder for our identifier), so both see
/// the same sessions.
pub fn default_data_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join(crate::IDENTIFIER))
}

/// What the window starts with.
#[derive(Debug, Clone, Default)]
pub struct Launch {
    /// A project folder to open at start, exactly as given.
    pub open: Option<String>,
    /// Overrides the folder for settings and recent projects.
    pub data_dir: Option<PathBuf>,
}

impl Cli {
    /// The launch settings this command line asks for.
    pub fn into_launch(self) -> Launch {
        Launch { open: self.path, data_dir: self.data_dir }
    }
}

/// On Linux and the BSDs a window needs an X11 or Wayland display. Without one GTK aborts with a
/// cryptic message, so say plainly what is wrong and how to run Warden anyway.
pub fn missing_display() -> Option<String> {
    if !cfg!(all(unix, not(target_os = "macos"))) {
        return None;
    }
    let has = |var: &str| std::env::var_os(var).is_some_and(|v| !v.is_empty());
    if has("DISPLAY") || has("WAYLAND_DISPLAY") {
        return None;
    }
    Some(
        "warden: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set).\n\
         Warden is a desktop app and needs a graphical session. On a machine without one, run it \
         under a virtual display:\n    xvfb-run -a warden [PROJECT]\n\
         or, from a source checkout:\n    xvfb-run -a make run"
            .to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_argument_becomes_the_project_to_open() {
        let launch = Cli::parse_from(["warden", "/srv/app"]).into_launch();
        assert_eq!(launch.open.as_deref(), Some("/srv/app"));
    }

    #[test]
    fn the_webdriver_automation_flag_is_accepted() {
        let cli = Cli::try_parse_from(["warden", "--automation"]).expect("WebKitWebDriver passes it");
        assert!(cli.path.is_none());
    }

    #[test]
    fn rollback_takes_one_target_and_a_turn_needs_its_session() {
        let cli = Cli::parse_from(["warden", "rollback", "--project", "/p", "--turn", "2", "--session", "s", "--force"]);
        let Some(Command::Rollback(args)) = cli.command else { panic!("a rollback command") };
        assert_eq!((args.target.turn, args.target.session.as_deref(), args.force), (Some(2), Some("s"), true));
        assert!(Cli::try_parse_from(["warden", "rollback", "--project", "/p", "--turn", "2"]).is_err(), "--turn needs --session");
        assert!(Cli::try_parse_from(["warden", "rollback", "--project", "/p", "--op", "1", "--turn", "2", "--session", "s"]).is_err());
        assert!(Cli::try_parse_from(["warden", "rollback", "--project", "/p", "--op", "1", "--redo", "3"]).is_err());
        assert!(Cli::try_parse_from(["warden", "diff", "--project", "/p", "--tool-call", "toolu_1"]).is_ok());
    }

    #[test]
    fn hunks_are_numbers_of_one_op() {
        let cli = Cli::parse_from(["warden", "rollback", "--project", "/p", "--op", "7", "--hunks", "1,3", "--dry-run"]);
        let Some(Command::Rollback(args)) = cli.command else { panic!("a rollback command") };
        assert_eq!((args.target.op, args.hunks, args.dry_run), (Some(7), Some(vec![1, 3]), true));
        assert!(Cli::try_parse_from(["warden", "rollback", "--project", "/p", "--hunks", "1"]).is_err(), "--hunks needs --op");
        assert!(Cli::try_parse_from(["warden", "rollback", "--project", "/p", "--op", "7", "--hunks", "one"]).is_err());
        assert!(Cli::try_parse_from(["warden", "diff", "--project", "/p", "--op", "7", "--hunks"]).is_ok());
    }

    #[test]
    fn run_takes_an_agent_name_and_a_sandbox_for_new_sessions_only() {
        let cli = Cli::parse_from(["warden", "run", "--project", "/p", "--agent", "My Agent", "--sandbox", "read-only", "go"]);
        let Some(Command::Run(args)) = cli.command else { panic!("a run command") };
        assert_eq!((args.agent.as_deref(), args.sandbox), (Some("My Agent"), Some(warden_core::session::Sandbox::ReadOnly)));
        assert!(Cli::try_parse_from(["warden", "run", "--project", "/p", "--sandbox", "everything", "go"]).is_err());
        assert!(Cli::try_parse_from(["warden", "run", "--project", "/p", "--resume", "s", "--agent", "codex", "go"]).is_err(), "a resumed session keeps its agent");
        let cli = Cli::parse_from(["warden", "agents", "--json"]);
        assert!(matches!(cli.command, Some(Command::Agents(AgentsArgs { json: true }))));
    }

    #[test]
    fn run_takes_its_flags_and_the_prompt() {
        let cli = Cli::parse_from(["warden", "run", "--project", "/p", "--json", "--approve", "deny", "make a file"]);
        let Some(Command::Run(args)) = cli.command else { panic!("a run command") };
        assert_eq!(args.prompt, "make a file");
        assert!(args.json);
    }
}
