//! An endpoint disabled by a 410 Gone, enabled again from the command line
//! (`warden webhooks enable`) and from the window (`webhooks_disabled`, `webhooks_enable`);
//! and `warden webhooks secret set`, which takes the secret on standard input only.

use crate::support::TestApp;
use crate::webhooks::{personal_layer, Receiver};
use serde_json::{json, Value};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

fn hook(port: u16) -> String {
    format!(
        "version = 1\n[[webhook]]\nid = \"local\"\nurl = \"http://127.0.0.1:{port}/hook\"\nevents = [\"task.finished\"]\n\
         signature = \"none\"\nallow_private = true\ntimeout = \"5s\"\nretry = {{ schedule = [\"10ms\"], jitter = \"none\" }}\n"
    )
}

fn warden(data: &Path, args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_warden"))
        .args(args)
        .env("WARDEN_DATA_DIR", data)
        .env_remove("DISPLAY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_410_disables_the_endpoint_until_the_cli_enables_it_again() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let p = project.path().to_str().unwrap();
    let gone = Receiver::start(410);
    personal_layer(data.path(), project.path(), &hook(gone.port));

    let (code, out, _) = warden(data.path(), &["webhooks", "test", "local", "--project", p], b"");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("HTTP 410") && out.contains("disabled"), "{out}");
    let (_, out, _) = warden(data.path(), &["webhooks", "list", "--project", p], b"");
    assert!(out.contains("disabled: since") && out.contains("410 Gone") && out.contains("warden webhooks enable local"), "{out}");

    // The person points it at a receiver that works and enables it again.
    let fixed = Receiver::start(200);
    personal_layer(data.path(), project.path(), &hook(fixed.port));
    let (code, out, err) = warden(data.path(), &["webhooks", "enable", "local", "--project", p], b"");
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("local is enabled again"), "{out}");
    let (_, out, _) = warden(data.path(), &["webhooks", "list", "--project", p], b"");
    assert!(!out.contains("disabled"), "{out}");
    let (code, out, _) = warden(data.path(), &["webhooks", "test", "local", "--project", p], b"");
    assert_eq!(code, 0, "{out}");
    assert_eq!(fixed.received().len(), 1);

    let (code, out, _) = warden(data.path(), &["webhooks", "enable", "local", "--project", p], b"");
    assert_eq!(code, 0);
    assert!(out.contains("not disabled"), "{out}");
    let (code, _, err) = warden(data.path(), &["webhooks", "enable", "nope", "--project", p], b"");
    assert_eq!(code, 2);
    assert!(err.contains("no webhook `nope`"), "{err}");
}

#[test]
fn the_window_shows_why_an_endpoint_is_disabled_and_enables_it_again() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let gone = Receiver::start(410);
    personal_layer(data.path(), project.path(), &hook(gone.port));
    let app = TestApp::start(data.path(), None);
    let args = json!({ "project": project.path(), "endpoint": "local" });

    let state: Value = app.call("webhooks_disabled", args.clone());
    assert!(state.is_null(), "{state}");
    let sent: Value = app.call("webhooks_test", args.clone());
    assert_eq!(sent["delivered"], false, "{sent}");
    let state: Value = app.call("webhooks_disabled", args.clone());
    assert_eq!(state["reason"], "the endpoint answered 410 Gone", "{state}");
    assert!(state["disabledAt"].as_u64().unwrap() > 0);

    let enabled: Value = app.call("webhooks_enable", args.clone());
    assert_eq!(enabled, json!({ "wasDisabled": true, "requeued": 0, "skipped": 0 }), "a test event is not held");
    let state: Value = app.call("webhooks_disabled", args.clone());
    assert!(state.is_null(), "{state}");
}

#[test]
fn secret_set_reads_the_secret_from_standard_input_and_never_echoes_it() {
    let data = tempfile::tempdir().unwrap();
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let entry = format!("warden-test/cli-{}", std::process::id());
    let (code, out, err) = warden(data.path(), &["webhooks", "secret", "set", &entry], format!("{secret}\n").as_bytes());
    assert!(!out.contains("MfKQ9r8") && !err.contains("MfKQ9r8"), "the secret is never printed: {out}{err}");
    if code == 0 {
        assert!(out.contains(&entry), "{out}");
        let (code, out, _) = warden(data.path(), &["webhooks", "secret", "remove", &entry], b"");
        assert_eq!(code, 0);
        assert!(out.contains("removed"), "{out}");
        println!("keychain: stored and removed {entry}");
    } else {
        // This machine's keychain refuses (a container without a session keyring): the error
        // names the entry, and it is a refusal, not a missing entry.
        assert_eq!(code, 2, "{out}{err}");
        assert!(err.contains(&entry) && err.contains("cannot be used"), "{err}");
        println!("keychain NOT AVAILABLE here, refusal checked: {err}");
    }
    // A secret that would not sign is refused before anything is stored.
    let (code, _, err) = warden(data.path(), &["webhooks", "secret", "set", &entry], b"whsec_not base64!\n");
    assert_eq!(code, 2);
    assert!(err.contains("base64") && !err.contains("not base64!"), "{err}");
    // There is no way to pass it as an argument: the command line takes the entry only.
    let (code, _, err) = warden(data.path(), &["webhooks", "secret", "set", &entry, "extra"], b"");
    assert_eq!(code, 2);
    assert!(err.contains("unexpected argument"), "{err}");
}
