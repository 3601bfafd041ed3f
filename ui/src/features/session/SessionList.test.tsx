import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SessionRecord } from "../../ipc";
import { SessionList } from "./SessionList";

afterEach(cleanup);

const record = (id: string, title: string): SessionRecord => ({
  id,
  project: "/code/shop",
  agent: "claude",
  agentSessionId: null,
  title,
  model: null,
  permissionMode: "default",
  createdMs: 0,
  updatedMs: 0,
  status: "running",
  turns: 1,
  lastSeq: 1,
  costUsd: null,
});

describe("SessionList", () => {
  it("marks the sessions that wait for an answer, open in a tab or not", () => {
    render(
      <SessionList
        list={[record("s1", "Fix the tests"), record("s2", "Write docs"), record("s3", "Refactor")]}
        error={null}
        openIds={new Set(["s1"])}
        waiting={new Map([["s2", 1], ["s3", 2]])}
        activeId="s1"
        now={0}
        onOpen={vi.fn()}
        onNew={vi.fn()}
        history={null}
        onOpenHistory={vi.fn()}
      />,
    );
    const rows = screen.getAllByTestId("session-row");
    expect(rows.map((row) => row.dataset.waiting ?? "")).toEqual(["", "true", "true"]);
    expect(screen.getAllByTestId("session-waiting").map((mark) => mark.textContent)).toEqual(["asks", "asks 2"]);
  });

  it("shows a worktree session's branch and keeps a best-of group together, oldest member first", () => {
    const inWorktree = (id: string, title: string, branch: string, group: string | null, createdMs: number): SessionRecord => ({
      ...record(id, title),
      project: `/data/worktrees/shop/${branch}`,
      createdMs,
      worktree: { main: "/code/shop", branch, baseBranch: "main", baseCommit: "abc1234" },
      group,
    });
    const onCompare = vi.fn();
    render(
      <SessionList
        // Newest first, as the store lists them: the group's members are not next to each other.
        list={[
          inWorktree("b2", "Make the tests pass", "warden/make-the-tests-pass-2", "g1", 30),
          record("s1", "Write docs"),
          inWorktree("w1", "Fix the login", "warden/fix-the-login", null, 20),
          inWorktree("b1", "Make the tests pass", "warden/make-the-tests-pass-1", "g1", 10),
        ]}
        error={null}
        openIds={new Set()}
        waiting={new Map()}
        activeId={null}
        now={0}
        onOpen={vi.fn()}
        onNew={vi.fn()}
        history={null}
        onOpenHistory={vi.fn()}
        onCompare={onCompare}
      />,
    );
    const order = screen.getAllByTestId("session-row").map((row) => row.dataset.sessionId);
    expect(order).toEqual(["b1", "b2", "s1", "w1"]);
    const group = screen.getByTestId("best-of-group");
    expect(within(group).getAllByTestId("session-row").map((row) => row.dataset.sessionId)).toEqual(["b1", "b2"]);
    expect(group.textContent).toContain("Best of 2");
    expect(screen.getAllByTestId("session-branch").map((b) => b.textContent)).toEqual([
      "warden/make-the-tests-pass-1",
      "warden/make-the-tests-pass-2",
      "warden/fix-the-login",
    ]);
    fireEvent.click(within(group).getByTestId("best-of-compare"));
    expect(onCompare).toHaveBeenCalledWith("g1");
  });

  it("shows each worktree session's state: ahead, behind, uncommitted, or a folder deleted by hand", () => {
    const inWorktree = (id: string, branch: string): SessionRecord => ({
      ...record(id, branch),
      project: `/data/worktrees/shop/${id}`,
      worktree: { main: "/code/shop", branch, baseBranch: "main", baseCommit: "abc1234" },
    });
    const state = (id: string, ahead: number, behind: number, uncommitted: string[], missing = false) =>
      [`/data/worktrees/shop/${id}`, { path: `/data/worktrees/shop/${id}`, branch: id, baseBranch: "main", baseCommit: "abc1234", ahead, behind, uncommitted, missing }] as const;
    render(
      <SessionList
        list={[inWorktree("a", "warden/a"), inWorktree("b", "warden/b"), inWorktree("c", "warden/c"), record("m", "In the main folder")]}
        error={null}
        openIds={new Set()}
        waiting={new Map()}
        activeId={null}
        now={0}
        onOpen={vi.fn()}
        onNew={vi.fn()}
        history={null}
        onOpenHistory={vi.fn()}
        worktreeStates={new Map([state("a", 2, 1, ["x.ts", "y.ts"]), state("b", 1, 0, []), state("c", 0, 0, [], true)])}
      />,
    );
    expect(screen.getAllByTestId("session-tree-state").map((s) => s.textContent)).toEqual([
      "+2 −1 · 2 uncommitted",
      "+1 −0 · all committed",
      "folder deleted",
    ]);
  });
});
