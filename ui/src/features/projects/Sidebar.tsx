import { useMemo } from "react";
import type { Project, ProjectId } from "../../ipc";
import { displayNames } from "./names";

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
}

/** The open projects, one row each; the active one highlighted. */
export function Sidebar({ projects, active, onActivate, onClose, onOpenFolder, agentsOpen = false, onShowAgents, usageOpen = false, onShowUsage }: Props) {
  const labels = useMemo(() => displayNames(projects), [projects]);
  return (
    <nav className="sidebar" aria-label="Open projects">
      <header className="sidebar-header">
        <span className="brand">Warden</span>
        <button className="icon-button" title="Open Folder… (Ctrl+O)" aria-label="Open Folder…" onClick={onOpenFolder}>
          +
        </button>
      </header>
      <div className="sidebar-section">Projects</div>
      {projects.length === 0 ? (
        <p className="sidebar-empty">No project open.</p>
      ) : (
        <ul className="project-list" data-testid="open-projects">
          {projects.map((p) => (
            <li key={p.id} className={p.id === active ? "project-row active" : "project-row"}>
              <button
                className="project-button"
                title={p.path}
                aria-current={p.id === active ? "page" : undefined}
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
        </ul>
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
