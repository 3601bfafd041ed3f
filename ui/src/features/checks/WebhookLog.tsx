// One webhook endpoint's delivery log in the "Checks and webhooks" dialog: Send test event,
// then its deliveries newest first (event type, status, attempts, the last answer and how long
// it took), each with Redeliver; an attempt opens to its request headers (secrets already
// redacted by the outbox) and the response's status, headers and first bytes. An endpoint
// disabled by a 410 says why and since when, with Enable again.
import { useCallback, useEffect, useState } from "react";
import {
  webhooks,
  type IpcError,
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookDisabled,
  type WebhookEnabled,
  type WebhookSendResult,
} from "../../ipc";

/** Deliveries read per endpoint. */
const LIMIT = 50;
/** How often the log is read again while a delivery waits for its next attempt. */
const PENDING_POLL_MS = 2000;

interface Props {
  project: string;
  endpoint: string;
  /** Whether the endpoint may be delivered to now (trusted, switched on). */
  usable: boolean;
}

export function WebhookLog({ project, endpoint, usable }: Props) {
  const [rows, setRows] = useState<WebhookDelivery[] | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ what: string; sent: WebhookSendResult } | null>(null);
  const [gone, setGone] = useState<WebhookDisabled | null>(null);
  const [enabled, setEnabled] = useState<WebhookEnabled | null>(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    void webhooks.deliveries(project, endpoint, LIMIT).then((outcome) => {
      if (!live) return;
      if (outcome.ok) setRows(outcome.value);
      else setError(outcome.error);
    });
    // Read with the log: a 410 during a send (or the worker's) disables the endpoint.
    void webhooks.disabled(project, endpoint).then((outcome) => {
      if (live && outcome.ok) setGone(outcome.value);
    });
    return () => {
      live = false;
    };
  }, [project, endpoint, n]);
  const enable = useCallback(async () => {
    setBusy(true);
    const outcome = await webhooks.enable(project, endpoint);
    setBusy(false);
    if (outcome.ok) {
      setEnabled(outcome.value);
      setError(null);
    } else {
      setError(outcome.error);
    }
    setN((x) => x + 1);
  }, [project, endpoint]);
  // A pending delivery is still being worked on by the outbox: follow it until it settles.
  const pending = rows?.some((d) => d.status === "pending") ?? false;
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(() => setN((x) => x + 1), PENDING_POLL_MS);
    return () => clearTimeout(timer);
  }, [pending, rows]);
  const send = useCallback(async (what: string, work: () => ReturnType<typeof webhooks.test>) => {
    setBusy(true);
    const outcome = await work();
    setBusy(false);
    if (outcome.ok) {
      setResult({ what, sent: outcome.value });
      setError(null);
    } else {
      setResult(null);
      setError(outcome.error);
    }
    // The log holds the new attempt (or delivery) either way.
    setN((x) => x + 1);
  }, []);
  return (
    <div className="webhook-log" data-testid={`webhook-log-${endpoint}`}>
      {gone && (
        <div className="webhook-gone" data-testid="webhook-gone" role="status">
          <span className="webhook-bad">
            Disabled since {new Date(gone.disabledAt).toLocaleString()}: {gone.reason}.
          </span>{" "}
          <span className="muted">Events since are skipped, not sent. Send a test event to check the receiver, then enable it again.</span>
          <button type="button" className="small" disabled={busy} onClick={() => void enable()} data-testid="webhook-enable">
            Enable again
          </button>
        </div>
      )}
      {enabled && !gone && (
        <p className="muted" data-testid="webhook-enabled" role="status">
          {enabledWords(enabled)}
        </p>
      )}
      <div className="webhook-log-bar">
        <button type="button" className="small" disabled={busy || !usable} onClick={() => void send("Test event", () => webhooks.test(project, endpoint))} data-testid="webhook-test">
          Send test event
        </button>
        {result && (
          <span className={result.sent.delivered ? "webhook-ok" : "webhook-bad"} data-testid="webhook-result" role="status">
            {result.what} (delivery {result.sent.delivery}): {answer(result.sent.attempt)}
          </span>
        )}
      </div>
      {error && (
        <div className="inline-error" role="alert" data-testid="webhook-error">
          {error.message}
        </div>
      )}
      {rows === null ? (
        !error && <p className="muted">Reading the delivery log…</p>
      ) : rows.length === 0 ? (
        <p className="muted" data-testid="webhook-no-deliveries">
          No deliveries yet.
        </p>
      ) : (
        <ul className="webhook-deliveries" data-testid="webhook-deliveries">
          {rows.map((d) => (
            <DeliveryRow key={d.id} delivery={d} busy={busy || !usable} onRedeliver={() => void send("Redelivered", () => webhooks.redeliver(d.id))} />
          ))}
        </ul>
      )}
    </div>
  );
}

function DeliveryRow({ delivery: d, busy, onRedeliver }: { delivery: WebhookDelivery; busy: boolean; onRedeliver: () => void }) {
  const last = d.attemptLog.at(-1) ?? null;
  return (
    <li className="webhook-delivery" data-testid="webhook-delivery" data-status={d.status}>
      <div className="webhook-delivery-line">
        <span className="webhook-event">{d.eventType}</span>
        <span className={`webhook-status ${d.status}`}>{d.status}</span>
        <span className="muted">
          {d.attempts} {d.attempts === 1 ? "attempt" : "attempts"}
          {last ? ` · ${answer(last)} · ${last.durationMs} ms` : d.lastError ? ` · ${d.lastError}` : ""}
        </span>
        <span className="muted webhook-time">{new Date(d.createdAt).toLocaleString()}</span>
        <button type="button" className="small" disabled={busy} onClick={onRedeliver} data-testid="webhook-redeliver">
          Redeliver
        </button>
      </div>
      {d.attemptLog.length > 0 && (
        <ol className="webhook-attempts">
          {d.attemptLog.map((a) => (
            <AttemptRow key={a.number} attempt={a} />
          ))}
        </ol>
      )}
    </li>
  );
}

function AttemptRow({ attempt: a }: { attempt: WebhookAttempt }) {
  return (
    <li>
      <details data-testid="webhook-attempt">
        <summary>
          #{a.number}
          {a.redelivery ? " (redelivery)" : ""} · {new Date(a.startedAt).toLocaleTimeString()} · {answer(a)} · {a.durationMs} ms · {a.outcome}
        </summary>
        <div className="webhook-exchange">
          <div className="muted">POST {a.url}</div>
          <Headers title="Request headers" list={a.requestHeaders} />
          {a.responseStatus !== null && (
            <>
              <Headers title={`Response ${a.responseStatus}`} list={a.responseHeaders} />
              <pre className="webhook-body" data-testid="webhook-response-body">
                {a.responseBody}
                {a.responseBodyTruncated ? "\n…" : ""}
              </pre>
            </>
          )}
        </div>
      </details>
    </li>
  );
}

function Headers({ title, list }: { title: string; list: { name: string; value: string }[] }) {
  return (
    <>
      <div className="webhook-headers-title">{title}</div>
      <table className="webhook-headers">
        <tbody>
          {list.map((h, i) => (
            <tr key={i}>
              <th>{h.name}</th>
              <td>{h.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** What Enable again did, in a sentence. */
export function enabledWords(e: WebhookEnabled): string {
  if (!e.wasDisabled) return "The endpoint was not disabled.";
  const held = e.requeued === 0 ? "no deliveries were held" : `${e.requeued} held ${e.requeued === 1 ? "delivery is" : "deliveries are"} being sent`;
  const skipped =
    e.skipped === 0
      ? ""
      : `; ${e.skipped} ${e.skipped === 1 ? "event" : "events"} skipped while it was disabled ${e.skipped === 1 ? "stays" : "stay"} skipped (Redeliver sends one)`;
  return `Enabled again: ${held}${skipped}.`;
}

/** An attempt's answer in a few words: the error, else the HTTP status. */
export function answer(a: WebhookAttempt): string {
  if (a.error) return a.error;
  return a.responseStatus !== null ? `HTTP ${a.responseStatus}` : "no answer";
}
