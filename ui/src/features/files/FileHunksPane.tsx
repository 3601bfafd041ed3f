// The per-hunk part of the diff pane: reads the selected file's hunks and the person's
// comments, marks the hunk a finding points at, and turns the hunk list's buttons into backend calls (Keep, Comment) or a revert to
// confirm (Revert, Undo revert), which the panel's revert dialog carries out.
import { useCallback, useEffect, useState } from "react";
import { files, type FileOp, type HunkComment } from "../../ipc";
import { HunkList } from "./HunkList";
import { targetHunk } from "./hunkTarget";
import { hunkRevertRequest, newComment } from "./hunks";
import type { FilesTarget } from "./opener";
import { redoRequest, type RevertRequest } from "./revertPlan";
import { useFileHunks } from "./useFileHunks";

interface Props {
  project: string;
  sessionId: string;
  /** The session's latest task, which a comment is made during (null: none yet). */
  task: number | null;
  path: string;
  /** The agent's ops on the file that still stand: the change the hunks cut. */
  ops: readonly FileOp[];
  /** Changes after every revert, redo and refresh: the hunks are read again. */
  version: number;
  /** A revert is being confirmed or run. */
  busy: boolean;
  onPlan: (request: RevertRequest) => void;
  /** A comment was added or deleted (the panel's unsent list is read again). */
  onCommentsChanged?: () => void;
  /** A place to show (a finding's): its hunk is scrolled to and marked. */
  focus?: FilesTarget | null;
  /** Told, once the hunks are read, whether none of them is at `focus`. */
  onMissed?: (missed: boolean) => void;
}

export function FileHunksPane({ project, sessionId, task, path, ops, version, busy, onPlan, onCommentsChanged, focus = null, onMissed }: Props) {
  const [own, setOwn] = useState(0);
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const state = useFileHunks(project, ops, version + own);
  const [comments, setComments] = useState<HunkComment[]>([]);
  const readComments = useCallback(async () => {
    const answer = await files.comments(project, sessionId, false);
    if (answer.ok) setComments(answer.value);
    onCommentsChanged?.();
  }, [project, sessionId, onCommentsChanged]);
  useEffect(() => {
    void readComments();
  }, [readComments, version]);
  const focused = state?.status === "ready" && focus ? targetHunk(state.hunks.hunks, focus) : null;
  // A change without hunks (failed to cut) has nothing to point at either.
  const missed = focus !== null && (state?.status === "failed" || (state?.status === "ready" && focused === null));
  useEffect(() => {
    onMissed?.(missed);
  }, [missed, onMissed]);

  if (state === null) return null;
  if (state.status === "loading") return <p className="muted">Reading the hunks…</p>;
  // A change that has no hunks (not text, deleted, renamed) is reverted as a whole file.
  if (state.status === "failed") return null;
  const act = async (work: () => Promise<{ ok: boolean; error?: { message: string } }>) => {
    setWorking(true);
    const answer = await work();
    setWorking(false);
    setError(answer.ok ? null : (answer.error?.message ?? "failed"));
    setOwn((n) => n + 1);
  };
  return (
    <>
      {error && (
        <div className="inline-error" role="alert" data-testid="hunk-error">
          {error}
        </div>
      )}
      <HunkList
        hunks={state.hunks}
        comments={comments}
        focused={focused}
        busy={busy || working}
        onKeep={(hunk, kept) => void act(() => files.keepHunk(project, sessionId, path, hunk.fingerprint, kept))}
        onRevert={(hunk) => onPlan(hunkRevertRequest(path, ops, [hunk.index]))}
        onUndoRevert={(id) => onPlan(redoRequest(id, null))}
        onComment={async (hunk, rows, text) => {
          const saved = await files.addComment(project, newComment(sessionId, task, path, hunk, rows, text));
          if (!saved.ok) return saved.error.message;
          await readComments();
          return null;
        }}
        onDeleteComment={(c) =>
          void files.deleteComment(project, c.id).then(async (answer) => {
            if (!answer.ok) setError(answer.error.message);
            await readComments();
          })
        }
      />
    </>
  );
}
