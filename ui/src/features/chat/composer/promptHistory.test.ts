import { describe, expect, it } from "vitest";
import { HistoryWalk, onFirstLine, onLastLine, promptsOf } from "./promptHistory";

describe("prompt history", () => {
  it("walks back and forth and returns to what was typed", () => {
    const entries = ["first", "second", "third"];
    const walk = new HistoryWalk();
    expect(walk.down(entries)).toBeNull();
    expect(walk.up(entries, "typing")).toBe("third");
    expect(walk.up(entries, "third")).toBe("second");
    expect(walk.up(entries, "second")).toBe("first");
    expect(walk.up(entries, "first")).toBeNull();
    expect(walk.down(entries)).toBe("second");
    expect(walk.down(entries)).toBe("third");
    expect(walk.down(entries)).toBe("typing");
    expect(walk.down(entries)).toBeNull();
  });

  it("has nothing to recall in a new session", () => {
    expect(new HistoryWalk().up([], "x")).toBeNull();
  });

  it("keeps repeats in a row once and skips blank prompts", () => {
    expect(promptsOf(["a", "a", " ", "b", "a"])).toEqual(["a", "b", "a"]);
  });

  it("recalls only from the first line and goes forward only from the last", () => {
    const text = "one\ntwo";
    expect(onFirstLine(text, 2, 2)).toBe(true);
    expect(onFirstLine(text, 5, 5)).toBe(false);
    expect(onFirstLine(text, 0, 3)).toBe(false);
    expect(onLastLine(text, 5, 5)).toBe(true);
    expect(onLastLine(text, 2, 2)).toBe(false);
  });
});
