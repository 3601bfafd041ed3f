// The files a scope changed, one row each: path, what happened, line counts, the tool calls that
// did it, and a Revert button. Paths .gitignore hides are listed apart: their changes are
// counted, but their content was never kept and no revert touches them.
import { useState } from "react";
import type { FileRow, FileRows } from "./fileRows";
import { sizeWords, statusWords } from "./fileRows";
import { isOutsideTurn, OUTSIDE_WORDS } from "./scope";

/** Rows drawn before "Show all": an install into an ignored folder can touch thousands of files. */
const IGNORED_SHOWN = 100;

interface Props {
  rows: FileRows;
  /** The path whose diff is shown. */
  selected: string | null;
  onSelect: (row: FileRow) => void;
  onRevert: (row: FileRow) => void;
  /** What to call a tool call (its title), or null for a change outside any. */
  toolName: (id: string | null) => string;
  /** Whether to say which turn made each change (the whole session is shown). */
  showTurns: boolean;
  /** A revert is being confirmed or carried out: no second one meanwhile. */
  busy: boolean;
  /** The test id of the list of changed files (another list of them is named apart). */
  listTestId?: string;
  /** What the list of changed files is, for screen readers. */
  listLabel?: string;
}

export function FileList({ rows, selected, onSelect, onRevert, toolName, showTurns, busy, listTestId = "files-changed", listLabel = "Changed files" }: Props) {
  const [allIgnored, setAllIgnored] = useState(false);
  const ignored = allIgnored ? rows.ignored : rows.ignored.slice(0, IGNORED_SHOWN);
  const item = (row: FileRow) => (
    <FileItem
      key={row.path}
      row={row}
      selected={row.path === selected}
      onSelect={onSelect}
      onRevert={onRevert}
      toolName={toolName}
      showTurns={showTurns}
      busy={busy}
    />
  );
  return (
    <>
      {rows.changed.length > 0 && (
        <ul className="file-list" aria-label={listLabel} data-testid={listTestId}>
          {rows.changed.map(item)}
        </ul>
      )}
      {rows.ignored.length > 0 && (
        <section className="files-section" aria-labelledby="files-ignored-heading" data-testid="files-ignored">
          <h3 id="files-ignored-heading" className="panel-heading">
            Ignored changes <span className="muted">{rows.ignored.length}</span>
          </h3>
          <p className="files-note muted">.gitignore hides these paths: their content was not kept, and a revert leaves them as they are.</p>
          <ul className="file-list">{ignored.map(item)}</ul>
          {ignored.length < rows.ignored.length && (
            <button type="button" className="small" onClick={() => setAllIgnored(true)}>
              Show all {rows.ignored.length}
            </button>
          )}
        </section>
      )}
    </>
  );
}

interface ItemProps extends Omit<Props, "rows" | "selected" | "listTestId" | "listLabel"> {
  row: FileRow;
  selected: boolean;
}

function FileItem({ row, selected, onSelect, onRevert, toolName, showTurns, busy }: ItemProps) {
  const reverted = !row.ignored && row.standing.length === 0;
  const turns = [...new Set(row.ops.map((op) => op.turn))];
  // Not the agent's: the watcher saw it while no turn ran, so there is no turn or tool to name.
  const outside = row.ops.every(isOutsideTurn);
  return (
    <li
      className={`file-row${selected ? " selected" : ""}${reverted ? " reverted" : ""}`}
      data-testid="file-row"
      data-path={row.path}
      data-kind={row.kind}
      data-ignored={row.ignored ? "true" : undefined}
      data-state={reverted ? "reverted" : undefined}
      data-outside={outside ? "true" : undefined}
    >
      <button type="button" className="file-pick" aria-current={selected ? "true" : undefined} onClick={() => onSelect(row)} title={row.path}>
        <span className="file-path">{row.path}</span>
        <span className="file-meta">
          <span className={`file-status ${row.kind}`} data-testid="file-status">
            {statusWords(row)}
          </span>
          {row.tooLarge && <span className="file-flag">too large to keep</span>}
          {reverted && <span className="file-flag reverted">reverted</span>}
          <span className="file-by" data-testid="file-by">
            {outside ? OUTSIDE_WORDS : `${showTurns ? `turn ${turns.join(", ")} · ` : ""}by ${row.toolCalls.map(toolName).join(", ")}`}
          </span>
        </span>
      </button>
      <LineCounts row={row} />
      {!row.ignored && (
        <button
          type="button"
          className="small"
          onClick={() => onRevert(row)}
          disabled={busy || reverted || row.tooLarge}
          title={
            reverted
              ? "Its changes here were reverted already"
              : row.tooLarge
                ? "Its content was too large to keep, so it cannot be put back"
                : outside
                  ? `Undo the changes made to ${row.path} outside any turn`
                  : `Undo the agent's changes to ${row.path}`
          }
          data-testid="file-revert"
        >
          Revert
        </button>
      )}
    </li>
  );
}

function LineCounts({ row }: { row: FileRow }) {
  const lines = row.lines;
  switch (lines.type) {
    case "lines":
      return (
        <span className="file-lines" data-testid="file-lines" aria-label={`${lines.added} lines added, ${lines.removed} removed`}>
          <span className="added">+{lines.added}</span> <span className="removed">−{lines.removed}</span>
        </span>
      );
    case "binary":
    case "symlink":
      return (
        <span className="file-lines muted" data-testid="file-lines">
          {lines.type}
        </span>
      );
    case "sizes":
      return (
        <span className="file-lines muted" data-testid="file-lines">
          {sizeWords(lines.before, lines.after)}
        </span>
      );
    case "none":
      return <span className="file-lines" />;
  }
}
