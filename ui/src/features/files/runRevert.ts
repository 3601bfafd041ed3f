// Carries out a revert's steps in order. The backend refuses a step over conflicts without
// changing anything; the run stops there so the person can look and go on with `force`, which
// then applies to that step only: a later step's conflicts are news and are asked about again.
import { files, type Conflict, type HunkRevertPlan, type IpcError, type Outcome, type RollbackPlan, type RollbackReport } from "../../ipc";
import type { RevertStep } from "./revertPlan";

export type RunResult =
  | { type: "done"; reports: RollbackReport[] }
  /** Step `next` was refused over `conflicts`; the reports are of the steps before it. */
  | { type: "conflicts"; conflicts: Conflict[]; next: number; reports: RollbackReport[] }
  | { type: "failed"; error: IpcError; reports: RollbackReport[] };

/** Runs `steps` from `from` on, after the `reports` of the steps already done. */
export async function runSteps(
  project: string,
  steps: readonly RevertStep[],
  from = 0,
  force = false,
  reports: readonly RollbackReport[] = [],
): Promise<RunResult> {
  const done = [...reports];
  for (let i = from; i < steps.length; i++) {
    const step = steps[i]!;
    const forced = force && i === from;
    const outcome =
      step.type === "rollback"
        ? await files.rollback(project, step.target, forced)
        : step.type === "hunks"
          ? await files.revertHunks(project, step.ops, step.hunks, forced)
          : await files.redo(project, step.id, forced);
    if (!outcome.ok) return { type: "failed", error: outcome.error, reports: done };
    if (outcome.value.type === "conflicts") return { type: "conflicts", conflicts: outcome.value.data, next: i, reports: done };
    done.push(outcome.value.data);
  }
  return { type: "done", reports: done };
}

/** The steps that undo rollbacks just made: newest first, each putting back what it found. */
export function redoSteps(reports: readonly RollbackReport[]): RevertStep[] {
  return [...reports].reverse().map((report) => ({ type: "redo", id: report.id }));
}

/**
 * What each step would do, read from the backend without doing it: the plans the confirmation
 * shows are the ones the rollbacks carry out (unless files change in between, which the backend
 * then refuses over as conflicts).
 */
export async function readPlans(project: string, steps: readonly RevertStep[]): Promise<Outcome<ReadPlans>> {
  const plans: RollbackPlan[] = [];
  const hunks: HunkRevertPlan[] = [];
  for (const step of steps) {
    if (step.type === "hunks") {
      const plan = await files.hunkRevertPlan(project, step.ops, step.hunks);
      if (!plan.ok) return plan;
      hunks.push(plan.value);
      plans.push(plan.value.plan);
      continue;
    }
    const plan = step.type === "rollback" ? await files.rollbackPlan(project, step.target) : await files.redoPlan(project, step.id);
    if (!plan.ok) return plan;
    plans.push(plan.value);
  }
  return { ok: true, value: { plans, hunks } };
}

/** The plans of a request's steps; a hunk revert's also with its hunks. */
export interface ReadPlans {
  plans: RollbackPlan[];
  hunks: HunkRevertPlan[];
}
