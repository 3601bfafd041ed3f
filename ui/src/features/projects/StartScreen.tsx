import type { ReactNode } from "react";
import type { RecentEntry } from "../../ipc";
import { relativeTime } from "./names";

interface Props {
  recent: RecentEntry[];
  now: number;
  onOpenFolder: () => void;
  onOpenRecent: (path: string) => void;
  onForget: (path: string) => void;
  /** Shown under the title: the first-run welcome, or the notice that no agent is ready. */
  intro?: ReactNode;
}

/** Shown when no project is open: open a folder, or pick up a recent project. */
export function StartScreen({ recent, now, onOpenFolder, onOpenRecent, onForget, intro }: Props) {
  return (
    <section className="start" aria-labelledby="start-title" data-testid="start-screen">
      <h1 id="start-title">Warden</h1>
      {intro}
      <p className="tagline">Open a project folder to start. Several projects can be open side by side.</p>
      <button className="primary" onClick={onOpenFolder}>
        Open Folder…
      </button>
      <span className="hint">or press Ctrl+O · File › Open Recent</span>
      <h2>Recent projects</h2>
      {recent.length === 0 ? (
        <p className="muted" data-testid="no-recent">
          Projects you open appear here.
        </p>
      ) : (
        <ul className="recent-list" data-testid="recent-projects">
          {recent.map(({ project, missing }) => (
            <li key={project.path} className={missing ? "recent-row missing" : "recent-row"}>
              <button
                className="recent-open"
                disabled={missing}
                title={missing ? `${project.path} no longer exists` : project.path}
                onClick={() => onOpenRecent(project.path)}
              >
                <span className="project-name">{project.name}</span>
                <span className="project-path">{project.path}</span>
              </button>
              {missing ? <span className="badge warn">missing</span> : null}
              <span className="when">{relativeTime(project.lastOpenedMs, now)}</span>
              <button
                className="icon-button"
                title="Remove from recent projects"
                aria-label={`Remove ${project.name} from recent projects`}
                onClick={() => onForget(project.path)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
