// The permission mode of a running session, switchable mid-session. Bypass is the one choice
// that takes a second, deliberate click, and stays loudly marked while it is on.
import "./panel.css";
import { useEffect, useState } from "react";
import { createPortal } from "react-dom";
import { sessions, type IpcError, type PermissionMode, type SessionStatus } from "../../../ipc";
import { Dialog } from "../../../shared/Dialog";
import { BypassWarning } from "./BypassWarning";
import { acceptsChanges, bypassActive, MODES } from "./modes";

interface Props {
  sessionId: string;
  /** The mode the session is in (null until its agent started). */
  mode: PermissionMode | null;
  status: SessionStatus;
}

/** A mode select, the bypass confirmation, and the "Bypass on" badge with its way out. */
export function ModeSwitch({ sessionId, mode, status }: Props) {
  // The mode asked for, shown until the session's modeChanged event confirms it, so the select
  // does not jump back to the old mode for the moment in between.
  const [requested, setRequested] = useState<PermissionMode | null>(null);
  const [saving, setSaving] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const live = acceptsChanges(status);

  useEffect(() => setRequested(null), [mode]);

  const change = async (next: PermissionMode) => {
    setError(null);
    setRequested(next);
    setSaving(true);
    const outcome = await sessions.setMode(sessionId, next);
    setSaving(false);
    if (!outcome.ok) {
      setRequested(null);
      setError(outcome.error);
    }
  };

  const pick = (next: PermissionMode) => {
    if (next === "bypass") setConfirming(true);
    else void change(next);
  };

  const confirmBypass = () => {
    setConfirming(false);
    void change("bypass");
  };

  const shown = requested ?? mode;
  return (
    <span className="mode-switch">
      <select
        value={shown ?? ""}
        onChange={(e) => pick(e.target.value as PermissionMode)}
        disabled={!live || saving || shown === null}
        aria-label="Permission mode"
        title={live ? "How freely the agent may act without asking" : "The session is not running"}
        data-testid="mode-switch"
        data-mode={shown ?? undefined}
      >
        {shown === null && <option value="">Starting…</option>}
        {MODES.map((m) => (
          <option key={m.mode} value={m.mode} title={m.hint}>
            {m.label}
          </option>
        ))}
      </select>
      {bypassActive(mode, status) && (
        <span className="bypass-badge" data-testid="bypass-badge" title="Every tool call runs without asking, except what a deny rule forbids">
          Bypass on
          <button type="button" className="small" onClick={() => void change("default")} disabled={saving} data-testid="bypass-off">
            Turn off
          </button>
        </span>
      )}
      {error && (
        <span className="mode-error" role="alert" data-testid="mode-error">
          {error.message}
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setError(null)}>
            ×
          </button>
        </span>
      )}
      {confirming &&
        // Outside the header, so the dialog does not take on the header's small muted text.
        createPortal(
          <Dialog title="Turn on bypass?" onCancel={() => setConfirming(false)} testId="bypass-dialog">
            <BypassWarning />
            <div className="dialog-buttons">
              <button type="button" onClick={() => setConfirming(false)} data-autofocus data-testid="bypass-cancel">
                Cancel
              </button>
              <button type="button" className="danger" onClick={confirmBypass} data-testid="bypass-confirm">
                Turn on bypass
              </button>
            </div>
          </Dialog>,
          document.body,
        )}
    </span>
  );
}
