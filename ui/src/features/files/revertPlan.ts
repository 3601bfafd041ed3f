// What a Revert button asks the backend to do, and the words for what the backend's plan says
// it will change: per path, so the person can check it before anything is touched. The plan
// itself comes from the backend (the one a rollback then carries out), never worked out here.
import type { HunkRevertPlan, OpId, PlanStep, RollbackId, RollbackPlan, RollbackTarget } from "../../ipc";
import type { FileRow } from "./fileRows";
import { formatMode } from "./fileWords";
import { scopeTarget, type FileScope } from "./scope";

/** One request to the backend; a revert may take several, made in order. */
export type RevertStep =
  | { type: "rollback"; target: RollbackTarget }
  | { type: "redo"; id: RollbackId }
  /** Some hunks (numbered from 1) of the change `ops` made to one file. */
  | { type: "hunks"; ops: OpId[]; hunks: number[] };

/** A revert (or redo) the person is asked to confirm, before its plan is read. */
export interface RevertRequest {
  /** "revert" undoes the agent's changes; "redo" undoes a rollback. */
  kind: "revert" | "redo";
  title: string;
  /** The confirm button's word: "Revert", "Redo", "Revert again". */
  verb: string;
  steps: RevertStep[];
}

/** The confirmation's line for one path of the backend's plan. */
export function stepWords(step: PlanStep): string {
  const before = step.sinceRollback === null ? `turn ${step.sinceTurn}` : `rollback ${step.sinceRollback}`;
  switch (step.action) {
    case "restore":
      return `restore ${step.path} to its content before ${before}`;
    case "remove":
      return `remove ${step.path} (it did not exist before ${before})`;
    case "recreate":
      return `bring back ${step.path} as it was before ${before}`;
    case "chmod":
      return `set the mode of ${step.path} back to ${formatMode(step.target?.mode ?? 0)}`;
  }
}

/** The plans of a request's steps taken together, for one confirmation. */
export interface PlanSummary {
  steps: PlanStep[];
  /** Paths changed since: the backend will ask before overwriting them. */
  conflicts: string[];
  /** Paths whose content was too large to keep: the backend refuses to put them back. */
  notKept: string[];
  /** Paths .gitignore hides: left as they are. */
  skipped: string[];
  /** The hunk reverts among the steps: which hunks go back, and which changed since. */
  hunks: HunkRevertPlan[];
}

/** What the plans say, in the order the steps run (`hunks`: the plans of hunk reverts). */
export function summarise(plans: readonly RollbackPlan[], hunks: readonly HunkRevertPlan[] = []): PlanSummary {
  return {
    hunks: [...hunks],
    steps: plans.flatMap((plan) => plan.steps),
    conflicts: distinct(plans.flatMap((plan) => plan.conflicts.map((c) => c.path))),
    notKept: distinct(plans.flatMap((plan) => plan.notKept)),
    skipped: distinct(plans.flatMap((plan) => plan.skipped)),
  };
}

/** Reverting one file: its changes in the scope that still stand, in one rollback. */
export function fileRevertRequest(row: FileRow): RevertRequest {
  return { kind: "revert", title: `Revert ${row.path}`, verb: "Revert", steps: fileSteps(row.standing.map((op) => op.id)) };
}

/**
 * Reverting a whole scope (a turn, a tool call, the session): one request names it all. The
 * changes outside any turn are named by their ops that still stand (`outside`).
 */
export function scopeRevertRequest(scope: FileScope, sessionId: string, outside: readonly number[] = []): RevertRequest {
  return {
    kind: "revert",
    verb: "Revert",
    title: scopeRevertTitle(scope),
    steps: [{ type: "rollback", target: scopeTarget(scope, sessionId, outside) }],
  };
}

function scopeRevertTitle(scope: FileScope): string {
  switch (scope.type) {
    case "session":
      return "Revert the whole session";
    case "turn":
      return `Revert turn ${scope.turn}`;
    case "toolCall":
      return `Revert ${scope.title}`;
    case "outside":
      return "Revert the changes made outside any turn";
  }
}

/**
 * Undoing rollback `id`: the files go back to what it found. When it was itself a redo (of
 * rollback `redoOf`), that means reverting them again.
 */
export function redoRequest(id: RollbackId, redoOf: RollbackId | null): RevertRequest {
  return {
    kind: "redo",
    title: redoOf === null ? `Redo what rollback ${id} undid` : `Revert again what rollback ${redoOf} undid`,
    verb: redoOf === null ? "Redo" : "Revert again",
    steps: [{ type: "redo", id }],
  };
}

/**
 * The target undoing one file's ops: the op itself, or all of them in one rollback, so the file
 * is either back as it was before the first or untouched.
 */
function fileSteps(ids: readonly number[]): RevertStep[] {
  if (ids.length === 1) return [{ type: "rollback", target: { type: "op", id: ids[0]! } }];
  return [{ type: "rollback", target: { type: "ops", ids: [...ids] } }];
}

function distinct(paths: string[]): string[] {
  return [...new Set(paths)].sort();
}
