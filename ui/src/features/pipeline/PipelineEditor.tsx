// The step editor of the New Session dialog's pipeline part: one row per step (role, agent,
// model, the plan's approval, the reviews' blocking severities, instructions), with only the
// edits that keep the order a pipeline needs (see draft.ts).
import {
  addPlan,
  addReview,
  canAddPlan,
  canMove,
  canRemove,
  moveStep,
  removeStep,
  SEVERITIES,
  updateStep,
  type AgentChoice,
  type DraftStep,
} from "./draft";

interface Props {
  steps: DraftStep[];
  onChange: (steps: DraftStep[]) => void;
  /** The agents a step can name. */
  agents: AgentChoice[];
}

const ROLE_LABEL: Record<DraftStep["role"], string> = { plan: "Plan", implement: "Implement", review: "Review" };

/** The rows and the add buttons. */
export function PipelineEditor({ steps, onChange, agents }: Props) {
  const firstAgent = agents[0]?.name ?? "claude";
  return (
    <div className="pipeline-editor" data-testid="pipeline-editor">
      <ol className="pipeline-editor-steps">
        {steps.map((step, i) => (
          <StepRow
            key={i}
            step={step}
            index={i}
            agents={agents}
            onChange={(change) => onChange(updateStep(steps, i, change))}
            onRemove={canRemove(steps, i) ? () => onChange(removeStep(steps, i)) : null}
            onUp={canMove(steps, i, -1) ? () => onChange(moveStep(steps, i, -1)) : null}
            onDown={canMove(steps, i, 1) ? () => onChange(moveStep(steps, i, 1)) : null}
          />
        ))}
      </ol>
      <div className="pipeline-editor-add">
        <button type="button" disabled={!canAddPlan(steps)} onClick={() => onChange(addPlan(steps, firstAgent))} data-testid="pipeline-add-plan">
          Add plan step
        </button>
        <button type="button" onClick={() => onChange(addReview(steps, firstAgent))} data-testid="pipeline-add-review">
          Add review step
        </button>
      </div>
    </div>
  );
}

interface RowProps {
  step: DraftStep;
  index: number;
  agents: AgentChoice[];
  onChange: (change: Partial<Omit<DraftStep, "role">>) => void;
  onRemove: (() => void) | null;
  onUp: (() => void) | null;
  onDown: (() => void) | null;
}

function StepRow({ step, index, agents, onChange, onRemove, onUp, onDown }: RowProps) {
  const n = index + 1;
  // An agent the list does not hold (a configured pipeline's, or one not detected) stays choosable.
  const known = agents.some((a) => a.name === step.agent);
  return (
    <li className="pipeline-editor-step" data-testid={`pipeline-editor-step-${index}`} data-role={step.role}>
      <div className="pipeline-editor-row">
        <strong className="pipeline-editor-role">{ROLE_LABEL[step.role]}</strong>
        <select value={step.agent} onChange={(e) => onChange({ agent: e.target.value })} aria-label={`Step ${n} agent`} data-testid={`pipeline-editor-step-${index}-agent`}>
          {!known && <option value={step.agent}>{step.agent}</option>}
          {agents.map((a) => (
            <option key={a.name} value={a.name}>
              {a.label}
            </option>
          ))}
        </select>
        <input
          value={step.model ?? ""}
          onChange={(e) => onChange({ model: e.target.value || null })}
          placeholder="model (default)"
          aria-label={`Step ${n} model`}
          data-testid={`pipeline-editor-step-${index}-model`}
        />
        <span className="pipeline-editor-moves">
          <button type="button" disabled={!onUp} onClick={() => onUp?.()} aria-label={`Move step ${n} up`} data-testid={`pipeline-editor-step-${index}-up`}>
            ↑
          </button>
          <button type="button" disabled={!onDown} onClick={() => onDown?.()} aria-label={`Move step ${n} down`} data-testid={`pipeline-editor-step-${index}-down`}>
            ↓
          </button>
          <button type="button" disabled={!onRemove} onClick={() => onRemove?.()} aria-label={`Remove step ${n}`} data-testid={`pipeline-editor-step-${index}-remove`}>
            ✕
          </button>
        </span>
      </div>
      {step.role === "plan" && (
        <label className="radio">
          <input type="checkbox" checked={step.approve === "auto"} onChange={(e) => onChange({ approve: e.target.checked ? "auto" : "person" })} data-testid={`pipeline-editor-step-${index}-auto`} />
          Go on without my approval of the plan
        </label>
      )}
      {step.role === "review" && (
        <div className="pipeline-editor-block" data-testid={`pipeline-editor-step-${index}-block`}>
          <span className="hint">Send back:</span>
          {SEVERITIES.map((s) => (
            <label key={s} className="radio">
              <input
                type="checkbox"
                checked={step.blockOn.includes(s)}
                onChange={(e) => onChange({ blockOn: e.target.checked ? SEVERITIES.filter((x) => x === s || step.blockOn.includes(x)) : step.blockOn.filter((x) => x !== s) })}
                data-testid={`pipeline-editor-step-${index}-block-${s}`}
              />
              {s}
            </label>
          ))}
        </div>
      )}
      <input
        className="pipeline-editor-instructions"
        value={step.instructions ?? ""}
        onChange={(e) => onChange({ instructions: e.target.value || null })}
        placeholder="Instructions for this step (optional)"
        aria-label={`Step ${n} instructions`}
        data-testid={`pipeline-editor-step-${index}-instructions`}
      />
    </li>
  );
}
