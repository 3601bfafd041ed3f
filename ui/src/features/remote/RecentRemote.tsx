// The start screen's recent remote projects: each with its host, reopened with one click
// (connecting, and offering the install again if the host lost its Warden), or forgotten. An SSH
// project's extra ssh options are shown beside its host, so what a click will run is visible.
import "./remote.css";
import type { RecentRemoteProject } from "../../ipc";
import { placeOf } from "./store";
import { sshOptionsText } from "./validate";

interface Props {
  recent: RecentRemoteProject[];
  /** "5 minutes ago". */
  when: (ms: number) => string;
  onOpen: (entry: RecentRemoteProject) => void;
  onForget: (entry: RecentRemoteProject) => void;
}

function nameOf(folder: string): string {
  const parts = folder.split("/").filter(Boolean);
  return parts[parts.length - 1] ?? folder;
}

/** Nothing when there is none. */
export function RecentRemote({ recent, when, onOpen, onForget }: Props) {
  if (recent.length === 0) return null;
  return (
    <ul className="recent-list" data-testid="recent-remote">
      {recent.map((entry) => {
        const { target } = entry;
        const place = placeOf(target);
        const options = target.kind === "ssh" ? sshOptionsText(target.ssh) : "";
        return (
          <li key={`${target.kind}\u0000${target.destination}\u0000${target.folder}`} className="recent-row">
            <button className="recent-open" title={`${entry.label} — open it again`} onClick={() => onOpen(entry)} data-testid="recent-remote-open">
              <span className="project-name">{nameOf(target.folder)}</span>
              <span className="project-path">
                <span className="project-host">{place}</span> {target.folder}
                {options && (
                  <span className="project-ssh-options" data-testid="recent-remote-ssh-options">
                    {" "}
                    · {options}
                  </span>
                )}
              </span>
            </button>
            <span className="when">{when(entry.lastOpenedMs)}</span>
            <button
              className="icon-button"
              title="Remove from recent projects"
              aria-label={`Remove ${nameOf(target.folder)} on ${place} from recent projects`}
              onClick={() => onForget(entry)}
            >
              ×
            </button>
          </li>
        );
      })}
    </ul>
  );
}
