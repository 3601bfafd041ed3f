// What a tool call's input looks like in the details view. Each adapter reads its agent's
// protocol into a typed `ToolInput` (a shell command, a file write, an edit, …); here it is only
// shaped for display. What no variant describes is shown as its raw input, as pretty JSON.
import type { FileChange, JsonValue, ToolCall, ToolInput } from "../../ipc";

/** One replacement in a file: `oldText` became `newText`. */
export interface TextChange {
  oldText: string;
  newText: string;
}

/** A tool's input, in the shape the details view shows it. */
export type InputView =
  | { type: "shell"; command: string; description: string | null; timeoutMs: number | null }
  | { type: "read"; path: string; range: string | null }
  | { type: "search"; pattern: string; path: string | null; glob: string | null; options: [string, string][] }
  | { type: "fetch"; url: string; prompt: string | null }
  | { type: "webSearch"; query: string }
  | { type: "edit"; path: string; changes: TextChange[]; replaceAll: boolean; newFile: boolean }
  | { type: "patch"; files: FileChange[] }
  | { type: "todos"; items: { content: string; status: string }[] }
  | { type: "task"; description: string | null; agent: string | null; prompt: string }
  | { type: "json"; text: string }
  | { type: "none" };

/** Whether a call asks the person to approve a plan (and leave plan mode): the one test for it. */
export function isPlanApproval(input: ToolInput | null | undefined): boolean {
  return input?.type === "plan";
}

/** Reads a tool call's typed input for display. */
export function describeInput(call: Pick<ToolCall, "input" | "rawInput">): InputView {
  const input = call.input;
  switch (input.type) {
    case "shell":
      return { type: "shell", command: input.command, description: input.description, timeoutMs: input.timeoutMs };
    case "read":
      return { type: "read", path: input.path, range: lineRange(input.offset, input.limit) };
    case "write":
      // Write replaces the whole file; what was there before is not in the input.
      return { type: "edit", path: input.path, changes: [{ oldText: "", newText: input.content }], replaceAll: false, newFile: true };
    case "edit":
      if (input.edits.length === 0) break;
      return {
        type: "edit",
        path: input.path,
        changes: input.edits.map(({ oldText, newText }) => ({ oldText, newText })),
        replaceAll: input.edits.every((edit) => edit.replaceAll),
        newFile: false,
      };
    case "patch":
      if (input.files.length === 0) break;
      return { type: "patch", files: input.files };
    case "search":
      return { type: "search", pattern: input.pattern, path: input.path, glob: input.globs.length > 0 ? input.globs.join(", ") : null, options: input.options };
    case "fetch":
      return { type: "fetch", url: input.url, prompt: input.prompt };
    case "webSearch":
      return { type: "webSearch", query: input.query };
    case "todos":
      return { type: "todos", items: input.items.map(({ content, status }) => ({ content, status })) };
    case "subagent":
      return { type: "task", description: input.description, agent: input.agent, prompt: input.prompt };
    default:
      break;
  }
  // Anything else (an MCP tool, a notebook cell, a plan, a listing) shows as the agent sent it.
  return rawView(input.type === "other" ? input.raw : call.rawInput);
}

/** "lines 10–59" from a read's 1-based `offset` and `limit`; null when the whole file is read. */
export function lineRange(offset: number | null, limit: number | null): string | null {
  if (offset === null && limit === null) return null;
  if (limit === null) return `from line ${offset}`;
  const first = offset ?? 1;
  return `lines ${first}–${first + limit - 1}`;
}

/** A raw input as pretty JSON; nothing for an empty one. */
export function rawView(raw: JsonValue | null | undefined): InputView {
  if (raw === null || raw === undefined || raw === "") return { type: "none" };
  if (typeof raw === "object" && !Array.isArray(raw) && Object.keys(raw).length === 0) return { type: "none" };
  return { type: "json", text: typeof raw === "string" ? raw : JSON.stringify(raw, null, 2) };
}
