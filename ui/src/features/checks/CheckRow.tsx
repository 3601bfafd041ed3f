// One check of a round, as a pull request's checks tab shows it: status, name, duration and why
// it ran (or why not); expanded, its parsed findings first (file:line opens the Files panel on
// that file, at the hunk of that line), then its raw output (growing while the check runs).
import { useState } from "react";
import type { Finding } from "../../ipc";
import { checkStatus, type CheckRun, type CheckStatus } from "../../model/tasks";
import { formatDuration } from "../../shared/formatDuration";
import { CheckLog } from "./CheckLog";

const ICONS: Record<CheckStatus, string> = {
  running: "◌",
  passed: "✓",
  failed: "✕",
  error: "!",
  skipped: "–",
  notTrusted: "⊘",
};

export const STATUS_WORDS: Record<CheckStatus, string> = {
  running: "Running",
  passed: "Passed",
  failed: "Failed",
  error: "Could not run",
  skipped: "Skipped",
  notTrusted: "Not trusted",
};

interface Props {
  run: CheckRun;
  /** Opens the Files panel on a file of the project (at a line of it); null where there is none. */
  onOpenFile: ((path: string, line: number | null) => void) | null;
  /** Starts open (a failed check). */
  initiallyOpen?: boolean;
}

export function CheckRow({ run, onOpenFile, initiallyOpen = false }: Props) {
  const status = checkStatus(run);
  const [open, setOpen] = useState(initiallyOpen);
  const reason = run.outcome && "reason" in run.outcome ? run.outcome.reason : null;
  const counts = run.counts ? `${run.counts.passed} passed, ${run.counts.failed} failed${run.counts.ignored ? `, ${run.counts.ignored} ignored` : ""}` : null;
  const why = run.why.length > 0 ? run.why.join(" · ") : status === "skipped" || status === "notTrusted" ? "" : "runs on every task";
  return (
    <li className="check-item" data-testid="check-row" data-check={run.check} data-status={status}>
      <div className="check-head">
        <button type="button" className="disclosure" aria-expanded={open} onClick={() => setOpen(!open)}>
          <span className="chevron" aria-hidden="true">
            {open ? "▾" : "▸"}
          </span>
          <span className={`check-icon ${status}`} aria-label={STATUS_WORDS[status]} title={STATUS_WORDS[status]}>
            {ICONS[status]}
          </span>
          <span className="check-name">{run.check}</span>
          <span className="check-why" title={why}>
            {STATUS_WORDS[status]}
            {counts ? ` · ${counts}` : ""}
            {why ? ` · ${why}` : ""}
          </span>
        </button>
        {run.side ? (
          <span className="check-tag" title="Ran on its own trigger (or async): reported, never part of the round's verdict">
            reported only
          </span>
        ) : (
          !run.gate && (
            <span className="check-tag" title="Reported, never blocking">
              not gating
            </span>
          )
        )}
        <span className="check-duration">{run.durationMs !== null ? formatDuration(run.durationMs) : status === "running" ? "…" : ""}</span>
      </div>
      {open && (
        <div className="check-detail">
          {reason && <p className={`check-reason ${status}`}>{reason}</p>}
          {run.exitCode !== null && status !== "passed" && <p className="check-reason">Exit code {run.exitCode}</p>}
          {run.findings.length > 0 && (
            <ul className="findings" data-testid="check-findings">
              {run.findings.map((f, i) => (
                <FindingItem key={i} finding={f} onOpenFile={onOpenFile} />
              ))}
            </ul>
          )}
          {run.logPath ? (
            <CheckLog path={run.logPath} running={status === "running"} version={run.startedMs ?? 0} />
          ) : (
            status === "running" && <p className="muted check-reason">Its output shows here when it ends.</p>
          )}
        </div>
      )}
    </li>
  );
}

function FindingItem({ finding, onOpenFile }: { finding: Finding; onOpenFile: ((path: string, line: number | null) => void) | null }) {
  const place = finding.file !== null ? `${finding.file}${finding.line !== null ? `:${finding.line}` : ""}` : null;
  const file = finding.file;
  return (
    <li className={`finding ${finding.severity}`} data-testid="finding">
      <div className="finding-title">{finding.title}</div>
      {place &&
        (onOpenFile && file ? (
          <button type="button" className="finding-place" onClick={() => onOpenFile(file, finding.line)} title="Open this file in the Files panel, at the change of this line" data-testid="finding-place">
            {place}
          </button>
        ) : (
          <span className="finding-place" data-testid="finding-place">
            {place}
          </span>
        ))}
      {finding.body.trim() && <pre className="finding-body">{finding.body.trim()}</pre>}
    </li>
  );
}
