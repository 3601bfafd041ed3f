//! What a prompt carries besides its text, on the wire of each real agent against the mock
//! models: a mentioned file and a pasted image reach the model's request in the agent's own
//! shape (Claude Code reads an `@path` itself and gets Anthropic image blocks; Codex gets the
//! path in the text and a `localImage` it sends as an `input_image`; an ACP agent gets the file
//! as an embedded `resource` — or a `resource_link` when it declares no embedded context — and
//! an `image` block), each agent says what it takes (`PromptAccepts`), and
//! an agent that takes no images is refused one with a clear error before any turn starts.

use crate::support::*;
use serde_json::Value;
use std::path::Path;
use warden_core::session::prompt_input::{ImageInput, MentionInput};
use warden_core::session::*;
use warden_engine::session::prompt_input::AttachmentError;
use warden_engine::{NewSession, RunOptions, SessionError};
use warden_mock_models::{AnthropicMock, OpenAiMock, Reply};

/// A real 1×1 PNG, so an agent that decodes or resizes images gets a valid one.
const PNG_BASE64: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

/// What the mentioned file says: found in the model's request only if the agent read it.
const MARKER: &str = "the-plan-says-ZEBRA-42";

fn write_plan(project: &Path) {
    std::fs::create_dir_all(project.join("notes")).unwrap();
    std::fs::write(project.join("notes/plan.md"), format!("# Plan\n{MARKER}\n")).unwrap();
}

fn prompt(text: &str, image: bool) -> PromptInput {
    let mut attachments = vec![PromptAttachment::Mention(MentionInput { path: "notes/plan.md".into() })];
    if image {
        attachments.push(PromptAttachment::Image(ImageInput { data_base64: PNG_BASE64.into(), name: Some("shot.png".into()) }));
    }
    PromptInput { text: text.into(), attachments }
}

async fn accepts(run: &mut Run) -> PromptAccepts {
    match run.until("promptAccepts", |k| matches!(k, SessionEventKind::PromptAccepts(_))).await {
        SessionEventKind::PromptAccepts(a) => a,
        _ => unreachable!(),
    }
}

/// The stored prompt names the mention and the image, the image by a kept file.
fn assert_stored(run: &Run) {
    let message = run
        .events
        .iter()
        .find_map(|e| match &e.kind {
            SessionEventKind::UserMessage(m) => Some(m.clone()),
            _ => None,
        })
        .expect("a userMessage");
    assert_eq!(message.attachments[0], Attachment::Mention(Mention { path: "notes/plan.md".into(), kind: PathKind::File }));
    match &message.attachments[1] {
        Attachment::Image(image) => {
            assert_eq!(image.media_type, ImageType::Png);
            assert!(image.file.ends_with(".png"), "{image:?}");
        }
        other => panic!("not an image: {other:?}"),
    }
    let json = serde_json::to_string(&message).unwrap();
    assert!(!json.contains(PNG_BASE64), "the stored event keeps the image by reference, not inline");
}

/// Every string in `value`, depth first (a request's text wherever the agent put it).
fn all_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(all_text).collect::<Vec<_>>().join("\n"),
        Value::Object(map) => map.values().map(all_text).collect::<Vec<_>>().join("\n"),
        _ => String::new(),
    }
}

/// The objects of `value` (at any depth) for which `pred` holds.
fn find_objects<'a>(value: &'a Value, pred: &dyn Fn(&Value) -> bool, out: &mut Vec<&'a Value>) {
    if pred(value) {
        out.push(value);
    }
    match value {
        Value::Array(items) => items.iter().for_each(|v| find_objects(v, pred, out)),
        Value::Object(map) => map.values().for_each(|v| find_objects(v, pred, out)),
        _ => {}
    }
}

fn anthropic_images(requests: &[Value]) -> Vec<Value> {
    let mut found = Vec::new();
    for r in requests {
        find_objects(r, &|v| v["type"] == "image" && v["source"]["type"] == "base64", &mut found);
    }
    found.into_iter().cloned().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claude_code_reads_a_mentioned_file_and_gets_the_image_as_an_image_block() {
    let world = World::new();
    write_plan(world.project.path());
    let mock = AnthropicMock::start(vec![Reply::text("Seen.")]).unwrap();
    let env = claude_env(world.home.path(), &mock.url());
    let mut run = Run::start(&world.engine, world.project.path(), claude(), env).await;
    let taken = accepts(&mut run).await;
    assert!(taken.images);
    assert_eq!(taken.mentions, MentionDelivery::AtPath);
    run.handle.prompt_input(prompt("What does @notes/plan.md say about this?", true)).await.unwrap();
    let end = run.turn_end().await;
    assert_eq!(end.stop_reason, StopReason::EndTurn, "{:#?}", run.kinds());
    let requests = mock.requests();
    let text = requests.iter().map(all_text).collect::<Vec<_>>().join("\n");
    assert!(text.contains(MARKER), "Claude Code read the mentioned file into the request: {text}");
    let images = anthropic_images(&requests);
    assert!(!images.is_empty(), "an image block reached the model: {requests:#?}");
    assert_eq!(images[0]["source"]["media_type"], "image/png");
    assert_stored(&run);
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claude_code_reads_a_mention_missing_from_the_text_and_lists_a_mentioned_folder() {
    let world = World::new();
    write_plan(world.project.path());
    std::fs::write(world.project.path().join("notes/other-file-OKAPI.txt"), "x").unwrap();
    let mock = AnthropicMock::start(vec![Reply::text("Seen.")]).unwrap();
    let env = claude_env(world.home.path(), &mock.url());
    let mut run = Run::start(&world.engine, world.project.path(), claude(), env).await;
    let mut input = prompt("Read these", false);
    input.attachments.push(PromptAttachment::Mention(MentionInput { path: "notes".into() }));
    run.handle.prompt_input(input).await.unwrap();
    let end = run.turn_end().await;
    assert_eq!(end.stop_reason, StopReason::EndTurn, "{:#?}", run.kinds());
    let text = mock.requests().iter().map(all_text).collect::<Vec<_>>().join("\n");
    assert!(text.contains("Read these @notes/plan.md @notes"), "Warden added the @ references: {text}");
    assert!(text.contains(MARKER), "Claude Code read the file: {text}");
    assert!(text.contains("other-file-OKAPI.txt"), "Claude Code listed the folder: {text}");
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn codex_gets_the_mention_in_the_text_and_the_image_as_input() {
    let world = World::new();
    write_plan(world.project.path());
    let mock = OpenAiMock::start(vec![Reply::text("Seen.")]).unwrap();
    let new = NewSession {
        project: world.project.path().to_string_lossy().into_owned(),
        agent: AgentKind::Codex,
        run: RunOptions { binary: Some(codex()), env: codex_env(world.home.path(), &mock.url()), ..Default::default() },
        ..Default::default()
    };
    let mut run = Run::start_session(&world.engine, new).await;
    let taken = accepts(&mut run).await;
    assert!(taken.images);
    run.handle.prompt_input(prompt("Summarise this", true)).await.unwrap();
    let end = run.turn_end().await;
    assert_eq!(end.stop_reason, StopReason::EndTurn, "{:#?}", run.kinds());
    let requests = mock.requests();
    let last = requests.last().expect("a model request");
    let text = all_text(last);
    assert!(text.contains("Summarise this @notes/plan.md"), "the mention is in the prompt's text: {text}");
    let mut images = Vec::new();
    find_objects(last, &|v| v["type"] == "input_image", &mut images);
    assert_eq!(images.len(), 1, "one input_image reached the model: {last:#}");
    let url = images[0]["image_url"].as_str().unwrap_or_default();
    assert!(url.starts_with("data:image/png;base64,"), "{url}");
    assert_stored(&run);
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_acp_agent_gets_the_file_embedded_and_an_image_block() {
    let world = World::new();
    write_plan(world.project.path());
    let mock = AnthropicMock::start(vec![Reply::text("Seen.")]).unwrap();
    let new = NewSession {
        project: world.project.path().to_string_lossy().into_owned(),
        agent: AgentKind::ClaudeAcp,
        run: RunOptions { binary: Some(claude_acp()), env: claude_acp_env(world.home.path(), &mock.url()), ..Default::default() },
        ..Default::default()
    };
    let mut run = Run::start_session(&world.engine, new).await;
    let taken = accepts(&mut run).await;
    assert!(taken.images, "the Claude Code ACP adapter declares promptCapabilities.image");
    assert_eq!(taken.mentions, MentionDelivery::EmbeddedResource, "it declares promptCapabilities.embeddedContext");
    // Short: a longer first prompt makes the adapter ask the model for a title first.
    run.handle.prompt_input(prompt("Look.", true)).await.unwrap();
    let end = run.turn_end().await;
    assert_eq!(end.stop_reason, StopReason::EndTurn, "{:#?}", run.kinds());
    let requests = mock.requests();
    let text = requests.iter().map(all_text).collect::<Vec<_>>().join("\n");
    assert!(text.contains(MARKER), "the embedded file reached the model: {text}");
    assert!(!anthropic_images(&requests).is_empty(), "an image block reached the model: {requests:#?}");
    assert_stored(&run);
    run.stop().await;
}

/// A minimal ACP agent that declares no prompt capabilities and keeps every prompt it gets in
/// `prompts`, one line each.
fn plain_agent(dir: &Path, prompts: &Path) -> warden_core::agent::CustomAgent {
    let script = dir.join("plain-acp-agent");
    let text = format!(
        r#"#!/bin/sh
read -r line
echo '{{"jsonrpc":"2.0","id":0,"result":{{"protocolVersion":1,"agentCapabilities":{{}},"agentInfo":{{"name":"plain","version":"1.0.0"}}}}}}'
read -r line
echo '{{"jsonrpc":"2.0","id":1,"result":{{"sessionId":"plain-session"}}}}'
while read -r line; do
  printf '%s\n' "$line" >> '{prompts}'
  id=$(printf '%s' "$line" | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
  echo '{{"jsonrpc":"2.0","id":'"$id"',"result":{{"stopReason":"end_turn"}}}}'
done
"#,
        prompts = prompts.display(),
    );
    std::fs::write(&script, text).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    warden_core::agent::CustomAgent { name: "plain".into(), command: script.to_string_lossy().into_owned(), args: Vec::new(), env: Vec::new() }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_without_image_support_is_refused_an_image_and_still_gets_mentions() {
    let world = World::new();
    write_plan(world.project.path());
    let prompts = world.home.path().join("prompts.jsonl");
    world.engine.set_custom_agents(&[plain_agent(world.home.path(), &prompts)]).unwrap();
    let new = NewSession {
        project: world.project.path().to_string_lossy().into_owned(),
        agent: AgentKind::Custom,
        agent_name: Some("plain".into()),
        ..Default::default()
    };
    let mut run = Run::start_session(&world.engine, new).await;
    let taken = accepts(&mut run).await;
    assert!(!taken.images, "the window is told not to offer images");

    let refused = run.handle.prompt_input(prompt("Look.", true)).await.unwrap_err();
    assert_eq!(refused, SessionError::Attachment(AttachmentError::ImagesNotTaken));
    assert!(refused.to_string().contains("does not take images"), "{refused}");
    let images = world.data_dir().join("images").join(run.handle.id().to_string());
    let kept = std::fs::read_dir(&images).map(|d| d.count()).unwrap_or(0);
    assert_eq!(kept, 0, "a refused image is not kept");

    run.handle.prompt_input(prompt("Look.", false)).await.unwrap();
    let end = run.turn_end().await;
    assert_eq!(end.stop_reason, StopReason::EndTurn, "{:#?}", run.kinds());
    let sent: Value = serde_json::from_str(std::fs::read_to_string(&prompts).unwrap().lines().last().unwrap()).unwrap();
    let blocks = sent["params"]["prompt"].as_array().unwrap();
    assert_eq!(blocks[0]["text"], "Look.");
    assert_eq!(blocks[1]["type"], "resource_link");
    let uri = format!("file://{}", world.project.path().join("notes/plan.md").display());
    assert_eq!(blocks[1]["uri"], uri.as_str());
    assert_eq!(blocks.len(), 2, "no image block: {blocks:#?}");
    run.stop().await;
}
