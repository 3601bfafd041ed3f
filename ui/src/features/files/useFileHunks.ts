// The hunks of the selected file's change, with the person's decisions, read from the backend;
// read again when `version` changes (after a revert, a keep or a refresh).
import { useEffect, useRef, useState } from "react";
import { files, type FileHunks, type FileOp, type IpcError } from "../../ipc";

export type HunksState = { status: "loading" } | { status: "ready"; hunks: FileHunks } | { status: "failed"; error: IpcError };

/** The hunks of the change `ops` made (null: none to show), as of `version`. */
export function useFileHunks(project: string, ops: readonly FileOp[] | null, version: number): HunksState | null {
  const [state, setState] = useState<HunksState | null>(null);
  const key = ops?.map((op) => op.id).join(",") ?? "";
  const shown = useRef(key);
  useEffect(() => {
    if (!ops || ops.length === 0) {
      setState(null);
      return;
    }
    let current = true;
    // Read again for the same file: what is on screen stays until the answer (no flicker).
    const same = shown.current === key;
    shown.current = key;
    setState((was) => (same && was?.status === "ready" ? was : { status: "loading" }));
    void files.hunks(
      project,
      ops.map((op) => op.id),
    ).then((answer) => {
      if (!current) return;
      setState(answer.ok ? { status: "ready", hunks: answer.value } : { status: "failed", error: answer.error });
    });
    return () => {
      current = false;
    };
    // `key` stands for `ops`.
  }, [project, key, version]);
  return state;
}
