import { describe, expect, it } from "vitest";
import type { ComposedPrompt } from "./composed";
import { PromptQueue, type SessionSnapshot } from "./promptQueue";

const p = (text: string): ComposedPrompt => ({ text, attachments: [] });
const texts = (q: PromptQueue) => q.get().items.map((i) => i.prompt.text);

/** A session as the queue sees it, moved through turns by the test. */
class FakeSession {
  snap: SessionSnapshot = { status: "running", busy: true, turns: 1, lastTurn: null };
  sent: string[] = [];
  failNext: string | null = null;
  queue = new PromptQueue(async (prompt) => {
    const failed = this.failNext;
    this.failNext = null;
    if (failed) return failed;
    this.sent.push(prompt.text);
    return null;
  });
  /** The running turn ends, with `stopReason`. */
  endTurn(stopReason = "endTurn") {
    this.snap = { status: "ready", busy: false, turns: this.snap.turns, lastTurn: { turn: this.snap.turns, stopReason } };
    this.queue.pump(this.snap);
  }
  /** The prompt the queue sent starts its turn. */
  startTurn() {
    this.snap = { ...this.snap, status: "running", busy: true, turns: this.snap.turns + 1 };
    this.queue.pump(this.snap);
  }
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe("the prompt queue", () => {
  it("keeps prompts in order while the turn runs and sends the next only after each turn ends", async () => {
    const s = new FakeSession();
    s.queue.add(p("one"), s.snap);
    s.queue.add(p("two"), s.snap);
    expect(texts(s.queue)).toEqual(["one", "two"]);
    expect(s.sent).toEqual([]);

    s.endTurn();
    await settle();
    expect(s.sent).toEqual(["one"]);
    expect(texts(s.queue)).toEqual(["two"]);
    // The session has not even started the turn of "one": "two" waits.
    s.queue.pump(s.snap);
    await settle();
    expect(s.sent).toEqual(["one"]);
    s.startTurn();
    await settle();
    expect(s.sent).toEqual(["one"]);
    s.endTurn();
    await settle();
    expect(s.sent).toEqual(["one", "two"]);
    expect(texts(s.queue)).toEqual([]);
  });

  it("edits, removes and reorders", () => {
    const s = new FakeSession();
    for (const t of ["a", "b", "c"]) s.queue.add(p(t), s.snap);
    const [a, b, c] = s.queue.get().items;
    s.queue.edit(b!.id, "B");
    expect(texts(s.queue)).toEqual(["a", "B", "c"]);
    s.queue.move(c!.id, 0);
    expect(texts(s.queue)).toEqual(["c", "a", "B"]);
    s.queue.move(c!.id, 99);
    expect(texts(s.queue)).toEqual(["a", "B", "c"]);
    s.queue.remove(a!.id);
    expect(texts(s.queue)).toEqual(["B", "c"]);
  });

  it("holds an item while it is edited and sends it once the edit is done", async () => {
    const s = new FakeSession();
    s.queue.add(p("draft"), s.snap);
    const id = s.queue.get().items[0]!.id;
    s.queue.setEditing(id);
    s.endTurn();
    await settle();
    expect(s.sent).toEqual([]);
    s.queue.edit(id, "final");
    s.queue.setEditing(null);
    await settle();
    expect(s.sent).toEqual(["final"]);
  });

  it("pauses after a stopped turn until the person lets it go on", async () => {
    const s = new FakeSession();
    s.queue.add(p("next"), s.snap);
    s.endTurn("cancelled");
    await settle();
    expect(s.sent).toEqual([]);
    expect(s.queue.get().paused).toMatch(/stopped/);
    s.queue.resume();
    await settle();
    expect(s.sent).toEqual(["next"]);
    expect(s.queue.get().paused).toBeNull();
  });

  it("keeps a prompt that could not be sent at the head and says why", async () => {
    const s = new FakeSession();
    s.queue.add(p("one"), s.snap);
    s.queue.add(p("two"), s.snap);
    s.failNext = "the agent is not running";
    s.endTurn();
    await settle();
    expect(texts(s.queue)).toEqual(["one", "two"]);
    expect(s.queue.get().paused).toMatch(/the agent is not running/);
    s.queue.resume();
    await settle();
    expect(s.sent).toEqual(["one"]);
  });

  it("does not send while the session is starting or stopped", async () => {
    const s = new FakeSession();
    s.queue.add(p("one"), s.snap);
    s.queue.pump({ status: "starting", busy: false, turns: 1, lastTurn: null });
    s.queue.pump({ status: "stopped", busy: false, turns: 1, lastTurn: null });
    await settle();
    expect(s.sent).toEqual([]);
    s.queue.pump({ status: "ready", busy: false, turns: 1, lastTurn: null });
    await settle();
    expect(s.sent).toEqual(["one"]);
  });
});
