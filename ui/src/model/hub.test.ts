import { describe, expect, it } from "vitest";
import type { Outcome, SessionEvent, SessionEventKind } from "../ipc";
import { SessionHub, type SessionSource } from "./hub";
import { OUTPUT_BUDGET } from "./transcript";

const text = (t: string): SessionEventKind => ({ type: "agentMessageChunk", data: { messageId: "m", part: 0, parent: null, text: t } });
const ev = (seq: number, t = String(seq)): SessionEvent => ({ sessionId: "s", seq, atMs: 0, kind: text(t) });
const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A backend with a stored log; `push` stores an event and (unless `lose`) sends it live. */
function fakeBackend(stored: SessionEvent[]) {
  const log = [...stored];
  let live: ((e: SessionEvent) => void) | null = null;
  const reads: number[] = [];
  let beforeBacklog: (() => void) | null = null;
  const source: SessionSource = {
    events: async (_id, after) => {
      reads.push(after);
      return ok(log.filter((e) => e.seq > after));
    },
    event: async (_id, seq) => ok(log.find((e) => e.seq === seq) ?? null),
    subscribe: async (_id, after, onEvent) => {
      live = onEvent;
      beforeBacklog?.();
      const backlog = ok(log.filter((e) => e.seq > after));
      return { backlog, detach: () => (live = null) };
    },
  };
  return {
    source,
    reads,
    push(event: SessionEvent, lose = false) {
      log.push(event);
      if (!lose) live?.(event);
    },
    /** Runs `f` between subscribing and the backlog's reply (the race the design covers). */
    race(f: () => void) {
      beforeBacklog = f;
    },
    get attached() {
      return live !== null;
    },
  };
}

const chatText = (hub: SessionHub) => {
  const entry = hub.get("s")?.transcript.entries[0];
  return entry?.kind === "agent" ? entry.text : null;
};

describe("SessionHub", () => {
  it("applies the stored backlog, then live events", async () => {
    const backend = fakeBackend([ev(1, "a"), ev(2, "b")]);
    const hub = new SessionHub(backend.source);
    const session = hub.open("s");
    expect(session.loaded).toBe(false);
    await tick();
    expect(session.loaded).toBe(true);
    backend.push(ev(3, "c"));
    expect(chatText(hub)).toBe("abc");
  });

  it("keeps one copy of an event that arrives live while the backlog is read", async () => {
    const backend = fakeBackend([ev(1, "a")]);
    backend.race(() => backend.push(ev(2, "b")));
    const hub = new SessionHub(backend.source);
    hub.open("s");
    await tick();
    expect(chatText(hub)).toBe("ab");
    expect(hub.get("s")?.transcript.lastSeq).toBe(2);
  });

  it("re-reads the store after a gap in seq, so a missed event is not lost", async () => {
    const backend = fakeBackend([ev(1, "a")]);
    const hub = new SessionHub(backend.source);
    hub.open("s");
    await tick();
    backend.push(ev(2, "b"), true);
    backend.push(ev(3, "c"));
    await tick();
    expect(backend.reads).toEqual([1]);
    expect(chatText(hub)).toBe("abc");
  });

  it("tells record listeners about status changes and notifies views on every change", async () => {
    const backend = fakeBackend([]);
    const hub = new SessionHub(backend.source);
    let records = 0;
    let changes = 0;
    hub.onRecordChange(() => records++);
    hub.onChange(() => changes++);
    hub.open("s");
    await tick();
    backend.push({ sessionId: "s", seq: 1, atMs: 0, kind: { type: "status", data: "running" } });
    backend.push(ev(2));
    expect(records).toBe(1);
    expect(changes).toBe(3);
  });

  it("stops following a closed session", async () => {
    const backend = fakeBackend([]);
    const hub = new SessionHub(backend.source);
    hub.open("s");
    await tick();
    hub.close("s");
    expect(backend.attached).toBe(false);
    expect(hub.get("s")).toBeUndefined();
  });

  it("loads a read-only transcript once, and shows a load error", async () => {
    const hub = new SessionHub(fakeBackend([]).source);
    const good = hub.open("h", { kind: "static", load: async () => ok({ events: [ev(1, "old")] }) });
    const bad = hub.open("x", {
      kind: "static",
      load: async () => ({ ok: false, error: { code: "internal", message: "unreadable" } }),
    });
    await tick();
    expect(good.readOnly).toBe(true);
    expect(good.transcript.entries).toHaveLength(1);
    expect(bad.error?.message).toBe("unreadable");
    expect(bad.loaded).toBe(true);
  });

  it("reads a tool output it let go of back from the store", async () => {
    const output = (id: string, seq: number, text: string): SessionEvent => ({
      sessionId: "s",
      seq,
      atMs: 0,
      kind: { type: "toolCallUpdate", data: { id, status: "completed", title: null, rawInput: null, locations: null, output: { text, rawOutput: null }, durationMs: 1 } },
    });
    const call = (id: string, seq: number): SessionEvent => ({
      sessionId: "s",
      seq,
      atMs: 0,
      kind: { type: "toolCall", data: { id, parent: null, name: "Bash", kind: "execute", title: id, input: { type: "other", raw: null }, rawInput: null, locations: [], status: "running" } },
    });
    const big = "x".repeat(OUTPUT_BUDGET);
    const backend = fakeBackend([call("a", 1), output("a", 2, big), call("b", 3), output("b", 4, "small")]);
    const hub = new SessionHub(backend.source);
    const session = hub.open("s");
    await tick();
    const a = session.transcript.tools.get("a");
    expect(a?.outputDropped).toBe(true);
    expect(a?.output).toBeNull();
    await session.loadOutput("a");
    expect(a?.output?.length).toBe(OUTPUT_BUDGET);
    expect(session.transcript.tools.get("b")?.outputDropped).toBe(true);
  });

  it("reads a large output a read-only transcript came without back through its feed", async () => {
    const call: SessionEvent = {
      sessionId: "h",
      seq: 1,
      atMs: 0,
      kind: { type: "toolCall", data: { id: "a", parent: null, name: "Bash", kind: "execute", title: "a", input: { type: "other", raw: null }, rawInput: null, locations: [], status: "running" } },
    };
    const elided: SessionEvent = {
      sessionId: "h",
      seq: 2,
      atMs: 0,
      kind: { type: "toolCallUpdate", data: { id: "a", status: "completed", title: null, rawInput: null, locations: null, output: { text: "", rawOutput: null, elidedBytes: 9000 }, durationMs: 1 } },
    };
    const asked: string[] = [];
    const hub = new SessionHub(fakeBackend([]).source);
    const session = hub.open("h", {
      kind: "static",
      load: async () => ok({ events: [call, elided] }),
      output: async (toolId) => {
        asked.push(toolId);
        return ok(toolId === "a" ? { text: "y".repeat(9000), rawOutput: null } : null);
      },
    });
    await tick();
    const a = session.transcript.tools.get("a");
    expect(a?.outputDropped).toBe(true);
    const revision = session.revision;
    await session.loadOutput("a");
    expect(asked).toEqual(["a"]);
    expect(a?.output?.length).toBe(9000);
    expect(session.revision).toBeGreaterThan(revision);
    await expect(session.loadOutput("missing")).rejects.toThrow(/no output/);
  });
});
