import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PipelineStart } from "./PipelineStart";
import { state } from "./testStates";

const list = vi.fn();
const start = vi.fn();
vi.mock("../../ipc", () => ({
  pipelines: {
    list: (...args: unknown[]) => list(...args),
    start: (...args: unknown[]) => start(...args),
  },
}));

afterEach(() => {
  cleanup();
  list.mockReset();
  start.mockReset();
});

const spec = {
  id: "pir",
  name: "Plan, implement, review",
  maxRounds: 3,
  steps: [
    { role: "plan", agent: "claude", model: "opus", approve: "person", blockOn: [], instructions: null },
    { role: "implement", agent: "codex", model: null, approve: "person", blockOn: [], instructions: null },
    { role: "review", agent: "gemini", model: null, approve: "person", blockOn: ["high"], instructions: null },
  ],
};

describe("starting a pipeline from the New Session dialog", () => {
  it("offers nothing when the project has no pipelines", async () => {
    list.mockResolvedValue({ ok: true, value: [] });
    const view = render(<PipelineStart project="/p" mode="default" onStarted={() => {}} />);
    await waitFor(() => expect(list).toHaveBeenCalledWith("/p"));
    expect(view.container.innerHTML).toBe("");
  });

  it("starts the chosen pipeline with the task and the implementer's mode", async () => {
    list.mockResolvedValue({ ok: true, value: [spec] });
    const first = state([]);
    start.mockResolvedValue({ ok: true, value: first });
    const onStarted = vi.fn();
    render(<PipelineStart project="/p" mode="acceptEdits" onStarted={onStarted} />);
    await waitFor(() => expect(screen.getByTestId("pipeline-steps-hint").textContent).toBe("plan (claude opus) → implement (codex) → review (gemini) · up to 3 rounds"));
    expect((screen.getByTestId("start-pipeline") as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByTestId("pipeline-task"), { target: { value: "Add a test" } });
    fireEvent.click(screen.getByTestId("start-pipeline"));
    await waitFor(() => expect(onStarted).toHaveBeenCalledWith(first));
    expect(start).toHaveBeenCalledWith("/p", "pir", "Add a test", "acceptEdits");
  });

  it("shows why a start failed", async () => {
    list.mockResolvedValue({ ok: true, value: [spec] });
    start.mockResolvedValue({ ok: false, error: { code: "internal", message: "unknown agent 'gemini'" } });
    render(<PipelineStart project="/p" mode="default" onStarted={() => {}} />);
    await waitFor(() => screen.getByTestId("pipeline-task"));
    fireEvent.change(screen.getByTestId("pipeline-task"), { target: { value: "x" } });
    fireEvent.click(screen.getByTestId("start-pipeline"));
    await waitFor(() => expect(screen.getByTestId("pipeline-start-error").textContent).toBe("unknown agent 'gemini'"));
  });
});
