// The remote projects open in this window: each with its connection, where it runs, its folder
// on the host and the connection's state as the backend last reported it; which one is in front
// (a local project in front is the workspace's business); and the recent remote projects.
import { useSyncExternalStore } from "react";
import {
  remote,
  type RecentRemoteProject,
  type RemoteConnectionChanged,
  type RemoteConnectionId,
  type RemoteConnectionState,
  type RemoteConnectionView,
  type RemoteOpened,
  type RemoteTarget,
} from "../../ipc";
import { routes } from "../../ipc/remoteRoutes";

/** One remote project of the window. */
export interface RemoteProject {
  /** Unique in the window: the connection and the folder. */
  key: string;
  connection: RemoteConnectionId;
  /** Where it runs, in the header's words ("dev@box:/srv/app"). */
  label: string;
  /** "ssh: dev@box", "docker: web", "command: …": the host chip. */
  place: string;
  /** The folder as the host resolved it. */
  project: string;
  /** The folder's own name. */
  name: string;
  target: RemoteTarget;
  state: RemoteConnectionState;
}

/** What the store holds. */
export interface RemoteSnapshot {
  projects: RemoteProject[];
  /** The key of the remote project in front, or null. */
  front: string | null;
  recent: RecentRemoteProject[];
}

/** "ssh: dev@box" for a target. */
export function placeOf(target: RemoteTarget): string {
  switch (target.kind) {
    case "ssh":
      return `ssh: ${target.destination}`;
    case "container":
      return `${target.containerEngine ?? "docker"}: ${target.destination}`;
    case "command":
      return `command: ${target.destination}`;
  }
}

function nameOf(folder: string): string {
  const parts = folder.split("/").filter(Boolean);
  return parts[parts.length - 1] ?? folder;
}

function keyOf(connection: RemoteConnectionId, project: string): string {
  return `${connection}\u0000${project}`;
}

/** The window's remote projects; one instance (`remoteStore`), tests make their own. */
export class RemoteStore {
  private snapshot: RemoteSnapshot = { projects: [], front: null, recent: [] };
  private readonly listeners = new Set<() => void>();
  private started = false;

  readonly get = (): RemoteSnapshot => this.snapshot;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (!this.started) {
      this.started = true;
      void this.load();
    }
    return () => this.listeners.delete(listener);
  };

  private set(next: Partial<RemoteSnapshot>) {
    this.snapshot = { ...this.snapshot, ...next };
    for (const l of [...this.listeners]) l();
  }

  /** Reads the connections the backend has (a reloaded window) and follows their states. */
  private async load() {
    try {
      await remote.onState((change) => this.changed(change));
      const [views, recent] = await Promise.all([remote.connections(), remote.recent()]);
      this.set({ projects: views.flatMap(fromView), recent });
    } catch (error) {
      // Without a backend (a test page) there are no remote projects.
      console.warn("remote projects unavailable:", error);
    }
  }

  /** A connection's new state. */
  changed(change: RemoteConnectionChanged): void {
    if (!this.snapshot.projects.some((p) => p.connection === change.connection)) return;
    this.set({ projects: this.snapshot.projects.map((p) => (p.connection === change.connection ? { ...p, state: change.state } : p)) });
  }

  /** A project just opened: listed (once) and brought to the front. */
  opened(opened: RemoteOpened): void {
    const project: RemoteProject = {
      key: keyOf(opened.connection, opened.project),
      connection: opened.connection,
      label: opened.label,
      place: placeOf(opened.target),
      project: opened.project,
      name: nameOf(opened.project),
      target: opened.target,
      state: { type: "connected", data: opened.host },
    };
    // Reopening the same folder of the same place replaces the old entry (a new connection after "gone").
    const same = (p: RemoteProject) => p.key === project.key || (p.project === project.project && p.place === project.place);
    this.set({ projects: [...this.snapshot.projects.filter((p) => !same(p)), project], front: project.key });
    void remote.recent().then((recent) => this.set({ recent }));
  }

  /** Brings a remote project to the front (null: the workspace's project is in front). */
  setFront(key: string | null): void {
    if (this.snapshot.front !== key) this.set({ front: key });
  }

  /** Closes a remote project; its connection ends when no other project of the window uses it. */
  async close(key: string): Promise<void> {
    const gone = this.snapshot.projects.find((p) => p.key === key);
    if (!gone) return;
    const projects = this.snapshot.projects.filter((p) => p.key !== key);
    this.set({ projects, front: this.snapshot.front === key ? null : this.snapshot.front });
    if (!projects.some((p) => p.connection === gone.connection)) await remote.close(gone.connection);
  }

  /** Forgets a recent remote project. */
  async forgetRecent(entry: RecentRemoteProject): Promise<void> {
    const forgotten = await remote.forgetRecent(entry.target.kind, entry.target.destination, entry.target.folder);
    // A settings file that cannot be written keeps the entry listed: it is still stored.
    if (forgotten.ok) this.set({ recent: forgotten.value });
    else console.warn("could not forget the recent remote project:", forgotten.error.message);
  }
}

function fromView(view: RemoteConnectionView): RemoteProject[] {
  if (view.state.type === "closed") return [];
  return view.projects.map((project) => ({
    key: keyOf(view.connection, project),
    connection: view.connection,
    label: view.label,
    place: placeOf(view.target),
    project,
    name: nameOf(project),
    target: view.target,
    state: view.state,
  }));
}

/** The window's remote projects. */
export const remoteStore = new RemoteStore();

/** The remote projects, re-rendering when they change. */
export function useRemoteProjects(store: RemoteStore = remoteStore): RemoteSnapshot {
  return useSyncExternalStore(store.subscribe, store.get);
}

/** The remote project a session belongs to, or null for a local session. */
export function useSessionHost(sessionId: string | null, store: RemoteStore = remoteStore): RemoteProject | null {
  const snapshot = useRemoteProjects(store);
  const connection = sessionId ? routes.ofSession(sessionId) : null;
  if (!connection) return null;
  return snapshot.projects.find((p) => p.connection === connection) ?? null;
}
