import { describe, expect, it } from "vitest";
import { foldUnchanged, lineDiff } from "./lineDiff";

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

  it("folds unchanged runs to the context around each change", () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`).join("\n");
    const after = before.replace("line 10", "LINE 10");
    const rows = foldUnchanged(lineDiff(before, after), 2);
    expect(rows.map((r) => (r.type === "gap" ? `… ${r.hidden}` : `${r.type} ${r.text}`))).toEqual([
      "… 8",
      "ctx line 8",
      "ctx line 9",
      "del line 10",
      "add LINE 10",
      "ctx line 11",
      "ctx line 12",
      "… 7",
    ]);
  });
});
