// A pipeline being defined in the New Session dialog: its steps as rows and the only edits
// that keep the order `[[pipeline]]` requires (at most one plan step, first; exactly one
// implement step; reviews after it). The backend checks the same rules again with the
// configuration's own code when it starts or saves one; here they hold by construction, so the
// editor offers no edit that would break them.
import type { AgentView, PipelineSpec, PipelineStepSpec, ReviewSeverity } from "../../ipc";
import { agentKey, unusableReason } from "../../model/agentStatus";

/** The severities a review step may block on, worst first. */
export const SEVERITIES: ReviewSeverity[] = ["critical", "high", "medium", "low"];

/** One row of the editor. */
export type DraftStep = PipelineStepSpec;

/** A new step of `role` with the defaults of the file. */
export function newStep(role: DraftStep["role"], agent: string): DraftStep {
  return { role, agent, model: null, approve: "person", blockOn: ["critical", "high"], instructions: null };
}

/** The draft a new definition starts from: plan, implement, review, all with `agent`. */
export function initialDraft(agent = "claude"): DraftStep[] {
  return [newStep("plan", agent), newStep("implement", agent), newStep("review", agent)];
}

/** A configured pipeline's steps as a draft to change. */
export function draftOf(spec: PipelineSpec): DraftStep[] {
  return spec.steps.map((s) => ({ ...s, blockOn: [...s.blockOn] }));
}

/** Whether a plan step can be added (there is none yet). */
export function canAddPlan(steps: DraftStep[]): boolean {
  return !steps.some((s) => s.role === "plan");
}

/** Adds the plan step, which always comes first. */
export function addPlan(steps: DraftStep[], agent: string): DraftStep[] {
  return canAddPlan(steps) ? [newStep("plan", agent), ...steps] : steps;
}

/** Adds a review step at the end (after the implementer, after the other reviews). */
export function addReview(steps: DraftStep[], agent: string): DraftStep[] {
  return [...steps, newStep("review", agent)];
}

/** Whether row `index` can be removed: every step but the one implement step. */
export function canRemove(steps: DraftStep[], index: number): boolean {
  return steps[index] !== undefined && steps[index].role !== "implement";
}

/** Removes row `index` when allowed. */
export function removeStep(steps: DraftStep[], index: number): DraftStep[] {
  return canRemove(steps, index) ? steps.filter((_, i) => i !== index) : steps;
}

/**
 * Whether row `index` can move by `delta` (-1 up, +1 down): only a review step, and only
 * among the reviews (the plan stays first and the implementer before every review).
 */
export function canMove(steps: DraftStep[], index: number, delta: -1 | 1): boolean {
  const other = steps[index + delta];
  return steps[index]?.role === "review" && other?.role === "review";
}

/** Moves row `index` by `delta` when allowed. */
export function moveStep(steps: DraftStep[], index: number, delta: -1 | 1): DraftStep[] {
  const a = steps[index];
  const b = steps[index + delta];
  if (!a || !b || !canMove(steps, index, delta)) return steps;
  const next = [...steps];
  next[index] = b;
  next[index + delta] = a;
  return next;
}

/** Replaces fields of row `index`. */
export function updateStep(steps: DraftStep[], index: number, change: Partial<Omit<DraftStep, "role">>): DraftStep[] {
  return steps.map((s, i) => (i === index ? { ...s, ...change } : s));
}

/**
 * The spec to start or save: `id` and `name` (the id when empty), blank models and
 * instructions as none, the plan's approval and the reviews' `block_on` only where they apply.
 */
export function toSpec(steps: DraftStep[], id: string, name: string, maxRounds: number): PipelineSpec {
  return {
    id: id.trim(),
    name: name.trim() || id.trim(),
    maxRounds,
    steps: steps.map((s) => ({
      role: s.role,
      agent: s.agent.trim(),
      model: s.model?.trim() || null,
      approve: s.role === "plan" ? s.approve : "person",
      blockOn: s.role === "review" ? s.blockOn : ["critical", "high"],
      instructions: s.instructions?.trim() ? s.instructions : null,
    })),
  };
}

/** An agent a step can name, as the configuration spells it. */
export interface AgentChoice {
  /** The name in `agent = "…"`. */
  name: string;
  /** Shown in the list. */
  label: string;
}

/** The detected agents a step can use: usable ones, named as in the file (`claude-acp`, a custom agent's name). */
export function agentChoices(views: AgentView[] | null): AgentChoice[] {
  if (!views) return [{ name: "claude", label: "Claude Code" }];
  return views
    .filter((v) => unusableReason(v) === null)
    .map((v) => ({ name: v.kind === "custom" ? v.name : agentKey(v).replace(/Acp$/, "-acp"), label: v.name }));
}
