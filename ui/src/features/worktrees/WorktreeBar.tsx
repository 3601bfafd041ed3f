// The worktree line of a session's header: the chip with its state, and what can be done with
// the branch — see its Changes, Commit…, Merge… into the base, open a Pull request, Discard….
// Each action's dialog opens above the window; the state is read again after each.
import "./Worktree.css";
import { useState } from "react";
import { createPortal } from "react-dom";
import { openLink, worktrees, type SessionStatus, type SessionWorktree } from "../../ipc";
import type { Transcript } from "../../model/transcript";
import { hub } from "../../model/useSession";
import { useWorktreeState, worktreeMark } from "../../model/worktrees";
import { Dialog } from "../../shared/Dialog";
import { ChangesPanel } from "./ChangesPanel";
import { CommitDialog } from "./CommitDialog";
import { DiscardDialog } from "./DiscardDialog";
import { MergeDialog } from "./MergeDialog";
import { WorktreeChip } from "./WorktreeChip";

interface Props {
  worktree: SessionWorktree;
  /** The worktree folder: the session's project. */
  path: string;
  transcript: Transcript;
  status: SessionStatus;
  /** The Warden session; null for a read-only view (nothing can be done from it). */
  sessionId: string | null;
}

type Open = "commit" | "merge" | "discard" | null;
type PrState = { status: "busy" } | { status: "done"; text: string } | { status: "failed"; text: string } | null;

export function WorktreeBar({ worktree, path, transcript: t, status, sessionId }: Props) {
  const mark = worktreeMark(t);
  // Once discarded here there is nothing left to read or do.
  const [discarded, setDiscarded] = useState(false);
  const { value: info, error, refresh } = useWorktreeState(discarded ? null : path, mark);
  const [open, setOpen] = useState<Open>(null);
  const [changesOpen, setChangesOpen] = useState(false);
  const [pr, setPr] = useState<PrState>(null);
  const live = sessionId !== null && status !== "stopped" && status !== "crashed";
  const usable = info !== null && !info.missing && sessionId !== null;
  const afterAction = () => {
    refresh();
    // The session list shows the branch and its state too.
    hub.recordsChanged();
  };
  const openPr = async () => {
    setPr({ status: "busy" });
    const done = await worktrees.pr(path);
    setPr(done.ok ? { status: "done", text: done.value } : { status: "failed", text: done.error.message });
    refresh();
  };
  const prLink = pr?.status === "done" ? /https?:\/\/\S+/.exec(pr.text)?.[0] : undefined;

  if (discarded) {
    return (
      <div className="worktree-line" data-testid="worktree-line">
        <span className="worktree-chip" data-testid="worktree-chip" data-state="discarded">
          <span className="worktree-branch">{worktree.branch}</span>
          <span className="muted">discarded: its folder and branch were removed</span>
        </span>
      </div>
    );
  }

  return (
    <div className="worktree-line" data-testid="worktree-line">
      <WorktreeChip worktree={worktree} info={info} error={error} onCleanUp={() => setOpen("discard")} />
      <span className="worktree-buttons">
        <button
          type="button"
          className={`small${changesOpen ? " active" : ""}`}
          aria-pressed={changesOpen}
          onClick={() => setChangesOpen((was) => !was)}
          disabled={info?.missing ?? false}
          title="Changes: everything on this branch versus its base, commits and files"
          data-testid="worktree-changes"
        >
          Changes
        </button>
        <button type="button" className="small" onClick={() => setOpen("commit")} disabled={!usable} title="Commit the worktree's uncommitted files on its branch" data-testid="worktree-commit">
          Commit…
        </button>
        <button type="button" className="small" onClick={() => setOpen("merge")} disabled={!usable} title="Bring this branch's work into its base branch in the main folder" data-testid="worktree-merge">
          Merge…
        </button>
        <button
          type="button"
          className="small"
          onClick={() => void openPr()}
          disabled={!usable || pr?.status === "busy"}
          title="Pull request: push the branch and open one with gh"
          data-testid="worktree-pr"
        >
          {pr?.status === "busy" ? "Opening…" : "PR"}
        </button>
        <button
          type="button"
          className="small danger"
          onClick={() => setOpen("discard")}
          disabled={info === null || sessionId === null}
          title="Remove the worktree folder and its branch (says first what would be lost)"
          data-testid="worktree-discard"
        >
          Discard…
        </button>
      </span>
      {createPortal(
        <>
          {changesOpen && <ChangesPanel path={path} branch={info?.branch ?? worktree.branch} mark={mark} onClose={() => setChangesOpen(false)} />}
          {open === "commit" && info && (
            <CommitDialog
              path={path}
              info={info}
              sessionId={sessionId}
              transcript={t}
              canDraft={live && status === "ready" && !t.busy}
              onCommitted={() => {
                setOpen(null);
                afterAction();
              }}
              onClose={() => setOpen(null)}
            />
          )}
          {open === "merge" && info && <MergeDialog path={path} info={info} onMerged={afterAction} onClose={() => setOpen(null)} />}
          {open === "discard" && info && (
            <DiscardDialog
              path={path}
              info={info}
              liveSession={live ? sessionId : null}
              onDiscarded={() => {
                setOpen(null);
                setDiscarded(true);
                hub.recordsChanged();
              }}
              onClose={() => setOpen(null)}
            />
          )}
          {pr && pr.status !== "busy" && (
            <Dialog title="Pull request" onCancel={() => setPr(null)} testId="worktree-pr-result" className="worktree-dialog">
              {pr.status === "done" ? (
                <p role="status" data-testid="worktree-pr-done">
                  {prLink ? "Opened: " : ""}
                  {prLink ? <a href={prLink} onClick={(e) => (e.preventDefault(), void openLink(prLink))}>{prLink}</a> : pr.text}
                </p>
              ) : (
                <div className="inline-error" role="alert" data-testid="worktree-pr-error">
                  {pr.text}
                </div>
              )}
              <div className="dialog-buttons">
                <button type="button" onClick={() => setPr(null)} data-autofocus>
                  Close
                </button>
              </div>
            </Dialog>
          )}
        </>,
        document.body,
      )}
    </div>
  );
}
