import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { Transcript } from "../../model/transcript";
import * as ev from "../../model/testTasks";
import { TaskChip } from "./TaskChip";

afterEach(cleanup);

function taskOf(kinds: Parameters<typeof ev.stream>[0]) {
  const t = new Transcript();
  t.apply(ev.stream(kinds));
  return t.tasks.current!;
}

const checking = [ev.started(), ev.turnEnded(1, 0.0123), ev.completed(1), ev.checkStarted("tests", 1)];

describe("the task chip", () => {
  it("shows what the task has cost so far, and the budget when one is set", () => {
    const task = taskOf(checking);
    const view = render(<TaskChip task={task} maxRounds={3} showCost onOpen={() => {}} />);
    expect(screen.getByTestId("task-chip").textContent).toBe("Checking 0/1$0.01");
    expect(screen.getByTestId("task-chip-cost").textContent).toBe("$0.01");
    view.rerender(<TaskChip task={task} maxRounds={3} budgetUsd={0.5} showCost onOpen={() => {}} />);
    expect(screen.getByTestId("task-chip-cost").textContent).toBe("$0.01 of $0.50");
    expect(screen.getByTestId("task-chip-cost").classList.contains("spent")).toBe(false);
  });

  it("marks a spent budget", () => {
    const task = taskOf([...checking, ev.sent(2), ev.turnEnded(2, 0.5)]);
    render(<TaskChip task={task} maxRounds={3} budgetUsd={0.25} showCost />);
    expect(screen.getByTestId("task-chip-cost").classList.contains("spent")).toBe(true);
  });

  it("shows no cost where the agent reports none, nor on the tab", () => {
    const view = render(<TaskChip task={taskOf([ev.started(), ev.turnEnded(1, null), ev.completed(1)])} maxRounds={3} budgetUsd={1} showCost />);
    expect(screen.queryByTestId("task-chip-cost")).toBeNull();
    view.rerender(<TaskChip task={taskOf(checking)} maxRounds={3} testId="tab-task-chip" />);
    expect(screen.queryByTestId("tab-task-chip-cost")).toBeNull();
  });
});
