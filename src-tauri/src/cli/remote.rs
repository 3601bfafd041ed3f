//! Where a headless command runs when it is not here: the `--remote`, `--container` and
//! `--remote-command` flags, and `warden remote` (check a host, install Warden there).

use clap::{Args, Subcommand};
use std::io::IsTerminal;
use warden_remote::{Connection, SshOptions, Transport};

/// The flags that send `warden run` to another host or a container.
#[derive(Debug, Clone, Default, Args)]
pub struct RemoteFlags {
    /// Run on this SSH host (user@host, or an alias of ~/.ssh/config) with OpenSSH's `ssh`:
    /// `--project` is a folder there, the agent runs there, its questions come here.
    #[arg(long, value_name = "DEST", conflicts_with_all = ["container", "remote_command"])]
    pub remote: Option<String>,
    /// Run in this running container (`docker exec -i NAME warden serve --stdio`).
    #[arg(long, value_name = "NAME", conflicts_with = "remote_command")]
    pub container: Option<String>,
    /// Run through this shell command, which must start `warden serve --stdio` somewhere
    /// (`kubectl exec -i POD -- warden serve --stdio`).
    #[arg(long, value_name = "COMMAND")]
    pub remote_command: Option<String>,
    /// The `warden` on the host or in the container: a path, or a name found on its PATH.
    #[arg(long, value_name = "PATH", default_value = warden_remote::transport::REMOTE_WARDEN)]
    pub remote_warden: String,
    /// One more argument for `ssh`, before the destination (`--ssh-arg=-p2222`); repeat it.
    #[arg(long = "ssh-arg", value_name = "ARG", allow_hyphen_values = true)]
    pub ssh_args: Vec<String>,
    /// The container engine for --container.
    #[arg(long, value_name = "PROGRAM", default_value = "docker")]
    pub container_engine: String,
}

impl RemoteFlags {
    /// The transport these flags name, or `None` when the command runs here.
    pub fn transport(&self) -> Option<Result<Transport, String>> {
        if let Some(destination) = &self.remote {
            // A script cannot answer a passphrase prompt: without a terminal ssh must not ask.
            let options = SshOptions {
                batch_mode: !std::io::stdin().is_terminal(),
                ssh_args: self.ssh_args.clone(),
                remote_warden: self.remote_warden.clone(),
                ..SshOptions::default()
            };
            return Some(Transport::ssh(destination, &options).map_err(|e| e.to_string()));
        }
        if let Some(name) = &self.container {
            return Some(Transport::container(&self.container_engine, name, &self.remote_warden).map_err(|e| e.to_string()));
        }
        self.remote_command.as_deref().map(|command| Transport::command(command).map_err(|e| e.to_string()))
    }
}

/// Arguments of `warden remote`.
#[derive(Debug, Args)]
pub struct RemoteArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: RemoteAction,
}

/// `warden remote` actions.
#[derive(Debug, Subcommand)]
pub enum RemoteAction {
    /// Connects and says which Warden runs there (exit 0), or why it cannot (exit 2).
    Check(RemoteTarget),
    /// Copies this Warden to the host or container (~/.local/bin/warden there), after checking
    /// it runs the same operating system and architecture.
    Install(RemoteTarget),
}

/// Where a `warden remote` action goes: exactly one of DEST, --container, --remote-command.
#[derive(Debug, Args)]
pub struct RemoteTarget {
    /// The SSH destination.
    #[arg(value_name = "DEST", required_unless_present_any = ["container", "remote_command"])]
    pub destination: Option<String>,
    /// The rest of the flags (--container, --remote-command, --remote-warden, --ssh-arg).
    #[command(flatten)]
    pub flags: RemoteFlags,
}

/// Where `warden remote install` puts the binary, for the remote shell to expand.
const INSTALLED_AT: &str = "~/.local/bin/warden";

/// Runs `warden remote`; returns the exit code.
pub async fn run(args: RemoteArgs) -> u8 {
    let (RemoteAction::Check(target) | RemoteAction::Install(target)) = &args.action;
    let mut flags = target.flags.clone();
    if flags.remote.is_none() {
        flags.remote = target.destination.clone();
    }
    let transport = match flags.transport() {
        Some(Ok(t)) => t,
        Some(Err(e)) => return fail(e),
        None => return fail("name a host, --container or --remote-command".into()),
    };
    match args.action {
        RemoteAction::Check(_) => match Connection::open(&transport).await {
            Ok(connection) => {
                let hello = connection.server();
                println!("{}: Warden {} (protocol {}) on {}", transport.describe(), hello.warden, hello.protocol, hello.platform);
                0
            }
            Err(e) => fail(e.to_string()),
        },
        RemoteAction::Install(_) => install(&transport, &flags).await,
    }
}

fn fail(message: String) -> u8 {
    eprintln!("warden: {message}");
    super::run::SETUP_FAILED
}

/// `uname -sm` there against this build's platform, then the binary over the same pipe.
async fn install(transport: &Transport, flags: &RemoteFlags) -> u8 {
    let uname = match transport.run_script("uname -sm", b"").await {
        Ok(out) => out,
        Err(e) => return fail(e.to_string()),
    };
    let (os, arch) = platform_of(&uname);
    let (our_os, our_arch) = (std::env::consts::OS, std::env::consts::ARCH);
    if (os.as_str(), arch.as_str()) != (our_os, our_arch) {
        return fail(format!(
            "{} runs {} ({os} {arch}); this Warden is built for {our_os} {our_arch}: install Warden {} for {os} {arch} there yourself",
            transport.describe(),
            uname.trim(),
            warden_remote::WARDEN_VERSION
        ));
    }
    // The headless executable: the host needs no GTK, and it is a fraction of the window's size.
    let binary = match super::executables::headless_executable() {
        Ok(path) => match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) => return fail(format!("cannot read {}: {e}", path.display())),
        },
        Err(e) => return fail(e.to_string()),
    };
    eprintln!("warden: copying Warden {} ({} MB) to {} …", warden_remote::WARDEN_VERSION, binary.len() / 1_000_000, transport.describe());
    // Written beside the target and renamed, so a running engine's binary is never half-written.
    let script = "set -e; mkdir -p ~/.local/bin; cat > ~/.local/bin/.warden.part; chmod 755 ~/.local/bin/.warden.part; mv -f ~/.local/bin/.warden.part ~/.local/bin/warden";
    if let Err(e) = transport.run_script(script, &binary).await {
        return fail(e.to_string());
    }
    // Through a shell there, which expands the `~` (docker exec would not).
    let check = match transport.shell(&format!("exec {INSTALLED_AT} serve --stdio")) {
        Some(t) => Connection::open(&t).await.map(|c| c.server().clone()).map_err(|e| e.to_string()),
        None => Err("a custom command can only run `warden serve --stdio`".into()),
    };
    match check {
        Ok(hello) => {
            println!("Installed Warden {} at {INSTALLED_AT} on {}", hello.warden, transport.describe());
            if flags.remote_warden != INSTALLED_AT {
                println!("If it is not on the PATH there, add --remote-warden '{INSTALLED_AT}'");
            }
            0
        }
        Err(e) => fail(format!("copied, but it does not answer: {e}")),
    }
}

/// `uname -sm` output as Rust's OS and architecture names.
pub(crate) fn platform_of(uname: &str) -> (String, String) {
    let mut words = uname.split_whitespace();
    let os = match words.next().unwrap_or_default() {
        "Linux" => "linux".to_owned(),
        "Darwin" => "macos".to_owned(),
        "FreeBSD" => "freebsd".to_owned(),
        other => other.to_lowercase(),
    };
    let arch = match words.next().unwrap_or_default() {
        "x86_64" | "amd64" => "x86_64".to_owned(),
        "aarch64" | "arm64" => "aarch64".to_owned(),
        other => other.to_owned(),
    };
    (os, arch)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::cli::{Cli, Command};
    use clap::Parser;

    #[test]
    fn run_takes_one_place_to_run() {
        let cli = Cli::parse_from(["warden", "run", "--remote", "dev@box", "--ssh-arg=-p2222", "--project", "/srv/app", "go"]);
        let Some(Command::Run(args)) = cli.command else { panic!("a run command") };
        assert_eq!((args.remote.remote.as_deref(), args.remote.ssh_args.as_slice()), (Some("dev@box"), ["-p2222".to_owned()].as_slice()));
        let t = args.remote.transport().expect("remote").expect("valid");
        assert!(t.command_line().contains("-p2222 -- dev@box warden serve --stdio"), "{}", t.command_line());
        assert!(Cli::try_parse_from(["warden", "run", "--remote", "a", "--container", "b", "--project", "/p", "go"]).is_err());
        let cli = Cli::parse_from(["warden", "run", "--container", "dev", "--project", "/p", "go"]);
        let Some(Command::Run(args)) = cli.command else { panic!("a run command") };
        assert_eq!(args.remote.transport().unwrap().unwrap().command_line(), "docker exec -i dev warden serve --stdio");
        let cli = Cli::parse_from(["warden", "run", "--project", "/p", "go"]);
        let Some(Command::Run(args)) = cli.command else { panic!("a run command") };
        assert!(args.remote.transport().is_none(), "local by default");
        assert!(matches!(Cli::parse_from(["warden", "serve", "--stdio"]).command, Some(Command::Serve(s)) if s.stdio));
        assert!(Cli::try_parse_from(["warden", "remote", "install", "dev@box"]).is_ok());
    }

    #[test]
    fn uname_names_map_to_rusts() {
        assert_eq!(platform_of("Linux x86_64\n"), ("linux".into(), "x86_64".into()));
        assert_eq!(platform_of("Darwin arm64"), ("macos".into(), "aarch64".into()));
    }
}
