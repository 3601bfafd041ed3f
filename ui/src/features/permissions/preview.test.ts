import { describe, expect, it } from "vitest";
import type { JsonValue, PermissionRequest, ToolInput } from "../../ipc";
import { edit, other, read, shell, write } from "../../model/testInputs";
import { isPlanApproval, previewOf } from "./preview";

const ask = (toolName: string, input: ToolInput, plan: string | null = null, rawInput: JsonValue = {}): PermissionRequest => ({
  requestId: "r",
  toolCallId: null,
  toolName,
  title: "",
  input,
  rawInput,
  blockedPath: null,
  reason: null,
  rawSuggestions: null,
  plan,
});

describe("a question's preview", () => {
  it("reads each kind of call the person decides on", () => {
    expect(previewOf(ask("Bash", shell("ls", { description: "List" })))).toEqual({ type: "shell", command: "ls", description: "List", cwd: null });
    expect(previewOf(ask("Write", write("/a.md", "x")))).toEqual({ type: "write", path: "/a.md", content: "x" });
    expect(previewOf(ask("Edit", edit("/a", [["1", "2"]], true)))).toEqual({
      type: "edit",
      path: "/a",
      changes: [{ oldText: "1", newText: "2" }],
      replaceAll: true,
    });
    expect(previewOf(ask("WebFetch", { type: "fetch", url: "https://x.dev", prompt: "Summarise" }))).toEqual({ type: "fetch", url: "https://x.dev", prompt: "Summarise" });
    expect(previewOf(ask("WebSearch", { type: "webSearch", query: "tauri 2" }))).toEqual({ type: "webSearch", query: "tauri 2" });
    expect(previewOf(ask("Read", read("/a", 2, 3)))).toEqual({ type: "fields", fields: [["file", "/a"], ["range", "lines 2–4"]] });
  });

  it("shows each file of a patch", () => {
    const files = [{ path: "/p/a", action: "delete" as const, moveTo: null, diff: "" }];
    expect(previewOf(ask("Edit", { type: "patch", files }))).toEqual({ type: "patch", files });
  });

  it("reads the folder a command runs in", () => {
    expect(previewOf(ask("Bash", shell("ls", { cwd: "/elsewhere" })))).toMatchObject({ type: "shell", cwd: "/elsewhere" });
    expect(previewOf(ask("Bash", shell("ls", { cwd: "" })))).toMatchObject({ cwd: null });
  });

  it("shows a notebook cell's new source", () => {
    const cell: ToolInput = { type: "notebookEdit", path: "/n.ipynb", source: "print(1)", cellId: "c3", editMode: "replace", cwd: null };
    expect(previewOf(ask("NotebookEdit", cell))).toEqual({
      type: "notebook",
      path: "/n.ipynb",
      source: "print(1)",
      editMode: "replace",
      cell: "c3",
    });
  });

  it("shows a plan approval's plan, from the question or from the input, whatever the tool is called", () => {
    expect(previewOf(ask("ExitPlanMode", { type: "plan", plan: null }, "# Plan"))).toEqual({ type: "plan", markdown: "# Plan" });
    expect(previewOf(ask("ExitPlanMode", { type: "plan", plan: "1. Edit" }))).toEqual({ type: "plan", markdown: "1. Edit" });
    expect(isPlanApproval(ask("exit_plan", { type: "plan", plan: null }))).toBe(true);
    expect(isPlanApproval(ask("ExitPlanMode", other({})))).toBe(false);
  });

  it("falls back to pretty JSON", () => {
    expect(previewOf(ask("mcp__x", other({ a: [1] }), null, { a: [1] }))).toEqual({ type: "json", text: '{\n  "a": [\n    1\n  ]\n}' });
    expect(previewOf(ask("mcp__x", other({})))).toEqual({ type: "json", text: "(no input)" });
  });
});
