// Line diffs for Edit/MultiEdit/Write inputs, built on jsdiff.
import { diffLines } from "diff";

/** One line of a diff: added, removed, or unchanged context. */
export interface DiffLine {
  type: "add" | "del" | "ctx";
  text: string;
}

/** Past this, a diff is shown as "all old lines removed, all new lines added". */
const DIFF_TIMEOUT_MS = 300;

/** The line diff from `before` to `after`. An empty `before` (a new file) is all additions. */
export function lineDiff(before: string, after: string): DiffLine[] {
  if (before === "") return toLines(after, "add");
  if (after === "") return toLines(before, "del");
  // Edit snippets are cut from the middle of files: a missing final newline means nothing.
  const changes = diffLines(withNewline(before), withNewline(after), { timeout: DIFF_TIMEOUT_MS });
  if (!changes) return [...toLines(before, "del"), ...toLines(after, "add")];
  return changes.flatMap((change) => toLines(change.value, change.added ? "add" : change.removed ? "del" : "ctx"));
}

function withNewline(text: string): string {
  return text.endsWith("\n") ? text : text + "\n";
}

function toLines(text: string, type: DiffLine["type"]): DiffLine[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines.map((line) => ({ type, text: line.endsWith("\r") ? line.slice(0, -1) : line }));
}

/** A diff line, or a fold standing for `hidden` unchanged lines (0: the break between two edits). */
export type DiffRow = DiffLine | { type: "gap"; hidden: number };

/**
 * Folds runs of unchanged lines longer than `context` lines on each side of a change, as `git
 * diff` does: a whole file's diff is mostly lines nobody needs to read again.
 */
export function foldUnchanged(lines: DiffLine[], context: number): DiffRow[] {
  const rows: DiffRow[] = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i]!.type !== "ctx") {
      rows.push(lines[i++]!);
      continue;
    }
    let end = i;
    while (end < lines.length && lines[end]!.type === "ctx") end++;
    // Context kept after the change before this run and before the change after it.
    const keepHead = i === 0 ? 0 : context;
    const keepTail = end === lines.length ? 0 : context;
    const hidden = end - i - keepHead - keepTail;
    if (hidden > 1) {
      rows.push(...lines.slice(i, i + keepHead), { type: "gap", hidden }, ...lines.slice(end - keepTail, end));
    } else rows.push(...lines.slice(i, end));
    i = end;
  }
  return rows;
}
