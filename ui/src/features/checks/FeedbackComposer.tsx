// The feedback composer: the moment `feedback = "ask"` waits for the person. Each finding with a
// checkbox, the exact text that will be sent (editable), and Send / Dismiss / Accept as it is.
// What is sent is exactly what the text box holds.
import { useMemo, useState } from "react";
import type { CheckFinding } from "../../ipc";
import { findingLine, keepFindings } from "./feedbackText";

interface Props {
  /** The round whose checks failed. */
  round: number;
  /** The round limit, when known. */
  maxRounds: number | null;
  agentName: string;
  proposed: { text: string; findings: CheckFinding[] };
  /** Whether a decision is on its way (buttons wait). */
  busy: boolean;
  onSend: (text: string) => void;
  onDismiss: () => void;
  onAccept: () => void;
}

export function FeedbackComposer({ round, maxRounds, agentName, proposed, busy, onSend, onDismiss, onAccept }: Props) {
  const all = useMemo(() => new Set(proposed.findings.map((_, i) => i)), [proposed]);
  const [kept, setKept] = useState<Set<number>>(all);
  const [edited, setEdited] = useState<string | null>(null);
  const rendered = keepFindings(proposed.text, proposed.findings, kept);
  const text = edited ?? rendered;
  const next = round + 1;
  const toggle = (i: number) => {
    const set = new Set(kept);
    if (set.has(i)) set.delete(i);
    else set.add(i);
    setKept(set);
  };
  const nothing = text.trim().length === 0;
  return (
    <section className="composer" aria-label="Feedback for the agent" data-testid="feedback-composer">
      <h3 className="composer-title">Checks failed in round {round}: send feedback to {agentName}?</h3>
      {proposed.findings.length > 0 && (
        <ul className="composer-findings">
          {proposed.findings.map((f, i) => (
            <li key={i}>
              <label>
                <input type="checkbox" checked={kept.has(i)} onChange={() => toggle(i)} disabled={edited !== null} data-testid="composer-finding" />
                <span>
                  <span className="muted">{f.check}</span> {findingLine(f.finding).slice(2)}
                </span>
              </label>
            </li>
          ))}
        </ul>
      )}
      <label className="muted composer-note" htmlFor="composer-text">
        The exact message that will be sent (you can edit it):
      </label>
      <textarea id="composer-text" value={text} onChange={(e) => setEdited(e.target.value)} spellCheck={false} data-testid="composer-text" />
      <div className="composer-buttons">
        {edited !== null ? (
          <span className="composer-edited muted">
            Edited by you.{" "}
            <button type="button" className="small" onClick={() => setEdited(null)} data-testid="composer-reset">
              Use the findings again
            </button>
          </span>
        ) : (
          <span className="composer-edited muted">It never grants a permission: the agent asks as usual.</span>
        )}
        <button type="button" onClick={onAccept} disabled={busy} data-testid="composer-accept" title="Finish the task as it is, with its failing checks">
          Accept as it is
        </button>
        <button type="button" onClick={onDismiss} disabled={busy} data-testid="composer-dismiss">
          Dismiss
        </button>
        <button type="button" className="primary" onClick={() => onSend(text)} disabled={busy || nothing} data-testid="composer-send">
          Send to {agentName} (round {next}{maxRounds ? ` of ${maxRounds}` : ""})
        </button>
      </div>
    </section>
  );
}
