//! Turning what the person typed into a transport: every field checked first (a destination or
//! container that starts with `-` would be read as an option, a relative folder would depend
//! on the login's current folder, an ssh option may run a command here), then the transports to try, and the words for the header.

use super::types::{RemoteKind, RemoteTarget};
use warden_remote::{SshOptions, Transport};

/// Where `remote_install` puts Warden on a host, for the remote shell to expand.
pub const INSTALLED_AT: &str = "~/.local/bin/warden";

/// Why a target cannot be used, in a sentence for the dialog.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadTarget(pub String);

/// Checks every field of `target`; the target with its fields trimmed.
pub fn checked(target: &RemoteTarget) -> Result<RemoteTarget, BadTarget> {
    let mut target = target.clone();
    target.destination = target.destination.trim().to_owned();
    target.folder = target.folder.trim().to_owned();
    let what = match target.kind {
        RemoteKind::Ssh => "SSH destination",
        RemoteKind::Container => "container name",
        RemoteKind::Command => "command",
    };
    if target.destination.is_empty() {
        return Err(BadTarget(format!("the {what} is empty")));
    }
    if target.kind != RemoteKind::Command && target.destination.starts_with('-') {
        // `-oProxyCommand=…` as a destination would run a command on this machine.
        return Err(BadTarget(format!("'{}' is not a {what}: it must not start with '-'", target.destination)));
    }
    if target.kind != RemoteKind::Command && target.destination.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(BadTarget(format!("'{}' is not a {what}: it has spaces or control characters", target.destination.escape_debug())));
    }
    if target.folder.is_empty() {
        return Err(BadTarget("the folder on the host is empty: name the project's folder there (an absolute path, like /home/me/app, or ~/app)".into()));
    }
    // `~` and `~/…` are the host user's home: the host resolves them (only it knows that home).
    let home_relative = target.folder == "~" || target.folder.starts_with("~/");
    if target.folder.starts_with('~') && !home_relative {
        let user = target.folder.split('/').next().unwrap_or_default();
        return Err(BadTarget(format!(
            "'{}' names another user's home ({user}): only your own home on the host (~ or ~/…) can be used; write the folder's full path instead",
            target.folder.escape_debug()
        )));
    }
    if !target.folder.starts_with('/') && !home_relative {
        return Err(BadTarget(format!(
            "'{}' is not an absolute path: name the folder on the host from its root (like /home/me/app) or from your home there (~/app)",
            target.folder.escape_debug()
        )));
    }
    if target.folder.chars().any(char::is_control) {
        return Err(BadTarget(format!("the folder '{}' has control characters", target.folder.escape_debug())));
    }
    if target.kind == RemoteKind::Ssh {
        target.ssh = target.ssh.checked().map_err(|e| BadTarget(e.to_string()))?;
    } else if !target.ssh.is_empty() {
        return Err(BadTarget(format!("ssh options ({}) are only for an SSH host, not a {what}", target.ssh.describe())));
    }
    for name in [&target.remote_warden, &target.container_engine].into_iter().flatten() {
        if name.trim().is_empty() || name.starts_with('-') || name.chars().any(char::is_control) {
            return Err(BadTarget(format!("'{}' is not a program name or path", name.escape_debug())));
        }
    }
    Ok(target)
}

/// The transport to `target` running `warden` as named (or `warden` on the host's PATH).
pub fn transport(target: &RemoteTarget) -> Result<Transport, BadTarget> {
    let warden = target.remote_warden.clone().unwrap_or_else(|| warden_remote::transport::REMOTE_WARDEN.to_owned());
    let made = match target.kind {
        RemoteKind::Ssh => {
            // Checked again here, so no path to ssh skips it (a stored entry is data).
            let ssh_args = target.ssh.checked().map_err(|e| BadTarget(e.to_string()))?;
            // The window has no terminal for a passphrase prompt: ssh must fail at once
            // instead of waiting (keys, the agent and the config work as set up).
            let options = SshOptions { batch_mode: true, ssh_args: ssh_args.to_args(), remote_warden: warden, ..SshOptions::default() };
            Transport::ssh(&target.destination, &options)
        }
        RemoteKind::Container => Transport::container(target.container_engine.as_deref().unwrap_or("docker"), &target.destination, &warden),
        RemoteKind::Command => Transport::command(&target.destination),
    };
    made.map_err(|e| BadTarget(e.to_string()))
}

/// The transport to the Warden `remote_install` put on the host, through a shell there (which
/// expands the `~`; `docker exec` alone would not). `None` for a custom command.
pub fn installed_transport(target: &RemoteTarget) -> Option<Transport> {
    transport(target).ok()?.shell(&format!("exec {INSTALLED_AT} serve --stdio"))
}

/// Where it runs, in words, for the header: "dev@box:/srv/app".
pub fn label(target: &RemoteTarget) -> String {
    match target.kind {
        RemoteKind::Ssh => format!("{}:{}", target.destination, target.folder),
        RemoteKind::Container => format!("container {}:{}", target.destination, target.folder),
        RemoteKind::Command => format!("{} (through a command)", target.folder),
    }
}

/// Two targets reach the same Warden (one connection serves both).
pub fn same_place(a: &RemoteTarget, b: &RemoteTarget) -> bool {
    a.kind == b.kind && a.destination == b.destination && a.ssh == b.ssh && a.remote_warden == b.remote_warden && a.container_engine == b.container_engine
}

#[cfg(test)]
mod tests {
    use super::*;
    use warden_remote::{SshExtra, SshOption};

    fn ssh(destination: &str, folder: &str) -> RemoteTarget {
        RemoteTarget { kind: RemoteKind::Ssh, destination: destination.into(), folder: folder.into(), ssh: SshExtra::default(), remote_warden: None, container_engine: None }
    }

    #[test]
    fn bad_fields_are_refused_with_a_sentence() {
        let err = |t: RemoteTarget| checked(&t).unwrap_err().0;
        assert!(err(ssh("-oProxyCommand=touch /tmp/x", "/srv")).contains("must not start with '-'"));
        assert!(err(ssh("  ", "/srv")).contains("empty"));
        assert!(err(ssh("box", "")).contains("folder on the host is empty"));
        assert!(err(ssh("box", "src/app")).contains("not an absolute path"));
        assert!(err(ssh("box", "app/~")).contains("not an absolute path"));
        assert!(err(ssh("box", "~bob/app")).contains("names another user's home (~bob)"));
        assert!(err(ssh("box", "~bob")).contains("another user's home"));
        assert_eq!(checked(&ssh("box", " ~/app ")).unwrap().folder, "~/app", "the host resolves ~, not the window");
        assert_eq!(checked(&ssh("box", "~")).unwrap().folder, "~");
        let proxy = RemoteTarget { ssh: SshExtra { options: vec![SshOption { key: "ProxyCommand".into(), value: "touch /tmp/x".into() }], ..SshExtra::default() }, ..ssh("box", "/srv") };
        assert!(err(proxy).contains("runs a command on this machine"));
        let on_container = RemoteTarget { kind: RemoteKind::Container, ssh: SshExtra { port: Some(22), ..SshExtra::default() }, ..ssh("dev", "/w") };
        assert!(err(on_container).contains("only for an SSH host"));
        assert!(err(ssh("a b", "/srv")).contains("spaces"));
        let container = RemoteTarget { kind: RemoteKind::Container, ..ssh("--privileged", "/w") };
        assert!(err(container).contains("container name"));
        let warden = RemoteTarget { remote_warden: Some("-x".into()), ..ssh("box", "/srv") };
        assert!(err(warden).contains("not a program"));
        let fine = checked(&ssh(" dev@box ", " /srv/app ")).unwrap();
        assert_eq!((fine.destination.as_str(), fine.folder.as_str()), ("dev@box", "/srv/app"));
    }

    #[test]
    fn transports_and_labels() {
        let with_port = RemoteTarget { ssh: SshExtra::parse(&["-p", "2222", "-o", "ConnectTimeout=5"]).unwrap(), ..ssh("dev@box", "/srv") };
        assert!(transport(&with_port).unwrap().command_line().contains("-p 2222 -o ConnectTimeout=5 -- dev@box"), "{}", transport(&with_port).unwrap().command_line());
        assert!(!same_place(&with_port, &ssh("dev@box", "/srv")), "another port is another place");
        let t = transport(&ssh("dev@box", "/srv")).unwrap();
        assert!(t.command_line().contains("BatchMode=yes") && t.command_line().ends_with("-- dev@box warden serve --stdio"), "{}", t.command_line());
        assert!(installed_transport(&ssh("dev@box", "/srv")).unwrap().command_line().ends_with("-- dev@box exec ~/.local/bin/warden serve --stdio"));
        let c = RemoteTarget { kind: RemoteKind::Container, ..ssh("dev", "/w") };
        assert_eq!(transport(&c).unwrap().command_line(), "docker exec -i dev warden serve --stdio");
        assert_eq!(label(&c), "container dev:/w");
        assert_eq!(label(&ssh("dev@box", "/srv")), "dev@box:/srv");
        let cmd = RemoteTarget { kind: RemoteKind::Command, ..ssh("kubectl exec -i pod -- warden serve --stdio", "/app") };
        assert!(installed_transport(&cmd).is_none());
        assert!(same_place(&ssh("a", "/x"), &ssh("a", "/y")) && !same_place(&ssh("a", "/x"), &ssh("b", "/x")));
    }
}
