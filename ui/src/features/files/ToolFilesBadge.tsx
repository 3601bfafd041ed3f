// "2 files" in a tool call's row: the files the call changed, opening the Files panel on them.
import type { ToolView } from "../../model/transcript";
import { changedPaths } from "../../model/fileChanges";
import { useFilesOpener } from "./opener";
import { filesWord } from "./scope";
import "./files.css";

export function ToolFilesBadge({ view }: { view: ToolView }) {
  const open = useFilesOpener();
  const ops = view.fileOps;
  if (ops.length === 0) return null;
  const changed = changedPaths(ops).size;
  // A call that only touched paths .gitignore hides (a build's output) still says so.
  const text = changed > 0 ? filesWord(changed) : `${filesWord(new Set(ops.map((op) => op.path)).size)} ignored`;
  const what = `${text} changed by ${view.call.title}`;
  if (!open) {
    return (
      <span className="tl-files" title={what} data-testid="tool-files">
        {text}
      </span>
    );
  }
  return (
    <button
      type="button"
      className="tl-files"
      title={`Show the ${what}`}
      aria-label={`Show the ${what}`}
      onClick={() => open({ type: "toolCall", toolCallId: view.call.id, turn: ops[0]!.turn, title: view.call.title })}
      data-testid="tool-files"
    >
      {text}
    </button>
  );
}
