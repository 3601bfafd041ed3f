// React bindings for the session hub: one hub for the window, hooks that re-render a view when
// its session changes, and a project's session list that follows status changes.
import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import { claudeHistory, sessions, type ClaudeHistoryEntry, type IpcError, type Outcome, type SessionRecord } from "../ipc";
import { type Feed, type OpenSession, SessionHub } from "./hub";

/** The window's sessions. */
export const hub = new SessionHub(sessions);

/** The open session `id` (opened on first use); the caller re-renders whenever it changes. */
export function useOpenSession(id: string, feed?: Feed): OpenSession {
  const session = hub.get(id) ?? hub.open(id, feed);
  const subscribe = useCallback(
    (onChange: () => void) => hub.onChange((changed) => changed.id === id && onChange()),
    [id],
  );
  useSyncExternalStore(subscribe, () => session.revision);
  return session;
}

/** What a list hook gives: the items once read, or why they could not be. */
export interface Listed<T> {
  list: T[] | null;
  error: IpcError | null;
  /** Reads the list again. */
  refresh: () => void;
}

/** A project's stored sessions, newest first, re-read when one of them changes. */
export function useSessionList(project: string): Listed<SessionRecord> {
  const listed = useProjectList(project, sessions.list);
  const { refresh } = listed;
  useEffect(() => {
    // Status changes come in bursts (running, then ready); one re-read per burst is enough.
    // The hub knows of the sessions a tab follows; the backend's event covers every other one
    // (a best-of member running behind the compare view).
    let timer: number | undefined;
    const later = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 150);
    };
    const stop = hub.onRecordChange(later);
    let stopBackend: (() => void) | null = null;
    let gone = false;
    void sessions.onRecordChanged(later).then((unlisten) => {
      if (gone) unlisten();
      else stopBackend = unlisten;
    });
    return () => {
      gone = true;
      stop();
      stopBackend?.();
      window.clearTimeout(timer);
    };
  }, [refresh]);
  return listed;
}

/**
 * Claude Code's own sessions of the project that are not Warden sessions (yet). Read when the
 * project opens, when the window gets the focus back (a session may have been run in a
 * terminal meanwhile) and on `refresh` (after an import); reading every transcript on each
 * status change of a running session would be work for nothing.
 */
export function useClaudeHistory(project: string): Listed<ClaudeHistoryEntry> {
  const listed = useProjectList(project, claudeHistory.list);
  const { refresh } = listed;
  useEffect(() => {
    window.addEventListener("focus", refresh);
    return () => window.removeEventListener("focus", refresh);
  }, [refresh]);
  return listed;
}

/** A per-project list read from the backend, and again on `refresh`. */
function useProjectList<T>(project: string, read: (project: string) => Promise<Outcome<T[]>>): Listed<T> {
  const [list, setList] = useState<T[] | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    let current = true;
    void read(project).then((outcome) => {
      if (!current) return;
      if (outcome.ok) {
        setList(outcome.value);
        setError(null);
      } else setError(outcome.error);
    });
    return () => {
      current = false;
    };
  }, [project, tick, read]);

  return { list, error, refresh };
}
