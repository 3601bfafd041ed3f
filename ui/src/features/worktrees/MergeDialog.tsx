// Merge…: the worktree's branch goes back into its base in the main folder — a merge commit, one
// squashed commit, or its commits rebased onto the base — with what goes where in plain words.
// A conflict leaves everything as it was; the dialog lists the conflicting files one by one.
import { useState } from "react";
import { worktrees, type IpcError, type MergeHow, type MergeOutcome, type WorktreeInfo } from "../../ipc";
import { Dialog } from "../../shared/Dialog";
import { baseName, commitCount, fileCount } from "../../model/worktrees";

const HOWS: { how: MergeHow; label: string; words: string }[] = [
  { how: "merge", label: "Merge", words: "a merge commit on the base; the branch's commits are kept as they are" },
  { how: "squash", label: "Squash", words: "all the branch's work as one new commit on the base" },
  { how: "rebase", label: "Rebase", words: "the branch's commits replayed on top of the base, which then moves forward to them" },
];

interface Props {
  path: string;
  info: WorktreeInfo;
  /** After the merge (the commit the base is at now). */
  onMerged: (commit: string) => void;
  onClose: () => void;
}

type Result = MergeOutcome | { type: "failed"; error: IpcError };

export function MergeDialog({ path, info, onMerged, onClose }: Props) {
  const [how, setHow] = useState<MergeHow>("merge");
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const base = baseName(info);
  const dirty = info.uncommitted.length;
  // Uncommitted work is committed first with the message; the backend refuses it without one.
  const needsMessage = dirty > 0 && message.trim() === "";

  const merge = async () => {
    setBusy(true);
    setResult(null);
    const done = await worktrees.merge(path, how, message.trim() === "" ? null : message.trim());
    setBusy(false);
    if (!done.ok) return setResult({ type: "failed", error: done.error });
    setResult(done.value);
    if (done.value.type === "merged") onMerged(done.value.commit);
  };

  return (
    <Dialog title={`Merge ${info.branch}`} onCancel={onClose} testId="worktree-merge-dialog" className="worktree-dialog">
      <p data-testid="worktree-merge-where">
        <code>{info.branch}</code> into <code>{base}</code> (in the main folder): {commitCount(info.ahead)}
        {dirty > 0 ? ` and ${fileCount(dirty)} not committed yet` : ""}.
      </p>
      <fieldset className="field">
        <legend>How</legend>
        {HOWS.map((h) => (
          <label key={h.how} className="radio">
            <input type="radio" name="merge-how" value={h.how} checked={how === h.how} onChange={() => setHow(h.how)} data-testid={`worktree-merge-${h.how}`} />
            <span>
              <strong>{h.label}</strong> <span className="muted">— {h.words}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>{dirty > 0 ? "Message (the uncommitted files are committed first with it)" : "Message (optional)"}</span>
        <textarea
          rows={3}
          value={message}
          onChange={(e) => setMessage(e.target.value)}
          placeholder={how === "rebase" ? "Only used to commit what is not committed yet" : `Merge ${info.branch}`}
          data-testid="worktree-merge-message"
        />
      </label>
      {result?.type === "merged" && (
        <p className="worktree-ok" role="status" data-testid="worktree-merge-done">
          Merged: <code>{base}</code> is at {result.commit.slice(0, 8)} now.
        </p>
      )}
      {result?.type === "conflict" && (
        <div className="inline-error worktree-conflicts" role="alert" data-testid="worktree-merge-conflicts">
          <p>
            The merge conflicts in {fileCount(result.files.length)}. Nothing was merged: <code>{base}</code> and the worktree are as they were.
          </p>
          <ul className="worktree-paths">
            {result.files.map((file) => (
              <li key={file} data-testid="worktree-merge-conflict" data-path={file}>
                <code>{file}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      {result?.type === "failed" && (
        <div className="inline-error" role="alert" data-testid="worktree-merge-error">
          {result.error.message}
        </div>
      )}
      <div className="dialog-buttons">
        <button type="button" onClick={onClose}>
          {result?.type === "merged" ? "Close" : "Cancel"}
        </button>
        {result?.type !== "merged" && (
          <button
            type="button"
            className="primary"
            onClick={() => void merge()}
            disabled={busy || needsMessage || (info.ahead === 0 && dirty === 0) || info.missing && how === "rebase"}
            title={needsMessage ? "Write a message: the uncommitted files are committed with it first" : info.ahead === 0 && dirty === 0 ? `Nothing on ${info.branch} that ${base} lacks` : undefined}
            data-testid="worktree-merge-confirm"
          >
            {busy ? "Merging…" : `Merge into ${base}`}
          </button>
        )}
      </div>
    </Dialog>
  );
}
