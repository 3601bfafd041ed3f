//! A scripted Anthropic Messages API (`POST /v1/messages` with SSE streaming).
//!
//! It runs on its own thread and runtime so synchronous tests, async tests and the standalone
//! binary can all use it the same way; it stops when the [`AnthropicMock`] is dropped.

use crate::script::{Block, Reply};
use crate::server::{Script, Server};
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::mpsc;

/// A running mock Anthropic API on 127.0.0.1.
pub struct AnthropicMock {
    server: Server,
    script: Script,
}

impl AnthropicMock {
    /// Starts a server that answers model requests with `replies`, in order.
    pub fn start(replies: Vec<Reply>) -> anyhow::Result<Self> {
        Self::start_on(0, replies)
    }

    /// Like [`AnthropicMock::start`] on a chosen port (0 picks a free one).
    pub fn start_on(port: u16, replies: Vec<Reply>) -> anyhow::Result<Self> {
        let script = Script::new(replies);
        let app = router(script.clone());
        let server = Server::start("mock-anthropic", port, app)?;
        Ok(Self { server, script })
    }

    /// The base URL to hand to the agent as `ANTHROPIC_BASE_URL`.
    pub fn url(&self) -> String {
        self.server.url()
    }

    /// Queues more replies after the ones already scripted.
    pub fn push(&self, reply: Reply) {
        self.script.push(reply);
    }

    /// Every `/v1/messages` request body received so far.
    pub fn requests(&self) -> Vec<Value> {
        self.script.requests()
    }

    /// How many scripted replies have not been used yet.
    pub fn remaining(&self) -> usize {
        self.script.remaining()
    }

}

fn router(script: Script) -> Router {
    Router::new()
        .route("/", get(|| async { StatusCode::OK }).head(|| async { StatusCode::OK }))
        .route("/v1/messages", post(messages))
        .route("/v1/messages/count_tokens", post(|| async { Json(json!({"input_tokens": 12})) }))
        .route("/v1/models", get(|| async { Json(json!({"data": [], "has_more": false})) }))
        .with_state(script)
}

async fn messages(State(script): State<Script>, Json(body): Json<Value>) -> Response {
    let (reply, id) = script.next(body.clone());
    let reply = fill_plan_file(reply, &body);
    let model = body.get("model").and_then(Value::as_str).unwrap_or("claude-mock").to_owned();
    if body.get("stream").and_then(Value::as_bool) != Some(true) {
        return Json(whole_message(&reply, id, &model)).into_response();
    }
    let (tx, rx) = mpsc::channel::<Result<Bytes, Infallible>>(64);
    tokio::spawn(async move {
        for event in sse_events(&reply, id, &model) {
            if tx.send(Ok(Bytes::from(event))).await.is_err() {
                return; // the client hung up (an interrupted turn)
            }
            if reply.chunk_delay_ms > 0 {
                tokio::time::sleep(Duration::from_millis(reply.chunk_delay_ms)).await;
            }
        }
    });
    Response::builder()
        .header(header::CONTENT_TYPE, "text/event-stream")
        .header(header::CACHE_CONTROL, "no-cache")
        .body(Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx)))
        .expect("static response parts")
}

/// Replaces `{{planFile}}` in the reply's tool inputs with the plan file Claude's plan mode
/// named in the request (`…/.claude/plans/<slug>.md`), so a script can write the plan where the
/// agent expects it without knowing the generated name in advance.
fn fill_plan_file(reply: Reply, request: &Value) -> Reply {
    const MARK: &str = "{{planFile}}";
    let text = serde_json::to_string(&reply).expect("replies serialise");
    if !text.contains(MARK) {
        return reply;
    }
    let body = request.to_string();
    let path = body.find("/.claude/plans/").and_then(|at| {
        let start = body[..at].rfind(|c: char| c == '"' || c.is_whitespace() || c == '`').map_or(0, |i| i + 1);
        let end = body[at..].find(".md").map(|i| at + i + 3)?;
        Some(body[start..end].to_owned())
    });
    let Some(path) = path else { return reply };
    serde_json::from_str(&text.replace(MARK, &path)).expect("a path keeps the JSON valid")
}

fn stop_reason(reply: &Reply) -> &'static str {
    if reply.calls_tools() {
        "tool_use"
    } else {
        "end_turn"
    }
}

fn usage() -> Value {
    json!({"input_tokens": 12, "output_tokens": 5, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0})
}

fn tool_id(message: u64, index: usize) -> String {
    format!("toolu_mock_{message}_{index}")
}

fn whole_message(reply: &Reply, id: u64, model: &str) -> Value {
    let content: Vec<Value> = reply
        .blocks
        .iter()
        .enumerate()
        .map(|(i, block)| match block {
            Block::Text { text } => json!({"type": "text", "text": text}),
            Block::Thinking { thinking } => json!({"type": "thinking", "thinking": thinking, "signature": "mock"}),
            Block::ToolUse { name, input } => json!({"type": "tool_use", "id": tool_id(id, i), "name": name, "input": input}),
        })
        .collect();
    json!({"id": format!("msg_mock_{id}"), "type": "message", "role": "assistant", "model": model,
           "content": content, "stop_reason": stop_reason(reply), "stop_sequence": null, "usage": usage()})
}

fn sse(event: &str, data: Value) -> String {
    format!("event: {event}\ndata: {data}\n\n")
}

/// Splits text into small pieces (on character boundaries) so the agent sees real streaming.
fn pieces(text: &str, size: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.chunks(size).map(|c| c.iter().collect()).collect()
}

fn sse_events(reply: &Reply, id: u64, model: &str) -> Vec<String> {
    let mut out = vec![sse(
        "message_start",
        json!({"type": "message_start", "message": {"id": format!("msg_mock_{id}"), "type": "message",
               "role": "assistant", "model": model, "content": [], "stop_reason": null,
               "stop_sequence": null, "usage": usage()}}),
    )];
    for (index, block) in reply.blocks.iter().enumerate() {
        let (start, deltas): (Value, Vec<Value>) = match block {
            Block::Text { text } => (
                json!({"type": "text", "text": ""}),
                pieces(text, 12).into_iter().map(|t| json!({"type": "text_delta", "text": t})).collect(),
            ),
            Block::Thinking { thinking } => {
                let mut d: Vec<Value> =
                    pieces(thinking, 12).into_iter().map(|t| json!({"type": "thinking_delta", "thinking": t})).collect();
                d.push(json!({"type": "signature_delta", "signature": "mock-signature"}));
                (json!({"type": "thinking", "thinking": "", "signature": ""}), d)
            }
            Block::ToolUse { name, input } => (
                json!({"type": "tool_use", "id": tool_id(id, index), "name": name, "input": {}}),
                pieces(&input.to_string(), 24)
                    .into_iter()
                    .map(|p| json!({"type": "input_json_delta", "partial_json": p}))
                    .collect(),
            ),
        };
        out.push(sse("content_block_start", json!({"type": "content_block_start", "index": index, "content_block": start})));
        for delta in deltas {
            out.push(sse("content_block_delta", json!({"type": "content_block_delta", "index": index, "delta": delta})));
        }
        out.push(sse("content_block_stop", json!({"type": "content_block_stop", "index": index})));
    }
    out.push(sse(
        "message_delta",
        json!({"type": "message_delta", "delta": {"stop_reason": stop_reason(reply), "stop_sequence": null},
               "usage": {"output_tokens": 20}}),
    ));
    out.push(sse("message_stop", json!({"type": "message_stop"})));
    out
}
