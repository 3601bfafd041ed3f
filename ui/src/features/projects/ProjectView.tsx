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
  /** Shows the project's usage. */
  onShowUsage?: () => void;
  /** A project on another host: where, its connection's state, and connecting again. */
  remote?: { host: RemoteProject; onReconnect: () => void; reconnecting: boolean };
}

/** The project in front: its name and folder, what can be done with it, and its sessions. */
export function ProjectView({ project, now, onReveal, onClose, onShowUsage, remote }: Props) {
  return (
    <section className="project-view" aria-labelledby="project-title" data-testid="project-view">
      <header className="project-header">
        <div className="project-heading">
          <h1 id="project-title">{project.name}</h1>
          {remote && <HostChipFor host={remote.host} />}
          <code className="project-path-full">{project.path}</code>
        </div>
        <div className="actions">
          {/* Usage and the file manager are this machine's: a host's project has neither here. */}
          {onShowUsage && !remote && (
            <button onClick={onShowUsage} data-testid="project-usage">
              Usage
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
