import { describe, expect, it } from "vitest";
import type { FileOp, FileOpSummary } from "../../ipc";
import { fileRows, statusWords } from "./fileRows";
import { image, op, summary } from "./testOps";

const summaries = (...pairs: [FileOp, number | null, number | null][]) =>
  new Map<number, FileOpSummary>(pairs.map(([o, a, r]) => [o.id, summary(o, a, r)]));

describe("fileRows", () => {
  it("says what happened to each file, sorted by path", () => {
    const ops = [
      op({ id: 1, path: "new.txt", kind: { type: "create" }, before: null }),
      op({ id: 2, path: "src/a.rs" }),
      op({ id: 3, path: "gone.txt", kind: { type: "delete" }, after: null }),
      op({ id: 4, path: "b.txt", kind: { type: "rename", from: "a.txt" } }),
      op({ id: 5, path: "run.sh", kind: { type: "chmod" }, before: image("x", 10, 0o644), after: image("x", 10, 0o755) }),
      op({ id: 6, path: "tmp.txt", kind: { type: "create" }, before: null }),
      op({ id: 7, path: "tmp.txt", kind: { type: "delete" }, before: image("b"), after: null }),
    ];
    const { changed } = fileRows(ops, new Map());
    expect(changed.map((r) => [r.path, r.kind, statusWords(r)])).toEqual([
      ["b.txt", "rename", "renamed from a.txt"],
      ["gone.txt", "delete", "deleted"],
      ["new.txt", "create", "created"],
      ["run.sh", "chmod", "mode changed"],
      ["src/a.rs", "modify", "modified"],
      ["tmp.txt", "create", "created, then deleted"],
    ]);
  });

  it("takes a file's ops in the scope together, adding up their lines", () => {
    const first = op({ id: 1, path: "a.rs", toolCallId: "t1" });
    const second = op({ id: 2, path: "a.rs", toolCallId: "t2", before: image("b"), after: image("c") });
    const { changed } = fileRows([first, second], summaries([first, 3, 1], [second, 2, 0]));
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({ path: "a.rs", lines: { type: "lines", added: 5, removed: 1 }, toolCalls: ["t1", "t2"] });
  });

  it("says binary, symlink or the sizes where lines cannot be counted", () => {
    const bin = op({ id: 1, path: "logo.png" });
    const link = op({ id: 2, path: "current", before: image("l", 4, 0o777, { kind: "symlink" }), after: image("m", 5, 0o777, { kind: "symlink" }) });
    const unread = op({ id: 3, path: "c.txt", before: image("a", 1024), after: image("b", 2048) });
    const { changed } = fileRows([bin, link, unread], summaries([bin, null, null], [link, null, null]));
    expect(changed.map((r) => r.lines)).toEqual([
      { type: "sizes", before: 1024, after: 2048 },
      { type: "symlink" },
      { type: "binary" },
    ]);
  });

  it("lists the paths .gitignore hides apart, and marks content too large to keep", () => {
    const ignored = op({ id: 1, path: "dist/app.js", ignored: true, before: image("", 5), after: image("", 6) });
    const big = op({ id: 2, path: "data.bin", after: image("z", 99_000_000, 0o644, { tooLarge: true, hash: "" }) });
    const { changed, ignored: apart } = fileRows([ignored, big], new Map());
    expect(apart.map((r) => [r.path, statusWords(r), r.lines.type])).toEqual([["dist/app.js", "ignored by .gitignore", "none"]]);
    expect(changed.map((r) => [r.path, r.tooLarge, r.lines.type])).toEqual([["data.bin", true, "none"]]);
  });

  it("knows a file is reverted when the journal says a rollback undid its changes", () => {
    const edit = op({ id: 1, path: "a.rs", before: image("old"), after: image("new"), undoneBy: 7 });
    expect(fileRows([edit], new Map()).changed[0]?.standing).toEqual([]);
    // A redo of that rollback puts the agent's change back: the journal clears the mark.
    const redone = { ...edit, undoneBy: null };
    expect(fileRows([redone], new Map()).changed[0]?.standing).toEqual([redone]);
  });
});
