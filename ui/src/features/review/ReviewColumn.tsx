// One reviewer's column in the review view: agent and model, running (with the time it has
// taken) or its verdict, summary and cost, an error plainly as an error, and the reviewer's own
// session.
import { formatCost, formatElapsed } from "../../shared/format";
import { reviewerLabel, type ReviewState } from "../../model/reviews";

interface Props {
  review: ReviewState;
  /** The time now, for a running review's elapsed time. */
  now: number;
  onOpenSession: (() => void) | null;
}

export function ReviewColumn({ review: r, now, onOpenSession }: Props) {
  const outcome = r.finished?.outcome;
  const findings = outcome?.status === "completed" ? outcome.result.findings.length : null;
  return (
    <section className={`review-column ${r.phase}`} data-testid="review-column" data-phase={r.phase} data-review={r.review}>
      <header className="review-column-head">
        <span className="review-who">{reviewerLabel(r.reviewer)}</span>
        {r.entry && <span className="muted"> · {r.entry}</span>}
      </header>
      {r.phase === "running" && (
        <p className="review-status running" data-testid="review-running">
          Reviewing… {formatElapsed(now - r.startedMs)}
        </p>
      )}
      {outcome?.status === "completed" && (
        <>
          <p className={`review-status verdict ${outcome.result.verdict}`} data-testid="review-verdict" data-verdict={outcome.result.verdict}>
            {outcome.result.verdict === "approve" ? "Approves" : `Needs attention · ${findings} ${findings === 1 ? "finding" : "findings"}`}
          </p>
          {outcome.result.summary && <p className="review-summary">{outcome.result.summary}</p>}
        </>
      )}
      {outcome?.status === "error" && (
        <p className="review-status error" role="alert" data-testid="review-failed">
          The review failed: {outcome.reason}
        </p>
      )}
      {outcome?.status === "skipped" && (
        <p className="review-status skipped muted" data-testid="review-skipped">
          Not run: {outcome.reason}
        </p>
      )}
      <p className="muted review-facts">
        {r.finished ? `${formatElapsed(r.finished.durationMs)} · ${r.finished.costUsd !== null ? formatCost(r.finished.costUsd) : "cost not reported"}` : ""}
      </p>
      {onOpenSession && (
        <button type="button" className="small link" onClick={onOpenSession} data-testid="review-open-session">
          Open the reviewer's session
        </button>
      )}
    </section>
  );
}
