import { describe, expect, it } from "vitest";
import { countLines, cutText } from "./truncate";

describe("cutText", () => {
  it("leaves short text alone", () => {
    expect(cutText("a\nb\n")).toEqual({ shown: "a\nb\n", totalLines: 2, cut: false });
  });

  it("cuts to the first lines", () => {
    const text = Array.from({ length: 10 }, (_, i) => `line ${i}`).join("\n");
    expect(cutText(text, 3, 1000)).toEqual({ shown: "line 0\nline 1\nline 2\n", totalLines: 10, cut: true });
  });

  it("cuts to the character limit at a line end", () => {
    expect(cutText("aaaa\nbbbb\ncccc\n", 100, 12)).toEqual({ shown: "aaaa\nbbbb\n", totalLines: 3, cut: true });
  });

  it("cuts inside one very long line", () => {
    const cut = cutText("x".repeat(50), 100, 10);
    expect(cut).toEqual({ shown: "x".repeat(10), totalLines: 1, cut: true });
  });
});

describe("countLines", () => {
  it("does not count a final newline as a line", () => {
    expect(countLines("")).toBe(0);
    expect(countLines("a")).toBe(1);
    expect(countLines("a\n")).toBe(1);
    expect(countLines("a\nb")).toBe(2);
  });
});
