// The log's rollback ops taken together per rollback. A redo is journaled as a rollback of the
// rollback's own ops, so the log tells it apart only by what it did: each of its ops mirrors one
// of an earlier rollback (what that one left, it found; what that one found, it left).
import type { FileOp, RollbackId } from "../../ipc";
import { opsInEffect, sameImage } from "./inEffect";

export interface RollbackGroup {
  id: RollbackId;
  /** The ops it made, oldest first. */
  made: FileOp[];
  /** The rollback this one undid, when it was a redo. */
  redoOf: RollbackId | null;
  /** Whether its files are still as it left them (so it can be undone). */
  stands: boolean;
}

/** What a rollback did to a path, by the kind of op it made there. */
export const ROLLBACK_OP_WORDS: Record<FileOp["kind"]["type"], string> = {
  create: "brought back",
  delete: "removed",
  modify: "restored",
  rename: "moved back",
  chmod: "mode restored",
};

/** The rollbacks that made `ops`, oldest first; `log` is the session's whole log. */
export function rollbackGroups(ops: readonly FileOp[], log: readonly FileOp[]): RollbackGroup[] {
  const made = new Map<RollbackId, FileOp[]>();
  for (const op of [...log].sort((a, b) => a.id - b.id)) {
    if (op.rollbackId !== null) made.set(op.rollbackId, [...(made.get(op.rollbackId) ?? []), op]);
  }
  const shown = new Set(ops.map((op) => op.rollbackId));
  return [...made.entries()]
    .filter(([id]) => shown.has(id))
    .map(([id, list]) => ({ id, made: list, redoOf: mirrored(id, list, made), stands: opsInEffect(list, log).length > 0 }));
}

function mirrored(id: RollbackId, list: FileOp[], made: ReadonlyMap<RollbackId, FileOp[]>): RollbackId | null {
  for (const [earlier, theirs] of made) {
    if (earlier >= id || theirs.length !== list.length) continue;
    const mirrors = list.every((op) =>
      theirs.some((their) => their.path === op.path && sameImage(op.before, their.after) && sameImage(op.after, their.before)),
    );
    if (mirrors) return earlier;
  }
  return null;
}
