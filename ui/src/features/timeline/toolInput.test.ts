import { describe, expect, it } from "vitest";
import type { JsonValue, ToolKind } from "../../ipc";
import { describeInput, lineRange } from "./toolInput";

const describe_ = (name: string, kind: ToolKind, rawInput: JsonValue) => describeInput({ name, kind, rawInput });

describe("describeInput", () => {
  it("reads Bash as a shell command", () => {
    expect(describe_("Bash", "execute", { command: "npm test", description: "Run tests", timeout: 120000 })).toEqual({
      type: "shell",
      command: "npm test",
      description: "Run tests",
      timeoutMs: 120000,
    });
  });

  it("reads Read as a path and line range", () => {
    expect(describe_("Read", "read", { file_path: "/a/b.rs", offset: 10, limit: 50 })).toEqual({
      type: "read",
      path: "/a/b.rs",
      range: "lines 10–59",
    });
    expect(describe_("Read", "read", { file_path: "/a/b.rs" })).toEqual({ type: "read", path: "/a/b.rs", range: null });
  });

  it("reads Edit, MultiEdit and Write as changes to a file", () => {
    expect(describe_("Edit", "edit", { file_path: "/f", old_string: "a", new_string: "b", replace_all: true })).toEqual({
      type: "edit",
      path: "/f",
      changes: [{ oldText: "a", newText: "b" }],
      replaceAll: true,
      newFile: false,
    });
    const multi = describe_("MultiEdit", "edit", {
      file_path: "/f",
      edits: [{ old_string: "a", new_string: "b" }, { bogus: 1 }, { old_string: "c", new_string: "" }],
    });
    expect(multi).toMatchObject({ type: "edit", changes: [{ oldText: "a", newText: "b" }, { oldText: "c", newText: "" }] });
    expect(describe_("Write", "edit", { file_path: "/f", content: "x\ny\n" })).toEqual({
      type: "edit",
      path: "/f",
      changes: [{ oldText: "", newText: "x\ny\n" }],
      replaceAll: false,
      newFile: true,
    });
  });

  it("reads Grep and Glob as a search, keeping the other flags", () => {
    expect(describe_("Grep", "search", { pattern: "fn main", path: "src", glob: "*.rs", "-i": true, output_mode: "content" })).toEqual({
      type: "search",
      pattern: "fn main",
      path: "src",
      glob: "*.rs",
      options: [
        ["-i", "true"],
        ["output_mode", "content"],
      ],
    });
    expect(describe_("Glob", "search", { pattern: "**/*.ts" })).toEqual({ type: "search", pattern: "**/*.ts", path: null, glob: null, options: [] });
  });

  it("reads WebFetch, WebSearch, TodoWrite and Task", () => {
    expect(describe_("WebFetch", "fetch", { url: "https://x.dev", prompt: "summarise" })).toEqual({
      type: "fetch",
      url: "https://x.dev",
      prompt: "summarise",
    });
    expect(describe_("WebSearch", "fetch", { query: "tauri csp" })).toEqual({ type: "webSearch", query: "tauri csp" });
    expect(
      describe_("TodoWrite", "think", { todos: [{ content: "a", status: "completed", activeForm: "A-ing" }, { content: "b" }] }),
    ).toEqual({
      type: "todos",
      items: [
        { content: "a", status: "completed" },
        { content: "b", status: "pending" },
      ],
    });
    expect(describe_("Task", "think", { description: "Look", prompt: "Find it", subagent_type: "Explore" })).toEqual({
      type: "task",
      description: "Look",
      agent: "Explore",
      prompt: "Find it",
    });
  });

  it("tells tools of other agents apart by kind and shape", () => {
    expect(describe_("shell", "execute", { command: "ls" })).toMatchObject({ type: "shell", command: "ls" });
    expect(describe_("read_file", "read", { file_path: "/x" })).toMatchObject({ type: "read", path: "/x" });
  });

  it("falls back to pretty JSON, and to nothing for an empty input", () => {
    expect(describe_("mcp__github__create_issue", "other", { title: "Bug", labels: ["a"] })).toEqual({
      type: "json",
      text: '{\n  "title": "Bug",\n  "labels": [\n    "a"\n  ]\n}',
    });
    expect(describe_("Bash", "execute", {})).toEqual({ type: "none" });
    expect(describe_("Bash", "execute", null)).toEqual({ type: "none" });
    expect(describe_("Other", "other", [1, 2])).toEqual({ type: "json", text: "[\n  1,\n  2\n]" });
    // Wrongly typed fields are not trusted.
    expect(describe_("Bash", "execute", { command: 42 })).toMatchObject({ type: "json" });
  });
});

describe("lineRange", () => {
  it("says which lines a Read covers", () => {
    expect(lineRange(null, null)).toBeNull();
    expect(lineRange(5, null)).toBe("from line 5");
    expect(lineRange(null, 20)).toBe("lines 1–20");
  });
});
