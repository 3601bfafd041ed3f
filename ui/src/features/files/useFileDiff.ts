// The before and after of a list entry, for the diff pane: one op's diff, or for a file changed
// several times in the scope the first change's "before" with the last one's "after". Recorded
// ops never change, so each answer is kept for as long as the panel is open.
import { useEffect, useRef, useState } from "react";
import { files, type FileDiff, type FileOp, type IpcError } from "../../ipc";

export type DiffState = { status: "loading" } | { status: "ready"; diff: FileDiff } | { status: "failed"; error: IpcError };

/** The diff of `ops` (oldest first, all on `path`), or null when nothing is selected. */
export function useFileDiff(project: string, path: string | null, ops: readonly FileOp[] | null): DiffState | null {
  const cache = useRef(new Map<number, FileDiff[]>());
  const [state, setState] = useState<DiffState | null>(null);
  const key = ops?.map((op) => op.id).join(",") ?? "";

  useEffect(() => {
    if (!ops || ops.length === 0 || path === null) {
      setState(null);
      return;
    }
    let current = true;
    setState({ status: "loading" });
    const read = async (id: number) => {
      const kept = cache.current.get(id);
      if (kept) return { ok: true as const, value: kept };
      const answer = await files.diff(project, { type: "op", id });
      if (answer.ok) cache.current.set(id, answer.value);
      return answer;
    };
    const first = ops[0]!;
    const last = ops[ops.length - 1]!;
    const ids = first.id === last.id ? [first.id] : [first.id, last.id];
    void Promise.all(ids.map(read)).then((answers) => {
      const from = answers[0]!;
      const to = answers[answers.length - 1]!;
      if (!current) return;
      if (!from.ok) return setState({ status: "failed", error: from.error });
      if (!to.ok) return setState({ status: "failed", error: to.error });
      const before = entryFor(from.value, path);
      const after = entryFor(to.value, path);
      if (!before || !after) {
        setState({ status: "failed", error: { code: "internal", message: `The journal has no diff of ${path}.` } });
        return;
      }
      setState({ status: "ready", diff: { ...after, before: before.before, ops: ops.map((op) => op.id) } });
    });
    return () => {
      current = false;
    };
    // `key` stands for `ops`: a new array with the same ops is the same diff.
  }, [project, path, key]);

  return state;
}

/** An op's diff of `path` (a rename's diff sits at where the file went). */
function entryFor(diffs: readonly FileDiff[], path: string): FileDiff | undefined {
  return diffs.find((d) => d.path === path) ?? diffs[0];
}
