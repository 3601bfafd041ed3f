//! A scripted OpenAI Responses API (`POST /v1/responses` with SSE streaming), what Codex talks
//! to (PROTOCOLS.md §2.4 and Appendix A §3).
//!
//! The same [`Reply`] scripts as the Anthropic mock: a text block becomes an assistant
//! `message`, a thinking block a `reasoning` item with a summary, and a tool use a
//! `function_call` named by the block's name with its input as the JSON arguments. A tool use
//! whose input is a JSON *string* becomes a `custom_tool_call` with that string as its freeform
//! input, which is how Codex's `apply_patch` arrives for catalog models (see
//! [`Reply::custom_tool`]).
//!
//! It runs on its own thread and runtime, like the Anthropic mock, and stops when dropped.

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

/// A running mock OpenAI Responses API on 127.0.0.1.
pub struct OpenAiMock {
    server: Server,
    script: Script,
}

impl OpenAiMock {
    /// Starts a server that answers model requests with `replies`, in order.
    pub fn start(replies: Vec<Reply>) -> anyhow::Result<Self> {
        Self::start_on(0, replies)
    }

    /// Like [`OpenAiMock::start`] on a chosen port (0 picks a free one).
    pub fn start_on(port: u16, replies: Vec<Reply>) -> anyhow::Result<Self> {
        let script = Script::new(replies);
        let app = router(script.clone());
        let server = Server::start("mock-openai", port, app)?;
        Ok(Self { server, script })
    }

    /// The server's root URL (`http://127.0.0.1:PORT`); a provider's `base_url` is this plus
    /// `/v1` (see [`OpenAiMock::base_url`]).
    pub fn url(&self) -> String {
        self.server.url()
    }

    /// The `base_url` of a Codex model provider: Codex POSTs to `{base_url}/responses`.
    pub fn base_url(&self) -> String {
        format!("{}/v1", self.url())
    }

    /// Queues more replies after the ones already scripted.
    pub fn push(&self, reply: Reply) {
        self.script.push(reply);
    }

    /// Every `/v1/responses` request body received so far.
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
        .route("/v1/responses", post(responses))
        .with_state(script)
}

async fn responses(State(script): State<Script>, Json(body): Json<Value>) -> Response {
    let (reply, id) = script.next(body.clone());
    let model = body.get("model").and_then(Value::as_str).unwrap_or("mock-model").to_owned();
    if body.get("stream").and_then(Value::as_bool) != Some(true) {
        // Codex always streams; a plain request is answered with the finished response.
        return Json(response_object(id, &model, "completed", output_items(&reply, id))).into_response();
    }
    let (tx, rx) = mpsc::channel::<Result<Bytes, Infallible>>(64);
    let extra = reply.headers.clone();
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
    let mut response = (
        [(header::CONTENT_TYPE, "text/event-stream"), (header::CACHE_CONTROL, "no-cache")],
        Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx)),
    )
        .into_response();
    for (name, value) in extra {
        if let (Ok(name), Ok(value)) = (header::HeaderName::try_from(name), header::HeaderValue::try_from(value)) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

fn usage() -> Value {
    json!({"input_tokens": 100, "input_tokens_details": {"cached_tokens": 0},
           "output_tokens": 10, "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 110})
}

fn response_object(id: u64, model: &str, status: &str, output: Vec<Value>) -> Value {
    let mut response = json!({"id": format!("resp_mock_{id}"), "object": "response", "created_at": 0,
        "status": status, "model": model, "output": output});
    if status == "completed" {
        response["usage"] = usage();
    }
    response
}

/// Ids of the `index`th item of the `response`th reply: the item's own id and, for tool calls,
/// the call id the tool's output refers to.
fn ids(response: u64, index: usize) -> (String, String) {
    (format!("item_mock_{response}_{index}"), format!("call_mock_{response}_{index}"))
}

/// One output item as streamed: what `output_item.added` announces, the delta and done events
/// in between, and the finished item of `output_item.done`.
struct Item {
    added: Value,
    middle: Vec<(&'static str, Value)>,
    done: Value,
}

fn item(block: &Block, response: u64, index: usize) -> Item {
    let (id, call_id) = ids(response, index);
    let at = |mut v: Value| {
        v["item_id"] = json!(id);
        v["output_index"] = json!(index);
        v
    };
    match block {
        Block::Text { text } => {
            let part = |t: &str| json!({"type": "output_text", "text": t, "annotations": []});
            let mut middle = vec![("response.content_part.added", at(json!({"content_index": 0, "part": part("")})))];
            for piece in pieces(text, 12) {
                middle.push(("response.output_text.delta", at(json!({"content_index": 0, "delta": piece}))));
            }
            middle.push(("response.output_text.done", at(json!({"content_index": 0, "text": text}))));
            middle.push(("response.content_part.done", at(json!({"content_index": 0, "part": part(text)}))));
            let message = |status: &str, content: Vec<Value>| {
                json!({"type": "message", "id": id, "status": status, "role": "assistant", "content": content})
            };
            Item { added: message("in_progress", vec![]), middle, done: message("completed", vec![part(text)]) }
        }
        Block::Thinking { thinking } => {
            let part = |t: &str| json!({"type": "summary_text", "text": t});
            let mut middle = vec![("response.reasoning_summary_part.added", at(json!({"summary_index": 0, "part": part("")})))];
            for piece in pieces(thinking, 12) {
                middle.push(("response.reasoning_summary_text.delta", at(json!({"summary_index": 0, "delta": piece}))));
            }
            middle.push(("response.reasoning_summary_text.done", at(json!({"summary_index": 0, "text": thinking}))));
            middle.push(("response.reasoning_summary_part.done", at(json!({"summary_index": 0, "part": part(thinking)}))));
            let reasoning = |summary: Vec<Value>| json!({"type": "reasoning", "id": id, "summary": summary, "encrypted_content": null});
            Item { added: reasoning(vec![]), middle, done: reasoning(vec![part(thinking)]) }
        }
        Block::ToolUse { name, input: Value::String(input) } => {
            let call = |status: &str, input: &str| {
                json!({"type": "custom_tool_call", "id": id, "call_id": call_id, "name": name, "input": input, "status": status})
            };
            let mut middle: Vec<(&'static str, Value)> = pieces(input, 24)
                .into_iter()
                .map(|p| ("response.custom_tool_call_input.delta", at(json!({"delta": p}))))
                .collect();
            middle.push(("response.custom_tool_call_input.done", at(json!({"input": input}))));
            Item { added: call("in_progress", ""), middle, done: call("completed", input) }
        }
        Block::ToolUse { name, input } => {
            let arguments = input.to_string();
            let call = |status: &str, arguments: &str| {
                json!({"type": "function_call", "id": id, "call_id": call_id, "name": name, "arguments": arguments, "status": status})
            };
            let mut middle: Vec<(&'static str, Value)> = pieces(&arguments, 24)
                .into_iter()
                .map(|p| ("response.function_call_arguments.delta", at(json!({"delta": p}))))
                .collect();
            middle.push(("response.function_call_arguments.done", at(json!({"arguments": arguments}))));
            Item { added: call("in_progress", ""), middle, done: call("completed", &arguments) }
        }
    }
}

fn output_items(reply: &Reply, response: u64) -> Vec<Value> {
    reply.blocks.iter().enumerate().map(|(i, b)| item(b, response, i).done).collect()
}

/// One server-sent event; every event carries its type and a running sequence number, as the
/// real API's do.
fn sse(kind: &str, seq: &mut u64, mut data: Value) -> String {
    data["type"] = json!(kind);
    data["sequence_number"] = json!(*seq);
    *seq += 1;
    format!("event: {kind}\ndata: {data}\n\n")
}

/// Splits text into small pieces (on character boundaries) so the agent sees real streaming.
fn pieces(text: &str, size: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.chunks(size).map(|c| c.iter().collect()).collect()
}

fn sse_events(reply: &Reply, id: u64, model: &str) -> Vec<String> {
    let mut seq = 0;
    let mut out = vec![
        sse("response.created", &mut seq, json!({"response": response_object(id, model, "in_progress", vec![])})),
        sse("response.in_progress", &mut seq, json!({"response": response_object(id, model, "in_progress", vec![])})),
    ];
    for (index, block) in reply.blocks.iter().enumerate() {
        let Item { added, middle, done } = item(block, id, index);
        out.push(sse("response.output_item.added", &mut seq, json!({"output_index": index, "item": added})));
        for (kind, data) in middle {
            out.push(sse(kind, &mut seq, data));
        }
        out.push(sse("response.output_item.done", &mut seq, json!({"output_index": index, "item": done})));
    }
    let finished = response_object(id, model, "completed", output_items(reply, id));
    out.push(sse("response.completed", &mut seq, json!({"response": finished})));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `data` of every event, parsed.
    fn events(reply: &Reply) -> Vec<Value> {
        sse_events(reply, 1, "m")
            .iter()
            .map(|e| serde_json::from_str(e.split_once("data: ").unwrap().1.trim()).unwrap())
            .collect()
    }

    #[test]
    fn a_tool_call_streams_its_arguments_and_ends_with_usage() {
        let reply = Reply::tool("exec_command", json!({"cmd": "touch a"}));
        let events = events(&reply);
        let types: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
        assert_eq!(types.first(), Some(&"response.created"));
        assert!(types.contains(&"response.output_text.delta"), "the sentence before the call streams");
        let args: String = events
            .iter()
            .filter(|e| e["type"] == "response.function_call_arguments.delta")
            .map(|e| e["delta"].as_str().unwrap())
            .collect();
        assert_eq!(args, r#"{"cmd":"touch a"}"#, "the deltas join to the JSON arguments");
        let done = events.iter().rfind(|e| e["type"] == "response.output_item.done").unwrap();
        assert_eq!((done["item"]["type"].as_str(), done["item"]["name"].as_str()), (Some("function_call"), Some("exec_command")));
        let last = events.last().unwrap();
        assert_eq!(last["type"], "response.completed");
        assert_eq!(last["response"]["usage"]["input_tokens"], 100, "Codex reads usage from the completed response");
        let seqs: Vec<u64> = events.iter().map(|e| e["sequence_number"].as_u64().unwrap()).collect();
        assert!(seqs.windows(2).all(|w| w[1] == w[0] + 1), "sequence numbers count up: {seqs:?}");
    }

    #[test]
    fn a_string_input_is_a_custom_tool_call_with_that_text() {
        let patch = "*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch\n";
        let events = events(&Reply::custom_tool("apply_patch", patch));
        let done = events.iter().rfind(|e| e["type"] == "response.output_item.done").unwrap();
        assert_eq!(done["item"]["type"], "custom_tool_call");
        assert_eq!(done["item"]["input"], patch);
        let streamed: String = events
            .iter()
            .filter(|e| e["type"] == "response.custom_tool_call_input.delta")
            .map(|e| e["delta"].as_str().unwrap())
            .collect();
        assert_eq!(streamed, patch);
    }
}
