// The chip that says where a session's latest task stands: Working · Checking 2/3 · Needs you ·
// Passed ✓ · Exhausted (3/3) · Stopped, with what the task has cost so far where the agent
// reports cost (and the budget, when one is set). On the header it opens the Checks panel.
import "./checks.css";
import { chipWords, costWords, taskCost, type TaskState } from "../../model/tasks";

interface Props {
  task: TaskState;
  /** The round limit, when known (the project's `[gate] max_rounds`). */
  maxRounds: number | null;
  /** The cost budget (`[gate] budget_usd`); null when none is set or it is not known. */
  budgetUsd?: number | null;
  /** What the task's reviewers cost (added to its own). */
  reviewCostUsd?: number | null;
  /** Shows the task's cost (the header; the tab is too narrow). */
  showCost?: boolean;
  /** Opens the Checks panel; without it the chip is plain text (the tab). */
  onOpen?: () => void;
  testId?: string;
}

export function TaskChip({ task, maxRounds, budgetUsd = null, reviewCostUsd = null, showCost = false, onOpen, testId = "task-chip" }: Props) {
  const words = chipWords(task, maxRounds);
  const cost = showCost ? costWords(task, budgetUsd, reviewCostUsd) : null;
  const total = taskCost(task, reviewCostUsd);
  const spent = budgetUsd !== null && total !== null && total >= budgetUsd;
  const className = `task-chip ${task.phase}`;
  const content = (
    <>
      {words}
      {cost && (
        <span
          className={spent ? "task-cost spent" : "task-cost"}
          data-testid={`${testId}-cost`}
          title={budgetUsd !== null ? "What the task's turns and reviews cost, and the budget at which automatic feedback stops" : "What the task's turns and reviews cost"}
        >
          {cost}
        </span>
      )}
    </>
  );
  if (!onOpen)
    return (
      <span className={className} data-testid={testId} data-phase={task.phase}>
        {content}
      </span>
    );
  return (
    <button type="button" className={className} onClick={onOpen} data-testid={testId} data-phase={task.phase} title="The task's checks and feedback">
      {content}
    </button>
  );
}
