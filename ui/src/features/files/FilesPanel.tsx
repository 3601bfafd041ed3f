// The Files panel of a session: the files its agent changed (in the whole session, one turn or
// one tool call) and those changed outside any turn while it was live, each one's diff with its hunks (keep, revert or comment on each; a finding
// opens it at its hunk), and reverting a file or the whole scope, with the rollbacks made so
// far listed beside what they undid.
import "./files.css";
import { useMemo, useRef, useState } from "react";
import { createPortal } from "react-dom";
import type { FileDiff, FileOp, RollbackId } from "../../ipc";
import { Dialog } from "../../shared/Dialog";
import type { Transcript } from "../../model/transcript";
import { FileDiffView } from "./FileDiffView";
import { CommentsBar } from "./CommentsBar";
import { FileHunksPane } from "./FileHunksPane";
import { FileList } from "./FileList";
import { hasPlace } from "./hunkTarget";
import type { FilesTarget } from "./opener";
import { fileRows, statusWords, type FileRow } from "./fileRows";
import { RevertDialog } from "./RevertDialog";
import { fileRevertRequest, redoRequest, scopeRevertRequest, type RevertRequest } from "./revertPlan";
import { ROLLBACK_OP_WORDS } from "./rollbackGroups";
import { RollbackList } from "./RollbackList";
import { ScopeSelect } from "./ScopeSelect";
import { filesWord, opsInScope, OUTSIDE_WORDS, rollbackOpsInScope, scopeWords, type FileScope } from "./scope";
import { useFileDiff } from "./useFileDiff";
import { useFilesLog } from "./useFilesLog";
import { useFolderChanges } from "../../model/folderChanges";
import { useUnsentComments } from "./useUnsentComments";
import { waitingFeedback } from "../../model/tasks";

interface Props {
  project: string;
  sessionId: string;
  /**
   * The session's transcript: line counts from its stream, tool call titles. The session view
   * re-renders the panel as it changes.
   */
  transcript: Transcript;
  /** The scope to open on; the panel's selector changes it from there. */
  scope: FileScope;
  /** A file to select when the panel opens (a check's finding points at it). */
  path?: string | null;
  /** The place in `path` to show: its hunk is scrolled to and marked once the hunks are read. */
  at?: FilesTarget | null;
  onClose: () => void;
}

/** What the diff pane shows: a changed file of the list, or one file a rollback put back. */
type Selection = { type: "file"; path: string; outside?: boolean } | { type: "rollback"; op: FileOp };

export function FilesPanel({ project, sessionId, transcript, scope: openedOn, path, at, onClose }: Props) {
  const t = transcript;
  const [scope, setScope] = useState<FileScope>(openedOn);
  const [selection, setSelection] = useState<Selection | null>(path ? { type: "file", path } : null);
  // The place it was opened at, until the person picks something else; and whether the hunks
  // read have none there.
  const [target, setTarget] = useState<FilesTarget | null>(path && hasPlace(at) ? at : null);
  const [missed, setMissed] = useState(false);
  const select = (next: Selection | null) => {
    setSelection(next);
    setTarget(null);
  };
  const [plan, setPlan] = useState<RevertRequest | null>(null);
  // Bumped whenever files may have changed, so the selected file's hunks are read again.
  const [version, setVersion] = useState(0);
  // The transcript is mutated in place; its summaries grow only when it announces new ops (not
  // on every streamed token, which would redo this many times a second).
  // The window also hears of changes outside any turn in the folder while no session of it is
  // live (a stopped session's tab): those are this panel's too, and read it again.
  const folder = useFolderChanges(project);
  const announced = t.files.count + folder.version;
  const outsideOps = useMemo(
    () => (folder.outside.size === 0 ? t.files.outside : new Map([...folder.outside, ...t.files.outside])),
    // The transcript's map grows in place: `announced` moves with it.
    [folder, t, announced],
  );
  const { log, error, refresh } = useFilesLog(project, sessionId, announced, outsideOps);
  const unsent = useUnsentComments(project, sessionId);
  const task = t.tasks.current;
  const commentsBlocked = t.busy
    ? "the agent is working"
    : task && waitingFeedback(task)
      ? "they go with the checks' feedback (Checks panel)"
      : null;

  const rows = useMemo(() => (log ? fileRows(opsInScope(log, scope), t.files.byId) : null), [log, scope, t, announced]);
  const summaries = useMemo(() => (folder.outside.size === 0 ? t.files.byId : new Map([...folder.outside, ...t.files.byId])), [folder, t, announced]);
  // The whole session shows the changes made outside any turn too, in a list of their own.
  const outsideRows = useMemo(
    () => (log && scope.type === "session" ? fileRows(opsInScope(log, { type: "outside" }), summaries) : null),
    [log, scope, summaries],
  );
  const rollbackOps = useMemo(() => (log ? rollbackOpsInScope(log, scope) : []), [log, scope]);

  // A path can be in both lists of the whole session: the selection says which one.
  const selectedOutside = selection?.type === "file" && (selection.outside === true || scope.type === "outside");
  const selectedRow = selection?.type === "file" ? findRow(selection.outside ? outsideRows : rows, selection.path) : undefined;
  const selectedOps = selection?.type === "rollback" ? [selection.op] : (selectedRow?.ops ?? null);
  const selectedPath = selection?.type === "rollback" ? selection.op.path : (selectedRow?.path ?? null);
  const diff = useFileDiff(project, selectedPath, selectedOps);
  // Hunks are for a text change of the agent's that still stands (a file reverted whole has none
  // left; keeping or commenting on the person's own edits outside any turn means nothing).
  const hunkOps = diff?.status === "ready" && hasText(diff.diff) && selectedRow && !selectedRow.ignored && !selectedOutside ? selectedRow.standing : null;
  const changed = () => {
    refresh();
    setVersion((n) => n + 1);
  };

  const toolName = (id: string | null) => (id === null ? "the turn, outside any tool call" : (t.tools.get(id)?.call.title ?? "a tool call"));
  const pickScope = (next: FileScope) => {
    setScope(next);
    select(null);
  };
  const undoRollback = (id: RollbackId, redoOf: RollbackId | null) => setPlan(redoRequest(id, redoOf));
  // The revert dialog gives focus back to the button that opened it, but a file just reverted
  // has its button disabled: the keyboard would be lost outside the panel (and Esc with it).
  const bar = useRef<HTMLDivElement>(null);
  const closePlan = () => {
    setPlan(null);
    requestAnimationFrame(() => {
      if (!bar.current?.closest(".dialog")?.contains(document.activeElement)) bar.current?.querySelector("select")?.focus();
    });
  };

  const nothingYet = log !== null && log.length === 0;
  const scopeEmpty = rows !== null && rows.changed.length + rows.ignored.length + rollbackOps.length + (outsideRows?.changed.length ?? 0) === 0;
  const standing = rows?.changed.some((row) => row.standing.length > 0) ?? false;
  // Changes outside any turn have no session or turn to name them by: their standing ops are.
  const outsideStanding = scope.type === "outside" ? (rows?.changed.flatMap((row) => row.standing.map((op) => op.id)) ?? []) : [];
  // A finding on a file the scope did not change, on a change without hunks, or on lines no hunk
  // covers: the file (when changed) shows, with a word that the finding is not in what shows.
  const outside =
    target !== null && rows !== null && (missed || !selectedRow || (diff?.status === "ready" && !(hunkOps && hunkOps.length > 0)));

  return (
    <Dialog title="Files" onCancel={onClose} testId="files-panel" className="files-dialog">
      <div className="files-bar" ref={bar}>
        <ScopeSelect scope={scope} log={log} toolScope={openedOn.type === "toolCall" ? openedOn : null} onChange={pickScope} />
        <span className="muted files-count">{rows ? `${filesWord(rows.changed.length)} changed` : ""}</span>
        <button type="button" className="small" onClick={changed} data-testid="files-refresh">
          Refresh
        </button>
        <button
          type="button"
          className="small danger"
          disabled={!log || !standing || plan !== null}
          title={
            !standing
              ? "Nothing here to revert"
              : scope.type === "outside"
                ? "Undo every change made outside any turn listed here"
                : `Undo every change the agent made in ${scopeWords(scope)}`
          }
          onClick={() => log && setPlan(scopeRevertRequest(scope, sessionId, outsideStanding))}
          data-testid={REVERT_IDS[scope.type]}
        >
          {revertWords(scope)}
        </button>
      </div>
      {error && (
        <div className="inline-error" role="alert" data-testid="files-error">
          Could not read the file changes: {error.message}
          <button type="button" className="small" onClick={refresh}>
            Try again
          </button>
        </div>
      )}
      {!log && !error && <p className="muted">Reading the file changes…</p>}
      {nothingYet && (
        <p className="files-empty muted" data-testid="files-empty">
          No files changed in this session yet.
        </p>
      )}
      {!nothingYet && scopeEmpty && (
        <p className="files-empty muted" data-testid="files-empty">
          No files changed in {scopeWords(scope)}.
        </p>
      )}
      {log && rows && !scopeEmpty && (
        <div className="files-body">
          <div className="files-list-pane">
            <FileList
              rows={rows}
              selected={selection?.type === "file" && !selection.outside ? selection.path : null}
              onSelect={(row) => select({ type: "file", path: row.path })}
              onRevert={(row) => setPlan(fileRevertRequest(row))}
              toolName={toolName}
              showTurns={scope.type === "session"}
              busy={plan !== null}
            />
            {outsideRows && outsideRows.changed.length > 0 && (
              <section className="files-section" aria-labelledby="files-outside-heading" data-testid="files-outside">
                <h3 id="files-outside-heading" className="panel-heading">
                  Outside any turn <span className="muted">{outsideRows.changed.length}</span>
                </h3>
                <p className="files-note muted">Changed while no turn ran: by your editor or another process, not by the agent.</p>
                <FileList
                  rows={{ changed: outsideRows.changed, ignored: [] }}
                  selected={selection?.type === "file" && selection.outside ? selection.path : null}
                  onSelect={(row) => select({ type: "file", path: row.path, outside: true })}
                  onRevert={(row) => setPlan(fileRevertRequest(row))}
                  toolName={toolName}
                  showTurns={false}
                  busy={plan !== null}
                  listTestId="files-outside-list"
                  listLabel={`Files changed ${OUTSIDE_WORDS}`}
                />
              </section>
            )}
            <RollbackList
              ops={rollbackOps}
              log={log}
              selectedOp={selection?.type === "rollback" ? selection.op.id : null}
              onSelect={(op) => select({ type: "rollback", op })}
              onUndo={undoRollback}
              busy={plan !== null}
            />
          </div>
          <div className="files-diff-pane" aria-live="polite">
            {outside && (
              <p className="files-note files-target-outside" data-testid="files-target-outside">
                This finding is outside the shown changes.
              </p>
            )}
            {!diff && !outside && <p className="muted">Select a file to see what changed.</p>}
            {diff?.status === "loading" && <p className="muted">Reading the change…</p>}
            {diff?.status === "failed" && (
              <div className="inline-error" role="alert" data-testid="file-diff-error">
                Could not read the change: {diff.error.message}
              </div>
            )}
            {diff?.status === "ready" && <FileDiffView diff={diff.diff} status={selectionWords(selection, selectedRow)} />}
            {hunkOps && hunkOps.length > 0 && selectedRow && (
              <FileHunksPane
                project={project}
                sessionId={sessionId}
                task={t.tasks.current?.task ?? null}
                path={selectedRow.path}
                ops={hunkOps}
                version={version}
                busy={plan !== null}
                onPlan={setPlan}
                onCommentsChanged={unsent.reload}
                focus={target}
                onMissed={setMissed}
              />
            )}
          </div>
        </div>
      )}
      <CommentsBar project={project} sessionId={sessionId} comments={unsent.comments} blocked={commentsBlocked} onSent={unsent.reload} />
      <div className="dialog-buttons">
        <button type="button" onClick={onClose} data-testid="files-close">
          Close
        </button>
      </div>
      {plan &&
        // Above the panel, in the body: a dialog of its own with its own focus and Esc.
        createPortal(<RevertDialog project={project} plan={plan} onChanged={changed} onClose={closePlan} />, document.body)}
    </Dialog>
  );
}

/** Whether both sides of a diff read line by line (a text file, or none), so it has hunks. */
function hasText(diff: FileDiff): boolean {
  const text = (side: FileDiff["before"]) => side.type === "text" || side.type === "absent";
  return text(diff.before) && diff.after.type === "text";
}

const REVERT_IDS: Record<FileScope["type"], string> = {
  session: "session-revert",
  turn: "turn-revert",
  toolCall: "tool-revert",
  outside: "outside-revert",
};

function revertWords(scope: FileScope): string {
  switch (scope.type) {
    case "session":
      return "Revert session";
    case "turn":
      return `Revert turn ${scope.turn}`;
    case "toolCall":
      return "Revert tool call";
    case "outside":
      return "Revert these changes";
  }
}

function findRow(rows: { changed: FileRow[]; ignored: FileRow[] } | null, path: string): FileRow | undefined {
  return rows?.changed.find((r) => r.path === path) ?? rows?.ignored.find((r) => r.path === path);
}

function selectionWords(selection: Selection | null, row: FileRow | undefined): string {
  if (selection?.type === "rollback") {
    return `rollback ${selection.op.rollbackId ?? ""}: ${ROLLBACK_OP_WORDS[selection.op.kind.type]}`;
  }
  return row ? statusWords(row) : "";
}
