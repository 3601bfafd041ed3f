// The log's rollback ops taken together per rollback. The journal records which rollback undid
// each op, so a redo (the rollback of a rollback's own ops) is the one that undid them, and a
// rollback still stands while none of its ops has been undone.
import type { FileOp, RollbackId } from "../../ipc";

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
  // Which rollback each redo undid: the one whose ops it is recorded as undoing.
  const redid = new Map<RollbackId, RollbackId>();
  for (const op of [...log].sort((a, b) => a.id - b.id)) {
    if (op.rollbackId === null) continue;
    made.set(op.rollbackId, [...(made.get(op.rollbackId) ?? []), op]);
    if (op.undoneBy !== null) redid.set(op.undoneBy, op.rollbackId);
  }
  const shown = new Set(ops.map((op) => op.rollbackId));
  return [...made.entries()]
    .filter(([id]) => shown.has(id))
    .map(([id, list]) => ({ id, made: list, redoOf: redid.get(id) ?? null, stands: list.some((op) => op.undoneBy === null) }));
}
