import { describe, expect, it } from "vitest";
import type { SessionEvent, SessionEventKind, ToolCallStatus } from "../ipc";
import { canBecome, Transcript } from "./transcript";

let seq = 0;
function ev(kind: SessionEventKind, at = ++seq): SessionEvent {
  return { sessionId: "s1", seq: at, atMs: 0, kind };
}
function fresh() {
  seq = 0;
  return new Transcript();
}
const chunk = (messageId: string, part: number, text: string, parent: string | null = null): SessionEventKind => ({
  type: "agentMessageChunk",
  data: { messageId, part, parent, text },
});
const tool = (id: string, parent: string | null = null): SessionEventKind => ({
  type: "toolCall",
  data: { id, parent, name: "Write", kind: "edit", title: "Write", input: { type: "other", raw: null }, rawInput: null, locations: [], status: "pending" },
});
const update = (id: string, status: ToolCallStatus): SessionEventKind => ({
  type: "toolCallUpdate",
  data: { id, status, title: null, rawInput: null, locations: null, output: null, durationMs: null },
});

describe("Transcript", () => {
  it("joins streamed pieces of one message part into one chat entry, in order", () => {
    const t = fresh();
    t.apply([ev(chunk("m1", 0, "Hel")), ev(chunk("m1", 0, "lo")), ev(chunk("m1", 1, "Second part")), ev(chunk("m1", 0, "!"))]);
    const agent = t.entries.filter((e) => e.kind === "agent").map((e) => (e.kind === "agent" ? e.text : ""));
    expect(agent).toEqual(["Hello!", "Second part"]);
  });

  it("ignores an event it already has, so a re-read backlog duplicates nothing", () => {
    const t = fresh();
    const events = [ev(chunk("m1", 0, "a")), ev(chunk("m1", 0, "b"))];
    t.apply(events);
    t.apply(events);
    expect(t.entries).toHaveLength(1);
    expect(t.entries[0]).toMatchObject({ text: "ab" });
    expect(t.lastSeq).toBe(2);
  });

  it("reports a gap and applies nothing past it", () => {
    const t = fresh();
    expect(t.apply([ev(chunk("m1", 0, "a"), 1)])).toBe("applied");
    expect(t.apply([ev(chunk("m1", 0, "c"), 3)])).toBe("gap");
    expect(t.lastSeq).toBe(1);
    expect(t.entries[0]).toMatchObject({ text: "a" });
    expect(t.apply([ev(chunk("m1", 0, "b"), 2), ev(chunk("m1", 0, "c"), 3)])).toBe("applied");
    expect(t.entries[0]).toMatchObject({ text: "abc" });
  });

  it("moves tool calls forward only, as the engine does", () => {
    const t = fresh();
    t.apply([ev(tool("t1")), ev(update("t1", "awaitingPermission")), ev(update("t1", "running")), ev(update("t1", "completed")), ev(update("t1", "running"))]);
    expect(t.tools.get("t1")?.call.status).toBe("completed");
    expect(canBecome("denied", "running")).toBe(false);
    expect(canBecome("pending", "awaitingPermission")).toBe(true);
    expect(canBecome("running", "pending")).toBe(false);
  });

  it("hangs subagent calls and text under their parent call", () => {
    const t = fresh();
    t.apply([ev(tool("agent")), ev(tool("child", "agent")), ev(chunk("m2", 0, "from the subagent", "agent"))]);
    expect(t.timeline).toEqual(["agent"]);
    expect(t.tools.get("agent")?.children).toEqual(["child"]);
    expect(t.entries.filter((e) => e.kind === "tool")).toHaveLength(1);
  });

  it("keeps each call's decision with the mode the session was in when it was made", () => {
    const t = fresh();
    const resolved = (requestId: string, toolCallId: string) =>
      ev({ type: "permissionResolved", data: { requestId, decision: "allowOnce", source: "mode", message: null, toolCallId } });
    t.apply([ev({ type: "modeChanged", data: "acceptEdits" }), ev(tool("t1")), resolved("r1", "t1")]);
    t.apply([ev({ type: "modeChanged", data: "bypass" }), ev(tool("t2")), resolved("r2", "t2")]);
    expect(t.tools.get("t1")).toMatchObject({ decision: { requestId: "r1", source: "mode" }, decisionMode: "acceptEdits" });
    expect(t.tools.get("t2")?.decisionMode).toBe("bypass");
  });

  it("tracks the busy state and the session's usage over turns", () => {
    const t = fresh();
    const ended = (turn: number, cost: number) =>
      ev({
        type: "turnEnded",
        data: { turn, stopReason: "endTurn", error: null, durationMs: 5, usage: { inputTokens: 10, outputTokens: 20, cacheReadTokens: 5, cacheCreationTokens: 0 }, costUsd: 0.5, sessionCostUsd: cost, contextTokens: null, contextWindow: null },
      });
    t.apply([ev({ type: "userMessage", data: { turn: 1, text: "hi" } })]);
    expect(t.busy).toBe(true);
    t.apply([ended(1, 0.5), ev({ type: "userMessage", data: { turn: 2, text: "again" } }), ended(2, 1)]);
    expect(t.busy).toBe(false);
    expect(t.usage).toEqual({ turns: 2, inputTokens: 30, outputTokens: 40, costUsd: 1 });
  });

  it("keeps tool output within its budget by letting go of the oldest", () => {
    const t = new Transcript(10);
    seq = 0;
    const out = (id: string, text: string): SessionEventKind => ({
      type: "toolCallUpdate",
      data: { id, status: "completed", title: null, rawInput: null, locations: null, output: { text, rawOutput: null }, durationMs: 1 },
    });
    t.apply([ev(tool("a")), ev(out("a", "aaaaaa")), ev(tool("b")), ev(out("b", "bbbbbb"))]);
    expect(t.tools.get("a")).toMatchObject({ output: null, outputDropped: true, outputSeq: 2 });
    expect(t.tools.get("b")).toMatchObject({ output: "bbbbbb", outputDropped: false });
    // An output larger than the whole budget is still kept while it is the newest.
    t.apply([ev(tool("c")), ev(out("c", "c".repeat(50)))]);
    expect(t.tools.get("c")?.output).toHaveLength(50);
    expect(t.tools.get("b")?.outputDropped).toBe(true);
    t.restoreOutput("a", "aaaaaa");
    expect(t.tools.get("a")?.output).toBe("aaaaaa");
    expect(t.tools.get("c")?.outputDropped).toBe(true);
  });

  it("marks an output a stored transcript left out, to be read back by its seq", () => {
    const t = fresh();
    const elided: SessionEventKind = {
      type: "toolCallUpdate",
      data: { id: "a", status: "completed", title: null, rawInput: null, locations: null, output: { text: "", rawOutput: null, elidedBytes: 90_000 }, durationMs: 1 },
    };
    t.apply([ev(tool("a")), ev(elided)]);
    expect(t.tools.get("a")).toMatchObject({ output: null, outputDropped: true, outputSeq: 2 });
    t.restoreOutput("a", "full text");
    expect(t.tools.get("a")).toMatchObject({ output: "full text", outputDropped: false });
  });

  it("folds file changes per turn and per tool call, once each, leaving ignored paths out of the counts", () => {
    const t = fresh();
    const summary = (id: number, path: string, ignored = false) => ({
      id,
      path,
      kind: { type: "modify" as const },
      sizeBefore: 1,
      sizeAfter: 2,
      linesAdded: 1,
      linesRemoved: 0,
      ignored,
      tooLarge: false,
    });
    const changes = (turn: number, toolCallId: string | null, ...ops: ReturnType<typeof summary>[]): SessionEventKind => ({
      type: "fileChanges",
      data: { turn, toolCallId, ops },
    });
    t.apply([
      ev({ type: "userMessage", data: { turn: 1, text: "go" } }),
      ev(tool("w1")),
      ev(changes(1, "w1", summary(1, "a.rs"), summary(2, "b.rs"))),
      ev(tool("w2")),
      ev(changes(1, "w2", summary(3, "a.rs"), summary(4, "dist/x.js", true))),
      ev(changes(1, null, summary(5, "c.rs"))),
      ev({ type: "userMessage", data: { turn: 2, text: "more" } }),
      ev(changes(2, "w9", summary(6, "d.rs"))),
    ]);
    expect(t.tools.get("w1")?.fileOps.map((op) => [op.id, op.path, op.turn, op.toolCallId])).toEqual([
      [1, "a.rs", 1, "w1"],
      [2, "b.rs", 1, "w1"],
    ]);
    expect(t.tools.get("w2")?.fileOps.map((op) => op.id)).toEqual([3, 4]);
    expect(t.files.byTurn.get(1)?.map((op) => op.id)).toEqual([1, 2, 3, 4, 5]);
    expect(t.files.byTurn.get(2)?.map((op) => op.id)).toEqual([6]);
    expect(t.files.filesOfTurn(1)).toBe(3);
    expect(t.files.changedFiles).toBe(4);
    expect(t.files.byId.get(5)).toMatchObject({ path: "c.rs", toolCallId: null });

    // The same ops announced again (a re-read stream) are not counted twice.
    t.apply([ev(changes(2, "w1", summary(1, "a.rs"), summary(7, "e.rs")))]);
    expect(t.tools.get("w1")?.fileOps.map((op) => op.id)).toEqual([1, 2, 7]);
    expect(t.files.count).toBe(7);
  });
});
