import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { WorktreeOptions } from "../../ipc";
import { VIEWS } from "../../model/testAgents";
import { NewSessionDialog } from "./NewSessionDialog";

const ipc = vi.hoisted(() => ({ list: vi.fn(), onRefreshed: vi.fn(async () => () => {}) }));
vi.mock("../../ipc", () => ({ agents: ipc }));

afterEach(cleanup);
beforeEach(() => {
  ipc.list.mockReset();
  ipc.list.mockResolvedValue({ ok: true, value: VIEWS });
});

const OPTIONS: WorktreeOptions = {
  usable: true,
  problem: null,
  currentBranch: "main",
  head: "abc1234",
  branches: ["main"],
  suggestedBranch: "warden/session",
  copy: [],
  setup: "npm ci",
  setupTrusted: true,
  setupNote: null,
  folder: "/data/worktrees/shop",
};

const byId = <T extends HTMLElement = HTMLInputElement>(id: string) => screen.getByTestId(id) as T;
const startButton = () => byId<HTMLButtonElement>("start-session");
const rows = () => screen.getAllByTestId("best-of-member");
const agentsOf = () => screen.getAllByTestId("best-of-agent").map((s) => (s as HTMLSelectElement).value);

async function openBestOf() {
  const onStart = vi.fn().mockResolvedValue(null);
  const onStartBestOf = vi.fn().mockResolvedValue(null);
  render(
    <NewSessionDialog
      projectName="shop"
      onStart={onStart}
      onStartBestOf={onStartBestOf}
      onCancel={vi.fn()}
      worktreeOptions={() => Promise.resolve({ ok: true, value: OPTIONS })}
    />,
  );
  await waitFor(() => expect(byId<HTMLSelectElement>("agent-select").options.length).toBe(VIEWS.length));
  await waitFor(() => expect(byId("new-session-best-of").disabled).toBe(false));
  fireEvent.click(byId("new-session-best-of"));
  return { onStart, onStartBestOf };
}

describe("New Session dialog, best of N", () => {
  it("starts with two rows of the chosen agent and never fewer than two", async () => {
    await openBestOf();
    expect(rows()).toHaveLength(2);
    expect(agentsOf()).toEqual(["claude", "claude"]);
    // The single agent list gives way to the rows.
    expect(screen.queryByTestId("agent-select")).toBeNull();
    for (const remove of screen.getAllByTestId("best-of-remove")) expect((remove as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(byId("best-of-add"));
    expect(rows()).toHaveLength(3);
    fireEvent.click(screen.getAllByTestId("best-of-remove")[0]!);
    expect(rows()).toHaveLength(2);
    for (const remove of screen.getAllByTestId("best-of-remove")) expect((remove as HTMLButtonElement).disabled).toBe(true);
  });

  it("needs a prompt, then starts every member on it from the base", async () => {
    const { onStart, onStartBestOf } = await openBestOf();
    fireEvent.change(screen.getAllByTestId("best-of-agent")[1]!, { target: { value: "codex" } });
    fireEvent.click(byId("best-of-add"));
    expect(agentsOf()).toEqual(["claude", "codex", "codex"]);
    expect(startButton().disabled).toBe(true);
    expect(screen.getByTestId("best-of-problem").textContent).toMatch(/prompt/);
    fireEvent.change(byId<HTMLTextAreaElement>("best-of-prompt"), { target: { value: "  Make the tests pass  " } });
    expect(startButton().textContent).toBe("Start 3 Sessions");
    fireEvent.click(byId("mode-acceptEdits"));
    await act(async () => {
      fireEvent.click(startButton());
    });
    expect(onStart).not.toHaveBeenCalled();
    expect(onStartBestOf).toHaveBeenCalledWith({
      prompt: "Make the tests pass",
      members: [
        { agent: "claude", agentName: null, model: null, sandbox: null },
        { agent: "codex", agentName: null, model: null, sandbox: "workspaceWrite" },
        { agent: "codex", agentName: null, model: null, sandbox: "workspaceWrite" },
      ],
      mode: "acceptEdits",
      base: "main",
      runSetup: true,
    });
  });

  it("keeps everything as it was when the start fails", async () => {
    const { onStartBestOf } = await openBestOf();
    onStartBestOf.mockResolvedValue({ code: "internal", message: "could not make warden/x-2: it exists" });
    fireEvent.change(byId<HTMLTextAreaElement>("best-of-prompt"), { target: { value: "Do it" } });
    fireEvent.click(byId("best-of-add"));
    await act(async () => {
      fireEvent.click(startButton());
    });
    expect(screen.getByTestId("start-error").textContent).toMatch(/it exists/);
    expect(rows()).toHaveLength(3);
    expect(byId<HTMLTextAreaElement>("best-of-prompt").value).toBe("Do it");
  });
});
