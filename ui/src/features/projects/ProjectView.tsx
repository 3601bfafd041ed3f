import type { Project } from "../../ipc";

interface Props {
  project: Project;
  onReveal: () => void;
  onClose: () => void;
}

/** The project in front: its name and folder, and what can be done with it. */
export function ProjectView({ project, onReveal, onClose }: Props) {
  return (
    <section className="project-view" aria-labelledby="project-title" data-testid="project-view">
      <header className="project-header">
        <div>
          <h1 id="project-title">{project.name}</h1>
          <code className="project-path-full">{project.path}</code>
        </div>
        <div className="actions">
          <button onClick={onReveal}>Show in File Manager</button>
          <button onClick={onClose}>Close Project</button>
        </div>
      </header>
    </section>
  );
}
