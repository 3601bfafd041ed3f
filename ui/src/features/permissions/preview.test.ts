import { describe, expect, it } from "vitest";
import type { PermissionRequest } from "../../ipc";
import { previewOf } from "./preview";

const ask = (toolName: string, rawInput: PermissionRequest["rawInput"], plan: string | null = null): PermissionRequest => ({
  requestId: "r",
  toolCallId: null,
  toolName,
  title: "",
  rawInput,
  blockedPath: null,
  reason: null,
  rawSuggestions: null,
  plan,
});

describe("a question's preview", () => {
  it("reads each tool the person decides on", () => {
    expect(previewOf(ask("Bash", { command: "ls", description: "List" }))).toEqual({ type: "shell", command: "ls", description: "List", cwd: null });
    expect(previewOf(ask("Write", { file_path: "/a.md", content: "x" }))).toEqual({ type: "write", path: "/a.md", content: "x" });
    expect(previewOf(ask("Edit", { file_path: "/a", old_string: "1", new_string: "2", replace_all: true }))).toEqual({
      type: "edit",
      path: "/a",
      changes: [{ oldText: "1", newText: "2" }],
      replaceAll: true,
    });
    expect(previewOf(ask("WebFetch", { url: "https://x.dev", prompt: "Summarise" }))).toEqual({ type: "fetch", url: "https://x.dev", prompt: "Summarise" });
    expect(previewOf(ask("WebSearch", { query: "tauri 2" }))).toEqual({ type: "webSearch", query: "tauri 2" });
    expect(previewOf(ask("Read", { file_path: "/a", offset: 2, limit: 3 }))).toEqual({ type: "fields", fields: [["file", "/a"], ["range", "lines 2–4"]] });
  });

  it("reads the folder a command runs in, by each agent's name for it", () => {
    const shell = (input: PermissionRequest["rawInput"]) => previewOf(ask("Bash", input));
    expect(shell({ command: "ls", cwd: "/elsewhere" })).toMatchObject({ type: "shell", cwd: "/elsewhere" });
    expect(shell({ command: "ls", workdir: "../up" })).toMatchObject({ cwd: "../up" });
    expect(shell({ command: "ls", dir_path: "sub" })).toMatchObject({ cwd: "sub" });
    expect(shell({ command: "ls", cwd: "", workdir: "w" })).toMatchObject({ cwd: "w" });
    expect(shell({ command: "ls", cwd: 3 })).toMatchObject({ cwd: null });
  });

  it("shows a notebook cell's new source", () => {
    expect(previewOf(ask("NotebookEdit", { notebook_path: "/n.ipynb", new_source: "print(1)", cell_id: "c3", edit_mode: "replace" }))).toEqual({
      type: "notebook",
      path: "/n.ipynb",
      source: "print(1)",
      editMode: "replace",
      cell: "c3",
    });
  });

  it("shows a plan approval's plan, from the question or from the input", () => {
    expect(previewOf(ask("ExitPlanMode", {}, "# Plan"))).toEqual({ type: "plan", markdown: "# Plan" });
    expect(previewOf(ask("ExitPlanMode", { plan: "1. Edit" }))).toEqual({ type: "plan", markdown: "1. Edit" });
  });

  it("falls back to pretty JSON", () => {
    expect(previewOf(ask("mcp__x", { a: [1] }))).toEqual({ type: "json", text: '{\n  "a": [\n    1\n  ]\n}' });
  });
});
