//! `warden checks`: the task gate's configuration without a window. `list` shows every entry
//! of the project file and the person's layer with its source, trust and errors; `trust`
//! shows exactly which commands and URLs the project file would run and records the person's
//! decision, pinned to that content.

use clap::{Args, Subcommand};
use std::io::{BufRead, Write};
use std::path::Path;
use warden_gate::overview::{overview, Overview};
use warden_gate::trust::{trust_request, Decision, FileTrust, TrustError, TrustRequest, TrustStore};

/// Arguments of `warden checks`.
#[derive(Debug, Args)]
pub struct ChecksArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: ChecksCommand,
}

/// The `warden checks` subcommands.
#[derive(Debug, Subcommand)]
pub enum ChecksCommand {
    /// Every check, webhook and review of the project (its `.warden/checks.toml` and your own
    /// layer), with where it comes from, whether it is trusted, why it is off, and its errors.
    /// Exit code 1 when a file has errors.
    List {
        /// The project folder.
        #[arg(long, value_name = "DIR")]
        project: String,
        /// One JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Shows every command, URL and reviewer of the project's checks file and asks whether they
    /// may run; the answer holds until the file changes.
    Trust(TrustArgs),
    /// Runs the checks now, without an agent (`on` and `when.*` are not applied). Exit code 0
    /// every gate check passed, 3 one failed, 4 one could not run, 2 nothing ran.
    Run(super::checks_run::ChecksRunArgs),
}

/// Arguments of `warden checks trust`.
#[derive(Debug, Args)]
pub struct TrustArgs {
    /// The project folder.
    #[arg(long, value_name = "DIR")]
    pub project: String,
    /// Trust without asking (what would be trusted is still printed).
    #[arg(long, conflicts_with_all = ["revoke", "dont_run"])]
    pub yes: bool,
    /// Allow one run only, without asking; the next run asks again.
    #[arg(long, conflicts_with_all = ["revoke", "dont_run", "yes"])]
    pub once: bool,
    /// Record "don't run" for this content, without asking.
    #[arg(long, conflicts_with = "revoke")]
    pub dont_run: bool,
    /// Forget the decision: the project's commands are not trusted any more.
    #[arg(long)]
    pub revoke: bool,
}

/// The exit code of a project file with errors (nothing trusted, nothing changed).
const INVALID: u8 = 1;

/// Runs the subcommand; returns the exit code.
pub async fn run(args: ChecksArgs, data_dir: &Path) -> u8 {
    match args.command {
        ChecksCommand::List { project, json } => list(&project, json, data_dir),
        ChecksCommand::Trust(args) => trust(args, data_dir),
        ChecksCommand::Run(args) => super::checks_run::run(args, data_dir).await,
    }
}

fn fail(e: impl std::fmt::Display) -> u8 {
    eprintln!("warden: {e}");
    super::run::SETUP_FAILED
}

fn list(project: &str, json: bool, data_dir: &Path) -> u8 {
    let project = match warden_engine::resolve_project_dir(project) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    let view = match overview(&project, data_dir) {
        Ok(view) => view,
        Err(e) => return fail(e),
    };
    if json {
        match serde_json::to_string(&view) {
            Ok(text) => println!("{text}"),
            Err(e) => return fail(e),
        }
    } else {
        print_overview(&view);
    }
    if view.valid {
        0
    } else {
        INVALID
    }
}

fn print_overview(view: &Overview) {
    match &view.project_file {
        Some(file) => println!("Project file: {} (sha256 {}…, {})", file.path.display(), &file.sha256[..12.min(file.sha256.len())], file_trust_text(&file.trust)),
        None => println!("Project file: none ({} does not exist)", warden_gate::config::PROJECT_FILE),
    }
    println!("Your layer:   {}{}", view.personal_file.display(), if view.personal_file_exists { "" } else { " (none)" });
    if view.entries.is_empty() {
        println!("No checks, webhooks or reviews.");
    }
    for entry in &view.entries {
        let source = match entry.source {
            warden_gate::config::Source::Project => "project",
            warden_gate::config::Source::Personal => "personal",
        };
        let mut line = format!("{:<8} {:<20} {:<9} {:<12}", entry.kind.as_str(), entry.id, source, entry.trust.label());
        if let Some(why) = &entry.disabled {
            line.push_str(&format!(" off: {why}"));
        } else if !entry.summary.is_empty() {
            line.push_str(&format!(" {}", entry.summary));
        }
        println!("{}", line.trim_end());
        if let warden_gate::trust::EntryTrust::NotTrusted(reason) = &entry.trust {
            println!("         not trusted: {reason}");
        }
        if !entry.overridden.is_empty() {
            println!("         your layer sets: {}", entry.overridden.join(", "));
        }
    }
    if !view.errors.is_empty() {
        println!("Errors (nothing in a file with errors runs):");
        for error in &view.errors {
            println!("  {error}");
        }
    }
}

fn file_trust_text(trust: &FileTrust) -> &'static str {
    match trust {
        FileTrust::NoFile => "no file",
        FileTrust::Trusted => "trusted",
        FileTrust::RunOnce => "allowed to run once",
        FileTrust::Refused => "you chose not to run it",
        FileTrust::NotTrusted { changed: true } => "not trusted: changed since you trusted it",
        FileTrust::NotTrusted { changed: false } => "not trusted: never approved",
    }
}

fn trust(args: TrustArgs, data_dir: &Path) -> u8 {
    let project = match warden_engine::resolve_project_dir(&args.project) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    let store = TrustStore::new(data_dir, &project);
    if args.revoke {
        return match store.revoke() {
            Ok(true) => {
                println!("Trust revoked: the checks file of {} is not trusted any more.", project.display());
                0
            }
            Ok(false) => {
                println!("No trust decision recorded for {}.", project.display());
                0
            }
            Err(e) => fail(e),
        };
    }
    let request = match trust_request(&project, data_dir) {
        Ok(request) => request,
        Err(TrustError::Invalid(errors)) => {
            for error in &errors {
                eprintln!("{error}");
            }
            eprintln!("warden: the checks file has errors: nothing was trusted and the previous decision is kept");
            return INVALID;
        }
        Err(e) => return fail(e),
    };
    print_request(&request);
    let decision = if args.yes {
        Decision::Trust
    } else if args.once {
        Decision::RunOnce
    } else if args.dont_run {
        Decision::DontRun
    } else {
        match ask() {
            Some(decision) => decision,
            None => {
                println!("Nothing decided; the previous decision is kept.");
                return INVALID;
            }
        }
    };
    match store.decide(&request.sha256, decision) {
        Ok(_) => {
            let done = match decision {
                Decision::Trust => "Trusted: these commands and URLs may run until the file changes.",
                Decision::RunOnce => "Allowed once: the next run uses this decision, the one after asks again.",
                Decision::DontRun => "Not trusted: none of this runs; you are asked again when the file changes.",
            };
            println!("{done}");
            0
        }
        Err(e) => fail(e),
    }
}

fn print_request(request: &TrustRequest) {
    println!("{} (sha256 {}) would be allowed to run:", request.file.display(), request.sha256);
    if request.commands.is_empty() && request.urls.is_empty() && request.reviews.is_empty() {
        println!("  nothing: it has no commands, no webhook URLs and no reviewers");
    }
    if !request.commands.is_empty() {
        println!("Commands (run in the project as you, like a terminal):");
        for c in &request.commands {
            let mut line = format!("  {}: {}", c.id, c.command);
            line.push_str(&format!("   in {}", c.cwd));
            if !c.env.is_empty() {
                line.push_str(&format!(", sets {}", c.env.join(", ")));
            }
            if c.disabled {
                line.push_str(" (disabled in the file)");
            }
            println!("{line}");
        }
    }
    if !request.urls.is_empty() {
        println!("Webhook URLs (events sent there):");
        for u in &request.urls {
            let private = if u.allow_private { ", loopback/private addresses allowed" } else { "" };
            println!("  {}: {}   ({}{private})", u.id, u.url, u.events.join(", "));
        }
    }
    if !request.reviews.is_empty() {
        println!("Reviewers (agents started read-only with the file's instructions, after the checks):");
        for r in &request.reviews {
            println!("  {}", r.describe());
        }
    }
    match request.current {
        FileTrust::Trusted => println!("This content is already trusted."),
        FileTrust::NotTrusted { changed: true } => println!("The file changed since you last decided."),
        _ => {}
    }
}

/// Asks on stdin; `None` for anything but an answer (end of input included).
fn ask() -> Option<Decision> {
    print!("Trust these? [t]rust / run [o]nce / [d]on't run / anything else cancels: ");
    let _ = std::io::stdout().flush();
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).ok()?;
    match line.trim().to_ascii_lowercase().as_str() {
        "t" | "trust" | "y" | "yes" => Some(Decision::Trust),
        "o" | "once" | "run once" => Some(Decision::RunOnce),
        "d" | "dont" | "don't" | "don't run" | "n" | "no" => Some(Decision::DontRun),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Cli, Command};
    use super::*;
    use clap::Parser;

    #[test]
    fn list_and_trust_take_their_flags_and_refuse_contradictions() {
        let cli = Cli::parse_from(["warden", "checks", "list", "--project", "/p", "--json"]);
        let Some(Command::Checks(ChecksArgs { command: ChecksCommand::List { project, json } })) = cli.command else { panic!("checks list") };
        assert_eq!((project.as_str(), json), ("/p", true));
        let cli = Cli::parse_from(["warden", "checks", "trust", "--project", "/p", "--yes"]);
        let Some(Command::Checks(ChecksArgs { command: ChecksCommand::Trust(args) })) = cli.command else { panic!("checks trust") };
        assert!(args.yes && !args.revoke && !args.once && !args.dont_run);
        for bad in [&["--yes", "--revoke"][..], &["--once", "--dont-run"], &["--yes", "--once"], &["--dont-run", "--revoke"]] {
            let mut argv = vec!["warden", "checks", "trust", "--project", "/p"];
            argv.extend_from_slice(bad);
            assert!(Cli::try_parse_from(argv).is_err(), "{bad:?}");
        }
        assert!(Cli::try_parse_from(["warden", "checks", "list"]).is_err(), "--project is required");
    }
}
