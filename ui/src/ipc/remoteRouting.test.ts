// The routing of ipc/index.ts: a remote project's calls and its sessions' calls go to the host
// through `remote_call` (or the remote subscribe and terminal commands) and come back in the
// local commands' shape; local calls are unchanged, also for a local folder with a host's path.
import { beforeEach, describe, expect, it, vi } from "vitest";

const { commands, listeners } = vi.hoisted(() => {
  const ok = (data: unknown) => Promise.resolve({ status: "ok", data });
  const listeners: Record<string, (event: { payload: unknown }) => void> = {};
  const commands: Record<string, ReturnType<typeof vi.fn>> & { remoteCall: ReturnType<typeof vi.fn>; remoteOpen: ReturnType<typeof vi.fn> } = {
    remoteCall: vi.fn(),
    remoteOpen: vi.fn(),
  };
  for (const name of [
    "sessionList",
    "sessionPrompt",
    "sessionSubscribe",
    "sessionStart",
    "permissionResolve",
    "filesLog",
    "filesRollback",
    "agentsList",
    "terminalOpen",
    "terminalWrite",
    "remoteSessionSubscribe",
    "remoteTerminalOpen",
    "remoteClose",
  ]) {
    commands[name] = vi.fn(() => ok(name === "terminalOpen" || name === "remoteTerminalOpen" ? { id: 1, title: "sh" } : []));
  }
  return { commands, listeners, ok };
});

vi.mock("@tauri-apps/api/core", () => ({
  Channel: class {
    id = 7;
    onmessage: (m: unknown) => void = () => {};
  },
}));
vi.mock("../bindings", () => ({
  commands,
  events: {
    agentsRefreshed: {
      listen: (cb: (event: { payload: unknown }) => void) => {
        listeners.agentsRefreshed = cb;
        return Promise.resolve(() => {});
      },
    },
  },
}));

import { agents, files, remote, sessions, terminals } from "./index";
import { routes } from "./remoteRoutes";

const record = (id: string, project: string) => ({ id, project, title: "t", status: "ready" });
const answer = (type: string, data?: unknown) => Promise.resolve({ status: "ok", data: data === undefined ? { type } : { type, data } });

beforeEach(() => {
  for (const fn of Object.values(commands)) fn.mockClear();
  routes.forgetConnection("r1");
  routes.forgetConnection("r2");
  routes.setFront(null);
});

describe("routing in ipc/index.ts", () => {
  it("keeps every call local while no remote project is in front", async () => {
    await sessions.list("/srv/app");
    await sessions.prompt("local-1", "hello");
    await files.log("/srv/app", null);
    expect(commands.sessionList).toHaveBeenCalledWith("/srv/app");
    expect(commands.sessionPrompt).toHaveBeenCalledWith("local-1", { text: "hello", attachments: [] });
    expect(commands.filesLog).toHaveBeenCalledWith("/srv/app", null);
    expect(commands.remoteCall).not.toHaveBeenCalled();
  });

  it("sends a remote project's calls to its host and learns its sessions from the answers", async () => {
    remote.setFront({ connection: "r1", project: "/srv/app" });
    commands.remoteCall.mockImplementationOnce(() => answer("sessions", [record("host-1", "/srv/app")]));
    const listed = await sessions.list("/srv/app");
    expect(commands.remoteCall).toHaveBeenCalledWith("r1", { op: "sessions", args: { project: "/srv/app" } });
    expect(listed).toEqual({ ok: true, value: [record("host-1", "/srv/app")] });
    expect(commands.sessionList).not.toHaveBeenCalled();

    // The session is the host's from now on, wherever the call comes from.
    commands.remoteCall.mockImplementationOnce(() => answer("turn", 3));
    expect(await sessions.prompt("host-1", "go")).toEqual({ ok: true, value: 3 });
    expect(commands.remoteCall).toHaveBeenLastCalledWith("r1", { op: "promptInput", args: { session: "host-1", prompt: { text: "go", attachments: [] } } });
    // Another session is still local.
    await sessions.prompt("local-1", "hi");
    expect(commands.sessionPrompt).toHaveBeenCalledTimes(1);

    // Files and rollback of the project on the host.
    commands.remoteCall.mockImplementationOnce(() => answer("rollback", { type: "done", data: {} }));
    const target = { type: "turn" as const, sessionId: "host-1", turn: 1 };
    await files.rollback("/srv/app", target as never, false);
    expect(commands.remoteCall).toHaveBeenLastCalledWith("r1", { op: "rollback", args: { project: "/srv/app", target, force: false } });
    expect(commands.filesRollback).not.toHaveBeenCalled();
  });

  it("starts a session on the host with the dialog's choice and follows it through the remote stream", async () => {
    remote.setFront({ connection: "r1", project: "/srv/app" });
    commands.remoteCall.mockImplementationOnce(() => answer("started", { session: record("host-2", "/srv/app"), turn: null }));
    const started = await sessions.start("/srv/app", { mode: "default", model: null, agent: "claude", agentName: null, sandbox: null });
    expect(started).toEqual({ ok: true, value: record("host-2", "/srv/app") });
    expect(commands.remoteCall).toHaveBeenCalledWith("r1", {
      op: "startSession",
      args: { project: "/srv/app", agent: "claude", agentName: null, model: null, permissionMode: "default", sandbox: null, prompt: null, worktree: null },
    });
    // Even with a local project in front afterwards, the session's stream comes from the host.
    remote.setFront(null);
    await sessions.subscribe("host-2", 0, () => {});
    expect(commands.remoteSessionSubscribe).toHaveBeenCalledWith("r1", "host-2", 0, expect.anything());
    expect(commands.sessionSubscribe).not.toHaveBeenCalled();
    // Answers to its questions keep the unchanged command: the backend knows the session's host.
    await sessions.resolve("host-2", "q1" as never, { decision: "allowOnce" } as never);
    expect(commands.permissionResolve).toHaveBeenCalledWith("host-2", "q1", { decision: "allowOnce" });
  });

  it("keeps a local project's calls local when a host has a folder with the same path", async () => {
    routes.rememberSessions("r1", ["host-1"]);
    remote.setFront(null);
    await sessions.list("/srv/app");
    await files.log("/srv/app", null);
    expect(commands.sessionList).toHaveBeenCalledWith("/srv/app");
    expect(commands.remoteCall).not.toHaveBeenCalled();
  });

  it("refuses a host's answer of the wrong kind instead of passing it on", async () => {
    remote.setFront({ connection: "r1", project: "/srv/app" });
    commands.remoteCall.mockImplementationOnce(() => answer("done"));
    const listed = await sessions.list("/srv/app");
    expect(listed.ok).toBe(false);
    if (!listed.ok) expect(listed.error.message).toMatch(/answered done where sessions was expected/);
    commands.remoteCall.mockImplementationOnce(() => Promise.resolve({ status: "error", data: undefined, error: { code: "internal", message: "the connection was lost" } }));
    const failed = await files.log("/srv/app", null);
    expect(failed).toEqual({ ok: false, error: { code: "internal", message: "the connection was lost" } });
  });

  it("lists the host's agents while its project is in front, and ignores this machine's refreshes then", async () => {
    remote.setFront({ connection: "r1", project: "/srv/app" });
    commands.remoteCall.mockImplementationOnce(() => answer("agents", [{ kind: "claude" }]));
    expect(await agents.list()).toEqual({ ok: true, value: [{ kind: "claude" }] });
    expect(commands.agentsList).not.toHaveBeenCalled();
    const heard = vi.fn();
    await agents.onRefreshed(heard);
    listeners.agentsRefreshed?.({ payload: [{ kind: "codex" }] });
    expect(heard).not.toHaveBeenCalled();
    remote.setFront(null);
    listeners.agentsRefreshed?.({ payload: [{ kind: "codex" }] });
    expect(heard).toHaveBeenCalledWith([{ kind: "codex" }]);
  });

  it("gives a host's terminal an id that cannot meet a local one, and writes to the host's id", async () => {
    remote.setFront({ connection: "r1", project: "/srv/app" });
    const opened = await terminals.open("/srv/app", 80, 24, null, () => {});
    expect(commands.remoteTerminalOpen).toHaveBeenCalledWith("r1", "/srv/app", 80, 24, null, expect.anything());
    expect(opened.ok && opened.value.id).toBeGreaterThan(1);
    const id = opened.ok ? opened.value.id : 0;
    commands.remoteCall.mockImplementationOnce(() => answer("done"));
    await terminals.write(id, "ls\r");
    expect(commands.remoteCall).toHaveBeenLastCalledWith("r1", { op: "terminalWrite", args: { id: 1, data: "ls\r" } });
    remote.setFront(null);
    await terminals.write(1, "pwd\r");
    expect(commands.terminalWrite).toHaveBeenCalledWith(1, "pwd\r");
  });

  it("routes a closed connection's sessions nowhere, and again once it is reopened", async () => {
    const target = { kind: "ssh" as const, destination: "dev@box", folder: "/srv/app" };
    const openedAs = (connection: string) =>
      Promise.resolve({ status: "ok", data: { type: "opened", data: { connection, project: "/srv/app", target, label: "l", host: {}, workspace: {} } } });
    commands.remoteOpen.mockImplementationOnce(() => openedAs("r1"));
    commands.remoteCall.mockImplementationOnce(() => answer("sessions", [record("host-1", "/srv/app")]));
    await remote.open(target as never);
    expect(routes.ofSession("host-1")).toBe("r1");
    remote.setFront({ connection: "r1", project: "/srv/app" });
    const t = await terminals.open("/srv/app", 80, 24, null, () => {});
    const terminal = t.ok ? t.value.id : 0;
    expect(routes.terminal(terminal)).not.toBeNull();

    await remote.close("r1");
    expect(commands.remoteClose).toHaveBeenCalledWith("r1");
    // Nothing of it routes any more: its session's calls, its terminal, its folder are local.
    expect(routes.ofSession("host-1")).toBeNull();
    expect(routes.terminal(terminal)).toBeNull();
    expect(routes.ofProject("/srv/app")).toBeNull();
    await sessions.prompt("host-1", "hello?");
    expect(commands.remoteCall).toHaveBeenCalledTimes(1);

    // Reopened: the host's sessions are learnt again and route to it.
    commands.remoteOpen.mockImplementationOnce(() => openedAs("r1"));
    commands.remoteCall.mockImplementationOnce(() => answer("sessions", [record("host-1", "/srv/app")]));
    await remote.open(target as never);
    expect(routes.ofSession("host-1")).toBe("r1");
    commands.remoteCall.mockImplementationOnce(() => answer("turn", 4));
    expect(await sessions.prompt("host-1", "go on")).toEqual({ ok: true, value: 4 });
    expect(commands.remoteCall).toHaveBeenLastCalledWith("r1", { op: "promptInput", args: { session: "host-1", prompt: { text: "go on", attachments: [] } } });
  });

  it("forgets a session its project's list no longer names, and keeps the ones another list named", async () => {
    remote.setFront({ connection: "r1", project: "/srv/app" });
    routes.rememberSessions("r1", ["started-here"]);
    commands.remoteCall.mockImplementationOnce(() => answer("sessions", [record("a", "/srv/app"), record("b", "/srv/app")]));
    await sessions.list("/srv/app");
    expect([routes.ofSession("a"), routes.ofSession("b")]).toEqual(["r1", "r1"]);
    // "b" is gone from the host (removed, its store reset): the next list drops it.
    commands.remoteCall.mockImplementationOnce(() => answer("sessions", [record("a", "/srv/app")]));
    await sessions.list("/srv/app");
    expect(routes.ofSession("a")).toBe("r1");
    expect(routes.ofSession("b")).toBeNull();
    expect(routes.ofSession("started-here"), "learnt otherwise: not this list's to drop").toBe("r1");
  });

  it("keeps a session with the connection that named it first, whatever another host says", async () => {
    routes.rememberSessions("r1", ["host-1"]);
    // Another host lists the same id: its answer does not draw the session's calls to it.
    remote.setFront({ connection: "r2", project: "/srv/other" });
    commands.remoteCall.mockImplementationOnce(() => answer("sessions", [record("host-1", "/srv/other")]));
    await sessions.list("/srv/other");
    expect(routes.ofSession("host-1")).toBe("r1");
    commands.remoteCall.mockImplementationOnce(() => answer("turn", 1));
    await sessions.prompt("host-1", "secret");
    expect(commands.remoteCall).toHaveBeenLastCalledWith("r1", expect.anything());
    // The same for a best-of-N group and a worktree folder another host names.
    routes.rememberGroup("r1", "g1");
    routes.rememberGroup("r2", "g1");
    expect(routes.ofGroup("g1")).toBe("r1");
    routes.rememberWorktrees("r1", ["/srv/app-wt"]);
    routes.rememberWorktrees("r2", ["/srv/app-wt"]);
    remote.setFront({ connection: "r1", project: "/srv/app" });
    expect(routes.ofProject("/srv/app-wt")).toBe("r1");
    // Once r1 is closed, the id means nothing until a host names it again.
    routes.forgetConnection("r1");
    routes.rememberSessions("r2", ["host-1"]);
    expect(routes.ofSession("host-1")).toBe("r2");
    expect(routes.ofGroup("g1")).toBeNull();
  });
});
