import type { ReactNode } from "react";
import type { RecentEntry } from "../../ipc";
import { relativeTime } from "./names";

interface Props {
  recent: RecentEntry[];
  now: number;
  onOpenFolder: () => void;
  onOpenRecent: (path: string) => void;
  onForget: (path: string) => void;
  /** Opens the Open Remote Project dialog. */
  onOpenRemote?: () => void;
  /** The recent remote projects, under the local ones (absent when there are none). */
  remote?: ReactNode;
  /** Shown under the title: the first-run welcome, or the notice that no agent is ready. */
  intro?: ReactNode;
}

/** Shown when no project is open: open a folder, or pick up a recent project. */
export function StartScreen({ recent, now, onOpenFolder, onOpenRecent, onForget, onOpenRemote, remote, intro }: Props) {
  return (
    <section className="start" aria-labelledby="start-title" data-testid="start-screen">
      <h1 id="start-title">Warden</h1>
      {intro}
      <p className="tagline">Open a project folder to start. Several projects can be open side by side.</p>
      <div className="start-buttons">
        <button className="primary" onClick={onOpenFolder}>
          Open Folder…
        </button>
        {onOpenRemote && (
          <button onClick={onOpenRemote} data-testid="open-remote" title="A project on an SSH host, in a running container, or through a command">
            Open Remote Project…
          </button>
        )}
      </div>
      <span className="hint">or press Ctrl+O · File › Open Recent</span>
      <h2>Recent projects</h2>
      {recent.length === 0 && !remote ? (
        <p className="muted" data-testid="no-recent">
          Projects you open appear here.
        </p>
      ) : recent.length === 0 ? null : (
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
      {remote}
    </section>
  );
}
