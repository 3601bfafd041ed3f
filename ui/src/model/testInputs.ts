// Typed tool inputs for tests: a shell command, a file written or edited, a read, anything else.
// The adapters build these from each agent's protocol; a test spells out only what it needs.
import type { JsonValue, ToolInput } from "../ipc";

/** A shell command, with its folder, description or timeout when given. */
export function shell(command: string, more: { cwd?: string | null; description?: string | null; timeoutMs?: number | null } = {}): ToolInput {
  return { type: "shell", command, cwd: more.cwd ?? null, description: more.description ?? null, timeoutMs: more.timeoutMs ?? null };
}

/** A whole file written. */
export function write(path: string, content: string): ToolInput {
  return { type: "write", path, content, cwd: null };
}

/** Replacements in a file, each `[old, new]`. */
export function edit(path: string, edits: [string, string][], replaceAll = false): ToolInput {
  return { type: "edit", path, edits: edits.map(([oldText, newText]) => ({ oldText, newText, replaceAll })), cwd: null };
}

/** A file read, from `offset` for `limit` lines when given. */
export function read(path: string, offset: number | null = null, limit: number | null = null): ToolInput {
  return { type: "read", path, offset, limit, cwd: null };
}

/** A tool no variant describes, with its raw input. */
export function other(raw: JsonValue = null): ToolInput {
  return { type: "other", raw };
}
