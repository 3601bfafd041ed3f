import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ChecksOverview, WebhookAttempt, WebhookDelivery } from "../../ipc";
import { ChecksSettingsDialog } from "./ChecksSettingsDialog";

const deliveries = vi.fn();
const redeliver = vi.fn();
const test = vi.fn();
const disabled = vi.fn();
const enable = vi.fn();
const projectConnection = vi.fn((_project: string): string | null => null);
vi.mock("../../ipc", () => ({
  remote: { projectConnection: (project: string) => projectConnection(project) },
  webhooks: {
    deliveries: (...args: unknown[]) => deliveries(...args),
    redeliver: (...args: unknown[]) => redeliver(...args),
    test: (...args: unknown[]) => test(...args),
    disabled: (...args: unknown[]) => disabled(...args),
    enable: (...args: unknown[]) => enable(...args),
  },
}));

const entry = { mayRun: true, notTrusted: null, disabled: null, overridden: [], file: ".warden/checks.toml", line: 3, errors: [] };
const webhookEntry = { ...entry, id: "local", kind: "webhook" as const, source: "personal" as const, summary: "http://127.0.0.1:9/hook" };
const overview: ChecksOverview = {
  project: "/p",
  projectFile: "/p/.warden/checks.toml",
  trust: "notTrusted",
  maxRounds: 3,
  budgetUsd: null,
  personalFile: "/data/checks/p.toml",
  personalFileExists: true,
  valid: false,
  errors: [],
  entries: [
    { ...entry, id: "tests", kind: "check", source: "project", mayRun: false, notTrusted: "the project file is not trusted", summary: "cargo test" },
    {
      ...entry,
      id: "lint",
      kind: "check",
      source: "personal",
      summary: "cargo clippy",
      errors: [{ file: "checks/p.toml", line: 7, column: 1, field: "check[1].timeout", entry: "lint", message: "not a duration" }],
    },
    webhookEntry,
  ],
  request: null,
};

function attempt(number: number, over: Partial<WebhookAttempt> = {}): WebhookAttempt {
  return {
    number,
    redelivery: false,
    startedAt: 1_700_000_000_000,
    durationMs: 12,
    url: "http://127.0.0.1:9/hook",
    requestHeaders: [
      { name: "webhook-id", value: "msg_1" },
      { name: "authorization", value: "[redacted]" },
    ],
    responseStatus: 200,
    responseHeaders: [{ name: "content-length", value: "2" }],
    responseBody: "ok",
    responseBodyTruncated: false,
    error: null,
    outcome: "delivered",
    ...over,
  };
}

const older: WebhookDelivery = {
  id: 1,
  endpoint: "local",
  eventType: "task.finished",
  eventId: "msg_1",
  status: "failed",
  attempts: 1,
  createdAt: 1_700_000_000_000,
  lastError: "connection refused",
  attemptLog: [attempt(1, { responseStatus: null, error: "connection refused", outcome: "failed" })],
};
const newer: WebhookDelivery = { ...older, id: 2, eventType: "ping", eventId: "msg_2", status: "delivered", lastError: null, attemptLog: [attempt(1)] };

beforeEach(() => {
  deliveries.mockResolvedValue({ ok: true, value: [newer, older] });
  disabled.mockResolvedValue({ ok: true, value: null });
});
afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("ChecksSettingsDialog", () => {
  it("says a remote project's webhooks are delivered from its host, and reads no local log for them", () => {
    projectConnection.mockImplementation((project) => (project === "/p" ? "r1" : null));
    try {
      render(<ChecksSettingsDialog project="/p" overview={overview} onClose={() => {}} />);
      const rows = screen.getAllByTestId("checks-settings-entry");
      expect(within(rows[2]!).getByTestId("webhook-on-host").textContent).toContain("Delivered from the host");
      expect(within(rows[2]!).queryByTestId("webhook-delivery")).toBeNull();
      expect(deliveries).not.toHaveBeenCalled();
      expect(rows.map((r) => r.dataset.id)).toEqual(["tests", "lint", "local"]);
    } finally {
      projectConnection.mockImplementation(() => null);
    }
  });

  it("lists every entry with its source, trust state and errors", async () => {
    render(<ChecksSettingsDialog project="/p" overview={overview} onClose={() => {}} />);
    const rows = screen.getAllByTestId("checks-settings-entry");
    expect(rows.map((r) => r.dataset.id)).toEqual(["tests", "lint", "local"]);
    expect(within(rows[0]!).getByTestId("entry-source").textContent).toBe("project");
    expect(within(rows[0]!).getByTestId("entry-trust").textContent).toContain("not trusted: the project file is not trusted");
    expect(within(rows[1]!).getByTestId("entry-source").textContent).toBe("personal");
    expect(within(rows[1]!).getByTestId("entry-errors").textContent).toContain("checks/p.toml:7: check[1].timeout: not a duration");
    expect(within(rows[2]!).getByTestId("entry-trust").textContent).toBe("trusted");
    // Only webhooks have a delivery log.
    expect(within(rows[0]!).queryByTestId("webhook-log-tests")).toBeNull();
    await waitFor(() => expect(within(rows[2]!).getAllByTestId("webhook-delivery")).toHaveLength(2));
    expect(deliveries).toHaveBeenCalledWith("/p", "local", 50);
  });

  it("shows the delivery log newest first with each attempt's headers and response", async () => {
    render(<ChecksSettingsDialog project="/p" overview={overview} onClose={() => {}} />);
    const items = await screen.findAllByTestId("webhook-delivery");
    expect(items.map((i) => i.dataset.status)).toEqual(["delivered", "failed"]);
    expect(items[0]!.textContent).toContain("ping");
    expect(items[0]!.textContent).toContain("HTTP 200 · 12 ms");
    expect(items[1]!.textContent).toContain("connection refused");
    const attemptOpen = within(items[0]!).getByTestId("webhook-attempt");
    fireEvent.click(attemptOpen.querySelector("summary")!);
    expect(attemptOpen.textContent).toContain("authorization[redacted]");
    expect(within(attemptOpen).getByTestId("webhook-response-body").textContent).toBe("ok");
  });

  it("redelivers a delivery and sends a test event, showing the result and re-reading the log", async () => {
    redeliver.mockResolvedValue({ ok: true, value: { delivery: 1, delivered: false, attempt: attempt(2, { redelivery: true, responseStatus: 500, outcome: "failed" }) } });
    test.mockResolvedValue({ ok: true, value: { delivery: 3, delivered: true, attempt: attempt(1) } });
    render(<ChecksSettingsDialog project="/p" overview={overview} onClose={() => {}} />);
    const items = await screen.findAllByTestId("webhook-delivery");
    fireEvent.click(within(items[1]!).getByTestId("webhook-redeliver"));
    await waitFor(() => expect(screen.getByTestId("webhook-result").textContent).toBe("Redelivered (delivery 1): HTTP 500"));
    expect(redeliver).toHaveBeenCalledWith(1);
    expect(screen.getByTestId("webhook-result").className).toBe("webhook-bad");
    await waitFor(() => expect(deliveries).toHaveBeenCalledTimes(2));

    fireEvent.click(screen.getByTestId("webhook-test"));
    await waitFor(() => expect(screen.getByTestId("webhook-result").textContent).toBe("Test event (delivery 3): HTTP 200"));
    expect(test).toHaveBeenCalledWith("/p", "local");
    await waitFor(() => expect(deliveries).toHaveBeenCalledTimes(3));
  });

  it("shows why a send was refused", async () => {
    test.mockResolvedValue({ ok: false, error: { kind: "internal", message: "webhook `local` is not trusted: review it" } });
    render(<ChecksSettingsDialog project="/p" overview={overview} onClose={() => {}} />);
    await screen.findAllByTestId("webhook-delivery");
    fireEvent.click(screen.getByTestId("webhook-test"));
    expect((await screen.findByTestId("webhook-error")).textContent).toContain("not trusted");
  });

  it("offers no sending to an endpoint that may not run", async () => {
    const untrusted = { ...overview, entries: [{ ...webhookEntry, source: "project" as const, mayRun: false, notTrusted: "not trusted yet" }] };
    render(<ChecksSettingsDialog project="/p" overview={untrusted} onClose={() => {}} />);
    await screen.findAllByTestId("webhook-delivery");
    expect((screen.getByTestId("webhook-test") as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getAllByTestId("webhook-redeliver").every((b) => (b as HTMLButtonElement).disabled)).toBe(true);
  });

  it("says why and since when a 410 disabled an endpoint, and enables it again", async () => {
    const since = new Date(2026, 11, 7, 9, 30).getTime();
    disabled.mockResolvedValueOnce({ ok: true, value: { disabledAt: since, reason: "the endpoint answered 410 Gone" } });
    enable.mockResolvedValue({ ok: true, value: { wasDisabled: true, requeued: 2, skipped: 1 } });
    render(<ChecksSettingsDialog project="/p" overview={overview} onClose={() => {}} />);
    const banner = await screen.findByTestId("webhook-gone");
    expect(banner.textContent).toContain("the endpoint answered 410 Gone");
    expect(banner.textContent).toContain(new Date(since).toLocaleString());
    expect(disabled).toHaveBeenCalledWith("/p", "local");

    fireEvent.click(within(banner).getByTestId("webhook-enable"));
    await waitFor(() => expect(enable).toHaveBeenCalledWith("/p", "local"));
    // The log and the state are read again: no longer disabled.
    await waitFor(() => expect(screen.queryByTestId("webhook-gone")).toBeNull());
    expect(screen.getByTestId("webhook-enabled").textContent).toBe(
      "Enabled again: 2 held deliveries are being sent; 1 event skipped while it was disabled stays skipped (Redeliver sends one).",
    );
    expect(deliveries).toHaveBeenCalledTimes(2);
  });

  it("shows no Enable again for an endpoint that is not disabled", async () => {
    render(<ChecksSettingsDialog project="/p" overview={overview} onClose={() => {}} />);
    await screen.findAllByTestId("webhook-delivery");
    await waitFor(() => expect(disabled).toHaveBeenCalled());
    expect(screen.queryByTestId("webhook-gone")).toBeNull();
    expect(screen.queryByTestId("webhook-enable")).toBeNull();
  });
});
