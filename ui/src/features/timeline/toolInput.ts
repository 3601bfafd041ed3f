// What a tool call's raw input means, per tool. The input is whatever the agent sent, so every
// field is checked before use; anything unrecognised falls back to pretty JSON.
import type { JsonValue, ToolCall } from "../../ipc";

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
  | { type: "todos"; items: { content: string; status: string }[] }
  | { type: "task"; description: string | null; agent: string | null; prompt: string }
  | { type: "json"; text: string }
  | { type: "none" };

type JsonObject = { [key in string]: JsonValue };

/** Reads a tool call's input for display. Tools are told apart by name, then by input shape. */
export function describeInput(call: Pick<ToolCall, "name" | "kind" | "rawInput">): InputView {
  const input = call.rawInput;
  if (!isObject(input)) {
    if (input === null || input === undefined || input === "") return { type: "none" };
    return { type: "json", text: prettyJson(input) };
  }
  if (Object.keys(input).length === 0) return { type: "none" };
  const name = call.name;

  const command = str(input, "command");
  if (command !== null && (name === "Bash" || call.kind === "execute")) {
    return { type: "shell", command, description: str(input, "description"), timeoutMs: num(input, "timeout") };
  }

  const path = str(input, "file_path") ?? str(input, "notebook_path");
  if (path !== null) {
    const oldText = str(input, "old_string");
    const newText = str(input, "new_string");
    if (oldText !== null && newText !== null) {
      return { type: "edit", path, changes: [{ oldText, newText }], replaceAll: input.replace_all === true, newFile: false };
    }
    if (Array.isArray(input.edits)) {
      const changes = input.edits.filter(isObject).flatMap((edit) => {
        const before = str(edit, "old_string");
        const after = str(edit, "new_string");
        return before !== null && after !== null ? [{ oldText: before, newText: after }] : [];
      });
      if (changes.length > 0) return { type: "edit", path, changes, replaceAll: false, newFile: false };
    }
    const content = str(input, "content");
    // Write replaces the whole file; what was there before is not in the input.
    if (content !== null && (name === "Write" || call.kind === "edit")) {
      return { type: "edit", path, changes: [{ oldText: "", newText: content }], replaceAll: false, newFile: true };
    }
    if (name === "Read" || call.kind === "read") {
      return { type: "read", path, range: lineRange(num(input, "offset"), num(input, "limit")) };
    }
  }

  const pattern = str(input, "pattern");
  if (pattern !== null && (name === "Grep" || name === "Glob" || call.kind === "search")) {
    const shown = new Set(["pattern", "path", "glob"]);
    // The rest are flags such as `-i`, `output_mode`, `type`: shown briefly, not hidden.
    const options = Object.entries(input)
      .filter(([key, value]) => !shown.has(key) && value !== null && typeof value !== "object")
      .map(([key, value]): [string, string] => [key, String(value)]);
    return { type: "search", pattern, path: str(input, "path"), glob: str(input, "glob"), options };
  }

  const url = str(input, "url");
  if (url !== null) return { type: "fetch", url, prompt: str(input, "prompt") };

  const query = str(input, "query");
  if (query !== null && (name === "WebSearch" || Object.keys(input).length === 1)) return { type: "webSearch", query };

  if (Array.isArray(input.todos)) {
    const items = input.todos.filter(isObject).map((todo) => ({
      content: str(todo, "content") ?? str(todo, "subject") ?? "",
      status: str(todo, "status") ?? "pending",
    }));
    return { type: "todos", items };
  }

  const prompt = str(input, "prompt");
  if (prompt !== null && (name === "Task" || name === "Agent" || str(input, "subagent_type") !== null)) {
    return { type: "task", description: str(input, "description"), agent: str(input, "subagent_type"), prompt };
  }

  return { type: "json", text: prettyJson(input) };
}

/** "lines 10–59" from Read's 1-based `offset` and `limit`; null when the whole file is read. */
export function lineRange(offset: number | null, limit: number | null): string | null {
  if (offset === null && limit === null) return null;
  if (limit === null) return `from line ${offset}`;
  const first = offset ?? 1;
  return `lines ${first}–${first + limit - 1}`;
}

function prettyJson(value: JsonValue): string {
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(object: JsonObject, key: string): string | null {
  const value = object[key];
  return typeof value === "string" ? value : null;
}

function num(object: JsonObject, key: string): number | null {
  const value = object[key];
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}
