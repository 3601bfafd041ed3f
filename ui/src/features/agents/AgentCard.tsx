// One agent on the Agents screen: name, protocol, status, where it is, its version, how it
// logs in, and how to install it.
import type { ReactNode } from "react";
import type { AgentView } from "../../ipc";
import { joinArgs } from "./customDraft";
import { InstallPanel } from "./InstallPanel";
import { PROTOCOL_NAMES } from "../../shared/agentNames";
import { agentKey, statusBadge } from "../../model/agentStatus";

interface Props {
  view: AgentView;
  /** Detects the agents again (after an install). */
  onChanged: () => void;
  /** Extra buttons (edit and remove a custom agent). */
  children?: ReactNode;
}

export function AgentCard({ view, onChanged, children }: Props) {
  const badge = statusBadge(view.status);
  const installed = view.program !== null;
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
      {view.install && <InstallPanel kind={view.kind} plan={view.install} installed={installed} onFinished={onChanged} />}
      {children && <div className="agent-card-actions">{children}</div>}
    </li>
  );
}
