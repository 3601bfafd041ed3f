import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { BestOfEntry, SessionRecord, WorktreeChanges } from "../../ipc";
import { COMPARE_REFRESH_MS, CompareView, decided } from "./CompareView";

const ipc = vi.hoisted(() => ({
  compare: vi.fn(),
  pick: vi.fn(),
  changes: vi.fn(),
  diff: vi.fn(),
  state: vi.fn(),
}));
vi.mock("../../ipc", () => ({
  bestOf: { compare: ipc.compare, pick: ipc.pick },
  worktrees: { changes: ipc.changes, diff: ipc.diff, state: ipc.state },
  sessions: {},
}));

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function session(id: string, agent: SessionRecord["agent"], branch: string, over: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id,
    project: `/data/worktrees/shop/${branch}`,
    agent,
    agentSessionId: null,
    title: "Make the tests pass",
    model: null,
    permissionMode: "default",
    createdMs: 0,
    updatedMs: 0,
    status: "ready",
    turns: 2,
    lastSeq: 10,
    costUsd: 0.42,
    worktree: { main: "/code/shop", branch, baseBranch: "main", baseCommit: "abc1234def" },
    group: "g1",
    ...over,
  };
}

function entry(s: SessionRecord, uncommitted: string[], checks: BestOfEntry["checks"]): BestOfEntry {
  const branch = s.worktree?.branch ?? "";
  return {
    session: s,
    worktree: { path: s.project, branch, baseBranch: "main", baseCommit: "abc1234def", ahead: 1, behind: 0, uncommitted, missing: false },
    files: 2,
    additions: 12,
    deletions: 3,
    checks,
  };
}

const CLAUDE = entry(session("s1", "claude", "warden/tests-1", { status: "stopped" }), [], { passed: 3, failed: 0, verdict: "passed" });
const CODEX = entry(session("s2", "codex", "warden/tests-2", { costUsd: 0 }), ["src/app.ts", "notes.md"], { passed: 2, failed: 1, verdict: "failed: tests" });

const CHANGES: WorktreeChanges = {
  base: "main",
  mergeBase: "abc1234def",
  commits: [{ id: "1111111", subject: "Fix the tests" }],
  files: [
    { path: "README.md", kind: { type: "create" }, additions: 2, deletions: 0, uncommitted: true },
    { path: "src/app.ts", kind: { type: "modify" }, additions: 10, deletions: 3, uncommitted: false },
  ],
};

beforeEach(() => {
  for (const f of Object.values(ipc)) f.mockReset();
  ipc.compare.mockResolvedValue({ ok: true, value: [CLAUDE, CODEX] });
  ipc.changes.mockResolvedValue({ ok: true, value: CHANGES });
  ipc.state.mockResolvedValue({ ok: true, value: CLAUDE.worktree });
  ipc.diff.mockImplementation((_path: string, file: string) =>
    Promise.resolve({ ok: true, value: { path: file, kind: { type: "modify" }, before: { type: "text", text: "a\n" }, after: { type: "text", text: "b\n" }, ops: [] } }),
  );
});

describe("CompareView", () => {
  it("shows every member side by side: agent, status, turns, cost, checks, lines, branch", async () => {
    render(<CompareView group="g1" onOpen={vi.fn()} />);
    await waitFor(() => expect(screen.getAllByTestId("compare-member")).toHaveLength(2));
    const [first, second] = screen.getAllByTestId("compare-member") as [HTMLElement, HTMLElement];
    expect(first.dataset.session).toBe("s1");
    expect(first.textContent).toContain("Claude Code (1)");
    expect(second.textContent).toContain("Codex (2)");
    expect(within(first).getByTestId("compare-status").textContent).toBe("stopped");
    expect(within(first).getByTestId("compare-turns").textContent).toBe("2");
    expect(within(first).getByTestId("compare-cost").textContent).toBe("$0.42");
    // Codex reports tokens, not money: never shown as free.
    expect(within(second).getByTestId("compare-cost").textContent).toBe("cost not reported");
    expect(within(first).getByTestId("compare-checks").textContent).toBe("3 passed · 0 failed · passed");
    expect(within(second).getByTestId("compare-checks").textContent).toBe("2 passed · 1 failed · failed: tests");
    expect(within(second).getByTestId("compare-lines").textContent).toBe("2 files · +12 −3 · 2 uncommitted");
    expect(within(second).getByTestId("compare-branch").textContent).toBe("warden/tests-2");
    expect(ipc.compare).toHaveBeenCalledWith("g1");
  });

  it("shows a member's file against the base in the Files panel's diff viewer", async () => {
    render(<CompareView group="g1" onOpen={vi.fn()} />);
    await waitFor(() => expect(screen.getAllByTestId("compare-file")).toHaveLength(4));
    const second = screen.getAllByTestId("compare-member")[1]!;
    // The first file's diff shows at once; another file's on a click.
    await waitFor(() => expect(within(second).getByTestId("file-diff").dataset.path).toBe("README.md"));
    fireEvent.click(within(second).getByTitle("src/app.ts"));
    await waitFor(() => expect(within(second).getByTestId("file-diff").dataset.path).toBe("src/app.ts"));
    expect(within(second).getByTestId("compare-diff").dataset.path).toBe("src/app.ts");
    expect(ipc.diff).toHaveBeenCalledWith("/data/worktrees/shop/warden/tests-2", "src/app.ts");
  });

  it("asks before picking, says what the others lose, then calls best_of_pick", async () => {
    ipc.pick.mockResolvedValue({ ok: true, value: { commit: "9f8e7d6c5b", discarded: ["warden/tests-2"] } });
    const discarded = vi.fn();
    render(<CompareView group="g1" onOpen={vi.fn()} onDiscarded={discarded} />);
    await waitFor(() => expect(screen.getAllByTestId("compare-pick")).toHaveLength(2));
    fireEvent.click(screen.getAllByTestId("compare-pick")[0]!);
    const loss = screen.getByTestId("compare-pick-loss");
    expect(loss.textContent).toMatch(/Discarded for good/);
    const lost = screen.getAllByTestId("compare-pick-lost");
    expect(lost.map((l) => l.dataset.session)).toEqual(["s2"]);
    expect(lost[0]!.textContent).toContain("warden/tests-2");
    expect(lost[0]!.textContent).toContain("2 uncommitted files: src/app.ts, notes.md");
    expect(ipc.pick).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId("compare-how-squash"));
    fireEvent.change(screen.getByTestId("compare-pick-message"), { target: { value: "Tests pass (Claude)" } });
    await act(async () => {
      fireEvent.click(screen.getByTestId("compare-pick-confirm"));
    });
    expect(ipc.pick).toHaveBeenCalledWith("g1", "s1", "squash", "Tests pass (Claude)");
    expect(screen.queryByTestId("compare-pick-dialog")).toBeNull();
    expect(screen.getByTestId("compare-picked").textContent).toContain("9f8e7d6c");
    expect(screen.getAllByTestId("compare-pick").every((b) => (b as HTMLButtonElement).disabled)).toBe(true);
    expect(discarded).toHaveBeenCalledWith(["s2"]);
  });

  it("knows a group was decided from its members: one worktree left of several", () => {
    const tree = { path: "/w", branch: "b", baseBranch: "main", baseCommit: "c", ahead: 0, behind: 0, uncommitted: [], missing: false };
    const entry = (worktree: typeof tree | null) => ({ worktree }) as unknown as Parameters<typeof decided>[0][number];
    expect(decided([entry(tree), entry(tree)])).toBe(false);
    expect(decided([entry(tree), entry(null)])).toBe(true);
    expect(decided([entry(tree), entry({ ...tree, missing: true })])).toBe(true);
    expect(decided([entry(tree)])).toBe(false);
  });

  it("keeps the dialog and the choices when the pick fails", async () => {
    ipc.pick.mockResolvedValue({ ok: false, error: { code: "internal", message: "merge conflict in src/app.ts" } });
    render(<CompareView group="g1" onOpen={vi.fn()} />);
    await waitFor(() => expect(screen.getAllByTestId("compare-pick")).toHaveLength(2));
    fireEvent.click(screen.getAllByTestId("compare-pick")[1]!);
    fireEvent.click(screen.getByTestId("compare-how-rebase"));
    await act(async () => {
      fireEvent.click(screen.getByTestId("compare-pick-confirm"));
    });
    expect(ipc.pick).toHaveBeenCalledWith("g1", "s2", "rebase", null);
    expect(screen.getByTestId("compare-pick-error").textContent).toMatch(/src\/app.ts/);
    expect((screen.getByTestId("compare-how-rebase") as HTMLInputElement).checked).toBe(true);
  });

  it("reads the group again while a member runs, and stops when the view closes", async () => {
    vi.useFakeTimers();
    const view = render(<CompareView group="g1" onOpen={vi.fn()} />);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(ipc.compare).toHaveBeenCalledTimes(1);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(COMPARE_REFRESH_MS * 2 + 10);
    });
    expect(ipc.compare).toHaveBeenCalledTimes(3);
    view.unmount();
    await vi.advanceTimersByTimeAsync(COMPARE_REFRESH_MS * 3);
    expect(ipc.compare).toHaveBeenCalledTimes(3);
  });

  it("does not read again on a timer once every member has finished", async () => {
    vi.useFakeTimers();
    ipc.compare.mockResolvedValue({ ok: true, value: [CLAUDE, { ...CODEX, session: { ...CODEX.session, status: "stopped" } }] });
    render(<CompareView group="g1" onOpen={vi.fn()} />);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(COMPARE_REFRESH_MS * 3);
    });
    expect(ipc.compare).toHaveBeenCalledTimes(1);
  });
});
