// The model and reasoning effort of a running session, in its header: what is in use, and a
// small menu to switch where the agent allows it (its `controls` event says what it takes). While
// a turn runs, an agent that switches only between turns gets a disabled button with the reason.
import "./modelSwitch.css";
import { useEffect, useId, useRef, useState } from "react";
import { steer, type Effort, type IpcError, type SessionControls, type SessionStatus } from "../../ipc";
import { acceptsChanges } from "../permissions/panel/modes";

/** The value of the model select that asks for a typed model name. */
const OTHER = "\u0000other";

interface Props {
  sessionId: string;
  controls: SessionControls;
  status: SessionStatus;
}

/** Why the switch cannot be used now, or null when it can. */
export function switchBlocked(controls: SessionControls, status: SessionStatus): string | null {
  if (!acceptsChanges(status) || status === "starting") return "The session is not running";
  if (status === "running" && !controls.switchWhileRunning) return "The agent switches models only between turns: wait for the turn to end";
  return null;
}

/** The words on the button: the model (its name when listed) and the effort. */
export function controlsLabel(controls: SessionControls): string {
  const listed = controls.models.find((m) => m.id === controls.model);
  const model = listed?.label ?? controls.model ?? "Default model";
  return controls.effort ? `${model} · ${controls.effort}` : model;
}

/** The header's model and effort switch. Renders nothing for an agent that cannot switch. */
export function ModelSwitch({ sessionId, controls, status }: Props) {
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const reasonId = useId();
  const button = useRef<HTMLButtonElement | null>(null);
  if (!controls.canSwitchModel) return null;
  const blocked = switchBlocked(controls, status);
  const title = blocked ?? `Model and effort${controls.appliesNextTurn ? " (a switch applies from the next prompt)" : ""}`;

  // The focus goes back where the menu was opened from.
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };

  const apply = async (model: string | null, effort: Effort | null) => {
    setError(null);
    setSaving(true);
    const outcome = await steer.setModel(sessionId, model, effort);
    setSaving(false);
    if (outcome.ok) close();
    else setError(outcome.error);
  };

  return (
    <span className="model-switch">
      <button
        ref={button}
        type="button"
        className="small"
        onClick={() => setOpen((o) => !o)}
        disabled={blocked !== null || saving}
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-describedby={blocked ? reasonId : undefined}
        title={title}
        data-testid="model-switch"
      >
        {controlsLabel(controls)}
      </button>
      {blocked && (
        <span id={reasonId} className="model-switch-reason" data-testid="model-switch-reason">
          {blocked}
        </span>
      )}
      {open && !blocked && (
        <ModelMenu controls={controls} saving={saving} onApply={(m, e) => void apply(m, e)} onClose={close} />
      )}
      {error && (
        <span className="mode-error" role="alert" data-testid="model-switch-error">
          {error.message}
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setError(null)}>
            ×
          </button>
        </span>
      )}
    </span>
  );
}

interface MenuProps {
  controls: SessionControls;
  saving: boolean;
  onApply: (model: string | null, effort: Effort | null) => void;
  onClose: () => void;
}

/** The menu: a model (one of the agent's, or typed when it takes any), an effort, Switch. */
function ModelMenu({ controls, saving, onApply, onClose }: MenuProps) {
  const listed = controls.models.some((m) => m.id === controls.model);
  const [model, setModel] = useState<string>(listed || !controls.anyModel ? (controls.model ?? controls.models[0]?.id ?? "") : OTHER);
  const [custom, setCustom] = useState(listed ? "" : (controls.model ?? ""));
  const [effort, setEffort] = useState<Effort>(controls.effort ?? "");
  const first = useRef<HTMLSelectElement | HTMLInputElement | null>(null);
  useEffect(() => first.current?.focus(), []);

  const chosen = model === OTHER ? custom.trim() : model;
  // The efforts of the model chosen, when the agent lists them per model.
  const efforts = controls.models.find((m) => m.id === chosen && m.efforts.length > 0)?.efforts ?? controls.efforts;
  const modelChanged = chosen !== "" && chosen !== controls.model;
  const effortChanged = effort !== "" && effort !== controls.effort && efforts.includes(effort);
  const submit = () => {
    if (modelChanged || effortChanged) onApply(modelChanged ? chosen : null, effortChanged ? effort : null);
  };

  return (
    <div
      className="model-switch-menu"
      role="dialog"
      aria-label="Model and effort"
      data-testid="model-switch-menu"
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          onClose();
        } else if (e.key === "Enter" && !(e.target instanceof HTMLButtonElement)) {
          e.preventDefault();
          submit();
        }
      }}
    >
      {(controls.models.length > 0 || controls.anyModel) && (
        <label>
          Model
          {controls.models.length > 0 ? (
            <select
              ref={(el) => {
                first.current = el;
              }}
              value={model}
              onChange={(e) => setModel(e.target.value)}
              data-testid="model-switch-model"
            >
              {controls.models.map((m) => (
                <option key={m.id} value={m.id} title={m.description ?? undefined} data-testid={`model-option-${m.id}`}>
                  {m.label}
                </option>
              ))}
              {controls.anyModel && <option value={OTHER}>Other…</option>}
            </select>
          ) : null}
        </label>
      )}
      {controls.anyModel && (model === OTHER || controls.models.length === 0) && (
        <input
          ref={(el) => {
            if (controls.models.length === 0) first.current = el;
          }}
          value={custom}
          onChange={(e) => {
            setCustom(e.target.value);
            setModel(OTHER);
          }}
          placeholder="Model name"
          aria-label="Model name"
          data-testid="model-switch-custom"
        />
      )}
      {efforts.length > 0 && (
        <label>
          Effort
          <select value={effort} onChange={(e) => setEffort(e.target.value)} data-testid="model-switch-effort">
            {effort === "" && <option value="">Default</option>}
            {efforts.map((e) => (
              <option key={e} value={e} data-testid={`effort-option-${e}`}>
                {e}
              </option>
            ))}
          </select>
        </label>
      )}
      {controls.appliesNextTurn && <span className="model-switch-note">Applies from the next prompt.</span>}
      <span className="model-switch-buttons">
        <button type="button" className="small" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="small primary" onClick={submit} disabled={saving || !(modelChanged || effortChanged)} data-testid="model-switch-apply">
          Switch
        </button>
      </span>
    </div>
  );
}
