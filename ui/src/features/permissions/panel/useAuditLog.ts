// The permission decisions of a project (or of one session), read when the log opens and again
// when the session changes while it is open. A session changes on every streamed token, so
// re-reads are spaced out rather than made per change.
import { useCallback, useEffect, useRef, useState } from "react";
import { permissions, type IpcError, type PermissionLogEntry } from "../../../ipc";
import { newestFirst } from "./auditFormat";

/** The least time between two automatic re-reads. */
const SPACING_MS = 500;

export interface AuditLogState {
  /** Newest first, once read. */
  entries: PermissionLogEntry[] | null;
  error: IpcError | null;
  refresh: () => void;
}

/** `session` null reads every session of the project; `version` moving (the session changed) reads again. */
export function useAuditLog(project: string, session: string | null, version: number): AuditLogState {
  const [entries, setEntries] = useState<PermissionLogEntry[] | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const lastRead = useRef(0);
  // Answers can come back out of order; only the latest request's counts.
  const latest = useRef(0);

  const refresh = useCallback(() => {
    const request = ++latest.current;
    lastRead.current = Date.now();
    void permissions.log(project, session).then((read) => {
      if (request !== latest.current) return;
      if (read.ok) setEntries(newestFirst(read.value));
      setError(read.ok ? null : read.error);
    });
  }, [project, session]);

  // Another scope is another list: do not show the old one under the new heading.
  useEffect(() => setEntries(null), [project, session]);

  // Opening the log, or another scope, reads at once.
  useEffect(refresh, [refresh]);

  // A session change reads again, but no sooner than SPACING_MS after the last read.
  const seenVersion = useRef(version);
  const latestRefresh = useRef(refresh);
  latestRefresh.current = refresh;
  useEffect(() => {
    if (version === seenVersion.current) return;
    seenVersion.current = version;
    const wait = Math.max(0, lastRead.current + SPACING_MS - Date.now());
    const timer = window.setTimeout(() => latestRefresh.current(), wait);
    return () => window.clearTimeout(timer);
  }, [version]);

  return { entries, error, refresh };
}
