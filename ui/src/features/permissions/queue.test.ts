import { describe, expect, it } from "vitest";
import type { WaitingRequest } from "../../ipc";
import { countBySession, elsewhere, frontTurn, oldestFirst, requestKey, stillListed } from "./queue";

function waiting(sessionId: string, requestId: string, atMs: number, toolName = "Bash"): WaitingRequest {
  return {
    sessionId,
    project: `/code/${sessionId.startsWith("b") ? "beta" : "alpha"}`,
    atMs,
    request: { requestId, toolCallId: null, toolName, title: toolName, input: { type: "other", raw: {} }, rawInput: {}, blockedPath: null, reason: null, rawSuggestions: null },
  };
}

const ids = (list: WaitingRequest[]) => list.map((w) => `${w.sessionId}/${w.request.requestId}`);

describe("the permission queue", () => {
  it("orders oldest first and keeps the backend's order for the same time", () => {
    const list = [waiting("a1", "r3", 30), waiting("a1", "r1", 10), waiting("b1", "x", 10), waiting("a2", "r2", 20)];
    expect(ids(oldestFirst(list))).toEqual(["a1/r1", "b1/x", "a2/r2", "a1/r3"]);
  });

  it("puts the oldest question of the session in front in the modal and counts every other one", () => {
    const list = [waiting("b1", "x", 5), waiting("a1", "r2", 20), waiting("a1", "r1", 10), waiting("a2", "y", 1)];
    const turn = frontTurn(list, "a1");
    expect(turn?.current.request.requestId).toBe("r1");
    // r2 of this session, x and y of others.
    expect(turn?.more).toBe(3);
    expect(frontTurn(list, "nobody")).toBeNull();
    expect(frontTurn(list, null)).toBeNull();
  });

  it("moves on to the next question once the answered one leaves the list", () => {
    const before = [waiting("a1", "r1", 10), waiting("a1", "r2", 20)];
    expect(frontTurn(before, "a1")?.current.request.requestId).toBe("r1");
    const after = before.slice(1);
    expect(frontTurn(after, "a1")).toMatchObject({ current: { request: { requestId: "r2" } }, more: 0 });
    expect(frontTurn([], "a1")).toBeNull();
  });

  it("points the strip at the oldest question elsewhere only while the session in front has none", () => {
    const list = [waiting("b1", "x", 30), waiting("a2", "y", 10), waiting("b2", "z", 20)];
    expect(elsewhere(list, "a1")).toMatchObject({ waiting: { sessionId: "a2" }, more: 2 });
    // Nothing in front (start screen, or a project without tabs): still pointed at.
    expect(elsewhere(list, null)?.waiting.sessionId).toBe("a2");
    // The session in front asks: the modal shows it, and the strip stays away.
    expect(elsewhere([...list, waiting("a1", "r", 40)], "a1")).toBeNull();
    expect(elsewhere([], "a1")).toBeNull();
  });

  it("counts the questions of each session, also of sessions without a tab", () => {
    const counts = countBySession([waiting("a1", "r1", 1), waiting("b1", "x", 2), waiting("a1", "r2", 3)]);
    expect(Object.fromEntries(counts)).toEqual({ a1: 2, b1: 1 });
  });

  it("tells requests of different sessions with the same agent id apart", () => {
    expect(requestKey(waiting("a1", "r1", 1))).not.toBe(requestKey(waiting("a2", "r1", 1)));
  });

  it("forgets answered questions once the backend no longer lists them", () => {
    const r1 = waiting("a1", "r1", 1);
    const r2 = waiting("a1", "r2", 2);
    const answered = new Set([requestKey(r1), requestKey(r2)]);
    expect([...stillListed(answered, [r2])]).toEqual([requestKey(r2)]);
    expect(stillListed(answered, []).size).toBe(0);
  });
});
