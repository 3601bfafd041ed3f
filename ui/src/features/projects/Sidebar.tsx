import { useMemo } from "react";
import type { Project, ProjectId } from "../../ipc";
import type { RemoteProject } from "../remote/store";
import { displayNames } from "./names";

/** The remote projects' rows: their host under the name, and what a click does. */
export interface SidebarRemote {
  projects: RemoteProject[];
  /** The key of the remote project in front. */
  front: string | null;
  onActivate: (key: string) => void;
  onClose: (key: string) => void;
  onOpenRemote: () => void;
}

interface Props {
  projects: Project[];
  active: ProjectId | null;
  onActivate: (id: ProjectId) => void;
  onClose: (id: ProjectId) => void;
  onOpenFolder: () => void;
  /** Whether the Agents screen is showing. */
  agentsOpen?: boolean;
  /** Shows the Agents screen. */
  onShowAgents?: () => void;
  /** Whether the usage of every project is showing. */
  usageOpen?: boolean;
  /** Shows the usage of every project. */
  onShowUsage?: () => void;
  /** Remote projects, listed after the local ones with their host. */
  remote?: SidebarRemote;
}

/** The open projects, one row each; the active one highlighted. */
export function Sidebar({ projects, active, onActivate, onClose, onOpenFolder, agentsOpen = false, onShowAgents, usageOpen = false, onShowUsage, remote }: Props) {
  const labels = useMemo(() => displayNames(projects), [projects]);
  const remoteRows = remote?.projects ?? [];
  // A remote project in front: no local row is the current one.
  const localActive = remote?.front ? null : active;
  return (
    <nav className="sidebar" aria-label="Open projects">
      <header className="sidebar-header">
        <span className="brand">Warden</span>
        <button className="icon-button" title="Open Folder… (Ctrl+O)" aria-label="Open Folder…" onClick={onOpenFolder}>
          +
        </button>
      </header>
      <div className="sidebar-section">Projects</div>
      {projects.length === 0 && remoteRows.length === 0 ? (
        <p className="sidebar-empty">No project open.</p>
      ) : (
        <ul className="project-list" data-testid="open-projects">
          {projects.map((p) => (
            <li key={p.id} className={p.id === localActive ? "project-row active" : "project-row"}>
              <button
                className="project-button"
                title={p.path}
                aria-current={p.id === localActive ? "page" : undefined}
                onClick={() => onActivate(p.id)}
              >
                <span className="project-name">{labels.get(p.path) ?? p.name}</span>
                <span className="project-path">{p.path}</span>
              </button>
              <button
                className="icon-button close"
                title={`Close ${p.name}`}
                aria-label={`Close ${p.name}`}
                onClick={() => onClose(p.id)}
              >
                ×
              </button>
            </li>
          ))}
          {remoteRows.map((r) => (
            <li key={r.key} className={r.key === remote?.front ? "project-row active" : "project-row"} data-testid="remote-project-row">
              <button
                className="project-button"
                title={`${r.label} (${r.state.type})`}
                aria-current={r.key === remote?.front ? "page" : undefined}
                onClick={() => remote?.onActivate(r.key)}
              >
                <span className="project-name">{r.name}</span>
                <span className="project-path">
                  <span className={`project-host ${r.state.type}`}>{r.place}</span> {r.project}
                </span>
              </button>
              <button className="icon-button close" title={`Close ${r.name} on ${r.place}`} aria-label={`Close ${r.name} on ${r.place}`} onClick={() => remote?.onClose(r.key)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {remote && (
        <button className="sidebar-remote" onClick={remote.onOpenRemote} data-testid="sidebar-open-remote" title="A project on an SSH host, in a running container, or through a command">
          Open Remote Project…
        </button>
      )}
      {onShowAgents && (
        <>
          <div className="sidebar-section">Warden</div>
          <ul className="project-list">
            <li className={agentsOpen ? "project-row active" : "project-row"}>
              <button
                className="project-button"
                aria-current={agentsOpen ? "page" : undefined}
                onClick={onShowAgents}
                data-testid="show-agents"
              >
                <span className="project-name">Agents</span>
                <span className="project-path">Install, log in, custom agents</span>
              </button>
            </li>
            {onShowUsage && (
              <li className={usageOpen ? "project-row active" : "project-row"}>
                <button
                  className="project-button"
                  aria-current={usageOpen ? "page" : undefined}
                  onClick={onShowUsage}
                  data-testid="show-usage"
                >
                  <span className="project-name">Usage</span>
                  <span className="project-path">Tokens and costs of every project</span>
                </button>
              </li>
            )}
          </ul>
        </>
      )}
    </nav>
  );
}
