// The review view: the reviews of a task (a turn, the session) side by side — one column per
// reviewer with its verdict, summary, cost and its own session — then every finding grouped by
// file with its severity, which reviewers flagged each file (disagreements show), the findings
// outside the task's changes apart, and the picked findings sent to the coding agent: added to
// the feedback the gate proposes, or as a new prompt of the person.
import "./review.css";
import { useEffect, useState } from "react";
import { checks, reviews as reviewsIpc, sessions, type IpcError } from "../../ipc";
import { groupFindings, reviewPrompt, withReviewFindings, type PlacedFinding, type ReviewState } from "../../model/reviews";
import { waitingFeedback } from "../../model/tasks";
import type { Transcript } from "../../model/transcript";
import { Dialog } from "../../shared/Dialog";
import { sessionAgentLabel } from "../../shared/agentNames";
import { useFilesOpener } from "../files/opener";
import { askToShow, front } from "../permissions/front";
import { groupOf } from "./ReviewProvider";
import { FindingGroups } from "./FindingGroups";
import { ReviewColumn } from "./ReviewColumn";

interface Props {
  project: string;
  sessionId: string;
  transcript: Transcript;
  /** The group to show (`task:N`, `turn:N`, `session`); by default the latest review's. */
  group: string | null;
  /** Opens Review with… (another reviewer, another scope). */
  onAsk: (() => void) | null;
  onClose: () => void;
}

export function ReviewView({ project, sessionId, transcript, group: asked, onAsk, onClose }: Props) {
  const all = transcript.reviews.list;
  const groups = [...new Set(all.map((r) => groupOf(r.scope)))];
  const [group, setGroup] = useState<string | null>(asked ?? groups[groups.length - 1] ?? null);
  const shown = all.filter((r) => groupOf(r.scope) === group);
  const task = group?.startsWith("task:") ? Number(group.slice(5)) : null;
  const falsePositives = useFalsePositives(sessionId, task);
  const grouped = groupFindings(shown, falsePositives.keys);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [edited, setEdited] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const [sent, setSent] = useState(false);
  const openFiles = useFilesOpener();
  const now = useNow(shown.some((r) => r.phase === "running"));
  const agentName = sessionAgentLabel(transcript.started);

  const everyFinding = [...grouped.files, ...grouped.outside].flatMap((f) => f.findings).concat(grouped.general);
  const chosen = everyFinding.filter((f) => picked.has(f.id));
  const taskState = task !== null ? transcript.tasks.get(task) : null;
  const waiting = taskState ? waitingFeedback(taskState) : null;
  const text = edited ?? (waiting?.proposed ? withReviewFindings(waiting.proposed.text, chosen) : reviewPrompt(chosen));

  const toggle = (f: PlacedFinding) => {
    const next = new Set(picked);
    if (next.has(f.id)) next.delete(f.id);
    else next.add(f.id);
    setPicked(next);
    setEdited(null);
  };

  const send = async () => {
    setBusy(true);
    const outcome = waiting?.proposed && task !== null ? await checks.feedback(sessionId, task, "send", text) : await sessions.prompt(sessionId, text);
    setBusy(false);
    setError(outcome.ok ? null : outcome.error);
    if (outcome.ok) {
      setSent(true);
      setPicked(new Set());
      setEdited(null);
    }
  };

  const openReviewer = (r: ReviewState) => {
    const id = r.reviewer.sessionId;
    if (!id) return;
    askToShow(front.get().project ?? project, id);
    onClose();
  };

  return (
    <Dialog title="Reviews" onCancel={onClose} testId="review-view" className="review-view-dialog">
      <div className="review-body">
        {groups.length > 1 && (
          <label className="muted">
            Reviews of{" "}
            <select value={group ?? ""} onChange={(e) => setGroup(e.target.value)} data-testid="review-group">
              {groups.map((g) => (
                <option key={g} value={g}>
                  {groupWords(g)}
                </option>
              ))}
            </select>
          </label>
        )}
        {shown.length === 0 ? (
          <p className="muted" data-testid="review-none">
            No review yet. Review with… on the session header or under a turn asks another agent for a second opinion.
          </p>
        ) : (
          <>
            <div className="review-columns" data-testid="review-columns">
              {shown.map((r) => (
                <ReviewColumn key={r.review} review={r} now={now} onOpenSession={r.reviewer.sessionId ? () => openReviewer(r) : null} />
              ))}
            </div>
            <FindingGroups
              grouped={grouped}
              picked={picked}
              onToggle={toggle}
              // A finding's file is project-relative already (the engine anchors it).
              onOpenFile={openFiles ? (file, at) => openFiles(filesScope(group), file, at) : null}
              onFalsePositive={task !== null ? (f) => void falsePositives.mark(f, true) : null}
            />
            {grouped.hidden > 0 && (
              <p className="muted" data-testid="review-hidden">
                {grouped.hidden} marked as false {grouped.hidden === 1 ? "positive" : "positives"} in this task, not shown.{" "}
                <button type="button" className="small" onClick={() => void falsePositives.clear()} data-testid="review-unhide">
                  Show them again
                </button>
              </p>
            )}
          </>
        )}
        {falsePositives.error && <div className="inline-error">{falsePositives.error}</div>}
        {chosen.length > 0 && (
          <section className="review-send" data-testid="review-send">
            <label className="muted" htmlFor="review-text">
              {waiting?.proposed
                ? `Added to the checks' feedback of round ${waiting.round}, the exact message that will be sent (you can edit it):`
                : "The exact prompt that will be sent (you can edit it):"}
            </label>
            <textarea id="review-text" value={text} onChange={(e) => setEdited(e.target.value)} spellCheck={false} data-testid="review-text" />
          </section>
        )}
        {sent && <p className="muted" data-testid="review-sent">Sent to {agentName}.</p>}
        {error && (
          <div className="inline-error" role="alert" data-testid="review-send-error">
            {error.message}
          </div>
        )}
      </div>
      <div className="dialog-buttons">
        <button type="button" className="primary" onClick={() => void send()} disabled={busy || chosen.length === 0 || !text.trim()} data-testid="review-send-button">
          Send selected findings to {agentName}
        </button>
        {onAsk && (
          <button type="button" onClick={onAsk} data-testid="review-ask">
            Review with…
          </button>
        )}
        <button type="button" onClick={onClose} data-testid="review-close">
          Close
        </button>
      </div>
    </Dialog>
  );
}

/** "Task 3", "Turn 2", "The whole session". */
function groupWords(group: string): string {
  if (group.startsWith("task:")) return `Task ${group.slice(5)}`;
  if (group.startsWith("turn:")) return `Turn ${group.slice(5)}`;
  return "The whole session";
}

/** The Files panel's scope for a group: a turn's own, else the whole session (a task spans turns). */
function filesScope(group: string | null): { type: "session" } | { type: "turn"; turn: number } {
  return group?.startsWith("turn:") ? { type: "turn", turn: Number(group.slice(5)) } : { type: "session" };
}

/** The task's false-positive marks, read from the store and changed there. */
function useFalsePositives(sessionId: string, task: number | null) {
  const [keys, setKeys] = useState<Set<string>>(new Set());
  const [list, setList] = useState<{ file: string | null; title: string }[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (task === null) return;
    let live = true;
    void reviewsIpc.falsePositives(sessionId, task).then((got) => {
      if (!live) return;
      if (got.ok) {
        setKeys(new Set(got.value.map((f) => f.key)));
        setList(got.value);
      } else setError(got.error.message);
    });
    return () => {
      live = false;
    };
  }, [sessionId, task]);
  const mark = async (f: PlacedFinding, marked: boolean) => {
    if (task === null) return;
    const got = await reviewsIpc.markFalsePositive(sessionId, task, f.finding.file, f.finding.title, marked);
    if (got.ok) {
      setKeys(new Set(got.value.map((x) => x.key)));
      setList(got.value);
      setError(null);
    } else setError(got.error.message);
  };
  const clear = async () => {
    if (task === null) return;
    for (const f of list) await reviewsIpc.markFalsePositive(sessionId, task, f.file, f.title, false);
    setKeys(new Set());
    setList([]);
  };
  return { keys, mark, clear, error };
}

/** The time now, ticking each second while `running`. */
function useNow(running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  return now;
}

