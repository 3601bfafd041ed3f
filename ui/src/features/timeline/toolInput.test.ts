import { describe, expect, it } from "vitest";
import type { JsonValue, ToolInput } from "../../ipc";
import { edit, other, read, shell, write } from "../../model/testInputs";
import { describeInput, isPlanApproval, lineRange } from "./toolInput";

const describe_ = (input: ToolInput, rawInput: JsonValue = {}) => describeInput({ input, rawInput });

describe("describeInput", () => {
  it("reads a shell call as a command", () => {
    expect(describe_(shell("npm test", { description: "Run tests", timeoutMs: 120000 }))).toEqual({
      type: "shell",
      command: "npm test",
      description: "Run tests",
      timeoutMs: 120000,
    });
  });

  it("reads a read as a path and line range", () => {
    expect(describe_(read("/a/b.rs", 10, 50))).toEqual({ type: "read", path: "/a/b.rs", range: "lines 10–59" });
    expect(describe_(read("/a/b.rs"))).toEqual({ type: "read", path: "/a/b.rs", range: null });
  });

  it("reads edits and writes as changes to a file", () => {
    expect(describe_(edit("/f", [["a", "b"]], true))).toEqual({
      type: "edit",
      path: "/f",
      changes: [{ oldText: "a", newText: "b" }],
      replaceAll: true,
      newFile: false,
    });
    expect(describe_(edit("/f", [["a", "b"], ["c", ""]]))).toMatchObject({
      type: "edit",
      changes: [{ oldText: "a", newText: "b" }, { oldText: "c", newText: "" }],
      replaceAll: false,
    });
    expect(describe_(write("/f", "x\ny\n"))).toEqual({
      type: "edit",
      path: "/f",
      changes: [{ oldText: "", newText: "x\ny\n" }],
      replaceAll: false,
      newFile: true,
    });
  });

  it("reads a patch as its files", () => {
    const files = [{ path: "/p/a", action: "update" as const, moveTo: "/p/b", diff: "@@" }];
    expect(describe_({ type: "patch", files })).toEqual({ type: "patch", files });
  });

  it("reads a search, keeping the other flags", () => {
    const search: ToolInput = { type: "search", pattern: "fn main", path: "src", globs: ["*.rs"], options: [["-i", "true"], ["output_mode", "content"]], cwd: null };
    expect(describe_(search)).toEqual({
      type: "search",
      pattern: "fn main",
      path: "src",
      glob: "*.rs",
      options: [
        ["-i", "true"],
        ["output_mode", "content"],
      ],
    });
    expect(describe_({ type: "search", pattern: "**/*.ts", path: null, globs: [], options: [], cwd: null })).toEqual({
      type: "search",
      pattern: "**/*.ts",
      path: null,
      glob: null,
      options: [],
    });
  });

  it("reads a fetch, a web search, a to-do list and a subagent", () => {
    expect(describe_({ type: "fetch", url: "https://x.dev", prompt: "summarise" })).toEqual({ type: "fetch", url: "https://x.dev", prompt: "summarise" });
    expect(describe_({ type: "webSearch", query: "tauri csp" })).toEqual({ type: "webSearch", query: "tauri csp" });
    expect(
      describe_({ type: "todos", items: [{ id: null, content: "a", status: "completed" }, { id: null, content: "b", status: "pending" }] }),
    ).toEqual({
      type: "todos",
      items: [
        { content: "a", status: "completed" },
        { content: "b", status: "pending" },
      ],
    });
    expect(describe_({ type: "subagent", description: "Look", agent: "Explore", prompt: "Find it" })).toEqual({
      type: "task",
      description: "Look",
      agent: "Explore",
      prompt: "Find it",
    });
  });

  it("falls back to the raw input as pretty JSON, and to nothing for an empty one", () => {
    expect(describe_(other({ title: "Bug", labels: ["a"] }))).toEqual({
      type: "json",
      text: '{\n  "title": "Bug",\n  "labels": [\n    "a"\n  ]\n}',
    });
    expect(describe_(other({}))).toEqual({ type: "none" });
    expect(describe_(other(null))).toEqual({ type: "none" });
    expect(describe_(other([1, 2]))).toEqual({ type: "json", text: "[\n  1,\n  2\n]" });
    // A plan or a notebook cell shows as the agent sent it.
    expect(describe_({ type: "plan", plan: "1. x" }, { plan: "1. x" })).toEqual({ type: "json", text: '{\n  "plan": "1. x"\n}' });
  });

  it("knows a plan approval by its input alone", () => {
    expect(isPlanApproval({ type: "plan", plan: null })).toBe(true);
    expect(isPlanApproval(other({ plan: "x" }))).toBe(false);
    expect(isPlanApproval(null)).toBe(false);
  });
});

describe("lineRange", () => {
  it("says which lines a read covers", () => {
    expect(lineRange(null, null)).toBeNull();
    expect(lineRange(5, null)).toBe("from line 5");
    expect(lineRange(null, 20)).toBe("lines 1–20");
  });
});
