// A session's git worktree as the window follows it: its state (branch, ahead/behind,
// uncommitted files, a folder deleted by hand) and its changes versus the base, read again when
// the session's stream says files changed or a turn ended, and now and then while the window is
// visible (a commit made in a terminal says nothing to the stream).
import { useCallback, useEffect, useRef, useState } from "react";
import { worktrees, type IpcError, type Outcome, type WorktreeChanges, type WorktreeInfo } from "../ipc";
import type { Transcript } from "./transcript";
import { useAnyFolderVersion, useFolderChanges } from "./folderChanges";

/** How often a visible window reads the worktree again with no news from the stream. */
export const WORKTREE_POLL_MS = 15_000;
/** Stream news comes in bursts (a watcher's ops, then the turn's end): one read per burst. */
const SETTLE_MS = 250;

/** What a worktree hook gives: the value once read, or why it could not be, and a re-read. */
export interface WorktreeRead<T> {
  value: T | null;
  error: IpcError | null;
  /** Reads again now. */
  refresh: () => void;
}

/**
 * What moves when the worktree may have changed: an op was announced (by a turn or the
 * watcher, outside any turn) or a turn ended. Passed as a hook's `mark`.
 */
export function worktreeMark(t: Transcript): string {
  return `${t.files.count}:${t.lastTurn?.turn ?? 0}:${t.status}`;
}

/** The state of the worktree at `path` (the session's folder); null `path` reads nothing. */
export function useWorktreeState(path: string | null, mark: string): WorktreeRead<WorktreeInfo> {
  return useWorktreeRead(path, `${mark}:${useFolderChanges(path).version}`, worktrees.state);
}

/** Everything on the worktree's branch versus its base (for the Changes panel). */
export function useWorktreeChanges(path: string | null, mark: string): WorktreeRead<WorktreeChanges> {
  // The watcher's news of the folder moves it too, a stopped session's (no stream) included.
  return useWorktreeRead(path, `${mark}:${useFolderChanges(path).version}`, worktrees.changes);
}

function useWorktreeRead<T>(path: string | null, mark: string, read: (path: string) => Promise<Outcome<T>>): WorktreeRead<T> {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  // Answers can come back out of order; only the latest request's counts.
  const latest = useRef(0);

  const refresh = useCallback(() => {
    if (path === null) return;
    const request = ++latest.current;
    void read(path).then((answer) => {
      if (request !== latest.current) return;
      if (answer.ok) setValue(answer.value);
      setError(answer.ok ? null : answer.error);
    });
  }, [path, read]);

  // At once for a new path; after a short settle for news from the stream.
  useEffect(() => {
    setValue(null);
    setError(null);
    refresh();
  }, [refresh]);
  const seen = useRef(mark);
  useEffect(() => {
    if (seen.current === mark) return;
    seen.current = mark;
    const timer = window.setTimeout(refresh, SETTLE_MS);
    return () => window.clearTimeout(timer);
  }, [mark, refresh]);

  // Now and then while visible, and at once when the window comes back into view.
  useEffect(() => {
    if (path === null) return;
    const visible = () => document.visibilityState !== "hidden";
    const timer = window.setInterval(() => visible() && refresh(), WORKTREE_POLL_MS);
    const onVisible = () => visible() && refresh();
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [path, refresh]);

  return { value, error, refresh };
}

/**
 * The worktrees of `project` with their state (null: none to read), for the session list;
 * read again when `mark` moves (a session's record changed), when the watcher reports an edit in a
 * watched folder, and now and then while visible.
 */
export function useWorktreeList(project: string | null, mark: string): WorktreeRead<WorktreeInfo[]> {
  // An edit outside any turn in any watched folder (a worktree's, with no session live) moves it.
  return useWorktreeRead(project, `${mark}:${useAnyFolderVersion()}`, worktrees.list);
}

/** "1 file", "3 files". */
export function fileCount(n: number): string {
  return `${n} ${n === 1 ? "file" : "files"}`;
}

/** "1 commit", "3 commits". */
export function commitCount(n: number): string {
  return `${n} ${n === 1 ? "commit" : "commits"}`;
}

/** Where a worktree's work goes back: its base branch, or the commit it was made from. */
export function baseName(info: Pick<WorktreeInfo, "baseBranch" | "baseCommit">): string {
  return info.baseBranch ?? info.baseCommit.slice(0, 8);
}
