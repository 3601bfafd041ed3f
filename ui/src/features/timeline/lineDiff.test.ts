import { describe, expect, it } from "vitest";
import { lineDiff } from "./lineDiff";

describe("lineDiff", () => {
  it("marks removed, added and unchanged lines", () => {
    expect(lineDiff("a\nb\nc", "a\nB\nc")).toEqual([
      { type: "ctx", text: "a" },
      { type: "del", text: "b" },
      { type: "add", text: "B" },
      { type: "ctx", text: "c" },
    ]);
  });

  it("treats an empty side as a new or emptied text", () => {
    expect(lineDiff("", "x\ny\n")).toEqual([
      { type: "add", text: "x" },
      { type: "add", text: "y" },
    ]);
    expect(lineDiff("x", "")).toEqual([{ type: "del", text: "x" }]);
  });

  it("ignores a missing final newline and strips CRs", () => {
    expect(lineDiff("a\r\nb", "a\r\nb\n")).toEqual([
      { type: "ctx", text: "a" },
      { type: "ctx", text: "b" },
    ]);
  });
});
