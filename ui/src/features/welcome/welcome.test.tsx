import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AgentView, TerminalEvent } from "../../ipc";
import { view, VIEWS } from "../../model/testAgents";
import { StartScreen } from "../projects/StartScreen";
import { FirstRun } from "./FirstRun";
import { agentSetup } from "./firstRun";

const ipc = vi.hoisted(() => ({
  list: vi.fn(),
  install: vi.fn(),
  cancelInstall: vi.fn(),
  onRefreshed: vi.fn(),
  openLogin: vi.fn(),
}));
vi.mock("../../ipc", () => ({ agents: ipc }));

// The terminal itself (xterm.js, the PTY) is played by a fake that opens through the opener it
// was given, as the real one does once it knows its size.
const terminals = vi.hoisted(() => ({ made: [] as { disposed: boolean }[] }));
vi.mock("../terminal/termSession", () => ({
  TermSession: class {
    disposed = false;
    constructor(
      _project: string,
      _command: unknown,
      private events: { exited: (e: { code: number | null; signal: string | null }) => void },
      _toggle: () => void,
      private opener: (cols: number, rows: number, onEvent: (e: TerminalEvent) => void) => Promise<unknown>,
    ) {
      terminals.made.push(this);
    }
    attach() {
      void this.opener(80, 24, (e) => {
        if (e.type === "exited") this.events.exited(e.data);
      });
    }
    fitNow() {}
    dispose() {
      this.disposed = true;
    }
  },
}));

/** Every preset not installed. */
const NOTHING: AgentView[] = VIEWS.filter((v) => !v.custom).map((v) => ({
  ...v,
  program: null,
  version: null,
  status: { state: "notInstalled" },
  login: { state: "notLoggedIn", detail: "no key" },
}));

function start(hasProjects: boolean) {
  const onShowAgents = vi.fn();
  render(
    <StartScreen
      recent={[]}
      now={0}
      onOpenFolder={vi.fn()}
      onOpenRecent={vi.fn()}
      onForget={vi.fn()}
      intro={<FirstRun hasProjects={hasProjects} onShowAgents={onShowAgents} />}
    />,
  );
  return { onShowAgents };
}

afterEach(cleanup);
beforeEach(() => {
  for (const f of Object.values(ipc)) f.mockReset();
  ipc.onRefreshed.mockResolvedValue(() => {});
  terminals.made.length = 0;
});

describe("first run", () => {
  it("decides between the welcome, the notice and nothing", () => {
    const ready = [view({})];
    expect(agentSetup(false, null, false)).toBe("pending");
    expect(agentSetup(true, null, false)).toBeNull();
    expect(agentSetup(false, null, true)).toBeNull();
    expect(agentSetup(false, NOTHING, false)).toBe("welcome");
    expect(agentSetup(true, NOTHING, false)).toBe("notice");
    expect(agentSetup(false, ready, false)).toBeNull();
    expect(agentSetup(false, [view({ status: { state: "loginUnknown" } })], false)).toBeNull();
  });

  it("explains Warden in two halves, says no agent was found and installs one in the window", async () => {
    ipc.list.mockResolvedValue({ ok: true, value: NOTHING });
    ipc.install.mockResolvedValue({ ok: true, value: null });
    start(false);
    const welcome = await screen.findByTestId("welcome-screen");
    expect(screen.getByTestId("start-screen").contains(welcome)).toBe(true);
    expect(within(welcome).getByTestId("welcome-enforcement").textContent).toMatch(/Enforcement.*shown before it runs/);
    expect(within(welcome).getByTestId("welcome-verification").textContent).toMatch(/Verification.*rolled back/);
    expect(screen.getByTestId("welcome-found").textContent).toMatch(/No agent was found/);
    const cards = within(screen.getByTestId("agent-list")).getAllByTestId("agent-card");
    expect(cards.map((c) => c.dataset.agent)).toEqual(["claude", "codex", "gemini"]);
    expect(welcome.querySelector("details")?.textContent).toMatch(/More agents \(goose\)/);
    await act(async () => {
      fireEvent.click(within(cards[1]!).getByTestId("install-button"));
    });
    expect(ipc.install).toHaveBeenCalledWith("codex", false, expect.any(Function));
  });

  it("names the agents it found and logs in to one through its own login flow in a terminal", async () => {
    const found = NOTHING.map((v) =>
      v.kind === "gemini" ? { ...v, program: "/bin/gemini", version: "0.61.0", status: { state: "notLoggedIn" as const } } : v,
    );
    ipc.list.mockResolvedValue({ ok: true, value: found });
    ipc.openLogin.mockImplementation(async (_kind: string, _cols: number, _rows: number, onEvent: (e: TerminalEvent) => void) => {
      onEvent({ type: "exited", data: { code: 0, signal: null } });
      return { ok: true, value: { id: 1, title: "Log in to Gemini CLI" } };
    });
    start(false);
    await waitFor(() => expect(screen.getByTestId("welcome-found").textContent).toBe("Found Gemini CLI. Log in to one, or install another."));
    const gemini = screen.getByTestId("welcome-screen").querySelector('[data-agent="gemini"]') as HTMLElement;
    expect(ipc.list).toHaveBeenCalledTimes(1);
    await act(async () => {
      fireEvent.click(within(gemini).getByTestId("agent-login-button"));
    });
    expect(ipc.openLogin).toHaveBeenCalledWith("gemini", 80, 24, expect.any(Function));
    expect(within(gemini).getByTestId("login-state").textContent).toBe("finished (exited)");
    // The login ended: the agents are detected again.
    await waitFor(() => expect(ipc.list).toHaveBeenCalledTimes(2));
    fireEvent.click(within(gemini).getByTestId("login-close"));
    expect(within(gemini).queryByTestId("login-terminal")).toBeNull();
    expect(terminals.made[0]?.disposed).toBe(true);
  });

  it("stays until hidden, even once an agent is ready, and then leaves a notice", async () => {
    ipc.list.mockResolvedValue({ ok: true, value: NOTHING });
    let refreshed: (views: AgentView[]) => void = () => {};
    ipc.onRefreshed.mockImplementation(async (handler: (views: AgentView[]) => void) => {
      refreshed = handler;
      return () => {};
    });
    start(false);
    await screen.findByTestId("welcome-screen");
    act(() => refreshed(NOTHING.map((v) => (v.kind === "codex" ? view({ kind: "codex", name: "Codex" }) : v))));
    expect(screen.getByTestId("welcome-found").textContent).toMatch(/Found Codex/);
    act(() => refreshed(NOTHING));
    fireEvent.click(screen.getByTestId("welcome-skip"));
    expect(screen.queryByTestId("welcome-screen")).toBeNull();
    expect(screen.getByTestId("agent-setup-notice").textContent).toMatch(/No agent is ready yet/);
  });

  it("with projects, shows only the notice, and nothing once an agent is ready", async () => {
    ipc.list.mockResolvedValue({ ok: true, value: NOTHING });
    const { onShowAgents } = start(true);
    fireEvent.click(await screen.findByTestId("agent-setup-open"));
    expect(onShowAgents).toHaveBeenCalled();
    expect(screen.queryByTestId("welcome-screen")).toBeNull();
    cleanup();
    ipc.list.mockResolvedValue({ ok: true, value: VIEWS });
    start(false);
    await waitFor(() => expect(ipc.list).toHaveBeenCalledTimes(2));
    await act(async () => {});
    expect(screen.queryByTestId("welcome-screen")).toBeNull();
    expect(screen.queryByTestId("agent-setup-notice")).toBeNull();
  });
});
