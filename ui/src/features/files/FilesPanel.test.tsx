import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { FileOp, SessionEvent, SessionEventKind } from "../../ipc";
import { Transcript } from "../../model/transcript";
import { FilesPanel } from "./FilesPanel";
import { image, op, plan, planStep, summary } from "./testOps";

const log = vi.fn();
const diff = vi.fn();
const rollback = vi.fn();
const redo = vi.fn();
const rollbackPlan = vi.fn();
const redoPlan = vi.fn();
vi.mock("../../ipc", () => ({
  files: {
    log: (...args: unknown[]) => log(...args),
    diff: (...args: unknown[]) => diff(...args),
    rollback: (...args: unknown[]) => rollback(...args),
    redo: (...args: unknown[]) => redo(...args),
    rollbackPlan: (...args: unknown[]) => rollbackPlan(...args),
    redoPlan: (...args: unknown[]) => redoPlan(...args),
    // Per-hunk decisions have their own test (FilesPanelHunks.test.tsx): no hunks here.
    hunks: async (_project: string, ops: number[]) => ({ ok: true, value: { path: "", ops, hunks: [] } }),
    comments: async () => ({ ok: true, value: [] }),
  },
}));

const edit = op({ id: 1, path: "src/a.rs", turn: 1, toolCallId: "w1" });
const created = op({ id: 2, path: "new.txt", turn: 2, toolCallId: "w2", kind: { type: "create" }, before: null });
const picture = op({ id: 3, path: "img.png", turn: 2, toolCallId: "w2" });
const built = op({ id: 4, path: "dist/x.js", turn: 2, toolCallId: "w2", ignored: true });
const big = op({ id: 5, path: "data.bin", turn: 2, toolCallId: null, after: image("", 9e7, 0o644, { tooLarge: true }) });
const session = [edit, created, picture, built, big];

/** A transcript whose stream announced `ops` with line counts, and the tool calls that made them. */
function transcriptOf(ops: FileOp[], lines: Record<number, [number | null, number | null]>): Transcript {
  const t = new Transcript();
  let seq = 0;
  const ev = (kind: SessionEventKind): SessionEvent => ({ sessionId: "s1", seq: ++seq, atMs: 0, kind });
  const call = (id: string, title: string): SessionEventKind => ({
    type: "toolCall",
    data: { id, parent: null, name: "Edit", kind: "edit", title, input: { type: "other", raw: null }, rawInput: null, locations: [], status: "completed" },
  });
  t.apply([call("w1", "Edit src/a.rs"), call("w2", "Run make")].map(ev));
  for (const o of ops) {
    const [added, removed] = lines[o.id] ?? [null, null];
    t.apply([ev({ type: "fileChanges", data: { turn: o.turn, toolCallId: o.toolCallId, ops: [summary(o, added, removed)] } })]);
  }
  return t;
}

const transcript = transcriptOf(session, { 1: [3, 1], 2: [2, 0] });

function renderPanel(scope: Parameters<typeof FilesPanel>[0]["scope"] = { type: "session" }) {
  return render(<FilesPanel project="/p" sessionId="s1" transcript={transcript} scope={scope} onClose={vi.fn()} />);
}

const rows = () => screen.getAllByTestId("file-row");
const row = (path: string) => rows().find((r) => r.dataset.path === path)!;

beforeEach(() => {
  for (const fn of [log, diff, rollback, redo, rollbackPlan, redoPlan]) fn.mockReset();
  log.mockResolvedValue({ ok: true, value: session });
});
afterEach(cleanup);

describe("Files panel", () => {
  it("lists the changed files with what happened, their lines and the tool call, ignored ones apart", async () => {
    renderPanel();
    await screen.findAllByTestId("file-row");
    expect(log).toHaveBeenCalledWith("/p", "s1");
    const changed = within(screen.getByTestId("files-changed")).getAllByTestId("file-row");
    expect(changed.map((r) => [r.dataset.path, r.dataset.kind])).toEqual([
      ["data.bin", "modify"],
      ["img.png", "modify"],
      ["new.txt", "create"],
      ["src/a.rs", "modify"],
    ]);
    expect(row("src/a.rs").textContent).toMatch(/modified.*turn 1 · by Edit src\/a\.rs/);
    expect(within(row("src/a.rs")).getByTestId("file-lines").textContent).toBe("+3 −1");
    expect(within(row("new.txt")).getByTestId("file-status").textContent).toBe("created");
    expect(within(row("img.png")).getByTestId("file-lines").textContent).toBe("binary");
    expect(row("data.bin").textContent).toMatch(/too large to keep.*outside any tool call/);
    expect((within(row("data.bin")).getByTestId("file-revert") as HTMLButtonElement).disabled).toBe(true);

    const ignored = within(screen.getByTestId("files-ignored")).getAllByTestId("file-row");
    expect(ignored.map((r) => [r.dataset.path, r.dataset.ignored])).toEqual([["dist/x.js", "true"]]);
    expect(ignored[0]!.textContent).toMatch(/ignored by \.gitignore/);
    expect(within(ignored[0]!).queryByTestId("file-revert")).toBeNull();
    expect(screen.getByText("4 files changed")).toBeTruthy();
  });

  it("narrows the list to one turn, or to the tool call it was opened on", async () => {
    renderPanel({ type: "toolCall", toolCallId: "w1", turn: 1, title: "Edit src/a.rs" });
    await screen.findAllByTestId("file-row");
    expect(rows().map((r) => r.dataset.path)).toEqual(["src/a.rs"]);
    const select = screen.getByTestId("files-scope") as HTMLSelectElement;
    expect(Array.from(select.options).map((o) => o.textContent)).toEqual([
      "Whole session · 4 files",
      "Turn 1 · 1 file",
      "Turn 2 · 3 files",
      "Tool call: Edit src/a.rs · 1 file",
    ]);
    fireEvent.change(select, { target: { value: "turn:2" } });
    expect(rows().map((r) => r.dataset.path)).toEqual(["data.bin", "img.png", "new.txt", "dist/x.js"]);
    expect(screen.getByTestId("turn-revert").textContent).toBe("Revert turn 2");
  });

  it("shows a file's diff, and a binary file's sizes", async () => {
    diff.mockImplementation(async (_project: string, target: { id: number }) =>
      target.id === 1
        ? { ok: true, value: [{ path: "src/a.rs", kind: { type: "modify" }, before: { type: "text", text: "fn a() {}\n" }, after: { type: "text", text: "fn b() {}\n" }, ops: [1] }] }
        : { ok: true, value: [{ path: "img.png", kind: { type: "modify" }, before: { type: "binary", size: 2048 }, after: { type: "binary", size: 4096 }, ops: [3] }] },
    );
    renderPanel();
    await screen.findAllByTestId("file-row");
    fireEvent.click(within(row("src/a.rs")).getByText("src/a.rs"));
    const shown = await screen.findByTestId("file-diff");
    expect(diff).toHaveBeenCalledWith("/p", { type: "op", id: 1 });
    expect(shown.dataset.path).toBe("src/a.rs");
    expect(Array.from(shown.querySelectorAll("[data-diff]")).map((l) => `${l.getAttribute("data-diff")} ${l.textContent?.slice(1)}`)).toEqual([
      "del fn a() {}",
      "add fn b() {}",
    ]);

    fireEvent.click(within(row("img.png")).getByText("img.png"));
    expect((await screen.findByTestId("file-diff-sides")).textContent).toBe("Beforebinary, 2 KBAfterbinary, 4 KB");
  });

  it("says so when the session changed no file yet", async () => {
    log.mockResolvedValue({ ok: true, value: [] });
    renderPanel();
    expect((await screen.findByTestId("files-empty")).textContent).toBe("No files changed in this session yet.");
  });

  it("shows a failed read inline, and reads again on request", async () => {
    log.mockResolvedValueOnce({ ok: false, error: { code: "internal", message: "journal unavailable" } });
    renderPanel();
    expect((await screen.findByTestId("files-error")).textContent).toMatch(/journal unavailable/);
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    await screen.findAllByTestId("file-row");
    expect(screen.queryByTestId("files-error")).toBeNull();
  });

  it("reverts a turn after saying what will change, then redoes it", async () => {
    rollback.mockResolvedValue({
      ok: true,
      value: { type: "done", data: { id: 7, ops: [2, 3], restored: ["img.png"], removed: ["new.txt"], skipped: ["dist/x.js"], conflicts: [], forced: false } },
    });
    redo.mockResolvedValue({
      ok: true,
      value: { type: "done", data: { id: 8, ops: [], restored: ["img.png", "new.txt"], removed: [], skipped: [], conflicts: [], forced: false } },
    });
    // The confirmation says what the backend's plan says, nothing worked out in the window.
    rollbackPlan.mockResolvedValue({
      ok: true,
      value: plan(
        [
          planStep({ path: "img.png", sinceTurn: 2, op: 3, undoes: [3] }),
          planStep({ path: "new.txt", action: "remove", target: null, sinceTurn: 2, op: 2, undoes: [2] }),
        ],
        { notKept: ["data.bin"], skipped: ["dist/x.js"] },
      ),
    });
    renderPanel({ type: "turn", turn: 2 });
    await screen.findAllByTestId("file-row");
    fireEvent.click(screen.getByTestId("turn-revert"));

    const dialog = screen.getByTestId("revert-confirm-dialog");
    await within(dialog).findAllByTestId("revert-effect");
    expect(rollbackPlan).toHaveBeenCalledWith("/p", { type: "turn", sessionId: "s1", turn: 2 });
    expect(within(dialog).getAllByTestId("revert-effect").map((e) => e.textContent)).toEqual([
      "restore img.png to its content before turn 2",
      "remove new.txt (it did not exist before turn 2)",
    ]);
    expect(within(dialog).getByTestId("revert-left-alone").textContent).toMatch(/dist\/x\.js/);
    expect(within(dialog).getByTestId("revert-unrestorable").textContent).toMatch(/data\.bin was too large to keep/);

    fireEvent.click(within(dialog).getByTestId("revert-confirm"));
    const result = await screen.findByTestId("revert-result");
    expect(rollback).toHaveBeenCalledWith("/p", { type: "turn", sessionId: "s1", turn: 2 }, false);
    expect(within(result).getByTestId("revert-restored").textContent).toMatch(/img\.png/);
    expect(within(result).getByTestId("revert-removed").textContent).toMatch(/new\.txt/);
    expect(within(result).getByTestId("revert-skipped").textContent).toMatch(/dist\/x\.js/);
    expect(log).toHaveBeenCalledTimes(2);

    fireEvent.click(screen.getByTestId("revert-redo"));
    expect((await screen.findByText("Redone: the agent's changes are back."))).toBeTruthy();
    expect(redo).toHaveBeenCalledWith("/p", 7, false);
    expect(log).toHaveBeenCalledTimes(3);
    expect(screen.queryByTestId("revert-redo")).toBeNull();
  });

  it("shows the files changed since, and goes ahead over them only when asked", async () => {
    rollback
      .mockResolvedValueOnce({ ok: true, value: { type: "conflicts", data: [{ path: "src/a.rs", expected: image("b", 10), found: image("c0ffee99", 12, 0o755) }] } })
      .mockResolvedValueOnce({
        ok: true,
        value: { type: "done", data: { id: 9, ops: [1], restored: ["src/a.rs"], removed: [], skipped: [], conflicts: [{ path: "src/a.rs", expected: null, found: null }], forced: true } },
      });
    renderPanel();
    await screen.findAllByTestId("file-row");
    rollbackPlan.mockResolvedValue({
      ok: true,
      value: plan([planStep({ path: "src/a.rs" })], { conflicts: [{ path: "src/a.rs", expected: image("b", 10), found: image("c0ffee99", 12, 0o755) }] }),
    });
    fireEvent.click(within(row("src/a.rs")).getByTestId("file-revert"));
    const effect = await screen.findByTestId("revert-effect");
    expect(rollbackPlan).toHaveBeenCalledWith("/p", { type: "op", id: 1 });
    expect(effect.textContent).toBe("restore src/a.rs to its content before turn 1 changed since");
    expect(effect.dataset.conflict).toBe("true");
    fireEvent.click(screen.getByTestId("revert-confirm"));

    const conflict = await screen.findByTestId("revert-conflict");
    expect(rollback).toHaveBeenCalledWith("/p", { type: "op", id: 1 }, false);
    expect(conflict.dataset.path).toBe("src/a.rs");
    expect(within(conflict).getByTestId("conflict-expected").textContent).toBe("10 B · mode 644 · sha b");
    expect(within(conflict).getByTestId("conflict-found").textContent).toBe("12 B · mode 755 · sha c0ffee99");

    fireEvent.click(screen.getByTestId("revert-force"));
    const result = await screen.findByTestId("revert-result");
    expect(rollback).toHaveBeenLastCalledWith("/p", { type: "op", id: 1 }, true);
    expect(within(result).getByTestId("revert-overwritten").textContent).toMatch(/src\/a\.rs/);
  });

  it("lists rollbacks with the files they put back, and redoes one from there", async () => {
    const undo = op({ id: 6, path: "src/a.rs", turn: 1, toolCallId: null, before: image("b"), after: image("a"), rollbackId: 4 });
    log.mockResolvedValue({ ok: true, value: [{ ...edit, undoneBy: 4 }, ...session.slice(1), undo] });
    redoPlan.mockResolvedValue({ ok: true, value: plan([planStep({ path: "src/a.rs", op: 6, undoes: [6], sinceRollback: 4 })]) });
    redo.mockResolvedValue({ ok: true, value: { type: "done", data: { id: 5, ops: [6], restored: ["src/a.rs"], removed: [], skipped: [], conflicts: [], forced: false } } });
    renderPanel();
    await screen.findAllByTestId("file-row");
    expect(row("src/a.rs").dataset.state).toBe("reverted");
    const rollbackRow = screen.getByTestId("rollback-row");
    expect(rollbackRow.textContent).toMatch(/Rollback 4/);
    expect(within(rollbackRow).getByTestId("rollback-op").textContent).toMatch(/src\/a\.rs.*restored/);

    fireEvent.click(within(rollbackRow).getByTestId("rollback-undo"));
    expect((await screen.findByTestId("revert-effect")).textContent).toBe("restore src/a.rs to its content before rollback 4");
    expect(redoPlan).toHaveBeenCalledWith("/p", 4);
    fireEvent.click(screen.getByTestId("revert-confirm"));
    await screen.findByTestId("revert-result");
    expect(redo).toHaveBeenCalledWith("/p", 4, false);
  });
});
