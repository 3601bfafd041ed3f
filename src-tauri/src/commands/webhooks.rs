//! Commands for the webhook endpoints in the window: an endpoint's delivery log with every
//! attempt (headers as logged, secrets already redacted by the outbox), Redeliver, Send test
//! event, and whether an endpoint was disabled by a 410 with Enable again. They do what `warden webhooks deliveries | redeliver | test` do (the shared
//! parts live in `warden_gate::manual`), on the engine's own outbox so the delivery worker
//! and the window see the same log.

use crate::commands::checks::ChecksData;
use crate::error::IpcError;
use crate::state::AppState;
use serde::{Deserialize, Serialize};
use specta::Type;
use std::sync::Arc;
use tauri::State;
use warden_webhooks::{Attempt, Delivery, DeliveryStatus, Webhooks};

/// The first bytes of a response body the window shows.
const BODY_SHOWN: usize = 4 * 1024;

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum WebhookDeliveryStatus {
    /// Waiting for its next attempt.
    Pending,
    /// A 2xx arrived.
    Delivered,
    /// Permanently failed, or the schedule ran out.
    Failed,
    /// Its endpoint answered 410 before it was delivered.
    Disabled,
    /// Not sent: its endpoint was already disabled.
    Skipped,
}

/// One header of a request or response, as logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct WebhookHeader {
    /// The header's name.
    pub name: String,
    /// Its value (`[redacted]` for secrets).
    pub value: String,
}

/// One attempt of a delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct WebhookAttempt {
    /// 1 for the delivery's first attempt.
    pub number: u32,
    /// Sent by Redeliver rather than the schedule.
    pub redelivery: bool,
    /// When it started (ms since the epoch).
    pub started_at: u64,
    /// How long it took, in ms.
    pub duration_ms: u64,
    /// The URL (secret query parameters redacted).
    pub url: String,
    /// The request headers (secret ones redacted).
    pub request_headers: Vec<WebhookHeader>,
    /// The response status, if one arrived.
    pub response_status: Option<u16>,
    /// The response headers.
    pub response_headers: Vec<WebhookHeader>,
    /// The first bytes of the response body (invalid UTF-8 replaced).
    pub response_body: String,
    /// Whether the body shown is cut short.
    pub response_body_truncated: bool,
    /// A network error, a timeout, or why the answer was refused.
    pub error: Option<String>,
    /// What the attempt decided: `delivered`, `retry`, `failed`, `disabled`.
    pub outcome: String,
}

/// One delivery of the log with its attempts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct WebhookDelivery {
    /// The delivery's id (for Redeliver).
    pub id: i64,
    /// The endpoint's id.
    pub endpoint: String,
    /// The event type, such as `task.finished` or `ping`.
    pub event_type: String,
    /// The event's id (the `webhook-id` header).
    pub event_id: String,
    /// Where it stands.
    pub status: WebhookDeliveryStatus,
    /// Attempts made.
    pub attempts: u32,
    /// When it was queued (ms since the epoch).
    pub created_at: u64,
    /// The last error, if any.
    pub last_error: Option<String>,
    /// Every attempt, in order.
    pub attempt_log: Vec<WebhookAttempt>,
}

/// What Redeliver or Send test event came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct WebhookSendResult {
    /// The delivery (a new one for a test event).
    pub delivery: i64,
    /// Whether a 2xx arrived.
    pub delivered: bool,
    /// The attempt.
    pub attempt: WebhookAttempt,
}

/// Why and since when an endpoint is disabled (it answered 410 Gone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct WebhookDisabled {
    /// When it was disabled (ms since the epoch).
    pub disabled_at: u64,
    /// Why (`the endpoint answered 410 Gone`).
    pub reason: String,
}

/// What Enable again did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct WebhookEnabled {
    /// Whether the endpoint was disabled at all.
    pub was_disabled: bool,
    /// Deliveries it held (pending when the 410 came), queued again and sent now.
    pub requeued: u32,
    /// Events skipped while it was disabled: they stay skipped (Redeliver sends one).
    pub skipped: u32,
}

/// Whether `endpoint` of `project` is disabled by a 410, and why and since when.
#[tauri::command]
#[specta::specta]
pub async fn webhooks_disabled(state: State<'_, AppState>, project: String, endpoint: String) -> Result<Option<WebhookDisabled>, IpcError> {
    let service = service(&state)?;
    blocking(move || {
        let project = warden_engine::resolve_project_dir(&project)?;
        let gone = service.outbox().disabled(&project.to_string_lossy(), &endpoint).map_err(IpcError::internal)?;
        Ok(gone.map(|g| WebhookDisabled { disabled_at: g.disabled_at, reason: g.reason }))
    })
    .await
}

/// Enables `endpoint` of `project` again after a 410: the deliveries it held go out now (the
/// window's delivery worker is woken); events skipped meanwhile stay skipped.
#[tauri::command]
#[specta::specta]
pub async fn webhooks_enable(state: State<'_, AppState>, project: String, endpoint: String) -> Result<WebhookEnabled, IpcError> {
    let service = service(&state)?;
    blocking(move || {
        let project = warden_engine::resolve_project_dir(&project)?;
        let done = service.enable(&project.to_string_lossy(), &endpoint).map_err(IpcError::internal)?;
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Ok(WebhookEnabled { was_disabled: done.was_disabled, requeued: count(done.requeued), skipped: count(done.skipped) })
    })
    .await
}

/// The delivery log of `project`, newest first: one endpoint's or all, at most `limit`.
#[tauri::command]
#[specta::specta]
pub async fn webhooks_deliveries(
    state: State<'_, AppState>,
    project: String,
    endpoint: Option<String>,
    limit: u32,
) -> Result<Vec<WebhookDelivery>, IpcError> {
    let service = service(&state)?;
    blocking(move || {
        let project = warden_engine::resolve_project_dir(&project)?;
        let outbox = service.outbox();
        let rows = outbox.deliveries_in(Some(&project.to_string_lossy()), endpoint.as_deref(), limit).map_err(IpcError::internal)?;
        rows.into_iter()
            .map(|d| {
                let attempts = outbox.attempts(d.id).map_err(IpcError::internal)?;
                Ok(delivery_view(d, attempts))
            })
            .collect()
    })
    .await
}

/// Sends delivery `delivery_id` again now: the same body and `webhook-id`, a fresh timestamp
/// and signature, to its endpoint as configured (and trusted) now.
#[tauri::command]
#[specta::specta]
pub async fn webhooks_redeliver(state: State<'_, AppState>, data: State<'_, ChecksData>, delivery_id: i64) -> Result<WebhookSendResult, IpcError> {
    let service = service(&state)?;
    let attempt = warden_gate::manual::redeliver(&service, &data.0, delivery_id).await.map_err(IpcError::internal)?;
    Ok(result(delivery_id, attempt))
}

/// Sends a test event (`{"type":"ping",…}`) to `endpoint` of `project` now.
#[tauri::command]
#[specta::specta]
pub async fn webhooks_test(state: State<'_, AppState>, data: State<'_, ChecksData>, project: String, endpoint: String) -> Result<WebhookSendResult, IpcError> {
    let service = service(&state)?;
    let project = warden_engine::resolve_project_dir(&project)?;
    let (delivery, attempt) = warden_gate::manual::send_test(&service, &project, &data.0, &endpoint).await.map_err(IpcError::internal)?;
    Ok(result(delivery, attempt))
}

fn service(state: &AppState) -> Result<Arc<Webhooks>, IpcError> {
    state.engine.webhooks().service().map(Arc::clone).map_err(|e| IpcError::internal(format!("the webhook outbox cannot be opened: {e}")))
}

async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T, IpcError> + Send + 'static) -> Result<T, IpcError> {
    match tauri::async_runtime::spawn_blocking(work).await {
        Ok(result) => result,
        Err(e) => Err(IpcError::internal(format!("the webhooks task failed: {e}"))),
    }
}

fn result(delivery: i64, attempt: Attempt) -> WebhookSendResult {
    WebhookSendResult { delivery, delivered: attempt.outcome == "delivered", attempt: attempt_view(attempt) }
}

fn headers(list: Vec<(String, String)>) -> Vec<WebhookHeader> {
    list.into_iter().map(|(name, value)| WebhookHeader { name, value }).collect()
}

fn attempt_view(a: Attempt) -> WebhookAttempt {
    let truncated = a.response_body.len() > BODY_SHOWN;
    let shown = &a.response_body[..a.response_body.len().min(BODY_SHOWN)];
    WebhookAttempt {
        number: a.number,
        redelivery: a.redelivery,
        started_at: a.started_at,
        duration_ms: a.duration_ms,
        url: a.url,
        request_headers: headers(a.request_headers),
        response_status: a.response_status,
        response_headers: headers(a.response_headers),
        response_body: String::from_utf8_lossy(shown).into_owned(),
        response_body_truncated: truncated,
        error: a.error,
        outcome: a.outcome,
    }
}

fn delivery_view(d: Delivery, attempts: Vec<Attempt>) -> WebhookDelivery {
    WebhookDelivery {
        id: d.id,
        endpoint: d.endpoint,
        event_type: d.event_type,
        event_id: d.event_id,
        status: match d.status {
            DeliveryStatus::Pending => WebhookDeliveryStatus::Pending,
            DeliveryStatus::Delivered => WebhookDeliveryStatus::Delivered,
            DeliveryStatus::Failed => WebhookDeliveryStatus::Failed,
            DeliveryStatus::Disabled => WebhookDeliveryStatus::Disabled,
            DeliveryStatus::Skipped => WebhookDeliveryStatus::Skipped,
        },
        attempts: d.attempts,
        created_at: d.created_at,
        last_error: d.last_error,
        attempt_log: attempts.into_iter().map(attempt_view).collect(),
    }
}
