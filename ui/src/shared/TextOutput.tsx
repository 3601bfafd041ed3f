// Text output, plain or with its terminal colours, as a tool call's details and a permission
// question show it; long text is cut, with a button to show all of it.
import { useMemo, useState } from "react";
import { AnsiText } from "./AnsiText";
import { cutText } from "./truncate";
import "./output.css";

/**
 * A long text shown as its head (about 200 lines / 20 KB) with a "Show all (N lines)" button;
 * `ansi` renders terminal colours, otherwise the text is shown as it is.
 */
export function TextOutput({ text, ansi = false, className }: { text: string; ansi?: boolean; className?: string }) {
  const [showAll, setShowAll] = useState(false);
  const cut = useMemo(() => cutText(text), [text]);
  const shown = showAll || !cut.cut ? text : cut.shown;
  return (
    <div className={className ? `tl-text ${className}` : "tl-text"}>
      {ansi ? <AnsiText text={shown} /> : <pre className="tl-pre">{shown}</pre>}
      {cut.cut && (
        <button type="button" className="tl-link-button" onClick={() => setShowAll(!showAll)}>
          {showAll ? "Show less" : `Show all (${cut.totalLines} lines)`}
        </button>
      )}
    </div>
  );
}
