// Discard…: the worktree's folder and its branch are removed, after saying exactly what is lost
// with them — the files not committed and the commits not merged into the base. The session is
// stopped first (its agent works in that folder). Also the Clean up of a folder deleted by hand.
import { useEffect, useState } from "react";
import { sessions, worktrees, type CommitLine, type IpcError, type WorktreeInfo } from "../../ipc";
import { Dialog } from "../../shared/Dialog";
import { baseName, commitCount, fileCount } from "../../model/worktrees";

interface Props {
  path: string;
  info: WorktreeInfo;
  /** The session to stop first, when its agent is running. */
  liveSession: string | null;
  onDiscarded: () => void;
  onClose: () => void;
}

export function DiscardDialog({ path, info, liveSession, onDiscarded, onClose }: Props) {
  // The commits not merged, by name; the count from the state stands in until (or if not) read.
  const [commits, setCommits] = useState<CommitLine[] | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState(false);
  const base = baseName(info);

  useEffect(() => {
    let current = true;
    void worktrees.changes(path).then((read) => {
      if (current && read.ok) setCommits(read.value.commits);
    });
    return () => {
      current = false;
    };
  }, [path]);

  const discard = async () => {
    setBusy(true);
    setError(null);
    if (liveSession) {
      const stopped = await sessions.stop(liveSession);
      if (!stopped.ok) {
        setBusy(false);
        return setError(stopped.error);
      }
    }
    const done = await worktrees.discard(path);
    setBusy(false);
    if (done.ok) onDiscarded();
    else setError(done.error);
  };

  const unmerged = commits?.length ?? info.ahead;
  const lost = info.uncommitted.length + unmerged;
  return (
    <Dialog title={info.missing ? `Clean up ${info.branch}` : `Discard ${info.branch}`} onCancel={onClose} testId="worktree-discard-dialog" className="worktree-dialog">
      <p>
        {info.missing ? "The folder is gone already; this removes " : <>This removes the folder <code>{info.path}</code> and </>}
        the branch <code>{info.branch}</code>
        {liveSession ? ", after stopping the session's agent" : ""}.
      </p>
      {lost === 0 ? (
        <p data-testid="worktree-discard-nothing">Nothing is lost: every commit of the branch is in {base}, and no file is left uncommitted.</p>
      ) : (
        <div className="worktree-lost" data-testid="worktree-discard-lost">
          <p>
            <strong>Lost for good:</strong>
          </p>
          {info.uncommitted.length > 0 && (
            <>
              <p>{fileCount(info.uncommitted.length)} not committed:</p>
              <ul className="worktree-paths" data-testid="worktree-discard-files">
                {info.uncommitted.map((file) => (
                  <li key={file} data-testid="worktree-discard-file" data-path={file}>
                    <code>{file}</code>
                  </li>
                ))}
              </ul>
            </>
          )}
          {unmerged > 0 && (
            <>
              <p>
                {commitCount(unmerged)} not merged into {base}
                {commits ? ":" : "."}
              </p>
              {commits && (
                <ul className="worktree-paths" data-testid="worktree-discard-commits">
                  {commits.map((c) => (
                    <li key={c.id} data-testid="worktree-discard-commit">
                      <code>{c.id}</code> {c.subject}
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
        </div>
      )}
      {error && (
        <div className="inline-error" role="alert" data-testid="worktree-discard-error">
          {error.message}
        </div>
      )}
      <div className="dialog-buttons">
        <button type="button" onClick={onClose} data-autofocus>
          Cancel
        </button>
        <button type="button" className="danger" onClick={() => void discard()} disabled={busy} data-testid="worktree-discard-confirm">
          {busy ? "Discarding…" : liveSession ? "Stop the session and discard" : info.missing ? "Clean up" : "Discard"}
        </button>
      </div>
    </Dialog>
  );
}
