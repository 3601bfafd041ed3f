// Pipeline states for the tests, built the way the backend reports them.
import type { PipelineState, PipelineStepState, StepStatus } from "../../ipc";

export function step(role: PipelineStepState["role"], agent: string, status: StepStatus, extra: Partial<PipelineStepState> = {}): PipelineStepState {
  return { role, agent, model: null, sessionId: status === "waiting" ? null : `s-${role}`, status, round: 1, costUsd: null, ...extra };
}

export function state(steps: PipelineStepState[], extra: Partial<PipelineState> = {}): PipelineState {
  return {
    runId: "run-1",
    pipeline: "plan-implement-review",
    name: "Plan, implement, review",
    project: "/p",
    steps,
    current: 0,
    round: 1,
    maxRounds: 3,
    status: { kind: "running" },
    plan: null,
    ...extra,
  };
}
