// One strip on top of the session view per pipeline run of the project: its steps as chips
// (each opens its session), the round, what it cost, how it stands, and the plan's approval.
import { useEffect, useRef, useState } from "react";
import { pipelines, type PipelineState } from "../../ipc";
import { PlanApprovalDialog } from "./PlanApprovalDialog";
import { dollars, ended, stepLabel, statusText, totalCost } from "./strip";
import "./pipeline.css";

interface Props {
  /** The run. */
  state: PipelineState;
  /** Opens a step's session in a tab. */
  onOpen: (sessionId: string) => void;
  /** Hides an ended run's strip. */
  onDismiss?: () => void;
}

/** The strip of one run. */
export function PipelineStrip({ state, onOpen, onDismiss }: Props) {
  const [approving, setApproving] = useState(false);
  const waiting = state.status.kind === "awaitingApproval" ? state.status.plan : null;
  // The plan's dialog opens by itself once per waiting plan.
  const asked = useRef<string | null>(null);
  useEffect(() => {
    if (waiting !== null && asked.current !== state.runId) {
      asked.current = state.runId;
      setApproving(true);
    }
    if (waiting === null) setApproving(false);
  }, [waiting, state.runId]);

  const cost = totalCost(state);
  const over = ended(state);
  return (
    <div className={`pipeline-strip ${state.status.kind}`} data-testid="pipeline-strip" data-status={state.status.kind}>
      <span className="pipeline-name" title={state.pipeline}>
        {state.name}
      </span>
      <ol className="pipeline-steps">
        {state.steps.map((step, i) => (
          <li key={i}>
            <button
              type="button"
              className={`pipeline-chip ${step.status}${i === state.current && !over ? " current" : ""}`}
              disabled={!step.sessionId}
              title={step.model ? `${step.agent} (${step.model})` : step.agent}
              onClick={() => step.sessionId && onOpen(step.sessionId)}
              data-testid={`pipeline-step-${i}`}
              data-status={step.status}
            >
              {stepLabel(step)}
              {step.costUsd !== null && <span className="pipeline-chip-cost">{dollars(step.costUsd)}</span>}
            </button>
          </li>
        ))}
      </ol>
      <span className="pipeline-round" data-testid="pipeline-round">
        round {state.round}/{state.maxRounds}
      </span>
      {cost !== null && (
        <span className="pipeline-cost" data-testid="pipeline-cost">
          {dollars(cost)}
        </span>
      )}
      <span className="pipeline-status" data-testid="pipeline-status">
        {statusText(state.status)}
      </span>
      {waiting !== null && (
        <button type="button" className="primary" onClick={() => setApproving(true)} data-testid="pipeline-review-plan">
          Review Plan
        </button>
      )}
      {!over && (
        <button type="button" onClick={() => void pipelines.stop(state.runId)} data-testid="pipeline-stop">
          Stop
        </button>
      )}
      {over && onDismiss && (
        <button type="button" className="pipeline-dismiss" onClick={onDismiss} aria-label="Hide" data-testid="pipeline-dismiss">
          ×
        </button>
      )}
      {approving && waiting !== null && (
        <PlanApprovalDialog
          name={state.name}
          plan={waiting}
          onClose={() => setApproving(false)}
          onDecide={async (decision) => {
            const done = await pipelines.decide(state.runId, decision);
            if (!done.ok) return done.error.message;
            setApproving(false);
            return null;
          }}
        />
      )}
    </div>
  );
}

/**
 * The strips of a project's runs; the step at work's session is opened once when it starts, so
 * the person follows the pipeline from session to session.
 */
export function PipelineStrips({ runs, onOpen }: { runs: PipelineState[]; onOpen: (sessionId: string) => void }) {
  const [hidden, setHidden] = useState<Set<string>>(() => new Set());
  const opened = useRef<Set<string>>(new Set());
  useEffect(() => {
    for (const run of runs) {
      const id = ended(run) ? null : run.steps[run.current]?.sessionId;
      if (id && !opened.current.has(id)) {
        opened.current.add(id);
        onOpen(id);
      }
    }
  }, [runs, onOpen]);
  const shown = runs.filter((r) => !hidden.has(r.runId));
  if (!shown.length) return null;
  return (
    <div className="pipeline-strips">
      {shown.map((run) => (
        <PipelineStrip key={run.runId} state={run} onOpen={onOpen} onDismiss={() => setHidden((h) => new Set(h).add(run.runId))} />
      ))}
    </div>
  );
}
