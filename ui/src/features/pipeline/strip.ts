// Words and numbers of the pipeline strip, kept apart from the components so they can be tested
// without rendering.
import type { PipelineState, PipelineStatus, PipelineStepState, StepStatus } from "../../ipc";

/** A chip's mark for a step's status. */
const MARKS: Record<StepStatus, string> = {
  waiting: "",
  running: "…",
  awaitingApproval: "awaiting approval",
  done: "✓",
  changesRequested: "changes requested",
  failed: "✗",
  skipped: "skipped",
};

/** A step as one chip's text: `implement · codex round 2 …`. */
export function stepLabel(step: PipelineStepState): string {
  const round = step.role !== "plan" && step.round > 1 ? ` round ${step.round}` : "";
  const mark = MARKS[step.status];
  return `${step.role} · ${step.agent}${round}${mark ? ` ${mark}` : ""}`;
}

/** What every step cost so far, or null when no agent reported a cost. */
export function totalCost(state: PipelineState): number | null {
  const costs = state.steps.map((s) => s.costUsd).filter((c): c is number => c !== null);
  return costs.length ? costs.reduce((a, b) => a + b, 0) : null;
}

/** Dollars as the window shows them elsewhere. */
export function dollars(usd: number): string {
  return usd < 0.01 && usd > 0 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

/** The pipeline's status in a few words. */
export function statusText(status: PipelineStatus): string {
  switch (status.kind) {
    case "running":
      return "running";
    case "awaitingApproval":
      return "the plan waits for your approval";
    case "passed":
      return "passed";
    case "failed":
      return `failed: ${status.reason}`;
    case "notPassed":
      return `not passed: ${status.reason}`;
  }
}

/** Whether the run has ended. */
export function ended(state: PipelineState): boolean {
  return state.status.kind === "passed" || state.status.kind === "failed" || state.status.kind === "notPassed";
}

/** Replaces the run of `state` in `runs` (or adds it), keeping the order they started in. */
export function mergeRun(runs: PipelineState[], state: PipelineState): PipelineState[] {
  const at = runs.findIndex((r) => r.runId === state.runId);
  if (at < 0) return [...runs, state];
  const next = runs.slice();
  next[at] = state;
  return next;
}
