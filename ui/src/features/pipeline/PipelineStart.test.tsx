import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PipelineStart } from "./PipelineStart";
import { state } from "./testStates";

const list = vi.fn();
const start = vi.fn();
const startSpec = vi.fn();
const save = vi.fn();
vi.mock("../../ipc", () => ({
  pipelines: {
    list: (...args: unknown[]) => list(...args),
    start: (...args: unknown[]) => start(...args),
    startSpec: (...args: unknown[]) => startSpec(...args),
    save: (...args: unknown[]) => save(...args),
  },
}));
// The detected agents: Claude Code and Codex usable, Gemini not installed.
vi.mock("../../model/useAgents", () => ({
  useAgents: () => ({
    views: [
      { kind: "claude", name: "Claude Code", status: { state: "ready" }, custom: null },
      { kind: "codex", name: "Codex", status: { state: "ready" }, custom: null },
      { kind: "gemini", name: "Gemini CLI", status: { state: "notInstalled" }, custom: null },
      { kind: "claudeAcp", name: "Claude Code (ACP)", status: { state: "ready" }, custom: null },
    ],
    error: null,
    loading: false,
    refresh: async () => {},
  }),
}));

afterEach(() => {
  cleanup();
  list.mockReset();
  start.mockReset();
  startSpec.mockReset();
  save.mockReset();
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
  it("offers only to define one when the project has no pipelines", async () => {
    list.mockResolvedValue({ ok: true, value: [] });
    render(<PipelineStart project="/p" mode="default" onStarted={() => {}} />);
    await waitFor(() => screen.getByTestId("define-pipeline"));
    expect(screen.queryByTestId("pipeline-task")).toBeNull();
    fireEvent.click(screen.getByTestId("define-pipeline"));
    const roles = screen.getAllByTestId(/^pipeline-editor-step-\d$/).map((li) => li.getAttribute("data-role"));
    expect(roles).toEqual(["plan", "implement", "review"]);
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
