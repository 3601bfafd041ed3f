import { describe, expect, it } from "vitest";
import type { SessionEvent } from "../../ipc";
import { Transcript } from "../../model/transcript";
import { droppedOutputs, findMatches } from "./sessionMatches";

/** A chunk event of message `m{seq}`. */
function chunk(seq: number, text: string): SessionEvent {
  return { sessionId: "h", seq, atMs: seq, kind: { type: "agentMessageChunk", data: { messageId: `m${seq}`, part: 0, parent: null, text } } };
}

describe("Ctrl+F over texts that come later", () => {
  it("counts a missing text from the backend's answer and an arrived one here, the same either way", () => {
    const t = new Transcript();
    t.holdTexts([{ seq: 2, bytes: 20 }]);
    t.apply([chunk(1, "a needle here"), chunk(2, ""), chunk(3, "and a needle")]);
    // The held text's seq is searched elsewhere, arrived or not, so the request stays the same.
    expect(droppedOutputs(t)).toEqual([2]);
    const stored = new Map([[2, 2]]);
    const before = findMatches(t, "needle", stored).map((m) => [m.entry, m.nthInRow]);
    expect(before).toEqual([
      [0, 0],
      [1, 0],
      [1, 1],
      [2, 0],
    ]);
    t.restoreTexts([{ seq: 2, text: "needle, needle" }]);
    expect(droppedOutputs(t)).toEqual([2]);
    expect(findMatches(t, "needle", stored).map((m) => [m.entry, m.nthInRow])).toEqual(before);
    // Once arrived, its own text counts, not the stored answer.
    expect(findMatches(t, "needle", new Map())).toHaveLength(4);
  });
});
