// The chip that says where a session's latest task stands: Working · Checking 2/3 · Needs you ·
// Passed ✓ · Exhausted (3/3) · Stopped. On the header it opens the Checks panel.
import "./checks.css";
import { chipWords, type TaskState } from "../../model/tasks";

interface Props {
  task: TaskState;
  /** The round limit, when known (the project's `[gate] max_rounds`). */
  maxRounds: number | null;
  /** Opens the Checks panel; without it the chip is plain text (the tab). */
  onOpen?: () => void;
  testId?: string;
}

export function TaskChip({ task, maxRounds, onOpen, testId = "task-chip" }: Props) {
  const words = chipWords(task, maxRounds);
  const className = `task-chip ${task.phase}`;
  if (!onOpen)
    return (
      <span className={className} data-testid={testId} data-phase={task.phase}>
        {words}
      </span>
    );
  return (
    <button type="button" className={className} onClick={onOpen} data-testid={testId} data-phase={task.phase} title="The task's checks and feedback">
      {words}
    </button>
  );
}
