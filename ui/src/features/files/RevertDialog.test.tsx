import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RollbackReport } from "../../ipc";
import { RevertDialog } from "./RevertDialog";
import type { RevertRequest } from "./revertPlan";
import { image, op, plan, planStep } from "./testOps";

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
  },
}));

const report = (id: number, restored: string[]): RollbackReport => ({ id, ops: [], restored, removed: [], skipped: [], conflicts: [], forced: false });
const done = (r: RollbackReport) => ({ ok: true, value: { type: "done", data: r } });

/** Reverting a file changed twice: newest change first, then the older one. */
const twoSteps: RevertRequest = {
  kind: "revert",
  title: "Revert a.rs",
  verb: "Revert",
  steps: [
    { type: "rollback", target: { type: "op", id: 3 } },
    { type: "rollback", target: { type: "op", id: 1 } },
  ],
};

/** The backend's plan of each step: a.rs back to before turn 1. */
const planned = { ok: true, value: plan([planStep({ path: "a.rs" })]) };

/** Waits until the backend's plan is on screen, so Revert can be pressed. */
const confirmed = async () => {
  await screen.findByTestId("revert-effects");
  fireEvent.click(screen.getByTestId("revert-confirm"));
};

beforeEach(() => {
  for (const fn of [log, diff, rollback, redo, rollbackPlan, redoPlan]) fn.mockReset();
  rollbackPlan.mockResolvedValue(planned);
});
afterEach(cleanup);

describe("RevertDialog", () => {
  it("shows exactly what the backend's plan says, path by path, before anything is done", async () => {
    rollbackPlan.mockResolvedValue({
      ok: true,
      value: plan(
        [
          planStep({ path: "a", action: "recreate", target: image("x"), current: null, sinceTurn: 2, undoes: [5] }),
          planStep({ path: "b", action: "remove", target: null, sinceTurn: 2, undoes: [5] }),
          planStep({ path: "c.rs", action: "restore", sinceTurn: 1, undoes: [1, 3] }),
          planStep({ path: "run.sh", action: "chmod", current: image("r", 3, 0o755), target: image("r", 3, 0o644), undoes: [4] }),
        ],
        { conflicts: [{ path: "c.rs", expected: image("v3"), found: image("mine") }], skipped: ["dist/x.js"], notKept: ["big.bin"] },
      ),
    });
    const request: RevertRequest = { ...twoSteps, steps: [{ type: "rollback", target: { type: "turn", sessionId: "s1", turn: 2 } }] };
    render(<RevertDialog project="/p" plan={request} onChanged={vi.fn()} onClose={vi.fn()} />);
    expect((screen.getByTestId("revert-confirm") as HTMLButtonElement).disabled).toBe(true);
    const effects = within(await screen.findByTestId("revert-effects")).getAllByTestId("revert-effect");
    expect(rollbackPlan.mock.calls).toEqual([["/p", { type: "turn", sessionId: "s1", turn: 2 }]]);
    expect(effects.map((e) => [e.dataset.path, e.dataset.effect, e.dataset.ops, e.dataset.conflict ?? null])).toEqual([
      ["a", "recreate", "5", null],
      ["b", "remove", "5", null],
      ["c.rs", "restore", "1 3", "true"],
      ["run.sh", "chmod", "4", null],
    ]);
    expect(effects.map((e) => e.textContent)).toEqual([
      "bring back a as it was before turn 2",
      "remove b (it did not exist before turn 2)",
      "restore c.rs to its content before turn 1 changed since",
      "set the mode of run.sh back to 644",
    ]);
    expect(screen.getByTestId("revert-left-alone").textContent).toMatch(/dist\/x\.js/);
    expect(screen.getByTestId("revert-unrestorable").textContent).toMatch(/big\.bin/);
    expect((screen.getByTestId("revert-confirm") as HTMLButtonElement).disabled).toBe(false);
    expect(rollback).not.toHaveBeenCalled();
  });

  it("shows the plan of a redo, and a plan the backend refuses to make", async () => {
    redoPlan.mockResolvedValue({ ok: true, value: plan([planStep({ path: "a.rs", sinceRollback: 4 })]) });
    const request: RevertRequest = { kind: "redo", title: "Redo", verb: "Redo", steps: [{ type: "redo", id: 4 }] };
    render(<RevertDialog project="/p" plan={request} onChanged={vi.fn()} onClose={vi.fn()} />);
    expect((await screen.findByTestId("revert-effect")).textContent).toBe("restore a.rs to its content before rollback 4");
    expect(redoPlan).toHaveBeenCalledWith("/p", 4);
    cleanup();
    rollbackPlan.mockResolvedValue({ ok: false, error: { code: "internal", message: "turn 2 of session s1 was rolled back already" } });
    render(<RevertDialog project="/p" plan={twoSteps} onChanged={vi.fn()} onClose={vi.fn()} />);
    expect((await screen.findByTestId("revert-error")).textContent).toBe("turn 2 of session s1 was rolled back already");
    expect(screen.queryByTestId("revert-confirm")).toBeNull();
  });

  it("carries out the steps in order, forcing only the one that met conflicts, and redoes them newest first", async () => {
    const onChanged = vi.fn();
    rollback
      .mockResolvedValueOnce({ ok: true, value: { type: "conflicts", data: [{ path: "a.rs", expected: image("v3"), found: image("mine") }] } })
      .mockResolvedValueOnce(done(report(10, ["a.rs"])))
      .mockResolvedValueOnce(done(report(11, ["a.rs"])));
    redo.mockResolvedValueOnce(done(report(12, ["a.rs"]))).mockResolvedValueOnce(done(report(13, ["a.rs"])));
    render(<RevertDialog project="/p" plan={twoSteps} onChanged={onChanged} onClose={vi.fn()} />);

    await confirmed();
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
    await confirmed();
    expect(within(await screen.findByTestId("revert-conflict")).getByTestId("conflict-found").textContent).toBe("no file");
    fireEvent.click(screen.getByTestId("revert-cancel"));
    expect(screen.getByTestId("revert-restored").textContent).toMatch(/a\.rs/);
    expect(screen.getByTestId("revert-redo")).toBeTruthy();
  });

  it("shows a refusal as it came, never swallowed", async () => {
    rollback.mockResolvedValue({ ok: false, error: { code: "internal", message: "a turn is being recorded; roll back when it ends" } });
    render(<RevertDialog project="/p" plan={twoSteps} onChanged={vi.fn()} onClose={vi.fn()} />);
    await confirmed();
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
    await confirmed();
    fireEvent.click(await screen.findByTestId("conflict-compare"));
    const lines = await screen.findAllByText(/three|four/);
    expect(lines.map((l) => l.textContent)).toEqual(["three", "four"]);
    expect(log).toHaveBeenCalledWith("/p", null);
  });

  it("offers no revert when the backend's plan changes nothing", async () => {
    rollbackPlan.mockResolvedValue({ ok: true, value: plan([]) });
    render(<RevertDialog project="/p" plan={twoSteps} onChanged={vi.fn()} onClose={vi.fn()} />);
    expect(await screen.findByText(/reverted already/)).toBeTruthy();
    expect((screen.getByTestId("revert-confirm") as HTMLButtonElement).disabled).toBe(true);
  });
});
