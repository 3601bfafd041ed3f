// What a permission question shows about the call it asks for, per tool: the command to run,
// the file to write and its content, the edit as a diff, the URL. Most tools read the same way
// the timeline's details read them (`describeInput`); a notebook cell and a plan approval are
// only asked about, so they are read here.
import type { JsonValue, PermissionRequest } from "../../ipc";
import { describeInput, type TextChange } from "../timeline/toolInput";

/** A question's preview, in the shape the modal draws it. */
export type Preview =
  | { type: "shell"; command: string; description: string | null; cwd: string | null }
  | { type: "write"; path: string; content: string }
  | { type: "edit"; path: string; changes: TextChange[]; replaceAll: boolean }
  | { type: "notebook"; path: string; source: string; editMode: string | null; cell: string | null }
  | { type: "fetch"; url: string; prompt: string | null }
  | { type: "webSearch"; query: string }
  | { type: "fields"; fields: [label: string, value: string][] }
  | { type: "plan"; markdown: string }
  | { type: "json"; text: string };

/** Whether the question is a plan approval (Claude's `ExitPlanMode`), answered differently. */
export function isPlanApproval(request: PermissionRequest): boolean {
  return request.toolName === "ExitPlanMode";
}

/** Reads a question's input for its preview. */
export function previewOf(request: PermissionRequest): Preview {
  const input = request.rawInput;
  if (isPlanApproval(request)) {
    const plan = request.plan ?? field(input, "plan");
    if (plan !== null) return { type: "plan", markdown: plan };
  }
  if (request.toolName === "NotebookEdit") {
    const path = field(input, "notebook_path");
    if (path !== null) {
      return { type: "notebook", path, source: field(input, "new_source") ?? "", editMode: field(input, "edit_mode"), cell: field(input, "cell_id") };
    }
  }
  // A question carries no tool kind; the tool's name tells the tools apart.
  const view = describeInput({ name: request.toolName, kind: "other", rawInput: input });
  switch (view.type) {
    case "shell":
      return { type: "shell", command: view.command, description: view.description, cwd: workingFolder(input) };
    case "edit": {
      const [only] = view.changes;
      if (view.newFile && only) return { type: "write", path: view.path, content: only.newText };
      return { type: "edit", path: view.path, changes: view.changes, replaceAll: view.replaceAll };
    }
    case "fetch":
      return { type: "fetch", url: view.url, prompt: view.prompt };
    case "webSearch":
      return { type: "webSearch", query: view.query };
    case "read":
      return { type: "fields", fields: present([["file", view.path], ["range", view.range]]) };
    case "search":
      return { type: "fields", fields: present([["pattern", view.pattern], ["in", view.path], ["glob", view.glob]]) };
    case "none":
      return { type: "json", text: "(no input)" };
    default:
      return { type: "json", text: typeof input === "string" ? input : JSON.stringify(input, null, 2) };
  }
}

/**
 * The folder a command says it runs in: `cwd` (Codex, and the shared tool-call shape), else
 * Codex's `workdir` or Gemini's `dir_path`. Null when the input names none: it runs in the
 * project folder.
 */
function workingFolder(input: JsonValue): string | null {
  for (const key of ["cwd", "workdir", "dir_path"]) {
    const value = field(input, key);
    if (value !== null && value !== "") return value;
  }
  return null;
}

function present(fields: [string, string | null][]): [string, string][] {
  return fields.filter((f): f is [string, string] => f[1] !== null);
}

function field(input: JsonValue, key: string): string | null {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return null;
  const value = input[key];
  return typeof value === "string" ? value : null;
}
