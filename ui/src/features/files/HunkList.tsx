// The hunks of the selected file's change, each with the person's decision and its buttons:
// Keep (a mark), Revert (a partial rollback, confirmed in the revert dialog with the backend's
// plan), Comment (an inline editor on the lines selected in the hunk: click a line, shift-click
// another). The person's comments on the file are listed under the hunk they point into; the
// hunk a finding points at is outlined, scrolled to and focused.
import { useEffect, useRef, useState } from "react";
import type { FileHunks, Hunk, HunkComment, RollbackId } from "../../ipc";
import { HunkCommentEditor } from "./HunkCommentEditor";
import { clickRow, commentedRows, hunkRows, inRange, lineSpan, linesWords, type HunkRow, type RowRange } from "./hunks";

interface Props {
  hunks: FileHunks;
  comments: readonly HunkComment[];
  /** The hunk a finding points at (its index): scrolled into view, outlined and focused. */
  focused?: number | null;
  /** A revert or a decision is on its way: buttons wait. */
  busy: boolean;
  onKeep: (hunk: Hunk, kept: boolean) => void;
  onRevert: (hunk: Hunk) => void;
  onUndoRevert: (rollback: RollbackId) => void;
  /** Saves a comment on `rows` of `hunk`; resolves to an error message, or null when saved. */
  onComment: (hunk: Hunk, rows: HunkRow[], text: string) => Promise<string | null>;
  onDeleteComment: (comment: HunkComment) => void;
}

export function HunkList({ hunks, comments, focused = null, busy, onKeep, onRevert, onUndoRevert, onComment, onDeleteComment }: Props) {
  const [range, setRange] = useState<RowRange | null>(null);
  const [editing, setEditing] = useState<number | null>(null);
  const target = useRef<HTMLDivElement>(null);
  // Once per place (not after each re-read of the hunks, which would yank the view back while
  // the person works further down).
  useEffect(() => {
    const hunk = target.current;
    if (!hunk) return;
    hunk.scrollIntoView?.({ block: "center" });
    hunk.focus({ preventScroll: true });
  }, [focused]);
  if (hunks.hunks.length === 0) return null;
  return (
    <section className="hunk-list" aria-label={`Hunks of ${hunks.path}`} data-testid="hunk-list">
      <h4 className="files-note muted">
        {hunks.hunks.length === 1 ? "1 hunk" : `${hunks.hunks.length} hunks`}: keep, revert or comment on each (click a line, shift-click
        another to comment on a range).
      </h4>
      {hunks.hunks.map((hunk) => {
        const rows = hunkRows(hunk);
        const span = lineSpan(rows);
        const mine = comments.filter((c) => c.path === hunks.path && c.endLine >= span.startLine && c.startLine <= span.endLine);
        const state = hunk.state;
        return (
          <div
            key={hunk.fingerprint}
            className={`hunk ${state.type}${hunk.index === focused ? " focused" : ""}`}
            data-testid="hunk"
            data-hunk={hunk.index}
            data-state={state.type}
            data-focused={hunk.index === focused ? "true" : undefined}
            ref={hunk.index === focused ? target : undefined}
            tabIndex={hunk.index === focused ? -1 : undefined}
          >
            <div className="hunk-head">
              <span className="hunk-title">
                Hunk {hunk.index} <span className="muted">{linesWords(span.startLine, span.endLine)}</span>
              </span>
              {state.type === "kept" && <span className="file-flag hunk-kept">kept</span>}
              {state.type === "reverted" && <span className="file-flag reverted">reverted</span>}
              {state.type === "reverted" ? (
                <button type="button" className="small" disabled={busy} onClick={() => onUndoRevert(state.rollbackId)} data-testid="hunk-undo-revert">
                  Undo revert
                </button>
              ) : (
                <>
                  <button
                    type="button"
                    className="small"
                    disabled={busy}
                    aria-pressed={state.type === "kept"}
                    onClick={() => onKeep(hunk, state.type !== "kept")}
                    data-testid="hunk-keep"
                    title={state.type === "kept" ? "Mark it as not reviewed again" : "Mark it reviewed and kept (files are not changed)"}
                  >
                    {state.type === "kept" ? "Kept \u2713" : "Keep"}
                  </button>
                  <button type="button" className="small danger" disabled={busy} onClick={() => onRevert(hunk)} data-testid="hunk-revert">
                    Revert
                  </button>
                </>
              )}
              <button type="button" className="small" disabled={editing !== null} onClick={() => setEditing(hunk.index)} data-testid="hunk-comment">
                Comment
              </button>
            </div>
            <div className="tl-diff hunk-lines" role="group" aria-label={`Lines of hunk ${hunk.index}`}>
              {rows.map((row, i) => (
                <div
                  key={i}
                  className={`tl-diff-line hunk-line ${row.mark === "+" ? "tl-diff-add" : "tl-diff-del"}${inRange(range, hunk.index, i) ? " selected" : ""}`}
                  onClick={(e) => setRange((was) => clickRow(was, hunk.index, i, e.shiftKey))}
                  data-testid="hunk-line"
                  data-line={row.at}
                  aria-selected={inRange(range, hunk.index, i)}
                >
                  <span className="hunk-line-no muted">{row.line}</span>
                  <span className="tl-diff-sign">{row.mark === "+" ? "+" : "\u2212"}</span>
                  <span className="tl-diff-text">{row.text}</span>
                </div>
              ))}
            </div>
            {editing === hunk.index && (
              <HunkCommentEditor
                rows={commentedRows(hunk, range)}
                onSave={async (rows, text) => {
                  const error = await onComment(hunk, rows, text);
                  if (error === null) {
                    setEditing(null);
                    setRange(null);
                  }
                  return error;
                }}
                onCancel={() => setEditing(null)}
              />
            )}
            {mine.length > 0 && (
              <ul className="hunk-comments" data-testid="hunk-comments">
                {mine.map((c) => (
                  <li key={c.id} className="hunk-comment" data-testid="hunk-comment-item">
                    <span className="muted">{linesWords(c.startLine, c.endLine)}:</span> {c.text}
                    {c.sent && <span className="muted"> (sent)</span>}
                    <button type="button" className="small link" onClick={() => onDeleteComment(c)} aria-label={`Delete the comment on ${linesWords(c.startLine, c.endLine)}`}>
                      Delete
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
        );
      })}
    </section>
  );
}
