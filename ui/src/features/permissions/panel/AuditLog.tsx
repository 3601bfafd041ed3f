// Every permission decision, newest first: what was asked, what happened, and who decided.
import { useState } from "react";
import type { PermissionLogEntry } from "../../../ipc";
import { decisionTone, decisionWords, formatLogTime, sourceWords } from "./auditFormat";
import { useAuditLog } from "./useAuditLog";

interface Props {
  project: string;
  /** The open session, or null when there is none (a Claude Code history view). */
  sessionId: string | null;
  /** The open session's transcript version: a change may be a new decision. */
  version: number;
}

type Scope = "session" | "project";

/**
 * Rows drawn before "Show all": a project's log grows for as long as it is used, and the newest
 * decisions are the ones looked for.
 */
const FIRST_ROWS = 200;

export function AuditLog({ project, sessionId, version }: Props) {
  const [scope, setScope] = useState<Scope>(sessionId ? "session" : "project");
  const [all, setAll] = useState(false);
  const session = scope === "session" ? sessionId : null;
  const { entries, error, refresh } = useAuditLog(project, session, version);
  const now = Date.now();
  const rows = entries && !all ? entries.slice(0, FIRST_ROWS) : entries;

  return (
    <div className="audit-log" data-testid="audit-log">
      <div className="audit-bar">
        {sessionId && (
          <div className="audit-scope" role="radiogroup" aria-label="Which decisions">
            <label className="radio">
              <input type="radio" name="audit-scope" checked={scope === "session"} onChange={() => setScope("session")} data-testid="audit-scope-session" />
              This session
            </label>
            <label className="radio">
              <input type="radio" name="audit-scope" checked={scope === "project"} onChange={() => setScope("project")} data-testid="audit-scope-project" />
              All sessions of the project
            </label>
          </div>
        )}
        <span className="muted audit-count">{entries ? `${entries.length} ${entries.length === 1 ? "decision" : "decisions"}` : ""}</span>
        <button type="button" className="small" onClick={refresh} data-testid="audit-refresh">
          Refresh
        </button>
      </div>
      {error && (
        <div className="inline-error" role="alert" data-testid="audit-error">
          Could not read the audit log: {error.message}
        </div>
      )}
      {entries && entries.length === 0 && <p className="muted">No permission decisions yet.</p>}
      {entries && entries.length > 0 && (
        <div className="audit-scroll">
          <table className="audit-table">
            <thead>
              <tr>
                <th>Time</th>
                <th>Tool</th>
                <th>Subject</th>
                <th>Decision</th>
                <th>By</th>
                <th>Rule or message</th>
              </tr>
            </thead>
            <tbody>
              {rows?.map((entry) => (
                <AuditRow key={`${entry.sessionId}:${entry.seq}`} entry={entry} now={now} />
              ))}
            </tbody>
          </table>
          {rows && rows.length < entries.length && (
            <button type="button" className="small audit-more" onClick={() => setAll(true)} data-testid="audit-show-all">
              Show all {entries.length}
            </button>
          )}
        </div>
      )}
    </div>
  );
}

function AuditRow({ entry, now }: { entry: PermissionLogEntry; now: number }) {
  const tone = decisionTone(entry.decision);
  return (
    <tr data-testid="audit-row" data-decision={entry.decision} data-source={entry.source} data-session={entry.sessionId} data-seq={entry.seq}>
      <td className="audit-time">
        <time dateTime={new Date(entry.atMs).toISOString()} title={new Date(entry.atMs).toLocaleString()}>
          {formatLogTime(entry.atMs, now)}
        </time>
      </td>
      <td>{entry.toolName}</td>
      <td>
        <div className="audit-subject">
          {entry.outsideProject && (
            <span className="outside-badge" title="The call touched paths outside the project" data-testid="audit-outside">
              outside project
            </span>
          )}
          <code title={entry.subject}>{entry.subject}</code>
        </div>
      </td>
      <td className={`audit-decision ${tone}`}>{decisionWords(entry.decision, entry.source)}</td>
      <td>{sourceWords(entry.source)}</td>
      <td className="audit-why">
        {entry.rules.map((rule) => (
          <code key={rule} className="audit-rule">
            {rule}
          </code>
        ))}
        {entry.message && <span className="audit-message" title={entry.message}>{entry.message}</span>}
      </td>
    </tr>
  );
}
