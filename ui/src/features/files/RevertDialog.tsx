// A revert from confirmation to result: what will change, path by path; the files that changed
// since, if the backend refuses over them, with the choice to go ahead anyway; what was done,
// with a Redo that puts the agent's changes back.
import { useState } from "react";
import type { Conflict, IpcError, RollbackReport } from "../../ipc";
import { Dialog } from "../../shared/Dialog";
import { ConflictList } from "./ConflictList";
import { effectWords, type RevertPlan, type RevertStep } from "./revertPlan";
import { RevertResult } from "./RevertResult";
import { redoSteps, runSteps } from "./runRevert";

/** "forward" carries out the plan; "back" redoes what it reverted. */
type Direction = "forward" | "back";

type Phase =
  | { type: "confirm" }
  | { type: "running"; direction: Direction }
  | { type: "conflicts"; direction: Direction; steps: RevertStep[]; conflicts: Conflict[]; next: number; reports: RollbackReport[] }
  | { type: "done"; direction: Direction; reports: RollbackReport[] }
  | { type: "failed"; direction: Direction; error: IpcError; reports: RollbackReport[] };

interface Props {
  project: string;
  plan: RevertPlan;
  /** Files may have changed: the list reads the log again. */
  onChanged: () => void;
  onClose: () => void;
}

export function RevertDialog({ project, plan, onChanged, onClose }: Props) {
  const [phase, setPhase] = useState<Phase>({ type: "confirm" });
  const running = phase.type === "running";

  const run = async (direction: Direction, steps: RevertStep[], from: number, force: boolean, reports: RollbackReport[]) => {
    setPhase({ type: "running", direction });
    const result = await runSteps(project, steps, from, force, reports);
    onChanged();
    if (result.type === "conflicts") setPhase({ direction, steps, ...result });
    else setPhase({ direction, ...result });
  };

  // Backing out of conflicts half way keeps what the earlier steps did on screen, with its Redo.
  const stopHere = (reports: RollbackReport[], direction: Direction) =>
    reports.length > 0 ? setPhase({ type: "done", direction, reports }) : onClose();

  const canRedo = plan.kind === "revert";
  const doing = (direction: Direction) => (direction === "back" ? "Redo" : plan.verb);

  return (
    <Dialog
      title={plan.title}
      onCancel={running ? () => {} : onClose}
      cancelOnBackdrop={false}
      testId="revert-confirm-dialog"
      className="revert-dialog"
      data={{ phase: phase.type }}
    >
      <div className="revert-body">
        {phase.type === "confirm" && <Confirmation plan={plan} />}
        {phase.type === "running" && <p className="muted">Working on the files…</p>}
        {phase.type === "conflicts" && (
          <>
            <p role="alert">
              {phase.conflicts.length === 1 ? "This file has" : "These files have"} changed since.{" "}
              {doing(phase.direction)} now would overwrite those later changes; nothing was changed yet.
            </p>
            <ConflictList project={project} conflicts={phase.conflicts} />
          </>
        )}
        {phase.type === "failed" && (
          <div className="inline-error" role="alert" data-testid="revert-error">
            {phase.error.message}
          </div>
        )}
        {(phase.type === "done" || phase.type === "failed") && phase.reports.length > 0 && (
          <RevertResult reports={phase.reports} heading={resultHeading(plan, phase.direction)} />
        )}
      </div>
      <div className="dialog-buttons">
        {phase.type === "confirm" && (
          <>
            <button type="button" onClick={onClose} data-autofocus data-testid="revert-cancel">
              Cancel
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => void run("forward", plan.steps, 0, false, [])}
              disabled={plan.effects.length === 0}
              data-testid="revert-confirm"
            >
              {plan.verb}
            </button>
          </>
        )}
        {phase.type === "running" && (
          <button type="button" disabled>
            {doing(phase.direction)}
          </button>
        )}
        {phase.type === "conflicts" && (
          <>
            <button type="button" onClick={() => stopHere(phase.reports, phase.direction)} data-autofocus data-testid="revert-cancel">
              Cancel
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => void run(phase.direction, phase.steps, phase.next, true, phase.reports)}
              data-testid="revert-force"
            >
              {doing(phase.direction)} anyway
            </button>
          </>
        )}
        {(phase.type === "done" || phase.type === "failed") && (
          <>
            {canRedo && phase.direction === "forward" && phase.reports.length > 0 && (
              <button type="button" onClick={() => void run("back", redoSteps(phase.reports), 0, false, [])} data-testid="revert-redo">
                Redo
              </button>
            )}
            <button type="button" className="primary" onClick={onClose} data-autofocus data-testid="revert-close">
              Close
            </button>
          </>
        )}
      </div>
    </Dialog>
  );
}

/** Exactly what will change, path by path, and what will not. */
function Confirmation({ plan }: { plan: RevertPlan }) {
  if (plan.effects.length === 0) {
    return <p className="muted">Nothing to put back: these changes were reverted already.</p>;
  }
  return (
    <>
      <p>This will:</p>
      <ul className="revert-effects" data-testid="revert-effects">
        {plan.effects.map((effect) => (
          <li key={`${effect.type}:${effect.path}`} data-testid="revert-effect" data-path={effect.path} data-effect={effect.type}>
            {effectWords(effect)}
          </li>
        ))}
      </ul>
      {plan.leftAlone.length > 0 && (
        <p className="muted" data-testid="revert-left-alone">
          Left as they are, since .gitignore hides them and their content was not kept: {plan.leftAlone.join(", ")}
        </p>
      )}
      {plan.unrestorable.length > 0 && (
        <p className="revert-warning" role="alert" data-testid="revert-unrestorable">
          The content of {plan.unrestorable.join(", ")} was too large to keep, so it cannot be put back: the revert will be refused.
        </p>
      )}
      <p className="muted">If a file changed since, you will see it before anything is overwritten.</p>
    </>
  );
}

function resultHeading(plan: RevertPlan, direction: Direction): string {
  if (direction === "back") return "Redone: the agent's changes are back.";
  return plan.kind === "revert" ? "Reverted." : "Done.";
}
