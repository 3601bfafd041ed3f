//! A scripted Gemini API (`generativelanguage` v1beta), what Gemini CLI talks to when
//! `GOOGLE_GEMINI_BASE_URL` points here (PROTOCOLS.md §4 and Appendix A §4).
//!
//! Three endpoints, all under `/v1beta/models/{model}:{method}`:
//!
//! - `streamGenerateContent?alt=sse`: the agent's turns. Each request takes the next scripted
//!   [`Reply`] and streams it as `data: {GenerateContentResponse}` chunks: text and thinking
//!   (`thought: true`) parts in small pieces, a tool use as one `functionCall` part named by the
//!   block's name with its input as `args`, and a last chunk with `finishReason: STOP` and the
//!   token counts.
//! - `generateContent`: side queries (the model router, the next-speaker check). They ask for
//!   JSON, so the answer is one JSON object carrying the fields those queries read. Side queries
//!   never use up the script.
//! - `countTokens`: a fixed count.
//!
//! It runs on its own thread and runtime, like the other mocks, and stops when dropped.

use crate::script::{Block, Reply};
use crate::server::{Script, Server};
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::mpsc;


/// The JSON a side query gets: the router reads `model_choice`, the next-speaker check reads
/// `next_speaker` (the person speaks next, so the agent does not carry on by itself).
const SIDE_ANSWER: &str =
    r#"{"reasoning":"mock","model_choice":"flash","next_speaker":"user","complexity_reasoning":"mock","complexity_score":1}"#;

/// A running mock Gemini API on 127.0.0.1.
pub struct GeminiMock {
    server: Server,
    script: Script,
}

impl GeminiMock {
    /// Starts a server that answers the agent's turns with `replies`, in order.
    pub fn start(replies: Vec<Reply>) -> anyhow::Result<Self> {
        Self::start_on(0, replies)
    }

    /// Like [`GeminiMock::start`] on a chosen port (0 picks a free one).
    pub fn start_on(port: u16, replies: Vec<Reply>) -> anyhow::Result<Self> {
        let script = Script::new(replies);
        let app = router(script.clone());
        let server = Server::start("mock-gemini", port, app)?;
        Ok(Self { server, script })
    }

    /// The base URL to hand to Gemini CLI as `GOOGLE_GEMINI_BASE_URL`.
    pub fn url(&self) -> String {
        self.server.url()
    }

    /// Queues more replies after the ones already scripted.
    pub fn push(&self, reply: Reply) {
        self.script.push(reply);
    }

    /// Every `streamGenerateContent` request body (the agent's turns) received so far.
    pub fn requests(&self) -> Vec<Value> {
        self.script.requests()
    }

    /// Every `functionResponse` part the model was sent (a tool's result, or the error the
    /// agent reported for it), over all the agent's requests so far, in order.
    pub fn function_responses(&self) -> Vec<Value> {
        let mut found = Vec::new();
        for request in self.requests() {
            for content in request["contents"].as_array().into_iter().flatten() {
                for part in content["parts"].as_array().into_iter().flatten() {
                    if let Some(response) = part.get("functionResponse") {
                        found.push(response.clone());
                    }
                }
            }
        }
        found
    }

    /// Every `generateContent` request body (side queries) received so far.
    pub fn side_requests(&self) -> Vec<Value> {
        self.script.side_requests()
    }

    /// How many scripted replies have not been used yet.
    pub fn remaining(&self) -> usize {
        self.script.remaining()
    }

}

fn router(script: Script) -> Router {
    Router::new()
        .route("/", get(|| async { StatusCode::OK }).head(|| async { StatusCode::OK }))
        // `{model}:{method}` is one path segment, so the method is split off by hand.
        .route("/v1beta/models/{call}", post(model_call))
        .with_state(script)
}

async fn model_call(State(script): State<Script>, Path(call): Path<String>, Json(body): Json<Value>) -> Response {
    let Some((model, method)) = call.rsplit_once(':') else {
        return (StatusCode::NOT_FOUND, format!("no method in '{call}'")).into_response();
    };
    match method {
        "streamGenerateContent" => stream_turn(&script, model, body),
        "generateContent" => {
            script.record_side(body);
            Json(response(model, vec![json!({"text": SIDE_ANSWER})], Some("STOP"))).into_response()
        }
        "countTokens" => Json(json!({"totalTokens": 12})).into_response(),
        other => (StatusCode::NOT_FOUND, format!("the mock does not serve '{other}'")).into_response(),
    }
}

fn stream_turn(script: &Script, model: &str, body: Value) -> Response {
    let (reply, _) = script.next(body);
    let chunks = sse_chunks(&reply, model);
    let delay = Duration::from_millis(reply.chunk_delay_ms);
    let (tx, rx) = mpsc::channel::<Result<Bytes, Infallible>>(64);
    tokio::spawn(async move {
        for chunk in chunks {
            if tx.send(Ok(Bytes::from(chunk))).await.is_err() {
                return; // the client hung up (an interrupted turn)
            }
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
        }
    });
    Response::builder()
        .header(header::CONTENT_TYPE, "text/event-stream")
        .header(header::CACHE_CONTROL, "no-cache")
        .body(Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx)))
        .expect("static response parts")
}

/// One `GenerateContentResponse` with `parts` from the model, finished when `finish` is set.
fn response(model: &str, parts: Vec<Value>, finish: Option<&str>) -> Value {
    let mut candidate = json!({"content": {"role": "model", "parts": parts}, "index": 0});
    if let Some(reason) = finish {
        candidate["finishReason"] = json!(reason);
    }
    let mut response = json!({"candidates": [candidate], "modelVersion": model});
    if finish.is_some() {
        response["usageMetadata"] = json!({"promptTokenCount": 12, "candidatesTokenCount": 20, "totalTokenCount": 32});
    }
    response
}

/// Splits text into small pieces (on character boundaries) so the agent sees real streaming.
fn pieces(text: &str, size: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.chunks(size).map(|c| c.iter().collect()).collect()
}

fn sse_chunks(reply: &Reply, model: &str) -> Vec<String> {
    let mut parts_in_order: Vec<Value> = Vec::new();
    for block in &reply.blocks {
        match block {
            Block::Text { text } => parts_in_order.extend(pieces(text, 12).into_iter().map(|t| json!({"text": t}))),
            Block::Thinking { thinking } => {
                parts_in_order.extend(pieces(thinking, 12).into_iter().map(|t| json!({"text": t, "thought": true})))
            }
            Block::ToolUse { name, input } => parts_in_order.push(json!({"functionCall": {"name": name, "args": input}})),
        }
    }
    let mut chunks: Vec<String> =
        parts_in_order.into_iter().map(|part| sse(&response(model, vec![part], None))).collect();
    // The last chunk carries the finish reason and the usage, with no text of its own.
    chunks.push(sse(&response(model, vec![json!({"text": ""})], Some("STOP"))));
    chunks
}

fn sse(data: &Value) -> String {
    format!("data: {data}\r\n\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tool_use_streams_as_one_function_call_after_the_text_and_the_stream_ends_with_stop() {
        let reply = Reply::tool("write_file", json!({"file_path": "/p/a.txt", "content": "hi"}));
        let chunks = sse_chunks(&reply, "gemini-mock");
        let parsed: Vec<Value> = chunks
            .iter()
            .map(|c| serde_json::from_str(c.trim_start_matches("data: ").trim_end()).expect("each chunk is one JSON object"))
            .collect();
        let calls: Vec<&Value> =
            parsed.iter().filter_map(|r| r["candidates"][0]["content"]["parts"][0].get("functionCall")).collect();
        assert_eq!(calls, vec![&json!({"name": "write_file", "args": {"file_path": "/p/a.txt", "content": "hi"}})]);
        let text: String =
            parsed.iter().filter_map(|r| r["candidates"][0]["content"]["parts"][0]["text"].as_str()).collect();
        assert_eq!(text, "I'll use write_file.");
        let last = parsed.last().unwrap();
        assert_eq!(last["candidates"][0]["finishReason"], "STOP", "only the last chunk finishes the turn");
        assert!(parsed[..parsed.len() - 1].iter().all(|r| r["candidates"][0].get("finishReason").is_none()));
    }
}
