//! Why a transport's process could not start or ended before the handshake, in the clearest
//! words. "Warden is not installed there" (which makes the window offer the install) is said
//! only when the other side's shell could not find the `warden` the transport runs: exit code
//! 127 with that program named (`docker exec`'s "executable file not found" for a container).
//! A missing `ssh` on this machine, an identity or config file ssh cannot read here, or any
//! other failure of ssh itself (its exit code 255) is named as what it is.

use crate::client::{with_tail, ClientError};
use crate::transport::{Place, Transport};

/// The error for a transport whose program could not be started here.
pub(crate) fn spawn_error(transport: &Transport, error: &std::io::Error) -> ClientError {
    let program = transport.program();
    let message = if error.kind() == std::io::ErrorKind::NotFound {
        let install = match transport.place() {
            Place::Ssh { .. } => " (install OpenSSH's client)",
            _ => "",
        };
        format!("`{program}` is not installed on this machine, or not on the PATH Warden was started with{install}: {error}")
    } else {
        error.to_string()
    };
    ClientError::Spawn { command: transport.command_line(), message }
}

/// The error for a transport's process that ended (with `code`, when it exited) before the
/// handshake, having written `tail` to its stderr.
pub(crate) fn ended_early(transport: &Transport, code: Option<i32>, tail: &str) -> ClientError {
    let lower = tail.to_lowercase();
    let names_warden = tail.contains(transport.warden_name());
    let container = matches!(transport.place(), Place::Container { .. });
    // 127: the shell there did not find the program (sh, bash, zsh and `docker exec` agree).
    let not_found = code == Some(127) || (container && code == Some(126) && lower.contains("executable file not found"));
    if not_found && names_warden {
        return ClientError::NotInstalled { place: transport.describe(), detail: tail.trim().to_owned() };
    }
    if lower.contains("unrecognized subcommand") || lower.contains("unexpected argument") {
        return ClientError::Handshake(format!(
            "the Warden on {} is too old for remote use (it has no `warden serve --stdio`): {}; install Warden {} there",
            transport.describe(),
            tail.trim(),
            crate::WARDEN_VERSION
        ));
    }
    if let (Place::Ssh { destination }, Some(255)) = (transport.place(), code) {
        // ssh's own failure: nothing ran on the host.
        let why = if lower.contains("identity file") && (lower.contains("not accessible") || lower.contains("no such file")) {
            "ssh cannot read the identity (key) file named for it on this machine; check the path given with -i or IdentityFile"
        } else if lower.contains("config file") && lower.contains("no such file") {
            "ssh cannot read the configuration file named for it on this machine"
        } else {
            "ssh could not connect or log in"
        };
        return ClientError::Handshake(format!("{why} (reaching {destination}, ssh exited with code 255){}", with_tail(tail)));
    }
    let code = code.map(|c| format!(" with code {c}")).unwrap_or_default();
    ClientError::Handshake(format!("{} ended before the handshake ({} exited{code}){}", transport.describe(), transport.command_line(), with_tail(tail)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::SshOptions;
    use crate::Connection;
    use std::os::unix::fs::PermissionsExt;

    fn ssh() -> Transport {
        Transport::ssh("dev@box", &SshOptions::default()).unwrap()
    }

    fn installed(err: &ClientError) -> bool {
        matches!(err, ClientError::NotInstalled { .. })
    }

    #[test]
    fn only_the_shell_not_finding_warden_is_not_installed() {
        for (code, tail) in [
            (127, "bash: line 1: warden: command not found"),
            (127, "sh: 1: warden: not found"),
            (127, "zsh:1: command not found: warden"),
            (127, "bash: line 1: /opt/tools/warden: No such file or directory"),
        ] {
            assert!(installed(&ended_early(&ssh(), Some(code), tail)), "{tail}");
        }
        let container = Transport::container("docker", "web", "warden").unwrap();
        let oci = "OCI runtime exec failed: exec failed: unable to start container process: exec: \"warden\": executable file not found in $PATH: unknown";
        assert!(installed(&ended_early(&container, Some(126), oci)));
        assert!(installed(&ended_early(&container, Some(127), oci)));
    }

    #[test]
    fn ssh_failing_here_is_not_a_missing_warden() {
        let identity = ended_early(&ssh(), Some(255), "Warning: Identity file /home/me/.ssh/nope not accessible: No such file or directory.\ndev@box: Permission denied (publickey).");
        assert!(!installed(&identity));
        assert!(identity.to_string().starts_with("ssh cannot read the identity (key) file") && identity.to_string().contains("dev@box"), "{identity}");
        let config = ended_early(&ssh(), Some(255), "Can't open user config file /tmp/gone: No such file or directory");
        assert!(!installed(&config) && config.to_string().contains("configuration file"), "{config}");
        let refused = ended_early(&ssh(), Some(255), "ssh: connect to host box port 22: Connection refused");
        assert!(refused.to_string().contains("could not connect or log in") && refused.to_string().contains("Connection refused"), "{refused}");
        // "No such file" alone, or a 127 about another program (a login script's), is not about Warden.
        assert!(!installed(&ended_early(&ssh(), Some(1), "cat: /etc/motd: No such file or directory")));
        assert!(!installed(&ended_early(&ssh(), Some(127), "/home/dev/.bashrc: line 3: nvm: command not found")));
        assert!(!installed(&ended_early(&ssh(), None, "warden: command not found")), "no exit code, no claim");
    }

    /// A stand-in for `ssh` that says `stderr` and exits with `code`.
    fn fake_ssh(dir: &std::path::Path, stderr: &str, code: i32) -> String {
        let path = dir.join(format!("ssh-{code}"));
        std::fs::write(&path, format!("#!/bin/sh\nprintf '%s\\n' '{stderr}' >&2\nexit {code}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path.to_string_lossy().into_owned()
    }

    #[tokio::test]
    async fn through_a_real_process_each_failure_is_named_for_what_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let open = |ssh: String| async move { Connection::open(&Transport::ssh("dev@box", &SshOptions { ssh, ..SshOptions::default() }).unwrap()).await.err().expect("fails") };
        let missing_key = open(fake_ssh(dir.path(), "Warning: Identity file /nope not accessible: No such file or directory.", 255)).await;
        assert!(!installed(&missing_key) && missing_key.to_string().contains("identity (key) file"), "{missing_key}");
        let not_there = open(fake_ssh(dir.path(), "bash: line 1: warden: command not found", 127)).await;
        assert!(installed(&not_there), "{not_there}");
        let no_ssh = open(dir.path().join("no-such-ssh").to_string_lossy().into_owned()).await;
        assert!(matches!(no_ssh, ClientError::Spawn { .. }), "{no_ssh:?}");
        assert!(no_ssh.to_string().contains("is not installed on this machine") && no_ssh.to_string().contains("OpenSSH"), "{no_ssh}");
    }
}
