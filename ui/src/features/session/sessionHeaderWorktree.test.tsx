// The session header of a session in its own worktree: the worktree line (chip and actions)
// read for the session's folder. Lives here: the header embeds the worktrees feature.
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SessionEvent } from "../../ipc";
import { Transcript } from "../../model/transcript";
import { SessionHeader } from "./SessionHeader";
import { info, record } from "../worktrees/WorktreeTestData";

const state = vi.fn();
const stop = vi.fn();
const discard = vi.fn();
const pr = vi.fn();
vi.mock("../../ipc", () => ({
  sessions: { setMode: async () => ({ ok: true, value: null }), stop: (...args: unknown[]) => stop(...args) },
  permissions: { projectRules: async () => ({ ok: true, value: { allow: [], deny: [] } }), log: async () => ({ ok: true, value: [] }) },
  worktrees: {
    state: (...args: unknown[]) => state(...args),
    discard: (...args: unknown[]) => discard(...args),
    pr: (...args: unknown[]) => pr(...args),
    changes: async () => ({ ok: true, value: { base: "main", mergeBase: "0123", commits: [], files: [] } }),
  },
}));

beforeEach(() => {
  state.mockReset();
  stop.mockReset().mockResolvedValue({ ok: true, value: null });
  discard.mockReset().mockResolvedValue({ ok: true, value: null });
});
afterEach(cleanup);

function transcript(): Transcript {
  const t = new Transcript();
  const started: SessionEvent = {
    sessionId: "s1",
    seq: 1,
    atMs: 0,
    kind: {
      type: "started",
      data: { agent: "claude", cwd: "/data/worktrees/app/fix-login", program: "claude", pid: 1, version: "2.1.0", model: null, permissionMode: "default", resumed: false },
    },
  };
  t.apply([started, { sessionId: "s1", seq: 2, atMs: 0, kind: { type: "status", data: "ready" } }]);
  return t;
}

describe("session header of a worktree session", () => {
  it("has no worktree line for a session in the project folder", () => {
    render(<SessionHeader title="t" transcript={transcript()} status="ready" readOnly={false} sessionId="s1" />);
    expect(screen.queryByTestId("worktree-chip")).toBeNull();
    expect(state).not.toHaveBeenCalled();
  });

  it("reads the worktree's state for its folder and shows the chip and the actions", async () => {
    state.mockResolvedValue({ ok: true, value: info({ uncommitted: ["src/new.ts"] }) });
    render(<SessionHeader title="t" transcript={transcript()} status="ready" readOnly={false} sessionId="s1" project="/data/worktrees/app/fix-login" worktree={record} />);
    await screen.findByText("1 uncommitted");
    expect(state).toHaveBeenCalledWith("/data/worktrees/app/fix-login");
    for (const id of ["worktree-changes", "worktree-commit", "worktree-merge", "worktree-pr", "worktree-discard"]) {
      expect((screen.getByTestId(id) as HTMLButtonElement).disabled, id).toBe(false);
    }
    await act(async () => {
      fireEvent.click(screen.getByTestId("worktree-changes"));
    });
    expect(screen.getByTestId("changes-panel")).toBeTruthy();
  });

  it("offers only Clean up and Discard for a folder deleted by hand", async () => {
    state.mockResolvedValue({ ok: true, value: info({ missing: true }) });
    render(<SessionHeader title="t" transcript={transcript()} status="stopped" readOnly={false} sessionId="s1" project="/data/worktrees/app/fix-login" worktree={record} />);
    await screen.findByTestId("worktree-missing");
    for (const id of ["worktree-changes", "worktree-commit", "worktree-merge", "worktree-pr"]) {
      expect((screen.getByTestId(id) as HTMLButtonElement).disabled, id).toBe(true);
    }
    await act(async () => {
      fireEvent.click(screen.getByTestId("worktree-cleanup"));
    });
    expect(screen.getByTestId("worktree-discard-dialog").textContent).toContain("The folder is gone already");
  });

  it("reads the state again when the watcher reports a change and when a turn ends", async () => {
    state.mockResolvedValue({ ok: true, value: info() });
    const t = transcript();
    const view = () => (
      <SessionHeader title="t" transcript={t} status="ready" readOnly={false} sessionId="s1" project="/data/worktrees/app/fix-login" worktree={record} />
    );
    const { rerender } = render(view());
    await screen.findByText("all committed");
    expect(state).toHaveBeenCalledTimes(1);

    state.mockResolvedValue({ ok: true, value: info({ uncommitted: ["notes.md"] }) });
    const op = { id: 9, path: "notes.md", kind: { type: "modify" as const }, sizeBefore: 1, sizeAfter: 2, linesAdded: 1, linesRemoved: 0, ignored: false, tooLarge: false };
    t.apply([{ sessionId: "s1", seq: 3, atMs: 0, kind: { type: "fileChanges", data: { turn: 0, toolCallId: null, ops: [op], outsideTurn: true } } }]);
    rerender(view());
    await screen.findByText("1 uncommitted", undefined, { timeout: 2000 });
    expect(state).toHaveBeenCalledTimes(2);

    t.apply([
      { sessionId: "s1", seq: 4, atMs: 0, kind: { type: "userMessage", data: { turn: 1, text: "go" } } },
      { sessionId: "s1", seq: 5, atMs: 0, kind: { type: "turnEnded", data: { turn: 1, stopReason: "endTurn", error: null, durationMs: 1, usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheCreationTokens: 0 }, costUsd: null, sessionCostUsd: null } } },
    ]);
    rerender(view());
    await vi.waitFor(() => expect(state).toHaveBeenCalledTimes(3), { timeout: 2000 });
  });

  it("stops the session and discards the worktree after the confirmation, then says it is gone", async () => {
    state.mockResolvedValue({ ok: true, value: info({ uncommitted: ["src/new.ts"] }) });
    render(<SessionHeader title="t" transcript={transcript()} status="ready" readOnly={false} sessionId="s1" project="/data/worktrees/app/fix-login" worktree={record} />);
    await screen.findByText("1 uncommitted");
    await act(async () => {
      fireEvent.click(screen.getByTestId("worktree-discard"));
    });
    expect(screen.getByTestId("worktree-discard-dialog").textContent).toContain("src/new.ts");
    await act(async () => {
      fireEvent.click(screen.getByTestId("worktree-discard-confirm"));
    });
    expect(stop).toHaveBeenCalledWith("s1");
    expect(discard).toHaveBeenCalledWith("/data/worktrees/app/fix-login");
    expect(screen.queryByTestId("worktree-discard-dialog")).toBeNull();
    expect(screen.getByTestId("worktree-chip").dataset.state).toBe("discarded");
    expect(screen.queryByTestId("worktree-merge")).toBeNull();
  });

  it("shows gh's trouble in the backend's words when a pull request cannot be opened", async () => {
    state.mockResolvedValue({ ok: true, value: info() });
    pr.mockResolvedValue({ ok: false, error: { code: "internal", message: "gh is not installed: install GitHub's CLI to open pull requests" } });
    render(<SessionHeader title="t" transcript={transcript()} status="ready" readOnly={false} sessionId="s1" project="/data/worktrees/app/fix-login" worktree={record} />);
    await screen.findByText("all committed");
    await act(async () => {
      fireEvent.click(screen.getByTestId("worktree-pr"));
    });
    expect(pr).toHaveBeenCalledWith("/data/worktrees/app/fix-login");
    expect(screen.getByTestId("worktree-pr-error").textContent).toBe("gh is not installed: install GitHub's CLI to open pull requests");
  });
});
