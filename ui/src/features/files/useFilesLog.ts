// The session's recorded file changes, read when the panel opens, after each revert or redo
// (through `refresh`), and when the stream announces new ones while it is open.
import { useCallback, useEffect, useRef, useState } from "react";
import { files, type FileOp, type IpcError } from "../../ipc";

export interface FilesLog {
  /** Oldest first, once read; rollbacks' own ops included. */
  log: FileOp[] | null;
  error: IpcError | null;
  refresh: () => void;
}

/** `announced` is how many ops the stream announced; a new one reads the log again. */
export function useFilesLog(project: string, sessionId: string, announced: number): FilesLog {
  const [log, setLog] = useState<FileOp[] | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  // Answers can come back out of order; only the latest request's counts.
  const latest = useRef(0);

  const refresh = useCallback(() => {
    const request = ++latest.current;
    void files.log(project, sessionId).then((read) => {
      if (request !== latest.current) return;
      if (read.ok) setLog(read.value);
      setError(read.ok ? null : read.error);
    });
  }, [project, sessionId]);

  useEffect(refresh, [refresh, announced]);

  return { log, error, refresh };
}
