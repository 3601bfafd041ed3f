// Which project a worktree folder belongs to. A session in its own worktree has the worktree
// folder as its `project`, but the window shows it under the main project (its record's
// `worktree.main`): anything that reaches the window with a worktree folder — a question's
// project, a notification click, a recent entry — is taken home first, so the worktree never
// opens as a project of its own.
import { sessions, type SessionRecord } from "../ipc";

/** Worktree folder → main project folder, learnt from the session records the window read. */
const homes = new Map<string, string>();

/** Learns the worktree folders of `records`. */
export function rememberHomes(records: readonly SessionRecord[]): void {
  for (const r of records) if (r.worktree && r.worktree.main !== r.project) homes.set(r.project, r.worktree.main);
}

/** The main project folder of a worktree folder; any other folder is its own home. */
export function homeOf(path: string): string {
  return homes.get(path) ?? path;
}

/** Whether `path` is known to be a worktree folder. */
export function knownWorktree(path: string): boolean {
  return homes.has(path);
}

/**
 * The home of a folder the window has not seen sessions of: its sessions' records say whether
 * it is a worktree (the store lists a worktree's sessions under its own folder too). A folder
 * that cannot be read is its own home.
 */
export async function resolveHome(path: string): Promise<string> {
  if (homes.has(path)) return homeOf(path);
  try {
    const listed = await sessions.list(path);
    if (listed.ok) rememberHomes(listed.value);
  } catch {
    // Not a folder Warden knows: it stays what it is.
  }
  return homeOf(path);
}

/** Forgets everything learnt (for tests). */
export function forgetHomes(): void {
  homes.clear();
}
