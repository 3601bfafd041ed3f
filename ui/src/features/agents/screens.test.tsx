import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { InstallEvent } from "../../ipc";
import { AgentsScreen } from "./AgentsScreen";
import { mine, VIEWS } from "../../model/testAgents";

const ipc = vi.hoisted(() => ({
  list: vi.fn(),
  install: vi.fn(),
  cancelInstall: vi.fn(),
  saveCustom: vi.fn(),
  removeCustom: vi.fn(),
  onRefreshed: vi.fn(),
  openLogin: vi.fn(),
}));
vi.mock("../../ipc", () => ({ agents: ipc }));

afterEach(cleanup);
beforeEach(() => {
  for (const f of Object.values(ipc)) f.mockReset();
  ipc.list.mockResolvedValue({ ok: true, value: VIEWS });
  ipc.onRefreshed.mockResolvedValue(() => {});
});

describe("Agents screen", () => {
  const card = (agent: string) => screen.getByTestId("agents-screen").querySelector(`[data-agent="${agent}"]`) as HTMLElement;

  it("shows each agent's status, path, version and install command", async () => {
    render(<AgentsScreen onClose={vi.fn()} />);
    await waitFor(() => expect(screen.getAllByTestId("agent-card").length).toBe(VIEWS.length));
    const codex = within(card("codex"));
    expect(codex.getByTestId("agent-status").textContent).toBe("Ready");
    expect(codex.getByTestId("agent-version").textContent).toContain("0.169.0");
    expect(codex.getByTestId("agent-program").textContent).toBe("/bin/codex");
    expect(within(card("gemini")).getByTestId("agent-login-help").textContent).toBe("Run `claude`");
    expect(within(card("goose")).getByTestId("agent-status").textContent).toBe("Not installed");
    expect(within(card("custom:Mine")).getByTestId("agent-status").textContent).toBe("Installed · login unknown");
  });

  it("streams an install's output, offers cancel while it runs, and detects again when it ends", async () => {
    let emit: (e: InstallEvent) => void = () => {};
    ipc.install.mockImplementation(async (_kind: string, _confirmed: boolean, onEvent: (e: InstallEvent) => void) => {
      emit = onEvent;
      return { ok: true, value: null };
    });
    render(<AgentsScreen onClose={vi.fn()} />);
    await waitFor(() => expect(screen.getAllByTestId("agent-card").length).toBe(VIEWS.length));
    const codex = within(card("codex"));
    await act(async () => {
      fireEvent.click(codex.getByTestId("install-button"));
    });
    expect(ipc.install).toHaveBeenCalledWith("codex", false, expect.any(Function));
    act(() => {
      emit({ type: "started", data: { command: "npm install -g @openai/codex" } });
      emit({ type: "output", data: { stream: "stdout", line: "added 1 package" } });
    });
    expect(codex.getByTestId("install-log").textContent).toContain("added 1 package");
    fireEvent.click(codex.getByTestId("install-cancel"));
    expect(ipc.cancelInstall).toHaveBeenCalledWith("codex");
    expect(ipc.list).toHaveBeenCalledTimes(1);
    act(() => emit({ type: "finished", data: { success: false, code: null, signal: 9, cancelled: true, error: null } }));
    expect(codex.getByTestId("install-status").textContent).toBe("Install cancelled");
    await waitFor(() => expect(ipc.list).toHaveBeenCalledTimes(2));
  });

  it("runs a shell installer only after confirmation", async () => {
    ipc.install.mockResolvedValue({ ok: true, value: null });
    render(<AgentsScreen onClose={vi.fn()} />);
    await waitFor(() => expect(screen.getAllByTestId("agent-card").length).toBe(VIEWS.length));
    const goose = within(card("goose"));
    fireEvent.click(goose.getByTestId("install-button"));
    expect(ipc.install).not.toHaveBeenCalled();
    expect(goose.getByTestId("install-confirm").textContent).toMatch(/shell script/);
    await act(async () => {
      fireEvent.click(goose.getByTestId("install-confirm-run"));
    });
    expect(ipc.install).toHaveBeenCalledWith("goose", true, expect.any(Function));
  });

  it("adds a custom agent and shows the backend's refusal", async () => {
    ipc.saveCustom.mockResolvedValueOnce({ ok: false, error: { code: "internal", message: "'codex' is the name of the built-in agent Codex" } });
    ipc.saveCustom.mockResolvedValueOnce({ ok: true, value: mine });
    render(<AgentsScreen onClose={vi.fn()} />);
    await waitFor(() => expect(screen.getAllByTestId("agent-card").length).toBe(VIEWS.length));
    fireEvent.click(screen.getByTestId("custom-agent-add"));
    fireEvent.change(screen.getByTestId("custom-agent-name"), { target: { value: "codex" } });
    fireEvent.change(screen.getByTestId("custom-agent-command"), { target: { value: "my-acp" } });
    fireEvent.change(screen.getByTestId("custom-agent-args"), { target: { value: '--acp "two words"' } });
    fireEvent.change(screen.getByTestId("custom-agent-env"), { target: { value: "KEY=v" } });
    await act(async () => {
      fireEvent.click(screen.getByTestId("custom-agent-save"));
    });
    expect(ipc.saveCustom).toHaveBeenCalledWith(null, { name: "codex", command: "my-acp", args: ["--acp", "two words"], env: [{ name: "KEY", value: "v" }] });
    expect(screen.getByTestId("custom-agent-error").textContent).toContain("built-in agent");
    fireEvent.change(screen.getByTestId("custom-agent-name"), { target: { value: "Mine" } });
    await act(async () => {
      fireEvent.click(screen.getByTestId("custom-agent-save"));
    });
    expect(screen.queryByTestId("custom-agent-dialog")).toBeNull();
    await waitFor(() => expect(ipc.list).toHaveBeenCalledTimes(2));
  });

  it("edits and removes a custom agent by its name", async () => {
    ipc.saveCustom.mockResolvedValue({ ok: true, value: mine });
    ipc.removeCustom.mockResolvedValue({ ok: true, value: null });
    render(<AgentsScreen onClose={vi.fn()} />);
    await waitFor(() => expect(screen.getAllByTestId("agent-card").length).toBe(VIEWS.length));
    const custom = within(card("custom:Mine"));
    fireEvent.click(custom.getByTestId("custom-agent-edit"));
    expect((screen.getByTestId("custom-agent-args") as HTMLInputElement).value).toBe("--acp");
    await act(async () => {
      fireEvent.click(screen.getByTestId("custom-agent-save"));
    });
    expect(ipc.saveCustom).toHaveBeenCalledWith("Mine", mine);
    fireEvent.click(custom.getByTestId("custom-agent-remove"));
    await act(async () => {
      fireEvent.click(custom.getByTestId("custom-agent-remove-confirm"));
    });
    expect(ipc.removeCustom).toHaveBeenCalledWith("Mine");
  });

  it("shows the list it got at once, then the background check's when that differs, and Refresh checks now", async () => {
    let refreshed: (views: typeof VIEWS) => void = () => {};
    const unlisten = vi.fn();
    ipc.onRefreshed.mockImplementation(async (handler: (views: typeof VIEWS) => void) => {
      refreshed = handler;
      return unlisten;
    });
    const { unmount } = render(<AgentsScreen onClose={vi.fn()} />);
    await waitFor(() => expect(within(card("codex")).getByTestId("agent-version").textContent).toContain("0.169.0"));
    expect(ipc.list).toHaveBeenCalledWith(false);
    const updated = VIEWS.map((v) => (v.kind === "codex" ? { ...v, version: "0.170.0" } : v));
    act(() => refreshed(updated));
    expect(within(card("codex")).getByTestId("agent-version").textContent).toContain("0.170.0");
    expect(ipc.list).toHaveBeenCalledTimes(1);
    await act(async () => {
      fireEvent.click(screen.getByTestId("agents-refresh"));
    });
    expect(ipc.list).toHaveBeenLastCalledWith(true);
    unmount();
    await waitFor(() => expect(unlisten).toHaveBeenCalled());
  });

  it("says no agent is ready, offers each installed one's own login, and shows why an install failed", async () => {
    const none = VIEWS.map((v) => ({ ...v, status: { state: v.custom ? ("notInstalled" as const) : ("notLoggedIn" as const) } }));
    ipc.list.mockResolvedValue({ ok: true, value: none });
    let emit: (e: InstallEvent) => void = () => {};
    ipc.install.mockImplementation(async (_kind: string, _confirmed: boolean, onEvent: (e: InstallEvent) => void) => {
      emit = onEvent;
      return { ok: true, value: null };
    });
    render(<AgentsScreen onClose={vi.fn()} />);
    await waitFor(() => expect(screen.getByTestId("agent-setup-notice").textContent).toMatch(/No agent is ready yet/));
    expect(within(card("codex")).getByTestId("agent-login-button")).toBeTruthy();
    expect(within(card("goose")).queryByTestId("agent-login-button")).toBeNull();
    await act(async () => {
      fireEvent.click(within(card("codex")).getByTestId("install-button"));
    });
    const why = "npm could not reach the package registry (ENOTFOUND): check the network connection";
    act(() => {
      emit({ type: "started", data: { command: "npm install @openai/codex@0.169.0" } });
      emit({ type: "finished", data: { success: false, code: 1, signal: null, cancelled: false, error: why } });
    });
    expect(within(card("codex")).getByTestId("install-failure").textContent).toBe(why);
  });
});
