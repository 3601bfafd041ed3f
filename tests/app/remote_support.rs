//! The "remote" side of the remote tests: a host with its own HOME, data folder and project,
//! whose `warden` is a wrapper that keeps the real Claude CLI on the mock model; and a real
//! OpenSSH server on 127.0.0.1 with throwaway keys that logs in to it.

use std::io::Write;
use std::net::TcpStream;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use warden_core::session::{SessionEvent, SessionEventKind};
use warden_mock_models::agents::{claude_env, claude_program};
use warden_mock_models::AnthropicMock;
use warden_remote::{SshOptions, Transport};

/// Longest wait for any one expected event (a real CLI turn takes about 2 s here).
pub const WAIT: Duration = Duration::from_secs(60);

/// The "remote" host: its folders, the mock model its agent talks to, and its `warden`.
pub struct Host {
    pub home: tempfile::TempDir,
    pub data: tempfile::TempDir,
    pub project: tempfile::TempDir,
    pub mock: AnthropicMock,
    /// Holds `warden`, the wrapper the transports run.
    bin: tempfile::TempDir,
}

impl Host {
    pub fn new() -> Host {
        // An idle engine ends soon after the test (it is also ended by `Drop`).
        Host::idle_for("--idle-exit 20", 0)
    }

    /// A host whose engine ends after `ms` milliseconds without a client, taking `pause_ms`
    /// before it looks at its socket and again before it lets go of its lock (the idle race).
    pub fn ending_after_ms(ms: u64, pause_ms: u64) -> Host {
        Host::idle_for(&format!("--idle-exit-ms {ms}"), pause_ms)
    }

    fn idle_for(idle_args: &str, pause_ms: u64) -> Host {
        let host = Host {
            home: tempfile::tempdir().unwrap(),
            data: tempfile::tempdir().unwrap(),
            project: tempfile::tempdir().unwrap(),
            mock: AnthropicMock::start(Vec::new()).unwrap(),
            bin: tempfile::tempdir().unwrap(),
        };
        // Everything the host's engine and its agents see comes from here: an ssh login gives
        // a fresh environment, so the wrapper sets it, as a person's profile would.
        let mut script = String::from("#!/bin/sh\nunset DISPLAY WAYLAND_DISPLAY\n");
        let mut env = claude_env(host.home.path(), &host.mock.url());
        env.push(("WARDEN_DATA_DIR".into(), host.data.path().to_string_lossy().into_owned()));
        env.push(("WARDEN_CLAUDE".into(), claude_program().to_string_lossy().into_owned()));
        if pause_ms > 0 {
            env.push((warden_remote::server::local::END_PAUSE_ENV.into(), pause_ms.to_string()));
        }
        for (k, v) in env {
            script.push_str(&format!("export {k}='{v}'\n"));
        }
        script.push_str(&format!("exec '{}' \"$@\" {idle_args}\n", env!("CARGO_BIN_EXE_warden")));
        let wrapper = host.warden();
        std::fs::write(&wrapper, script).unwrap();
        std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
        host
    }

    /// The host's `warden`.
    pub fn warden(&self) -> PathBuf {
        self.bin.path().join("warden")
    }

    pub fn project(&self) -> PathBuf {
        self.project.path().canonicalize().unwrap()
    }

    pub fn project_str(&self) -> String {
        self.project().to_string_lossy().into_owned()
    }

    /// A custom-command transport: a local `sh -c` that starts the engine under the host's HOME.
    pub fn command_transport(&self) -> Transport {
        Transport::command(&format!("'{}' serve --stdio", self.warden().display())).unwrap()
    }

    /// The engine process's id, while it runs.
    pub fn engine_pid(&self) -> Option<u32> {
        warden_remote::server::local::engine_pid(self.data.path())
    }
}

impl Drop for Host {
    fn drop(&mut self) {
        // The engine outlives connections by design; a test ends it.
        if let Some(pid) = self.engine_pid() {
            let _ = Command::new("kill").arg(pid.to_string()).status();
        }
    }
}

/// A real OpenSSH server on 127.0.0.1 for this test only, and the client configuration that
/// reaches it under the alias [`Sshd::ALIAS`].
pub struct Sshd {
    dir: tempfile::TempDir,
    child: Child,
    port: u16,
    user: String,
}

impl Sshd {
    pub const ALIAS: &'static str = "warden-test-host";

    pub fn start() -> Sshd {
        let sshd = Path::new("/usr/sbin/sshd");
        assert!(sshd.exists(), "the remote tests need Debian's openssh-server (`make deps-test` installs it)");
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for key in ["host_key", "client_key"] {
            let status = Command::new("ssh-keygen").args(["-q", "-t", "ed25519", "-N", ""]).arg("-f").arg(d.join(key)).status().unwrap();
            assert!(status.success(), "ssh-keygen failed");
        }
        std::fs::copy(d.join("client_key.pub"), d.join("authorized_keys")).unwrap();
        std::fs::set_permissions(d.join("authorized_keys"), std::fs::Permissions::from_mode(0o600)).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let user = String::from_utf8(Command::new("id").arg("-un").output().unwrap().stdout).unwrap().trim().to_owned();
        // As root in CI: no PAM, no strict modes over the temporary folder, keys only.
        let config = format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {d}/host_key\nPidFile {d}/sshd.pid\nAuthorizedKeysFile {d}/authorized_keys\n\
             StrictModes no\nUsePAM no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nPubkeyAuthentication yes\n\
             PermitRootLogin prohibit-password\nAllowUsers {user}\nLogLevel ERROR\n",
            d = d.display()
        );
        std::fs::write(d.join("sshd_config"), config).unwrap();
        // sshd's privilege separation folder (made by the package's service, which CI does not run).
        let _ = std::fs::create_dir_all("/run/sshd");
        let child = Command::new(sshd).args(["-D", "-e", "-f"]).arg(d.join("sshd_config")).stdin(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
        let host_key = std::fs::read_to_string(d.join("host_key.pub")).unwrap();
        std::fs::write(d.join("known_hosts"), format!("[127.0.0.1]:{port} {host_key}")).unwrap();
        let client = format!(
            "Host {alias}\n  HostName 127.0.0.1\n  Port {port}\n  User {user}\n  IdentityFile {d}/client_key\n  IdentitiesOnly yes\n  \
             UserKnownHostsFile {d}/known_hosts\n  StrictHostKeyChecking yes\n  LogLevel ERROR\n",
            alias = Self::ALIAS,
            d = d.display()
        );
        std::fs::write(d.join("ssh_config"), client).unwrap();
        let mut sshd = Sshd { dir, child, port, user };
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = sshd.child.try_wait() {
                let mut err = String::new();
                std::io::Read::read_to_string(sshd.child.stderr.as_mut().unwrap(), &mut err).unwrap();
                panic!("sshd exited ({status}): {err}");
            }
            assert!(Instant::now() < deadline, "sshd did not listen within 10 s");
            std::thread::sleep(Duration::from_millis(50));
        }
        sshd
    }

    /// `ssh -F <config>`: what a person's ~/.ssh/config does.
    pub fn ssh_args(&self) -> Vec<String> {
        vec!["-F".into(), self.dir.path().join("ssh_config").to_string_lossy().into_owned()]
    }

    /// The same settings as [`Sshd::ssh_args`]'s config, as the typed options a remote project
    /// carries (the window passes no `-F`): the alias reaches 127.0.0.1 through `HostName`.
    pub fn extra(&self) -> warden_remote::SshExtra {
        let d = self.dir.path();
        let options = [
            ("HostName", "127.0.0.1".to_owned()),
            ("User", self.user.clone()),
            ("IdentitiesOnly", "yes".to_owned()),
            ("UserKnownHostsFile", d.join("known_hosts").to_string_lossy().into_owned()),
            ("StrictHostKeyChecking", "yes".to_owned()),
            ("LogLevel", "ERROR".to_owned()),
        ];
        warden_remote::SshExtra {
            port: Some(self.port),
            identity_file: Some(d.join("client_key").to_string_lossy().into_owned()),
            jump: None,
            options: options.into_iter().map(|(key, value)| warden_remote::SshOption { key: key.into(), value }).collect(),
        }
    }

    /// The SSH transport to the host's `warden`.
    pub fn transport(&self, host: &Host) -> Transport {
        let options = SshOptions { batch_mode: true, ssh_args: self.ssh_args(), remote_warden: host.warden().to_string_lossy().into_owned(), ..Default::default() };
        Transport::ssh(Self::ALIAS, &options).unwrap()
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads events until one matches; returns every event read, the match last.
pub async fn until(rx: &mut mpsc::UnboundedReceiver<SessionEvent>, seen: &mut Vec<SessionEvent>, what: &str, pred: impl Fn(&SessionEventKind) -> bool) -> SessionEvent {
    loop {
        let event = tokio::time::timeout(WAIT, rx.recv())
            .await
            .unwrap_or_else(|_| panic!("timed out waiting for {what}; events so far: {:#?}", kinds(seen)))
            .unwrap_or_else(|| panic!("the stream ended before {what}; events: {:#?}", kinds(seen)));
        seen.push(event.clone());
        if pred(&event.kind) {
            return event;
        }
    }
}

pub fn kinds(events: &[SessionEvent]) -> Vec<(u64, &'static str)> {
    events.iter().map(|e| (e.seq, e.kind.type_name())).collect()
}

/// Waits, bounded, for a file to exist.
pub async fn file_appears(path: &Path) {
    let deadline = Instant::now() + WAIT;
    while !path.exists() {
        assert!(Instant::now() < deadline, "{} did not appear", path.display());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Writes one line to a child's stdin.
pub fn send_line(child: &mut Child, line: &str) {
    let stdin = child.stdin.as_mut().unwrap();
    writeln!(stdin, "{line}").unwrap();
    stdin.flush().unwrap();
}
