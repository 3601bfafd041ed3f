import { describe, expect, it } from "vitest";
import { rollbackGroups } from "./rollbackGroups";
import { image, op } from "./testOps";

describe("rollbackGroups", () => {
  it("groups a rollback's ops, tells a redo by what it undid, and whether each still stands", () => {
    const edit = op({ id: 1, path: "a.rs", before: image("old"), after: image("new") });
    // Rollback 1 undid the edit; rollback 2, a redo, undid rollback 1's op.
    const rollback = op({ id: 2, path: "a.rs", before: image("new"), after: image("old"), rollbackId: 1, toolCallId: null, undoneBy: 2 });
    const redo = op({ id: 3, path: "a.rs", before: image("old"), after: image("new"), rollbackId: 2, toolCallId: null });
    const log = [edit, rollback, redo];
    expect(rollbackGroups([rollback, redo], log)).toEqual([
      { id: 1, made: [rollback], redoOf: null, stands: false },
      { id: 2, made: [redo], redoOf: 1, stands: true },
    ]);
  });
});
