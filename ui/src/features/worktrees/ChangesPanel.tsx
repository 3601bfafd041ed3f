// The Changes panel of a worktree session: everything on its branch versus the base — the
// commits, and file by file what differs (committed or not) — with the Files panel's diff
// viewer. It reads itself again when the session's stream says files changed or a turn ended.
import "../files/files.css";
import "./Worktree.css";
import { useEffect, useState } from "react";
import { worktrees, type ChangedFile, type FileDiff, type IpcError } from "../../ipc";
import { Dialog } from "../../shared/Dialog";
import { FileDiffView } from "../files/FileDiffView";
import { commitCount, fileCount, useWorktreeChanges } from "../../model/worktrees";

interface Props {
  /** The worktree folder (the session's project). */
  path: string;
  branch: string;
  /** Moves when the worktree may have changed (see `worktreeMark`). */
  mark: string;
  onClose: () => void;
}

const KIND_WORDS: Record<ChangedFile["kind"]["type"], string> = {
  create: "added",
  modify: "modified",
  delete: "deleted",
  rename: "renamed",
  chmod: "mode changed",
};

type DiffState = { status: "loading" } | { status: "ready"; diff: FileDiff } | { status: "failed"; error: IpcError };

export function ChangesPanel({ path, branch, mark, onClose }: Props) {
  const { value: changes, error, refresh } = useWorktreeChanges(path, mark);
  const [selected, setSelected] = useState<string | null>(null);
  const file = changes?.files.find((f) => f.path === selected) ?? null;
  const diff = useChangesDiff(path, file, changes);

  return (
    <Dialog title={`Changes on ${branch}`} onCancel={onClose} testId="changes-panel" className="files-dialog">
      <div className="files-bar">
        <span className="files-count muted" data-testid="changes-summary">
          {changes
            ? `versus ${changes.base} (from ${changes.mergeBase.slice(0, 8)}): ${commitCount(changes.commits.length)}, ${fileCount(changes.files.length)}`
            : ""}
        </span>
        <button type="button" className="small" onClick={refresh} data-testid="changes-refresh">
          Refresh
        </button>
      </div>
      {error && (
        <div className="inline-error" role="alert" data-testid="changes-error">
          Could not read the changes: {error.message}
        </div>
      )}
      {!changes && !error && <p className="muted">Reading the changes…</p>}
      {changes && changes.commits.length === 0 && changes.files.length === 0 && (
        <p className="files-empty muted" data-testid="changes-empty">
          Nothing on {branch} differs from {changes.base} yet.
        </p>
      )}
      {changes && (changes.commits.length > 0 || changes.files.length > 0) && (
        <div className="files-body">
          <div className="files-list-pane">
            {changes.commits.length > 0 && (
              <section className="files-section changes-commits" aria-labelledby="changes-commits-heading">
                <h3 id="changes-commits-heading" className="panel-heading">
                  Commits <span className="muted">{changes.commits.length}</span>
                </h3>
                <ul className="file-list">
                  {changes.commits.map((c) => (
                    <li key={c.id} className="changes-commit" data-testid="changes-commit" data-commit={c.id}>
                      <code className="muted">{c.id}</code> <span>{c.subject}</span>
                    </li>
                  ))}
                </ul>
              </section>
            )}
            {changes.files.length > 0 && (
              <section className="files-section" aria-labelledby="changes-files-heading">
                <h3 id="changes-files-heading" className="panel-heading">
                  Files <span className="muted">{changes.files.length}</span>
                </h3>
                <ul className="file-list" aria-label="Changed files">
                  {changes.files.map((f) => (
                    <li
                      key={f.path}
                      className={`file-row${f.path === selected ? " selected" : ""}`}
                      data-testid="changes-file"
                      data-path={f.path}
                      data-kind={f.kind.type}
                      data-uncommitted={f.uncommitted ? "true" : undefined}
                    >
                      <button type="button" className="file-pick" aria-current={f.path === selected ? "true" : undefined} onClick={() => setSelected(f.path)} title={f.path}>
                        <span className="file-path">{f.path}</span>
                        <span className="file-meta">
                          <span className={`file-status ${f.kind.type}`}>{statusWords(f)}</span>
                          {f.uncommitted && (
                            <span className="file-flag" data-testid="changes-uncommitted" title="Changed in the worktree and not committed yet">
                              uncommitted
                            </span>
                          )}
                        </span>
                      </button>
                      <span className="file-lines" data-testid="changes-lines" aria-label={`${f.additions} lines added, ${f.deletions} removed`}>
                        <span className="added">+{f.additions}</span> <span className="removed">−{f.deletions}</span>
                      </span>
                    </li>
                  ))}
                </ul>
              </section>
            )}
          </div>
          <div className="files-diff-pane" aria-live="polite">
            {!file && <p className="muted">Select a file to see what changed.</p>}
            {file && diff?.status === "loading" && <p className="muted">Reading the change…</p>}
            {file && diff?.status === "failed" && (
              <div className="inline-error" role="alert" data-testid="file-diff-error">
                Could not read the change: {diff.error.message}
              </div>
            )}
            {file && diff?.status === "ready" && <FileDiffView diff={diff.diff} status={`${statusWords(file)}${file.uncommitted ? ", not committed" : ""} · versus ${changes?.base ?? "the base"}`} />}
          </div>
        </div>
      )}
      <div className="dialog-buttons">
        <button type="button" onClick={onClose} data-testid="changes-close">
          Close
        </button>
      </div>
    </Dialog>
  );
}

function statusWords(f: ChangedFile): string {
  return f.kind.type === "rename" ? `renamed from ${f.kind.from}` : KIND_WORDS[f.kind.type];
}

/**
 * The selected file's diff against the merge base, read again whenever the changes are (the
 * folder may have changed under it). Keeps showing the last diff while a new one is read.
 */
function useChangesDiff(path: string, file: ChangedFile | null, changes: object | null): DiffState | null {
  const [state, setState] = useState<DiffState | null>(null);
  const name = file?.path ?? null;
  useEffect(() => {
    if (name === null) {
      setState(null);
      return;
    }
    let current = true;
    setState((was) => (was?.status === "ready" && was.diff.path === name ? was : { status: "loading" }));
    void worktrees.diff(path, name).then((read) => {
      if (!current) return;
      setState(read.ok ? { status: "ready", diff: read.value } : { status: "failed", error: read.error });
    });
    return () => {
      current = false;
    };
  }, [path, name, changes]);
  return state;
}
