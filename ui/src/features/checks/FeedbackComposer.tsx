// The feedback composer: the moment `feedback = "ask"` waits for the person. Each finding with a
// checkbox, the exact text that will be sent (editable), and Send / Dismiss / Accept as it is.
// What is sent is exactly what the text box holds. The person's own comments on hunks (Files
// panel) not yet sent are batched in, each with its checkbox, as findings from "you".
import { useMemo, useState } from "react";
import type { CheckFinding, HunkComment } from "../../ipc";
import { commentLine, withComments } from "../files/comments";
import { findingLine, keepFindings } from "./feedbackText";

interface Props {
  /** The round whose checks failed. */
  round: number;
  /** The round limit, when known. */
  maxRounds: number | null;
  agentName: string;
  proposed: { text: string; findings: CheckFinding[] };
  /** The person's comments on hunks not sent yet (batched with the findings). */
  comments?: HunkComment[];
  /** Whether a decision is on its way (buttons wait). */
  busy: boolean;
  /** Sends `text`; `comments` are the ones it carries (to be marked as sent). */
  onSend: (text: string, comments: HunkComment[]) => void;
  onDismiss: () => void;
  onAccept: () => void;
}

export function FeedbackComposer({ round, maxRounds, agentName, proposed, comments = [], busy, onSend, onDismiss, onAccept }: Props) {
  const all = useMemo(() => new Set(proposed.findings.map((_, i) => i)), [proposed]);
  const [kept, setKept] = useState<Set<number>>(all);
  const [keptComments, setKeptComments] = useState<Set<number> | null>(null);
  const [edited, setEdited] = useState<string | null>(null);
  // Comments arrive after the proposal (read from the journal): all are in until unticked.
  const chosen = comments.filter((c) => keptComments?.has(c.id) ?? true);
  const rendered = withComments(keepFindings(proposed.text, proposed.findings, kept), chosen);
  const text = edited ?? rendered;
  const next = round + 1;
  const toggle = (i: number) => {
    const set = new Set(kept);
    if (set.has(i)) set.delete(i);
    else set.add(i);
    setKept(set);
  };
  const toggleComment = (id: number) => {
    const set = new Set(keptComments ?? comments.map((c) => c.id));
    if (set.has(id)) set.delete(id);
    else set.add(id);
    setKeptComments(set);
  };
  const nothing = text.trim().length === 0;
  return (
    <section className="composer" aria-label="Feedback for the agent" data-testid="feedback-composer">
      <h3 className="composer-title">
        {failedWords(proposed.findings)} in round {round}: send feedback to {agentName}?
      </h3>
      {proposed.findings.length + comments.length > 0 && (
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
          {comments.map((c) => (
            <li key={`c${c.id}`}>
              <label>
                <input type="checkbox" checked={chosen.includes(c)} onChange={() => toggleComment(c.id)} disabled={edited !== null} data-testid="composer-comment" />
                <span>
                  <span className="muted">you</span> {commentLine(c).slice(2)}
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
        <button type="button" className="primary" onClick={() => onSend(text, chosen)} disabled={busy || nothing} data-testid="composer-send">
          Send to {agentName} (round {next}{maxRounds ? ` of ${maxRounds}` : ""})
        </button>
      </div>
    </section>
  );
}

/** What did not pass: the gate's reviewers name their findings `reviewer <agent>`. */
function failedWords(findings: CheckFinding[]): string {
  const reviews = findings.filter((f) => f.check.startsWith("reviewer ")).length;
  if (reviews === 0) return "Checks failed";
  return reviews === findings.length ? "A review needs attention" : "Checks and reviews did not pass";
}
