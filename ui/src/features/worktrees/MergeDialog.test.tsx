import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MergeDialog } from "./MergeDialog";
import { info } from "./WorktreeTestData";

const merge = vi.fn();
vi.mock("../../ipc", () => ({ worktrees: { merge: (...args: unknown[]) => merge(...args) } }));

beforeEach(() => merge.mockReset());
afterEach(cleanup);

const confirm = () => screen.getByTestId("worktree-merge-confirm") as HTMLButtonElement;

describe("Merge dialog", () => {
  it("says what goes where, and merges the way picked", async () => {
    merge.mockResolvedValue({ ok: true, value: { type: "merged", commit: "deadbeefcafe" } });
    const merged = vi.fn();
    render(<MergeDialog path="/wt" info={info()} onMerged={merged} onClose={vi.fn()} />);
    expect(screen.getByTestId("worktree-merge-where").textContent).toBe("warden/fix-login into main (in the main folder): 2 commits.");
    fireEvent.click(screen.getByTestId("worktree-merge-squash"));
    await act(async () => {
      fireEvent.click(confirm());
    });
    expect(merge).toHaveBeenCalledWith("/wt", "squash", null);
    expect(merged).toHaveBeenCalledWith("deadbeefcafe");
    expect(screen.getByTestId("worktree-merge-done").textContent).toContain("main is at deadbeef");
  });

  it("lists a conflict file by file and says nothing was merged", async () => {
    merge.mockResolvedValue({ ok: true, value: { type: "conflict", files: ["src/login.ts", "a, b.md"] } });
    const merged = vi.fn();
    render(<MergeDialog path="/wt" info={info()} onMerged={merged} onClose={vi.fn()} />);
    fireEvent.click(screen.getByTestId("worktree-merge-rebase"));
    await act(async () => {
      fireEvent.click(confirm());
    });
    expect(merge).toHaveBeenCalledWith("/wt", "rebase", null);
    expect(merged).not.toHaveBeenCalled();
    const files = screen.getAllByTestId("worktree-merge-conflict").map((li) => li.dataset.path);
    expect(files).toEqual(["src/login.ts", "a, b.md"]);
    expect(screen.getByTestId("worktree-merge-conflicts").textContent).toContain("Nothing was merged");
    // It can be tried again (say, after fixing the base).
    expect(confirm().disabled).toBe(false);
  });

  it("shows another failure in the backend's words", async () => {
    merge.mockResolvedValue({ ok: false, error: { code: "internal", message: "the main folder has uncommitted changes (x.txt): commit or put them aside first" } });
    render(<MergeDialog path="/wt" info={info()} onMerged={vi.fn()} onClose={vi.fn()} />);
    await act(async () => {
      fireEvent.click(confirm());
    });
    expect(screen.getByTestId("worktree-merge-error").textContent).toContain("main folder has uncommitted changes");
    expect(screen.queryByTestId("worktree-merge-conflicts")).toBeNull();
  });

  it("wants a message when uncommitted files are committed first", async () => {
    merge.mockResolvedValue({ ok: true, value: { type: "merged", commit: "abc" } });
    render(<MergeDialog path="/wt" info={info({ uncommitted: ["a.ts"] })} onMerged={vi.fn()} onClose={vi.fn()} />);
    expect(screen.getByTestId("worktree-merge-where").textContent).toContain("and 1 file not committed yet");
    expect(confirm().disabled).toBe(true);
    fireEvent.change(screen.getByTestId("worktree-merge-message"), { target: { value: "Finish the login" } });
    await act(async () => {
      fireEvent.click(confirm());
    });
    expect(merge).toHaveBeenCalledWith("/wt", "merge", "Finish the login");
  });
});
