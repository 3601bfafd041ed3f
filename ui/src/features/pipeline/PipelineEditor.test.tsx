import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useState } from "react";
import { agentChoices, initialDraft, newStep, toSpec, type DraftStep } from "./draft";
import { PipelineEditor } from "./PipelineEditor";
import { PipelineStart } from "./PipelineStart";
import { state } from "./testStates";
import type { AgentView } from "../../ipc";

const list = vi.fn();
const startSpec = vi.fn();
const save = vi.fn();
vi.mock("../../ipc", () => ({
  pipelines: {
    list: (...args: unknown[]) => list(...args),
    start: vi.fn(),
    startSpec: (...args: unknown[]) => startSpec(...args),
    save: (...args: unknown[]) => save(...args),
  },
}));
vi.mock("../../model/useAgents", () => ({
  useAgents: () => ({
    views: [
      { kind: "claude", name: "Claude Code", status: { state: "ready" }, custom: null },
      { kind: "codex", name: "Codex", status: { state: "ready" }, custom: null },
    ],
    error: null,
    loading: false,
    refresh: async () => {},
  }),
}));

afterEach(() => {
  cleanup();
  list.mockReset();
  startSpec.mockReset();
  save.mockReset();
});

const agents = [
  { name: "claude", label: "Claude Code" },
  { name: "codex", label: "Codex" },
];

/** The editor with its own state, reporting every change. */
function Editor({ initial, seen }: { initial: DraftStep[]; seen: (steps: DraftStep[]) => void }) {
  const [steps, setSteps] = useState(initial);
  return (
    <PipelineEditor
      steps={steps}
      agents={agents}
      onChange={(next) => {
        seen(next);
        setSteps(next);
      }}
    />
  );
}

const roles = () => screen.getAllByTestId(/^pipeline-editor-step-\d$/).map((li) => li.getAttribute("data-role"));
const button = (id: string) => screen.getByTestId(id) as HTMLButtonElement;

describe("the pipeline step editor", () => {
  it("keeps the order a pipeline needs: one plan first, the one implement step, reviews after", () => {
    const seen = vi.fn();
    render(<Editor initial={[newStep("implement", "claude")]} seen={seen} />);
    expect(button("pipeline-editor-step-0-remove").disabled).toBe(true);
    fireEvent.click(button("pipeline-add-review"));
    fireEvent.click(button("pipeline-add-review"));
    fireEvent.click(button("pipeline-add-plan"));
    expect(roles()).toEqual(["plan", "implement", "review", "review"]);
    expect(button("pipeline-add-plan").disabled).toBe(true);
    // The plan and the implementer never move; reviews move among themselves only.
    for (const i of [0, 1]) expect([button(`pipeline-editor-step-${i}-up`).disabled, button(`pipeline-editor-step-${i}-down`).disabled]).toEqual([true, true]);
    expect(button("pipeline-editor-step-2-up").disabled).toBe(true);
    fireEvent.change(screen.getByTestId("pipeline-editor-step-3-agent"), { target: { value: "codex" } });
    fireEvent.click(button("pipeline-editor-step-3-up"));
    expect(seen.mock.lastCall?.[0].map((s: DraftStep) => s.agent)).toEqual(["claude", "claude", "codex", "claude"]);
    fireEvent.click(button("pipeline-editor-step-0-remove"));
    expect(roles()).toEqual(["implement", "review", "review"]);
    expect(button("pipeline-editor-step-0-remove").disabled).toBe(true);
  });

  it("edits the plan's approval, a review's blocking severities, the model and instructions", () => {
    const seen = vi.fn();
    render(<Editor initial={initialDraft()} seen={seen} />);
    expect(screen.queryByTestId("pipeline-editor-step-1-auto")).toBeNull();
    expect(screen.queryByTestId("pipeline-editor-step-0-block")).toBeNull();
    fireEvent.click(screen.getByTestId("pipeline-editor-step-0-auto"));
    fireEvent.click(screen.getByTestId("pipeline-editor-step-2-block-medium"));
    fireEvent.click(screen.getByTestId("pipeline-editor-step-2-block-critical"));
    fireEvent.change(screen.getByTestId("pipeline-editor-step-1-model"), { target: { value: "opus" } });
    fireEvent.change(screen.getByTestId("pipeline-editor-step-2-instructions"), { target: { value: "Check the tests." } });
    const [plan, implement, review]: DraftStep[] = seen.mock.lastCall?.[0];
    expect(plan?.approve).toBe("auto");
    expect(review?.blockOn).toEqual(["high", "medium"]);
    expect(implement?.model).toBe("opus");
    expect(review?.instructions).toBe("Check the tests.");
  });

  it("names agents as the file does and writes only the fields a role takes", () => {
    const views = [
      { kind: "claudeAcp", name: "Claude Code (ACP)", status: { state: "ready" }, custom: null },
      { kind: "custom", name: "Mine", status: { state: "ready" }, custom: {} },
      { kind: "gemini", name: "Gemini CLI", status: { state: "notInstalled" }, custom: null },
    ] as unknown as AgentView[];
    expect(agentChoices(views).map((a) => a.name)).toEqual(["claude-acp", "Mine"]);
    const draft = [
      { ...newStep("plan", "codex"), blockOn: ["low" as const], model: "  " },
      { ...newStep("implement", "codex"), approve: "auto" as const, instructions: " " },
    ];
    const spec = toSpec(draft, " mine ", "", 2);
    expect(spec.id).toBe("mine");
    expect(spec.name).toBe("mine");
    expect(spec.steps[0]).toMatchObject({ model: null, blockOn: ["critical", "high"] });
    expect(spec.steps[1]).toMatchObject({ approve: "person", instructions: null });
  });
});

describe("defining a pipeline in the New Session dialog", () => {
  it("starts it as given, and saves it under an id so it is offered next", async () => {
    list.mockResolvedValue({ ok: true, value: [] });
    const first = state([]);
    startSpec.mockResolvedValue({ ok: true, value: first });
    const onStarted = vi.fn();
    render(<PipelineStart project="/p" mode="acceptEdits" onStarted={onStarted} />);
    fireEvent.click(await screen.findByTestId("define-pipeline"));
    fireEvent.change(screen.getByTestId("pipeline-editor-step-1-agent"), { target: { value: "codex" } });
    fireEvent.click(button("pipeline-editor-step-2-remove"));
    fireEvent.change(screen.getByTestId("pipeline-max-rounds"), { target: { value: "2" } });

    fireEvent.click(screen.getByTestId("pipeline-save-as"));
    expect(button("pipeline-save-confirm").disabled).toBe(true);
    fireEvent.change(screen.getByTestId("pipeline-save-id"), { target: { value: "plan-codex" } });
    save.mockResolvedValueOnce({ ok: false, error: { code: "internal", message: "a pipeline with the id `plan-codex` already exists" } });
    fireEvent.click(button("pipeline-save-confirm"));
    await waitFor(() => expect(screen.getByTestId("pipeline-start-error").textContent).toContain("already exists"));
    const spec = {
      id: "plan-codex",
      name: "plan-codex",
      maxRounds: 2,
      steps: [
        { role: "plan", agent: "claude", model: null, approve: "person", blockOn: ["critical", "high"], instructions: null },
        { role: "implement", agent: "codex", model: null, approve: "person", blockOn: ["critical", "high"], instructions: null },
      ],
    };
    expect(save).toHaveBeenLastCalledWith("/p", spec, false);
    fireEvent.click(screen.getByTestId("pipeline-save-replace"));
    save.mockResolvedValueOnce({ ok: true, value: [spec] });
    fireEvent.click(button("pipeline-save-confirm"));
    await waitFor(() => expect(screen.getByTestId("pipeline-saved").textContent).toContain("plan-codex"));
    expect(save).toHaveBeenLastCalledWith("/p", spec, true);
    expect((screen.getByTestId("pipeline-select") as HTMLSelectElement).value).toBe("plan-codex");
    expect(screen.queryByTestId("pipeline-editor")).toBeNull();

    // Changing the saved one's steps starts the changed copy, not the file's entry.
    fireEvent.click(screen.getByTestId("pipeline-change-steps"));
    fireEvent.click(button("pipeline-add-review"));
    fireEvent.change(screen.getByTestId("pipeline-task"), { target: { value: "Add a test" } });
    fireEvent.click(button("start-pipeline"));
    await waitFor(() => expect(onStarted).toHaveBeenCalledWith(first));
    const [project, started, task, mode] = startSpec.mock.lastCall ?? [];
    expect([project, task, mode]).toEqual(["/p", "Add a test", "acceptEdits"]);
    expect(started.steps.map((s: DraftStep) => `${s.role}:${s.agent}`)).toEqual(["plan:claude", "implement:codex", "review:claude"]);
    expect(started.maxRounds).toBe(2);
  });
});
