// A revert from confirmation to result: what will change, path by path, as the backend's plan
// says; the files that changed since, if the backend refuses over them, with the choice to go
// ahead anyway; what was done, with a Redo that puts the agent's changes back.
import { useEffect, useState } from "react";
import type { Conflict, IpcError, RollbackReport } from "../../ipc";
import { Dialog } from "../../shared/Dialog";
import { ConflictList } from "./ConflictList";
import { HunkEffects } from "./HunkEffects";
import { stepWords, summarise, type PlanSummary, type RevertRequest, type RevertStep } from "./revertPlan";
import { RevertResult } from "./RevertResult";
import { readPlans, redoSteps, runSteps } from "./runRevert";

/** "forward" carries out the plan; "back" redoes what it reverted. */
type Direction = "forward" | "back";

type Phase =
  | { type: "planning" }
  | { type: "confirm"; plan: PlanSummary }
  | { type: "running"; direction: Direction }
  | { type: "conflicts"; direction: Direction; steps: RevertStep[]; conflicts: Conflict[]; next: number; reports: RollbackReport[] }
  | { type: "done"; direction: Direction; reports: RollbackReport[] }
  | { type: "failed"; direction: Direction; error: IpcError; reports: RollbackReport[] };

interface Props {
  project: string;
  plan: RevertRequest;
  /** Files may have changed: the list reads the log again. */
  onChanged: () => void;
  onClose: () => void;
}

export function RevertDialog({ project, plan, onChanged, onClose }: Props) {
  const [phase, setPhase] = useState<Phase>({ type: "planning" });
  const running = phase.type === "running";

  // The confirmation shows the backend's own plan, read once when the dialog opens.
  useEffect(() => {
    let live = true;
    void readPlans(project, plan.steps).then((plans) => {
      if (!live) return;
      if (plans.ok) setPhase({ type: "confirm", plan: summarise(plans.value.plans, plans.value.hunks) });
      else setPhase({ type: "failed", direction: "forward", error: plans.error, reports: [] });
    });
    return () => {
      live = false;
    };
  }, [project, plan]);

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
        {phase.type === "planning" && <p className="muted">Reading what will change…</p>}
        {phase.type === "confirm" && <Confirmation plan={phase.plan} />}
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
        {(phase.type === "confirm" || phase.type === "planning") && (
          <>
            <button type="button" onClick={onClose} data-autofocus data-testid="revert-cancel">
              Cancel
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => void run("forward", plan.steps, 0, false, [])}
              disabled={phase.type !== "confirm" || phase.plan.steps.length === 0}
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

/** Exactly what the backend will change, path by path, and what it will not. */
function Confirmation({ plan }: { plan: PlanSummary }) {
  if (plan.steps.length === 0) {
    return <p className="muted">Nothing to put back: these changes were reverted already.</p>;
  }
  // A hunk revert shows its hunks: "restore the file" would not say which lines go back.
  if (plan.hunks.length > 0) return <HunkEffects plans={plan.hunks} />;
  const changed = new Set(plan.conflicts);
  return (
    <>
      <p>This will:</p>
      <ul className="revert-effects" data-testid="revert-effects">
        {plan.steps.map((step, i) => (
          <li
            key={`${i}:${step.path}`}
            data-testid="revert-effect"
            data-path={step.path}
            data-effect={step.action}
            data-ops={step.undoes.join(" ")}
            data-conflict={changed.has(step.path) || undefined}
          >
            {stepWords(step)}
            {changed.has(step.path) && <span className="file-flag"> changed since</span>}
          </li>
        ))}
      </ul>
      {plan.skipped.length > 0 && (
        <p className="muted" data-testid="revert-left-alone">
          Left as they are, since .gitignore hides them and their content was not kept: {plan.skipped.join(", ")}
        </p>
      )}
      {plan.notKept.length > 0 && (
        <p className="revert-warning" role="alert" data-testid="revert-unrestorable">
          The content of {plan.notKept.join(", ")} was too large to keep, so it cannot be put back: the revert will be refused.
        </p>
      )}
      <p className="muted">
        {plan.conflicts.length > 0
          ? "Files marked changed since will be shown again before anything is overwritten."
          : "If a file changed since, you will see it before anything is overwritten."}
      </p>
    </>
  );
}

function resultHeading(plan: RevertRequest, direction: Direction): string {
  if (direction === "back") return "Redone: the agent's changes are back.";
  return plan.kind === "revert" ? "Reverted." : "Done.";
}
