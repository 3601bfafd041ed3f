import { describe, expect, it } from "vitest";
import { countIn, droppedOutputs, findMatches, keepPosition, normalise } from "./sessionMatches";
import { ancestorsOf, locate } from "./targets";
import { sessionTranscript } from "./testSession";

describe("session matches", () => {
  it("counts every occurrence in chat order: prompt, joined thinking, tool input and output, nested calls", () => {
    const t = sessionTranscript();
    const matches = findMatches(t, normalise("  NEEDLE "), new Map());
    expect(matches.map((m) => [m.entry, m.toolId, m.field])).toEqual([
      [0, null, "text"],
      [1, null, "text"],
      [2, "t1", "input"],
      [2, "t1", "input"],
      [2, "t1", "output"],
      [2, "t1", "output"],
      [3, null, "text"],
      [4, "t2", "input"],
      [4, "t2", "input"],
    ]);
    expect(matches[1]?.thought).toBe(true);
    expect(matches.filter((m) => m.entry === 2).map((m) => m.nthInRow)).toEqual([0, 1, 2, 3]);
  });

  it("adds the matches the store found in outputs the window let go of, in their row", () => {
    const t = sessionTranscript();
    expect(droppedOutputs(t)).toEqual([9]);
    const matches = findMatches(t, "needle", new Map([[9, 3]]));
    expect(matches).toHaveLength(12);
    expect(matches.slice(-3).map((m) => [m.entry, m.toolId, m.field, m.nthInRow])).toEqual([
      [4, "t2", "output", 2],
      [4, "t2", "output", 3],
      [4, "t2", "output", 4],
    ]);
  });

  it("ignores case and never counts overlapping occurrences twice", () => {
    expect(countIn("aAaA", "aa")).toBe(2);
    expect(countIn("abc", "")).toBe(0);
    expect(findMatches(sessionTranscript(), "", new Map())).toEqual([]);
  });

  it("keeps the current match when the transcript grows, else takes the first in its row or after", () => {
    const t = sessionTranscript();
    const before = findMatches(t, "needle", new Map());
    const after = findMatches(t, "needle", new Map([[9, 1]]));
    expect(keepPosition(before[6], after)).toBe(6);
    expect(keepPosition({ entry: 3, toolId: null, thought: false, field: "text", nthInRow: 5 }, after)).toBe(6);
    expect(keepPosition({ entry: 9, toolId: null, thought: false, field: "text", nthInRow: 0 }, after)).toBe(after.length - 1);
    expect(keepPosition(undefined, after)).toBe(0);
  });

  it("finds the row of a project search hit: prompt, message, nested tool call", () => {
    const t = sessionTranscript();
    expect(locate(t, { type: "prompt", turn: 1 })).toEqual({ entry: 0, toolId: null, thought: false });
    expect(locate(t, { type: "message", messageId: "m1", part: 0, parent: null, thought: true })).toEqual({ entry: 1, toolId: null, thought: true });
    expect(locate(t, { type: "message", messageId: "m2", part: 0, parent: null, thought: false })?.entry).toBe(3);
    expect(locate(t, { type: "tool", id: "t2" })).toEqual({ entry: 4, toolId: "t2", thought: false });
    expect(locate(t, { type: "tool", id: "gone" })).toBeNull();
    expect(ancestorsOf(t, "t2")).toEqual(["task"]);
  });
});
