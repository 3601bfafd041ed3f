// Which of the agent's changes still stand. The log lists rollbacks' ops but not which changes
// each one undid, so this replays the log by content: walking a path's ops newest first from
// what the log last left there, a change whose result is no longer there but whose starting
// point is was undone. The backend decides for real (it leaves undone ops out of a rollback and
// refuses over conflicts); this is what the panel shows and offers before asking it.
import type { FileImage, FileOp } from "../../ipc";

/** Whether two images are the same file: content, size, mode and kind (or both no file). */
export function sameImage(a: FileImage | null | undefined, b: FileImage | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a.hash === b.hash && a.size === b.size && a.mode === b.mode && a.kind === b.kind;
}

/** What each path holds as far as the log knows: the result of the last op on it. */
function lastImages(log: readonly FileOp[]): Map<string, FileImage | null> {
  const images = new Map<string, FileImage | null>();
  for (const op of [...log].sort((a, b) => a.id - b.id)) {
    if (op.kind.type === "rename") images.set(op.kind.from, null);
    images.set(op.path, op.after);
  }
  return images;
}

/**
 * The ops of `ops` that still stand, oldest first: what a revert of them would undo. Changes to
 * paths .gitignore hides are left out, since no rollback touches them.
 */
export function opsInEffect(ops: readonly FileOp[], log: readonly FileOp[]): FileOp[] {
  const now = lastImages(log);
  const standing: FileOp[] = [];
  for (const op of [...ops].sort((a, b) => b.id - a.id)) {
    if (op.ignored) continue;
    const from = op.kind.type === "rename" ? op.kind.from : null;
    const here = now.get(op.path) ?? null;
    // Undone: the op's result is gone and what it started from is back.
    const undone =
      from === null
        ? !sameImage(here, op.after) && sameImage(here, op.before)
        : here === null && sameImage(now.get(from) ?? null, op.before);
    if (undone) continue;
    standing.push(op);
    // Go on from what the path held before this op, as a rollback of it would leave it.
    if (from === null) now.set(op.path, op.before);
    else {
      now.set(op.path, null);
      now.set(from, op.before);
    }
  }
  return standing.reverse();
}
