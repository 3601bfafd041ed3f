import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { FileHunks, Hunk, HunkComment, HunkRevertPlan } from "../../ipc";
import { Transcript } from "../../model/transcript";
import { commentLine, commentsSection, withComments } from "./comments";
import { FilesPanel } from "./FilesPanel";
import { image, op, plan, planStep } from "./testOps";

const calls = {
  diff: vi.fn(),
  hunks: vi.fn(),
  hunkRevertPlan: vi.fn(),
  revertHunks: vi.fn(),
  keepHunk: vi.fn(),
  addComment: vi.fn(),
  comments: vi.fn(),
  deleteComment: vi.fn(),
  redoPlan: vi.fn(),
};
vi.mock("../../ipc", () => ({
  files: {
    log: async () => ({ ok: true, value: [edit] }),
    diff: (...a: unknown[]) => calls.diff(...a),
    hunks: (...a: unknown[]) => calls.hunks(...a),
    hunkRevertPlan: (...a: unknown[]) => calls.hunkRevertPlan(...a),
    revertHunks: (...a: unknown[]) => calls.revertHunks(...a),
    keepHunk: (...a: unknown[]) => calls.keepHunk(...a),
    addComment: (...a: unknown[]) => calls.addComment(...a),
    comments: (...a: unknown[]) => calls.comments(...a),
    deleteComment: (...a: unknown[]) => calls.deleteComment(...a),
    redoPlan: (...a: unknown[]) => calls.redoPlan(...a),
  },
}));

const edit = op({ id: 7, path: "f.txt" });
const hunk = (index: number, removed: string[], added: string[], start: number, extra: Partial<Hunk> = {}): Hunk => ({
  index,
  fingerprint: `fp${index}`,
  oldStart: start,
  removed,
  newStart: start,
  added,
  state: { type: "open" },
  ...extra,
});
const two: FileHunks = { path: "f.txt", ops: [7], hunks: [hunk(1, ["a\n"], ["A\n"], 1), hunk(2, ["e\n"], ["E\n", "F\n"], 5)] };

beforeEach(() => {
  for (const fn of Object.values(calls)) fn.mockReset();
  calls.diff.mockResolvedValue({
    ok: true,
    value: [{ path: "f.txt", kind: { type: "modify" }, before: { type: "text", text: "a\nb\nc\nd\ne\n" }, after: { type: "text", text: "A\nb\nc\nd\nE\nF\n" }, ops: [7] }],
  });
  calls.hunks.mockResolvedValue({ ok: true, value: two });
  calls.comments.mockResolvedValue({ ok: true, value: [] });
  calls.keepHunk.mockResolvedValue({ ok: true, value: null });
});
afterEach(cleanup);

async function openFile() {
  render(<FilesPanel project="/p" sessionId="s1" transcript={new Transcript()} scope={{ type: "session" }} onClose={vi.fn()} />);
  const [row] = await screen.findAllByTestId("file-row");
  fireEvent.click(within(row!).getByText("f.txt"));
  await screen.findByTestId("hunk-list");
  return screen.getAllByTestId("hunk");
}

describe("Per-hunk decisions in the Files panel", () => {
  it("lists the hunks of the selected file with Keep, Revert and Comment", async () => {
    const hunks = await openFile();
    expect(calls.hunks).toHaveBeenCalledWith("/p", [7]);
    expect(hunks.map((h) => [h.dataset.hunk, h.dataset.state])).toEqual([
      ["1", "open"],
      ["2", "open"],
    ]);
    expect(within(hunks[1]!).getAllByTestId("hunk-line").map((l) => l.textContent)).toEqual(["5\u2212e", "5+E", "6+F"]);
    expect(within(hunks[1]!).getByText("lines 5\u20136")).toBeTruthy();
  });

  it("keeps a hunk and shows it kept after reading the hunks again", async () => {
    const hunks = await openFile();
    calls.hunks.mockResolvedValue({ ok: true, value: { ...two, hunks: [{ ...two.hunks[0]!, state: { type: "kept" } }, two.hunks[1]!] } });
    fireEvent.click(within(hunks[0]!).getByTestId("hunk-keep"));
    expect(calls.keepHunk).toHaveBeenCalledWith("/p", "s1", "f.txt", "fp1", true);
    await waitFor(() => expect(screen.getAllByTestId("hunk")[0]!.dataset.state).toBe("kept"));
    expect(within(screen.getAllByTestId("hunk")[0]!).getByTestId("hunk-keep").textContent).toBe("Kept \u2713");
  });

  it("reverts one hunk after a confirmation that shows the backend's hunk plan", async () => {
    const hunks = await openFile();
    const planned: HunkRevertPlan = { path: "f.txt", hunks: [two.hunks[1]!], changedSince: [], plan: plan([planStep({ path: "f.txt", undoes: [7], op: 7 })]) };
    calls.hunkRevertPlan.mockResolvedValue({ ok: true, value: planned });
    calls.revertHunks.mockResolvedValue({
      ok: true,
      value: { type: "done", data: { id: 3, ops: [7], restored: ["f.txt"], removed: [], skipped: [], conflicts: [], forced: false } },
    });
    fireEvent.click(within(hunks[1]!).getByTestId("hunk-revert"));
    const dialog = await screen.findByTestId("revert-confirm-dialog");
    expect(calls.hunkRevertPlan).toHaveBeenCalledWith("/p", [7], [2]);
    const effect = await within(dialog).findByTestId("revert-effect");
    expect([effect.dataset.effect, effect.dataset.hunk, effect.dataset.path]).toEqual(["revertHunk", "2", "f.txt"]);
    expect(effect.textContent).toContain("revert hunk 2 of f.txt");
    fireEvent.click(within(dialog).getByTestId("revert-confirm"));
    await within(dialog).findByTestId("revert-redo");
    expect(calls.revertHunks).toHaveBeenCalledWith("/p", [7], [2], false);
  });

  it("asks again before overwriting a hunk changed since", async () => {
    const hunks = await openFile();
    const planned: HunkRevertPlan = {
      path: "f.txt",
      hunks: [two.hunks[0]!],
      changedSince: [1],
      plan: plan([planStep({ path: "f.txt" })], { conflicts: [{ path: "f.txt", expected: image("b"), found: image("c") }] }),
    };
    calls.hunkRevertPlan.mockResolvedValue({ ok: true, value: planned });
    calls.revertHunks.mockResolvedValueOnce({ ok: true, value: { type: "conflicts", data: planned.plan.conflicts } });
    fireEvent.click(within(hunks[0]!).getByTestId("hunk-revert"));
    const dialog = await screen.findByTestId("revert-confirm-dialog");
    const effect = await within(dialog).findByTestId("revert-effect");
    expect(effect.dataset.conflict).toBe("true");
    fireEvent.click(within(dialog).getByTestId("revert-confirm"));
    await within(dialog).findByTestId("revert-force");
    expect(calls.revertHunks).toHaveBeenLastCalledWith("/p", [7], [1], false);
  });

  it("comments on a range of lines picked with a click and a shift-click", async () => {
    const hunks = await openFile();
    const lines = within(hunks[1]!).getAllByTestId("hunk-line");
    fireEvent.click(lines[1]!);
    fireEvent.click(lines[2]!, { shiftKey: true });
    expect(lines.map((l) => l.getAttribute("aria-selected"))).toEqual(["false", "true", "true"]);
    fireEvent.click(within(hunks[1]!).getByTestId("hunk-comment"));
    const editor = await screen.findByTestId("hunk-comment-editor");
    expect(editor.textContent).toContain("lines 5\u20136");
    const saveButton = within(editor).getByTestId("hunk-comment-save") as HTMLButtonElement;
    expect(saveButton.disabled).toBe(true);
    const stored: HunkComment = {
      id: 1, sessionId: "s1", task: null, path: "f.txt", startLine: 5, endLine: 6, quote: "@@ -5,1 +5,2 @@\n+E\n+F\n", text: "Why F?", createdMs: 0, sent: false,
    };
    calls.addComment.mockResolvedValue({ ok: true, value: stored });
    calls.comments.mockResolvedValue({ ok: true, value: [stored] });
    fireEvent.change(within(editor).getByTestId("hunk-comment-text"), { target: { value: "Why F?" } });
    fireEvent.click(saveButton);
    await waitFor(() => expect(screen.queryByTestId("hunk-comment-editor")).toBeNull());
    expect(calls.addComment).toHaveBeenCalledWith("/p", {
      sessionId: "s1", task: null, path: "f.txt", startLine: 5, endLine: 6, quote: "@@ -5,1 +5,2 @@\n+E\n+F\n", text: "Why F?",
    });
    const listed = await within(screen.getAllByTestId("hunk")[1]!).findByTestId("hunk-comment-item");
    expect(listed.textContent).toContain("lines 5\u20136: Why F?");
  });

  it("cancels a comment with Escape without closing the panel", async () => {
    const hunks = await openFile();
    fireEvent.click(within(hunks[0]!).getByTestId("hunk-comment"));
    const text = await screen.findByTestId("hunk-comment-text");
    fireEvent.keyDown(text, { key: "Escape" });
    expect(screen.queryByTestId("hunk-comment-editor")).toBeNull();
    expect(screen.getByTestId("files-panel")).toBeTruthy();
  });
});

describe("comments as feedback", () => {
  const c: HunkComment = {
    id: 1, sessionId: "s1", task: 2, path: "src/a.rs", startLine: 3, endLine: 4, quote: "@@ -3,1 +3,2 @@\n+x\n+y\n", text: "Use a constant.\nIt is used twice.", createdMs: 0, sent: false,
  };

  it("names the file and lines, quotes the hunk and keeps the full text", () => {
    expect(commentLine(c)).toBe("- Use a constant. (src/a.rs:3-4)");
    expect(commentsSection([c])).toBe(
      "## Comments from the user on your changes\n\n- Use a constant. (src/a.rs:3-4)\n  It is used twice.\n  ```diff\n  @@ -3,1 +3,2 @@\n  +x\n  +y\n  ```",
    );
    expect(withComments("## Check `tests` failed\n- boom\n", [c])).toMatch(/^## Check `tests` failed\n- boom\n\n## Comments from the user/);
    expect(withComments("feedback", [])).toBe("feedback");
  });
});
