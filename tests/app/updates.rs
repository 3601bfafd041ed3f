//! Updates for real: a local HTTP server on 127.0.0.1 serves update manifests and artifacts
//! signed with a throwaway key made by the Tauri CLI's own signer (the one releases use), and
//! the app checks, downloads, verifies and installs them into a scratch AppImage — the file the
//! updater replaces on Linux. A tampered artifact, one signed for another version and one signed
//! with another key leave that file byte-identical.

use crate::support::TestApp;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use tauri::Manager;
use tempfile::TempDir;
use warden_app::updates::{set_source, UpdateSource};

/// What the running "AppImage" holds before an update.
const INSTALLED: &[u8] = b"\x7fELF Warden as installed";
/// The version the server offers: newer than any test build.
const OFFERED: &str = "99.0.0";

fn tauri_cli() -> PathBuf {
    let cli = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/node_modules/.bin/tauri");
    assert!(cli.exists(), "{} is missing: run `npm --prefix ui ci` (make test does)", cli.display());
    cli
}

/// A throwaway minisign key pair, made by `tauri signer generate`.
struct Key {
    dir: TempDir,
    /// The public key as tauri.conf.json holds it.
    public: String,
}

impl Key {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new(tauri_cli())
            .args(["signer", "generate", "--ci", "-p", "test-password", "-w"])
            .arg(dir.path().join("key"))
            .output()
            .expect("run tauri signer generate");
        assert!(out.status.success(), "tauri signer generate: {}", String::from_utf8_lossy(&out.stderr));
        let public = std::fs::read_to_string(dir.path().join("key.pub")).unwrap().trim().to_owned();
        Self { dir, public }
    }

    /// The `signature` a manifest carries for `bytes`, bound to `version` as `tauri build` does.
    fn sign(&self, bytes: &[u8], version: &str) -> String {
        let file = self.dir.path().join(format!("artifact-{version}"));
        std::fs::write(&file, bytes).unwrap();
        let out = Command::new(tauri_cli())
            .args(["signer", "sign", "-p", "test-password", "--app-version", version, "-f"])
            .arg(self.dir.path().join("key"))
            .arg(&file)
            .output()
            .expect("run tauri signer sign");
        assert!(out.status.success(), "tauri signer sign: {}", String::from_utf8_lossy(&out.stderr));
        let mut sig = file.into_os_string();
        sig.push(".sig");
        std::fs::read_to_string(sig).unwrap().trim().to_owned()
    }
}

/// A tiny HTTP/1.1 server on 127.0.0.1 serving fixed bodies by path, counting requests.
struct Server {
    base: String,
    routes: Arc<Mutex<HashMap<String, Vec<u8>>>>,
    hits: Arc<Mutex<HashMap<String, usize>>>,
}

impl Server {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let routes: Arc<Mutex<HashMap<String, Vec<u8>>>> = Arc::default();
        let hits: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let (r, h) = (routes.clone(), hits.clone());
        // Lives as long as the test process; every request is answered and the connection closed.
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let mut reader = BufReader::new(stream);
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    continue;
                }
                let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
                // The headers, up to the blank line.
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).map(|n| n == 0).unwrap_or(true) || header == "\r\n" {
                        break;
                    }
                }
                *h.lock().unwrap().entry(path.clone()).or_default() += 1;
                let body = r.lock().unwrap().get(&path).cloned();
                let mut stream = reader.into_inner();
                let (status, body) = match body {
                    Some(body) => ("200 OK", body),
                    None => ("404 Not Found", b"not here".to_vec()),
                };
                let head = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
                let _ = stream.write_all(head.as_bytes()).and_then(|_| stream.write_all(&body));
            }
        });
        Self { base, routes, hits }
    }

    fn serve(&self, path: &str, body: impl Into<Vec<u8>>) {
        self.routes.lock().unwrap().insert(path.to_owned(), body.into());
    }

    fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Serves a manifest at `/latest.json` offering `version` at `/artifact` with `signature`.
    fn offer(&self, version: &str, artifact: &[u8], signature: &str) {
        let platform = json!({ "url": self.url("/artifact"), "signature": signature });
        let platforms: serde_json::Map<String, Value> = ["linux-x86_64", "linux-aarch64", "darwin-x86_64", "darwin-aarch64", "windows-x86_64"]
            .into_iter()
            .map(|t| (t.to_owned(), platform.clone()))
            .collect();
        let manifest = json!({
            "version": version,
            "notes": "Faster start-up.\n\n- one\n- two",
            "pub_date": "2026-12-01T10:00:00Z",
            "platforms": platforms,
        });
        self.serve("/latest.json", serde_json::to_vec(&manifest).unwrap());
        self.serve("/artifact", artifact.to_vec());
    }
}

/// The new version's "AppImage": an ELF file, as the updater checks.
fn new_build() -> Vec<u8> {
    let mut bytes = b"\x7fELF Warden 99.0.0".to_vec();
    // Several chunks, so the download reports progress more than once.
    bytes.resize(300 * 1024, b'w');
    bytes
}

struct Setup {
    _data: TempDir,
    scratch: TempDir,
    app: TestApp,
    server: Server,
    key: Key,
}

impl Setup {
    fn new() -> Self {
        let data = tempfile::tempdir().unwrap();
        let scratch = tempfile::tempdir().unwrap();
        let app = TestApp::start(data.path(), None);
        let server = Server::start();
        let key = Key::new();
        let appimage = scratch.path().join("Warden.AppImage");
        std::fs::write(&appimage, INSTALLED).unwrap();
        set_permissions(&appimage, 0o755);
        set_source(
            app.window.app_handle(),
            UpdateSource {
                endpoints: Some(vec![server.url("/latest.json").parse().unwrap()]),
                pubkey: Some(key.public.clone()),
                appimage: Some(appimage),
            },
        );
        Self { _data: data, scratch, app, server, key }
    }

    fn appimage(&self) -> Vec<u8> {
        std::fs::read(self.scratch.path().join("Warden.AppImage")).unwrap()
    }

    fn install_error(&self) -> String {
        let offered: Value = self.app.call("update_check", json!({}));
        assert_eq!(offered["version"], OFFERED);
        let err = self.app.invoke("update_install", json!({})).expect_err("the install must fail");
        err["message"].as_str().unwrap().to_owned()
    }
}

#[cfg(unix)]
fn set_permissions(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_signed_update_is_offered_downloaded_verified_and_replaces_the_appimage() {
    use tauri_specta::Event;
    let s = Setup::new();
    let artifact = new_build();
    s.server.offer(OFFERED, &artifact, &s.key.sign(&artifact, OFFERED));
    let offered: Value = s.app.call("update_check", json!({}));
    let current = s.app.window.app_handle().package_info().version.to_string();
    assert_eq!(offered["version"], OFFERED);
    assert_eq!(offered["currentVersion"], current.as_str());
    assert_eq!(offered["notes"], "Faster start-up.\n\n- one\n- two");
    assert_eq!(offered["date"], "2026-12-01T10:00:00Z");
    assert_eq!(s.server.hits("/artifact"), 0, "checking downloads nothing");

    let progress = Arc::new(Mutex::new(Vec::new()));
    let seen = progress.clone();
    warden_app::updates::UpdateProgress::listen(s.app.window.app_handle(), move |event| {
        seen.lock().unwrap().push((event.payload.downloaded, event.payload.total));
    });
    let _: Value = s.app.call("update_install", json!({}));
    assert_eq!(s.appimage(), artifact, "the AppImage is the new version");
    assert_eq!(mode(&s.scratch.path().join("Warden.AppImage")), 0o755, "and still executable");
    let progress = progress.lock().unwrap().clone();
    let total = artifact.len() as u64;
    assert!(progress.len() >= 2, "progress while downloading: {progress:?}");
    assert_eq!(progress.last(), Some(&(total, Some(total))), "{progress:?}");
    assert!(progress.windows(2).all(|w| w[0].0 < w[1].0), "growing: {progress:?}");
}

#[test]
fn a_tampered_artifact_changes_nothing() {
    let s = Setup::new();
    let genuine = new_build();
    let signature = s.key.sign(&genuine, OFFERED);
    let mut tampered = genuine.clone();
    tampered[100] ^= 0x01;
    s.server.offer(OFFERED, &tampered, &signature);
    let message = s.install_error();
    assert!(message.contains("signature check") && message.contains("unchanged"), "{message}");
    assert_eq!(s.server.hits("/artifact"), 1, "it was downloaded, then refused");
    assert_eq!(s.appimage(), INSTALLED, "the AppImage is byte-identical");
}

#[test]
fn an_artifact_signed_with_another_key_changes_nothing() {
    let s = Setup::new();
    let artifact = new_build();
    let stranger = Key::new();
    s.server.offer(OFFERED, &artifact, &stranger.sign(&artifact, OFFERED));
    let message = s.install_error();
    assert!(message.contains("signature check"), "{message}");
    assert_eq!(s.appimage(), INSTALLED);
}

#[test]
fn a_manifest_announcing_another_version_than_was_signed_changes_nothing() {
    // A genuine older artifact passed off as the newest release.
    let s = Setup::new();
    let artifact = new_build();
    s.server.offer(OFFERED, &artifact, &s.key.sign(&artifact, "98.0.0"));
    let message = s.install_error();
    assert!(message.contains("signed for version 98.0.0"), "{message}");
    assert_eq!(s.appimage(), INSTALLED);
}

#[test]
fn the_newest_version_is_not_offered() {
    let s = Setup::new();
    let current = s.app.window.app_handle().package_info().version.to_string();
    let artifact = new_build();
    s.server.offer(&current, &artifact, &s.key.sign(&artifact, &current));
    let offered: Value = s.app.call("update_check", json!({}));
    assert_eq!(offered, Value::Null);
    let err = s.app.invoke("update_install", json!({})).expect_err("nothing to install");
    assert!(err["message"].as_str().unwrap().contains("check for updates first"), "{err}");
}

#[test]
fn a_server_that_is_down_or_serves_garbage_is_an_error_in_words() {
    let s = Setup::new();
    s.server.serve("/latest.json", "<html>not a manifest</html>");
    let err = s.app.invoke("update_check", json!({})).expect_err("garbage is no manifest");
    assert!(err["message"].as_str().unwrap().contains("valid update manifest"), "{err}");

    // A port nothing listens on.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/latest.json", closed.local_addr().unwrap());
    drop(closed);
    let mut source = warden_app::updates::source(s.app.window.app_handle());
    source.endpoints = Some(vec![url.parse().unwrap()]);
    set_source(s.app.window.app_handle(), source);
    let err = s.app.invoke("update_check", json!({})).expect_err("nobody answers");
    assert!(err["message"].as_str().unwrap().contains("could not be reached"), "{err}");
}

#[test]
fn a_build_not_installed_from_a_package_is_never_overwritten() {
    // No AppImage and no package: the updater would replace the test binary itself.
    let s = Setup::new();
    let artifact = new_build();
    s.server.offer(OFFERED, &artifact, &s.key.sign(&artifact, OFFERED));
    let mut source = warden_app::updates::source(s.app.window.app_handle());
    source.appimage = None;
    set_source(s.app.window.app_handle(), source);
    let message = s.install_error();
    assert!(message.contains("not installed from a package"), "{message}");
    assert_eq!(s.server.hits("/artifact"), 0, "nothing was downloaded");
}

#[test]
fn the_start_up_check_is_off_until_turned_on_and_is_kept_in_the_settings_file() {
    let data = tempfile::tempdir().unwrap();
    let app = TestApp::start(data.path(), None);
    let settings: Value = app.call("update_settings_get", json!({}));
    assert_eq!(settings, json!({ "checkAtStart": false }));
    let saved: Value = app.call("update_settings_set", json!({ "settings": { "checkAtStart": true } }));
    assert_eq!(saved, json!({ "checkAtStart": true }));
    let file: Value = serde_json::from_slice(&std::fs::read(data.path().join("warden.json")).unwrap()).unwrap();
    assert_eq!(file["checkForUpdatesAtStart"], true);
    drop(app);
    let again = TestApp::start(data.path(), None);
    let settings: Value = again.call("update_settings_get", json!({}));
    assert_eq!(settings, json!({ "checkAtStart": true }), "kept across starts");
}
