//! `ask-check`: asks Warden's permission for one Bash call (`can_use_tool`), and once the answer
//! came looks into Warden's session store — the raw bytes of `$WARDEN_FAKE_STORE` and its
//! write-ahead log — for the decision. It answers with the text `decision stored` or
//! `decision not stored`, so a test sees whether Warden stored its decision before the agent
//! heard it.

use serde_json::json;
use std::io::BufRead;

/// The request id the question carries, which the stored decision names.
pub const REQUEST: &str = "fake-ask-check-1";

/// Answers prompts as above until stdin ends; other control requests get an empty success.
pub fn serve(session: &str) {
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    let mut lines = stdin.lock().lines();
    while let Some(Ok(line)) = lines.next() {
        let Ok(frame) = serde_json::from_str::<serde_json::Value>(&line) else { continue };
        match frame["type"].as_str() {
            Some("control_request") => {
                let id = frame["request_id"].clone();
                super::emit(&mut out, json!({"type": "control_response",
                    "response": {"subtype": "success", "request_id": id, "response": {}}}));
            }
            Some("user") => {
                super::emit(&mut out, json!({"type": "system", "subtype": "init", "session_id": session,
                    "model": "fake-model", "tools": ["Bash"], "claude_code_version": "9.9.9"}));
                super::emit(&mut out, json!({"type": "control_request", "request_id": REQUEST, "request": {
                    "subtype": "can_use_tool", "tool_name": "Bash", "input": {"command": "touch asked.txt"},
                    "tool_use_id": "toolu_fake_ask"}}));
                let answered = lines.by_ref().map_while(Result::ok).any(|l| l.contains("control_response") && l.contains(REQUEST));
                let stored = answered && store_mentions(REQUEST);
                let text = if stored { "decision stored" } else { "decision not stored" };
                super::emit(&mut out, json!({"type": "assistant", "message": {"id": "msg_fake_ask",
                    "content": [{"type": "text", "text": text}]}}));
                super::emit(&mut out, json!({"type": "result", "subtype": "success", "is_error": false,
                    "duration_ms": 5, "total_cost_usd": 0.0, "stop_reason": "end_turn",
                    "usage": {"input_tokens": 1, "output_tokens": 1}}));
            }
            _ => {}
        }
    }
}

/// Whether the store's files (the database and its write-ahead log, where a commit lands first)
/// hold `needle` next to a `permissionResolved` event.
fn store_mentions(needle: &str) -> bool {
    let Some(path) = std::env::var_os("WARDEN_FAKE_STORE") else { return false };
    let mut wal = path.clone();
    wal.push("-wal");
    let mut bytes = std::fs::read(&path).unwrap_or_default();
    bytes.extend(std::fs::read(&wal).unwrap_or_default());
    let (kind, needle) = (b"permissionResolved".as_slice(), needle.as_bytes());
    // The event's row holds its type, then its body with the request id, within a few hundred bytes.
    (0..bytes.len()).filter(|&at| bytes[at..].starts_with(kind)).any(|at| {
        let near = &bytes[at..bytes.len().min(at + 600)];
        near.windows(needle.len()).any(|w| w == needle)
    })
}

