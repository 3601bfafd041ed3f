// The confirmation of a hunk revert: which hunks of which file go back, their lines as the
// backend's plan has them, and which changed on disk since (overwritten only if the person
// goes ahead anyway). The same plan `warden rollback --hunks … --dry-run` prints.
import type { HunkRevertPlan } from "../../ipc";
import { hunkRows } from "./hunks";

export function HunkEffects({ plans }: { plans: readonly HunkRevertPlan[] }) {
  const changed = plans.some((p) => p.changedSince.length > 0);
  return (
    <>
      <p>This will put these lines back as they were before the agent's change, and leave the rest of each file as it is now:</p>
      <ul className="revert-effects" data-testid="revert-effects">
        {plans.flatMap((plan) =>
          plan.hunks.map((hunk) => {
            const since = plan.changedSince.includes(hunk.index);
            return (
              <li key={`${plan.path}:${hunk.index}`} data-testid="revert-effect" data-path={plan.path} data-effect="revertHunk" data-hunk={hunk.index} data-conflict={since || undefined}>
                revert hunk {hunk.index} of {plan.path} (line {hunk.newStart})
                {since && <span className="file-flag"> changed since</span>}
                <div className="tl-diff hunk-lines">
                  {hunkRows(hunk).map((row, i) => (
                    <div key={i} className={`tl-diff-line ${row.mark === "+" ? "tl-diff-add" : "tl-diff-del"}`}>
                      <span className="tl-diff-sign">{row.mark === "+" ? "+" : "\u2212"}</span>
                      <span className="tl-diff-text">{row.text}</span>
                    </div>
                  ))}
                </div>
              </li>
            );
          }),
        )}
      </ul>
      <p className="muted">
        {changed
          ? "Lines marked changed since were edited after the agent: you will be asked again before they are overwritten."
          : "If these lines change before you confirm, you will see it before anything is overwritten."}
      </p>
    </>
  );
}
