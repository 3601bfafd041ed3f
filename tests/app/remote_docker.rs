//! A remote project in a real container through a real `docker exec`, when this machine can run
//! one without the network: `docker` on the PATH, its daemon answering, and a local image
//! (`WARDEN_TEST_DOCKER_IMAGE`, or the first of a few usual ones already pulled; nothing is
//! pulled). Otherwise the test says on stderr exactly why it did not run, and fails instead
//! when `WARDEN_REQUIRE_DOCKER=1` (for a machine where it must run).
//!
//! The container gets this machine's root read-only at /host and runs the test's `warden`
//! through the host's own dynamic loader and libraries, so any image with a `/bin/sh` will do.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;
use warden_app::remote_window::types::*;
use warden_app::remote_window::RemoteWindow;
use warden_app::session_channels::SessionChannels;
use warden_remote::{Request, Response};

/// Images tried when `WARDEN_TEST_DOCKER_IMAGE` is not set (only if already present locally).
const IMAGES: &[&str] = &["debian:bookworm-slim", "debian:bookworm", "debian:12", "ubuntu:24.04", "ubuntu:22.04", "alpine:latest", "busybox:latest"];

/// Runs `docker ARGS` bounded by `secs`; its stdout, or why it failed.
fn docker(args: &[&str], secs: u64) -> Result<String, String> {
    let mut child = Command::new("docker").args(args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().map_err(|e| format!("cannot run docker: {e}"))?;
    let deadline = std::time::Instant::now() + Duration::from_secs(secs);
    loop {
        if child.try_wait().map_err(|e| e.to_string())?.is_some() {
            break;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("`docker {}` did not finish within {secs} s", args.join(" ")));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    } else {
        Err(format!("`docker {}` failed ({}): {}", args.join(" "), out.status, String::from_utf8_lossy(&out.stderr).trim()))
    }
}

/// The local image to use, or why there is none (or no docker at all).
fn usable_image() -> Result<String, String> {
    let on_path = std::env::var_os("PATH").is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join("docker").is_file()));
    if !on_path {
        return Err("`docker` is not on the PATH".into());
    }
    docker(&["info", "--format", "{{.ServerVersion}}"], 20).map_err(|e| format!("docker is on the PATH but its daemon does not answer: {e}"))?;
    let wanted: Vec<String> = match std::env::var("WARDEN_TEST_DOCKER_IMAGE") {
        Ok(image) if !image.trim().is_empty() => vec![image.trim().to_owned()],
        _ => IMAGES.iter().map(|s| (*s).to_owned()).collect(),
    };
    wanted
        .iter()
        .find(|image| docker(&["image", "inspect", "--format", "{{.Id}}", image], 20).is_ok())
        .cloned()
        .ok_or_else(|| format!("none of these images is present locally (nothing is pulled; set WARDEN_TEST_DOCKER_IMAGE): {}", wanted.join(", ")))
}

/// Says why the test did not run, or fails when it must run.
fn skipped(test: &str, why: &str) {
    if std::env::var("WARDEN_REQUIRE_DOCKER").as_deref() == Ok("1") {
        panic!("{test} must run (WARDEN_REQUIRE_DOCKER=1) but cannot: {why}");
    }
    // Written past libtest's capture (it takes only the print macros), so every run shows it.
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}. It proves nothing on this machine.");
}

/// A running container, removed when dropped.
struct Container(String);

impl Drop for Container {
    fn drop(&mut self) {
        let _ = docker(&["rm", "-f", &self.0], 30);
    }
}

fn window() -> RemoteWindow {
    RemoteWindow::new(Arc::new(SessionChannels::default()), Box::new(|_| false), Box::new(|_, _, _| {}), vec![Duration::from_millis(10)])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_project_in_a_container_opens_through_a_real_docker_exec_when_docker_is_available() {
    let test = "a_project_in_a_container_opens_through_a_real_docker_exec_when_docker_is_available";
    let image = match usable_image() {
        Ok(image) => image,
        Err(why) => return skipped(test, &why),
    };
    // The test's `warden`, run in the container by the host's loader with the host's libraries.
    let shared = tempfile::tempdir().unwrap();
    std::fs::create_dir(shared.path().join("project")).unwrap();
    let warden = Path::new(env!("CARGO_BIN_EXE_warden")).canonicalize().unwrap();
    let libs = ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/lib", "/usr/lib"].map(|d| format!("/host{d}")).join(":");
    let loader = ["/lib64/ld-linux-x86-64.so.2", "/lib/ld-linux-aarch64.so.1"].into_iter().find(|l| Path::new(l).exists()).expect("this machine's dynamic loader");
    let wrapper = shared.path().join("warden");
    std::fs::write(
        &wrapper,
        format!("#!/bin/sh\nmkdir -p /tmp/home /tmp/warden-data\nexport HOME=/tmp/home WARDEN_DATA_DIR=/tmp/warden-data\nexec /host{loader} --library-path {libs} /host{} \"$@\" --idle-exit 20\n", warden.display()),
    )
    .unwrap();
    std::fs::set_permissions(&wrapper, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let name = format!("warden-test-{}-{}", std::process::id(), warden_engine::now_ms());
    let mount = format!("{}:/warden-test", shared.path().display());
    let run = ["run", "-d", "--rm", "--pull", "never", "--network", "none", "--name", &name, "-v", "/:/host:ro", "-v", &mount, &image, "sleep", "600"];
    if let Err(e) = docker(&run, 60) {
        return skipped(test, &format!("the image {image} is present but a container could not be started from it: {e}"));
    }
    let _container = Container(name.clone());
    let remote = window();

    // Without a `warden` inside: docker's own "executable file not found" is "not installed".
    let bare = RemoteTarget {
        kind: RemoteKind::Container,
        destination: name.clone(),
        folder: "/warden-test/project".into(),
        ssh: Default::default(),
        remote_warden: None,
        container_engine: Some("docker".into()),
    };
    match remote.open(&bare).await.expect("an answer") {
        RemoteOpenOutcome::NeedsInstall(probe) => assert!(matches!(probe.state, RemoteHostState::Missing { .. }), "{probe:?}"),
        RemoteOpenOutcome::Opened(_) => panic!("{image} has a warden of its own"),
    }

    // With the test's `warden`: opened through `docker exec -i NAME … serve --stdio`.
    let target = RemoteTarget { remote_warden: Some("/warden-test/warden".into()), ..bare };
    let RemoteOpenOutcome::Opened(opened) = remote.open(&target).await.expect("opens in the container") else { panic!("not opened") };
    assert_eq!(opened.project, "/warden-test/project");
    assert_eq!(opened.label, format!("container {name}:/warden-test/project"));
    assert_eq!(opened.host.warden, warden_remote::WARDEN_VERSION);
    let Response::Pong = remote.call(&opened.connection, Request::Ping).await.unwrap() else { panic!("pong") };
    let _ = remote.close(&opened.connection).await;
}
