import { afterEach, describe, expect, it, vi } from "vitest";
import type { SessionEvent, SessionEventKind } from "../../../ipc";

// The session's live channel, fed by the test; the prompts the queue sends.
let push: (event: SessionEvent) => void = () => {};
const prompt = vi.fn(async (_id: string, _input: unknown) => ({ ok: true, value: 1 }));
vi.mock("../../../ipc", () => ({
  sessions: {
    prompt: (id: string, input: unknown) => prompt(id, input),
    events: async () => ({ ok: true, value: [] }),
    event: async () => ({ ok: true, value: null }),
    subscribe: async (_id: string, _after: number, onEvent: (e: SessionEvent) => void) => {
      push = onEvent;
      return { backlog: { ok: true, value: [] }, detach: () => {} };
    },
  },
}));

const { hub } = await import("../../../model/useSession");
const { closeComposer, queueOf, snapshotOf } = await import("./sessionQueues");

let seq = 0;
const ev = (kind: SessionEventKind): SessionEvent => ({ sessionId: "q1", seq: ++seq, atMs: seq, kind });
const usage = { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheCreationTokens: 0 };
const turnEnded = (turn: number) => ev({ type: "turnEnded", data: { turn, stopReason: "endTurn", error: null, durationMs: 1, usage, costUsd: null, sessionCostUsd: null } });
const userMessage = (turn: number, text: string) => ev({ type: "userMessage", data: { turn, text } });
const settle = () => new Promise((r) => setTimeout(r, 0));
const sentTexts = () => prompt.mock.calls.map((c) => (c[1] as { text: string }).text);

afterEach(() => {
  closeComposer("q1");
  hub.close("q1");
  prompt.mockClear();
});

describe("the window's queues follow their sessions", () => {
  it("sends queued prompts in order, each after the turn before it ended", async () => {
    const session = hub.open("q1");
    await settle();
    push(ev({ type: "status", data: "ready" }));
    push(userMessage(1, "the running one"));
    push(ev({ type: "status", data: "running" }));
    const queue = queueOf("q1");
    queue.add({ text: "first", attachments: [] }, snapshotOf(session.transcript));
    queue.add({ text: "second", attachments: [{ type: "mention", path: "src/a.rs", kind: "file" }] }, snapshotOf(session.transcript));
    await settle();
    expect(prompt).not.toHaveBeenCalled();

    push(turnEnded(1));
    push(ev({ type: "status", data: "ready" }));
    await settle();
    expect(sentTexts()).toEqual(["first"]);

    push(userMessage(2, "first"));
    push(ev({ type: "status", data: "running" }));
    await settle();
    expect(sentTexts()).toEqual(["first"]);
    push(turnEnded(2));
    push(ev({ type: "status", data: "ready" }));
    await settle();
    expect(sentTexts()).toEqual(["first", "second"]);
    expect(prompt.mock.calls[1]![1]).toEqual({ text: "second", attachments: [{ type: "mention", path: "src/a.rs" }] });
    expect(queue.get().items).toHaveLength(0);
  });

  it("forgets the queue and the draft of a closed session", () => {
    localStorage.setItem("warden.draft.q1", JSON.stringify({ text: "x", mentions: [], savedAt: Date.now() }));
    const queue = queueOf("q1");
    queue.add({ text: "never sent", attachments: [] }, { status: "running", busy: true, turns: 1, lastTurn: null });
    closeComposer("q1");
    expect(localStorage.getItem("warden.draft.q1")).toBeNull();
    expect(queueOf("q1").get().items).toHaveLength(0);
  });
});
