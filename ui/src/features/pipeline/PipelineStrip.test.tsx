import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PipelineStrip, PipelineStrips } from "./PipelineStrip";
import { mergeRun, stepLabel, totalCost } from "./strip";
import { state, step } from "./testStates";

const decide = vi.fn();
const stop = vi.fn();
vi.mock("../../ipc", () => ({
  pipelines: {
    decide: (...args: unknown[]) => decide(...args),
    stop: (...args: unknown[]) => stop(...args),
  },
}));

afterEach(() => {
  cleanup();
  decide.mockReset();
  stop.mockReset();
});

const reviewing = state(
  [
    step("plan", "claude", "done", { costUsd: 0.012 }),
    step("implement", "codex", "done", { round: 2, costUsd: 0.5 }),
    step("review", "gemini", "running", { round: 2 }),
  ],
  { current: 2, round: 2, plan: "1. x" },
);

describe("the pipeline strip", () => {
  it("shows each step as a chip with its round and status, the round and the total cost", () => {
    render(<PipelineStrip state={reviewing} onOpen={() => {}} />);
    expect(screen.getByTestId("pipeline-step-0").textContent).toBe("plan · claude ✓$0.01");
    expect(screen.getByTestId("pipeline-step-1").textContent).toBe("implement · codex round 2 ✓$0.50");
    expect(screen.getByTestId("pipeline-step-2").textContent).toBe("review · gemini round 2 …");
    expect(screen.getByTestId("pipeline-step-2").classList.contains("current")).toBe(true);
    expect(screen.getByTestId("pipeline-round").textContent).toBe("round 2/3");
    expect(screen.getByTestId("pipeline-cost").textContent).toBe("$0.51");
    expect(screen.getByTestId("pipeline-status").textContent).toBe("running");
  });

  it("opens a step's session from its chip; a step not started has none", () => {
    const onOpen = vi.fn();
    const early = state([step("plan", "claude", "running"), step("implement", "codex", "waiting")]);
    render(<PipelineStrip state={early} onOpen={onOpen} />);
    fireEvent.click(screen.getByTestId("pipeline-step-0"));
    expect(onOpen).toHaveBeenCalledWith("s-plan");
    expect((screen.getByTestId("pipeline-step-1") as HTMLButtonElement).disabled).toBe(true);
  });

  it("stops a running pipeline, and an ended one shows why and no Stop", () => {
    const view = render(<PipelineStrip state={reviewing} onOpen={() => {}} />);
    fireEvent.click(screen.getByTestId("pipeline-stop"));
    expect(stop).toHaveBeenCalledWith("run-1");
    const over = { ...reviewing, status: { kind: "notPassed" as const, reason: "the reviewers' blocking findings remain after 3 round(s)" } };
    view.rerender(<PipelineStrip state={over} onOpen={() => {}} />);
    expect(screen.queryByTestId("pipeline-stop")).toBeNull();
    expect(screen.getByTestId("pipeline-status").textContent).toBe("not passed: the reviewers' blocking findings remain after 3 round(s)");
  });

  it("asks for the plan's approval by itself and sends the decision", async () => {
    decide.mockResolvedValue({ ok: true, value: null });
    const waiting = state([step("plan", "claude", "awaitingApproval"), step("implement", "codex", "waiting")], {
      status: { kind: "awaitingApproval", plan: "1. Write done.txt" },
    });
    render(<PipelineStrip state={waiting} onOpen={() => {}} />);
    expect((screen.getByTestId("plan-text") as HTMLTextAreaElement).value).toBe("1. Write done.txt");
    fireEvent.click(screen.getByTestId("plan-approve"));
    await waitFor(() => expect(decide).toHaveBeenCalledWith("run-1", { decision: "approve", text: null }));
    await waitFor(() => expect(screen.queryByTestId("plan-approval")).toBeNull());
    // It can be opened again from the strip while the plan still waits.
    fireEvent.click(screen.getByTestId("pipeline-review-plan"));
    expect(screen.getByTestId("plan-approval")).toBeTruthy();
  });

  it("opens the session of the step at work once, as each step starts", () => {
    const onOpen = vi.fn();
    const view = render(<PipelineStrips runs={[state([step("plan", "claude", "running"), step("implement", "codex", "waiting")])]} onOpen={onOpen} />);
    view.rerender(<PipelineStrips runs={[state([step("plan", "claude", "running"), step("implement", "codex", "waiting")])]} onOpen={onOpen} />);
    expect(onOpen.mock.calls).toEqual([["s-plan"]]);
    view.rerender(<PipelineStrips runs={[state([step("plan", "claude", "done"), step("implement", "codex", "running")], { current: 1 })]} onOpen={onOpen} />);
    expect(onOpen.mock.calls).toEqual([["s-plan"], ["s-implement"]]);
  });
});

describe("the strip's words", () => {
  it("labels steps, adds costs and keeps runs in order", () => {
    expect(stepLabel(step("review", "gemini", "changesRequested"))).toBe("review · gemini changes requested");
    expect(totalCost(state([step("plan", "claude", "done")]))).toBeNull();
    const a = state([], { runId: "a" });
    const b = state([], { runId: "b" });
    expect(mergeRun(mergeRun([a], b), { ...a, round: 2 }).map((r) => [r.runId, r.round])).toEqual([
      ["a", 2],
      ["b", 1],
    ]);
  });
});
