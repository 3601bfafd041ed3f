import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { PlanEntry } from "../../ipc";
import { PlanPanel } from "./PlanPanel";

afterEach(cleanup);

const entry = (content: string, status: PlanEntry["status"]): PlanEntry => ({ id: null, content, status });

describe("PlanPanel", () => {
  it("counts the entries that are done and marks each entry's progress", () => {
    render(
      <PlanPanel
        plan={[entry("Read the code", "completed"), entry("Write the fix", "inProgress"), entry("Run the tests", "pending")]}
      />,
    );
    expect(screen.getByTestId("plan-count").textContent).toBe("1/3 done");
    const items = screen.getAllByRole("listitem");
    expect(items.map((item) => item.dataset.status)).toEqual(["completed", "inProgress", "pending"]);
    expect(items[1]!.textContent).toBe("in progress: Write the fix");
  });

  it("shows a priority when the agent gives one", () => {
    const withPriority = { ...entry("Ship it", "pending"), priority: "high" } as PlanEntry;
    render(<PlanPanel plan={[withPriority]} />);
    expect(screen.getByText("high")).toBeTruthy();
    expect(screen.getByTestId("plan-count").textContent).toBe("0/1 done");
  });

  it("says when there is no plan", () => {
    render(<PlanPanel plan={[]} />);
    expect(screen.getByText("No plan yet.")).toBeTruthy();
    expect(screen.queryByTestId("plan-count")).toBeNull();
  });
});
