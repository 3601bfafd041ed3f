//! Claude Code's own sessions through the window's commands: listed, shown, imported; and an
//! id that tries to leave Claude's transcript folder is refused.

use crate::support::TestApp;
use serde_json::json;
use std::path::Path;
use tauri::Manager;
use warden_app::state::AppState;
use warden_core::session::*;
use warden_engine::claude::history::encode_project;

/// A transcript Claude Code 2.1.329 wrote (two prompts, tools, a subagent, a denied Write).
const ID: &str = "9ff61b0b-b106-479e-8846-66b41ebd8ec0";

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/crates/warden-engine/tests/fixtures/claude-history")
}

/// A Claude configuration folder holding the fixture as a transcript of `project`, rewritten to
/// say it ran there.
fn claude_config_for(project: &Path) -> tempfile::TempDir {
    let config = tempfile::tempdir().unwrap();
    let dir = config.path().join("projects").join(encode_project(project));
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(fixtures().join(format!("{ID}.jsonl"))).unwrap();
    std::fs::write(dir.join(format!("{ID}.jsonl")), text.replace("/home/dev/project", &project.to_string_lossy())).unwrap();
    config
}

#[test]
fn the_window_lists_shows_and_imports_claude_sessions_and_refuses_paths_as_ids() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let project_path = project.path().canonicalize().unwrap();
    let config = claude_config_for(&project_path);
    let app = TestApp::start(data.path(), None);
    let engine = app.window.app_handle().state::<AppState>().engine.clone();
    engine.history().set_claude_config_dir(Some(config.path().to_owned()));

    let listed: Vec<ClaudeHistoryEntry> = app.call("claude_history_list", json!({ "project": project.path() }));
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].agent_session_id.as_str(), listed[0].prompts), (ID, 2));
    assert_eq!(listed[0].title, "What does main.rs do? Check it and count the files.");

    let args = json!({ "project": project.path(), "agentSessionId": ID });
    let view: ClaudeHistoryView = app.call("claude_history_events", args.clone());
    assert!(view.elided_texts.is_empty(), "a short session is sent whole");
    let shown = view.events;
    assert!(shown.iter().all(|e| e.session_id.as_str() == ID));
    assert!(matches!(&shown[0].kind, SessionEventKind::UserMessage(m) if m.text.starts_with("What does main.rs do?")));
    let none: Vec<SessionRecord> = app.call("session_list", json!({ "project": project.path() }));
    assert!(none.is_empty(), "showing a Claude session stores nothing");
    // Each tool output reads back whole by its call (the fixture's are small enough to be shown
    // whole too; the engine's tests cover the ones left out).
    let outputs: Vec<(String, ToolOutput)> = shown
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::ToolCallUpdate(u) => u.output.clone().map(|o| (u.id.0.clone(), o)),
            _ => None,
        })
        .collect();
    assert!(outputs.len() >= 3, "the fixture has tool outputs");
    for (tool, output) in &outputs {
        let args = json!({ "project": project.path(), "agentSessionId": ID, "toolCallId": tool });
        let read: Option<ToolOutput> = app.call("claude_history_output", args);
        // Shown without its structured result (the window does not use it); read back with it.
        assert_eq!(read.map(without_raw).as_ref(), Some(output), "the output of {tool}");
    }
    let missing: Option<ToolOutput> =
        app.call("claude_history_output", json!({ "project": project.path(), "agentSessionId": ID, "toolCallId": "toolu_none" }));
    assert_eq!(missing, None);

    let record: SessionRecord = app.call("claude_history_import", args.clone());
    assert_eq!((record.id.as_str(), record.agent_session_id.as_deref(), record.status), (ID, Some(ID), SessionStatus::Stopped));
    assert_eq!(record.project, project_path.to_string_lossy());
    assert_eq!(record.last_seq, shown.len() as u64);
    let stored: Vec<SessionEvent> = app.call("session_events", json!({ "sessionId": ID, "afterSeq": 0 }));
    let structured = stored.iter().filter(|e| matches!(&e.kind, SessionEventKind::ToolCallUpdate(u) if u.output.as_ref().is_some_and(|o| o.raw_output.is_some()))).count();
    assert!(structured > 0, "an import keeps the structured results");
    let stored: Vec<SessionEvent> = stored.into_iter().map(|mut e| {
        if let SessionEventKind::ToolCallUpdate(u) = &mut e.kind {
            u.output = u.output.take().map(without_raw);
        }
        e
    }).collect();
    assert_eq!(stored, shown, "the imported transcript is what was shown, structured results aside");
    let sessions: Vec<SessionRecord> = app.call("session_list", json!({ "project": project.path() }));
    assert_eq!(sessions, vec![record.clone()]);
    let listed: Vec<ClaudeHistoryEntry> = app.call("claude_history_list", json!({ "project": project.path() }));
    assert!(listed.is_empty(), "an imported session is not offered again");
    let again: SessionRecord = app.call("claude_history_import", args);
    assert_eq!(again, record, "importing twice changes nothing");

    // A secret beside the transcript folder that a path-like id would reach.
    std::fs::write(config.path().join("projects").join("secret.jsonl"), "{\"type\":\"user\"}\n").unwrap();
    for bad in ["../secret", "..", "a/b", "..\\secret", "/etc/passwd", ""] {
        for cmd in ["claude_history_events", "claude_history_import", "claude_history_output"] {
            let err = app.invoke(cmd, json!({ "project": project.path(), "agentSessionId": bad, "toolCallId": "t" })).unwrap_err();
            let message = err["message"].as_str().unwrap_or_default();
            assert!(message.contains("is not a Claude session id"), "{cmd}({bad:?}) must be refused: {err}");
        }
    }
    let err = app.invoke("claude_history_events", json!({ "project": project.path(), "agentSessionId": "unknown-id" })).unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("no session unknown-id"), "{err}");
    let err = app.invoke("claude_history_list", json!({ "project": "/no/such/project" })).unwrap_err();
    assert_eq!(err["code"], "projectNotFound");
}

/// `output` without its structured result, as a history is shown.
fn without_raw(mut output: ToolOutput) -> ToolOutput {
    output.raw_output = None;
    output
}

/// A long transcript written by the UI benchmark's generator (tests/e2e/bench-claude-jsonl.mjs),
/// as Claude Code 2.1 writes them, into `config` for `project`.
fn generated_transcript(config: &Path, project: &Path, id: &str) -> std::path::PathBuf {
    let generator = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/bench-claude-jsonl.mjs");
    let script = format!(
        "import({:?}).then((m) => {{ const r = m.writeClaudeSession({{ configDir: {:?}, project: {:?}, id: {:?}, lines: 3000, toolCalls: 300, outputKb: 6 }}); console.log(r.file); }})",
        generator.to_string_lossy(),
        config.to_string_lossy(),
        project.to_string_lossy(),
        id
    );
    let out = std::process::Command::new("node").args(["-e", &script]).output().expect("node runs the transcript generator");
    assert!(out.status.success(), "the generator failed: {}", String::from_utf8_lossy(&out.stderr));
    std::path::PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

/// The text of a chunk event.
fn chunk_text(event: &SessionEvent) -> Option<&str> {
    match &event.kind {
        SessionEventKind::AgentMessageChunk(c) | SessionEventKind::AgentThoughtChunk(c) => Some(&c.text),
        _ => None,
    }
}

#[test]
fn a_long_history_opens_without_its_far_texts_which_read_back_in_pages_and_are_searched() {
    const LONG: &str = "7d3c0e52-1f4a-4b6e-9c8d-2e1f0a3b4c5d";
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let project_path = project.path().canonicalize().unwrap();
    let config = tempfile::tempdir().unwrap();
    let file = generated_transcript(config.path(), &project_path, LONG);
    let app = TestApp::start(data.path(), None);
    let engine = app.window.app_handle().state::<AppState>().engine.clone();
    engine.history().set_claude_config_dir(Some(config.path().to_owned()));
    let whole = engine.history().events(&project_path.to_string_lossy(), LONG).unwrap();

    let args = json!({ "project": project.path(), "agentSessionId": LONG });
    let view: ClaudeHistoryView = app.call("claude_history_events", args.clone());
    assert_eq!(view.events.len(), whole.len(), "every event is sent");
    let elided: Vec<u64> = view.elided_texts.iter().map(|e| e.seq).collect();
    assert!(elided.len() > 500, "a long history holds back most of its texts ({} held)", elided.len());
    assert!(elided.windows(2).all(|w| w[0] < w[1]), "in order, each once");
    let tail = whole.len() as u64 - 400;
    assert!(elided.iter().all(|&seq| seq <= tail), "the texts of the last events are all sent");
    for (sent, full) in view.events.iter().zip(&whole) {
        match elided.binary_search(&sent.seq) {
            Ok(i) => {
                assert_eq!(chunk_text(sent), Some(""), "event {} is sent without its text", sent.seq);
                assert_eq!(view.elided_texts[i].bytes, chunk_text(full).unwrap_or_default().len() as u64);
            }
            // Large outputs are left out as before; everything else is sent as it is.
            Err(_) if matches!(full.kind, SessionEventKind::ToolCallUpdate(_)) => {}
            Err(_) => assert_eq!(sent, full, "event {} is sent whole", sent.seq),
        }
    }

    // Read in pages of 256 events, the pages cover every held text once and nothing else.
    let mut read: Vec<HistoryText> = Vec::new();
    for page in 0..whole.len().div_ceil(256) as u64 {
        let page_args = json!({ "project": project.path(), "agentSessionId": LONG, "snapshot": view.snapshot, "fromSeq": page * 256 + 1, "toSeq": page * 256 + 256 });
        let texts: Vec<HistoryText> = app.call("claude_history_texts", page_args);
        assert!(texts.iter().all(|t| t.seq > page * 256 && t.seq <= page * 256 + 256), "page {page} holds its own events only");
        read.extend(texts);
    }
    assert_eq!(read.iter().map(|t| t.seq).collect::<Vec<_>>(), elided, "no gap, no duplicate");
    for text in &read {
        assert_eq!(Some(text.text.as_str()), chunk_text(&whole[text.seq as usize - 1]), "the text of event {}", text.seq);
    }

    // Ctrl+F counts the held texts and the left-out outputs from the transcript.
    let outputs: Vec<u64> = view
        .events
        .iter()
        .filter(|e| matches!(&e.kind, SessionEventKind::ToolCallUpdate(u) if u.output.as_ref().is_some_and(|o| o.elided_bytes.is_some())))
        .map(|e| e.seq)
        .collect();
    assert!(!outputs.is_empty(), "the generated outputs are large enough to be left out");
    let seqs: Vec<u64> = elided.iter().chain(&outputs).copied().collect();
    let found: Vec<warden_core::search::OutputMatches> = app.call(
        "search_session_outputs",
        json!({ "sessionId": LONG, "seqs": seqs, "needle": "Transcript", "claudeProject": project.path() }),
    );
    let expected: Vec<(u64, u32)> = whole
        .iter()
        .filter(|e| seqs.contains(&e.seq))
        .filter_map(|e| {
            let text = match &e.kind {
                SessionEventKind::ToolCallUpdate(u) => u.output.as_ref().map(|o| o.text.as_str()),
                _ => chunk_text(e),
            }?;
            let count = text.to_lowercase().matches("transcript").count() as u32;
            (count > 0).then_some((e.seq, count))
        })
        .collect();
    assert!(expected.iter().any(|(seq, _)| elided.contains(seq)), "the word is in held texts");
    assert_eq!(found.iter().map(|m| (m.seq, m.count)).collect::<Vec<_>>(), expected);

    // Claude writes on: the window's snapshot no longer matches once its copy is gone.
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("{\"type\":\"queue-operation\",\"operation\":\"dequeue\"}\n");
    std::fs::write(&file, text).unwrap();
    let reopened: ClaudeHistoryView = app.call("claude_history_events", args);
    assert_ne!(reopened.snapshot, view.snapshot);
    let stale = json!({ "project": project.path(), "agentSessionId": LONG, "snapshot": view.snapshot, "fromSeq": 1, "toSeq": 256 });
    let err = app.invoke("claude_history_texts", stale).unwrap_err();
    assert!(err["message"].as_str().unwrap_or_default().contains("changed since it was opened"), "{err}");
    let bad = json!({ "project": project.path(), "agentSessionId": "../x", "snapshot": "", "fromSeq": 1, "toSeq": 2 });
    let err = app.invoke("claude_history_texts", bad).unwrap_err();
    assert!(err["message"].as_str().unwrap_or_default().contains("is not a Claude session id"), "{err}");
}
