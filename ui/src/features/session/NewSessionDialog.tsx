// "New session": which agent, how freely it may act, and optionally which model.
import { useState, type FormEvent } from "react";
import type { IpcError, PermissionMode } from "../../ipc";
import { Dialog } from "../../app/Dialog";
import { BypassWarning } from "../permissions/panel/BypassWarning";
import { MODES } from "../permissions/panel/modes";

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

/** The dialog that starts a session in a project. */
export function NewSessionDialog({ projectName, onStart, onCancel }: Props) {
  const [mode, setMode] = useState<PermissionMode>("default");
  // Bypass starts only after the person ticked that they understand it; choosing another mode
  // and coming back asks again.
  const [understood, setUnderstood] = useState(false);
  const blocked = mode === "bypass" && !understood;
  const [model, setModel] = useState("");
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (blocked) return;
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
              <input
                type="radio"
                name="mode"
                value={m.mode}
                checked={mode === m.mode}
                onChange={() => {
                  setMode(m.mode);
                  setUnderstood(false);
                }}
                data-testid={`mode-${m.mode}`}
              />
              <span>
                {m.label}
                <span className="hint"> — {m.hint}</span>
              </span>
            </label>
          ))}
          {mode === "bypass" && (
            <div className="bypass-start">
              <BypassWarning />
              <label className="radio">
                <input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} data-testid="bypass-understand" />
                <span>I understand: this session's agent will act without asking.</span>
              </label>
            </div>
          )}
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
          <button type="submit" className="primary" disabled={starting || blocked} data-autofocus data-testid="start-session">
            {starting ? "Starting…" : "Start Session"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
