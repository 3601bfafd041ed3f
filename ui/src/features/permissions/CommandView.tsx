// The command of a permission question, all of it: the box grows instead of scrolling, lines
// are numbered when there is more than one, hidden parts are marked (see `commandLines.ts`),
// and a command longer than a glance says that it continues and how much is left, with the
// way to see the rest. The modal holds "allow" back until the rest was shown.
import { Fragment, useMemo, type CSSProperties } from "react";
import { firstRows, layoutCommand, type Piece, type Row } from "./commandLines";
import "./permissions.css";

interface Props {
  command: string;
  /** Whether the person asked to see the whole command. */
  whole: boolean;
  onShowWhole: () => void;
}

/** The command with its line numbers, marks, and "continues" or "end of the command" line. */
export function CommandView({ command, whole, onShowWhole }: Props) {
  const layout = useMemo(() => layoutCommand(command), [command]);
  const first = useMemo(() => firstRows(layout), [layout]);
  const rows = whole ? layout.rows : first.rows;
  const cut = first.cut && !whole;
  const only = layout.rows.length === 1 ? layout.rows[0] : undefined;
  const single = only?.kind === "line" && !cut;

  return (
    <div className="pm-command-box" data-testid="permission-command-box" data-lines={layout.lineCount} data-whole={String(!cut)}>
      {single ? (
        <pre className="pm-command" data-testid="permission-command">
          <span className="pm-prompt" aria-hidden="true">
            ${" "}
          </span>
          <Pieces pieces={only.pieces} />
        </pre>
      ) : (
        <pre className="pm-command pm-numbered" data-testid="permission-command" style={{ "--pm-gutter": `${gutter(rows)}ch` } as CSSProperties}>
          {rows.map((row) => (
            <CommandRow key={row.kind === "line" ? row.number : `b${row.from}`} row={row} />
          ))}
        </pre>
      )}
      {cut ? (
        <div className="pm-continues" role="alert" data-testid="permission-command-continues">
          <span>
            ⋯ The command continues: {plural(first.moreLines, "more line")} not shown. Read it all before allowing it.
          </span>
          <button type="button" className="small" onClick={onShowWhole} data-testid="permission-command-show-all">
            Show the whole command
          </button>
        </div>
      ) : (
        (!single || layout.marked) && (
          <div className="pm-command-end" data-testid="permission-command-end">
            end of the command · {plural(layout.lineCount, "line")}
            {layout.marked && " · marked parts stand for what draws nothing (blank lines, runs of blanks, invisible characters)"}
          </div>
        )
      )}
    </div>
  );
}

function CommandRow({ row }: { row: Row }) {
  if (row.kind === "blank") {
    const count = row.to - row.from + 1;
    return (
      <span className="pm-line pm-blank-run" data-testid="permission-blank-run" data-from={row.from} data-to={row.to}>
        <span className="pm-ln" aria-hidden="true">
          {row.from === row.to ? row.from : `${row.from}–${row.to}`}
        </span>
        <span className="pm-mark">⋯ {plural(count, "blank line")} ⋯</span>
      </span>
    );
  }
  return (
    <span className="pm-line" data-testid="permission-command-line" data-line={row.number}>
      <span className="pm-ln" aria-hidden="true">
        {row.number}
      </span>
      <span className="pm-code">
        <Pieces pieces={row.pieces} />
        {row.cut && <span className="pm-mark"> ⋯</span>}
      </span>
    </span>
  );
}

function Pieces({ pieces }: { pieces: Piece[] }) {
  return (
    <>
      {pieces.map((piece, i) =>
        piece.kind === "text" ? (
          <Fragment key={i}>{piece.text}</Fragment>
        ) : (
          <span key={i} className="pm-mark" title={piece.title} data-testid="permission-hidden-char">
            {piece.text}
          </span>
        ),
      )}
    </>
  );
}

/** The width of the line numbers, in characters: one gutter for all rows, so the text lines up. */
function gutter(rows: Row[]): number {
  return Math.max(2, ...rows.map((row) => (row.kind === "line" ? String(row.number) : `${row.from}–${row.to}`).length));
}

/** "1 line", "40 lines". */
function plural(n: number, word: string): string {
  return `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
}
