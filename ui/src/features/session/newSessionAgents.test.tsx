import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { view, VIEWS } from "../../model/testAgents";
import { NewSessionDialog } from "./NewSessionDialog";

const ipc = vi.hoisted(() => ({
  list: vi.fn(),
  install: vi.fn(),
  cancelInstall: vi.fn(),
  saveCustom: vi.fn(),
  removeCustom: vi.fn(),
  onRefreshed: vi.fn(),
}));
vi.mock("../../ipc", () => ({ agents: ipc }));

afterEach(cleanup);
beforeEach(() => {
  for (const f of Object.values(ipc)) f.mockReset();
  ipc.list.mockResolvedValue({ ok: true, value: VIEWS });
  ipc.onRefreshed.mockResolvedValue(() => {});
});

const startButton = () => screen.getByTestId("start-session") as HTMLButtonElement;
const select = () => screen.getByTestId("agent-select") as HTMLSelectElement;

describe("New Session dialog, agents", () => {
  it("lists every agent with its status and keeps the ones that cannot start disabled", async () => {
    render(<NewSessionDialog projectName="api" onStart={vi.fn()} onCancel={vi.fn()} />);
    await waitFor(() => expect(select().options.length).toBe(VIEWS.length));
    const options = [...select().options].map((o) => [o.value, o.textContent, o.disabled]);
    expect(options).toEqual([
      ["claude", "Claude Code — 2.1.329", false],
      ["codex", "Codex — 0.169.0", false],
      ["gemini", "Gemini CLI — not logged in", true],
      ["goose", "goose — not installed", true],
      ["custom:Mine", "Mine — login unknown", false],
    ]);
    expect(select().value).toBe("claude");
  });

  it("shows the kept list at once and takes the background check's list when it differs", async () => {
    let refreshed: (views: typeof VIEWS) => void = () => {};
    ipc.onRefreshed.mockImplementation(async (handler: (views: typeof VIEWS) => void) => {
      refreshed = handler;
      return () => {};
    });
    render(<NewSessionDialog projectName="api" onStart={vi.fn()} onCancel={vi.fn()} />);
    await waitFor(() => expect(select().options.length).toBe(VIEWS.length));
    expect(ipc.list).toHaveBeenCalledTimes(1);
    // Gemini CLI was logged in meanwhile: the dialog offers it without asking again.
    act(() => refreshed(VIEWS.map((v) => (v.kind === "gemini" ? { ...v, status: { state: "ready" as const }, version: "0.61.0" } : v))));
    const gemini = [...select().options].find((o) => o.value === "gemini");
    expect([gemini?.textContent, gemini?.disabled]).toEqual(["Gemini CLI — 0.61.0", false]);
    expect(ipc.list).toHaveBeenCalledTimes(1);
  });

  it("offers Codex's sandbox, and full access only after a warning", async () => {
    const onStart = vi.fn().mockResolvedValue(null);
    render(<NewSessionDialog projectName="api" onStart={onStart} onCancel={vi.fn()} />);
    await waitFor(() => expect(select().options.length).toBe(VIEWS.length));
    expect(screen.queryByTestId("sandbox-choice")).toBeNull();
    fireEvent.change(select(), { target: { value: "codex" } });
    expect((screen.getByTestId("sandbox-workspaceWrite") as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByTestId("sandbox-fullAccess"));
    expect(screen.getByTestId("sandbox-warning").textContent).toMatch(/no sandbox/);
    expect(startButton().disabled).toBe(true);
    fireEvent.click(screen.getByTestId("sandbox-understand"));
    await act(async () => {
      fireEvent.click(startButton());
    });
    expect(onStart).toHaveBeenCalledWith({ mode: "default", model: null, agent: "codex", agentName: null, sandbox: "fullAccess" });
  });

  it("starts a custom agent by its name, without a sandbox", async () => {
    const onStart = vi.fn().mockResolvedValue(null);
    render(<NewSessionDialog projectName="api" onStart={onStart} onCancel={vi.fn()} />);
    await waitFor(() => expect(select().options.length).toBe(VIEWS.length));
    fireEvent.change(select(), { target: { value: "custom:Mine" } });
    await act(async () => {
      fireEvent.click(startButton());
    });
    expect(onStart).toHaveBeenCalledWith({ mode: "default", model: null, agent: "custom", agentName: "Mine", sandbox: null });
  });

  it("moves off Claude Code when it cannot start", async () => {
    ipc.list.mockResolvedValue({ ok: true, value: [view({ status: { state: "notInstalled" }, program: null }), VIEWS[1]] });
    render(<NewSessionDialog projectName="api" onStart={vi.fn()} onCancel={vi.fn()} />);
    await waitFor(() => expect(select().value).toBe("codex"));
  });
});
