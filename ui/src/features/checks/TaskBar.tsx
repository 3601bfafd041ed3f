// The line above the prompt box when the session's task waits for the person: its checks
// failed and feedback is proposed, or it ran out of rounds (or of its budget). It says what the
// task has cost so far, where the agent reports cost, and opens the Checks panel.
import "./checks.css";
import { costWords, lastCheckedRound, needsPerson, waitingFeedback } from "../../model/tasks";
import type { Transcript } from "../../model/transcript";
import { useChecks } from "./ChecksProvider";

export function TaskBar({ transcript }: { transcript: Transcript }) {
  const checks = useChecks();
  const task = transcript.tasks.current;
  if (!checks || !task || !needsPerson(task)) return null;
  const waiting = waitingFeedback(task);
  const round = lastCheckedRound(task);
  const failed = round?.checks.filter((c) => c.outcome?.status === "failed").length ?? 0;
  const text =
    task.phase === "exhausted"
      ? `The checks still fail after ${task.rounds.length} ${task.rounds.length === 1 ? "round" : "rounds"}: no more automatic rounds.`
      : waiting
        ? `${failed === 1 ? "A check" : `${failed} checks`} failed in round ${waiting.round}: feedback for the agent waits for you.`
        : "The checks failed; the feedback was dismissed.";
  const cost = costWords(task, checks.overview.overview?.budgetUsd ?? null, transcript.reviews.costOfTask(task.task));
  return (
    <div className={`task-bar ${task.phase}`} role="status" data-testid="task-bar" data-phase={task.phase}>
      <span className="task-bar-text">{text}</span>
      {cost && (
        <span className="task-cost" data-testid="task-bar-cost" title="What the task's turns cost so far">
          {cost}
        </span>
      )}
      <button type="button" className="small primary" onClick={checks.open} data-testid="task-bar-open">
        {waiting ? "Review feedback" : "Open checks"}
      </button>
    </div>
  );
}
