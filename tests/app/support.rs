//! A Warden app on Tauri's mock runtime with a temporary settings folder, and a way to call its
//! commands the way the window does.

use serde::de::DeserializeOwned;
use serde_json::Value;
use std::path::Path;
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};
use warden_app::cli::Launch;

/// A mock app with its main window.
pub struct TestApp {
    /// Kept alive for the window's sake.
    _app: App<MockRuntime>,
    pub window: WebviewWindow<MockRuntime>,
}

impl TestApp {
    /// Builds the app with settings in `data_dir`, opening `open` at start if given.
    pub fn start(data_dir: &Path, open: Option<&str>) -> Self {
        let launch = Launch { open: open.map(str::to_owned), data_dir: Some(data_dir.to_path_buf()) };
        let mut context = mock_context(noop_assets());
        // The updater plugin needs its configuration; tests/app/updates.rs points it at a local server.
        context.config_mut().plugins.0.insert("updater".into(), serde_json::json!({ "pubkey": "", "requireSignedVersion": true }));
        let app = warden_app::build_app(mock_builder(), launch.clone())
            .build(context)
            .expect("build the mock app");
        warden_app::init(app.handle(), &launch).expect("start-up");
        let window = WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("main window");
        Self { _app: app, window }
    }

    /// Invokes a command with JSON arguments; returns its value or its error as JSON.
    pub fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        tauri::test::get_ipc_response(
            &self.window,
            InvokeRequest {
                cmd: cmd.into(),
                callback: tauri::ipc::CallbackFn(0),
                error: tauri::ipc::CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body: tauri::ipc::InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: tauri::test::INVOKE_KEY.to_string(),
            },
        )
        .map(|body| body.deserialize::<Value>().expect("a JSON reply"))
    }

    /// Invokes a command that must succeed and decodes its value.
    pub fn call<T: DeserializeOwned>(&self, cmd: &str, args: Value) -> T {
        let value = self.invoke(cmd, args.clone()).unwrap_or_else(|e| panic!("{cmd}({args}) failed: {e}"));
        serde_json::from_value(value).unwrap_or_else(|e| panic!("{cmd} returned an unexpected shape: {e}"))
    }
}
