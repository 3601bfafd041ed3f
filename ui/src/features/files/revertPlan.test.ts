import { describe, expect, it } from "vitest";
import { fileRows } from "./fileRows";
import { fileRevertRequest, redoRequest, scopeRevertRequest, stepWords, summarise } from "./revertPlan";
import { image, op, planStep } from "./testOps";

describe("revert requests", () => {
  it("names a scope to the backend in one rollback", () => {
    const request = scopeRevertRequest({ type: "turn", turn: 3 }, "s1");
    expect(request.title).toBe("Revert turn 3");
    expect(request.steps).toEqual([{ type: "rollback", target: { type: "turn", sessionId: "s1", turn: 3 } }]);
  });

  it("reverts one change of a file by its op, and several in one rollback so it is all or nothing", () => {
    const one = op({ id: 1, path: "a.rs", toolCallId: "e1", before: image("v1"), after: image("v2") });
    expect(fileRevertRequest(fileRows([one], new Map()).changed[0]!).steps).toEqual([{ type: "rollback", target: { type: "op", id: 1 } }]);
    const two = op({ id: 3, path: "a.rs", toolCallId: "e2", before: image("v2"), after: image("v3") });
    const row = fileRows([one, op({ id: 2, path: "b.rs" }), two], new Map()).changed[0]!;
    expect(fileRevertRequest(row).steps).toEqual([{ type: "rollback", target: { type: "ops", ids: [1, 3] } }]);
  });

  it("leaves out of a file's revert what a rollback already undid", () => {
    const undone = op({ id: 1, path: "a.rs", undoneBy: 4 });
    const later = op({ id: 2, path: "a.rs" });
    const row = fileRows([undone, later], new Map()).changed[0]!;
    expect(fileRevertRequest(row).steps).toEqual([{ type: "rollback", target: { type: "op", id: 2 } }]);
  });

  it("asks to redo a rollback, or to revert again when it was a redo", () => {
    expect(redoRequest(4, null)).toMatchObject({ title: "Redo what rollback 4 undid", verb: "Redo", steps: [{ type: "redo", id: 4 }] });
    expect(redoRequest(5, 4)).toMatchObject({ title: "Revert again what rollback 4 undid", verb: "Revert again" });
  });
});

describe("the backend's plan in words", () => {
  it("says what each step does and to which moment the path goes back", () => {
    const steps = [
      planStep({ path: "src/a.rs", action: "restore", sinceTurn: 2 }),
      planStep({ path: "new.txt", action: "remove", sinceTurn: 3 }),
      planStep({ path: "deleted.txt", action: "recreate", sinceTurn: 3 }),
      planStep({ path: "run.sh", action: "chmod", target: image("x", 9, 0o644) }),
      planStep({ path: "b.rs", action: "restore", sinceRollback: 4 }),
    ];
    expect(steps.map(stepWords)).toEqual([
      "restore src/a.rs to its content before turn 2",
      "remove new.txt (it did not exist before turn 3)",
      "bring back deleted.txt as it was before turn 3",
      "set the mode of run.sh back to 644",
      "restore b.rs to its content before rollback 4",
    ]);
  });

  it("takes the plans of several steps together", () => {
    const first = { ops: [1], steps: [planStep({ path: "a" })], conflicts: [{ path: "a", expected: image("x"), found: null }], notKept: [], skipped: ["dist/x"] };
    const second = { ops: [2], steps: [planStep({ path: "b" })], conflicts: [], notKept: ["big"], skipped: ["dist/x"] };
    const summary = summarise([first, second]);
    expect(summary.steps.map((s) => s.path)).toEqual(["a", "b"]);
    expect([summary.conflicts, summary.notKept, summary.skipped]).toEqual([["a"], ["big"], ["dist/x"]]);
  });
});
