// Builders for worktree tests: a session record's worktree, its state and its changes.
import type { SessionWorktree, WorktreeChanges, WorktreeInfo } from "../../ipc";

/** The worktree a session record names: warden/fix-login from main. */
export const record: SessionWorktree = { main: "/code/app", branch: "warden/fix-login", baseBranch: "main", baseCommit: "0123456789abcdef" };

/** Its state: 2 commits ahead, 1 behind, nothing uncommitted, unless overridden. */
export function info(overrides: Partial<WorktreeInfo> = {}): WorktreeInfo {
  return {
    path: "/data/worktrees/app/fix-login",
    branch: record.branch,
    baseBranch: "main",
    baseCommit: record.baseCommit,
    ahead: 2,
    behind: 1,
    uncommitted: [],
    missing: false,
    ...overrides,
  };
}

/** Its changes versus main: two commits, a file committed and one not. */
export function changes(overrides: Partial<WorktreeChanges> = {}): WorktreeChanges {
  return {
    base: "main",
    mergeBase: "0123456789abcdef",
    commits: [
      { id: "aaa1111", subject: "Fix the login form" },
      { id: "bbb2222", subject: "Test the login form" },
    ],
    files: [
      { path: "src/login.ts", kind: { type: "modify" }, additions: 12, deletions: 3, uncommitted: false },
      { path: "src/new.ts", kind: { type: "create" }, additions: 5, deletions: 0, uncommitted: true },
    ],
    ...overrides,
  };
}
