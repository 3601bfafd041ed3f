// "New session": which agent, how freely it may act, and optionally which model.
import { useState, type FormEvent } from "react";
import type { IpcError, PermissionMode } from "../../ipc";
import { Dialog } from "../../app/Dialog";

/** What the person chose. */
export interface NewSessionChoice {
  mode: PermissionMode;
  model: string | null;
}

interface Props {
  projectName: string;
  onStart: (choice: NewSessionChoice) => Promise<IpcError | null>;
  onCancel: () => void;
}

const MODES: { mode: PermissionMode; label: string; hint: string }[] = [
  { mode: "default", label: "Ask before changes", hint: "Every edit and command waits for your answer." },
  { mode: "acceptEdits", label: "Accept edits", hint: "File edits in the project go ahead; commands still ask." },
  { mode: "plan", label: "Plan only", hint: "Reads and plans; changes nothing until you approve a plan." },
];

/** The dialog that starts a session in a project. */
export function NewSessionDialog({ projectName, onStart, onCancel }: Props) {
  const [mode, setMode] = useState<PermissionMode>("default");
  const [model, setModel] = useState("");
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setStarting(true);
    const failed = await onStart({ mode, model: model.trim() || null });
    setStarting(false);
    setError(failed);
  };

  return (
    <Dialog title={`New session in ${projectName}`} onCancel={onCancel} testId="new-session-dialog">
      <form onSubmit={(e) => void submit(e)} className="form">
        <label className="field">
          <span>Agent</span>
          <select defaultValue="claude" aria-label="Agent">
            <option value="claude">Claude Code</option>
          </select>
        </label>
        <fieldset className="field">
          <legend>Permissions</legend>
          {MODES.map((m) => (
            <label key={m.mode} className="radio">
              <input type="radio" name="mode" value={m.mode} checked={mode === m.mode} onChange={() => setMode(m.mode)} />
              <span>
                {m.label}
                <span className="hint"> — {m.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>Model</span>
          <input value={model} onChange={(e) => setModel(e.target.value)} placeholder="The agent's default" spellCheck={false} />
        </label>
        {error && (
          <div className="inline-error" role="alert" data-testid="start-error">
            {error.message}
          </div>
        )}
        <div className="dialog-buttons">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={starting} data-autofocus data-testid="start-session">
            {starting ? "Starting…" : "Start Session"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
