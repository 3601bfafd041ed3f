// The routing of a remote project's worktrees and best of N in ipc/index.ts: a worktree the
// host named (a session's folder, the list) and a group it started are reached through that
// host; a local worktree and a local group stay local; a host's answer of the wrong kind is
// refused.
import { beforeEach, describe, expect, it, vi } from "vitest";

const { commands } = vi.hoisted(() => {
  const ok = (data: unknown) => Promise.resolve({ status: "ok", data });
  const commands: Record<string, ReturnType<typeof vi.fn>> & { remoteCall: ReturnType<typeof vi.fn> } = { remoteCall: vi.fn() };
  for (const name of ["sessionList", "sessionStart", "worktreeOptions", "worktreeList", "worktreeState", "worktreeChanges", "worktreeDiscard", "bestOfStart", "bestOfCompare", "bestOfPick"]) {
    commands[name] = vi.fn(() => ok([]));
  }
  return { commands };
});

vi.mock("@tauri-apps/api/core", () => ({ Channel: class {} }));
vi.mock("../bindings", () => ({ commands, events: {} }));

import { bestOf, remote, sessions, worktrees } from "./index";
import { routes } from "./remoteRoutes";

const FOLDER = "/home/dev/.local/share/warden/worktrees/app-1/warden-add-a-note";
const worktreeRecord = (id: string, project: string, group: string | null = null) => ({
  id,
  project,
  title: "t",
  status: "ready",
  group,
  worktree: { branch: "warden/add-a-note", baseBranch: "main", baseCommit: "abc" },
});
/** The host's answer `{type: "worktrees", data: {type, data}}`, as `remote_call` returns it. */
const onHost = (type: string, data?: unknown) =>
  Promise.resolve({ status: "ok", data: { type: "worktrees", data: data === undefined ? { type } : { type, data } } });

beforeEach(() => {
  for (const fn of Object.values(commands)) fn.mockClear();
  routes.forgetConnection("r1");
  routes.setFront(null);
});

describe("a remote project's worktrees in ipc/index.ts", () => {
  it("asks the host for the dialog's options and learns the worktree folder of a session it started", async () => {
    remote.setFront({ connection: "r1", project: "/srv/app" });
    commands.remoteCall.mockImplementationOnce(() => onHost("options", { usable: true, suggestedBranch: "warden/add-a-note" }));
    const offered = await worktrees.options("/srv/app", "Add a note");
    expect(offered).toEqual({ ok: true, value: { usable: true, suggestedBranch: "warden/add-a-note" } });
    expect(commands.remoteCall).toHaveBeenLastCalledWith("r1", { op: "worktrees", args: { call: "options", args: { project: "/srv/app", title: "Add a note" } } });
    expect(commands.worktreeOptions).not.toHaveBeenCalled();

    // Before the host named it, a folder is not the host's.
    await worktrees.state(FOLDER);
    expect(commands.worktreeState).toHaveBeenCalledWith(FOLDER);

    const worktree = { title: "Add a note", base: null, branch: null, copy: [], runSetup: false };
    commands.remoteCall.mockImplementationOnce(() => Promise.resolve({ status: "ok", data: { type: "started", data: { session: worktreeRecord("h1", FOLDER), turn: null } } }));
    await sessions.start("/srv/app", { mode: "default", model: null, agent: "claude", agentName: null, sandbox: null, worktree });
    commands.remoteCall.mockImplementationOnce(() => onHost("state", { path: FOLDER, uncommitted: ["note.txt"] }));
    expect(await worktrees.state(FOLDER)).toEqual({ ok: true, value: { path: FOLDER, uncommitted: ["note.txt"] } });
    expect(commands.remoteCall).toHaveBeenLastCalledWith("r1", { op: "worktrees", args: { call: "state", args: { path: FOLDER } } });
    expect(commands.worktreeState).toHaveBeenCalledTimes(1);

    // A unit answer carries no data; the discard's is null like the local command's.
    commands.remoteCall.mockImplementationOnce(() => onHost("discarded"));
    expect(await worktrees.discard(FOLDER)).toEqual({ ok: true, value: null });
    expect(commands.worktreeDiscard).not.toHaveBeenCalled();
  });

  it("learns the folders of the host's worktree list, and keeps them local while a local project is in front", async () => {
    remote.setFront({ connection: "r1", project: "/srv/app" });
    commands.remoteCall.mockImplementationOnce(() => onHost("list", [{ path: FOLDER }]));
    expect(await worktrees.list("/srv/app")).toEqual({ ok: true, value: [{ path: FOLDER }] });
    commands.remoteCall.mockImplementationOnce(() => onHost("changes", { files: [] }));
    await worktrees.changes(FOLDER);
    expect(commands.remoteCall).toHaveBeenLastCalledWith("r1", { op: "worktrees", args: { call: "changes", args: { path: FOLDER } } });
    remote.setFront(null);
    await worktrees.changes(FOLDER);
    expect(commands.worktreeChanges).toHaveBeenCalledWith(FOLDER);
  });

  it("refuses a host's answer of the wrong kind", async () => {
    remote.setFront({ connection: "r1", project: "/srv/app" });
    commands.remoteCall.mockImplementationOnce(() => onHost("list", []));
    const offered = await worktrees.options("/srv/app", "x");
    expect(offered.ok).toBe(false);
    if (!offered.ok) expect(offered.error.message).toMatch(/answered list where options was expected/);
  });

  it("starts best of N on the host, then compares and picks there; another group stays local", async () => {
    remote.setFront({ connection: "r1", project: "/srv/app" });
    const members = [{ agent: "claude" as const, agentName: null, model: null, sandbox: null }];
    const group = { id: "g1", sessions: [worktreeRecord("h1", FOLDER, "g1")] };
    commands.remoteCall.mockImplementationOnce(() => onHost("bestOfStarted", group));
    expect(await bestOf.start("/srv/app", "Do it", members, "default", null, false)).toEqual({ ok: true, value: group });
    expect(commands.remoteCall).toHaveBeenLastCalledWith("r1", {
      op: "worktrees",
      args: { call: "bestOfStart", args: { project: "/srv/app", prompt: "Do it", members, permissionMode: "default", base: null, runSetup: false } },
    });
    expect(routes.ofSession("h1")).toBe("r1");
    commands.remoteCall.mockImplementationOnce(() => onHost("bestOfCompared", []));
    await bestOf.compare("g1");
    commands.remoteCall.mockImplementationOnce(() => onHost("bestOfPicked", { commit: "c", discarded: [] }));
    expect(await bestOf.pick("g1", "h1", "squash", null)).toEqual({ ok: true, value: { commit: "c", discarded: [] } });
    expect(commands.remoteCall).toHaveBeenLastCalledWith("r1", { op: "worktrees", args: { call: "bestOfPick", args: { group: "g1", session: "h1", how: "squash", message: null } } });
    await bestOf.compare("local-group");
    expect(commands.bestOfCompare).toHaveBeenCalledWith("local-group");
    expect(commands.bestOfStart).not.toHaveBeenCalled();
  });
});
