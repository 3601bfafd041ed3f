import { describe, expect, it, vi } from "vitest";
import type { WaitingRequest } from "../../ipc";
import { WaitingList, type WaitingSource } from "./waiting";

// The real module reads the IPC at import; these tests give the list a fake source instead.
vi.mock("../../ipc", () => ({ permissions: {} }));

function waiting(requestId: string, atMs: number): WaitingRequest {
  return {
    sessionId: "s1",
    project: "/p",
    atMs,
    request: { requestId, toolCallId: null, toolName: "Bash", title: "", input: { type: "other", raw: {} }, rawInput: {}, blockedPath: null, reason: null, rawSuggestions: null },
  };
}

/** A source whose first read and event are released by the test. */
function fakeSource() {
  let handler: ((list: WaitingRequest[]) => void) | null = null;
  let resolveRead: (list: WaitingRequest[]) => void = () => {};
  const unlisten = vi.fn();
  const source: WaitingSource = {
    onWaiting: async (h) => {
      handler = h;
      return unlisten;
    },
    waiting: () => new Promise((resolve) => (resolveRead = resolve)),
  };
  return { source, unlisten, emit: (list: WaitingRequest[]) => handler?.(list), read: (list: WaitingRequest[]) => resolveRead(list) };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("the window's waiting list", () => {
  it("reads the list once, then follows events, oldest first", async () => {
    const fake = fakeSource();
    const store = new WaitingList(fake.source);
    const seen = vi.fn();
    store.subscribe(seen);
    await flush();
    fake.read([waiting("b", 2), waiting("a", 1)]);
    await flush();
    expect(store.get().map((w) => w.request.requestId)).toEqual(["a", "b"]);
    fake.emit([waiting("b", 2)]);
    expect(store.get().map((w) => w.request.requestId)).toEqual(["b"]);
    expect(seen).toHaveBeenCalledTimes(2);
  });

  it("drops a first read that an event overtook", async () => {
    const fake = fakeSource();
    const store = new WaitingList(fake.source);
    store.subscribe(() => {});
    await flush();
    fake.emit([]);
    fake.read([waiting("stale", 1)]);
    await flush();
    expect(store.get()).toEqual([]);
  });

  it("remembers an answer only while the backend still lists the question", async () => {
    const fake = fakeSource();
    const store = new WaitingList(fake.source);
    store.subscribe(() => {});
    await flush();
    const r1 = waiting("r1", 1);
    fake.emit([r1]);
    store.markAnswered(r1);
    expect(store.isAnswered(r1)).toBe(true);
    fake.emit([]);
    fake.emit([r1]);
    // The same id asked again later is a new question.
    expect(store.isAnswered(r1)).toBe(false);
  });

  it("stops listening when the last reader leaves", async () => {
    const fake = fakeSource();
    const store = new WaitingList(fake.source);
    const stop = store.subscribe(() => {});
    await flush();
    stop();
    expect(fake.unlisten).toHaveBeenCalled();
  });
});
