//! The checked-in TypeScript bindings must match the Rust types, and every command in them must
//! be declared to Tauri's access control and granted to the window.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn checked_in() -> PathBuf {
    root().join("ui/src/bindings.ts")
}

/// Fails when `ui/src/bindings.ts` is stale. `make bindings` (WARDEN_UPDATE_BINDINGS=1) rewrites it.
#[test]
fn bindings_are_fresh() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("bindings.ts");
    warden_app::export_bindings(&fresh).expect("export bindings");
    let fresh = std::fs::read_to_string(&fresh).unwrap();
    if std::env::var_os("WARDEN_UPDATE_BINDINGS").is_some() {
        std::fs::write(checked_in(), &fresh).unwrap();
        return;
    }
    // Rules cross the boundary as Claude's text syntax, never as a structure the UI must rebuild.
    assert!(fresh.contains("export type Rule = string"), "a permission rule is a string in TypeScript");
    let current = std::fs::read_to_string(checked_in()).unwrap_or_default();
    assert!(
        current == fresh,
        "ui/src/bindings.ts is stale: the Rust IPC types changed. Run `make bindings` and commit it."
    );
}

/// Command names as the bindings invoke them.
fn invoked_commands(bindings: &str) -> BTreeSet<String> {
    // Calls look like `__TAURI_INVOKE("name", …)` or `__TAURI_INVOKE<T>("name")`; the import
    // line that names `__TAURI_INVOKE` is neither.
    bindings
        .split("__TAURI_INVOKE")
        .skip(1)
        .filter(|rest| rest.starts_with('(') || rest.starts_with('<'))
        .filter_map(|rest| rest.split("(\"").nth(1)?.split('"').next())
        .map(str::to_owned)
        .collect()
}

/// The string literals in build.rs's `COMMANDS` list.
fn declared_commands(build_rs: &str) -> BTreeSet<String> {
    let list = build_rs.split("const COMMANDS").nth(1).and_then(|s| s.split("];").next()).expect("COMMANDS list");
    list.split('"').skip(1).step_by(2).map(str::to_owned).collect()
}

fn granted_permissions(capability: &Path) -> BTreeSet<String> {
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(capability).unwrap()).unwrap();
    json["permissions"].as_array().unwrap().iter().filter_map(|p| p.as_str().map(str::to_owned)).collect()
}

#[test]
fn every_command_is_declared_and_granted_and_nothing_else_is() {
    let bindings = std::fs::read_to_string(checked_in()).unwrap();
    let invoked = invoked_commands(&bindings);
    assert!(invoked.contains("project_open"), "the parser found the commands: {invoked:?}");
    let declared = declared_commands(&std::fs::read_to_string(root().join("src-tauri/build.rs")).unwrap());
    assert_eq!(invoked, declared, "build.rs COMMANDS must list exactly the commands in the bindings");

    let granted = granted_permissions(&root().join("src-tauri/capabilities/main-window.json"));
    let expected_app: BTreeSet<String> = invoked.iter().map(|c| format!("allow-{}", c.replace('_', "-"))).collect();
    let granted_app: BTreeSet<String> = granted.iter().filter(|p| !p.contains(':')).cloned().collect();
    assert_eq!(granted_app, expected_app, "the window is granted exactly Warden's own commands");

    // Least privilege: no plugin grants beyond listening to events. Dialogs, the store and the
    // opener are used from Rust only.
    let plugins: Vec<_> = granted.iter().filter(|p| p.contains(':')).collect();
    for p in &plugins {
        assert!(p.starts_with("core:event:allow-"), "unexpected grant to the webview: {p}");
    }
}

#[test]
fn the_content_security_policy_is_strict() {
    let conf: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tauri.conf.json")).unwrap()).unwrap();
    let csp = &conf["app"]["security"]["csp"];
    assert_eq!(csp["default-src"], "'self'");
    assert_eq!(csp["script-src"], "'self'", "no inline or remote scripts");
    assert_eq!(csp["object-src"], "'none'");
    let connect = csp["connect-src"].as_str().unwrap();
    assert!(!connect.contains("http:") || connect.split(' ').all(|s| s == "ipc:" || s == "http://ipc.localhost"),
        "the window talks only to Tauri's IPC: {connect}");
    assert!(conf["build"].get("devUrl").is_none(), "no remote or dev-server content is loaded");
}

#[test]
fn the_headless_command_uses_the_windows_data_folder() {
    let conf: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tauri.conf.json")).unwrap()).unwrap();
    assert_eq!(conf["identifier"], warden_app::IDENTIFIER, "warden run and the window must share one session store");
}
