// Builders for journal ops in tests: only what a test cares about needs spelling out.
import type { FileImage, FileOp, FileOpSummary } from "../../ipc";

/** A regular file of `size` bytes whose content hashes to `hash`. */
export function image(hash: string, size = 10, mode = 0o644, extra: Partial<FileImage> = {}): FileImage {
  return { hash, size, mode, kind: "file", tooLarge: false, ...extra };
}

/** An op of session s1, turn 1, tool call t1: a modify from "a" to "b" unless overridden. */
export function op(overrides: Partial<FileOp> & { id: number; path: string }): FileOp {
  return {
    sessionId: "s1",
    turn: 1,
    toolCallId: "t1",
    kind: { type: "modify" },
    before: image("a"),
    after: image("b"),
    atMs: 0,
    ignored: false,
    rollbackId: null,
    ...overrides,
  };
}

/** The stream's summary of `o`, with line counts (null for binary). */
export function summary(o: FileOp, added: number | null, removed: number | null): FileOpSummary {
  return {
    id: o.id,
    path: o.path,
    kind: o.kind,
    sizeBefore: o.before?.size ?? null,
    sizeAfter: o.after?.size ?? null,
    linesAdded: added,
    linesRemoved: removed,
    ignored: o.ignored,
    tooLarge: Boolean(o.before?.tooLarge || o.after?.tooLarge),
  };
}
