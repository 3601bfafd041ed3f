import { describe, expect, it } from "vitest";
import type { HistoryText, Outcome, OutputMatches, SessionEvent } from "../ipc";
import { historyMatches, pageOf, pageRange, TextPages } from "./historyTexts";
import { Transcript } from "./transcript";

const ok = <T,>(value: T): Outcome<T> => ({ ok: true, value });

/** A chunk event of message `m{seq}`. */
function chunk(seq: number, text: string, thought = false): SessionEvent {
  const data = { messageId: `m${seq}`, part: 0, parent: null, text };
  return { sessionId: "h", seq, atMs: seq, kind: thought ? { type: "agentThoughtChunk", data } : { type: "agentMessageChunk", data } };
}

/** A backend holding the texts of `seqs`, recording the pages asked for. */
function backend(seqs: number[]) {
  const asked: [number, number][] = [];
  let fail = false;
  const read = async (from: number, to: number): Promise<Outcome<HistoryText[]>> => {
    asked.push([from, to]);
    if (fail) return { ok: false, error: { code: "internal", message: "changed" } };
    // One stray text outside the page: must be ignored.
    return ok([...seqs.filter((s) => s >= from && s <= to).map((seq) => ({ seq, text: `text ${seq}` })), { seq: to + 1, text: "stray" }]);
  };
  return { asked, read, failNext: (f: boolean) => (fail = f) };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe("pages of held-back texts", () => {
  it("numbers pages from event 1, each covering its range with no gap or overlap", () => {
    expect(pageOf(1, 10)).toBe(0);
    expect(pageOf(10, 10)).toBe(0);
    expect(pageOf(11, 10)).toBe(1);
    expect(pageRange(0, 10)).toEqual([1, 10]);
    expect(pageRange(1, 10)).toEqual([11, 20]);
    for (let seq = 1; seq <= 100; seq++) {
      const [from, to] = pageRange(pageOf(seq, 7), 7);
      expect(seq >= from && seq <= to).toBe(true);
    }
  });

  it("asks for each page once, then the pages beside it, and never for a page with nothing missing", async () => {
    const missing = [3, 15, 16, 45, 95];
    const b = backend(missing);
    const got: HistoryText[] = [];
    const pages = new TextPages(missing, b.read, (texts) => got.push(...texts), 10);
    await Promise.all([pages.want(45), pages.want(45), pages.want(41)]);
    await settle();
    // Page 4 (41..50), then its neighbours with missing texts: page 1 (11..20) and page 9 (91..100).
    expect(b.asked).toEqual([
      [41, 50],
      [11, 20],
      [91, 100],
    ]);
    expect(pages.complete).toBe(false);
    await pages.want(3);
    await pages.want(16);
    await settle();
    expect(b.asked.filter(([from]) => from === 1)).toHaveLength(1);
    expect(b.asked).toHaveLength(4);
    expect(pages.complete).toBe(true);
    // Every missing text once, nothing else.
    expect(got.map((t) => t.seq).sort((a, c) => a - c)).toEqual(missing);
  });

  it("asks again for a page that failed, and says why it failed", async () => {
    const b = backend([5]);
    const pages = new TextPages([5], b.read, () => {}, 10);
    b.failNext(true);
    await pages.want(5);
    expect(pages.error).toBe("changed");
    b.failNext(false);
    await pages.want(5);
    expect(b.asked).toHaveLength(2);
    expect(pages.complete).toBe(true);
  });
});

describe("a transcript with texts that come later", () => {
  it("marks their rows missing, fills each once in its own row, and ignores others", () => {
    const t = new Transcript();
    t.holdTexts([
      { seq: 2, bytes: 300 },
      { seq: 3, bytes: 400 },
    ]);
    t.apply([chunk(1, "sent whole"), chunk(2, ""), chunk(3, "", true), chunk(4, "also whole")]);
    expect(t.entries.map((e) => (e.kind === "agent" ? [e.text, e.held?.missing ?? null] : null))).toEqual([
      ["sent whole", null],
      ["", 300],
      ["", 400],
      ["also whole", null],
    ]);
    expect(t.heldTextSeqs()).toEqual([2, 3]);
    const version = t.version;
    t.restoreTexts([
      { seq: 3, text: "thinking, later" },
      { seq: 1, text: "not held: ignored" },
      { seq: 9, text: "no such event" },
    ]);
    expect(t.version).toBe(version + 1);
    t.restoreTexts([{ seq: 3, text: "a second copy: ignored" }]);
    expect(t.version).toBe(version + 1);
    t.restoreTexts([{ seq: 2, text: "the answer, later" }]);
    expect(t.entries.map((e) => (e.kind === "agent" ? e.text : ""))).toEqual(["sent whole", "the answer, later", "thinking, later", "also whole"]);
    expect(t.entries.every((e) => e.kind !== "agent" || !e.held || e.held.missing === null)).toBe(true);
    expect(t.heldTextSeqs()).toEqual([2, 3]);
  });
});

describe("counting matches in a history's held-back parts", () => {
  it("asks in batches and joins the answers in order; a failure is the answer", async () => {
    const asked: number[][] = [];
    const count = async (part: number[]): Promise<Outcome<OutputMatches[]>> => {
      asked.push(part);
      return ok(part.filter((s) => s % 2 === 0).map((seq) => ({ seq, count: 1 })));
    };
    const got = await historyMatches([1, 2, 3, 4, 5], count, 2);
    expect(asked).toEqual([[1, 2], [3, 4], [5]]);
    expect(got).toEqual(ok([{ seq: 2, count: 1 }, { seq: 4, count: 1 }]));
    const failing = await historyMatches([1, 2, 3], async () => ({ ok: false, error: { code: "internal", message: "no" } }), 2);
    expect(failing.ok).toBe(false);
    expect(await historyMatches([], count)).toEqual(ok([]));
  });
});
