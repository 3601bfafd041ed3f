import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SessionEventKind } from "../../ipc";
import { Transcript } from "../../model/transcript";
import { stream, turnEnded } from "../../model/testTasks";
import { CommitDialog } from "./CommitDialog";
import { draftAnswer } from "./CommitDraft";
import { info } from "./WorktreeTestData";

const prompt = vi.fn();
const commit = vi.fn();
vi.mock("../../ipc", () => ({
  sessions: { prompt: (...args: unknown[]) => prompt(...args) },
  worktrees: { commit: (...args: unknown[]) => commit(...args) },
}));

beforeEach(() => {
  prompt.mockReset();
  commit.mockReset();
});
afterEach(cleanup);

const user = (turn: number, text: string): SessionEventKind => ({ type: "userMessage", data: { turn, text } });
const said = (messageId: string, text: string, thought = false): SessionEventKind => ({
  type: thought ? "agentThoughtChunk" : "agentMessageChunk",
  data: { messageId, part: 0, parent: null, text },
});

const dirty = info({ uncommitted: ["src/new.ts", "src/login.ts"] });

function renderDialog(t: Transcript, canDraft = true, onCommitted = vi.fn()) {
  const view = (tr: Transcript) => (
    <CommitDialog path="/wt" info={dirty} sessionId="s1" transcript={tr} canDraft={canDraft} onCommitted={onCommitted} onClose={vi.fn()} />
  );
  const result = render(view(t));
  return { rerender: () => result.rerender(view(t)) };
}

const message = () => screen.getByTestId("worktree-commit-message") as HTMLTextAreaElement;

describe("Commit dialog", () => {
  it("lists the uncommitted files and commits them with the message written", async () => {
    commit.mockResolvedValue({ ok: true, value: "c0ffee" });
    const committed = vi.fn();
    renderDialog(new Transcript(), true, committed);
    expect(screen.getByTestId("worktree-commit-files").textContent).toContain("src/new.ts");
    const confirm = screen.getByTestId("worktree-commit-confirm") as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.change(message(), { target: { value: "  Fix the login  " } });
    await act(async () => {
      fireEvent.click(confirm);
    });
    expect(commit).toHaveBeenCalledWith("/wt", "Fix the login");
    expect(committed).toHaveBeenCalledWith("c0ffee");
  });

  it("asks the agent for a draft and fills the message with its reply when that turn ends", async () => {
    const t = new Transcript();
    t.apply(stream([{ type: "status", data: "ready" }]));
    prompt.mockResolvedValue({ ok: true, value: 3 });
    const { rerender } = renderDialog(t);
    await act(async () => {
      fireEvent.click(screen.getByTestId("worktree-commit-draft"));
    });
    expect(prompt).toHaveBeenCalledWith("s1", expect.stringContaining("warden/fix-login"));
    expect(screen.getByTestId("worktree-commit-draft").textContent).toBe("Drafting…");

    // The turn runs: talk first, then the message; nothing is filled until it ends.
    let seq = 1;
    const add = (kinds: SessionEventKind[]) => t.apply(kinds.map((kind) => ({ sessionId: "s1", seq: ++seq, atMs: 0, kind })));
    add([user(3, "Write a git commit message…"), said("m1", "Let me look at the diff."), said("m2", "thinking", true), said("m3", "```\nFix the login form\n\nThe button")]);
    rerender();
    expect(message().value).toBe("");
    add([said("m3", " was never enabled.\n```"), turnEnded(3, null)]);
    await act(async () => rerender());
    expect(message().value).toBe("Fix the login form\n\nThe button was never enabled.");
    expect(screen.getByTestId("worktree-draft-note").textContent).toContain("Drafted by the agent");
    expect(screen.getByTestId("worktree-commit-draft").textContent).toBe("Ask the agent to draft");
  });

  it("offers no draft while the agent cannot take a turn", () => {
    renderDialog(new Transcript(), false);
    const draft = screen.getByTestId("worktree-commit-draft") as HTMLButtonElement;
    expect(draft.disabled).toBe(true);
    expect(draft.title).toMatch(/running and between turns/);
  });

  it("says when the drafting turn gave no text", () => {
    const t = new Transcript();
    t.apply(stream([user(1, "draft"), turnEnded(1, null)]));
    expect(draftAnswer(t, 1)).toEqual({ done: true, text: null, error: null });
    expect(draftAnswer(t, 2)).toEqual({ done: false });
  });
});
