import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DiscardDialog } from "./DiscardDialog";
import { changes, info } from "./WorktreeTestData";

const calls: string[] = [];
const stop = vi.fn();
const discard = vi.fn();
const readChanges = vi.fn();
vi.mock("../../ipc", () => ({
  sessions: { stop: (...args: unknown[]) => stop(...args) },
  worktrees: { discard: (...args: unknown[]) => discard(...args), changes: (...args: unknown[]) => readChanges(...args) },
}));

beforeEach(() => {
  calls.length = 0;
  stop.mockReset().mockImplementation(async () => (calls.push("stop"), { ok: true, value: null }));
  discard.mockReset().mockImplementation(async () => (calls.push("discard"), { ok: true, value: null }));
  readChanges.mockReset().mockResolvedValue({ ok: true, value: changes() });
});
afterEach(cleanup);

describe("Discard dialog", () => {
  it("lists exactly what is lost: the uncommitted files and the commits not merged", async () => {
    render(<DiscardDialog path="/wt" info={info({ uncommitted: ["src/new.ts"] })} liveSession="s1" onDiscarded={vi.fn()} onClose={vi.fn()} />);
    await screen.findByTestId("worktree-discard-commits");
    expect(readChanges).toHaveBeenCalledWith("/wt");
    expect(screen.getAllByTestId("worktree-discard-file").map((li) => li.dataset.path)).toEqual(["src/new.ts"]);
    expect(screen.getAllByTestId("worktree-discard-commit").map((li) => li.textContent)).toEqual(["aaa1111 Fix the login form", "bbb2222 Test the login form"]);
    const lost = screen.getByTestId("worktree-discard-lost").textContent;
    expect(lost).toContain("1 file not committed");
    expect(lost).toContain("2 commits not merged into main");
    expect(screen.getByTestId("worktree-discard-confirm").textContent).toBe("Stop the session and discard");
  });

  it("stops the session first, then discards", async () => {
    const discarded = vi.fn();
    render(<DiscardDialog path="/wt" info={info()} liveSession="s1" onDiscarded={discarded} onClose={vi.fn()} />);
    await act(async () => {
      fireEvent.click(screen.getByTestId("worktree-discard-confirm"));
    });
    expect(calls).toEqual(["stop", "discard"]);
    expect(stop).toHaveBeenCalledWith("s1");
    expect(discard).toHaveBeenCalledWith("/wt");
    expect(discarded).toHaveBeenCalledOnce();
  });

  it("discards nothing when the session would not stop", async () => {
    stop.mockResolvedValue({ ok: false, error: { code: "internal", message: "the agent did not stop" } });
    const discarded = vi.fn();
    render(<DiscardDialog path="/wt" info={info()} liveSession="s1" onDiscarded={discarded} onClose={vi.fn()} />);
    await act(async () => {
      fireEvent.click(screen.getByTestId("worktree-discard-confirm"));
    });
    expect(discard).not.toHaveBeenCalled();
    expect(discarded).not.toHaveBeenCalled();
    expect(screen.getByTestId("worktree-discard-error").textContent).toContain("did not stop");
  });

  it("says nothing is lost when everything is merged", async () => {
    readChanges.mockResolvedValue({ ok: true, value: changes({ commits: [], files: [] }) });
    render(<DiscardDialog path="/wt" info={info({ ahead: 0 })} liveSession={null} onDiscarded={vi.fn()} onClose={vi.fn()} />);
    expect((await screen.findByTestId("worktree-discard-nothing")).textContent).toContain("Nothing is lost");
    expect(screen.getByTestId("worktree-discard-confirm").textContent).toBe("Discard");
  });
});
