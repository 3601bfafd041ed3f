import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WorktreeChip } from "./WorktreeChip";
import { info, record } from "./WorktreeTestData";

afterEach(cleanup);

const chip = () => screen.getByTestId("worktree-chip");

describe("worktree chip", () => {
  it("shows the branch and its base from the record before the state is read", () => {
    render(<WorktreeChip worktree={record} info={null} error={null} onCleanUp={vi.fn()} />);
    expect(chip().dataset.state).toBe("reading");
    expect(screen.getByTestId("worktree-chip-branch").textContent).toBe("warden/fix-login");
    expect(screen.getByTestId("worktree-chip-base").textContent).toBe("from main");
    expect(screen.queryByTestId("worktree-ahead-behind")).toBeNull();
  });

  it("shows commits ahead and behind, and says when everything is committed", () => {
    render(<WorktreeChip worktree={record} info={info()} error={null} onCleanUp={vi.fn()} />);
    expect(chip().dataset.state).toBe("clean");
    expect(screen.getByTestId("worktree-ahead-behind").textContent).toBe("+2 −1");
    expect(screen.getByTestId("worktree-uncommitted").textContent).toBe("all committed");
  });

  it("counts the uncommitted files", () => {
    render(<WorktreeChip worktree={record} info={info({ uncommitted: ["a.ts", "b.ts", "c.ts"] })} error={null} onCleanUp={vi.fn()} />);
    expect(chip().dataset.state).toBe("dirty");
    expect(screen.getByTestId("worktree-uncommitted").textContent).toBe("3 uncommitted");
  });

  it("names a base commit when the worktree was made from one", () => {
    render(<WorktreeChip worktree={{ ...record, baseBranch: null }} info={info({ baseBranch: null })} error={null} onCleanUp={vi.fn()} />);
    expect(screen.getByTestId("worktree-chip-base").textContent).toBe("from 01234567");
  });

  it("says when the folder was deleted by hand, and offers to clean up", () => {
    const cleanUp = vi.fn();
    render(<WorktreeChip worktree={record} info={info({ missing: true })} error={null} onCleanUp={cleanUp} />);
    expect(chip().dataset.state).toBe("missing");
    const missing = screen.getByTestId("worktree-missing");
    expect(missing.textContent).toContain("folder was deleted");
    expect(screen.queryByTestId("worktree-ahead-behind")).toBeNull();
    fireEvent.click(within(missing).getByTestId("worktree-cleanup"));
    expect(cleanUp).toHaveBeenCalledOnce();
  });

  it("says why the state is unknown", () => {
    render(<WorktreeChip worktree={record} info={null} error={{ code: "internal", message: "git is not installed" }} onCleanUp={vi.fn()} />);
    expect(screen.getByTestId("worktree-error").textContent).toContain("git is not installed");
  });
});

