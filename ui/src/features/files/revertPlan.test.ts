import { describe, expect, it } from "vitest";
import { fileRows } from "./fileRows";
import { opsInEffect } from "./inEffect";
import { effectWords, fileRevertPlan, redoPlan, scopeRevertPlan } from "./revertPlan";
import { image, op } from "./testOps";

const words = (plan: { effects: Parameters<typeof effectWords>[0][] }) => plan.effects.map(effectWords);

describe("revert plans", () => {
  const edit = op({ id: 1, path: "src/a.rs", turn: 3 });
  const made = op({ id: 2, path: "new.txt", turn: 3, kind: { type: "create" }, before: null });
  const removed = op({ id: 3, path: "deleted.txt", turn: 3, kind: { type: "delete" }, after: null });
  const moved = op({ id: 4, path: "lib/b.rs", turn: 3, kind: { type: "rename", from: "lib/a.rs" } });
  const chmod = op({ id: 5, path: "run.sh", turn: 3, kind: { type: "chmod" }, before: image("x", 9, 0o644), after: image("x", 9, 0o755) });
  const ignored = op({ id: 6, path: "build/out.log", turn: 3, ignored: true });
  const log = [edit, made, removed, moved, chmod, ignored];

  it("says exactly what reverting a turn will do to each path", () => {
    const plan = scopeRevertPlan({ type: "turn", turn: 3 }, log, "s1");
    expect(plan.title).toBe("Revert turn 3");
    expect(plan.steps).toEqual([{ type: "rollback", target: { type: "turn", sessionId: "s1", turn: 3 } }]);
    expect(words(plan)).toEqual([
      "bring back deleted.txt",
      "move lib/b.rs back to lib/a.rs",
      "remove new.txt (the agent created it)",
      "set the mode of run.sh back to 644",
      "restore src/a.rs to its content before turn 3",
    ]);
    expect(plan.leftAlone).toEqual(["build/out.log"]);
    expect(plan.unrestorable).toEqual([]);
  });

  it("names the turn a file goes back to by its first change being undone", () => {
    const early = op({ id: 1, path: "a.rs", turn: 2, before: image("v1"), after: image("v2") });
    const late = op({ id: 2, path: "a.rs", turn: 4, before: image("v2"), after: image("v3") });
    expect(words(scopeRevertPlan({ type: "session" }, [early, late], "s1"))).toEqual(["restore a.rs to its content before turn 2"]);
  });

  it("leaves out what was reverted already, and changes made and undone within the scope", () => {
    const tmp1 = op({ id: 1, path: "tmp", kind: { type: "create" }, before: null });
    const tmp2 = op({ id: 2, path: "tmp", kind: { type: "delete" }, before: image("b"), after: null });
    const a = op({ id: 3, path: "a.rs", before: image("old"), after: image("new") });
    const undo = op({ id: 4, path: "a.rs", before: image("new"), after: image("old"), rollbackId: 1, toolCallId: null });
    const plan = scopeRevertPlan({ type: "session" }, [tmp1, tmp2, a, undo], "s1");
    expect(plan.effects).toEqual([]);
  });

  it("warns about content too large to keep", () => {
    const big = op({ id: 1, path: "data.bin", before: image("", 9e7, 0o644, { tooLarge: true }) });
    expect(scopeRevertPlan({ type: "session" }, [big], "s1").unrestorable).toEqual(["data.bin"]);
  });

  it("reverts one change of a file by its op", () => {
    const { changed } = fileRows([edit], log, new Map());
    const plan = fileRevertPlan(changed[0]!);
    expect(plan.steps).toEqual([{ type: "rollback", target: { type: "op", id: 1 } }]);
    expect(words(plan)).toEqual(["restore src/a.rs to its content before turn 3"]);
  });

  it("reverts a file's several changes in one rollback, so it is all or nothing", () => {
    const one = op({ id: 1, path: "a.rs", toolCallId: "e1", before: image("v1"), after: image("v2") });
    const other = op({ id: 2, path: "b.rs", toolCallId: "e2" });
    const two = op({ id: 3, path: "a.rs", toolCallId: "e2", before: image("v2"), after: image("v3") });
    const all = [one, other, two];
    const plan = fileRevertPlan(fileRows(all, all, new Map()).changed[0]!);
    expect(plan.steps).toEqual([{ type: "rollback", target: { type: "ops", ids: [1, 3] } }]);
    expect(words(plan)).toEqual(["restore a.rs to its content before turn 1"]);
  });

  it("says what redoing a rollback puts back", () => {
    const back = op({ id: 9, path: "deleted.txt", kind: { type: "create" }, before: null, rollbackId: 4, toolCallId: null });
    const restored = op({ id: 10, path: "src/a.rs", before: image("new"), after: image("old"), rollbackId: 4, toolCallId: null });
    const plan = redoPlan(4, [back, restored], null);
    expect(plan.steps).toEqual([{ type: "redo", id: 4 }]);
    expect(words(plan)).toEqual(["remove deleted.txt (rollback 4 brought it back)", "restore src/a.rs to its content before rollback 4"]);
  });
});

describe("opsInEffect", () => {
  it("follows a rename back to where the file came from", () => {
    const moved = op({ id: 1, path: "b", kind: { type: "rename", from: "a" }, before: image("x"), after: image("x") });
    expect(opsInEffect([moved], [moved])).toEqual([moved]);
    const back = op({ id: 2, path: "a", kind: { type: "create" }, before: null, after: image("x"), rollbackId: 1, toolCallId: null });
    const gone = op({ id: 3, path: "b", kind: { type: "delete" }, before: image("x"), after: null, rollbackId: 1, toolCallId: null });
    expect(opsInEffect([moved], [moved, back, gone])).toEqual([]);
  });
});
