import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RollbackReport } from "../../ipc";
import { RevertDialog } from "./RevertDialog";
import type { RevertPlan } from "./revertPlan";
import { image, op } from "./testOps";

const log = vi.fn();
const diff = vi.fn();
const rollback = vi.fn();
const redo = vi.fn();
vi.mock("../../ipc", () => ({
  files: {
    log: (...args: unknown[]) => log(...args),
    diff: (...args: unknown[]) => diff(...args),
    rollback: (...args: unknown[]) => rollback(...args),
    redo: (...args: unknown[]) => redo(...args),
  },
}));

const report = (id: number, restored: string[]): RollbackReport => ({ id, ops: [], restored, removed: [], skipped: [], conflicts: [], forced: false });
const done = (r: RollbackReport) => ({ ok: true, value: { type: "done", data: r } });

/** Reverting a file changed twice: newest change first, then the older one. */
const twoSteps: RevertPlan = {
  kind: "revert",
  title: "Revert a.rs",
  verb: "Revert",
  steps: [
    { type: "rollback", target: { type: "op", id: 3 } },
    { type: "rollback", target: { type: "op", id: 1 } },
  ],
  effects: [{ type: "restore", path: "a.rs", before: "turn 1" }],
  leftAlone: [],
  unrestorable: [],
};

beforeEach(() => {
  for (const fn of [log, diff, rollback, redo]) fn.mockReset();
});
afterEach(cleanup);

describe("RevertDialog", () => {
  it("carries out the steps in order, forcing only the one that met conflicts, and redoes them newest first", async () => {
    const onChanged = vi.fn();
    rollback
      .mockResolvedValueOnce({ ok: true, value: { type: "conflicts", data: [{ path: "a.rs", expected: image("v3"), found: image("mine") }] } })
      .mockResolvedValueOnce(done(report(10, ["a.rs"])))
      .mockResolvedValueOnce(done(report(11, ["a.rs"])));
    redo.mockResolvedValueOnce(done(report(12, ["a.rs"]))).mockResolvedValueOnce(done(report(13, ["a.rs"])));
    render(<RevertDialog project="/p" plan={twoSteps} onChanged={onChanged} onClose={vi.fn()} />);

    fireEvent.click(screen.getByTestId("revert-confirm"));
    await screen.findByTestId("revert-conflict");
    expect(screen.getByTestId("revert-force").textContent).toBe("Revert anyway");
    fireEvent.click(screen.getByTestId("revert-force"));
    await screen.findByTestId("revert-result");
    expect(rollback.mock.calls).toEqual([
      ["/p", { type: "op", id: 3 }, false],
      ["/p", { type: "op", id: 3 }, true],
      ["/p", { type: "op", id: 1 }, false],
    ]);
    expect(onChanged).toHaveBeenCalledTimes(2);

    fireEvent.click(screen.getByTestId("revert-redo"));
    await screen.findByText("Redone: the agent's changes are back.");
    expect(redo.mock.calls).toEqual([
      ["/p", 11, false],
      ["/p", 10, false],
    ]);
  });

  it("keeps what the first steps did when the person stops at a later step's conflicts", async () => {
    rollback
      .mockResolvedValueOnce(done(report(10, ["a.rs"])))
      .mockResolvedValueOnce({ ok: true, value: { type: "conflicts", data: [{ path: "a.rs", expected: image("v2"), found: null }] } });
    render(<RevertDialog project="/p" plan={twoSteps} onChanged={vi.fn()} onClose={vi.fn()} />);
    fireEvent.click(screen.getByTestId("revert-confirm"));
    expect(within(await screen.findByTestId("revert-conflict")).getByTestId("conflict-found").textContent).toBe("no file");
    fireEvent.click(screen.getByTestId("revert-cancel"));
    expect(screen.getByTestId("revert-restored").textContent).toMatch(/a\.rs/);
    expect(screen.getByTestId("revert-redo")).toBeTruthy();
  });

  it("shows a refusal as it came, never swallowed", async () => {
    rollback.mockResolvedValue({ ok: false, error: { code: "internal", message: "a turn is being recorded; roll back when it ends" } });
    render(<RevertDialog project="/p" plan={twoSteps} onChanged={vi.fn()} onClose={vi.fn()} />);
    fireEvent.click(screen.getByTestId("revert-confirm"));
    expect((await screen.findByTestId("revert-error")).textContent).toBe("a turn is being recorded; roll back when it ends");
    expect(screen.queryByTestId("revert-redo")).toBeNull();
  });

  it("compares what was expected with what is there, when the journal recorded both", async () => {
    rollback.mockResolvedValue({ ok: true, value: { type: "conflicts", data: [{ path: "a.rs", expected: image("v3"), found: image("v4") }] } });
    // v3 is what the agent left; v4 what another session wrote after it.
    log.mockResolvedValue({
      ok: true,
      value: [op({ id: 3, path: "a.rs", before: image("v2"), after: image("v3") }), op({ id: 8, path: "a.rs", sessionId: "s2", before: image("v3"), after: image("v4") })],
    });
    diff.mockImplementation(async (_p: string, target: { id: number }) => ({
      ok: true,
      value: [
        target.id === 3
          ? { path: "a.rs", kind: { type: "modify" }, before: { type: "text", text: "two\n" }, after: { type: "text", text: "three\n" }, ops: [3] }
          : { path: "a.rs", kind: { type: "modify" }, before: { type: "text", text: "three\n" }, after: { type: "text", text: "four\n" }, ops: [8] },
      ],
    }));
    render(<RevertDialog project="/p" plan={twoSteps} onChanged={vi.fn()} onClose={vi.fn()} />);
    fireEvent.click(screen.getByTestId("revert-confirm"));
    fireEvent.click(await screen.findByTestId("conflict-compare"));
    const lines = await screen.findAllByText(/three|four/);
    expect(lines.map((l) => l.textContent)).toEqual(["three", "four"]);
    expect(log).toHaveBeenCalledWith("/p", null);
  });

  it("offers no revert when everything was reverted already", () => {
    render(<RevertDialog project="/p" plan={{ ...twoSteps, effects: [] }} onChanged={vi.fn()} onClose={vi.fn()} />);
    expect(screen.getByText(/reverted already/)).toBeTruthy();
    expect((screen.getByTestId("revert-confirm") as HTMLButtonElement).disabled).toBe(true);
  });
});
