// The diff of a file's text as the window shows it everywhere: in a tool call's details, in a
// permission question and in the Files panel.
import { useMemo, useState } from "react";
import { foldUnchanged, lineDiff, type DiffLine, type DiffRow } from "./lineDiff";
import { MAX_SHOWN_LINES } from "./truncate";
import "./output.css";

/**
 * One replacement to show: `oldText` became `newText`. Declared here, not taken from a tool's
 * input, so the widget depends on no screen; a tool input's replacement has the same shape.
 */
export interface DiffChange {
  oldText: string;
  newText: string;
}

const SIGN: Record<DiffLine["type"], string> = { add: "+", del: "\u2212", ctx: " " };

/**
 * The line diff of one or more replacements in a file (+/− gutter, added and removed lines
 * coloured), long ones cut to their first 200 lines with a "Show all" button. With `context`,
 * unchanged runs are folded to that many lines around each change (for whole files).
 */
export function DiffView({ changes, label, context }: { changes: readonly DiffChange[]; label: string; context?: number }) {
  const [showAll, setShowAll] = useState(false);
  const rows = useMemo(
    () =>
      changes.flatMap((change, i): DiffRow[] => {
        const lines = lineDiff(change.oldText, change.newText);
        return [...(i > 0 ? [{ type: "gap" as const, hidden: 0 }] : []), ...(context === undefined ? lines : foldUnchanged(lines, context))];
      }),
    [changes, context],
  );
  const shown = showAll ? rows : rows.slice(0, MAX_SHOWN_LINES);
  return (
    <div className="tl-text">
      <div className="tl-diff" role="group" aria-label={label} data-testid="diff">
        {shown.map((row, i) =>
          row.type === "gap" ? (
            <div key={i} className="tl-diff-gap" aria-label={row.hidden > 0 ? `${row.hidden} unchanged lines` : "next change"}>
              ⋯{row.hidden > 0 ? ` ${row.hidden} unchanged lines` : ""}
            </div>
          ) : (
            <div key={i} className={`tl-diff-line tl-diff-${row.type}`} data-diff={row.type}>
              <span className="tl-diff-sign" aria-hidden={row.type === "ctx"}>
                {SIGN[row.type]}
              </span>
              <span className="tl-diff-text">{row.text}</span>
            </div>
          ),
        )}
      </div>
      {rows.length > MAX_SHOWN_LINES && (
        <button type="button" className="tl-link-button" onClick={() => setShowAll(!showAll)}>
          {showAll ? "Show less" : `Show all (${rows.length} lines)`}
        </button>
      )}
    </div>
  );
}
