// What a Revert button asks the backend to do, and what the confirmation says it will change:
// per path, in words the person can check before anything is touched.
import type { FileOp, RollbackId, RollbackTarget } from "../../ipc";
import type { FileRow } from "./fileRows";
import { formatMode } from "./fileWords";
import { opsInEffect, sameImage } from "./inEffect";
import { opsInScope, opPaths, scopeTarget, type FileScope } from "./scope";

/** What undoing the changes will do to one path. */
export type PathEffect =
  /** Written back as it was before `before` ("turn 3", "rollback 4"). */
  | { type: "restore"; path: string; before: string }
  | { type: "remove"; path: string; why: string }
  | { type: "bringBack"; path: string }
  | { type: "moveBack"; path: string; from: string }
  | { type: "mode"; path: string; mode: number };

/** One request to the backend; a revert may take several, made in order. */
export type RevertStep = { type: "rollback"; target: RollbackTarget } | { type: "redo"; id: RollbackId };

/** A revert (or redo) the person is asked to confirm. */
export interface RevertPlan {
  /** "revert" undoes the agent's changes; "redo" undoes a rollback. */
  kind: "revert" | "redo";
  title: string;
  /** The confirm button's word: "Revert", "Redo", "Revert again". */
  verb: string;
  steps: RevertStep[];
  effects: PathEffect[];
  /** Paths .gitignore hides: a rollback leaves them as they are. */
  leftAlone: string[];
  /** Paths whose content was too large to keep: the backend cannot put them back. */
  unrestorable: string[];
}

/** The confirmation's line for one path. */
export function effectWords(effect: PathEffect): string {
  switch (effect.type) {
    case "restore":
      return `restore ${effect.path} to its content before ${effect.before}`;
    case "remove":
      return `remove ${effect.path} (${effect.why})`;
    case "bringBack":
      return `bring back ${effect.path}`;
    case "moveBack":
      return `move ${effect.path} back to ${effect.from}`;
    case "mode":
      return `set the mode of ${effect.path} back to ${formatMode(effect.mode)}`;
  }
}

/**
 * What undoing `ops` (oldest first) does to each path. `before` names the moment a path goes
 * back to, from the oldest op undone on it; `createdBy` says who made a file that goes away.
 */
export function effectsOf(ops: readonly FileOp[], before: (op: FileOp) => string, createdBy: string): PathEffect[] {
  const byPath = new Map<string, FileOp[]>();
  for (const op of ops) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op]);
  const effects: PathEffect[] = [];
  for (const [path, list] of byPath) {
    const first = list[0]!;
    const last = list[list.length - 1]!;
    if (sameImage(first.before, last.after) && first.kind.type !== "rename") continue; // made and removed, or changed and changed back: nothing to put back
    if (first.kind.type === "rename") effects.push({ type: "moveBack", path, from: first.kind.from });
    else if (first.before === null) effects.push({ type: "remove", path, why: createdBy });
    else if (last.after === null) effects.push({ type: "bringBack", path });
    else if (first.before.hash !== null && sameImage({ ...last.after, mode: first.before.mode }, first.before)) {
      effects.push({ type: "mode", path, mode: first.before.mode });
    } else effects.push({ type: "restore", path, before: before(first) });
  }
  return effects.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Reverting one file: its changes in the scope that still stand. */
export function fileRevertPlan(row: FileRow): RevertPlan {
  return {
    kind: "revert",
    title: `Revert ${row.path}`,
    verb: "Revert",
    steps: fileSteps(row.standing),
    ...agentEffects(row.standing, row.ops),
  };
}

/** Reverting a whole scope (a turn, a tool call, the session): one request names it all. */
export function scopeRevertPlan(scope: FileScope, log: readonly FileOp[], sessionId: string): RevertPlan {
  const ops = opsInScope(log, scope);
  return {
    kind: "revert",
    verb: "Revert",
    title: scope.type === "session" ? "Revert the whole session" : scope.type === "turn" ? `Revert turn ${scope.turn}` : `Revert ${scope.title}`,
    steps: [{ type: "rollback", target: scopeTarget(scope, sessionId) }],
    ...agentEffects(opsInEffect(ops, log), ops),
  };
}

/**
 * Undoing rollback `id`: the files go back to what it found. When it was itself a redo (of
 * rollback `redoOf`), that means reverting them again.
 */
export function redoPlan(id: RollbackId, madeOps: readonly FileOp[], redoOf: RollbackId | null): RevertPlan {
  const name = redoOf === null ? `rollback ${id}` : `the redo of rollback ${redoOf}`;
  return {
    kind: "redo",
    title: redoOf === null ? `Redo what rollback ${id} undid` : `Revert again what rollback ${redoOf} undid`,
    verb: redoOf === null ? "Redo" : "Revert again",
    steps: [{ type: "redo", id }],
    effects: effectsOf(madeOps, () => name, `${name} brought it back`),
    leftAlone: [],
    unrestorable: [],
  };
}

/** What undoing the agent's `standing` ops does, of `all` the ops asked about. */
function agentEffects(standing: readonly FileOp[], all: readonly FileOp[]): Pick<RevertPlan, "effects" | "leftAlone" | "unrestorable"> {
  return {
    effects: effectsOf(standing, (op) => `turn ${op.turn}`, "the agent created it"),
    leftAlone: distinct(all.filter((op) => op.ignored).flatMap(opPaths)),
    unrestorable: distinct(standing.filter((op) => op.before?.tooLarge || op.after?.tooLarge).flatMap(opPaths)),
  };
}

/**
 * The target undoing one file's ops: the op itself, or all of them in one rollback, so the file
 * is either back as it was before the first or untouched.
 */
function fileSteps(ops: readonly FileOp[]): RevertStep[] {
  if (ops.length === 1) return [{ type: "rollback", target: { type: "op", id: ops[0]!.id } }];
  return [{ type: "rollback", target: { type: "ops", ids: ops.map((op) => op.id) } }];
}

function distinct(paths: string[]): string[] {
  return [...new Set(paths)].sort();
}
