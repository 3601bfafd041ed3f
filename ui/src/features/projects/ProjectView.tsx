import type { Project } from "../../ipc";
import { ProjectSessions } from "../session/ProjectSessions";

interface Props {
  project: Project;
  now: number;
  onReveal: () => void;
  onClose: () => void;
  /** Shows the project's usage. */
  onShowUsage?: () => void;
}

/** The project in front: its name and folder, what can be done with it, and its sessions. */
export function ProjectView({ project, now, onReveal, onClose, onShowUsage }: Props) {
  return (
    <section className="project-view" aria-labelledby="project-title" data-testid="project-view">
      <header className="project-header">
        <div className="project-heading">
          <h1 id="project-title">{project.name}</h1>
          <code className="project-path-full">{project.path}</code>
        </div>
        <div className="actions">
          {onShowUsage && (
            <button onClick={onShowUsage} data-testid="project-usage">
              Usage
            </button>
          )}
          <button onClick={onReveal}>Show in File Manager</button>
          <button onClick={onClose}>Close Project</button>
        </div>
      </header>
      <ProjectSessions key={project.id} project={project} now={now} />
    </section>
  );
}
