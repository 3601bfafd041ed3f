import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AgentView, CustomAgent, InstallEvent } from "../../ipc";
import { NewSessionDialog } from "../session/NewSessionDialog";
import { AgentsScreen } from "./AgentsScreen";

const ipc = vi.hoisted(() => ({
  list: vi.fn(),
  install: vi.fn(),
  cancelInstall: vi.fn(),
  saveCustom: vi.fn(),
  removeCustom: vi.fn(),
}));
vi.mock("../../ipc", () => ({ agents: ipc }));

function view(over: Partial<AgentView>): AgentView {
  return {
    kind: "claude",
    name: "Claude Code",
    protocol: "claudeStream",
    program: "/bin/claude",
    version: "2.1.329",
    status: { state: "ready" },
    login: { state: "loggedIn", detail: "ANTHROPIC_API_KEY is set" },
    loginHelp: "Run `claude`",
    install: { command: "npm install -g @anthropic-ai/claude-code", npmPackage: "@anthropic-ai/claude-code" },
    minVersion: "2.0.0",
    custom: null,
    ...over,
  };
}

const mine: CustomAgent = { name: "Mine", command: "my-acp", args: ["--acp"], env: [] };
const VIEWS: AgentView[] = [
  view({}),
  view({ kind: "codex", name: "Codex", protocol: "codexAppServer", program: "/bin/codex", version: "0.169.0" }),
  view({ kind: "gemini", name: "Gemini CLI", protocol: "acp", status: { state: "notLoggedIn" }, login: { state: "notLoggedIn", detail: "no key" } }),
  view({
    kind: "goose",
    name: "goose",
    protocol: "acp",
    program: null,
    version: null,
    status: { state: "notInstalled" },
    install: { command: "curl -fsSL https://example/download_cli.sh | bash", npmPackage: null },
    minVersion: null,
  }),
  view({ kind: "custom", name: "Mine", protocol: "acp", program: "/bin/my-acp", version: null, status: { state: "loginUnknown" }, install: null, loginHelp: null, custom: mine }),
];

afterEach(cleanup);
beforeEach(() => {
  for (const f of Object.values(ipc)) f.mockReset();
  ipc.list.mockResolvedValue({ ok: true, value: VIEWS });
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
    act(() => emit({ type: "finished", data: { success: false, code: null, signal: 9, cancelled: true } }));
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
});
