// The worktree of a session, in a few words on its header: its branch, what it was made from,
// commits ahead of and behind that base, and files not committed yet. A folder deleted by hand
// says so, with the one thing left to do about it: clean up.
import type { IpcError, SessionWorktree, WorktreeInfo } from "../../ipc";

interface Props {
  /** What the session record says (shown before the state is read). */
  worktree: SessionWorktree;
  /** The state now; null until read. */
  info: WorktreeInfo | null;
  /** Why the state could not be read. */
  error: IpcError | null;
  /** Removes what is left of a worktree whose folder is gone (asks first). */
  onCleanUp: () => void;
}

export function WorktreeChip({ worktree, info, error, onCleanUp }: Props) {
  const base = info?.baseBranch ?? worktree.baseBranch ?? (info?.baseCommit ?? worktree.baseCommit).slice(0, 8);
  const branch = info?.branch ?? worktree.branch;
  const dirty = info?.uncommitted.length ?? 0;
  return (
    <span className="worktree-chip-line">
      <span
        className={`worktree-chip${info?.missing ? " missing" : ""}`}
        data-testid="worktree-chip"
        data-branch={branch}
        data-state={info === null ? "reading" : info.missing ? "missing" : dirty > 0 ? "dirty" : "clean"}
        title={`This session works in its own git worktree: branch ${branch}, made from ${base}${info ? ` (${info.path})` : ""}`}
      >
        <span className="worktree-branch" data-testid="worktree-chip-branch">
          {branch}
        </span>
        <span className="muted worktree-base" data-testid="worktree-chip-base">
          from {base}
        </span>
        {info && !info.missing && (
          <>
            <span
              className="worktree-counts"
              data-testid="worktree-ahead-behind"
              title={`${info.ahead} commits on this branch not in ${base}, ${info.behind} commits in ${base} not on this branch`}
            >
              <span className="added">+{info.ahead}</span> <span className="removed">−{info.behind}</span>
            </span>
            <span className={dirty > 0 ? "worktree-dirty" : "muted"} data-testid="worktree-uncommitted" title={info.uncommitted.join("\n")}>
              {dirty > 0 ? `${dirty} uncommitted` : "all committed"}
            </span>
          </>
        )}
      </span>
      {info?.missing && (
        <span className="worktree-missing" data-testid="worktree-missing" role="status">
          The worktree's folder was deleted ({info.path}).
          <button type="button" className="small" onClick={onCleanUp} data-testid="worktree-cleanup" title={`Remove what is left of it: the branch ${branch} and git's record of the worktree`}>
            Clean up
          </button>
        </span>
      )}
      {error && !info && (
        <span className="worktree-error" role="status" data-testid="worktree-error" title={error.message}>
          state unknown: {error.message}
        </span>
      )}
    </span>
  );
}
