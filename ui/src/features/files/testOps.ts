// Builders for journal ops in tests: only what a test cares about needs spelling out.
import type { FileImage, FileOp, FileOpSummary, PlanStep, RollbackPlan } from "../../ipc";

/** A regular file of `size` bytes whose content hashes to `hash`. */
export function image(hash: string, size = 10, mode = 0o644, extra: Partial<FileImage> = {}): FileImage {
  return { hash, size, mode, kind: "file", tooLarge: false, ...extra };
}

/** An op of session s1, turn 1, tool call t1: a modify from "a" to "b" unless overridden. */
export function op(overrides: Partial<FileOp> & { id: number; path: string }): FileOp {
  return {
    sessionId: "s1",
    turn: 1,
    toolCallId: "t1",
    kind: { type: "modify" },
    before: image("a"),
    after: image("b"),
    atMs: 0,
    ignored: false,
    rollbackId: null,
    undoneBy: null,
    ...overrides,
  };
}

/** The stream's summary of `o`, with line counts (null for binary). */
export function summary(o: FileOp, added: number | null, removed: number | null): FileOpSummary {
  return {
    id: o.id,
    path: o.path,
    kind: o.kind,
    sizeBefore: o.before?.size ?? null,
    sizeAfter: o.after?.size ?? null,
    linesAdded: added,
    linesRemoved: removed,
    ignored: o.ignored,
    tooLarge: Boolean(o.before?.tooLarge || o.after?.tooLarge),
  };
}

/** One step of a backend plan: a restore of `path` to before turn 1 unless overridden. */
export function planStep(overrides: Partial<PlanStep> & { path: string }): PlanStep {
  return {
    action: "restore",
    current: image("b"),
    target: image("a"),
    op: 1,
    undoes: [1],
    sinceTurn: 1,
    sinceRollback: null,
    ...overrides,
  };
}

/** A backend plan of `steps`, nothing in the way. */
export function plan(steps: PlanStep[], extra: Partial<RollbackPlan> = {}): RollbackPlan {
  return { ops: [...new Set(steps.flatMap((s) => s.undoes))], steps, conflicts: [], notKept: [], skipped: [], ...extra };
}
