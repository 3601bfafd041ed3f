// Files that changed since the changes being undone: what the journal expected at each path and
// what is there now, and on request the difference between the two where both were recorded.
import { useState } from "react";
import type { Conflict } from "../../ipc";
import { DiffView } from "../../shared/DiffView";
import { conflictTexts, type ConflictTexts } from "./conflictTexts";
import { imageWords } from "./fileWords";

export function ConflictList({ project, conflicts }: { project: string; conflicts: readonly Conflict[] }) {
  return (
    <ul className="conflict-list" data-testid="revert-conflicts">
      {conflicts.map((conflict) => (
        <ConflictItem key={conflict.path} project={project} conflict={conflict} />
      ))}
    </ul>
  );
}

function ConflictItem({ project, conflict }: { project: string; conflict: Conflict }) {
  const [texts, setTexts] = useState<ConflictTexts | "loading" | null>(null);
  const compare = async () => {
    setTexts("loading");
    setTexts(await conflictTexts(project, conflict));
  };
  return (
    <li className="conflict" data-testid="revert-conflict" data-path={conflict.path}>
      <code className="conflict-path">{conflict.path}</code>
      <dl className="conflict-images">
        <dt>Expected</dt>
        <dd data-testid="conflict-expected">{imageWords(conflict.expected)}</dd>
        <dt>There now</dt>
        <dd data-testid="conflict-found">{imageWords(conflict.found)}</dd>
      </dl>
      {texts === null && (
        <button type="button" className="small" onClick={() => void compare()} data-testid="conflict-compare">
          Show the difference
        </button>
      )}
      {texts === "loading" && <p className="muted">Reading the recorded contents…</p>}
      {texts !== null && texts !== "loading" && texts.type === "texts" && (
        <DiffView changes={[{ oldText: texts.expected, newText: texts.found }]} label={`Expected and current content of ${conflict.path}`} context={3} />
      )}
      {texts !== null && texts !== "loading" && texts.type === "unavailable" && <p className="muted">{texts.reason}</p>}
      {texts !== null && texts !== "loading" && texts.type === "failed" && (
        <div className="inline-error" role="alert">
          Could not read the recorded contents: {texts.error.message}
        </div>
      )}
    </li>
  );
}
