import type { PlanEntry, PlanEntryStatus } from "../../ipc";
import "./timeline.css";

/** A plan entry; some agents (ACP's plan updates) also give a priority. */
type Entry = PlanEntry & { priority?: unknown };

const STATUS_LABEL: Record<PlanEntryStatus, string> = {
  pending: "pending",
  inProgress: "in progress",
  completed: "done",
};

/** The agent's live plan / to-do list: each entry with its progress, and how many are done. */
export function PlanPanel({ plan }: { plan: readonly PlanEntry[] }) {
  const done = plan.filter((entry) => entry.status === "completed").length;
  return (
    <section className="tl-plan" aria-label="Plan" data-testid="plan">
      <header className="tl-plan-header">
        <h3 className="tl-plan-title">Plan</h3>
        {plan.length > 0 && (
          <span className="tl-plan-count" data-testid="plan-count">
            {done}/{plan.length} done
          </span>
        )}
      </header>
      {plan.length === 0 ? (
        <p className="tl-empty">No plan yet.</p>
      ) : (
        <ol className="tl-plan-list">
          {plan.map((entry: Entry, i) => (
            <li key={entry.id ?? i} className={`tl-plan-entry tl-plan-${entry.status}`} data-status={entry.status}>
              <PlanStatusIcon status={entry.status} />
              <span className="tl-visually-hidden">{STATUS_LABEL[entry.status]}: </span>
              <span className="tl-plan-content">{entry.content}</span>
              {typeof entry.priority === "string" && entry.priority !== "" && (
                <span className={`tl-plan-priority tl-priority-${entry.priority}`}>{entry.priority}</span>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function PlanStatusIcon({ status }: { status: PlanEntryStatus }) {
  return (
    <svg className="tl-plan-icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
      {status === "completed" ? (
        <>
          <circle cx="8" cy="8" r="6.5" fill="currentColor" />
          <path d="M5 8.2l2 2 4-4.2" fill="none" stroke="var(--bg)" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
        </>
      ) : status === "inProgress" ? (
        <>
          <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" strokeWidth="1.4" />
          <path d="M8 2a6 6 0 0 1 0 12z" fill="currentColor" />
        </>
      ) : (
        <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" strokeWidth="1.4" />
      )}
    </svg>
  );
}
