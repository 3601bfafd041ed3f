// The per-hunk model of the Files panel: a hunk's lines as rows with their line numbers, a
// selected line range within one hunk, the quote a comment carries, and the revert request of
// some hunks. The hunks themselves (cut, numbered, with the person's decisions) come from the
// backend, so the panel, `warden rollback --hunks` and the journal agree on what hunk 2 is.
import type { FileOp, Hunk, NewHunkComment, OpId } from "../../ipc";
import type { RevertRequest } from "./revertPlan";

/** One line of a hunk as the panel shows it. */
export interface HunkRow {
  mark: "-" | "+";
  /** The line without its ending. */
  text: string;
  /** Its number in the file before ("-") or after ("+"). */
  line: number;
  /**
   * Where it is in the file after: its own number for an added line, the place of the change
   * for a removed one. A comment's range is in these numbers.
   */
  at: number;
}

/** The rows of a hunk: removed lines, then added ones. */
export function hunkRows(hunk: Hunk): HunkRow[] {
  const strip = (l: string) => l.replace(/\r?\n$/, "");
  return [
    ...hunk.removed.map((l, i): HunkRow => ({ mark: "-", text: strip(l), line: hunk.oldStart + i, at: hunk.newStart })),
    ...hunk.added.map((l, i): HunkRow => ({ mark: "+", text: strip(l), line: hunk.newStart + i, at: hunk.newStart + i })),
  ];
}

/** A range of rows (indexes into `hunkRows`) of one hunk, in either order. */
export interface RowRange {
  hunk: number;
  from: number;
  to: number;
}

/** The range after a click on row `row` of hunk `hunk`: shift extends a range in the same hunk. */
export function clickRow(was: RowRange | null, hunk: number, row: number, extend: boolean): RowRange {
  if (extend && was && was.hunk === hunk) return { hunk, from: was.from, to: row };
  return { hunk, from: row, to: row };
}

/** Whether row `row` of hunk `hunk` is in `range`. */
export function inRange(range: RowRange | null, hunk: number, row: number): boolean {
  if (!range || range.hunk !== hunk) return false;
  return row >= Math.min(range.from, range.to) && row <= Math.max(range.from, range.to);
}

/** The rows a comment on `hunk` covers: the selected ones when the selection is in it, else all. */
export function commentedRows(hunk: Hunk, range: RowRange | null): HunkRow[] {
  const rows = hunkRows(hunk);
  if (!range || range.hunk !== hunk.index) return rows;
  return rows.slice(Math.min(range.from, range.to), Math.max(range.from, range.to) + 1);
}

/** The lines (in the file after) `rows` cover, first and last. */
export function lineSpan(rows: readonly HunkRow[]): { startLine: number; endLine: number } {
  const at = rows.map((r) => r.at);
  return { startLine: Math.min(...at), endLine: Math.max(...at) };
}

/** The rows quoted as a unified diff fragment, headed by the hunk's place. */
export function quote(hunk: Hunk, rows: readonly HunkRow[]): string {
  const head = `@@ -${hunk.oldStart},${hunk.removed.length} +${hunk.newStart},${hunk.added.length} @@`;
  return [head, ...rows.map((r) => `${r.mark}${r.text}`)].join("\n") + "\n";
}

/** "lines 3–5" (or "line 3") of a comment's range. */
export function linesWords(startLine: number, endLine: number): string {
  return startLine === endLine ? `line ${startLine}` : `lines ${startLine}\u2013${endLine}`;
}

/** The comment the editor saves for `rows` of `hunk` of `path`, during `task` (the session's latest, if any). */
export function newComment(sessionId: string, task: number | null, path: string, hunk: Hunk, rows: readonly HunkRow[], text: string): NewHunkComment {
  return { sessionId, task, path, ...lineSpan(rows), quote: quote(hunk, rows), text: text.trim() };
}

/** Reverting hunks `numbers` of `path`'s change by `ops`: one partial rollback, confirmed first. */
export function hunkRevertRequest(path: string, ops: readonly FileOp[], numbers: readonly number[]): RevertRequest {
  const ids: OpId[] = ops.map((op) => op.id);
  const which = numbers.length === 1 ? `hunk ${numbers[0]}` : `hunks ${numbers.join(", ")}`;
  return { kind: "revert", title: `Revert ${which} of ${path}`, verb: "Revert", steps: [{ type: "hunks", ops: ids, hunks: [...numbers] }] };
}
