// The routing of a remote project's host calls in ipc/index.ts: with a remote project in front,
// installing an agent and opening its login go to that host (the login's terminal gets a
// window id that routes its typing there), cancelling an install and the project's usage go
// through `remote_call` as `host` calls; with a local project in front everything stays local.
import { beforeEach, describe, expect, it, vi } from "vitest";

const { commands } = vi.hoisted(() => {
  const ok = (data: unknown) => Promise.resolve({ status: "ok", data });
  const commands: Record<string, ReturnType<typeof vi.fn>> & { remoteCall: ReturnType<typeof vi.fn> } = { remoteCall: vi.fn() };
  for (const name of ["agentInstall", "agentInstallCancel", "agentLoginOpen", "remoteAgentInstall", "remoteAgentLoginOpen", "usageReport", "usageCsv", "usageExport", "usageSaveCsv", "terminalWrite"]) {
    commands[name] = vi.fn(() => ok(null));
  }
  return { commands };
});

vi.mock("@tauri-apps/api/core", () => ({ Channel: class {} }));
vi.mock("../bindings", () => ({ commands, events: {} }));

import { agents, remote, terminals, usage } from "./index";
import { routes } from "./remoteRoutes";

const onHost = (type: string, data?: unknown) => Promise.resolve({ status: "ok", data: { type: "host", data: data === undefined ? { type } : { type, data } } });

beforeEach(() => {
  for (const fn of Object.values(commands)) fn.mockReset();
  for (const name of Object.keys(commands)) if (name !== "remoteCall") commands[name]!.mockImplementation(() => Promise.resolve({ status: "ok", data: null }));
  routes.forgetConnection("r1");
  routes.setFront(null);
});

describe("a remote project's host calls in ipc/index.ts", () => {
  it("installs and cancels locally without a remote project in front, on the host with one", async () => {
    await agents.install("codex", false, () => {});
    expect(commands.agentInstall).toHaveBeenCalledWith("codex", false, expect.anything());
    commands.agentInstallCancel!.mockImplementationOnce(() => Promise.resolve(true));
    expect(await agents.cancelInstall("codex")).toBe(true);
    expect(commands.remoteAgentInstall).not.toHaveBeenCalled();

    remote.setFront({ connection: "r1", project: "/srv/app" });
    await agents.install("codex", true, () => {});
    expect(commands.remoteAgentInstall).toHaveBeenCalledWith("r1", "codex", true, expect.anything());
    expect(commands.agentInstall).toHaveBeenCalledTimes(1);
    commands.remoteCall.mockImplementationOnce(() => onHost("installCancelled", true));
    expect(await agents.cancelInstall("codex")).toBe(true);
    expect(commands.remoteCall).toHaveBeenLastCalledWith("r1", { op: "host", args: { call: "agentInstallCancel", args: { kind: "codex" } } });
    expect(commands.agentInstallCancel).toHaveBeenCalledTimes(1);
  });

  it("opens a login on the host in a terminal whose typing goes there", async () => {
    remote.setFront({ connection: "r1", project: "/srv/app" });
    commands.remoteAgentLoginOpen!.mockImplementationOnce(() => Promise.resolve({ status: "ok", data: { id: 3, title: "Log in to Codex" } }));
    const opened = await agents.openLogin("codex", 80, 24, () => {});
    expect(commands.remoteAgentLoginOpen).toHaveBeenCalledWith("r1", "codex", 80, 24, expect.anything());
    expect(commands.agentLoginOpen).not.toHaveBeenCalled();
    if (!opened.ok) throw new Error(opened.error.message);
    expect(opened.value.id).not.toBe(3);
    commands.remoteCall.mockImplementationOnce(() => Promise.resolve({ status: "ok", data: { type: "done" } }));
    await terminals.write(opened.value.id, "y\n");
    expect(commands.remoteCall).toHaveBeenLastCalledWith("r1", { op: "terminalWrite", args: { id: 3, data: "y\n" } });
    expect(commands.terminalWrite).not.toHaveBeenCalled();
  });

  it("reads a remote project's usage from its host, and keeps every other project's local", async () => {
    remote.setFront({ connection: "r1", project: "/srv/app" });
    const report = { totals: { turns: 2 } };
    commands.remoteCall.mockImplementationOnce(() => onHost("usage", report));
    expect(await usage.report("/srv/app", 0, 10)).toEqual({ ok: true, value: report });
    expect(commands.remoteCall).toHaveBeenLastCalledWith("r1", {
      op: "host",
      args: { call: "usage", args: { project: "/srv/app", fromMs: 0, toMs: 10, utcOffsetMinutes: expect.any(Number) } },
    });
    commands.remoteCall.mockImplementationOnce(() => onHost("usageCsv", "day,agent\n"));
    expect(await usage.csv("/srv/app", 0, 10)).toEqual({ ok: true, value: "day,agent\n" });
    // A wrong arm is an error, not a value of another shape.
    commands.remoteCall.mockImplementationOnce(() => onHost("usageCsv", "x"));
    expect((await usage.report("/srv/app", 0, 10)).ok).toBe(false);
    // An export reads the host's CSV and saves that text here; a host error saves nothing.
    commands.remoteCall.mockImplementationOnce(() => onHost("usageCsv", "day,agent\n2026-12-07,claude\n"));
    commands.usageSaveCsv!.mockResolvedValueOnce({ status: "ok", data: "/home/me/host-usage.csv" });
    expect(await usage.export("/srv/app", 0, 10)).toEqual({ ok: true, value: "/home/me/host-usage.csv" });
    expect(commands.usageSaveCsv).toHaveBeenLastCalledWith("day,agent\n2026-12-07,claude\n");
    commands.remoteCall.mockImplementationOnce(() => onHost("usage", report));
    expect((await usage.export("/srv/app", 0, 10)).ok).toBe(false);
    expect(commands.usageSaveCsv).toHaveBeenCalledTimes(1);
    expect(commands.usageExport).not.toHaveBeenCalled();
    // Every project (the sidebar's Usage) and a local folder stay this machine's.
    await usage.report(null, 0, 10);
    await usage.report("/home/me/local", 0, 10);
    expect(commands.usageReport).toHaveBeenCalledTimes(2);
  });
});
