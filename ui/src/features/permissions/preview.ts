// What a permission question shows about the call it asks for, per kind of call: the command to
// run and its folder, the file to write and its content, the edit as a diff, the URL. Everything
// is read from the question's typed input (`ToolInput`), as the timeline's details read it
// (`describeInput`); a notebook cell and a plan approval are only asked about, so they are read
// here.
import type { FileChange, PermissionRequest } from "../../ipc";
import { describeInput, isPlanApproval as plans, type TextChange } from "../timeline/toolInput";

/** A question's preview, in the shape the modal draws it. */
export type Preview =
  | { type: "shell"; command: string; description: string | null; cwd: string | null }
  | { type: "write"; path: string; content: string }
  | { type: "edit"; path: string; changes: TextChange[]; replaceAll: boolean }
  | { type: "patch"; files: FileChange[] }
  | { type: "notebook"; path: string; source: string; editMode: string | null; cell: string | null }
  | { type: "fetch"; url: string; prompt: string | null }
  | { type: "webSearch"; query: string }
  | { type: "fields"; fields: [label: string, value: string][] }
  | { type: "plan"; markdown: string }
  | { type: "json"; text: string };

/** Whether the question is a plan approval, answered differently. */
export function isPlanApproval(request: PermissionRequest): boolean {
  return plans(request.input);
}

/** Reads a question's input for its preview. */
export function previewOf(request: PermissionRequest): Preview {
  const input = request.input;
  if (input.type === "plan") {
    const plan = request.plan ?? input.plan;
    if (plan !== null) return { type: "plan", markdown: plan };
  }
  if (input.type === "notebookEdit" && input.path !== "") {
    return { type: "notebook", path: input.path, source: input.source, editMode: input.editMode, cell: input.cellId };
  }
  const view = describeInput(request);
  switch (view.type) {
    case "shell":
      return { type: "shell", command: view.command, description: view.description, cwd: input.type === "shell" ? nonEmpty(input.cwd) : null };
    case "edit": {
      const [only] = view.changes;
      if (view.newFile && only) return { type: "write", path: view.path, content: only.newText };
      return { type: "edit", path: view.path, changes: view.changes, replaceAll: view.replaceAll };
    }
    case "patch":
      return { type: "patch", files: view.files };
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
    default: {
      const raw = request.rawInput;
      return { type: "json", text: typeof raw === "string" ? raw : JSON.stringify(raw, null, 2) };
    }
  }
}

/** The folder a command says it runs in; null when it names none: it runs in the project folder. */
function nonEmpty(cwd: string | null): string | null {
  return cwd === null || cwd === "" ? null : cwd;
}

function present(fields: [string, string | null][]): [string, string][] {
  return fields.filter((f): f is [string, string] => f[1] !== null);
}
