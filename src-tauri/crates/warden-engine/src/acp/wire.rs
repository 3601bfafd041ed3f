//! JSON-RPC 2.0 line framing for ACP: one message per line, requests flowing both ways.
//!
//! The payloads are the `agent-client-protocol` crate's schema types; only the envelope is ours,
//! because the session actor owns the process and hands the adapter one line at a time.

use agent_client_protocol::v1::schema as acp;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// One message from the agent.
#[derive(Debug)]
pub(super) enum Incoming {
    /// The agent asks the client something and waits for the answer.
    Request { id: acp::RequestId, method: String, params: Value },
    /// The agent tells the client something.
    Notification { method: String, params: Value },
    /// The agent answers one of the client's requests.
    Response { id: acp::RequestId, result: Result<Value, acp::Error> },
}

/// The envelope as it is on the wire. `result` keeps a `null` apart from a missing key:
/// `session/load` and `fs/write_text_file` answer `"result": null`.
#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    id: Option<acp::RequestId>,
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    params: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    result: Option<Value>,
    #[serde(default)]
    error: Option<acp::Error>,
}

fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// Reads one line; the error says why it is not a JSON-RPC message.
pub(super) fn parse(line: &[u8]) -> Result<Incoming, String> {
    let envelope: Envelope = serde_json::from_slice(line).map_err(|e| format!("not a JSON-RPC message: {e}"))?;
    let params = envelope.params.unwrap_or(Value::Null);
    match (envelope.id, envelope.method) {
        (Some(id), Some(method)) => Ok(Incoming::Request { id, method, params }),
        (None, Some(method)) => Ok(Incoming::Notification { method, params }),
        (Some(id), None) => match (envelope.result, envelope.error) {
            (_, Some(error)) => Ok(Incoming::Response { id, result: Err(error) }),
            (Some(result), None) => Ok(Incoming::Response { id, result: Ok(result) }),
            (None, None) => Err("a response with neither a result nor an error".into()),
        },
        (None, None) => Err("a message with neither a method nor an id".into()),
    }
}

/// A request line.
pub(super) fn request(id: i64, method: &str, params: impl Serialize) -> String {
    line(&acp::JsonRpcMessage::wrap(acp::Request { id: acp::RequestId::Number(id), method: method.into(), params: Some(params) }))
}

/// A notification line.
pub(super) fn notification(method: &str, params: impl Serialize) -> String {
    line(&acp::JsonRpcMessage::wrap(acp::Notification { method: method.into(), params: Some(params) }))
}

/// The line answering request `id` with `result`.
pub(super) fn response(id: &acp::RequestId, result: impl Serialize) -> String {
    line(&acp::JsonRpcMessage::wrap(acp::Response::<_, acp::Error>::new(id.clone(), Ok(result))))
}

/// The line answering request `id` with an error.
pub(super) fn error_response(id: &acp::RequestId, error: acp::Error) -> String {
    line(&acp::JsonRpcMessage::wrap(acp::Response::<(), acp::Error>::new(id.clone(), Err(error))))
}

fn line(message: &impl Serialize) -> String {
    // The schema types hold nothing that fails to serialise (no maps with non-string keys).
    serde_json::to_string(message).expect("ACP messages serialise")
}

/// A request id as Warden names the question or request it belongs to (`0`, `a1b2-…`).
pub(super) fn id_text(id: &acp::RequestId) -> String {
    id.to_string()
}

/// Decodes a payload into its schema type, saying which method it was for when it does not fit.
pub(super) fn decode<T: serde::de::DeserializeOwned>(method: &str, value: Value) -> Result<T, String> {
    serde_json::from_value(value).map_err(|e| format!("unreadable {method}: {e}"))
}
