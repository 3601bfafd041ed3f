// The Files panel's list: the agent's ops of a scope taken together per path, each with what
// happened to it overall, its line counts and the tool calls that made it.
import type { FileOp, FileOpSummary, OpKind } from "../../ipc";
import { formatSize } from "./fileWords";

/** Line counts when both sides were kept as text, or why there are none. */
export type LineCount =
  | { type: "lines"; added: number; removed: number }
  | { type: "binary" }
  | { type: "symlink" }
  /** The stream's summaries of these ops were not read (they come with the session's events). */
  | { type: "sizes"; before: number | null; after: number | null }
  /** Nothing to count: content not kept (too large, or .gitignore hides the path). */
  | { type: "none" };

/** One path the scope changed. */
export interface FileRow {
  path: string;
  /** The agent's ops on it in the scope, oldest first. */
  ops: FileOp[];
  /** What happened to it overall. */
  kind: OpKind["type"];
  /** Where it was, when it was renamed here. */
  from: string | null;
  /** Created and removed again within the scope. */
  transient: boolean;
  ignored: boolean;
  /** Its content before or after was over the size cap, so it was not kept. */
  tooLarge: boolean;
  lines: LineCount;
  /** The tool calls that made the ops, in order (null: outside any tool call). */
  toolCalls: (string | null)[];
  /** The ops no rollback has undone (as the journal records), oldest first: what Revert would undo. */
  standing: FileOp[];
}

/** The rows of a scope: changed files, and apart from them the paths .gitignore hides. */
export interface FileRows {
  changed: FileRow[];
  ignored: FileRow[];
}

/**
 * Groups `ops` (the agent's ops of a scope) by path; `summaries` are the stream's summaries by
 * op id, for line counts.
 */
export function fileRows(ops: readonly FileOp[], summaries: ReadonlyMap<number, FileOpSummary>): FileRows {
  const byPath = new Map<string, FileOp[]>();
  for (const op of [...ops].sort((a, b) => a.id - b.id)) {
    const list = byPath.get(op.path);
    if (list) list.push(op);
    else byPath.set(op.path, [op]);
  }
  const rows = [...byPath.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, list]) => row(path, list, summaries));
  return { changed: rows.filter((r) => !r.ignored), ignored: rows.filter((r) => r.ignored) };
}

function row(path: string, ops: FileOp[], summaries: ReadonlyMap<number, FileOpSummary>): FileRow {
  const first = ops[0]!;
  const last = ops[ops.length - 1]!;
  const created = first.before === null;
  const gone = last.after === null;
  let kind: OpKind["type"] = "modify";
  if (created) kind = "create";
  else if (gone) kind = "delete";
  else if (first.kind.type === "rename") kind = "rename";
  else if (ops.every((op) => op.kind.type === "chmod")) kind = "chmod";
  const ignored = ops.every((op) => op.ignored);
  const tooLarge = ops.some((op) => op.before?.tooLarge || op.after?.tooLarge || summaries.get(op.id)?.tooLarge);
  return {
    path,
    ops,
    kind,
    from: kind === "rename" && first.kind.type === "rename" ? first.kind.from : null,
    transient: created && gone,
    ignored,
    tooLarge,
    lines: ignored || tooLarge ? { type: "none" } : lineCount(ops, summaries),
    toolCalls: [...new Set(ops.map((op) => op.toolCallId))],
    // The journal says which rollback undid an op; .gitignore'd ones no rollback touches.
    standing: ops.filter((op) => op.undoneBy === null && !op.ignored),
  };
}

function lineCount(ops: FileOp[], summaries: ReadonlyMap<number, FileOpSummary>): LineCount {
  if (ops.some((op) => op.before?.kind === "symlink" || op.after?.kind === "symlink")) return { type: "symlink" };
  const known = ops.map((op) => summaries.get(op.id));
  if (known.some((s) => s === undefined)) {
    return { type: "sizes", before: ops[0]!.before?.size ?? null, after: ops[ops.length - 1]!.after?.size ?? null };
  }
  let added = 0;
  let removed = 0;
  for (const s of known) {
    if (s?.linesAdded == null || s.linesRemoved == null) return { type: "binary" };
    added += s.linesAdded;
    removed += s.linesRemoved;
  }
  return { type: "lines", added, removed };
}

/** "created", "modified", "renamed from src/old.rs", …: what happened to the file. */
export function statusWords(row: Pick<FileRow, "kind" | "from" | "transient" | "ignored">): string {
  if (row.ignored) return "ignored by .gitignore";
  switch (row.kind) {
    case "create":
      return row.transient ? "created, then deleted" : "created";
    case "modify":
      return "modified";
    case "delete":
      return "deleted";
    case "rename":
      return `renamed from ${row.from ?? "elsewhere"}`;
    case "chmod":
      return "mode changed";
  }
}

/** The size change, for a file whose lines were not counted: "1.2 KB → 1.4 KB". */
export function sizeWords(before: number | null, after: number | null): string {
  return `${before === null ? "none" : formatSize(before)} → ${after === null ? "none" : formatSize(after)}`;
}
