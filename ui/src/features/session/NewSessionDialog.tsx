// "New session": which agent, how freely it may act, Codex's sandbox, and optionally which model.
import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import type { AgentView, IpcError, PermissionMode, Sandbox, SessionStart } from "../../ipc";
import { Dialog } from "../../shared/Dialog";
import { agentKey, agentOfKey, unusableReason } from "../../model/agentStatus";
import { useAgents } from "../../model/useAgents";
import { BypassWarning } from "../permissions/panel/BypassWarning";
import { ModeLimits } from "../permissions/panel/ModeLimits";
import { MODES } from "../permissions/panel/modes";
import "./session.css";

/** What the person chose. */
export type NewSessionChoice = SessionStart;

interface Props {
  projectName: string;
  onStart: (choice: NewSessionChoice) => Promise<IpcError | null>;
  onCancel: () => void;
  /** Above the session's choices: what else can start here (the project's pipelines), given the chosen permission mode. */
  pipelines?: (mode: PermissionMode) => ReactNode;
}

/** Codex's sandboxes, least to most freedom. */
const SANDBOXES: { sandbox: Sandbox; label: string; hint: string }[] = [
  { sandbox: "readOnly", label: "Read only", hint: "commands may read; every change asks" },
  { sandbox: "workspaceWrite", label: "Workspace write", hint: "allowed commands may change the project; more needs its own yes" },
  { sandbox: "fullAccess", label: "Full access", hint: "no sandbox at all" },
];

/** The agent to preselect: Claude Code while the list loads or when usable, else the first usable one. */
export function preferredAgent(views: AgentView[] | null, current: string): string {
  if (!views) return current;
  const usable = views.filter((v) => unusableReason(v) === null);
  if (usable.some((v) => agentKey(v) === current)) return current;
  const first = usable[0];
  return first ? agentKey(first) : current;
}

/** The dialog that starts a session in a project. */
export function NewSessionDialog({ projectName, onStart, onCancel, pipelines }: Props) {
  const { views, error: listError } = useAgents();
  const [agent, setAgent] = useState("claude");
  // A choice the person made is kept when the list arrives; only the default may move.
  const [picked, setPicked] = useState(false);
  const [mode, setMode] = useState<PermissionMode>("default");
  // Bypass starts only after the person ticked that they understand it; choosing another mode
  // and coming back asks again. Full access does the same for Codex's sandbox.
  const [understood, setUnderstood] = useState(false);
  const [sandbox, setSandbox] = useState<Sandbox>("workspaceWrite");
  const [sandboxUnderstood, setSandboxUnderstood] = useState(false);
  const [model, setModel] = useState("");
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);

  useEffect(() => {
    if (!picked) setAgent((current) => preferredAgent(views, current));
  }, [views, picked]);

  const chosen = agentOfKey(agent);
  const codex = chosen.agent === "codex";
  const view = views?.find((v) => agentKey(v) === agent) ?? null;
  const unusable = view ? unusableReason(view) : null;
  const blocked = (mode === "bypass" && !understood) || (codex && sandbox === "fullAccess" && !sandboxUnderstood) || unusable !== null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (blocked) return;
    setStarting(true);
    const failed = await onStart({ mode, model: model.trim() || null, ...chosen, sandbox: codex ? sandbox : null });
    setStarting(false);
    setError(failed);
  };

  return (
    <Dialog title={`New session in ${projectName}`} onCancel={onCancel} testId="new-session-dialog">
      {pipelines?.(mode)}
      <form onSubmit={(e) => void submit(e)} className="form">
        <label className="field">
          <span>Agent</span>
          <select
            value={agent}
            aria-label="Agent"
            data-testid="agent-select"
            onChange={(e) => {
              setAgent(e.target.value);
              setPicked(true);
              setSandboxUnderstood(false);
            }}
          >
            {!views && <option value="claude">Claude Code</option>}
            {views?.map((v) => {
              const reason = unusableReason(v);
              const note = reason ?? (v.status.state === "loginUnknown" ? "login unknown" : v.version);
              return (
                <option key={agentKey(v)} value={agentKey(v)} disabled={reason !== null}>
                  {v.name}
                  {note ? ` — ${note}` : ""}
                </option>
              );
            })}
          </select>
          <AgentHint loading={!views && !listError} listError={listError} view={view} unusable={unusable} />
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
          <ModeLimits agent={chosen.agent} />
        </fieldset>
        {codex && (
          <fieldset className="field" data-testid="sandbox-choice">
            <legend>Sandbox</legend>
            {SANDBOXES.map((s) => (
              <label key={s.sandbox} className="radio">
                <input
                  type="radio"
                  name="sandbox"
                  value={s.sandbox}
                  checked={sandbox === s.sandbox}
                  onChange={() => {
                    setSandbox(s.sandbox);
                    setSandboxUnderstood(false);
                  }}
                  data-testid={`sandbox-${s.sandbox}`}
                />
                <span>
                  {s.label}
                  <span className="hint"> — {s.hint}</span>
                </span>
              </label>
            ))}
            {sandbox === "fullAccess" && (
              <div className="sandbox-start">
                <div className="bypass-warning" role="note" data-testid="sandbox-warning">
                  <strong>Full access has no sandbox.</strong> Codex's commands can change any file your account can change
                  and reach the network. Choose it only for work you would let run unattended.
                </div>
                <label className="radio">
                  <input
                    type="checkbox"
                    checked={sandboxUnderstood}
                    onChange={(e) => setSandboxUnderstood(e.target.checked)}
                    data-testid="sandbox-understand"
                  />
                  <span>I understand: this session's commands run without a sandbox.</span>
                </label>
              </div>
            )}
          </fieldset>
        )}
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

/**
 * The line under the agent list: looking, why the list failed, why the chosen agent cannot
 * start, or what was found. Always one line, so the dialog keeps its size when the list arrives
 * and the Start button does not move under a click.
 */
function AgentHint({ loading, listError, view, unusable }: { loading: boolean; listError: string | null; view: AgentView | null; unusable: string | null }) {
  if (loading) return <span className="agent-option-hint" data-testid="agent-hint">Looking for agents…</span>;
  if (listError) return <span className="agent-option-hint" data-testid="agent-hint">Could not list the agents: {listError}</span>;
  if (unusable)
    return (
      <span className="agent-option-hint" data-testid="agent-unusable">
        {view?.name} cannot start: {unusable}. See the Agents screen.
      </span>
    );
  // The list shows the version; the path says which install it is.
  const found = view?.program ?? "";
  return (
    <span className="agent-option-hint one-line" title={found} data-testid="agent-hint">
      {found || "\u00a0"}
    </span>
  );
}
