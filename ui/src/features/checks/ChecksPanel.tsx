// The Checks panel of a session, beside Files and Permissions: the project's checks
// configuration and its trust, then the latest task like a pull request's checks tab — one row
// per check of the chosen round, the gate's verdict, Re-run / Re-run failed — and, when the gate
// blocked and asks, the feedback composer on top.
import "./checks.css";
import { useState } from "react";
import { checks, type IpcError } from "../../ipc";
import { Dialog } from "../../shared/Dialog";
import { sessionAgentLabel } from "../../shared/agentNames";
import { lastCheckedRound, waitingFeedback, type Round, type TaskState } from "../../model/tasks";
import type { Transcript } from "../../model/transcript";
import { commentsSent } from "../files/comments";
import { useFilesOpener } from "../files/opener";
import { useUnsentComments } from "../files/useUnsentComments";
import { useReviews } from "../review/ReviewProvider";
import { CheckRow } from "./CheckRow";
import { ChecksSettingsDialog } from "./ChecksSettingsDialog";
import { ConfigBar } from "./ConfigBar";
import { FeedbackComposer } from "./FeedbackComposer";
import { TrustDialog } from "./TrustDialog";
import type { OverviewState } from "./useChecksOverview";

interface Props {
  project: string;
  sessionId: string;
  /** The session's transcript; the view re-renders the panel as it changes. */
  transcript: Transcript;
  overview: OverviewState;
  onClose: () => void;
}

const VERDICT_WORDS = { passed: "The gate passed", blocked: "The gate blocked", exhausted: "No more rounds: the gate did not pass" } as const;

export function ChecksPanel({ project, sessionId, transcript, overview, onClose }: Props) {
  const task = transcript.tasks.current;
  const [pickedRound, setPickedRound] = useState<number | null>(null);
  const [trusting, setTrusting] = useState(false);
  const [settings, setSettings] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const openFiles = useFilesOpener();
  const review = useReviews();
  const unsent = useUnsentComments(project, sessionId);
  const o = overview.overview;
  const maxRounds = o?.maxRounds ?? null;

  const act = async (work: () => Promise<{ ok: true } | { ok: false; error: IpcError }>, then?: () => void) => {
    setBusy(true);
    const outcome = await work();
    setBusy(false);
    setError(outcome.ok ? null : outcome.error);
    if (outcome.ok) then?.();
  };

  const waiting = task ? waitingFeedback(task) : null;
  const shownRound: Round | null = task ? (task.rounds.find((r) => r.round === pickedRound) ?? lastCheckedRound(task)) : null;
  const running = task !== null && (task.phase === "working" || task.phase === "checking");
  const anyFailed = shownRound?.checks.some((c) => c.outcome?.status === "failed" || c.outcome?.status === "error") ?? false;
  const agentName = sessionAgentLabel(transcript.started);

  return (
    <Dialog title="Checks" onCancel={onClose} testId="checks-panel">
      <div className="checks-body">
        <ConfigBar state={overview} onReview={() => setTrusting(true)} project={project} />
        {error && (
          <div className="inline-error" role="alert" data-testid="checks-error">
            {error.message}
          </div>
        )}
        {task && waiting?.proposed && (
          <FeedbackComposer
            key={`${task.task}:${waiting.round}`}
            round={waiting.round}
            maxRounds={maxRounds}
            agentName={agentName}
            proposed={waiting.proposed}
            comments={unsent.comments}
            busy={busy}
            // Sent, the panel steps aside: the agent works on it in the chat, where its tool
            // calls (and their permission questions) must not sit under this dialog.
            onSend={(text, carried) =>
              void act(
                () => checks.feedback(sessionId, task.task, "send", text),
                () => {
                  // Sent with the feedback: not offered again (a failure to record it is said
                  // in the Files panel, where the comment then still shows as unsent).
                  if (carried.length > 0) void commentsSent(project, carried);
                  onClose();
                },
              )
            }
            onDismiss={() => void act(() => checks.feedback(sessionId, task.task, "dismiss", null))}
            onAccept={() => void act(() => checks.feedback(sessionId, task.task, "accept", null))}
          />
        )}
        {!task ? (
          <p className="checks-empty muted" data-testid="checks-no-task">
            No task yet: checks run when the agent ends a turn of your prompt.
          </p>
        ) : (
          <TaskChecks
            task={task}
            round={shownRound}
            maxRounds={maxRounds}
            onPickRound={setPickedRound}
            onOpenFile={
              openFiles
                ? (path, line) => openFiles({ type: "session" }, relativeTo(project, path), line !== null ? { lineStart: line, lineEnd: line } : undefined)
                : null
            }
          />
        )}
      </div>
      <div className="dialog-buttons">
        {task && (
          <>
            <button type="button" onClick={() => void act(() => checks.rerun(sessionId, task.task, true))} disabled={busy || running || !anyFailed} data-testid="checks-rerun-failed">
              Re-run failed
            </button>
            <button type="button" onClick={() => void act(() => checks.rerun(sessionId, task.task, false))} disabled={busy || running} data-testid="checks-rerun">
              Re-run
            </button>
          </>
        )}
        {review && task && (
          <button
            type="button"
            onClick={() => (transcript.reviews.forTask(task.task).length > 0 ? review.show(`task:${task.task}`) : review.ask({ type: "task", task: task.task }))}
            data-testid="checks-reviews"
          >
            {transcript.reviews.forTask(task.task).length > 0 ? `Reviews (${transcript.reviews.forTask(task.task).length})` : "Review with…"}
          </button>
        )}
        <button type="button" onClick={() => setSettings(true)} disabled={!o} data-testid="checks-open-settings">
          Checks and webhooks…
        </button>
        <button type="button" onClick={onClose} data-testid="checks-close">
          Close
        </button>
      </div>
      {settings && o && <ChecksSettingsDialog project={project} overview={o} onClose={() => setSettings(false)} />}
      {trusting && o?.request && (
        <TrustDialog
          project={project}
          request={o.request}
          trust={o.trust}
          onDecided={(next) => {
            overview.set(next);
            setTrusting(false);
          }}
          onStale={() => {
            overview.refresh();
            setTrusting(false);
          }}
          onClose={() => setTrusting(false)}
        />
      )}
    </Dialog>
  );
}

interface TaskChecksProps {
  task: TaskState;
  round: Round | null;
  maxRounds: number | null;
  onPickRound: (round: number) => void;
  onOpenFile: ((path: string, line: number | null) => void) | null;
}

function TaskChecks({ task, round, maxRounds, onPickRound, onOpenFile }: TaskChecksProps) {
  const rounds = task.rounds.filter((r) => r.checks.length > 0 || r.verdict !== null);
  return (
    <>
      <div className="checks-bar">
        <span className="checks-summary">
          {round?.verdict ? (
            <span className={`checks-verdict ${round.verdict}`} data-testid="checks-verdict" data-verdict={round.verdict}>
              {VERDICT_WORDS[round.verdict]}
              {round.reason ? `: ${round.reason}` : ""}
            </span>
          ) : task.phase === "working" ? (
            <span className="muted">The agent is working{round ? "" : "; checks run when it ends its turn"}.</span>
          ) : (
            <span className="muted">Checks are running…</span>
          )}
        </span>
        {rounds.length > 1 && round && (
          <label className="muted">
            Round{" "}
            <select value={round.round} onChange={(e) => onPickRound(Number(e.target.value))} data-testid="checks-round">
              {rounds.map((r) => (
                <option key={r.round} value={r.round}>
                  {r.round}
                  {maxRounds ? ` of ${maxRounds}` : ""}
                </option>
              ))}
            </select>
          </label>
        )}
        {rounds.length <= 1 && round && (
          <span className="muted">
            Round {round.round}
            {maxRounds ? ` of ${maxRounds}` : ""}
          </span>
        )}
      </div>
      {round && round.checks.length > 0 ? (
        <ul className="check-list" data-testid="check-list">
          {round.checks.map((run) => (
            <CheckRow key={`${run.round}:${run.check}`} run={run} onOpenFile={onOpenFile} initiallyOpen={run.outcome?.status === "failed"} />
          ))}
        </ul>
      ) : (
        round?.verdict && <p className="checks-empty muted">No check matched this task.</p>
      )}
      {round?.sent && (
        <p className="muted" data-testid="checks-sent">
          {round.sent.auto ? "Feedback was sent automatically" : "You sent feedback"} after this round (turn {round.sent.turn}).
        </p>
      )}
      {round?.dismissed && <p className="muted">You dismissed the feedback of this round.</p>}
    </>
  );
}

/** A finding's file relative to the project (tools print either). */
export function relativeTo(project: string, file: string): string {
  const base = project.endsWith("/") ? project : `${project}/`;
  const rel = file.startsWith(base) ? file.slice(base.length) : file;
  return rel.startsWith("./") ? rel.slice(2) : rel;
}
