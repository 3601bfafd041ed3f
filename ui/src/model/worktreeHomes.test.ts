import { afterEach, describe, expect, it, vi } from "vitest";
import type { SessionRecord } from "../ipc";
import { forgetHomes, homeOf, rememberHomes, resolveHome } from "./worktreeHomes";

const ipc = vi.hoisted(() => ({ list: vi.fn() }));
vi.mock("../ipc", () => ({ sessions: { list: ipc.list } }));

afterEach(() => {
  forgetHomes();
  ipc.list.mockReset();
});

const record = (project: string, main: string | null): SessionRecord => ({
  id: project,
  project,
  agent: "claude",
  agentSessionId: null,
  title: "",
  model: null,
  permissionMode: "default",
  createdMs: 0,
  updatedMs: 0,
  status: "stopped",
  turns: 0,
  lastSeq: 0,
  costUsd: null,
  worktree: main ? { main, branch: "warden/x", baseBranch: "main", baseCommit: "abc" } : null,
});

describe("worktree homes", () => {
  it("takes a worktree folder to its main project, and leaves other folders alone", () => {
    rememberHomes([record("/data/worktrees/shop/x", "/code/shop"), record("/code/shop", null)]);
    expect(homeOf("/data/worktrees/shop/x")).toBe("/code/shop");
    expect(homeOf("/code/shop")).toBe("/code/shop");
    expect(homeOf("/code/other")).toBe("/code/other");
  });

  it("asks the store about a folder it has not seen", async () => {
    ipc.list.mockResolvedValue({ ok: true, value: [record("/data/worktrees/shop/y", "/code/shop")] });
    expect(await resolveHome("/data/worktrees/shop/y")).toBe("/code/shop");
    expect(ipc.list).toHaveBeenCalledWith("/data/worktrees/shop/y");
    ipc.list.mockResolvedValue({ ok: false, error: { code: "internal", message: "no such folder" } });
    expect(await resolveHome("/gone")).toBe("/gone");
  });
});
