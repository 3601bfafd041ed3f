// What the project watcher journaled outside any turn in the folders the window watches (its
// open projects and their worktrees), as the backend's typed event tells it, whether or not a
// session is live there: a stopped session's Files panel, the Changes view and the worktree
// state read themselves again from it. Kept for this run of the window, per folder.
import { useEffect, useState } from "react";
import { files, type FileChanges } from "../ipc";
import type { FileChange } from "./fileChanges";

/** One folder's ops announced outside any turn, by id, and how many announcements came. */
export interface FolderChanges {
  outside: Map<number, FileChange>;
  version: number;
}

const folders = new Map<string, FolderChanges>();
const listeners = new Set<(folder: string) => void>();
let listening: Promise<unknown> | null = null;
/** Grows with every announcement in any folder (the session list reads worktrees' states again). */
let anyVersion = 0;

/** Records an announcement for `folder` and tells the hooks (the event's handler; tests call it). */
export function announceFolderChanges(folder: string, changes: FileChanges): void {
  const known = folders.get(folder) ?? { outside: new Map<number, FileChange>(), version: 0 };
  for (const op of changes.ops) known.outside.set(op.id, { ...op, turn: changes.turn, toolCallId: changes.toolCallId });
  folders.set(folder, { outside: known.outside, version: known.version + 1 });
  anyVersion += 1;
  for (const listener of listeners) listener(folder);
}

/** Forgets everything (tests). */
export function resetFolderChanges(): void {
  folders.clear();
  anyVersion = 0;
}

function listen(): void {
  if (listening) return;
  try {
    listening = files.onOutsideChanges(announceFolderChanges).catch(() => {
      listening = null;
    });
  } catch {
    // No event bridge (a test's stand-in for the backend): nothing will be announced.
    listening = null;
  }
}

const NOTHING: FolderChanges = { outside: new Map(), version: 0 };

/** `folder`'s announced outside ops (null `folder`: none), re-rendering when more come. */
export function useFolderChanges(folder: string | null): FolderChanges {
  const [, setSeen] = useState(0);
  useEffect(() => {
    if (folder === null) return;
    listen();
    const listener = (changed: string) => changed === folder && setSeen((n) => n + 1);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, [folder]);
  return (folder !== null && folders.get(folder)) || NOTHING;
}

/** How many announcements came in any folder, re-rendering when more come. */
export function useAnyFolderVersion(): number {
  const [, setSeen] = useState(0);
  useEffect(() => {
    listen();
    const listener = () => setSeen((n) => n + 1);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
  return anyVersion;
}
