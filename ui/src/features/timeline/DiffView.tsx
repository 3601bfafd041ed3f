import { useMemo, useState } from "react";
import { lineDiff, type DiffLine } from "./lineDiff";
import type { TextChange } from "./toolInput";
import { MAX_SHOWN_LINES } from "./truncate";
import "./timeline.css";

type Row = DiffLine | { type: "gap" };

const SIGN: Record<DiffLine["type"], string> = { add: "+", del: "\u2212", ctx: " " };

/**
 * The line diff of one or more replacements in a file (+/− gutter, added and removed lines
 * coloured), long ones cut to their first 200 lines with a "Show all" button.
 */
export function DiffView({ changes, label }: { changes: TextChange[]; label: string }) {
  const [showAll, setShowAll] = useState(false);
  const rows = useMemo(
    () => changes.flatMap((change, i): Row[] => [...(i > 0 ? [{ type: "gap" as const }] : []), ...lineDiff(change.oldText, change.newText)]),
    [changes],
  );
  const shown = showAll ? rows : rows.slice(0, MAX_SHOWN_LINES);
  return (
    <div className="tl-text">
      <div className="tl-diff" role="group" aria-label={label} data-testid="diff">
        {shown.map((row, i) =>
          row.type === "gap" ? (
            <div key={i} className="tl-diff-gap" aria-label="next change">
              ⋯
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
