//! What a prompt carries, through the window's commands: `files_find` over a project (ignored
//! files hidden), `session_prompt` with a mention and an image (stored by reference, read back
//! with `session_image`), and a mention outside the project refused with a clear message.

use crate::support::TestApp;
use serde_json::json;
use warden_core::finder::FoundPaths;
use warden_core::session::*;

const PNG_BASE64: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

#[test]
fn the_window_finds_files_sends_a_mention_and_an_image_and_reads_the_image_back() {
    std::env::set_var("WARDEN_CLAUDE", warden_mock_models::agents::fake_agent_program());
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(project.path().join("src")).unwrap();
    std::fs::write(project.path().join("src/main.rs"), "fn main() {}").unwrap();
    std::fs::write(project.path().join(".gitignore"), "build.log\n").unwrap();
    std::fs::write(project.path().join("build.log"), "").unwrap();
    let app = TestApp::start(data.path(), None);

    let found: FoundPaths = app.call("files_find", json!({ "project": project.path(), "query": "main", "limit": 10 }));
    assert_eq!(found.paths[0].path, "src/main.rs");
    assert_eq!(found.paths[0].kind, PathKind::File);
    let all: FoundPaths = app.call("files_find", json!({ "project": project.path(), "query": "", "limit": 100 }));
    assert!(all.paths.iter().all(|p| p.path != "build.log"), "ignored files are hidden: {all:?}");

    let record: SessionRecord =
        app.call("session_start", json!({ "project": project.path(), "permissionMode": "default", "model": null }));
    let refused = app
        .invoke("session_prompt", json!({ "sessionId": record.id, "prompt": { "text": "x", "attachments": [{ "type": "mention", "path": "../etc" }] } }))
        .unwrap_err();
    assert!(refused["message"].as_str().unwrap().contains("not a path inside the project"), "{refused}");

    let prompt = json!({ "text": "look at @src/main.rs", "attachments": [
        { "type": "mention", "path": "src/main.rs" },
        { "type": "image", "dataBase64": PNG_BASE64, "name": "shot.png" },
    ] });
    let turn: TurnId = app.call("session_prompt", json!({ "sessionId": record.id, "prompt": prompt }));
    assert_eq!(turn, TurnId(1), "the refused prompt started no turn");
    let events: Vec<SessionEvent> = app.call("session_events", json!({ "sessionId": record.id, "afterSeq": 0 }));
    let message = events
        .iter()
        .find_map(|e| match &e.kind {
            SessionEventKind::UserMessage(m) => Some(m.clone()),
            _ => None,
        })
        .expect("the prompt is stored");
    assert_eq!(message.attachments[0], Attachment::Mention(Mention { path: "src/main.rs".into(), kind: PathKind::File }));
    let Attachment::Image(image) = &message.attachments[1] else { panic!("{:?}", message.attachments) };
    let back: PromptImage = app.call("session_image", json!({ "sessionId": record.id, "file": image.file }));
    assert_eq!((back.media_type, back.data_base64.as_str()), (ImageType::Png, PNG_BASE64));
    let outside = app.invoke("session_image", json!({ "sessionId": record.id, "file": "../x.png" })).unwrap_err();
    assert!(outside["message"].as_str().unwrap().contains("not an image of this session"), "{outside}");
    app.call::<()>("session_stop", json!({ "sessionId": record.id }));
}
