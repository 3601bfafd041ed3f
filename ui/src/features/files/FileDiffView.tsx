// A file before and after, as the journal kept it: a line diff for text, and words for what
// cannot be read line by line (binary files, symlinks, content too large to keep or hidden by
// .gitignore).
import type { DiffSide, FileDiff } from "../../ipc";
import { DiffView } from "../../shared/DiffView";
import { sideWords } from "./fileWords";

/** Unchanged lines kept around each change of a whole file. */
const CONTEXT_LINES = 3;

export function FileDiffView({ diff, status }: { diff: FileDiff; status: string }) {
  return (
    <div className="file-diff" data-testid="file-diff" data-path={diff.path}>
      <div className="file-diff-head">
        <code className="file-diff-path">{diff.path}</code>
        <span className="muted">{status}</span>
      </div>
      <DiffBody diff={diff} />
    </div>
  );
}

function DiffBody({ diff }: { diff: FileDiff }) {
  const before = textOf(diff.before);
  const after = textOf(diff.after);
  if (before === null || after === null) {
    return (
      <dl className="file-diff-sides" data-testid="file-diff-sides">
        <dt>Before</dt>
        <dd>{sideWords(diff.before)}</dd>
        <dt>After</dt>
        <dd>{sideWords(diff.after)}</dd>
      </dl>
    );
  }
  if (before === after) {
    const note =
      diff.before.type === "absent" ? "An empty file was created." : diff.after.type === "absent" ? "An empty file was deleted." : "The content did not change.";
    return <p className="muted file-diff-note">{note}</p>;
  }
  return <DiffView changes={[{ oldText: before, newText: after }]} label={`Changes to ${diff.path}`} context={CONTEXT_LINES} />;
}

/** The text of a side that reads line by line ("" for no file), or null. */
function textOf(side: DiffSide): string | null {
  if (side.type === "text") return side.text;
  if (side.type === "absent") return "";
  return null;
}
