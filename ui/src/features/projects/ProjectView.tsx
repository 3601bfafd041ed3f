import type { Project } from "../../ipc";
import { HostChipFor } from "../remote/HostChip";
import { RemoteBanner } from "../remote/RemoteBanner";
import type { RemoteProject } from "../remote/store";
import { ProjectSessions } from "../session/ProjectSessions";

interface Props {
  project: Project;
  now: number;
  onReveal: () => void;
  onClose: () => void;
  /** Shows the project's usage (a remote project's, from its host's store). */
  onShowUsage?: () => void;
  /** Shows the agents of a remote project's host (installed and logged in to there). */
  onShowHostAgents?: () => void;
  /** A project on another host: where, its connection's state, and connecting again. */
  remote?: { host: RemoteProject; onReconnect: () => void; reconnecting: boolean };
}

/** The project in front: its name and folder, what can be done with it, and its sessions. */
export function ProjectView({ project, now, onReveal, onClose, onShowUsage, onShowHostAgents, remote }: Props) {
  return (
    <section className="project-view" aria-labelledby="project-title" data-testid="project-view">
      <header className="project-header">
        <div className="project-heading">
          <h1 id="project-title">{project.name}</h1>
          {remote && <HostChipFor host={remote.host} />}
          <code className="project-path-full">{project.path}</code>
        </div>
        <div className="actions">
          {/* A host's project: its usage is the host's, its agents are the host's; the file manager is this machine's only. */}
          {onShowUsage && (
            <button onClick={onShowUsage} data-testid="project-usage">
              Usage
            </button>
          )}
          {remote && onShowHostAgents && (
            <button onClick={onShowHostAgents} data-testid="project-host-agents">
              Agents on the Host
            </button>
          )}
          {!remote && <button onClick={onReveal}>Show in File Manager</button>}
          <button onClick={onClose}>Close Project</button>
        </div>
      </header>
      {remote && <RemoteBanner host={remote.host} onReconnect={remote.onReconnect} reconnecting={remote.reconnecting} />}
      <ProjectSessions key={project.id} project={project} now={now} />
    </section>
  );
}
