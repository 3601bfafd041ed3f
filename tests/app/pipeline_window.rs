//! The New Session dialog's own pipelines as the window calls them: one defined there starts
//! as given (checked by the configuration's rules, nothing written), and one saved goes into the
//! person's layer beside what it held, refused when its id exists unless replacing.

use crate::support::TestApp;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn spec(id: &str, roles: &[&str]) -> Value {
    let steps: Vec<Value> = roles
        .iter()
        .map(|role| json!({ "role": role, "agent": "no-such-agent", "model": null, "approve": "auto", "blockOn": ["critical"], "instructions": null }))
        .collect();
    json!({ "id": id, "name": "Mine", "maxRounds": 2, "steps": steps })
}

#[test]
fn a_pipeline_defined_in_the_dialog_starts_as_given_after_the_files_checks_and_writes_nothing() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let app = TestApp::start(data.path(), None);
    let start = |spec: Value, prompt: &str| app.invoke("pipeline_start_spec", json!({ "project": project.path(), "spec": spec, "prompt": prompt, "permissionMode": "default" }));

    let err = start(spec("x", &["review", "implement"]), "Do it").unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("review steps come after"), "{err}");
    let err = start(spec("x", &["implement"]), "  ").unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("needs a task"), "{err}");

    let first = start(spec("ad-hoc", &["plan", "implement", "review"]), "Do it").unwrap();
    assert_eq!(first["pipeline"], "ad-hoc", "{first}");
    let roles: Vec<&str> = first["steps"].as_array().unwrap().iter().map(|s| s["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["plan", "implement", "review"]);
    // The run goes on in the background; its unknown agent ends it at the first step.
    let deadline = Instant::now() + Duration::from_secs(20);
    let ended = loop {
        let runs: Vec<Value> = app.call("pipeline_runs", json!({ "project": project.path() }));
        if runs.len() == 1 && runs[0]["status"]["kind"] != "running" {
            break runs[0].clone();
        }
        assert!(Instant::now() < deadline, "the run did not end: {runs:?}");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(ended["status"]["kind"], "failed", "{ended}");
    assert!(ended["status"]["reason"].as_str().unwrap().contains("no-such-agent"), "{ended}");
    assert!(!data.path().join("checks").exists(), "starting writes no configuration");
}

#[test]
fn saving_a_pipeline_keeps_the_persons_layer_and_refuses_an_existing_id_unless_replacing() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let folder = std::fs::canonicalize(project.path()).unwrap();
    let layer = warden_gate::config::personal_file(data.path(), &folder);
    std::fs::create_dir_all(layer.parent().unwrap()).unwrap();
    let mine = "# my own checks\n[[check]]\nid = \"lint\"\nshell = \"true\" # quick\n";
    std::fs::write(&layer, mine).unwrap();
    let app = TestApp::start(data.path(), None);
    let save = |spec: Value, replace: bool| app.invoke("pipeline_save", json!({ "project": project.path(), "spec": spec, "replace": replace }));

    let listed = save(spec("mine", &["plan", "implement", "review"]), false).unwrap();
    assert_eq!(listed[0]["id"], "mine", "{listed}");
    assert_eq!(listed[0]["steps"][2]["blockOn"], json!(["critical"]));
    let text = std::fs::read_to_string(&layer).unwrap();
    assert!(text.starts_with(mine), "{text}");
    let configured: Vec<Value> = app.call("pipeline_list", json!({ "project": project.path() }));
    assert_eq!(configured.len(), 1, "it shows next time");

    let err = save(spec("mine", &["implement"]), false).unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("already exists"), "{err}");
    let err = save(spec("other", &["implement", "plan"]), false).unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("comes first"), "{err}");
    let listed = save(spec("mine", &["implement"]), true).unwrap();
    assert_eq!(listed[0]["steps"].as_array().unwrap().len(), 1, "{listed}");
    assert!(std::fs::read_to_string(&layer).unwrap().starts_with(mine));
}
