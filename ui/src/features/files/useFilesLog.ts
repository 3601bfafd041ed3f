// The session's recorded file changes, read when the panel opens, after each revert or redo
// (through `refresh`), and when the stream announces new ones while it is open — the agent's,
// and those the project watcher recorded outside any turn while the session was live.
import { useCallback, useEffect, useRef, useState } from "react";
import { files, type FileOp, type IpcError } from "../../ipc";
import { isOutsideTurn } from "./scope";

export interface FilesLog {
  /** Oldest first, once read; rollbacks' own ops included. */
  log: FileOp[] | null;
  error: IpcError | null;
  refresh: () => void;
}

/**
 * `announced` is how many ops the stream announced; a new one reads the log again. `outside`
 * holds the ids of the ops it announced as made outside any turn (kept up to date in place):
 * the journal files those under no session, so they are read apart and only these are kept.
 */
export function useFilesLog(project: string, sessionId: string, announced: number, outside: ReadonlySet<number> | ReadonlyMap<number, unknown> = NONE): FilesLog {
  const [log, setLog] = useState<FileOp[] | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  // Answers can come back out of order; only the latest request's counts.
  const latest = useRef(0);
  const outsideNow = useRef(outside);
  outsideNow.current = outside;

  const refresh = useCallback(() => {
    const request = ++latest.current;
    const wanted = new Set(outsideNow.current.keys());
    // The journal names no session for a change outside any turn: its session id is empty.
    const reads = [files.log(project, sessionId), ...(wanted.size > 0 ? [files.log(project, "")] : [])];
    void Promise.all(reads).then(([own, others]) => {
      if (request !== latest.current || !own) return;
      const failed = !own.ok ? own.error : others && !others.ok ? others.error : null;
      if (own.ok) setLog(merge(own.value, others?.ok ? announcedOnly(others.value, wanted) : []));
      setError(failed);
    });
  }, [project, sessionId]);

  useEffect(refresh, [refresh, announced]);

  return { log, error, refresh };
}

const NONE: ReadonlySet<number> = new Set();

/**
 * The outside ops this session announced, and the rollbacks' ops that undid some of them (those
 * come later, on one of their paths; the stream does not announce them).
 */
function announcedOnly(ops: readonly FileOp[], wanted: ReadonlySet<number>): FileOp[] {
  const kept = ops.filter((op) => isOutsideTurn(op) && op.rollbackId === null && wanted.has(op.id));
  if (kept.length === 0) return [];
  const first = Math.min(...kept.map((op) => op.id));
  const paths = new Set(kept.map((op) => op.path));
  return [...kept, ...ops.filter((op) => isOutsideTurn(op) && op.rollbackId !== null && op.id > first && paths.has(op.path))];
}

function merge(own: FileOp[], outside: FileOp[]): FileOp[] {
  return outside.length === 0 ? own : [...own, ...outside].sort((a, b) => a.id - b.id);
}
