// The inline editor of a comment on some lines of a hunk: which lines, the text, Save (kept
// for the feedback to the agent) and Cancel. Ctrl/Cmd+Enter saves.
import { useState } from "react";
import { lineSpan, linesWords, type HunkRow } from "./hunks";

interface Props {
  rows: HunkRow[];
  /** Resolves to an error message, or null once saved. */
  onSave: (rows: HunkRow[], text: string) => Promise<string | null>;
  onCancel: () => void;
}

export function HunkCommentEditor({ rows, onSave, onCancel }: Props) {
  const [text, setText] = useState("");
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const span = lineSpan(rows);
  const save = async () => {
    if (text.trim() === "" || saving) return;
    setSaving(true);
    const failed = await onSave(rows, text);
    setSaving(false);
    setError(failed);
  };
  return (
    <div className="hunk-editor" data-testid="hunk-comment-editor">
      <label className="muted" htmlFor="hunk-comment-text">
        Your comment on {linesWords(span.startLine, span.endLine)}, sent to the agent with the quoted lines and your other feedback:
      </label>
      <textarea
        id="hunk-comment-text"
        value={text}
        autoFocus
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) void save();
          if (e.key === "Escape") {
            // The editor's own Esc: the panel stays open.
            e.stopPropagation();
            onCancel();
          }
        }}
        data-testid="hunk-comment-text"
      />
      {error && (
        <div className="inline-error" role="alert">
          Could not save the comment: {error}
        </div>
      )}
      <div className="hunk-editor-buttons">
        <button type="button" className="small" onClick={onCancel} data-testid="hunk-comment-cancel">
          Cancel
        </button>
        <button type="button" className="small primary" disabled={text.trim() === "" || saving} onClick={() => void save()} data-testid="hunk-comment-save">
          Save comment
        </button>
      </div>
    </div>
  );
}
