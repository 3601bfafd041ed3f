// One agent on the Agents screen (and the first-run welcome): name, protocol, status, where it
// is, its version, how it logs in (with its own login flow in a terminal), and how to install it.
import { useState, type ReactNode } from "react";
import type { AgentView } from "../../ipc";
import { joinArgs } from "./customDraft";
import { InstallPanel } from "./InstallPanel";
import { LoginTerminal } from "./LoginTerminal";
import { PROTOCOL_NAMES } from "../../shared/agentNames";
import { agentKey, statusBadge } from "../../model/agentStatus";

interface Props {
  view: AgentView;
  /** Detects the agents again (after an install). */
  onChanged: () => void;
  /** Extra buttons (edit and remove a custom agent). */
  children?: ReactNode;
}

/** Whether the card offers the agent's own login flow: an installed preset whose login is missing or unknown. */
export function offersLogin(view: AgentView): boolean {
  return view.program !== null && !view.custom && (view.status.state === "notLoggedIn" || view.status.state === "loginUnknown");
}

export function AgentCard({ view, onChanged, children }: Props) {
  const badge = statusBadge(view.status);
  const installed = view.program !== null;
  const [loggingIn, setLoggingIn] = useState(false);
  return (
    <li className="agent-card" data-testid="agent-card" data-agent={agentKey(view)} data-status={view.status.state}>
      <div className="agent-card-head">
        <strong className="agent-name">{view.name}</strong>
        <span className="agent-protocol">{PROTOCOL_NAMES[view.protocol]}</span>
        <span className="agent-spacer" />
        <span className={`badge agent-badge ${badge.tone}`} data-testid="agent-status">
          {badge.text}
        </span>
      </div>
      <dl className="agent-facts">
        <dt>Path</dt>
        <dd data-testid="agent-program" className={installed ? "mono" : "muted"}>
          {view.program ?? (view.custom ? `${view.custom.command} not found` : "not found")}
        </dd>
        <dt>Version</dt>
        <dd data-testid="agent-version">
          {view.version ?? "—"}
          {view.minVersion && <span className="muted"> · needs {view.minVersion} or newer</span>}
        </dd>
        {view.custom && (
          <>
            <dt>Starts</dt>
            <dd className="mono">{[view.custom.command, joinArgs(view.custom.args ?? [])].filter(Boolean).join(" ")}</dd>
          </>
        )}
        {installed && (
          <>
            <dt>Login</dt>
            <dd data-testid="agent-login">{view.login.detail}</dd>
          </>
        )}
        {view.status.state === "broken" && (
          <>
            <dt>Problem</dt>
            <dd className="error-text">{view.status.detail}</dd>
          </>
        )}
        {view.loginHelp && view.status.state !== "ready" && (
          <>
            <dt>Log in</dt>
            <dd data-testid="agent-login-help">{view.loginHelp}</dd>
          </>
        )}
      </dl>
      {offersLogin(view) && !loggingIn && (
        <div className="agent-card-actions">
          <button onClick={() => setLoggingIn(true)} data-testid="agent-login-button">
            Log in…
          </button>
        </div>
      )}
      {loggingIn && <LoginTerminal kind={view.kind} name={view.name} onEnded={onChanged} onClose={() => setLoggingIn(false)} />}
      {view.install && <InstallPanel kind={view.kind} plan={view.install} installed={installed} onFinished={onChanged} />}
      {children && <div className="agent-card-actions">{children}</div>}
    </li>
  );
}
