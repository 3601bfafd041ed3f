// The plan a pipeline's planner wrote, for the person to approve as it is, edit and approve, or
// reject (the pipeline then ends before anyone implements it).
import { useState } from "react";
import type { PlanDecision } from "../../ipc";
import { Dialog } from "../../shared/Dialog";
import "./pipeline.css";

interface Props {
  /** The pipeline's name. */
  name: string;
  /** The plan as written. */
  plan: string;
  /** Sends the decision; resolves with an error message, or null once it was taken. */
  onDecide: (decision: PlanDecision) => Promise<string | null>;
  /** Closes the dialog without deciding (the plan keeps waiting). */
  onClose: () => void;
}

/** Approve / edit / reject a plan. */
export function PlanApprovalDialog({ name, plan, onDecide, onClose }: Props) {
  const [text, setText] = useState(plan);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const edited = text.trim() !== plan.trim();

  const decide = async (decision: PlanDecision) => {
    setBusy(true);
    const failed = await onDecide(decision);
    setBusy(false);
    setError(failed);
  };

  return (
    <Dialog title={`Approve the plan — ${name}`} onCancel={onClose} testId="plan-approval" className="plan-dialog" cancelOnBackdrop={false}>
      <p className="hint">The planner changed nothing. Approve the plan (edit it first if you like) to hand it to the implementer, or reject it to end the pipeline.</p>
      <textarea
        className="plan-text"
        value={text}
        onChange={(e) => setText(e.target.value)}
        spellCheck={false}
        aria-label="The plan"
        data-testid="plan-text"
      />
      {error && (
        <div className="inline-error" role="alert" data-testid="plan-error">
          {error}
        </div>
      )}
      <div className="dialog-buttons">
        <button type="button" onClick={onClose} disabled={busy}>
          Later
        </button>
        <button type="button" className="danger" disabled={busy} onClick={() => void decide({ decision: "reject" })} data-testid="plan-reject">
          Reject
        </button>
        <button
          type="button"
          className="primary"
          disabled={busy || text.trim() === ""}
          data-autofocus
          onClick={() => void decide({ decision: "approve", text: edited ? text : null })}
          data-testid="plan-approve"
        >
          {edited ? "Approve Edited Plan" : "Approve Plan"}
        </button>
      </div>
    </Dialog>
  );
}
