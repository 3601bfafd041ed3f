import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { IpcError, WorktreeOptions } from "../../ipc";
import { VIEWS } from "../../model/testAgents";
import { NewSessionDialog } from "./NewSessionDialog";

const ipc = vi.hoisted(() => ({ list: vi.fn(), onRefreshed: vi.fn(async () => () => {}) }));
vi.mock("../../ipc", () => ({ agents: ipc }));

afterEach(cleanup);
beforeEach(() => {
  ipc.list.mockReset();
  ipc.list.mockResolvedValue({ ok: true, value: VIEWS });
});

const slug = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

/** A repository on main with a setup command; the suggestion follows the title like the engine's. */
function options(over: Partial<WorktreeOptions> = {}) {
  return (title: string) =>
    Promise.resolve({
      ok: true as const,
      value: {
        usable: true,
        problem: null,
        currentBranch: "main",
        head: "abc1234",
        branches: ["main", "release"],
        suggestedBranch: `warden/${slug(title) || "session"}`,
        copy: [".env", "config/local.toml"],
        setup: "npm ci",
        setupTrusted: true,
        setupNote: null,
        folder: "/data/worktrees/shop",
        ...over,
      },
    });
}

const byId = <T extends HTMLElement = HTMLInputElement>(id: string) => screen.getByTestId(id) as T;
const startButton = () => byId<HTMLButtonElement>("start-session");

async function openWorktree(load = vi.fn(options())) {
  const onStart = vi.fn().mockResolvedValue(null);
  render(<NewSessionDialog projectName="shop" onStart={onStart} onCancel={vi.fn()} worktreeOptions={load} />);
  await waitFor(() => expect(byId("new-session-worktree").disabled).toBe(false));
  fireEvent.click(byId("new-session-worktree"));
  return { onStart, load };
}

describe("New Session dialog, in a new worktree", () => {
  it("suggests a branch that follows the title until the person edits it", async () => {
    await openWorktree();
    expect(byId("worktree-branch").value).toBe("warden/session");
    fireEvent.change(byId("worktree-title"), { target: { value: "Fix the login" } });
    await waitFor(() => expect(byId("worktree-branch").value).toBe("warden/fix-the-login"));
    fireEvent.change(byId("worktree-branch"), { target: { value: "mine/login" } });
    fireEvent.change(byId("worktree-title"), { target: { value: "Fix the login page" } });
    // Past the debounce the suggestion has moved on, and the person's branch stays.
    await new Promise((r) => setTimeout(r, 400));
    expect(byId("worktree-branch").value).toBe("mine/login");
  });

  it("starts with the worktree as asked: title, branch, base, files to copy, setup", async () => {
    const { onStart } = await openWorktree();
    expect(byId("worktree-base").value).toBe("main");
    expect(byId<HTMLTextAreaElement>("worktree-copy").value).toBe(".env\nconfig/local.toml");
    expect(byId("worktree-setup").checked).toBe(true);
    expect(screen.getByTestId("worktree-folder").textContent).toContain("/data/worktrees/shop");
    // Without a title it cannot start: the title names the branch and the session.
    expect(startButton().disabled).toBe(true);
    fireEvent.change(byId("worktree-title"), { target: { value: "Fix the login" } });
    await waitFor(() => expect(byId("worktree-branch").value).toBe("warden/fix-the-login"));
    fireEvent.change(byId("worktree-base"), { target: { value: "release" } });
    fireEvent.change(byId<HTMLTextAreaElement>("worktree-copy"), { target: { value: ".env\n\n  secrets.json \n" } });
    fireEvent.click(byId("worktree-setup"));
    await act(async () => {
      fireEvent.click(startButton());
    });
    expect(onStart).toHaveBeenCalledWith({
      mode: "default",
      model: null,
      agent: "claude",
      agentName: null,
      sandbox: null,
      worktree: { title: "Fix the login", branch: "warden/fix-the-login", base: "release", copy: [".env", "secrets.json"], runSetup: false },
    });
  });

  it("is offered but disabled, with the problem in words, where git cannot make a worktree", async () => {
    const load = vi.fn(options({ usable: false, problem: "the folder is not a git repository" }));
    render(<NewSessionDialog projectName="notes" onStart={vi.fn()} onCancel={vi.fn()} worktreeOptions={load} onStartBestOf={vi.fn()} />);
    await waitFor(() => expect(screen.getByTestId("worktree-problem").textContent).toMatch(/not a git repository/));
    expect(byId("new-session-worktree").disabled).toBe(true);
    expect(byId("new-session-best-of").disabled).toBe(true);
  });

  it("does not run a setup command the project file is not trusted for, and says why", async () => {
    const { onStart } = await openWorktree(vi.fn(options({ setupTrusted: false, setupNote: "the project file is not trusted: the setup command will not run" })));
    expect(byId("worktree-setup").disabled).toBe(true);
    expect(byId("worktree-setup").checked).toBe(false);
    expect(screen.getByTestId("worktree-setup-note").textContent).toMatch(/not trusted/);
    fireEvent.change(byId("worktree-title"), { target: { value: "x" } });
    await act(async () => {
      fireEvent.click(startButton());
    });
    expect(onStart.mock.calls[0]?.[0].worktree.runSetup).toBe(false);
  });

  it("says what it is doing while the worktree is made, and keeps the input when it fails", async () => {
    let finish: (error: IpcError | null) => void = () => {};
    const onStart = vi.fn(() => new Promise<IpcError | null>((resolve) => (finish = resolve)));
    render(<NewSessionDialog projectName="shop" onStart={onStart} onCancel={vi.fn()} worktreeOptions={vi.fn(options())} />);
    await waitFor(() => expect(byId("new-session-worktree").disabled).toBe(false));
    fireEvent.click(byId("new-session-worktree"));
    fireEvent.change(byId("worktree-title"), { target: { value: "Fix the login" } });
    fireEvent.click(startButton());
    expect(screen.getByTestId("worktree-progress").textContent).toBe("Making the worktree… running setup");
    // Still responsive: the fields can be edited while it works.
    expect(byId("worktree-title").disabled).toBe(false);
    await act(async () => finish({ code: "internal", message: "the setup command failed (exit 1); see setup.log" }));
    expect(screen.getByTestId("start-error").textContent).toMatch(/setup command failed/);
    expect(byId("worktree-title").value).toBe("Fix the login");
    expect(screen.queryByTestId("worktree-progress")).toBeNull();
  });

  it("offers nothing of worktrees without a way to read the options", () => {
    render(<NewSessionDialog projectName="shop" onStart={vi.fn()} onCancel={vi.fn()} />);
    expect(screen.queryByTestId("new-session-worktree")).toBeNull();
  });
});
