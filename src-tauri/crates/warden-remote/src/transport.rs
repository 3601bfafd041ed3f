//! Transports: any command whose stdin and stdout reach `warden serve --stdio` somewhere. Three
//! constructors name the usual ones: OpenSSH's own `ssh` (so the person's `~/.ssh/config`,
//! keys, agent, jump hosts and known_hosts apply exactly as they set them up), `docker exec`
//! into a running container, and a custom shell command (`kubectl exec`, a wrapper, a test).

use std::ffi::OsString;
use std::process::Stdio;

/// The command that runs Warden on the other side, by default.
pub const REMOTE_WARDEN: &str = "warden";

/// What kind of place a transport reaches, for messages and the window's header.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Place {
    /// A host over SSH.
    Ssh {
        /// The destination as given (`user@host`, a config alias).
        destination: String,
    },
    /// A running container.
    Container {
        /// Its name or id.
        name: String,
    },
    /// Whatever a custom command reaches.
    Command {
        /// The command.
        command: String,
    },
}

/// A way to start `warden serve --stdio` somewhere and talk to it over the pipe.
#[derive(Debug, Clone)]
pub struct Transport {
    place: Place,
    program: OsString,
    args: Vec<OsString>,
    /// The `warden` it runs on the other side as named (a custom command: the usual name), so
    /// a failure can tell "that `warden` is missing" from anything else.
    warden: String,
}

/// Options of the SSH transport.
#[derive(Debug, Clone)]
pub struct SshOptions {
    /// `-o BatchMode=yes`: never ask for a password or a host key confirmation (for scripts:
    /// without a usable key it fails at once instead of waiting for a person).
    pub batch_mode: bool,
    /// More arguments for `ssh`, before the destination (`-F FILE`, `-p PORT`, `-J JUMP`).
    pub ssh_args: Vec<String>,
    /// The `warden` to run on the host: a path, or a name its non-interactive PATH finds.
    pub remote_warden: String,
    /// The `ssh` executable.
    pub ssh: String,
}

impl Default for SshOptions {
    fn default() -> Self {
        SshOptions { batch_mode: false, ssh_args: Vec::new(), remote_warden: REMOTE_WARDEN.to_owned(), ssh: "ssh".to_owned() }
    }
}

/// Why a transport cannot be made from what was given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TransportError(String);

impl Transport {
    /// `ssh -T [-o BatchMode=yes] … -- DEST 'warden' serve --stdio`. A keepalive is asked for so
    /// a host that vanished is noticed within about 45 s even when no TCP reset arrives.
    pub fn ssh(destination: &str, options: &SshOptions) -> Result<Transport, TransportError> {
        let destination = destination.trim();
        if destination.is_empty() || destination.starts_with('-') {
            // `-oProxyCommand=…` as a "destination" would run a command here.
            return Err(TransportError(format!("'{destination}' is not an SSH destination (user@host or a ~/.ssh/config alias)")));
        }
        let mut args: Vec<OsString> = vec!["-T".into()];
        if options.batch_mode {
            args.extend(["-o".into(), "BatchMode=yes".into()]);
        }
        args.extend(["-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=3"].map(OsString::from));
        args.extend(options.ssh_args.iter().map(OsString::from));
        args.push("--".into());
        args.push(destination.into());
        // ssh joins these into one command line for the remote shell: the path is quoted.
        args.extend([shell_quote(&options.remote_warden), "serve".into(), "--stdio".into()].map(OsString::from));
        Ok(Transport { place: Place::Ssh { destination: destination.to_owned() }, program: options.ssh.clone().into(), args, warden: options.remote_warden.clone() })
    }

    /// `docker exec -i CONTAINER warden serve --stdio` (`engine` may be `podman`).
    pub fn container(engine: &str, name: &str, remote_warden: &str) -> Result<Transport, TransportError> {
        let name = name.trim();
        if name.is_empty() || name.starts_with('-') {
            return Err(TransportError(format!("'{name}' is not a container name")));
        }
        let args = ["exec", "-i", name, remote_warden, "serve", "--stdio"].map(OsString::from).to_vec();
        Ok(Transport { place: Place::Container { name: name.to_owned() }, program: engine.into(), args, warden: remote_warden.to_owned() })
    }

    /// A shell command (`sh -c COMMAND`) that starts `warden serve --stdio` somewhere.
    pub fn command(command: &str) -> Result<Transport, TransportError> {
        if command.trim().is_empty() {
            return Err(TransportError("the remote command is empty".into()));
        }
        let args = vec!["-c".into(), command.into()];
        Ok(Transport { place: Place::Command { command: command.to_owned() }, program: "sh".into(), args, warden: REMOTE_WARDEN.to_owned() })
    }

    /// Where it reaches.
    pub fn place(&self) -> &Place {
        &self.place
    }

    /// Where it reaches, in words: "host.example (ssh)".
    pub fn describe(&self) -> String {
        match &self.place {
            Place::Ssh { destination } => format!("{destination} (ssh)"),
            Place::Container { name } => format!("container {name}"),
            Place::Command { command } => format!("`{command}`"),
        }
    }

    /// The program it starts on this machine (`ssh`, `docker`, `sh`).
    pub fn program(&self) -> String {
        self.program.to_string_lossy().into_owned()
    }

    /// The file name of the `warden` it runs on the other side ("warden").
    pub fn warden_name(&self) -> &str {
        self.warden.rsplit('/').next().unwrap_or(&self.warden)
    }

    /// The command line it runs, for messages.
    pub fn command_line(&self) -> String {
        std::iter::once(&self.program).chain(&self.args).map(|a| a.to_string_lossy().into_owned()).collect::<Vec<_>>().join(" ")
    }

    /// The same transport running a shell script on the other side instead of
    /// `warden serve --stdio` (for `warden remote install`): for SSH the remote login shell
    /// runs it, in a container `sh -c`; a custom command cannot run anything else.
    pub fn shell(&self, script: &str) -> Option<Transport> {
        let mut args = self.args.clone();
        match &self.place {
            Place::Ssh { .. } => {
                let keep = args.iter().position(|a| a == "--")? + 2;
                args.truncate(keep);
                args.push(script.into());
            }
            Place::Container { .. } => {
                args.truncate(3);
                args.extend(["sh", "-c", script].map(OsString::from));
            }
            Place::Command { .. } => return None,
        }
        Some(Transport { place: self.place.clone(), program: self.program.clone(), args, warden: self.warden.clone() })
    }

    /// Runs [`Transport::shell`]'s script with `input` on its stdin; its stdout, or why it
    /// failed (its stderr).
    pub async fn run_script(&self, script: &str, input: &[u8]) -> Result<String, TransportError> {
        use tokio::io::AsyncWriteExt;
        let transport = self.shell(script).ok_or_else(|| TransportError("a custom command can only run `warden serve --stdio`".into()))?;
        let mut child = transport.spawn().map_err(|e| TransportError(format!("cannot run {}: {e}", transport.command_line())))?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(input).await.map_err(|e| TransportError(format!("writing to {} failed: {e}", self.describe())))?;
            drop(stdin);
        }
        let out = child.wait_with_output().await.map_err(|e| TransportError(e.to_string()))?;
        if !out.status.success() {
            return Err(TransportError(format!("{} failed ({}): {}", transport.command_line(), out.status, String::from_utf8_lossy(&out.stderr).trim())));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// The process, its stdio piped.
    pub(crate) fn spawn(&self) -> std::io::Result<tokio::process::Child> {
        tokio::process::Command::new(&self.program)
            .args(&self.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
    }
}

/// `word` as one word for a POSIX shell (a leading `~/` is left for the remote shell to expand).
fn shell_quote(word: &str) -> String {
    if !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || "/._-~+=:@".contains(c)) {
        return word.to_owned();
    }
    format!("'{}'", word.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssh_runs_openssh_with_the_destination_after_the_options() {
        let t = Transport::ssh("dev@box", &SshOptions { batch_mode: true, ssh_args: vec!["-p".into(), "2222".into()], ..Default::default() }).unwrap();
        assert_eq!(t.command_line(), "ssh -T -o BatchMode=yes -o ServerAliveInterval=15 -o ServerAliveCountMax=3 -p 2222 -- dev@box warden serve --stdio");
        let quoted = Transport::ssh("box", &SshOptions { remote_warden: "/opt/my warden/warden".into(), ..Default::default() }).unwrap();
        assert!(quoted.command_line().ends_with("-- box '/opt/my warden/warden' serve --stdio"), "{}", quoted.command_line());
    }

    #[test]
    fn an_option_is_no_destination() {
        assert!(Transport::ssh("-oProxyCommand=touch /tmp/x", &SshOptions::default()).is_err());
        assert!(Transport::ssh("  ", &SshOptions::default()).is_err());
        assert!(Transport::container("docker", "--privileged", "warden").is_err());
        assert!(Transport::command("").is_err());
    }

    #[test]
    fn a_container_is_docker_exec() {
        let t = Transport::container("docker", "dev", "warden").unwrap();
        assert_eq!(t.command_line(), "docker exec -i dev warden serve --stdio");
        assert_eq!(t.shell("uname -sm").unwrap().command_line(), "docker exec -i dev sh -c uname -sm");
        let ssh = Transport::ssh("box", &SshOptions::default()).unwrap();
        assert!(ssh.shell("uname -sm").unwrap().command_line().ends_with("-- box uname -sm"));
        assert!(Transport::command("true").unwrap().shell("uname").is_none());
    }
}
