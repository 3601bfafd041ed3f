//! What a host has when Warden cannot be reached there as it is (missing, another version, too
//! old), and putting the matching headless `warden` there: same operating system and
//! architecture only, copied over the same transport with its progress, then asked to answer.

use super::target::{self, INSTALLED_AT};
use super::types::{RemoteHost, RemoteHostState, RemoteInstallProgress, RemoteKind, RemoteProbe, RemoteTarget};
use crate::error::IpcError;
use std::path::Path;
use warden_remote::{ClientError, Connection};

/// This Warden's platform in Rust's names, as a host's hello says it ("linux x86_64").
pub fn local_platform() -> String {
    format!("{} {}", std::env::consts::OS, std::env::consts::ARCH)
}

/// What a failed connection says about Warden on the host; `None` when the failure is not
/// about Warden (unreachable, refused login): then there is nothing to install.
pub fn host_state(error: &ClientError) -> Option<RemoteHostState> {
    match error {
        ClientError::NotInstalled { detail, .. } => Some(RemoteHostState::Missing { detail: detail.clone() }),
        ClientError::Mismatch(detail) => Some(RemoteHostState::OtherVersion { detail: detail.clone() }),
        // The client's own wording for a Warden without `serve`.
        ClientError::Handshake(detail) if detail.contains("too old for remote use") => Some(RemoteHostState::TooOld { detail: detail.clone() }),
        _ => None,
    }
}

/// The host's platform (`uname -sm` there), in Rust's names; `None` through a custom command,
/// or when the host does not say.
async fn host_platform(target: &RemoteTarget) -> Option<String> {
    if target.kind == RemoteKind::Command {
        return None;
    }
    let transport = target::transport(target).ok()?;
    let uname = transport.run_script("uname -sm", b"").await.ok()?;
    let (os, arch) = crate::cli::remote::platform_of(&uname);
    (!os.is_empty() && !arch.is_empty()).then(|| format!("{os} {arch}"))
}

/// What the window shows when Warden there is not usable as it is.
pub async fn probe(target: &RemoteTarget, label: &str, state: RemoteHostState) -> RemoteProbe {
    let platform = host_platform(target).await;
    let local = local_platform();
    let installable = target.kind != RemoteKind::Command && platform.as_deref() == Some(local.as_str());
    let what = match &state {
        RemoteHostState::Missing { .. } => format!("Warden is not installed on {label}."),
        RemoteHostState::OtherVersion { detail } => format!("{detail}."),
        RemoteHostState::TooOld { .. } => format!("The Warden on {label} is too old to serve this window."),
    };
    let next = match (&platform, installable) {
        (_, true) => format!("Install Warden {} there (into {INSTALLED_AT})?", warden_remote::WARDEN_VERSION),
        (_, false) if target.kind == RemoteKind::Command => {
            format!("Through a custom command Warden cannot be installed from here: install Warden {} there yourself.", warden_remote::WARDEN_VERSION)
        }
        (Some(theirs), false) => format!(
            "It runs {theirs} and this Warden is built for {local}: install Warden {} for {theirs} there yourself.",
            warden_remote::WARDEN_VERSION
        ),
        (None, false) => format!("Its platform could not be read: install Warden {} there yourself.", warden_remote::WARDEN_VERSION),
    };
    RemoteProbe { state, platform, local_platform: local, installable, message: format!("{what} {next}") }
}

/// Puts `binary` (the headless `warden` of this installation) at [`INSTALLED_AT`] on the host,
/// after checking the host runs this platform, reporting each step to `progress`; then checks
/// that the copy answers, and says which Warden it is.
pub async fn install(target: &RemoteTarget, label: &str, binary: &Path, progress: impl Fn(RemoteInstallProgress)) -> Result<RemoteHost, IpcError> {
    if target.kind == RemoteKind::Command {
        return Err(IpcError::internal(format!(
            "Warden cannot be installed through a custom command: install Warden {} on the other side yourself",
            warden_remote::WARDEN_VERSION
        )));
    }
    let transport = target::transport(target).map_err(IpcError::internal)?;
    progress(RemoteInstallProgress::Checking);
    let uname = transport.run_script("uname -sm", b"").await.map_err(|e| IpcError::internal(format!("cannot ask {label} for its platform: {e}")))?;
    let (os, arch) = crate::cli::remote::platform_of(&uname);
    let local = local_platform();
    if format!("{os} {arch}") != local {
        return Err(IpcError::internal(format!(
            "{label} runs {} ({os} {arch}); this Warden is built for {local}: install Warden {} for {os} {arch} there yourself",
            uname.trim(),
            warden_remote::WARDEN_VERSION
        )));
    }
    let bytes = tokio::fs::read(binary).await.map_err(|e| IpcError::internal(format!("cannot read this Warden's headless binary {}: {e}", binary.display())))?;
    // Written beside the target and renamed, so an engine running the old one is never
    // half-overwritten.
    let script = "set -e; mkdir -p ~/.local/bin; cat > ~/.local/bin/.warden.part; chmod 755 ~/.local/bin/.warden.part; mv -f ~/.local/bin/.warden.part ~/.local/bin/warden";
    warden_remote::client::run_script_with_progress(&transport, script, &bytes, |sent, total| progress(RemoteInstallProgress::Copying { sent, total }))
        .await
        .map_err(|e| IpcError::internal(format!("copying Warden to {label} failed: {e}")))?;
    progress(RemoteInstallProgress::Verifying);
    let installed = target::installed_transport(target).ok_or_else(|| IpcError::internal("a custom command cannot run the installed Warden"))?;
    let connection = Connection::open(&installed).await.map_err(|e| IpcError::internal(format!("Warden was copied to {label} but does not answer: {e}")))?;
    let host = RemoteHost::from(connection.server());
    drop(connection);
    progress(RemoteInstallProgress::Done(host.clone()));
    Ok(host)
}
